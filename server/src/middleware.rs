//! Request guards: the same-origin check on every state change, and the session → caller
//! resolution that every page and server function relies on.

use app::api::account::SESSION_USER_ID;
use app::ssr::users;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, Session};
use uuid::Uuid;

use crate::state::AppState;

/// A session lives at most this long after login, however active.
pub const ABSOLUTE_LIFETIME: std::time::Duration = std::time::Duration::from_secs(12 * 3600);

/// Leptos server functions have no CSRF protection of their own: every request that may
/// change state must come from a page of this site (Fetch Metadata, else Origin = Host).
pub async fn same_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let allowed = match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => match (
            headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
            headers.get(header::HOST).and_then(|v| v.to_str().ok()),
        ) {
            (Some(origin), Some(host)) => {
                origin
                    .split_once("://")
                    .map(|(_, rest)| rest)
                    .unwrap_or_default()
                    == host
            }
            _ => false,
        },
    };
    if allowed {
        next.run(req).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "Richiesta rifiutata: non proviene da una pagina di questo sito.",
        )
            .into_response()
    }
}

/// Uploads (`/api/carica/…`) are multipart, and no bigger than the largest file with its
/// fields: refused before a byte of the body is read, in the error format the page shows;
/// a body without a length is cut at the same size while it streams.
pub async fn caricamenti(req: Request, next: Next) -> Response {
    use app::domain::caricamento::{RICHIESTA_MAX, TROPPO_GRANDE};
    if !req.uri().path().starts_with("/api/carica/") {
        return next.run(req).await;
    }
    let rifiuto = |status: StatusCode, messaggio: &str| {
        let corpo = serde_json::to_string(&app::error::AppError::NonValido(messaggio.into()))
            .unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], corpo).into_response()
    };
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data") && multer::parse_boundary(t).is_ok());
    if !multipart {
        return rifiuto(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Modulo non valido: ricarica la pagina e riprova.",
        );
    }
    let lunghezza = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if lunghezza.is_some_and(|n| n > RICHIESTA_MAX as u64) {
        return rifiuto(StatusCode::PAYLOAD_TOO_LARGE, TROPPO_GRANDE);
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, RICHIESTA_MAX));
    next.run(Request::from_parts(parts, body)).await
}

/// Headers every response carries. Pages set their own Content-Security-Policy with the
/// response's nonce (see `app::shell`); anything else at least may not be framed.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    use axum::http::HeaderValue;
    // The built JS, wasm and CSS carry their content's hash in their names.
    let con_hash = req
        .uri()
        .path()
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(&*state.leptos_options.site_pkg_dir))
        .is_some_and(|p| p.starts_with('/'));
    let mut resp = next.run(req).await;
    let riuscita = resp.status().is_success();
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages and answers of server functions hold an ente's data: never kept in a cache
    // (shared or the browser's).
    let dynamic = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            [
                "text/html",
                "application/json",
                "application/pdf",
                "application/pkcs7",
            ]
            .iter()
            .any(|p| t.starts_with(p))
        });
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if dynamic {
                "no-store"
            } else if con_hash && riuscita {
                // A new build has new names: these never change under theirs.
                "public, max-age=31536000, immutable"
            } else {
                // Other static files: kept, and revalidated on each use (Last-Modified: a
                // revisit costs a 304, not the file).
                "no-cache"
            }),
        );
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'; object-src 'none'; base-uri 'none'"),
        );
    }
    // Served over HTTPS (the same switch as the secure cookies): browsers keep to HTTPS.
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    resp
}

/// The built assets and the few files of `public/` served at the root.
fn statico(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/vendor/")
        || matches!(path, "/favicon.svg" | "/fonts.css" | "/app.css")
}

/// A page asked for (GET, not a server function's call from the browser).
fn pagina(req: &Request) -> bool {
    req.method() == Method::GET && !req.uri().path().starts_with("/api/")
}

