//! `POST /login` and `POST /logout`: plain form posts, so signing in works before (and
//! without) the wasm. Login attempts are rate-limited per account and client address, and
//! per client address. A failed attempt stores nothing on the server: the message travels in
//! the redirect's query, the typed e-mail in a short-lived cookie.

use std::net::{IpAddr, SocketAddr};

use app::api::account::{SESSION_ID, SESSION_USER_ID};
use app::api::session::{ErroreAccesso, COOKIE_EMAIL};
use app::ssr::{due_fattori, password, users};
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use crate::state::AppState;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only paths of this site, by a strict grammar: a `/`, then path and query characters of
/// RFC 3986 (percent escapes left as they are). Never `//host`, `/\\host`, a scheme, or a
/// control character (`/\t/evil.example`, which browsers read as `//evil.example`).
fn safe_next(next: &str) -> &str {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?%".contains(c);
    let mut chars = next.chars();
    let ok = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && next.len() <= 2000
        && next.chars().all(allowed);
    if ok {
        next
    } else {
        "/"
    }
}

fn login_url(next: &str, errore: Option<ErroreAccesso>) -> String {
    let mut q: Vec<(&str, &str)> = Vec::new();
    if let Some(e) = errore {
        q.push(("errore", e.codice()));
    }
    if next != "/" && !next.is_empty() {
        q.push(("next", next));
    }
    if q.is_empty() {
        "/login".into()
    } else {
        format!(
            "/login?{}",
            serde_urlencoded::to_string(q).unwrap_or_default()
        )
    }
}

/// IPv6 clients are keyed by their /64: one subscriber usually holds the whole prefix.
fn key_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
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

