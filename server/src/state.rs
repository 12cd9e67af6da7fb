//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

use app::ssr::allegato::custodia::ChiaveFirme;

use crate::config::Config;
use crate::limite::LoginLimiter;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// Runtime role only: subject to Row-Level Security.
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub login_limiter: Arc<LoginLimiter>,
    /// Encrypts the enti's signing keys at rest.
    pub chiave_firme: ChiaveFirme,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        pool: PgPool,
        config: Config,
        chiave_firme: ChiaveFirme,
    ) -> Self {
        AppState {
            leptos_options,
            pool,
            config: Arc::new(config),
            login_limiter: Arc::new(LoginLimiter::default()),
            chiave_firme,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
