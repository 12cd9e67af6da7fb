//! The ente workspace and the list of enti a user may enter.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{EnteInfo, Workspace};

#[server(endpoint = "enti/miei")]
pub async fn my_workspace() -> Result<Workspace, AppError> {
    use crate::ssr::{enti, porta, users};
    porta::per_utente(async |caller, tx| {
        let enti = enti::list_for_caller(tx, caller.user_id, caller.firm_id).await?;
        let firm_name = match caller.firm_id {
            Some(f) => users::firm_name(tx, f).await?,
            None => None,
        };
        Ok(Workspace {
            display_name: caller.display_name.clone(),
            email: caller.email.clone(),
            is_platform_admin: caller.is_platform_admin,
            firm_name,
            enti,
        })
    })
    .await
}

#[server(endpoint = "enti/home")]
pub async fn ente_home(slug: String) -> Result<EnteInfo, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{enti, porta};
    porta::in_ente(&slug, Azione::Entrare, async |ctx, tx| {
        let (slug, name, provincia) = enti::home(tx).await?;
        Ok(EnteInfo {
            slug,
            name,
            provincia,
            role: ctx.role,
        })
    })
    .await
}