/// The ente a GET under `/e/{slug}/` names (as written in the path: a door that asks for
/// the same slug finds it entered), to enter with the caller's read.
fn ente_del_percorso(req: &Request) -> Option<&str> {
    let slug = req.uri().path().strip_prefix("/e/")?.split('/').next()?;
    (pagina(req) && !slug.is_empty() && slug.len() <= 80).then_some(slug)
}

/// A page with the header (not a file: the plan's PDF, a report, an export, whose last
/// segment has an extension, a signed copy or an evidence): its header's reads are made with
/// the caller's. Only a matter of speed: a page taken for a file reads them in a door.
fn pagina_con_menu(req: &Request) -> bool {
    let path = req.uri().path();
    let ultimo = path.rsplit('/').next().unwrap_or_default();
    pagina(req)
        && !ultimo.contains('.')
        && !path.contains("/firmati/")
        && !path.contains("/evidenze/")
}

/// Pages that need a signed-in user; everything else (login, static files, health,
/// server functions, which check for themselves) passes.
fn needs_login(path: &str) -> bool {
    path == "/"
        || path.starts_with("/e/")
        || path == "/account"
        || path == "/studio"
        || path.starts_with("/studio/")
        || path == "/promemoria"
        || path == "/admin"
}

/// What a user signed in with a temporary password, or without the second factor their
/// account requires, may reach: the account page and the calls that change the password and
/// set up the second factor, who they are, logging in and out. Everything else that needs a
/// caller is refused.
fn allowed_while_restricted(path: &str) -> bool {
    matches!(
        path,
        "/account"
            | "/api/account/password"
            | "/api/account/2fa/stato"
            | "/api/account/2fa/inizia"
            | "/api/account/2fa/conferma"
            | "/api/sessione/utente"
            | "/login"
            | "/logout"
    )
}

