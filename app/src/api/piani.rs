//! The plan editor's server functions. Every one enters the ente through `porta` (which
//! checks the action), checks the plan is a draft and the caller may edit the struttura
//! concerned, then saves over the version the browser started from (a newer one is a
//! conflict, never overwritten).

// A server function's arguments are the fields of its form.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::modulo::Casella;
use crate::domain::plan::{Livello, Partenza};
use crate::error::AppError;
use crate::model::{PianoBreve, PianoView, RigaView};

#[cfg(feature = "ssr")]
pub(crate) mod guard {
    use uuid::Uuid;

    use super::Livello;
    use crate::error::{AppError, AppResult};
    use crate::model::PianoView;
    use crate::ssr::piani;
    use crate::ssr::{EnteCtx, EnteTx};

    pub const APPROVATO: &str = crate::domain::plan::PIANO_APPROVATO;

    /// The caller may change this struttura (and its rows) now: it is theirs to edit, and
    /// its plan is a draft.
    pub async fn struttura(tx: &mut EnteTx, ctx: &EnteCtx, id: Uuid) -> AppResult<()> {
        let c = piani::collocazione_struttura(tx, id).await?;
        if !ctx
            .role
            .puo_sulla_struttura(c.responsabile_user_id, ctx.caller.user_id)
        {
            return Err(AppError::NonAutorizzato);
        }
        if c.approvato {
            return Err(AppError::NonValido(APPROVATO.into()));
        }
        Ok(())
    }

    /// The caller may change the objective or phase `id` (of kind `livello`) now.
    pub async fn riga(tx: &mut EnteTx, ctx: &EnteCtx, livello: Livello, id: Uuid) -> AppResult<()> {
        let s = piani::struttura_di(tx, livello, id).await?;
        struttura(tx, ctx, s).await
    }

    /// The plan of `anno`.
    pub async fn piano(tx: &mut EnteTx, anno: i32) -> AppResult<PianoView> {
        piani::carica(tx, anno).await?.ok_or(AppError::NonTrovato)
    }

    /// The plan of `anno` as it is in force: during a rimodulazione, its last approved
    /// version (the draft becomes current only with its delibera).
    pub async fn in_vigore(tx: &mut EnteTx, anno: i32) -> AppResult<PianoView> {
        let p = piano(tx, anno).await?;
        vigente(tx, p).await
    }

    /// `in_vigore` of the plan `p`, as read now.
    pub async fn vigente(tx: &mut EnteTx, p: PianoView) -> AppResult<PianoView> {
        use crate::ssr::versioni;
        if p.rimodulazione.is_some() {
            if let Some(n) = versioni::ultima(tx, p.id).await? {
                return versioni::carica(tx, p.id, n).await;
            }
        }
        Ok(p)
    }

    /// The plan page's plan, for the caller: their permissions, the attachment's state and
    /// the lights. `documento`: the page is rendered on the server, and a plan nobody there
    /// may edit comes as its document (`documento::pronto`), a kept one without copying it.
    pub async fn pagina(
        tx: &mut EnteTx,
        ctx: &EnteCtx,
        anno: i32,
        documento: bool,
    ) -> AppResult<PianoView> {
        use crate::domain::permessi::Azione;
        use crate::pages::piano::documento as doc;
        use crate::ssr::monitoraggio;
        // With the plan, in the same statement, its archive of signed copies and, approved,
        // its progress at the checkpoints.
        let (letto, accanto) =
            (piani::leggi_pagina(tx, anno).await?).ok_or(AppError::NonTrovato)?;
        // The attachment's section, read here for the page (one door less): of the plan as
        // it is now, a draft during a rimodulazione.
        let allegato =
            crate::ssr::allegato::stato_con(tx, ctx, letto.approvato(), accanto.firmati).await?;
        let luci = accanto.luci;
        let editore = ctx.role.puo(Azione::ModificarePiano);
        let salva_modelli = ctx.role.puo(Azione::ScrivereLibreria) && ctx.caller.firm_id.is_some();
        let letto = match letto {
            // Kept means approved: nobody edits it, and no rimodulazione is under way.
            piani::Letto::Conservato(c) if documento && !salva_modelli => {
                // Approved now: its lights were read with it, or kept.
                let luci = monitoraggio::luci(tx, c.contenuto(), luci).await?;
                let mut p = c.testa();
                p.allegato = Some(allegato);
                p.modificabile = false;
                p.approvabile_da_me = editore;
                p.salva_modelli = false;
                return Ok(doc::pronto_conservato(p, c, luci));
            }
            l => l,
        };
        // Those who take part in a rimodulazione see its draft; the others (the Nucleo) the
        // version in force until the new one is approved.
        let mut p = letto.intero();
        if !ctx.role.puo(Azione::ModificareStruttura) {
            p = vigente(tx, p).await?;
        }
        p.allegato = Some(allegato);
        // Only a draft's editors link a struttura to an account.
        if editore && !p.approvato {
            p.responsabili = piani::responsabili(tx).await?;
        }
        p.modificabile = !p.approvato && editore;
        p.approvabile_da_me = editore;
        p.salva_modelli = salva_modelli;
        let me = ctx.caller.user_id;
        for s in &mut p.strutture {
            s.modificabile =
                !p.approvato && ctx.role.puo_sulla_struttura(s.responsabile_user_id, me);
        }
        // The lights read with the plan are of the plan approved now; the version in force
        // during a rimodulazione reads its own.
        if p.approvato {
            p.luci = monitoraggio::luci(tx, &p, luci).await?;
        }
        Ok(if documento { doc::pronto(p) } else { p })
    }

