//! The evaluation's and the premi's files as plain GETs, which change nothing (another
//! ente's, or a scheda the caller may not see, answer 404 like one that does not exist):
//!
//! - `/e/{slug}/piani/{anno}/valutazioni/{dipendente}/scheda.pdf`: a final scheda, for its
//!   person, their evaluator, the ente's admins and consultants (the Nucleo for an EQ);
//! - `/e/{slug}/piani/{anno}/premi/cedolini.csv` and `determina.odt`: the final
//!   distribution by name, for the ente's admins and consultants;
//! - `/e/{slug}/piani/{anno}/premi/art20.csv` and `art20.pdf`: the aggregates of art. 20
//!   D.Lgs 33/2013, for them and the Nucleo.

use app::domain::permessi::Azione;
use app::error::AppError;
use app::ssr::premi::{self, Uscita};
use app::ssr::valutazioni;
use axum::extract::{Path, State};
use axum::response::Response;
use uuid::Uuid;

use crate::allegato::{errore, servi_per, Chi};
use crate::state::AppState;

pub async fn scheda(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno, dipendente)): Path<(String, String, String)>,
) -> Response {
    let (Ok(anno), Ok(dipendente)) = (anno.parse::<i32>(), dipendente.parse::<Uuid>()) else {
        return errore(AppError::NonTrovato);
    };
    servi_per(state, caller, &slug, Azione::Entrare, async |ctx, tx| {
        valutazioni::scarica_scheda(tx, ctx, anno, dipendente).await
    })
    .await
}

async fn uscita(
    state: AppState,
    caller: Chi,
    slug: String,
    anno: String,
    quale: Uscita,
) -> Response {
    let Ok(anno) = anno.parse::<i32>() else {
        return errore(AppError::NonTrovato);
    };
    servi_per(state, caller, &slug, Azione::Entrare, async |ctx, tx| {
        premi::scarica(tx, ctx, anno, quale).await
    })
    .await
}

pub async fn cedolini(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    uscita(state, caller, slug, anno, Uscita::Cedolini).await
}

pub async fn determina(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    uscita(state, caller, slug, anno, Uscita::Determina).await
}

pub async fn art20_csv(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    uscita(state, caller, slug, anno, Uscita::Art20Csv).await
}

pub async fn art20_pdf(
    State(state): State<AppState>,
    caller: Chi,
    Path((slug, anno)): Path<(String, String)>,
) -> Response {
    uscita(state, caller, slug, anno, Uscita::Art20Pdf).await
}