/// Puts the signed-in `Caller` into the request, or ends a session that is no longer
/// valid: account gone or disabled, password changed since, past its absolute lifetime, or
/// closed from «Le mie sessioni».
pub async fn load_caller(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    // The built files are the same for everyone: no session, no caller, no database (a
    // first visit fetches twenty-odd of them, each would have cost three round trips).
    if statico(req.uri().path()) {
        return next.run(req).await;
    }
    // The session and its caller in one statement, from the cookie's key alone: the
    // store's record is not read. A key that opens no line (closed, expired, password
    // changed, account disabled) ends its session if it was signed in; one of a login
    // waiting for its second factor is left alone.
    let mut caller = None;
    let mut entrato = None;
    let mut intestazione = None;
    let mut tenuta = None;
    if let Some(chiave) = session.id() {
        let slug = ente_del_percorso(&req);
        let menu = pagina_con_menu(&req);
        match users::carica_chiamante(
            &state.pool,
            &chiave.to_string(),
            ABSOLUTE_LIFETIME,
            slug,
            menu,
        )
        .await
        {
            Ok(Some(users::Chiamata {
                caller: c,
                vista,
                ente,
                intestazione: i,
                tenuta: t,
            })) => {
                // Seen again after a minute or more: the idle timeout starts over (the
                // session is saved with a new expiry and its cookie sent again). Without
                // this an active user was signed out two hours after signing in.
                if vista {
                    session.set_expiry(Some(Expiry::OnInactivity(Duration::minutes(
                        crate::IDLE_TIMEOUT_MINUTES,
                    ))));
                }
                caller = Some(c);
                entrato = ente;
                intestazione = i;
                tenuta = t;
            }
            Ok(None) => {
                if let Ok(Some(_)) = session.get::<Uuid>(SESSION_USER_ID).await {
                    let _ = session.flush().await;
                }
            }
            Err(_) => {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Servizio momentaneamente non disponibile.",
                )
                    .into_response()
            }
        }
    }
    match caller {
        // Not even inserted: pages rendered on the server call server functions in-process.
        Some(c)
            if (c.password_temporanea || c.deve_attivare_2fa)
                && !allowed_while_restricted(req.uri().path()) =>
        {
            let path = req.uri().path();
            if !pagina(&req) {
                return (
                    StatusCode::FORBIDDEN,
                    if c.password_temporanea {
                        "Scegli prima una tua password: quella temporanea serve solo a cambiarla."
                    } else {
                        "Attiva prima la verifica in due passaggi, obbligatoria per il tuo account."
                    },
                )
                    .into_response();
            }
            if needs_login(path) || path.starts_with("/libreria") {
                let to = if c.password_temporanea {
                    "/account?primo=1"
                } else {
                    "/account?richiesto=2fa"
                };
                return Redirect::to(to).into_response();
            }
            // Not put in the request, nor is the transaction they were read in.
            tenuta = None;
        }
        Some(c) => {
            req.extensions_mut().insert(c);
        }
        None if req.method() == Method::GET && needs_login(req.uri().path()) => {
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let url = if target == "/" {
                "/login".to_string()
            } else {
                format!(
                    "/login?{}",
                    serde_urlencoded::to_string([("next", target)]).unwrap_or_default()
                )
            };
            return Redirect::to(&url).into_response();
        }
        None => {}
    }
    // A page or a file (not a call from the browser): its doors remember the enti they
    // entered, starting with the one entered above, read only, the first in the
    // transaction of the caller's read.
    if !pagina(&req) {
        return next.run(req).await;
    }
    let richiesta = app::ssr::richiesta::Richiesta::con(entrato, intestazione).con_tenuta(tenuta);
    req.extensions_mut().insert(richiesta.clone());
    let risposta = next.run(req).await;
    // The page is made (pages render whole before they are sent): a door that has not
    // taken the transaction by now will not, and the response's body may take a while.
    richiesta.rilascia();
    risposta
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ente(method: Method, path: &str) -> Option<String> {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .body(axum::body::Body::empty())
            .unwrap();
        ente_del_percorso(&req).map(str::to_string)
    }

    #[test]
    fn the_ente_of_a_get_under_e_is_entered_with_the_caller() {
        for (path, slug) in [
            ("/e/comune-di-esempio", Some("comune-di-esempio")),
            ("/e/comune-di-esempio/piani/2022", Some("comune-di-esempio")),
            ("/e/a/piani/2022/allegato.pdf?x=1", Some("a")),
            ("/e/", None),
            ("/e//piani", None),
            ("/studio", None),
            ("/api/e/a", None),
        ] {
            assert_eq!(ente(Method::GET, path).as_deref(), slug, "{path}");
        }
        // A call from the browser enters through its door; a slug longer than any is not
        // sent to the database.
        assert_eq!(ente(Method::POST, "/e/a/piani/2022"), None);
        assert_eq!(ente(Method::GET, &format!("/e/{}", "a".repeat(81))), None);
    }

    #[test]
    fn a_page_reads_its_header_with_the_caller_and_a_file_does_not() {
        let con_menu = |method: Method, path: &str| {
            let req = Request::builder()
                .method(method)
                .uri(path)
                .body(axum::body::Body::empty())
                .unwrap();
            pagina_con_menu(&req)
        };
        for path in [
            "/",
            "/e/a",
            "/e/a/piani/2022",
            "/studio",
            "/promemoria?x=a.b",
        ] {
            assert!(con_menu(Method::GET, path), "{path}");
        }
        for path in [
            "/e/a/piani/2022/allegato.pdf",
            "/e/a/piani/2022/piano.xlsx",
            "/e/a/piani/2022/firmati/4f1c",
            "/e/a/piani/2022/monitoraggio/1/evidenze/2",
            "/studio/cruscotto.csv",
        ] {
            assert!(!con_menu(Method::GET, path), "{path}");
        }
        assert!(!con_menu(Method::POST, "/e/a/piani/2022"));
        assert!(!con_menu(Method::GET, "/api/navigazione"));
    }
}