    /// The plan of `anno`, which must be a draft.
    pub async fn bozza(tx: &mut EnteTx, anno: i32) -> AppResult<PianoView> {
        let p = piano(tx, anno).await?;
        if p.approvato {
            return Err(AppError::NonValido(APPROVATO.into()));
        }
        Ok(p)
    }

    pub fn testo(campo: &str, s: String, max: usize) -> AppResult<String> {
        if s.chars().count() > max {
            Err(AppError::NonValido(format!(
                "Il testo di «{campo}» è troppo lungo: al massimo {max} caratteri."
            )))
        } else {
            Ok(s)
        }
    }
}

#[server(endpoint = "piani/elenco")]
pub async fn elenco_piani(slug: String) -> Result<(Vec<PianoBreve>, bool), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        Ok((
            piani::elenco(tx).await?,
            ctx.role.puo(Azione::ModificarePiano),
        ))
    })
    .await
}

/// A new plan for `anno`, from the reference document or empty. Returns the year.
#[server(endpoint = "piani/crea")]
pub async fn crea_piano(slug: String, anno: String, modello: Partenza) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta, users};
    porta::in_ente(&slug, Azione::ModificarePiano, async |_, tx| {
        let anno: i32 = anno
            .trim()
            .parse()
            .ok()
            .filter(|a| (2000..=2100).contains(a))
            .ok_or_else(|| AppError::NonValido("Indica l'annualità, ad esempio 2022.".into()))?;
        piani::crea(tx, anno, modello == Partenza::Riferimento).await?;
        users::audit(
            tx,
            "piano_creato",
            serde_json::json!({ "anno": anno, "modello": modello.db() }),
        )
        .await?;
        Ok(anno)
    })
    .await
}

#[server(endpoint = "piani/carica")]
pub async fn carica_piano(slug: String, anno: i32) -> Result<PianoView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::porta;
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        guard::pagina(tx, ctx, anno, false).await
    })
    .await
}

#[server(endpoint = "piani/salva")]
pub async fn salva_piano(
    slug: String,
    anno: i32,
    version: i32,
    regolamento: String,
    riferimenti_normativi: String,
    programmazione_strategica: String,
    territorio: String,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificarePiano, async |_, tx| {
        let p = guard::bozza(tx, anno).await?;
        let input = piani::PianoInput {
            regolamento: guard::testo("Regolamento", regolamento, 1000)?,
            riferimenti_normativi: guard::testo(
                "Riferimenti normativi",
                riferimenti_normativi,
                100_000,
            )?,
            programmazione_strategica: guard::testo(
                "Programmazione strategica",
                programmazione_strategica,
                100_000,
            )?,
            territorio: guard::testo("Territorio e struttura organizzativa", territorio, 100_000)?,
        };
        piani::salva_piano(tx, p.id, version, &input).await
    })
    .await
}

