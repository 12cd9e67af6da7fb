//! `POST /login` and `POST /logout`: plain form posts, so signing in works before (and
//! without) the wasm. Login attempts are rate-limited per account and per client address.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use app::api::account::{SESSION_LOGIN_AT, SESSION_PASSWORD_AT, SESSION_USER_ID};
use app::api::session::{FLASH_EMAIL, FLASH_ERROR};
use app::ssr::{password, users};
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use tower_sessions::Session;

use crate::state::AppState;

pub const WRONG_CREDENTIALS: &str = "E-mail o password non corretti.";
pub const TOO_MANY_ATTEMPTS: &str =
    "Troppi tentativi di accesso. Attendi qualche minuto e riprova.";

/// Two buckets per attempt: the account (slows guessing one password) and the client
/// address (slows trying many accounts).
pub struct LoginLimiter {
    by_account: DefaultKeyedRateLimiter<String>,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        let n = |v| NonZeroU32::new(v).expect("non-zero");
        LoginLimiter {
            // 10 attempts at once, then one every 30 seconds.
            by_account: RateLimiter::keyed(
                Quota::with_period(Duration::from_secs(30))
                    .expect("non-zero period")
                    .allow_burst(n(10)),
            ),
            // A comune's offices may share one address: 100 at once, then one a second.
            by_ip: RateLimiter::keyed(Quota::per_second(n(1)).allow_burst(n(100))),
        }
    }
}

impl LoginLimiter {
    fn allow(&self, account: &str, ip: Option<IpAddr>) -> bool {
        let account_ok = self.by_account.check_key(&account.to_string()).is_ok();
        let ip_ok = ip.is_none_or(|ip| self.by_ip.check_key(&ip).is_ok());
        account_ok && ip_ok
    }

    /// Forgets idle keys, so the limiter's memory stays bounded.
    pub fn prune(&self) {
        self.by_account.retain_recent();
        self.by_ip.retain_recent();
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only paths of this site: never `//evil.example` or `https://...`.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

fn login_url(next: &str) -> String {
    if next == "/" || next.is_empty() {
        "/login".into()
    } else {
        let q = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
        format!("/login?{q}")
    }
}

fn client_ip(req: &Request, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

pub async fn login(State(state): State<AppState>, session: Session, req: Request) -> Response {
    let ip = client_ip(&req, state.config.trust_proxy);
    let Ok(Form(form)) = Form::<LoginForm>::from_request(req, &state).await else {
        return Redirect::to("/login").into_response();
    };
    let next = safe_next(&form.next).to_string();
    let email = form.email.trim().to_lowercase();
    let fail = |message: &'static str| {
        let session = session.clone();
        let email = email.clone();
        let next = next.clone();
        async move {
            let _ = session.insert(FLASH_ERROR, message).await;
            let _ = session.insert(FLASH_EMAIL, email).await;
            Redirect::to(&login_url(&next)).into_response()
        }
    };
    if !state.login_limiter.allow(&email, ip) {
        tracing::warn!(?ip, "login rate-limited");
        return fail(TOO_MANY_ATTEMPTS).await;
    }
    let account = match users::for_login(&state.pool, &email).await {
        Ok(a) => a,
        Err(_) => return fail("Servizio momentaneamente non disponibile. Riprova.").await,
    };
    // Unknown e-mail or wrong password: the same message and about the same time.
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let typed = form.password;
    let matches = password::verify_off_thread(typed, hash)
        .await
        .unwrap_or(false);
    let account = match account {
        Some(a) if matches && !a.disabled => a,
        _ => return fail(WRONG_CREDENTIALS).await,
    };
    // A new id at every login: a session id planted before login is worth nothing after.
    if session.cycle_id().await.is_err()
        || session.insert(SESSION_USER_ID, account.id).await.is_err()
        || session
            .insert(
                SESSION_PASSWORD_AT,
                account.password_changed_at.timestamp_micros(),
            )
            .await
            .is_err()
        || session
            .insert(SESSION_LOGIN_AT, chrono::Utc::now().timestamp())
            .await
            .is_err()
    {
        return fail("Servizio momentaneamente non disponibile. Riprova.").await;
    }
    let _ = session.remove::<String>(FLASH_ERROR).await;
    let _ = session.remove::<String>(FLASH_EMAIL).await;
    Redirect::to(&next).into_response()
}

pub async fn logout(session: Session) -> Response {
    let _ = session.flush().await;
    Redirect::to("/login?uscito=1").into_response()
}

pub type SharedLimiter = Arc<LoginLimiter>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_kept_on_this_site() {
        assert_eq!(safe_next("/e/comune-di-esempio"), "/e/comune-di-esempio");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }

    #[test]
    fn limiter_stops_an_account_after_the_burst() {
        let l = LoginLimiter::default();
        for _ in 0..10 {
            assert!(l.allow("a@b.it", None));
        }
        assert!(!l.allow("a@b.it", None));
        assert!(l.allow("altro@b.it", None), "other accounts unaffected");
    }
}
