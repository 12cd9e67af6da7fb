//! The ente workspace and the list of enti a user may enter.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{EnteInfo, Workspace};

#[server(endpoint = "enti/miei")]
pub async fn my_workspace() -> Result<Workspace, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_user, caller, enti, pool, users};
            let caller = caller()?;
            let pool = pool()?;
            let mut tx = begin_user(&pool, &caller).await?;
            let enti = enti::list_for_caller(&mut tx, caller.user_id, caller.firm_id).await?;
            let firm_name = match caller.firm_id {
                Some(f) => users::firm_name(&mut tx, f).await?,
                None => None,
            };
            tx.commit().await?;
            Ok(Workspace {
                display_name: caller.display_name,
                email: caller.email,
                is_platform_admin: caller.is_platform_admin,
                firm_name,
                enti,
            })
        }
        .await,
    )
}

#[server(endpoint = "enti/home")]
pub async fn ente_home(slug: String) -> Result<EnteInfo, AppError> {
    crate::ssr::respond(
        async move {
            use crate::ssr::{begin_user, ente_ctx, enti, pool};
            let ctx = ente_ctx(&slug).await?;
            let pool = pool()?;
            let mut tx = begin_user(&pool, &ctx.caller).await?;
            let (slug, name, provincia) = enti::home(&mut tx, ctx.ente_id).await?;
            tx.commit().await?;
            Ok(EnteInfo {
                slug,
                name,
                provincia,
                role: ctx.role,
            })
        }
        .await,
    )
}
