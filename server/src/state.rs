//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

use app::ssr::allegato::custodia::ChiaveFirme;

use crate::config::Config;
use crate::limite::LoginLimiter;

/// Cloned by every layer's `State` extractor on every request: one reference count to
/// move, not the options' several and the signing key's bytes.
#[derive(Clone)]
pub struct AppState(Arc<Stato>);

pub struct Stato {
    pub leptos_options: LeptosOptions,
    /// Runtime role only: subject to Row-Level Security.
    pub pool: PgPool,
    pub config: Config,
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
        AppState(Arc::new(Stato {
            leptos_options,
            pool,
            config,
            login_limiter: Arc::new(LoginLimiter::default()),
            chiave_firme,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Stato;

    fn deref(&self) -> &Stato {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
