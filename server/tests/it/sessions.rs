//! Login, logout, session rotation and the guards around them.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use server::testing::TestDb;

use crate::support::{send, state, two_tenants, Client, HOST, PASSWORD};

#[tokio::test]
async fn session_id_changes_at_login_and_the_old_one_is_useless() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::new(&st);
    // A session planted before login (here: one made by logging in elsewhere and out).
    let mut planted = Client::logged_in(&st, "dip.a@test.it").await;
    let before = planted.cookie.clone().unwrap();
    planted.post("/logout", &[]).await;
    c.cookie = Some(before.clone());
    let r = c.login("admin.a@test.it", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/"));
    let after = c.cookie.clone().expect("session after login");
    assert_ne!(before, after, "session id rotated at login");
    // Whoever held the old id is not signed in.
    let mut old = Client::new(&st);
    old.cookie = Some(before);
    assert_eq!(
        old.get("/e/ente-a").await.location.as_deref(),
        Some("/login?next=%2Fe%2Fente-a")
    );
    assert_eq!(c.get("/e/ente-a").await.status, StatusCode::OK);
}

#[tokio::test]
async fn logout_makes_the_session_id_useless() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    let id = c.cookie.clone().unwrap();
    let r = c.post("/logout", &[]).await;
    assert_eq!(r.location.as_deref(), Some("/login?uscito=1"));
    let mut replay = Client::new(&st);
    replay.cookie = Some(id);
    assert_eq!(replay.get("/").await.location.as_deref(), Some("/login"));
    let r = replay.post("/api/enti/miei", &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "dip.a@test.it").await;
    assert_eq!(c.get("/e/ente-a").await.status, StatusCode::OK);
    disattiva(&db, t.dip_a).await;
    assert_eq!(
        c.get("/e/ente-a").await.location.as_deref(),
        Some("/login?next=%2Fe%2Fente-a")
    );
    // And cannot sign in again.
    let r = Client::new(&st).login("dip.a@test.it", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/login?errore=credenziali"));
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut here = Client::logged_in(&st, "admin.a@test.it").await;
    let mut elsewhere = Client::logged_in(&st, "admin.a@test.it").await;
    let prima = here.cookie.clone().unwrap();
    let r = here
        .post(
            "/api/account/password",
            &[
                ("current", "sbagliata"),
                ("new", "nuova-password-1"),
                ("confirm", "nuova-password-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("La password attuale non è corretta."));
    let r = here
        .post(
            "/api/account/password",
            &[
                ("current", PASSWORD),
                ("new", "corta"),
                ("confirm", "corta"),
            ],
        )
        .await;
    assert!(r.body.contains("almeno 12 caratteri"), "{}", r.body);
    let r = here
        .post(
            "/api/account/password",
            &[
                ("current", PASSWORD),
                ("new", "nuova-password-1"),
                ("confirm", "nuova-password-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // This session carries on under a new key; the key it had opens nothing.
    assert_ne!(here.cookie.as_deref(), Some(prima.as_str()));
    assert_eq!(here.get("/e/ente-a").await.status, StatusCode::OK);
    let mut vecchia = Client::new(&st);
    vecchia.cookie = Some(prima);
    assert_eq!(
        vecchia.get("/e/ente-a").await.location.as_deref(),
        Some("/login?next=%2Fe%2Fente-a")
    );
    assert_eq!(
        elsewhere.get("/e/ente-a").await.status,
        StatusCode::SEE_OTHER
    );
    let r = Client::new(&st)
        .login("admin.a@test.it", "nuova-password-1")
        .await;
    assert_eq!(r.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn unknown_email_and_wrong_password_read_the_same() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut a = Client::new(&st);
    let ra = a.login("nessuno@test.it", PASSWORD).await;
    let mut b = Client::new(&st);
    let rb = b.login("admin.a@test.it", "sbagliata").await;
    assert_eq!(ra.location, rb.location);
    let page = a.get(ra.location.as_deref().unwrap()).await.body;
    assert!(page.contains("E-mail o password non corretti."), "{page}");
}

#[tokio::test]
async fn login_attempts_are_rate_limited_per_account() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::new(&st);
    for _ in 0..10 {
        c.login("admin.a@test.it", "sbagliata").await;
    }
    // Even the right password is refused while the account is limited.
    let r = c.login("admin.a@test.it", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/login?errore=tentativi"));
    let page = c.get("/login?errore=tentativi").await;
    assert!(
        page.body.contains("Troppi tentativi di accesso"),
        "{}",
        page.body
    );
    // Another account from the same place is unaffected.
    let r = Client::new(&st).login("dip.a@test.it", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn state_changes_need_the_same_origin() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let c = Client::logged_in(&st, "admin.a@test.it").await;
    let cookie = format!("obiettivi_sessione={}", c.cookie.clone().unwrap());
    let form = "slug=ente-a&email=x%40test.it&display_name=X&role=dipendente";
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("x-nessuna-origine", "1"),
    ] {
        let req = Request::post("/api/utenti/crea")
            .header("host", HOST)
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .header(name, value)
            .body(Body::from(form))
            .unwrap();
        let r = send(&st, req).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{name}: {value}");
    }
    let req = Request::post("/logout")
        .header("host", HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&st, req).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let req = Request::post("/login")
        .header("host", HOST)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "email=admin.a%40test.it&password={PASSWORD}"
        )))
        .unwrap();
    let r = send(&st, req).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn errors_never_carry_internal_text() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    // A user id that is not a UUID: the framework's own parse error must not leak.
    let r = c
        .post(
            "/api/utenti/ruolo",
            &[
                ("slug", "ente-a"),
                ("user_id", "'; drop table users; --"),
                ("role", "nucleo"),
            ],
        )
        .await;
    assert!(r.status.is_client_error() || r.status.is_server_error());
    assert!(
        !r.body.to_lowercase().contains("uuid") && !r.body.contains("sql"),
        "{}",
        r.body
    );
}

/// «Le mie sessioni»: the owner sees where the account is signed in, this session marked,
/// and ends the others, which are refused at their next request; logging out closes one.
#[tokio::test]
async fn the_owner_sees_and_ends_their_other_sessions() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut here = Client::logged_in(&st, "admin.a@test.it").await;
    let mut elsewhere = Client::logged_in(&st, "admin.a@test.it").await;
    let sessions = list(&mut here).await;
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s.questa).count(), 1);
    // A session in use for hours stays listed (and closable): each request keeps its last
    // activity current.
    let mut o = db.owner().await;
    sqlx::query("update sessioni_utente set vista_at = now() - interval '3 hours'")
        .execute(&mut o)
        .await
        .unwrap();
    assert_eq!(elsewhere.get("/e/ente-a").await.status, StatusCode::OK);
    assert_eq!(here.get("/e/ente-a").await.status, StatusCode::OK);
    assert_eq!(list(&mut here).await.len(), 2);
    let r = here.post("/api/account/sessioni/chiudi-altre", &[]).await;
    assert_eq!(r.body, "1");
    assert_eq!(
        elsewhere.get("/e/ente-a").await.location.as_deref(),
        Some("/login?next=%2Fe%2Fente-a")
    );
    assert_eq!(here.get("/e/ente-a").await.status, StatusCode::OK);
    assert_eq!(list(&mut here).await.len(), 1);
    // Another person's sessions are not in the list.
    let mut other = Client::logged_in(&st, "dip.a@test.it").await;
    assert_eq!(list(&mut other).await.len(), 1);
    // Logging out closes this one.
    here.post("/logout", &[]).await;
    let mut again = Client::logged_in(&st, "admin.a@test.it").await;
    let sessions = list(&mut again).await;
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].questa);
}

