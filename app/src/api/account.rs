//! The signed-in user's own account.

use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "account/password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::ssr::respond(
        async move {
            use crate::domain::validate;
            use crate::ssr::{caller, password, pool, users};
            let caller = caller()?;
            let pool = pool()?;
            if new != confirm {
                return Err(AppError::NonValido(
                    "La nuova password e la conferma non coincidono.".into(),
                ));
            }
            validate::password(&new).map_err(AppError::NonValido)?;
            let enti = users::nomi_enti(&pool, caller.user_id).await?;
            let mut contesto: Vec<&str> = vec![&caller.display_name, &caller.email];
            contesto.extend(enti.iter().map(String::as_str));
            password::robusta(&new, &contesto).map_err(AppError::NonValido)?;
            let stored = users::password_hash(&pool, caller.user_id).await?;
            let ok = password::verify_off_thread(current, stored).await?;
            if !ok {
                return Err(AppError::NonValido(
                    "La password attuale non è corretta.".into(),
                ));
            }
            let hash = password::hash_off_thread(new).await?;
            users::set_own_password(&pool, caller.user_id, &hash).await?;
            // Other sessions of this account end (the middleware compares the change time);
            // this one carries on, under a new id, with the new time.
            if let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await {
                let changed = users::password_changed_at(&pool, caller.user_id).await?;
                session.cycle_id().await.map_err(AppError::interno)?;
                session
                    .insert(SESSION_PASSWORD_AT, changed.timestamp_micros())
                    .await
                    .map_err(AppError::interno)?;
            }
            Ok(())
        }
        .await,
    )
}

/// Joins the enti or the firm whose invitation code this is. Returns their names.
#[server(endpoint = "account/accetta-invito")]
pub async fn accetta_invito(codice: String) -> Result<Vec<String>, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{caller, password, pool, users};
            let caller = caller()?;
            let codice = codice.trim();
            if codice.is_empty() || codice.len() > 64 {
                return Err(AppError::NonValido("Inserisci il codice di invito.".into()));
            }
            let mut tx = pool()?.begin().await?;
            let joined =
                users::accetta_inviti(&mut tx, caller.user_id, &password::digest_codice(codice))
                    .await?;
            tx.commit().await?;
            if joined.is_empty() {
                return Err(AppError::NonValido(
                    "Codice non valido o scaduto: controlla di averlo copiato per intero, oppure chiedi un nuovo codice a chi ti ha invitato.".into(),
                ));
            }
            Ok(joined)
        }
        .await,
    )
}

/// Session key: when the password was last changed, as the session knew it.
pub const SESSION_PASSWORD_AT: &str = "password_at";
/// Session key: the signed-in user's id.
pub const SESSION_USER_ID: &str = "user_id";
/// Session key: when this session signed in (absolute lifetime).
pub const SESSION_LOGIN_AT: &str = "login_at";
