//! The activity log of an ente (its admins and its firm's consultants) and the access log
//! (platform administrators).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{VoceAccesso, VoceRegistro};

/// «Registro attività»: what was done in the ente, by whom, newest first.
#[server(endpoint = "ente/registro")]
pub async fn registro_attivita(slug: String) -> Result<Vec<VoceRegistro>, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, registro};
    porta::in_ente(&slug, Azione::GestireUtenti, async |_, tx| {
        registro::attivita(tx).await
    })
    .await
}

/// «Accessi recenti»: logins, failures and credential changes of every account.
#[server(endpoint = "admin/accessi")]
pub async fn registro_accessi() -> Result<Vec<VoceAccesso>, AppError> {
    use crate::ssr::{porta, registro};
    porta::da_amministratore(async |_, tx| registro::accessi(tx).await).await
}