#[server(endpoint = "piani/struttura/salva")]
pub async fn salva_struttura(
    slug: String,
    id: Uuid,
    version: i32,
    nome: String,
    responsabile_titolo: String,
    responsabile_nome: String,
    responsabile_user_id: String,
    linea_strategica: String,
    obiettivo_strategico: String,
    missioni: String,
    obiettivo_operativo: String,
) -> Result<i32, AppError> {
    use crate::domain::missioni::nome as missione;
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificareStruttura, async |ctx, tx| {
        guard::struttura(tx, ctx, id).await?;
        let missioni: Vec<String> = missioni
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(|m| {
                missione(m)
                    .map(|_| m.to_string())
                    .ok_or_else(|| AppError::NonValido(format!("Missione «{m}» sconosciuta.")))
            })
            .collect::<Result<_, _>>()?;
        let responsabile_user_id = match responsabile_user_id.trim() {
            "" => None,
            id => {
                let id: Uuid = id
                    .parse()
                    .map_err(|_| AppError::NonValido("Responsabile non valido.".into()))?;
                // Only a responsabile of this ente; and only admins may change who it is.
                if !piani::responsabili(tx).await?.iter().any(|(u, _)| *u == id) {
                    return Err(AppError::NonValido(
                        "Il responsabile scelto non è un responsabile di questo ente.".into(),
                    ));
                }
                Some(id)
            }
        };
        let before = piani::collocazione_struttura(tx, id).await?;
        if before.responsabile_user_id != responsabile_user_id {
            ctx.puo(Azione::ModificarePiano)?;
        }
        let input = piani::StrutturaInput {
            nome: guard::testo("Struttura", nome, 500)?,
            responsabile_titolo: guard::testo("Titolo del responsabile", responsabile_titolo, 100)?,
            responsabile_nome: guard::testo("Responsabile", responsabile_nome, 200)?,
            responsabile_user_id,
            linea_strategica: guard::testo("Linea strategica", linea_strategica, 5000)?,
            obiettivo_strategico: guard::testo("Obiettivo strategico", obiettivo_strategico, 5000)?,
            missioni,
            obiettivo_operativo: guard::testo("Obiettivo operativo", obiettivo_operativo, 5000)?,
        };
        piani::salva_struttura(tx, id, version, &input).await
    })
    .await
}

#[server(endpoint = "piani/riga/salva")]
pub async fn salva_riga(
    slug: String,
    livello: Livello,
    id: Uuid,
    version: i32,
    descrizione: String,
    peso: String,
    indicatori: String,
    valori_attesi: String,
    data_fine: String,
    #[server(default)] data_confermata: Casella,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::peso::Peso;
    use crate::domain::plan::parse_data;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificareStruttura, async |ctx, tx| {
        guard::riga(tx, ctx, livello, id).await?;
        let input = piani::RigaInput {
            descrizione: guard::testo("Descrizione", descrizione.trim().to_string(), 10_000)?,
            peso: Peso::parse_opzionale(&peso).map_err(AppError::NonValido)?,
            indicatori: guard::testo("Indicatori", indicatori, 10_000)?,
            valori_attesi: guard::testo("Valori attesi", valori_attesi, 10_000)?,
            data_fine: parse_data(&data_fine).map_err(AppError::NonValido)?,
            data_confermata: data_confermata.0,
        };
        piani::salva_riga(tx, livello, id, version, &input).await
    })
    .await
}

/// The row as it is now in the database (after a conflict).
#[server(endpoint = "piani/riga/attuale")]
pub async fn riga_attuale(slug: String, livello: Livello, id: Uuid) -> Result<RigaView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::LeggerePiano, async |_, tx| {
        piani::riga(tx, livello, id).await
    })
    .await
}

/// A new objective at the end of a struttura (`parent` = struttura) or a new phase at the
/// end of an objective (`parent` = objective).
#[server(endpoint = "piani/riga/aggiungi")]
pub async fn aggiungi_riga(
    slug: String,
    livello: Livello,
    parent: Uuid,
) -> Result<RigaView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificareStruttura, async |ctx, tx| {
        let (struttura, data) = match livello {
            Livello::Obiettivo => (parent, None),
            Livello::Fase => {
                let ob = piani::riga(tx, Livello::Obiettivo, parent).await?;
                (
                    piani::struttura_di(tx, Livello::Obiettivo, parent).await?,
                    ob.campi.data_fine,
                )
            }
        };
        guard::struttura(tx, ctx, struttura).await?;
        piani::aggiungi_riga(tx, livello, parent, data).await
    })
    .await
}

#[server(endpoint = "piani/riga/elimina")]
pub async fn elimina_riga(
    slug: String,
    livello: Livello,
    id: Uuid,
    version: i32,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificareStruttura, async |ctx, tx| {
        guard::riga(tx, ctx, livello, id).await?;
        piani::elimina_riga(tx, livello, id, version).await
    })
    .await
}

