//! Closing the year: the year-end record on the final checkpoint (31/12), scored with the
//! ente's SMVP profile version kept for the year. Ente admins and consultants start it,
//! choose each objective's method and move to a newer profile while the record is open;
//! each responsabile measures the indicators of their own strutture; the Nucleo overrides
//! a score or marks it not evaluable, always with its reason. Every function enters the
//! ente through `porta` with its action, and checks that what it names belongs to the plan
//! of the year it was called for.

// A server function's arguments are the fields of its form.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::modulo::Casella;
use crate::error::AppError;
use crate::model::ChiusuraView;

#[cfg(feature = "ssr")]
mod guard {
    use uuid::Uuid;

    use crate::error::{AppError, AppResult};
    use crate::model::PianoView;
    use crate::ssr::monitoraggio::{self as m, Testata};
    use crate::ssr::{chiusura, EnteTx};

    /// The plan of `anno` in force, and its year-end: its final checkpoint and profile.
    pub async fn avviata(tx: &mut EnteTx, anno: i32) -> AppResult<(PianoView, Testata, i32)> {
        let p = crate::api::monitoraggio::guard::approvato(tx, anno).await?;
        let (mid, profilo) = chiusura::testata(tx, p.id).await?.ok_or_else(|| {
            AppError::NonValido("La chiusura dell'anno non è ancora stata avviata.".into())
        })?;
        let t = m::testata(tx, anno, mid).await?;
        Ok((p, t, profilo))
    }

    /// `avviata`, with the final record still open.
    pub async fn aperta(tx: &mut EnteTx, anno: i32) -> AppResult<(PianoView, Testata, i32)> {
        let (p, t, profilo) = non_adottata(tx, anno).await?;
        if t.chiuso_il.is_some() {
            return Err(AppError::NonValido(m::CHIUSO.into()));
        }
        Ok((p, t, profilo))
    }

    /// `avviata`, before the Relazione is adopted (then the results are frozen).
    pub async fn non_adottata(tx: &mut EnteTx, anno: i32) -> AppResult<(PianoView, Testata, i32)> {
        let (p, t, profilo) = avviata(tx, anno).await?;
        if chiusura::relazione_adottata(tx, p.id).await? {
            return Err(AppError::NonValido(chiusura::CONGELATA.into()));
        }
        Ok((p, t, profilo))
    }

    /// The objective `id` belongs to the plan `p`.
    pub fn obiettivo(p: &PianoView, id: Uuid) -> AppResult<()> {
        p.strutture
            .iter()
            .flat_map(|s| &s.obiettivi)
            .any(|o| o.id == id)
            .then_some(())
            .ok_or(AppError::NonTrovato)
    }
}

/// The year-end of the plan of `anno`: each objective's, struttura's and the ente's result.
#[server(endpoint = "chiusura")]
pub async fn chiusura_anno(slug: String, anno: i32) -> Result<ChiusuraView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{chiusura, porta};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        chiusura::carica(tx, ctx, anno).await
    })
    .await
}

/// Starts the year-end: the final checkpoint at 31/12 (added unless there is one), scored
/// with the ente's newest profile version (the defaults when it has none). Again: nothing.
#[server(endpoint = "chiusura/avvia")]
pub async fn avvia_chiusura(slug: String, anno: i32) -> Result<(), AppError> {
    use crate::domain::monitoraggio::Scadenze;
    use crate::domain::permessi::Azione;
    use crate::ssr::{chiusura, monitoraggio as m, porta, smvp, users};
    porta::in_ente(&slug, Azione::ImpostareValutazione, async |ctx, tx| {
        let p = crate::api::monitoraggio::guard::approvato(tx, anno).await?;
        if chiusura::testata(tx, p.id).await?.is_some() {
            return Ok(());
        }
        let fine = chrono::NaiveDate::from_ymd_opt(anno, 12, 31).ok_or(AppError::NonTrovato)?;
        let esistente = m::elenco(tx, p.id)
            .await?
            .into_iter()
            .find(|x| x.scadenze.riferimento == fine)
            .map(|x| x.id);
        let mid = match esistente {
            Some(id) => id,
            None => crate::api::monitoraggio::guard::crea(tx, anno, &Scadenze::da(fine)).await?,
        };
        let profilo =
            smvp::corrente_o_predefinito(tx, ctx.ente_id, Some(ctx.caller.user_id)).await?;
        chiusura::avvia(tx, p.id, mid, profilo).await?;
        users::audit(
            tx,
            "chiusura_avviata",
            serde_json::json!({ "anno": anno, "profilo": profilo }),
        )
        .await
    })
    .await
}

/// Scores the year with the ente's newest profile version, while the final record is open.
#[server(endpoint = "chiusura/profilo")]
pub async fn usa_profilo_recente(slug: String, anno: i32) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{chiusura, porta, smvp, users};
    porta::in_ente(&slug, Azione::ImpostareValutazione, async |ctx, tx| {
        let (p, _, _) = guard::aperta(tx, anno).await?;
        let n = smvp::ultima_ente(tx, ctx.ente_id).await?;
        chiusura::usa_profilo(tx, p.id, n).await?;
        users::audit(
            tx,
            "chiusura_profilo",
            serde_json::json!({ "anno": anno, "profilo": n }),
        )
        .await?;
        Ok(n)
    })
    .await
}

