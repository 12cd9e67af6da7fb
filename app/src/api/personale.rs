//! Staff registry, logins for employees, assignments of staff to objectives, and "I miei
//! obiettivi". A dipendente reaches only the last one, and only their own.

// A server function's arguments are the fields of its form.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{
    AssegnazioneView, AssegnazioniPiano, DipendenteView, EsitoImport, MieiObiettivi,
    OneTimePassword,
};

#[cfg(feature = "ssr")]
use crate::domain::permessi::Azione;

#[server(endpoint = "personale/elenco")]
pub async fn elenco_personale(slug: String) -> Result<Vec<DipendenteView>, AppError> {
    use crate::ssr::{personale, porta};
    porta::in_ente(&slug, Azione::GestirePersonale, async |_, tx| {
        personale::elenco(tx).await
    })
    .await
}

/// One employee, added or updated by matricola (the same rules as the CSV import).
#[server(endpoint = "personale/salva")]
pub async fn salva_dipendente(
    slug: String,
    matricola: String,
    cognome: String,
    nome: String,
    area: String,
    profilo: String,
    struttura: String,
    email: String,
    attivo_dal: String,
    #[server(default)] attivo_al: String,
) -> Result<(), AppError> {
    use crate::ssr::{csv_personale, personale, porta};
    porta::in_ente(&slug, Azione::GestirePersonale, async |_, tx| {
        let riga = csv_personale::riga(&[
            &matricola,
            &cognome,
            &nome,
            &area,
            &profilo,
            &struttura,
            &email,
            &attivo_dal,
            &attivo_al,
        ])
        .map_err(AppError::NonValido)?;
        personale::upsert(tx, &riga).await?;
        Ok(())
    })
    .await
}

/// Checks every row first; imports all of them or none. Re-importing changes nothing.
/// Multipart: the ente, then the file.
#[server(endpoint = "carica/personale", input = server_fn::codec::MultipartFormData)]
pub async fn importa_personale(
    dati: server_fn::codec::MultipartData,
) -> Result<EsitoImport, AppError> {
    use crate::ssr::personale::Esito;
    use crate::ssr::{csv_personale, modulo::Modulo, personale, porta, users};
    crate::ssr::respond(
        async move {
            let (mut modulo, slug) = Modulo::per_ente(dati, Azione::GestirePersonale).await?;
            let Some((_, contenuto)) = modulo.file("file").await? else {
                return Err(AppError::NonValido("Scegli un file CSV.".into()));
            };
            let righe = match csv_personale::parse(&contenuto) {
                Ok(r) => r,
                Err(errori) => {
                    return Ok(EsitoImport {
                        errori,
                        nuovi: 0,
                        aggiornati: 0,
                        invariati: 0,
                    })
                }
            };
            porta::in_ente(&slug, Azione::GestirePersonale, async |_, tx| {
                let mut esito = EsitoImport {
                    errori: vec![],
                    nuovi: 0,
                    aggiornati: 0,
                    invariati: 0,
                };
                for r in &righe {
                    match personale::upsert(tx, r).await? {
                        Esito::Nuovo => esito.nuovi += 1,
                        Esito::Aggiornato => esito.aggiornati += 1,
                        Esito::Invariato => esito.invariati += 1,
                    }
                }
                users::audit(
                    tx,
                    "personale_importato",
                    serde_json::json!({ "nuovi": esito.nuovi, "aggiornati": esito.aggiornati }),
                )
                .await?;
                Ok(esito)
            })
            .await
        }
        .await,
    )
}