#[server(endpoint = "piani/riga/sposta")]
pub async fn sposta_riga(
    slug: String,
    livello: Livello,
    id: Uuid,
    su: bool,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificareStruttura, async |ctx, tx| {
        guard::riga(tx, ctx, livello, id).await?;
        piani::sposta_riga(tx, livello, id, su).await
    })
    .await
}

#[server(endpoint = "piani/struttura/aggiungi")]
pub async fn aggiungi_struttura(slug: String, anno: i32) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificarePiano, async |_, tx| {
        let p = guard::bozza(tx, anno).await?;
        piani::aggiungi_struttura(tx, p.id).await?;
        Ok(())
    })
    .await
}

/// Moves a struttura one place up or down in the plan (whole-plan editors only).
#[server(endpoint = "piani/struttura/sposta")]
pub async fn sposta_struttura(slug: String, id: Uuid, su: bool) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificarePiano, async |ctx, tx| {
        guard::struttura(tx, ctx, id).await?;
        piani::sposta_struttura(tx, id, su).await
    })
    .await
}

#[server(endpoint = "piani/struttura/elimina")]
pub async fn elimina_struttura(slug: String, id: Uuid) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::ModificarePiano, async |ctx, tx| {
        guard::struttura(tx, ctx, id).await?;
        piani::elimina_struttura(tx, id).await
    })
    .await
}

/// Approves the plan with the Giunta's delibera: only when every rule holds.
#[server(endpoint = "piani/approva")]
pub async fn approva_piano(
    slug: String,
    anno: i32,
    delibera_numero: String,
    delibera_data: String,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::plan::{parse_data, violazioni};
    use crate::ssr::{piani, porta, users};
    porta::in_ente(&slug, Azione::ModificarePiano, async |_, tx| {
        // Before validating: no edit lands between the check and the approval.
        piani::blocca(tx, anno).await?;
        let p = guard::piano(tx, anno).await?;
        if p.approvato {
            return Err(AppError::NonValido("Il piano è già approvato.".into()));
        }
        let numero = delibera_numero.trim();
        if numero.is_empty() || numero.chars().count() > 50 {
            return Err(AppError::NonValido(
                "Indica il numero della delibera di Giunta.".into(),
            ));
        }
        let data = parse_data(&delibera_data)
            .map_err(AppError::NonValido)?
            .ok_or_else(|| {
                AppError::NonValido("Indica la data della delibera di Giunta.".into())
            })?;
        // A rimodulazione (a plan approved before) is the year's PEG change: by 15 December.
        if !crate::ssr::versioni::elenco(tx, p.id).await?.is_empty() {
            crate::domain::versioni::controlla_delibera(anno, data).map_err(AppError::NonValido)?;
        }
        let mut v: Vec<String> = violazioni(&p.doc())
            .into_iter()
            .map(|v| v.messaggio)
            .collect();
        let pesi = crate::ssr::personale::pesi_per_regola(tx, p.id).await?;
        v.extend(
            crate::domain::personale::incompleti(&pesi)
                .into_iter()
                .map(|d| d.messaggio),
        );
        if let Some(first) = v.first() {
            return Err(AppError::NonValido(format!(
                "Il piano non può essere approvato: {} {} da risolvere. Il primo: {}",
                v.len(),
                if v.len() == 1 { "problema" } else { "problemi" },
                first
            )));
        }
        piani::imposta_stato(tx, p.id, true, Some((numero, data))).await?;
        // The final PDF is made once, now: downloads serve it as it is.
        crate::ssr::allegato::produci_finale(tx, anno).await?;
        // …and the version is kept as approved, readable whatever changes after.
        let approvato = guard::piano(tx, anno).await?;
        crate::ssr::versioni::registra(tx, &approvato).await?;
        users::audit(
            tx,
            "piano_approvato",
            serde_json::json!({ "anno": anno, "delibera": numero, "data": data }),
        )
        .await
    })
    .await
}

/// Back to draft: an explicit, recorded act of the ente's administrators.
#[server(endpoint = "piani/riapri")]
pub async fn riapri_piano(slug: String, anno: i32) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta, users};
    porta::in_ente(&slug, Azione::ModificarePiano, async |_, tx| {
        let p = guard::piano(tx, anno).await?;
        if !p.approvato {
            return Err(AppError::NonValido("Il piano è già una bozza.".into()));
        }
        piani::imposta_stato(tx, p.id, false, None).await?;
        users::audit(
            tx,
            "piano_riaperto",
            serde_json::json!({ "anno": anno, "delibera": p.delibera_numero, "data": p.delibera_data }),
        )
        .await
    })
    .await
}
