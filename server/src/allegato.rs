//! The PEG attachment as plain GETs, so that it can be linked and fetched with curl:
//!
//! - `/e/{slug}/piani/{anno}/allegato.pdf`: the final PDF kept at approval, else a draft
//!   marked BOZZA;
//! - `/e/{slug}/piani/{anno}/firmati/{id}`: a copy from the archive of signed copies (those
//!   signed here with «Firma ora», a POST, and those signed elsewhere and uploaded);
//! - `/e/{slug}/piani/{anno}/versioni/{n}/allegato.pdf`: the PDF of an earlier version.
//!
//! Neither changes anything.
//!
//! The session middleware has put the caller in the request (or redirected to the login);
//! each handler resolves the ente and the role as the server functions do. Another ente's
//! plan answers 404, like one that does not exist.

use app::domain::permessi::Azione;
use app::error::AppError;
use app::ssr::allegato::{self, File};
use app::ssr::porta;
use app::ssr::richiesta::Richiesta;
use app::ssr::{Caller, EnteCtx, EnteTx};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::state::AppState;

pub(crate) fn errore(e: AppError) -> Response {
    let status = e.status();
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        e.to_string(),
    )
        .into_response()
}

pub(crate) fn file(f: File) -> Response {
    // The name is ours (slug, year) or sanitised at upload; quotes never reach it.
    let disposizione = format!("attachment; filename=\"{}\"", f.nome.replace('"', ""));
    let mut r = (StatusCode::OK, f.dati).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(f.tipo));
    if let Ok(v) = HeaderValue::from_str(&disposizione) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Who asks for a file: the caller the session middleware put in the request, if any, and
/// what it read with them (the ente of the path, entered in the same statement).
pub struct Chi(pub Option<Caller>, pub Option<Richiesta>);

impl<S: Send + Sync> FromRequestParts<S> for Chi {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let e = &parts.extensions;
        Ok(Chi(
            e.get::<Caller>().cloned(),
            e.get::<Richiesta>().cloned(),
        ))
    }
}

/// Runs `corpo` through the door for the caller of this request, if any, and sends the
/// file it returns (or the error, with its status).
pub(crate) async fn servi(
    state: AppState,
    caller: Chi,
    slug: &str,
    corpo: impl AsyncFnOnce(&EnteCtx, &mut EnteTx) -> Result<File, AppError>,
) -> Response {
    servi_per(state, caller, slug, Azione::LeggerePiano, corpo).await
}

/// `servi` for callers who may do `azione` (the rest is checked by `corpo` and the rows'
/// policies).
pub(crate) async fn servi_per(
    state: AppState,
    caller: Chi,
    slug: &str,
    azione: Azione,
    corpo: impl AsyncFnOnce(&EnteCtx, &mut EnteTx) -> Result<File, AppError>,
) -> Response {
    let Chi(Some(caller), richiesta) = caller else {
        return errore(AppError::NonAutenticato);
    };
    // A GET that changes nothing: read only, ended without a COMMIT round trip.
    match porta::in_ente_in_lettura(&state.pool, caller, slug, azione, richiesta, corpo).await {
        Ok(f) => file(f),
        Err(e) => errore(e),
    }
}

pub async fn pdf(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    let Ok(anno) = anno.parse::<i32>() else {
        return errore(AppError::NonTrovato);
    };
    servi(state, caller, &slug, async |ctx, tx| {
        allegato::scarica(tx, ctx, anno).await
    })
    .await
}

pub async fn firmato(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno, id)): Path<(String, String, String)>,
) -> Response {
    let (Ok(anno), Ok(id)) = (anno.parse::<i32>(), id.parse::<Uuid>()) else {
        return errore(AppError::NonTrovato);
    };
    servi(state, caller, &slug, async |_, tx| {
        allegato::scarica_firmato(tx, anno, id).await
    })
    .await
}

/// `/e/{slug}/piani/{anno}/versioni/{n}/allegato.pdf`: the PDF kept when version `n` was
/// approved.
pub async fn versione(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno, numero)): Path<(String, String, String)>,
) -> Response {
    let (Ok(anno), Ok(numero)) = (anno.parse::<i32>(), numero.parse::<i32>()) else {
        return errore(AppError::NonTrovato);
    };
    servi(state, caller, &slug, async |ctx, tx| {
        app::ssr::versioni::pdf(tx, &ctx.slug, anno, numero).await
    })
    .await
}
