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
async fn registry_ctx(slug: &str) -> Result<crate::ssr::EnteCtx, AppError> {
    let ctx = crate::ssr::ente_ctx(slug).await?;
    ctx.require(crate::domain::roles::Role::can_manage_users)?;
    Ok(ctx)
}

#[server(endpoint = "personale/elenco")]
pub async fn elenco_personale(slug: String) -> Result<Vec<DipendenteView>, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_for, personale, pool};
            let ctx = registry_ctx(&slug).await?;
            let mut tx = begin_for(&pool()?, &ctx).await?;
            let l = personale::list(&mut tx).await?;
            tx.commit().await?;
            Ok(l)
        }
        .await,
    )
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
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_for, csv_personale, personale, pool};
            let ctx = registry_ctx(&slug).await?;
            // One row through the CSV checks: the same messages either way.
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(Vec::new());
            w.write_record([
                "matricola",
                "cognome",
                "nome",
                "area",
                "profilo",
                "struttura",
                "email",
                "dal",
                "al",
            ])
            .and_then(|_| {
                w.write_record([
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
            })
            .map_err(|_| AppError::Interno)?;
            let bytes = w.into_inner().map_err(|_| AppError::Interno)?;
            let righe = csv_personale::parse(&bytes).map_err(|e| {
                AppError::NonValido(e.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; "))
            })?;
            let mut tx = begin_for(&pool()?, &ctx).await?;
            for r in &righe {
                personale::upsert(&mut tx, r).await?;
            }
            tx.commit().await
        }
        .await,
    )
}

/// Checks every row first; imports all of them or none. Re-importing changes nothing.
/// Multipart: the ente, then the file.
#[server(endpoint = "carica/personale", input = server_fn::codec::MultipartFormData)]
pub async fn importa_personale(
    dati: server_fn::codec::MultipartData,
) -> Result<EsitoImport, AppError> {
    crate::ssr::respond(
        async move {
            let mut modulo = crate::ssr::modulo::Modulo::new(dati)?;
            let ctx = registry_ctx(&modulo.testo("slug").await?).await?;
            let Some((_, contenuto)) = modulo.file("file").await? else {
                return Err(AppError::NonValido("Scegli un file CSV.".into()));
            };
            use crate::ssr::personale::Esito;
            use crate::ssr::{begin_for, csv_personale, personale, pool, users};
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
            let mut esito = EsitoImport {
                errori: vec![],
                nuovi: 0,
                aggiornati: 0,
                invariati: 0,
            };
            let mut tx = begin_for(&pool()?, &ctx).await?;
            for r in &righe {
                match personale::upsert(&mut tx, r).await? {
                    Esito::Nuovo => esito.nuovi += 1,
                    Esito::Aggiornato => esito.aggiornati += 1,
                    Esito::Invariato => esito.invariati += 1,
                }
            }
            users::audit(
                &mut tx,
                "personale_importato",
                serde_json::json!({ "nuovi": esito.nuovi, "aggiornati": esito.aggiornati }),
            )
            .await?;
            tx.commit().await?;
            Ok(esito)
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
    crate::ssr::respond(
        async move {
            use crate::domain::roles::Role;
            use crate::ssr::{begin_for, password, personale, pool, users};
            let ctx = registry_ctx(&slug).await?;
            let solo = match dipendente_id.trim() {
                "" => None,
                id => Some(id.parse::<Uuid>().map_err(|_| AppError::NonTrovato)?),
            };
            let mut tx = begin_for(&pool()?, &ctx).await?;
            let candidati = personale::senza_accesso(&mut tx, solo).await?;
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
                match users::add_member(&mut tx, &email, &nome, Role::Dipendente, &one_time).await {
                    Ok(user) => {
                        personale::collega_utente(&mut tx, id, user).await?;
                        out.push(one_time.shown_for(email, crate::model::CodiceTipo::Accesso));
                    }
                    // Already a member of the ente (e.g. with another role): link only.
                    Err(AppError::NonValido(_)) => {
                        let user: Uuid =
                            sqlx::query_scalar("select id from users where email = $1")
                                .bind(&email)
                                .fetch_one(&mut *tx)
                                .await?;
                        personale::collega_utente(&mut tx, id, user).await?;
                    }
                    Err(e) => return Err(e),
                }
            }
            tx.commit().await?;
            Ok(out)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod guard {
    use uuid::Uuid;

    use crate::error::{AppError, AppResult};
    use crate::ssr::{piani, EnteCtx, EnteTx};

    /// The caller may change the staff assigned to this objective.
    pub async fn obiettivo(tx: &mut EnteTx, ctx: &EnteCtx, obiettivo: Uuid) -> AppResult<()> {
        let s = piani::struttura_di(tx, piani::Livello::Obiettivo, obiettivo).await?;
        let c = piani::collocazione_struttura(tx, s).await?;
        if !ctx
            .role
            .can_edit_struttura(c.responsabile_user_id, ctx.caller.user_id)
        {
            return Err(AppError::NonAutorizzato);
        }
        if c.approvato {
            return Err(AppError::NonValido(
                crate::domain::plan::PIANO_APPROVATO.into(),
            ));
        }
        Ok(())
    }

    pub fn peso(raw: &str) -> AppResult<Option<crate::domain::peso::Peso>> {
        match raw.trim() {
            "" => Ok(None),
            p => crate::domain::peso::Peso::parse(p)
                .map(Some)
                .map_err(AppError::NonValido),
        }
    }
}

#[server(endpoint = "personale/assegnazioni")]
pub async fn carica_assegnazioni(slug: String, anno: i32) -> Result<AssegnazioniPiano, AppError> {
    crate::ssr::respond(
        async move {
            use crate::domain::roles::Role;
            use crate::ssr::{begin_for, ente_ctx, personale, piani, pool};
            let ctx = ente_ctx(&slug).await?;
            if ctx.role == Role::Dipendente {
                return Err(AppError::NonAutorizzato);
            }
            let mut tx = begin_for(&pool()?, &ctx).await?;
            let p = piani::load(&mut tx, anno)
                .await?
                .ok_or(AppError::NonTrovato)?;
            let me = ctx.caller.user_id;
            let role = ctx.role;
            let strutture = personale::strutture_view(
                personale::strutture_con_obiettivi(&mut tx, p.id).await?,
                |resp| !p.approvato && role.can_edit_struttura(resp, me),
            );
            let out = AssegnazioniPiano {
                anno,
                approvato: p.approvato,
                dipendenti: personale::nomi(&mut tx).await?,
                strutture,
                righe: personale::assegnazioni(&mut tx, p.id).await?,
            };
            tx.commit().await?;
            Ok(out)
        }
        .await,
    )
}

#[server(endpoint = "personale/assegnazioni/aggiungi")]
pub async fn aggiungi_assegnazione(
    slug: String,
    obiettivo_id: Uuid,
    dipendente_id: Uuid,
    peso: String,
) -> Result<AssegnazioneView, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_for, ente_ctx, personale, pool};
            let ctx = ente_ctx(&slug).await?;
            let peso = guard::peso(&peso)?;
            let mut tx = begin_for(&pool()?, &ctx).await?;
            guard::obiettivo(&mut tx, &ctx, obiettivo_id).await?;
            let a = personale::aggiungi(&mut tx, obiettivo_id, dipendente_id, peso).await?;
            tx.commit().await?;
            Ok(a)
        }
        .await,
    )
}

