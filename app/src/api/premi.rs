//! The premi of a year (CCNL Funzioni Locali): the ente's admins and consultants simulate the
//! distribution with any parameters (nothing is saved), save the parameters of the
//! contratto integrativo, and make the distribution final once every scheda is; the Nucleo
//! reads the art. 20 aggregates. The outputs are plain GET routes (`server::premi`).

use leptos::prelude::*;

use crate::domain::premi::ModuloPremi;
use crate::error::AppError;
use crate::model::PremiView;

/// The distribution of the plan of `anno`: with `simulati` (not saved), or with the saved
/// parameters; the final one once it is.
#[server(endpoint = "premi")]
pub async fn premi(
    slug: String,
    anno: i32,
    simulati: Option<ModuloPremi>,
) -> Result<PremiView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::roles::Role;
    use crate::ssr::{porta, premi};
    porta::in_ente(&slug, Azione::Entrare, async |ctx, tx| {
        if !(ctx.role.puo(Azione::GestirePremi) || ctx.role == Role::Nucleo) {
            return Err(AppError::NonAutorizzato);
        }
        let piano = crate::api::valutazioni::guard::piano(tx, anno).await?.id;
        let (simulati, errori) = match simulati.map(|m| m.parametri()) {
            None => (None, Vec::new()),
            Some(Ok(p)) => (Some(p), Vec::new()),
            Some(Err((p, e))) => (
                Some(p),
                e.into_iter().map(|(c, m)| (c.to_string(), m)).collect(),
            ),
        };
        premi::vista(tx, ctx, piano, anno, simulati, errori).await
    })
    .await
}

/// Saves the parameters shown over `version` (0: the first time).
#[server(endpoint = "premi/salva")]
pub async fn salva_parametri(
    slug: String,
    anno: i32,
    version: i32,
    modulo: ModuloPremi,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, premi, users};
    porta::in_ente(&slug, Azione::GestirePremi, async |_, tx| {
        let p = modulo.parametri().map_err(|(_, e)| {
            AppError::NonValido(e.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))
        })?;
        let piano = crate::api::valutazioni::guard::piano(tx, anno).await?.id;
        let v = premi::salva(tx, piano, version, &p).await?;
        users::audit(tx, "premi_parametri", serde_json::json!({ "anno": anno })).await?;
        Ok(v)
    })
    .await
}

/// Makes the distribution final with the saved parameters of `version`.
#[server(endpoint = "premi/definitiva")]
pub async fn rendi_definitiva(slug: String, anno: i32, version: i32) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, premi, users};
    porta::in_ente(&slug, Azione::GestirePremi, async |_, tx| {
        let piano = crate::api::valutazioni::guard::piano(tx, anno).await?.id;
        premi::rendi_definitiva(tx, piano, anno, version).await?;
        users::audit(tx, "premi_definitivi", serde_json::json!({ "anno": anno })).await
    })
    .await
}
