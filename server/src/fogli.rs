//! Spreadsheets as plain GETs, which change nothing:
//!
//! - `/studio/cruscotto.xlsx` and `/studio/cruscotto.csv`: the firm's cockpit with the
//!   page's filters (every ente that matches, not one page), for the firm's consultants;
//! - `/e/{slug}/piani/{anno}/piano.xlsx`: a plan, one sheet per struttura, for whoever may
//!   read it (another ente's answers 404 like one that does not exist).

use std::collections::HashMap;

use app::domain::calendario;
use app::error::AppError;
use app::ssr::allegato::File;
use app::ssr::{cruscotto, fogli, piani, porta};
use axum::extract::{Path, Query, State};
use axum::response::Response;

use crate::allegato::{errore, file, servi, Chi};
use crate::state::AppState;

async fn cruscotto_in(
    state: AppState,
    caller: Chi,
    q: HashMap<String, String>,
    xlsx: bool,
) -> Response {
    let Chi(Some(caller), _) = caller else {
        return errore(AppError::NonAutenticato);
    };
    let g = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    let mut filtri = cruscotto::Filtri::da_testo(
        g("anno"),
        g("stato"),
        g("provincia"),
        g("ritardo"),
        g("ordine"),
        "",
    );
    filtri.pagina = None;
    let r = porta::nel_cruscotto_di(&state.pool, caller, async |_, enti, tx| {
        let v = cruscotto::vista(tx, enti, &filtri, calendario::oggi()).await?;
        let nome = format!("cruscotto-{}", v.anno);
        Ok(if xlsx {
            File {
                dati: fogli::cruscotto_xlsx(&v)?,
                nome: format!("{nome}.xlsx"),
                tipo: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        } else {
            File {
                dati: fogli::cruscotto_csv(&v)?,
                nome: format!("{nome}.csv"),
                tipo: "text/csv; charset=utf-8",
            }
        })
    })
    .await;
    match r {
        Ok(f) => file(f),
        Err(e) => errore(e),
    }
}

pub async fn cruscotto_xlsx(
    State(state): State<AppState>,
    caller: Chi,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    cruscotto_in(state, caller, q, true).await
}

pub async fn cruscotto_csv(
    State(state): State<AppState>,
    caller: Chi,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    cruscotto_in(state, caller, q, false).await
}

pub async fn piano_xlsx(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    let Ok(anno) = anno.parse::<i32>() else {
        return errore(AppError::NonTrovato);
    };
    servi(state, caller, &slug, async |ctx, tx| {
        let p = piani::carica(tx, anno).await?.ok_or(AppError::NonTrovato)?;
        Ok(File {
            dati: fogli::piano_xlsx(&p)?,
            nome: format!("piano-obiettivi-{}-{anno}.xlsx", ctx.slug),
            tipo: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
    })
    .await
}