/// Logins for employees with an e-mail and no login yet: one (`dipendente_id`) or all
/// (empty `dipendente_id`). Each gets a one-time password, shown once.
#[server(endpoint = "personale/accessi")]
pub async fn crea_accessi(
    slug: String,
    dipendente_id: String,
) -> Result<Vec<OneTimePassword>, AppError> {
    use crate::domain::roles::Role;
    use crate::ssr::{password, personale, porta, users};
    porta::in_ente(&slug, Azione::GestirePersonale, async |_, tx| {
        let solo = match dipendente_id.trim() {
            "" => None,
            id => Some(id.parse::<Uuid>().map_err(|_| AppError::NonTrovato)?),
        };
        let candidati = personale::senza_accesso(tx, solo).await?;
        if solo.is_some() && candidati.is_empty() {
            return Err(AppError::NonTrovato);
        }
        let mut out = Vec::new();
        for (id, email, nome) in candidati {
            let Some(email) = email else {
                if solo.is_some() {
                    return Err(AppError::NonValido(format!(
                        "{nome} non ha un indirizzo e-mail nell'anagrafica: aggiungilo prima."
                    )));
                }
                continue;
            };
            let one_time = password::OneTime::new().await?;
            match users::aggiungi_membro(tx, &email, &nome, Role::Dipendente, &one_time).await {
                Ok(user) => {
                    personale::collega_utente(tx, id, user).await?;
                    out.push(one_time.shown_for(email, crate::model::CodiceTipo::Accesso));
                }
                // Already a member of the ente (e.g. with another role): link only.
                Err(AppError::NonValido(_)) => {
                    let user: Uuid = sqlx::query_scalar("select id from users where email = $1")
                        .bind(&email)
                        .fetch_one(&mut **tx)
                        .await?;
                    personale::collega_utente(tx, id, user).await?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    })
    .await
}

/// The caller may change the staff assigned to this objective: its struttura is theirs
/// to edit, in a draft plan.
#[cfg(feature = "ssr")]
async fn obiettivo_modificabile(
    tx: &mut crate::ssr::EnteTx,
    ctx: &crate::ssr::EnteCtx,
    obiettivo: Uuid,
) -> Result<(), AppError> {
    use crate::ssr::piani;
    let s = piani::struttura_di(tx, piani::Livello::Obiettivo, obiettivo).await?;
    crate::api::piani::guard::struttura(tx, ctx, s).await
}

#[server(endpoint = "personale/assegnazioni")]
pub async fn carica_assegnazioni(slug: String, anno: i32) -> Result<AssegnazioniPiano, AppError> {
    use crate::ssr::{personale, porta};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        let p = crate::api::piani::guard::piano(tx, anno).await?;
        let me = ctx.caller.user_id;
        let role = ctx.role;
        let strutture = personale::strutture_view(
            personale::strutture_con_obiettivi(tx, p.id).await?,
            |resp| !p.approvato && role.puo_sulla_struttura(resp, me),
        );
        Ok(AssegnazioniPiano {
            anno,
            approvato: p.approvato,
            dipendenti: personale::nomi(tx).await?,
            strutture,
            righe: personale::assegnazioni(tx, p.id).await?,
        })
    })
    .await
}

#[server(endpoint = "personale/assegnazioni/aggiungi")]
pub async fn aggiungi_assegnazione(
    slug: String,
    obiettivo_id: Uuid,
    dipendente_id: Uuid,
    peso: String,
) -> Result<AssegnazioneView, AppError> {
    use crate::domain::peso::Peso;
    use crate::ssr::{personale, porta};
    porta::in_ente(&slug, Azione::ModificareStruttura, async |ctx, tx| {
        let peso = Peso::parse_opzionale(&peso).map_err(AppError::NonValido)?;
        obiettivo_modificabile(tx, ctx, obiettivo_id).await?;
        personale::aggiungi(tx, obiettivo_id, dipendente_id, peso).await
    })
    .await
}

#[server(endpoint = "personale/assegnazioni/salva")]
pub async fn salva_assegnazione(
    slug: String,
    id: Uuid,
    version: i32,
    peso: String,
) -> Result<i32, AppError> {
    use crate::domain::peso::Peso;
    use crate::ssr::{personale, porta};
    porta::in_ente(&slug, Azione::ModificareStruttura, async |ctx, tx| {
        let peso = Peso::parse_opzionale(&peso).map_err(AppError::NonValido)?;
        let ob = personale::obiettivo_di(tx, id).await?;
        obiettivo_modificabile(tx, ctx, ob).await?;
        personale::aggiorna(tx, id, version, peso).await
    })
    .await
}

#[server(endpoint = "personale/assegnazioni/elimina")]
pub async fn elimina_assegnazione(slug: String, id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{personale, porta};
    porta::in_ente(&slug, Azione::ModificareStruttura, async |ctx, tx| {
        let ob = personale::obiettivo_di(tx, id).await?;
        obiettivo_modificabile(tx, ctx, ob).await?;
        personale::elimina(tx, id).await
    })
    .await
}

/// The caller's own objectives as an employee, for `anno` (0: the most recent year).
#[server(endpoint = "personale/miei-obiettivi")]
pub async fn carica_miei_obiettivi(slug: String, anno: i32) -> Result<MieiObiettivi, AppError> {
    use crate::ssr::precaricato::Precaricato;
    use crate::ssr::{context, porta};
    // The page's render, its objectives read already to find it kept (`precarica_miei`).
    if let Some(letto) = Precaricato::<MieiObiettivi>::prendi() {
        return context::respond(letto);
    }
    porta::in_ente(&slug, Azione::Entrare, async |ctx, tx| {
        miei(ctx, tx, anno).await
    })
    .await
}

/// `carica_miei_obiettivi` of the page at `slug` (its most recent year), outside its
/// render: through the same door, for the caller the middleware read, in its request.
#[cfg(feature = "ssr")]
pub async fn precarica_miei(
    pool: &sqlx::PgPool,
    caller: crate::ssr::context::Caller,
    richiesta: crate::ssr::richiesta::Richiesta,
    slug: &str,
) -> Result<MieiObiettivi, AppError> {
    crate::ssr::porta::in_ente_in_lettura(
        pool,
        caller,
        slug,
        Azione::Entrare,
        Some(richiesta),
        async |ctx, tx| miei(ctx, tx, 0).await,
    )
    .await
}

/// The caller's objectives in the ente of `ctx` for `anno`, with their name and years.
#[cfg(feature = "ssr")]
async fn miei(
    ctx: &crate::ssr::EnteCtx,
    tx: &mut crate::ssr::EnteTx,
    anno: i32,
) -> crate::error::AppResult<MieiObiettivi> {
    use crate::ssr::personale;
    let me = ctx.caller.user_id;
    let (nome, anni) = personale::nome_e_anni(tx, me).await?;
    let nome = nome.unwrap_or_else(|| ctx.caller.display_name.clone());
    let anno = if anni.contains(&anno) {
        Some(anno)
    } else {
        anni.first().copied()
    };
    let obiettivi = match anno {
        Some(a) => personale::miei_obiettivi(tx, me, a).await?,
        None => Vec::new(),
    };
    Ok(MieiObiettivi {
        nome,
        anni,
        anno,
        obiettivi,
    })
}
