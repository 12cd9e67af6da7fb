//! The activity log of an ente (its admins and its firm's consultants) and the access log
//! (platform administrators).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{VoceAccesso, VoceRegistro};

/// «Registro attività»: what was done in the ente, by whom, newest first.
#[server(endpoint = "ente/registro")]
pub async fn registro_attivita(slug: String) -> Result<Vec<VoceRegistro>, AppError> {
    crate::ssr::respond(
        async move {
            use crate::domain::roles::Role;
            use crate::ssr::{begin_for, ente_ctx, pool, registro};
            let ctx = ente_ctx(&slug).await?;
            ctx.require(Role::can_manage_users)?;
            let mut tx = begin_for(&pool()?, &ctx).await?;
            let voci = registro::attivita(&mut tx).await?;
            tx.commit().await?;
            Ok(voci)
        }
        .await,
    )
}

/// «Accessi recenti»: logins, failures and credential changes of every account.
#[server(endpoint = "admin/accessi")]
pub async fn registro_accessi() -> Result<Vec<VoceAccesso>, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_user, caller, pool, registro};
            let caller = caller()?;
            if !caller.is_platform_admin {
                return Err(AppError::NonAutorizzato);
            }
            let mut tx = begin_user(&pool()?, &caller).await?;
            let voci = registro::accessi(&mut tx).await?;
            tx.commit().await?;
            Ok(voci)
        }
        .await,
    )
}
