//! Who is signed in, and what the login page must show after a failed attempt.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The name shown in the header, or `None` when nobody is signed in.
#[server(endpoint = "sessione/utente")]
pub async fn whoami() -> Result<Option<(String, String)>, AppError> {
    crate::ssr::respond(
        async move { Ok(crate::ssr::caller().ok().map(|c| (c.display_name, c.email))) }.await,
    )
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoginFlash {
    pub error: Option<String>,
    pub email: String,
}

/// Session keys of the login flash (set by the POST /login handler, read once here).
pub const FLASH_ERROR: &str = "login_error";
pub const FLASH_EMAIL: &str = "login_email";

#[server(endpoint = "sessione/stato-accesso")]
pub async fn login_state() -> Result<LoginFlash, AppError> {
    crate::ssr::respond(
        async move {
            let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await else {
                return Ok(LoginFlash::default());
            };
            let error = session.remove::<String>(FLASH_ERROR).await.ok().flatten();
            let email = session
                .remove::<String>(FLASH_EMAIL)
                .await
                .ok()
                .flatten()
                .unwrap_or_default();
            Ok(LoginFlash { error, email })
        }
        .await,
    )
}
