//! A consultancy firm's own work: its enti and its consultants.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Consultant, OneTimePassword};

#[cfg(feature = "ssr")]
fn firm_of_caller() -> Result<(crate::ssr::Caller, uuid::Uuid), AppError> {
    let caller = crate::ssr::caller()?;
    let firm = caller.firm_id.ok_or(AppError::NonAutorizzato)?;
    Ok((caller, firm))
}

#[server(endpoint = "studio/consulenti")]
pub async fn list_consultants() -> Result<Vec<Consultant>, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_user, pool, users};
            let (caller, firm) = firm_of_caller()?;
            let mut tx = begin_user(&pool()?, &caller).await?;
            let list = users::consultants(&mut tx, firm).await?;
            tx.commit().await?;
            Ok(list)
        }
        .await,
    )
}

#[server(endpoint = "studio/nuovo-consulente")]
pub async fn create_consultant(
    email: String,
    display_name: String,
) -> Result<OneTimePassword, AppError> {
    crate::ssr::respond(
        async move {
            use crate::domain::validate;
            use crate::ssr::{begin_user, password, pool, users};
            let (caller, firm) = firm_of_caller()?;
            let email = validate::email(&email).map_err(AppError::NonValido)?;
            let display_name =
                validate::name("Nome e cognome", &display_name).map_err(AppError::NonValido)?;
            let one_time = password::OneTime::new().await?;
            let mut tx = begin_user(&pool()?, &caller).await?;
            users::add_consultant(&mut tx, firm, &email, &display_name, &one_time).await?;
            tx.commit().await?;
            Ok(one_time.shown_for(email, crate::model::CodiceTipo::Accesso))
        }
        .await,
    )
}

/// A new ente managed by the caller's firm. Returns its slug.
#[server(endpoint = "studio/nuovo-ente")]
pub async fn create_ente(
    name: String,
    provincia: String,
    codice_istat: String,
    codice_ipa: String,
) -> Result<String, AppError> {
    crate::ssr::respond(
        async move {
            use crate::domain::validate;
            use crate::ssr::{begin_user, enti, pool};
            let (caller, firm) = firm_of_caller()?;
            let name = validate::name("Denominazione", &name).map_err(AppError::NonValido)?;
            let slug = validate::slug_from_name(&name);
            if slug.is_empty() {
                return Err(AppError::NonValido(
                    "La denominazione deve contenere lettere o cifre.".into(),
                ));
            }
            let optional = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
            let (istat, ipa) = (optional(&codice_istat), optional(&codice_ipa));
            let mut tx = begin_user(&pool()?, &caller).await?;
            enti::create(
                &mut tx,
                enti::NewEnte {
                    firm_id: firm,
                    name: &name,
                    provincia: provincia.trim(),
                    slug: &slug,
                    codice_istat: istat.as_deref(),
                    codice_ipa: ipa.as_deref(),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(slug)
        }
        .await,
    )
}

/// Whether the firm asks the second factor of all its consultants.
#[server(endpoint = "studio/2fa")]
pub async fn studio_richiede_2fa() -> Result<bool, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_user, firms, pool};
            let (caller, firm) = firm_of_caller()?;
            let mut tx = begin_user(&pool()?, &caller).await?;
            let r = firms::richiede_2fa(&mut tx, firm).await?;
            tx.commit().await?;
            Ok(r)
        }
        .await,
    )
}

/// Asks (or stops asking) the second factor of all the firm's consultants: from their next
/// request, those without it may only set it up. Recorded in the access log.
#[server(endpoint = "studio/richiedi-2fa")]
pub async fn studio_richiedi_2fa(richiesto: Option<String>) -> Result<(), AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_user, firms, pool, registro};
            let (caller, firm) = firm_of_caller()?;
            let richiesto = richiesto.is_some();
            let pool = pool()?;
            let mut tx = begin_user(&pool, &caller).await?;
            firms::richiedi_2fa(&mut tx, firm, caller.user_id, richiesto).await?;
            tx.commit().await?;
            registro::registra_accesso(
                &pool,
                Some(caller.user_id),
                &caller.email,
                if richiesto {
                    "2fa_studio_richiesta"
                } else {
                    "2fa_studio_non_richiesta"
                },
                None,
            )
            .await
        }
        .await,
    )
}
