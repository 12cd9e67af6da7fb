//! The ente workspace and the list of enti a user may enter.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AreaPersonale, EnteScheda};

#[server(endpoint = "enti/miei")]
pub async fn miei_enti() -> Result<AreaPersonale, AppError> {
    use crate::ssr::{enti, porta, users};
    porta::per_utente(async |caller, tx| {
        let enti = enti::accessibili(tx, caller.user_id, caller.firm_id).await?;
        let firm_name = match caller.firm_id {
            Some(f) => users::nome_studio(tx, f).await?,
            None => None,
        };
        Ok(AreaPersonale {
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
pub async fn scheda_ente(slug: String) -> Result<EnteScheda, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{enti, porta};
    porta::in_ente(&slug, Azione::Entrare, async |ctx, tx| {
        let (slug, name, provincia) = enti::scheda(tx).await?;
        Ok(EnteScheda {
            slug,
            name,
            provincia,
            role: ctx.role,
            scadenze: crate::ssr::monitoraggio::scadenze(tx, ctx).await?,
            oggi: Some(crate::domain::calendario::oggi()),
        })
    })
    .await
}
