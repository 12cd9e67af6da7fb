//! Helpers shared by the integration tests.

use axum::body::Body;
use axum::http::{Request, Response};
use leptos::config::LeptosOptions;
use server::config::Config;
use server::state::AppState;
use server::testing::TestDb;
use tower::ServiceExt;

pub fn state(db: &TestDb) -> AppState {
    AppState::new(
        LeptosOptions::builder()
            .output_name("obiettivi")
            .site_root("target/site")
            .build(),
        db.pool.clone(),
        Config {
            database_url: Some(db.owner_url.clone()),
            runtime_database_url: None,
            data_dir: "unused".into(),
            secure_cookies: false,
            trust_proxy: false,
        },
    )
}

/// Sends one request through the whole router, as the network would.
pub async fn send(state: &AppState, req: Request<Body>) -> Response<Body> {
    server::router(state.clone())
        .oneshot(req)
        .await
        .expect("router is infallible")
}

pub async fn body_text(resp: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(resp.into_body(), 10 << 20)
        .await
        .expect("body");
    String::from_utf8_lossy(&bytes).into_owned()
}
