//! Monitoring's files as plain GETs, which change nothing:
//!
//! - `/e/{slug}/piani/{anno}/monitoraggio/{id}/referto.pdf`: the signed Referto of a closed
//!   checkpoint;
//! - `/e/{slug}/piani/{anno}/monitoraggio/{id}/evidenze/{evidenza}`: an evidence file.
//!
//! Both are read by whoever reads the plan (not a dipendente); another ente's, or another
//! plan's, answer 404 like one that does not exist.

use app::error::AppError;
use app::ssr::monitoraggio;
use axum::extract::{Path, State};
use axum::response::Response;
use uuid::Uuid;

use crate::allegato::{errore, servi, Chi};
use crate::state::AppState;

pub async fn referto(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno, id)): Path<(String, String, String)>,
) -> Response {
    let (Ok(anno), Ok(id)) = (anno.parse::<i32>(), id.parse::<Uuid>()) else {
        return errore(AppError::NonTrovato);
    };
    servi(state, caller, &slug, async |ctx, tx| {
        monitoraggio::referto(tx, &ctx.slug, anno, id).await
    })
    .await
}

pub async fn evidenza(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno, id, evidenza)): Path<(String, String, String, String)>,
) -> Response {
    let (Ok(anno), Ok(id), Ok(evidenza)) = (
        anno.parse::<i32>(),
        id.parse::<Uuid>(),
        evidenza.parse::<Uuid>(),
    ) else {
        return errore(AppError::NonTrovato);
    };
    servi(state, caller, &slug, async |_, tx| {
        monitoraggio::evidenza(tx, anno, id, evidenza).await
    })
    .await
}