async fn list(c: &mut Client) -> Vec<app::model::SessioneView> {
    let r = c.post("/api/account/sessioni", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// The idle timeout counts from the last request, not from the login: a request a minute
/// or more after the last one saves the session with a new expiry (at most one write a
/// minute); one within the minute writes nothing.
#[tokio::test]
async fn an_active_session_stays_open_past_the_idle_timeout() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    let mut o = db.owner().await;
    // As if signed in 119 minutes ago and last seen two minutes ago.
    for sql in [
        "update tower_sessions.session set expiry_date = now() + interval '1 minute'",
        "update sessioni_utente set vista_at = now() - interval '2 minutes'",
    ] {
        sqlx::query(sql).execute(&mut o).await.unwrap();
    }
    let rimasti = async |o: &mut sqlx::PgConnection| -> i64 {
        sqlx::query_scalar(
            "select extract(epoch from max(expiry_date) - now())::bigint
               from tower_sessions.session",
        )
        .fetch_one(o)
        .await
        .unwrap()
    };
    assert!(rimasti(&mut o).await <= 60);
    assert_eq!(c.get("/e/ente-a").await.status, StatusCode::OK);
    let dopo = rimasti(&mut o).await;
    assert!(
        (server::IDLE_TIMEOUT_MINUTES * 60 - 60..=server::IDLE_TIMEOUT_MINUTES * 60)
            .contains(&dopo),
        "{dopo} s left"
    );
    // Within the minute: nothing is written.
    sqlx::query("update tower_sessions.session set expiry_date = now() + interval '1 minute'")
        .execute(&mut o)
        .await
        .unwrap();
    assert_eq!(c.get("/e/ente-a").await.status, StatusCode::OK);
    assert!(rimasti(&mut o).await <= 60);
}

/// The built files never load the session nor the caller: a first visit's twenty-odd
/// files cost the database nothing. Seen from outside: with the cookie of an account
/// disabled since, a file leaves the session alone; the next page ends it.
#[tokio::test]
async fn static_files_leave_the_session_alone() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "dip.a@test.it").await;
    disattiva(&db, t.dip_a).await;
    for path in [
        "/pkg/obiettivi.wasm",
        "/vendor/bootstrap-italia/css/bootstrap-italia.min.css",
        "/favicon.svg",
        "/fonts.css",
    ] {
        c.get(path).await;
        assert!(c.cookie.is_some(), "{path} touched the session");
    }
    assert_eq!(
        c.get("/e/ente-a").await.location.as_deref(),
        Some("/login?next=%2Fe%2Fente-a")
    );
    assert!(
        c.cookie.is_none(),
        "a page ends the disabled account's session"
    );
}

