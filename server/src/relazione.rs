//! The Relazione's files as plain GETs, which change nothing, read by whoever reads the
//! plan (another ente's answer 404 like one that does not exist):
//!
//! - `/e/{slug}/piani/{anno}/relazione.pdf`: as adopted, or a draft marked BOZZA;
//! - `/e/{slug}/piani/{anno}/relazione.odt`: the same chapters as OpenDocument text;
//! - `/e/{slug}/piani/{anno}/validazione.pdf`: the Nucleo's document as signed so far;
//! - `/e/{slug}/piani/{anno}/pubblicazione.zip`: the bundle for Amministrazione Trasparente.

use app::error::AppError;
use app::ssr::relazione;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::allegato::{errore, servi, Chi};
use crate::state::AppState;

/// Which of the Relazione's files.
#[derive(Clone, Copy)]
enum Quale {
    Pdf,
    Odt,
    Validazione,
    Pubblicazione,
}

async fn scarica(
    state: AppState,
    caller: Chi,
    slug: String,
    anno: String,
    quale: Quale,
) -> Response {
    let Ok(anno) = anno.parse::<i32>() else {
        return errore(AppError::NonTrovato);
    };
    servi(state, caller, &slug, async |ctx, tx| match quale {
        Quale::Pdf => relazione::scarica_pdf(tx, ctx, anno).await,
        Quale::Odt => relazione::scarica_odt(tx, ctx, anno).await,
        Quale::Validazione => relazione::scarica_validazione(tx, ctx, anno).await,
        Quale::Pubblicazione => relazione::scarica_pubblicazione(tx, ctx, anno).await,
    })
    .await
}

pub async fn pdf(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    scarica(state, caller, slug, anno, Quale::Pdf).await
}

pub async fn odt(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    scarica(state, caller, slug, anno, Quale::Odt).await
}

pub async fn validazione(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    scarica(state, caller, slug, anno, Quale::Validazione).await
}

pub async fn pubblicazione(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    scarica(state, caller, slug, anno, Quale::Pubblicazione).await
}