/// An objective's method, over the version the page started from (0: the default so far).
#[server(endpoint = "chiusura/metodo")]
pub async fn metodo_obiettivo(
    slug: String,
    anno: i32,
    obiettivo_id: Uuid,
    version: i32,
    metodo: String,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::smvp::Metodo;
    use crate::ssr::{chiusura, porta};
    porta::in_ente(&slug, Azione::ImpostareValutazione, async |_, tx| {
        let (p, t, _) = guard::aperta(tx, anno).await?;
        guard::obiettivo(&p, obiettivo_id)?;
        let metodo = Metodo::da_codice(metodo.trim())
            .ok_or_else(|| AppError::NonValido("Scegli il metodo dall'elenco.".into()))?;
        chiusura::salva_metodo(tx, t.id, obiettivo_id, version, metodo).await
    })
    .await
}

/// Adds (`misura_id` empty) or updates an indicator of an objective of the caller's own
/// struttura, while its year-end record is open.
#[server(endpoint = "chiusura/misura")]
pub async fn salva_misura(
    slug: String,
    anno: i32,
    obiettivo_id: Uuid,
    #[server(default)] misura_id: String,
    version: i32,
    descrizione: String,
    tipo: String,
    #[server(default)] decrescente: Casella,
    #[server(default)] atteso: String,
    #[server(default)] effettivo: String,
    #[server(default)] realizzato: String,
    #[server(default)] atteso_data: String,
    #[server(default)] effettivo_data: String,
    #[server(default)] fonte: String,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::smvp::Misura;
    use crate::ssr::{chiusura, porta};
    let misura_id: Option<Uuid> = match misura_id.trim() {
        "" => None,
        m => Some(m.parse().map_err(|_| AppError::NonTrovato)?),
    };
    porta::in_ente(&slug, Azione::CompilareMonitoraggio, async |ctx, tx| {
        let (_, t, _) = guard::aperta(tx, anno).await?;
        crate::api::monitoraggio::guard::compilabile(tx, ctx, &t, obiettivo_id, None).await?;
        if let Some(id) = misura_id {
            if chiusura::obiettivo_della_misura(tx, t.id, id).await? != obiettivo_id {
                return Err(AppError::NonTrovato);
            }
        }
        let descrizione = crate::api::piani::guard::testo("Indicatore", descrizione, 500)?;
        if descrizione.trim().is_empty() {
            return Err(AppError::NonValido(
                "Scrivi il nome dell'indicatore.".into(),
            ));
        }
        let m = Misura::da_modulo(
            &tipo,
            decrescente.0,
            &atteso,
            &effettivo,
            &realizzato,
            &atteso_data,
            &effettivo_data,
        )
        .map_err(AppError::NonValido)?;
        let fonte = crate::api::piani::guard::testo("Fonte", fonte, 500)?;
        chiusura::salva_misura(
            tx,
            t.id,
            obiettivo_id,
            misura_id,
            version,
            descrizione.trim(),
            &m,
            &fonte,
        )
        .await
    })
    .await
}

/// Removes an indicator of an objective of the caller's own struttura.
#[server(endpoint = "chiusura/misura/elimina")]
pub async fn elimina_misura(
    slug: String,
    anno: i32,
    misura_id: Uuid,
    version: i32,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{chiusura, porta};
    porta::in_ente(&slug, Azione::CompilareMonitoraggio, async |ctx, tx| {
        let (_, t, _) = guard::aperta(tx, anno).await?;
        let obiettivo = chiusura::obiettivo_della_misura(tx, t.id, misura_id).await?;
        crate::api::monitoraggio::guard::compilabile(tx, ctx, &t, obiettivo, None).await?;
        chiusura::elimina_misura(tx, t.id, misura_id, version).await
    })
    .await
}

/// The Nucleo's decision on an objective's score: `tipo` "punteggio" (with `punteggio`),
/// "non_valutabile", or "annullata" (back to the computed score); the reason is required.
#[server(endpoint = "chiusura/rettifica")]
pub async fn rettifica_obiettivo(
    slug: String,
    anno: i32,
    obiettivo_id: Uuid,
    tipo: String,
    #[server(default)] punteggio: String,
    motivo: String,
) -> Result<(), AppError> {
    use crate::domain::monitoraggio::Percentuale;
    use crate::domain::permessi::Azione;
    use crate::ssr::{chiusura, porta, users};
    porta::in_ente(&slug, Azione::ValidareRisultati, async |_, tx| {
        let (p, _, _) = guard::non_adottata(tx, anno).await?;
        guard::obiettivo(&p, obiettivo_id)?;
        let motivo = crate::api::piani::guard::testo("Motivazione", motivo, 5000)?;
        if motivo.trim().is_empty() {
            return Err(AppError::NonValido(
                "Scrivi la motivazione: ogni rettifica del Nucleo ne ha una.".into(),
            ));
        }
        let punteggio = match tipo.trim() {
            "punteggio" => Some(
                Percentuale::parse(&punteggio)
                    .map_err(|_| {
                        AppError::NonValido(
                            "Il punteggio rettificato va da 0 a 100, con al massimo due decimali."
                                .into(),
                        )
                    })?
                    .0 as f64
                    / 100.0,
            ),
            "non_valutabile" | "annullata" => None,
            _ => {
                return Err(AppError::NonValido(
                    "Scegli la rettifica dall'elenco.".into(),
                ))
            }
        };
        chiusura::rettifica(
            tx,
            p.id,
            obiettivo_id,
            tipo.trim(),
            punteggio,
            motivo.trim(),
        )
        .await?;
        users::audit(
            tx,
            "rettifica_nucleo",
            serde_json::json!({ "anno": anno, "obiettivo": obiettivo_id, "tipo": tipo.trim() }),
        )
        .await
    })
    .await
}