/// Disables an account, as a platform administrator would.
async fn disattiva(db: &TestDb, user: uuid::Uuid) {
    sqlx::query("update users set disabled = true where id = $1")
        .bind(user)
        .execute(&mut db.owner().await)
        .await
        .unwrap();
}

/// The middleware reads the session and its caller from the cookie's key alone: the line
/// in «Le mie sessioni» holds the key's SHA-256, never the key, and each limit ends the
/// session at the next page: the idle timeout (the store's expiry), the absolute lifetime
/// (the line's login time), a closed line, a password changed since.
#[tokio::test]
async fn the_cookie_key_opens_its_line_until_a_limit_ends_it() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut o = db.owner().await;
    let chiave = |c: &Client| c.cookie.clone().expect("signed in");
    // The line holds the digest of the key the browser holds.
    let c = Client::logged_in(&st, "admin.a@test.it").await;
    let (digest, in_chiaro): (bool, i64) = sqlx::query_as(
        "select bool_and(chiave = sha256(convert_to($1, 'UTF8'))),
                count(*) filter (where position(convert_to($1, 'UTF8') in chiave) > 0)
           from sessioni_utente where chiusa_at is null",
    )
    .bind(chiave(&c))
    .fetch_one(&mut o)
    .await
    .unwrap();
    assert!(digest, "the line is bound to the cookie's key");
    assert_eq!(in_chiaro, 0, "the key itself is not stored");
    let finisce = async |sql: &str, o: &mut sqlx::PgConnection| {
        let mut c = Client::logged_in(&st, "admin.a@test.it").await;
        assert_eq!(c.get("/e/ente-a").await.status, StatusCode::OK);
        sqlx::query(sql).bind(chiave(&c)).execute(o).await.unwrap();
        assert_eq!(
            c.get("/e/ente-a").await.location.as_deref(),
            Some("/login?next=%2Fe%2Fente-a"),
            "still signed in after: {sql}"
        );
        assert!(c.cookie.is_none(), "the session is not ended after: {sql}");
    };
    for sql in [
        // Idle past the timeout: the store's record has expired.
        "update tower_sessions.session set expiry_date = now() - interval '1 second'
          where id = $1",
        // Signed in 12 hours ago, however active since.
        "update sessioni_utente set creata_at = now() - interval '12 hours 1 minute'
          where chiave = sha256(convert_to($1, 'UTF8'))",
        // Closed from another session.
        "update sessioni_utente set chiusa_at = now()
          where chiave = sha256(convert_to($1, 'UTF8'))",
        // The password changed since (by any way).
        "update users set password_changed_at = now()
          where id = (select user_id from sessioni_utente
                       where chiave = sha256(convert_to($1, 'UTF8')))",
        // A key of the store that no line holds (a forged or stale binding).
        "update sessioni_utente set chiave = null where chiave = sha256(convert_to($1, 'UTF8'))",
    ] {
        finisce(sql, &mut o).await;
    }
}
