//! Attacks on accounts (issue: security to ASVS L2): taking over an account across enti,
//! temporary passwords, demo logins on a fresh install, open redirects after login, sessions
//! for failed logins. Each test is named after the attack it proves fails.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use server::testing::TestDb;

use app::model::{CodiceTipo, Membro, OneTimePassword};

use crate::support::{send, state, two_tenants, Client, HOST, OWN_PASSWORD, PASSWORD};

async fn invite(
    c: &mut Client,
    slug: &str,
    email: &str,
    name: &str,
    role: &str,
) -> OneTimePassword {
    let r = c
        .post(
            "/api/utenti/crea",
            &[
                ("slug", slug),
                ("email", email),
                ("display_name", name),
                ("role", role),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn members(c: &mut Client, slug: &str) -> Vec<Membro> {
    let r = c.post("/api/utenti/elenco", &[("slug", slug)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// The attack of the report: ente A's admin creates `sindaco@comune-b.it` in A and sets its
/// password; later ente B adds the same address as its admin. A's admin must not get into B,
/// and B's admin must not learn that the account existed, nor its name.
#[tokio::test]
async fn account_takeover_across_enti_through_a_shared_address_fails() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut admin_a = Client::logged_in(&st, "admin.a@test.it").await;
    let code_a = invite(
        &mut admin_a,
        "ente-a",
        "sindaco@comune-b.it",
        "Nome scelto da A",
        "dipendente",
    )
    .await;
    // The attacker uses the code himself and now knows the account's password.
    let mut attacker = Client::first_access(&st, "sindaco@comune-b.it", &code_a.codice).await;
    assert_eq!(attacker.get("/e/ente-a").await.status, StatusCode::OK);

    // Ente B adds the address as its admin, and a brand-new address for comparison.
    let mut admin_b = Client::logged_in(&st, "admin.b@test.it").await;
    let esistente = invite(
        &mut admin_b,
        "ente-b",
        "sindaco@comune-b.it",
        "Sergio Sindaco",
        "ente_admin",
    )
    .await;
    let nuovo = invite(
        &mut admin_b,
        "ente-b",
        "mai-visto@comune-b.it",
        "Mai Visto",
        "ente_admin",
    )
    .await;
    // The same answer either way: a code of the same kind and length.
    assert_eq!(esistente.tipo, CodiceTipo::Accesso);
    assert_eq!(nuovo.tipo, CodiceTipo::Accesso);
    assert_eq!(esistente.codice.len(), nuovo.codice.len());
    assert_ne!(esistente.codice, code_a.codice);
    // B's list shows both as pending invitations with the names B typed: not A's name, not
    // "used elsewhere".
    let list = members(&mut admin_b, "ente-b").await;
    for (email, name) in [
        ("sindaco@comune-b.it", "Sergio Sindaco"),
        ("mai-visto@comune-b.it", "Mai Visto"),
    ] {
        let m = list.iter().find(|m| m.email == email).unwrap();
        assert!(m.in_attesa && !m.condiviso, "{m:?}");
        assert_eq!(m.display_name, name);
    }
    let r = admin_b
        .post("/api/utenti/elenco", &[("slug", "ente-b")])
        .await;
    assert!(!r.body.contains("Nome scelto da A"), "{}", r.body);

    // The attacker, signed in as the account, gets nothing of B.
    let mut attacker2 = Client::new(&st);
    let r = attacker2.login("sindaco@comune-b.it", OWN_PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/"));
    assert_eq!(
        attacker2.get("/e/ente-b").await.status,
        StatusCode::NOT_FOUND
    );
    let r = attacker2
        .post("/api/utenti/elenco", &[("slug", "ente-b")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = attacker2.post("/api/enti/miei", &[]).await;
    assert!(!r.body.contains("ente-b"), "{}", r.body);
    // Accepting needs B's code: the account alone is not enough.
    let r = attacker
        .post("/api/account/accetta-invito", &[("codice", &code_a.codice)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Codice non valido o scaduto"), "{}", r.body);
    assert_eq!(
        attacker.get("/e/ente-b").await.status,
        StatusCode::NOT_FOUND
    );
    // B's admin cannot reset the password of the account either: only a new code.
    let sindaco = list
        .iter()
        .find(|m| m.email == "sindaco@comune-b.it")
        .unwrap();
    let r = admin_b
        .post(
            "/api/utenti/reimposta-password",
            &[
                ("slug", "ente-b"),
                ("user_id", &sindaco.user_id.to_string()),
            ],
        )
        .await;
    let rinnovo: OneTimePassword = serde_json::from_str(&r.body).unwrap();
    assert_eq!(rinnovo.tipo, CodiceTipo::Accesso);
    let r = Client::new(&st)
        .login("sindaco@comune-b.it", &rinnovo.codice)
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/login?errore=credenziali"),
        "the new code is not the existing account's password"
    );
    // Whoever holds both the account and B's code (the real owner, once the account is
    // theirs) joins B.
    let r = attacker
        .post(
            "/api/account/accetta-invito",
            &[("codice", &rinnovo.codice)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let joined: Vec<String> = serde_json::from_str(&r.body).unwrap();
    assert_eq!(joined, ["Comune B"]);
    assert_eq!(attacker.get("/e/ente-b").await.status, StatusCode::OK);
    // Single use.
    let r = attacker
        .post(
            "/api/account/accetta-invito",
            &[("codice", &rinnovo.codice)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The first code of B no longer works (replaced).
    let mut o = db.owner().await;
    let pending: i64 = sqlx::query_scalar(
        "select count(*) from memberships m join users u on u.id = m.user_id
          where u.email = 'sindaco@comune-b.it' and m.invito_hash is not null",
    )
    .fetch_one(&mut o)
    .await
    .unwrap();
    assert_eq!(pending, 0);
    let _ = esistente;
}

#[tokio::test]
async fn an_expired_invitation_code_is_refused() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut admin_b = Client::logged_in(&st, "admin.b@test.it").await;
    let code = invite(&mut admin_b, "ente-b", "admin.a@test.it", "Anna", "nucleo").await;
    let mut o = db.owner().await;
    sqlx::query(
        "update memberships set invito_scade_at = now() - interval '1 minute'
          where ente_id = $1 and user_id = (select id from users where email = 'admin.a@test.it')",
    )
    .bind(t.ente_b)
    .execute(&mut o)
    .await
    .unwrap();
    let mut a = Client::logged_in(&st, "admin.a@test.it").await;
    let r = a
        .post("/api/account/accetta-invito", &[("codice", &code.codice)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(a.get("/e/ente-b").await.status, StatusCode::NOT_FOUND);
}

/// A weak password, or one made of the context (the product, the ente, one's name), is
/// refused when chosen; a strong one is taken.
#[tokio::test]
async fn a_weak_or_contextual_password_is_refused() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    for weak in [
        "qwertyuiop12",
        "obiettivi2026!!",
        "ComuneA-comune-a-2026",
        "aaaaaaaaaaaaaaaa",
    ] {
        let r = c
            .post(
                "/api/account/password",
                &[("current", PASSWORD), ("new", weak), ("confirm", weak)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        assert!(
            r.body.contains("troppo facile da indovinare"),
            "{weak}: {}",
            r.body
        );
    }
    let r = c
        .post(
            "/api/account/password",
            &[
                ("current", PASSWORD),
                ("new", OWN_PASSWORD),
                ("confirm", OWN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// A password set by an admin must be changed at the first login; until then nothing else
/// opens; and it stops working after 72 hours.
#[tokio::test]
async fn a_password_set_by_an_admin_is_temporary() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let temp = reset(&mut admin, t.dip_a).await;
    let mut d = Client::new(&st);
    let r = d.login("dip.a@test.it", &temp).await;
    assert_eq!(r.location.as_deref(), Some("/account?primo=1"));
    // Nothing but choosing a password.
    assert_eq!(
        d.get("/e/ente-a").await.location.as_deref(),
        Some("/account?primo=1")
    );
    assert_eq!(d.get("/account?primo=1").await.status, StatusCode::OK);
    let r = d.post("/api/enti/miei", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = d
        .post(
            "/api/personale/miei-obiettivi",
            &[("slug", "ente-a"), ("anno", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (status, _, _) = d.download("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_ne!(status, StatusCode::OK);
    // Choosing one's own opens the rest, in a new session id.
    let id_before = d.cookie.clone();
    let r = d
        .post(
            "/api/account/password",
            &[
                ("current", &temp),
                ("new", OWN_PASSWORD),
                ("confirm", OWN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(
        d.cookie, id_before,
        "new session id after a password change"
    );
    assert_eq!(d.get("/e/ente-a").await.status, StatusCode::OK);
    let r = Client::new(&st).login("dip.a@test.it", OWN_PASSWORD).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/"),
        "the owner's password is permanent"
    );

    // An unused temporary password expires, and so does a session opened with it.
    let temp = reset(&mut admin, t.dip_a).await;
    let mut d = Client::new(&st);
    d.login("dip.a@test.it", &temp).await;
    let mut o = db.owner().await;
    sqlx::query("update users set password_scade_at = now() - interval '1 minute' where id = $1")
        .bind(t.dip_a)
        .execute(&mut o)
        .await
        .unwrap();
    assert_eq!(
        d.get("/account").await.location.as_deref(),
        Some("/login?next=%2Faccount")
    );
    let r = Client::new(&st).login("dip.a@test.it", &temp).await;
    assert_eq!(r.location.as_deref(), Some("/login?errore=scaduta"));
    let page = Client::new(&st).get("/login?errore=scaduta").await;
    assert!(
        page.body.contains("La password temporanea è scaduta"),
        "{}",
        page.body
    );
    // The wrong password still says only "wrong".
    let r = Client::new(&st)
        .login("dip.a@test.it", "tentativo-a-caso")
        .await;
    assert_eq!(r.location.as_deref(), Some("/login?errore=credenziali"));
}

async fn reset(admin: &mut Client, user: uuid::Uuid) -> String {
    let r = admin
        .post(
            "/api/utenti/reimposta-password",
            &[("slug", "ente-a"), ("user_id", &user.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let otp: OneTimePassword = serde_json::from_str(&r.body).unwrap();
    assert_eq!(otp.tipo, CodiceTipo::PasswordTemporanea);
    otp.codice
}

#[tokio::test]
async fn the_command_line_never_promotes_an_existing_account() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let err = server::cli::run(&db.pool, &["crea-amministratore", "dip.a@test.it", "Dario"])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("esiste già un account"), "{err}");
    let err = server::cli::run(
        &db.pool,
        &["crea-studio", "Studio Nuovo", "admin.b@test.it", "Bruno"],
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("esiste già un account"), "{err}");
    let mut o = db.owner().await;
    let (admin, firms): (bool, i64) = sqlx::query_as(
        "select u.is_platform_admin, (select count(*) from firm_memberships f where f.user_id = u.id)
           from users u where u.id = $1 or u.id = $2 order by u.is_platform_admin desc limit 1",
    )
    .bind(t.dip_a)
    .bind(t.admin_b)
    .fetch_one(&mut o)
    .await
    .unwrap();
    assert!(!admin && firms == 0);
    let studio: i64 = sqlx::query_scalar("select count(*) from firms where name = 'Studio Nuovo'")
        .fetch_one(&mut o)
        .await
        .unwrap();
    assert_eq!(studio, 0, "nothing half-done");
    // A new account gets a temporary password.
    server::cli::run(
        &db.pool,
        &["crea-amministratore", "nuovo.admin@test.it", "Nuovo Admin"],
    )
    .await
    .unwrap();
    let (temp, admin): (bool, bool) = sqlx::query_as(
        "select password_temporanea and password_scade_at > now() + interval '71 hours', is_platform_admin
           from users where email = 'nuovo.admin@test.it'",
    )
    .fetch_one(&mut o)
    .await
    .unwrap();
    assert!(temp && admin);
}

/// The embedded default without `--demo` must not hold the published demo logins.
#[tokio::test]
async fn a_fresh_install_has_no_published_demo_logins() {
    let dir = std::env::temp_dir().join(format!("obiettivi-fresco-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = crate::support::embedded_config(&dir);
    let mut database = server::open_database(&config, false).await.expect("start");
    let users: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&database.pool)
        .await
        .unwrap();
    database.pool.close().await;
    if let Some(mut c) = database.cluster.take() {
        tokio::task::spawn_blocking(move || c.stop()).await.unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        users, 0,
        "no account, demo or otherwise, on a fresh install"
    );
}

/// `next=/%09/evil.example` arrives as "/\t/evil.example", which browsers read as
/// "//evil.example".
#[tokio::test]
async fn an_open_redirect_after_login_fails() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    for next in [
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/\n/evil.example",
    ] {
        let mut c = Client::new(&st);
        let r = c
            .post(
                "/login",
                &[
                    ("email", "admin.a@test.it"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/"), "{next:?}");
    }
    let mut c = Client::new(&st);
    let r = c
        .post(
            "/login",
            &[
                ("email", "admin.a@test.it"),
                ("password", PASSWORD),
                ("next", "/e/ente-a/piani/2022"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/e/ente-a/piani/2022"));
}

/// Anonymous floods of failed logins must not fill the session table.
#[tokio::test]
async fn failed_logins_create_no_session_rows() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let count = || async {
        let mut o = db.owner().await;
        sqlx::query_scalar::<_, i64>("select count(*) from tower_sessions.session")
            .fetch_one(&mut o)
            .await
            .unwrap()
    };
    let before = count().await;
    for i in 0..5 {
        let mut c = Client::new(&st);
        let r = c.login(&format!("nessuno{i}@test.it"), "sbagliata").await;
        assert_eq!(r.location.as_deref(), Some("/login?errore=credenziali"));
        assert!(c.cookie.is_none());
    }
    assert_eq!(count().await, before);
    // The message and the typed e-mail still reach the form.
    let req = Request::get("/login?errore=credenziali")
        .header("host", HOST)
        .header(
            "cookie",
            format!("obiettivi_email={}", hex::encode("admin.a@test.it")),
        )
        .body(Body::empty())
        .unwrap();
    let page = crate::support::body_text(send(&st, req).await).await;
    assert!(page.contains("E-mail o password non corretti."), "{page}");
    assert!(page.contains(r#"value="admin.a@test.it""#), "{page}");
}

/// Pages carry a Content-Security-Policy whose scripts are this site's or carry this
/// response's nonce (no 'unsafe-inline' for scripts), and cannot be framed; every response
/// says nosniff and its referrer policy.
#[tokio::test]
async fn pages_carry_a_nonce_csp_and_the_security_headers() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let get = |path: &'static str| {
        let st = st.clone();
        async move {
            let req = Request::get(path)
                .header("host", HOST)
                .body(Body::empty())
                .unwrap();
            let resp = send(&st, req).await;
            let headers = resp.headers().clone();
            (headers, crate::support::body_text(resp).await)
        }
    };
    let (h, body) = get("/login").await;
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{csp}");
    let nonce = script_src
        .split_whitespace()
        .find_map(|t| t.strip_prefix("'nonce-"))
        .and_then(|t| t.strip_suffix('\''))
        .expect("a nonce");
    assert!(nonce.len() >= 16);
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(h["cache-control"], "no-store", "pages are not cached");
    // Every inline script of the page carries it.
    let inline = body.matches("<script").count();
    assert!(inline > 0);
    assert_eq!(
        body.matches(&format!("nonce=\"{nonce}\"")).count(),
        inline,
        "{body}"
    );
    // A new nonce per response.
    let (h2, _) = get("/login").await;
    assert_ne!(h2["content-security-policy"], h["content-security-policy"]);
    for path in ["/login", "/health", "/favicon.svg"] {
        let (h, _) = get(path).await;
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}

/// Logins (with the address), failures and credential changes go to an access log that the
/// platform administrators read and nobody can rewrite.
#[tokio::test]
async fn logins_and_credential_changes_are_in_an_insert_only_access_log() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    Client::new(&st).login("nessuno@test.it", "x").await;
    Client::new(&st).login("admin.a@test.it", "sbagliata").await;
    let mut a = Client::logged_in(&st, "admin.a@test.it").await;
    let r = a
        .post(
            "/api/account/password",
            &[
                ("current", PASSWORD),
                ("new", OWN_PASSWORD),
                ("confirm", OWN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = a.post("/api/admin/accessi", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut p = Client::logged_in(&st, "piattaforma@test.it").await;
    let r = p.post("/api/admin/accessi", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let voci: Vec<app::model::VoceAccesso> = serde_json::from_str(&r.body).unwrap();
    let got: Vec<(&str, &str)> = voci
        .iter()
        .rev()
        .map(|v| (v.email.as_str(), v.evento.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("nessuno@test.it", "accesso_fallito"),
            ("admin.a@test.it", "accesso_fallito"),
            ("admin.a@test.it", "accesso"),
            ("admin.a@test.it", "password_cambiata"),
            ("piattaforma@test.it", "accesso"),
        ]
    );
    assert!(voci.iter().all(|v| v.quando.len() == 19), "{voci:?}");
    // Insert-only for the application's role.
    for sql in [
        "update registro_accessi set evento = 'accesso'",
        "delete from registro_accessi",
    ] {
        let r = sqlx::query(sql).execute(&db.pool).await;
        assert!(r.is_err(), "{sql}");
    }
}

/// «Registro attività»: what was done in the ente and by whom, for its admins only.
#[tokio::test]
async fn the_activity_log_lists_what_was_done_in_the_ente() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    invite(
        &mut admin,
        "ente-a",
        "nuova@test.it",
        "Nuova Persona",
        "nucleo",
    )
    .await;
    let r = admin
        .post("/api/ente/registro", &[("slug", "ente-a")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let voci: Vec<app::model::VoceRegistro> = serde_json::from_str(&r.body).unwrap();
    assert_eq!(voci[0].azione, "utente_invitato");
    assert_eq!(voci[0].chi, "admin.a@test.it");
    assert!(
        voci[0].dettaglio.contains("email: nuova@test.it"),
        "{:?}",
        voci[0]
    );
    assert_eq!(
        app::domain::registro::azione(&voci[0].azione),
        "Persona aggiunta (invito)"
    );
    let mut dip = Client::logged_in(&st, "dip.a@test.it").await;
    let r = dip.post("/api/ente/registro", &[("slug", "ente-a")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = admin.get("/e/ente-a/registro").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Persona aggiunta (invito)"),
        "{}",
        page.body
    );
}
