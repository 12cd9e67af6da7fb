//! The second factor (TOTP, recovery codes) and where it is required.

use axum::http::StatusCode;
use server::testing::TestDb;

use app::model::{Iscrizione2fa, Stato2fa};

use crate::support::{state, two_tenants, Client, OWN_PASSWORD, PASSWORD};

/// The code an authenticator app shows for `secret` at `seconds`.
fn code(secret: &str, seconds: u64) -> String {
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap()
        .generate(seconds)
        .to_string()
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

/// Enrols the signed-in client; returns the secret and the recovery codes.
async fn enrol(c: &mut Client) -> (String, Vec<String>) {
    let r = c.post("/api/account/2fa/inizia", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let i: Iscrizione2fa = serde_json::from_str(&r.body).unwrap();
    assert!(i.qr_svg.starts_with("<svg"));
    let r = c
        .post("/api/account/2fa/conferma", &[("codice", "000000")])
        .await;
    if r.status == StatusCode::OK {
        // One in a million: 000000 was the right code.
        return (i.segreto, serde_json::from_str(&r.body).unwrap());
    }
    assert!(r.body.contains("Codice non corretto"), "{}", r.body);
    let r = c
        .post(
            "/api/account/2fa/conferma",
            &[("codice", &code(&i.segreto, now()))],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    (i.segreto, serde_json::from_str(&r.body).unwrap())
}

async fn login_with_code(
    st: &server::state::AppState,
    email: &str,
    password: &str,
    codice: &str,
) -> (Client, Option<String>) {
    let mut c = Client::new(st);
    let r = c.login(email, password).await;
    assert_eq!(r.location.as_deref(), Some("/login/codice"), "{email}");
    let r = c.post("/login/codice", &[("codice", codice)]).await;
    (c, r.location)
}

/// Attack: the password alone (stolen, guessed, or set by an admin) opens an account that
/// has a second factor. It must not; a code works once; a recovery code works once.
#[tokio::test]
async fn a_stolen_password_alone_does_not_open_an_account_with_a_second_factor() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut owner = Client::logged_in(&st, "admin.a@test.it").await;
    let (secret, recovery) = enrol(&mut owner).await;
    assert_eq!(recovery.len(), 10);

    // The password leads only to the code page: nothing else is open.
    let mut thief = Client::new(&st);
    let r = thief.login("admin.a@test.it", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/login/codice"));
    assert_eq!(
        thief.get("/e/ente-a").await.location.as_deref(),
        Some("/login?next=%2Fe%2Fente-a")
    );
    let r = thief.post("/api/enti/miei", &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = thief.post("/login/codice", &[("codice", "123456")]).await;
    if code(&secret, now()) != "123456" {
        assert_eq!(r.location.as_deref(), Some("/login/codice?errore=codice"));
    }

    // The right code opens it, once: the enrolment's step was used, the next one passes.
    let next = code(&secret, now() + 30);
    let (mut c, to) = login_with_code(&st, "admin.a@test.it", PASSWORD, &next).await;
    assert_eq!(to.as_deref(), Some("/"));
    assert_eq!(c.get("/e/ente-a").await.status, StatusCode::OK);
    let (_, to) = login_with_code(&st, "admin.a@test.it", PASSWORD, &next).await;
    assert_eq!(
        to.as_deref(),
        Some("/login/codice?errore=codice"),
        "replayed code"
    );

    // A recovery code, in any case and with spaces, once.
    let typed = recovery[3].to_uppercase().replace('-', " ");
    let (_, to) = login_with_code(&st, "admin.a@test.it", PASSWORD, &typed).await;
    assert_eq!(to.as_deref(), Some("/"));
    let (_, to) = login_with_code(&st, "admin.a@test.it", PASSWORD, &recovery[3]).await;
    assert_eq!(to.as_deref(), Some("/login/codice?errore=codice"));
    let r = c.post("/api/account/2fa/stato", &[]).await;
    let s: Stato2fa = serde_json::from_str(&r.body).unwrap();
    assert!(s.attivo && !s.richiesto);
    assert_eq!(s.codici_rimasti, 9);

    // A code page without a password first: back to the login.
    let r = Client::new(&st)
        .post("/login/codice", &[("codice", &code(&secret, now()))])
        .await;
    assert_eq!(r.location.as_deref(), Some("/login?errore=codice-scaduto"));

    // Turning it off needs the password (and it is not required of this account).
    let r = c
        .post("/api/account/2fa/disattiva", &[("password", "sbagliata")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post("/api/account/2fa/disattiva", &[("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = Client::new(&st).login("admin.a@test.it", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/"));
}

/// Platform administrators must have a second factor (the demo's are exempt); an ente's
/// admins can require it of all its people. Until it is set up, nothing else opens.
#[tokio::test]
async fn a_required_second_factor_is_set_up_before_anything_else() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    // A new platform administrator from the command line.
    server::cli::run(&db.pool, &["crea-amministratore", "capo@test.it", "Capo"])
        .await
        .unwrap();
    let mut o = db.owner().await;
    let temp = "una-password-temporanea-nota";
    sqlx::query("update users set password_hash = $1 where email = 'capo@test.it'")
        .bind(app::ssr::password::hash(temp))
        .execute(&mut o)
        .await
        .unwrap();
    let mut capo = Client::first_access(&st, "capo@test.it", temp).await;
    assert_eq!(
        capo.get("/admin").await.location.as_deref(),
        Some("/account?richiesto=2fa")
    );
    let r = capo.post("/api/admin/studi", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = capo.post("/api/account/2fa/stato", &[]).await;
    let s: Stato2fa = serde_json::from_str(&r.body).unwrap();
    assert!(s.richiesto && !s.attivo);
    enrol(&mut capo).await;
    assert_eq!(capo.get("/admin").await.status, StatusCode::OK);
    let r = capo
        .post("/api/account/2fa/disattiva", &[("password", OWN_PASSWORD)])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required: stays on"
    );

    // Ente A requires it: its dipendente must set it up; ente B's people are unaffected.
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let r = admin
        .post(
            "/api/utenti/richiedi-2fa",
            &[("slug", "ente-a"), ("richiesto", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut dip = Client::new(&st);
    dip.login("dip.a@test.it", PASSWORD).await;
    assert_eq!(
        dip.get("/e/ente-a").await.location.as_deref(),
        Some("/account?richiesto=2fa")
    );
    let r = dip
        .post(
            "/api/personale/miei-obiettivi",
            &[("slug", "ente-a"), ("anno", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut b = Client::logged_in(&st, "dip.b@test.it").await;
    assert_eq!(b.get("/e/ente-b").await.status, StatusCode::OK);
    // The admin who asked is one of the ente's people too: set it up first, then free the
    // others again.
    let r = admin.post("/api/utenti/2fa", &[("slug", "ente-a")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    enrol(&mut admin).await;
    let r = admin
        .post("/api/utenti/richiedi-2fa", &[("slug", "ente-a")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(dip.get("/e/ente-a").await.status, StatusCode::OK);
    let r = admin.post("/api/utenti/2fa", &[("slug", "ente-a")]).await;
    assert_eq!(r.body, "false");
}

#[tokio::test]
async fn a_firm_can_require_the_second_factor_of_all_its_consultants() {
    let db = TestDb::new().await;
    let _t = two_tenants(&db).await;
    let st = state(&db);
    let mut capo = Client::logged_in(&st, "consulente.1@test.it").await;
    // A second consultant of the same firm, who has chosen their password.
    let r = capo
        .post(
            "/api/studio/nuovo-consulente",
            &[
                ("email", "collega.1@test.it"),
                ("display_name", "Carla Collega"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let otp: app::model::OneTimePassword = serde_json::from_str(&r.body).unwrap();
    let mut collega = Client::first_access(&st, "collega.1@test.it", &otp.codice).await;
    assert_eq!(collega.get("/e/ente-a").await.status, StatusCode::OK);

    // Only consultants choose it, for their own firm; nobody else.
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let r = admin
        .post("/api/studio/richiedi-2fa", &[("richiesto", "on")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = capo.post("/api/studio/2fa", &[]).await;
    assert_eq!(r.body, "false");
    let r = capo
        .post("/api/studio/richiedi-2fa", &[("richiesto", "on")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Every consultant of the firm, the one who asked included, must set it up first.
    for c in [&mut capo, &mut collega] {
        assert_eq!(
            c.get("/e/ente-a").await.location.as_deref(),
            Some("/account?richiesto=2fa")
        );
        let r = c.post("/api/studio/consulenti", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    // The other firm's consultant, and the ente's own people, are unaffected.
    let mut altro = Client::logged_in(&st, "consulente.2@test.it").await;
    assert_eq!(altro.get("/e/ente-b").await.status, StatusCode::OK);
    assert_eq!(admin.get("/e/ente-a").await.status, StatusCode::OK);
    let r = altro.post("/api/studio/2fa", &[]).await;
    assert_eq!(r.body, "false");

    // Once set up, the code is asked at every login.
    let (segreto, _) = enrol(&mut collega).await;
    assert_eq!(collega.get("/e/ente-a").await.status, StatusCode::OK);
    // (The next step's code: the one used to enrol is spent.)
    let (mut di_nuovo, _) = login_with_code(
        &st,
        "collega.1@test.it",
        OWN_PASSWORD,
        &code(&segreto, now() + 30),
    )
    .await;
    assert_eq!(di_nuovo.get("/e/ente-a").await.status, StatusCode::OK);

    // Recorded, with who asked, in the access log the platform administrators read.
    let mut o = db.owner().await;
    let eventi: Vec<String> = sqlx::query_scalar(
        "select evento from registro_accessi where email = 'consulente.1@test.it' order by id",
    )
    .fetch_all(&mut o)
    .await
    .unwrap();
    assert!(
        eventi.contains(&"2fa_studio_richiesta".to_string()),
        "{eventi:?}"
    );
}
