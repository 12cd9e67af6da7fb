//! Platform administration: consultancy firms.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{FirmSummary, OneTimePassword};

#[cfg(feature = "ssr")]
fn platform_admin() -> Result<crate::ssr::Caller, AppError> {
    let caller = crate::ssr::caller()?;
    if caller.is_platform_admin {
        Ok(caller)
    } else {
        Err(AppError::NonAutorizzato)
    }
}

#[server(endpoint = "admin/studi")]
pub async fn list_firms() -> Result<Vec<FirmSummary>, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_user, firms, pool};
            let caller = platform_admin()?;
            let mut tx = begin_user(&pool()?, &caller).await?;
            let list = firms::list(&mut tx).await?;
            tx.commit().await?;
            Ok(list)
        }
        .await,
    )
}

/// A new firm with its first consultant, who gets a one-time password.
#[server(endpoint = "admin/nuovo-studio")]
pub async fn create_firm(
    name: String,
    consultant_email: String,
    consultant_name: String,
) -> Result<OneTimePassword, AppError> {
    crate::ssr::respond(
        async move {
            use crate::domain::validate;
            use crate::ssr::{begin_user, firms, password, pool, users};
            let caller = platform_admin()?;
            let name = validate::name("Nome dello studio", &name).map_err(AppError::NonValido)?;
            let email = validate::email(&consultant_email).map_err(AppError::NonValido)?;
            let display_name =
                validate::name("Nome e cognome", &consultant_name).map_err(AppError::NonValido)?;
            let one_time = password::OneTime::new().await?;
            let mut tx = begin_user(&pool()?, &caller).await?;
            let firm = firms::create(&mut tx, &name).await?;
            users::add_consultant(&mut tx, firm, &email, &display_name, &one_time).await?;
            tx.commit().await?;
            Ok(one_time.shown_for(email, crate::model::CodiceTipo::Accesso))
        }
        .await,
    )
}
