//! Platform administration: consultancy firms.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{OneTimePassword, StudioBreve};

#[server(endpoint = "admin/studi")]
pub async fn elenco_studi() -> Result<Vec<StudioBreve>, AppError> {
    use crate::ssr::{porta, studi};
    porta::da_amministratore(async |_, tx| studi::elenco(tx).await).await
}

/// A new firm with its first consultant, who gets a one-time password.
#[server(endpoint = "admin/nuovo-studio")]
pub async fn crea_studio(
    name: String,
    consultant_email: String,
    consultant_name: String,
) -> Result<OneTimePassword, AppError> {
    use crate::domain::validate;
    use crate::ssr::{password, porta, studi, users};
    porta::da_amministratore(async |_, tx| {
        let name = validate::name("Nome dello studio", &name).map_err(AppError::NonValido)?;
        let email = validate::email(&consultant_email).map_err(AppError::NonValido)?;
        let display_name =
            validate::name("Nome e cognome", &consultant_name).map_err(AppError::NonValido)?;
        let one_time = password::OneTime::new().await?;
        let firm = studi::crea(tx, &name).await?;
        users::aggiungi_consulente(tx, firm, &email, &display_name, &one_time).await?;
        Ok(one_time.shown_for(email, crate::model::CodiceTipo::Accesso))
    })
    .await
}