#[server(endpoint = "personale/assegnazioni/salva")]
pub async fn salva_assegnazione(
    slug: String,
    id: Uuid,
    version: i32,
    peso: String,
) -> Result<i32, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_for, ente_ctx, personale, pool};
            let ctx = ente_ctx(&slug).await?;
            let peso = guard::peso(&peso)?;
            let mut tx = begin_for(&pool()?, &ctx).await?;
            let ob = personale::obiettivo_di(&mut tx, id).await?;
            guard::obiettivo(&mut tx, &ctx, ob).await?;
            let v = personale::aggiorna(&mut tx, id, version, peso).await?;
            tx.commit().await?;
            Ok(v)
        }
        .await,
    )
}

#[server(endpoint = "personale/assegnazioni/elimina")]
pub async fn elimina_assegnazione(slug: String, id: Uuid) -> Result<(), AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_for, ente_ctx, personale, pool};
            let ctx = ente_ctx(&slug).await?;
            let mut tx = begin_for(&pool()?, &ctx).await?;
            let ob = personale::obiettivo_di(&mut tx, id).await?;
            guard::obiettivo(&mut tx, &ctx, ob).await?;
            personale::elimina(&mut tx, id).await?;
            tx.commit().await
        }
        .await,
    )
}

/// The caller's own objectives as an employee, for `anno` (0: the most recent year).
#[server(endpoint = "personale/miei-obiettivi")]
pub async fn carica_miei_obiettivi(slug: String, anno: i32) -> Result<MieiObiettivi, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_for, ente_ctx, personale, pool};
            let ctx = ente_ctx(&slug).await?;
            let me = ctx.caller.user_id;
            let mut tx = begin_for(&pool()?, &ctx).await?;
            let nome = personale::nome_di(&mut tx, me)
                .await?
                .unwrap_or_else(|| ctx.caller.display_name.clone());
            let anni = personale::anni_di(&mut tx, me).await?;
            let anno = if anni.contains(&anno) {
                Some(anno)
            } else {
                anni.first().copied()
            };
            let obiettivi = match anno {
                Some(a) => personale::miei_obiettivi(&mut tx, me, a).await?,
                None => Vec::new(),
            };
            tx.commit().await?;
            Ok(MieiObiettivi {
                nome,
                anni,
                anno,
                obiettivi,
            })
        }
        .await,
    )
}