/// The typed e-mail, kept for the login form after a failure: a cookie on `/login` only,
/// for five minutes, instead of a session row per failed attempt.
fn email_cookie(email: &str, secure: bool) -> String {
    let value = hex::encode(email.as_bytes());
    format!(
        "{COOKIE_EMAIL}={value}; Path=/login; Max-Age=300; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

pub async fn login(State(state): State<AppState>, session: Session, req: Request) -> Response {
    let ip = client_ip(&req, state.config.trust_proxy).map(key_of);
    let agente = user_agent(&req);
    let Ok(Form(form)) = Form::<LoginForm>::from_request(req, &state).await else {
        return Redirect::to("/login").into_response();
    };
    let next = safe_next(&form.next).to_string();
    let email = form.email.trim().to_lowercase();
    let secure = state.config.secure_cookies;
    let fail = |errore: ErroreAccesso| {
        (
            [(header::SET_COOKIE, email_cookie(&email, secure))],
            Redirect::to(&login_url(&next, Some(errore))),
        )
            .into_response()
    };
    if !state.login_limiter.allow(&email, ip) {
        tracing::warn!(?ip, "login rate-limited");
        return fail(ErroreAccesso::Tentativi);
    }
    let account = match users::for_login(&state.pool, &email).await {
        Ok(a) => a,
        Err(_) => return fail(ErroreAccesso::Servizio),
    };
    // Unknown e-mail or wrong password: the same message and about the same time.
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let typed = form.password;
    let matches = match password::verify_off_thread(typed.clone(), hash).await {
        Ok(m) => m,
        Err(app::error::AppError::Occupato) => return fail(ErroreAccesso::Occupato),
        Err(_) => return fail(ErroreAccesso::Servizio),
    };
    let account = match account {
        Some(a) if matches && !a.disabled => a,
        other => {
            registra(&state, other.map(|a| a.id), &email, "accesso_fallito", ip).await;
            return fail(ErroreAccesso::Credenziali);
        }
    };
    // Said only to whoever knows the password.
    if account.password_temporanea && account.password_scaduta {
        registra(&state, Some(account.id), &email, "password_scaduta", ip).await;
        return fail(ErroreAccesso::Scaduta);
    }
    // A temporary password is the code of the invitations it came with: signing in with it
    // accepts them.
    if account.password_temporanea {
        let accepted = async {
            let mut tx = app::ssr::context::inizia(&state.pool, None).await?;
            users::accetta_inviti(&mut tx, account.id, &password::digest_codice(&typed)).await?;
            tx.commit().await?;
            Ok::<_, app::error::AppError>(())
        }
        .await;
        if accepted.is_err() {
            return fail(ErroreAccesso::Servizio);
        }
    }
    let target = if account.password_temporanea {
        "/account?primo=1".to_string()
    } else {
        next.clone()
    };
    // With a second factor, the password opens only the page that asks for the code.
    if account.totp_attivo {
        if session.cycle_id().await.is_err()
            || session.insert(SESSION_2FA_USER, account.id).await.is_err()
            || session
                .insert(SESSION_2FA_AT, chrono::Utc::now().timestamp())
                .await
                .is_err()
            || session.insert(SESSION_2FA_DEST, &target).await.is_err()
        {
            return fail(ErroreAccesso::Servizio);
        }
        return (
            [(header::SET_COOKIE, clear_email_cookie())],
            Redirect::to("/login/codice"),
        )
            .into_response();
    }
    registra(&state, Some(account.id), &email, "accesso", ip).await;
    completa(
        &state,
        &session,
        account.id,
        account.password_changed_at,
        &target,
        (ip, &agente),
    )
    .await
    .unwrap_or_else(|| fail(ErroreAccesso::Servizio))
}

/// One line of the access log; a failure to write it is logged, not shown.
async fn registra(
    state: &AppState,
    user: Option<Uuid>,
    email: &str,
    evento: &str,
    ip: Option<IpAddr>,
) {
    if let Err(e) = app::ssr::registro::registra_accesso(&state.pool, user, email, evento, ip).await
    {
        tracing::warn!(error = ?e, evento, "access log not written");
    }
}

fn clear_email_cookie() -> String {
    format!("{COOKIE_EMAIL}=; Path=/login; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// The browser's own description, for «Le mie sessioni».
fn user_agent(req: &Request) -> String {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Signs the account in: a new session id (one planted before is worth nothing after), its
/// line in «Le mie sessioni» with the password's time, bound to the new id; the user and the
/// line in the session (for logging out); then on to `target`.
async fn completa(
    state: &AppState,
    session: &Session,
    user: Uuid,
    password_changed_at: chrono::DateTime<chrono::Utc>,
    target: &str,
    (ip, agente): (Option<IpAddr>, &str),
) -> Option<Response> {
    let riga = app::ssr::sessioni::apri(&state.pool, user, password_changed_at, ip, agente)
        .await
        .ok()?;
    let ok = session.cycle_id().await.is_ok()
        && session.insert(SESSION_ID, riga).await.is_ok()
        && session.insert(SESSION_USER_ID, user).await.is_ok()
        && app::ssr::sessioni::salva_e_lega(&state.pool, session, user, riga, password_changed_at)
            .await
            .is_ok();
    ok.then(|| {
        (
            [(header::SET_COOKIE, clear_email_cookie())],
            Redirect::to(target),
        )
            .into_response()
    })
}

/// Session keys while the second factor is asked: the account whose password was right,
/// since when (five minutes to answer), and where to go after.
const SESSION_2FA_USER: &str = "2fa_utente";
const SESSION_2FA_AT: &str = "2fa_dal";
const SESSION_2FA_DEST: &str = "2fa_destinazione";
const SECONDS_FOR_THE_CODE: i64 = 300;

#[derive(Deserialize)]
pub struct CodiceForm {
    #[serde(default)]
    codice: String,
}

/// `POST /login/codice`: the code of the authenticator app, or a recovery code, after the
/// password. A code works once; attempts are limited like passwords.
pub async fn login_codice(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    let ip = client_ip(&req, state.config.trust_proxy).map(key_of);
    let agente = user_agent(&req);
    let again =
        |errore: &str| Redirect::to(&format!("/login/codice?errore={errore}")).into_response();
    let Ok(Form(form)) = Form::<CodiceForm>::from_request(req, &state).await else {
        return again("codice");
    };
    let user = session.get::<Uuid>(SESSION_2FA_USER).await.ok().flatten();
    let since = session.get::<i64>(SESSION_2FA_AT).await.ok().flatten();
    let dest = session
        .get::<String>(SESSION_2FA_DEST)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| "/".into());
    let fresh = since.is_some_and(|t| chrono::Utc::now().timestamp() - t < SECONDS_FOR_THE_CODE);
    let Some(user) = user.filter(|_| fresh) else {
        let _ = session.flush().await;
        return Redirect::to("/login?errore=codice-scaduto").into_response();
    };
    if !state.login_limiter.allow(&format!("2fa {user}"), ip) {
        return again("tentativi");
    }
    let checked = async {
        let Some(f) = users::secondo_fattore(&state.pool, user).await? else {
            return Ok(None);
        };
        let Some(segreto) = f.segreto.as_deref().filter(|_| f.attivo) else {
            return Ok(None);
        };
        let passo = due_fattori::verifica(
            &state.chiave_firme,
            user,
            segreto,
            &form.codice,
            f.ultimo_passo,
            due_fattori::adesso(),
        )?;
        let ok = match passo {
            Some(p) => users::usa_passo(&state.pool, user, p).await?,
            None => {
                users::usa_codice_recupero(
                    &state.pool,
                    user,
                    &due_fattori::digest_recupero(&form.codice),
                )
                .await?
            }
        };
        Ok::<_, app::error::AppError>(Some((ok, f.password_changed_at, f.email)))
    }
    .await;
    match checked {
        Ok(Some((true, password_at, email))) => {
            for k in [SESSION_2FA_USER, SESSION_2FA_AT, SESSION_2FA_DEST] {
                let _ = session.remove_value(k).await;
            }
            registra(&state, Some(user), &email, "accesso", ip).await;
            completa(&state, &session, user, password_at, &dest, (ip, &agente))
                .await
                .unwrap_or_else(|| again("servizio"))
        }
        Ok(Some((false, _, email))) => {
            registra(&state, Some(user), &email, "codice_errato", ip).await;
            again("codice")
        }
        Ok(None) => again("codice"),
        Err(_) => again("servizio"),
    }
}

pub async fn logout(State(state): State<AppState>, session: Session) -> Response {
    let user = session.get::<Uuid>(SESSION_USER_ID).await.ok().flatten();
    let riga = session.get::<Uuid>(SESSION_ID).await.ok().flatten();
    if let (Some(user), Some(riga)) = (user, riga) {
        if let Err(e) = app::ssr::sessioni::chiudi(&state.pool, user, riga).await {
            tracing::warn!(error = ?e, "session line not closed");
        }
    }
    let _ = session.flush().await;
    Redirect::to("/login?uscito=1").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_kept_on_this_site() {
        assert_eq!(safe_next("/e/comune-di-esempio"), "/e/comune-di-esempio");
        assert_eq!(
            safe_next("/e/comune-di-esempio/piani/2022?x=%C3%A8&y=1"),
            "/e/comune-di-esempio/piani/2022?x=%C3%A8&y=1"
        );
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(
            safe_next("/\t/evil.example"),
            "/",
            "a tab, read as //evil.example"
        );
        assert_eq!(safe_next("/\n/evil.example"), "/");
        assert_eq!(safe_next("/ /evil.example"), "/");
        assert_eq!(
            safe_next("/%09/evil.example"),
            "/%09/evil.example",
            "still encoded: a path"
        );
        assert_eq!(safe_next("/é"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(key_of(a), key_of(b));
        assert_ne!(key_of(a), key_of(c));
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(key_of(v4), v4);
    }
}
