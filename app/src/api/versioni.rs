//! The versions of a plan: the list with their delibere, one version as it was approved,
//! the changes between two versions (or between a version and the draft of a rimodulazione
//! under way), and starting a rimodulazione. A version's PDF is a plain GET
//! (`/e/{slug}/piani/{anno}/versioni/{n}/allegato.pdf`).

use leptos::prelude::*;

use crate::domain::versioni::Modifica;
use crate::error::AppError;
use crate::model::{PianoView, VersioniPiano};

#[server(endpoint = "versioni/elenco")]
pub async fn elenco_versioni(slug: String, anno: i32) -> Result<VersioniPiano, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, versioni};
    porta::in_ente(&slug, Azione::LeggerePiano, async |_, tx| {
        let p = crate::api::piani::guard::piano(tx, anno).await?;
        Ok(VersioniPiano {
            anno,
            versioni: versioni::elenco(tx, p.id).await?,
            proposte: crate::ssr::monitoraggio::proposte(tx, p.id).await?,
            ente_nome: p.ente_nome,
            approvato: p.approvato,
            rimodulazione: p.rimodulazione,
        })
    })
    .await
}

/// Version `numero` of the plan of `anno`, as approved.
#[server(endpoint = "versioni/carica")]
pub async fn carica_versione(slug: String, anno: i32, numero: i32) -> Result<PianoView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, versioni};
    porta::in_ente(&slug, Azione::LeggerePiano, async |_, tx| {
        let p = crate::api::piani::guard::piano(tx, anno).await?;
        versioni::carica(tx, p.id, numero).await
    })
    .await
}

/// What changed from version `da` to version `a`; `a` = 0 is the plan as it is now (the
/// draft of a rimodulazione under way).
#[server(endpoint = "versioni/confronta")]
pub async fn confronta_versioni(
    slug: String,
    anno: i32,
    da: i32,
    a: i32,
) -> Result<Vec<Modifica>, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, versioni};
    porta::in_ente(&slug, Azione::LeggerePiano, async |_, tx| {
        let p = crate::api::piani::guard::piano(tx, anno).await?;
        let prima = versioni::carica(tx, p.id, da).await?;
        let dopo = if a == 0 {
            p
        } else {
            versioni::carica(tx, p.id, a).await?
        };
        Ok(crate::domain::versioni::differenze(&prima, &dopo))
    })
    .await
}

/// Starts a rimodulazione of the approved plan: it becomes a draft again, the approved
/// version stays readable as it was, and the changes become current with the Giunta's new
/// delibera (dated by 15 December).
#[server(endpoint = "piani/rimodula")]
pub async fn avvia_rimodulazione(slug: String, anno: i32, motivo: String) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, users, versioni};
    porta::in_ente(&slug, Azione::ModificarePiano, async |_, tx| {
        let p = crate::api::piani::guard::piano(tx, anno).await?;
        if !p.approvato {
            return Err(AppError::NonValido(
                "Si rimodula un piano approvato: questo è ancora una bozza.".into(),
            ));
        }
        let motivo = crate::api::piani::guard::testo("Motivo", motivo, 2000)?;
        if motivo.trim().is_empty() {
            return Err(AppError::NonValido(
                "Scrivi il motivo della rimodulazione: resta con la nuova versione.".into(),
            ));
        }
        // A plan approved before versions were kept gets its version now, as approved.
        let numero = versioni::registra(tx, &p).await?;
        versioni::avvia(tx, p.id, motivo.trim()).await?;
        users::audit(
            tx,
            "rimodulazione_avviata",
            serde_json::json!({ "anno": anno, "da_versione": numero, "motivo": motivo.trim() }),
        )
        .await
    })
    .await
}
