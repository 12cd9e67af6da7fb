//! Helpers shared by the integration tests.

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use server::state::AppState;
use server::testing::TestDb;
use tower::ServiceExt;
use uuid::Uuid;

pub fn state(db: &TestDb) -> AppState {
    db.state()
}

/// Sends one request through the whole router, as the network would.
pub async fn send(state: &AppState, req: Request<Body>) -> Response<Body> {
    let what = format!("{} {}", req.method(), req.uri());
    // A request that never answers is a defect to name, not a test run that hangs.
    tokio::time::timeout(
        std::time::Duration::from_secs(30),
        server::router(state.clone()).oneshot(req),
    )
    .await
    .unwrap_or_else(|_| panic!("no answer in 30 s: {what}"))
    .expect("router is infallible")
}

/// The id of the account with `email`.
pub async fn id_utente(c: &mut sqlx::PgConnection, email: &str) -> Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(c)
        .await
        .unwrap()
}

pub async fn body_text(resp: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(resp.into_body(), 10 << 20)
        .await
        .expect("body");
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A browser-like client: one session cookie, same-origin headers on every POST.
pub struct Client {
    pub state: AppState,
    pub cookie: Option<String>,
}

pub const COOKIE: &str = "obiettivi_sessione";
pub const HOST: &str = "obiettivi.test";

/// A field of a multipart form.
pub enum Parte<'a> {
    Testo(&'a str),
    /// File name and bytes.
    File(&'a str, &'a [u8]),
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl Client {
    pub fn new(state: &AppState) -> Client {
        Client {
            state: state.clone(),
            cookie: None,
        }
    }

    async fn send(&mut self, req: axum::http::request::Builder, body: Body) -> Reply {
        let mut req = req.header("host", HOST);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", format!("{COOKIE}={c}"));
        }
        let resp = send(&self.state, req.body(body).unwrap()).await;
        for v in resp.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            if let Some(rest) = v.strip_prefix(&format!("{COOKIE}=")) {
                let value = rest.split(';').next().unwrap_or_default();
                self.cookie = if value.is_empty() || v.contains("Max-Age=0") {
                    None
                } else {
                    Some(value.to_string())
                };
            }
        }
        let status = resp.status();
        let location = resp
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        Reply {
            status,
            location,
            body: body_text(resp).await,
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Request::get(path), Body::empty()).await
    }

    /// A GET with this client's session, its whole response (headers and all).
    pub async fn risposta(&self, path: &str) -> Response<Body> {
        self.risposta_con(path, &[]).await
    }

    /// `risposta` with these headers too.
    pub async fn risposta_con(&self, path: &str, headers: &[(&str, &str)]) -> Response<Body> {
        let mut req = Request::get(path).header("host", HOST);
        for (nome, valore) in headers {
            req = req.header(*nome, *valore);
        }
        if let Some(c) = &self.cookie {
            req = req.header("cookie", format!("{COOKIE}={c}"));
        }
        send(&self.state, req.body(Body::empty()).unwrap()).await
    }

    /// A GET whose body is a file: (status, content type, bytes).
    pub async fn download(&mut self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let resp = self.risposta(path).await;
        let status = resp.status();
        let tipo = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(resp.into_body(), 50 << 20)
            .await
            .expect("body");
        (status, tipo, bytes.to_vec())
    }

    /// A same-origin form POST, as the page's own forms and server functions send it
    /// (uploads, `/api/carica/…`, as multipart with the field `file` as the file).
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        if path.starts_with("/api/carica/") {
            let parti: Vec<(&str, Parte)> = form
                .iter()
                .map(|(k, v)| match *k {
                    "file" => (*k, Parte::File("file.bin", v.as_bytes())),
                    _ => (*k, Parte::Testo(v)),
                })
                .collect();
            return self.post_multipart(path, &parti).await;
        }
        let body = serde_urlencoded::to_string(form).unwrap();
        self.send(
            Request::post(path)
                .header("origin", format!("http://{HOST}"))
                .header("content-type", "application/x-www-form-urlencoded"),
            Body::from(body),
        )
        .await
    }

    /// A same-origin multipart POST, fields in the given order, as the browser sends a
    /// `FormData`.
    pub async fn post_multipart(&mut self, path: &str, parti: &[(&str, Parte<'_>)]) -> Reply {
        let confine = "----obiettivi-test-7d1f";
        let mut body = Vec::new();
        for (nome, parte) in parti {
            body.extend_from_slice(format!("--{confine}\r\n").as_bytes());
            match parte {
                Parte::Testo(v) => {
                    body.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{nome}\"\r\n\r\n")
                            .as_bytes(),
                    );
                    body.extend_from_slice(v.as_bytes());
                }
                Parte::File(file, dati) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{nome}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    body.extend_from_slice(dati);
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{confine}--\r\n").as_bytes());
        self.send(
            Request::post(path)
                .header("origin", format!("http://{HOST}"))
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={confine}"),
                )
                .header("content-length", body.len()),
            Body::from(body),
        )
        .await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Reply {
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn logged_in(state: &AppState, email: &str) -> Client {
        let mut c = Client::new(state);
        let r = c.login(email, PASSWORD).await;
        assert_eq!(r.location.as_deref(), Some("/"), "login of {email} failed");
        c
    }
}

pub const PASSWORD: &str = "password-di-prova";
/// What people choose at their first access in these tests.
pub const OWN_PASSWORD: &str = "la-mia-password-scelta";

impl Client {
    /// The first access with a code someone handed over: signing in with it leads only to
    /// choosing one's own password (`OWN_PASSWORD`), which then opens the rest.
    pub async fn first_access(state: &AppState, email: &str, code: &str) -> Client {
        let mut c = Client::new(state);
        let r = c.login(email, code).await;
        assert_eq!(
            r.location.as_deref(),
            Some("/account?primo=1"),
            "first access of {email}"
        );
        let r = c
            .post(
                "/api/account/password",
                &[
                    ("current", code),
                    ("new", OWN_PASSWORD),
                    ("confirm", OWN_PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        c
    }
}

/// Two tenants that share nothing: firm 1 manages ente A, firm 2 manages ente B.
#[derive(Default)]
pub struct Tenants {
    pub ente_a: Uuid,
    pub ente_b: Uuid,
    /// The firms of ente A (firm 1) and of ente B (firm 2).
    pub firm_a: Uuid,
    pub firm_b: Uuid,
    pub dip_b: Uuid,
    pub admin_b: Uuid,
    pub dip_a: Uuid,
    /// Ente B's 2022 plan (from the reference model): a struttura, an objective, a phase.
    pub struttura_b: Uuid,
    pub obiettivo_b: Uuid,
    pub fase_b: Uuid,
    /// An employee of ente B's registry, assigned to `obiettivo_b`.
    pub staff_b: Uuid,
    pub assegnazione_b: Uuid,
    /// A template of firm 2 (ente B's firm).
    pub modello_b: Uuid,
    /// A monitoring checkpoint (30/06/2022) of ente B's 2022 plan.
    pub monitoraggio_b: Uuid,
    /// An indicator of B's year-end record (started on its 31/12/2022 checkpoint).
    pub misura_b: Uuid,
}

pub const ROLES_A: &[&str] = &[
    "admin.a@test.it",
    "resp.a@test.it",
    "dip.a@test.it",
    "nucleo.a@test.it",
    "consulente.1@test.it",
    "piattaforma@test.it",
];

pub async fn two_tenants(db: &TestDb) -> Tenants {
    let mut c = db.owner().await;
    let hash = server_hash();
    let firm1 = id(
        &mut c,
        "insert into firms (name) values ('Studio Uno') returning id".into(),
    )
    .await;
    let firm2 = id(
        &mut c,
        "insert into firms (name) values ('Studio Due') returning id".into(),
    )
    .await;
    let ente_a = id(&mut c, format!("insert into enti (firm_id, name, slug) values ('{firm1}', 'Comune A', 'ente-a') returning id")).await;
    let ente_b = id(&mut c, format!("insert into enti (firm_id, name, slug) values ('{firm2}', 'Comune B', 'ente-b') returning id")).await;
    let user = |email: &str, admin: bool| {
        format!(
            "insert into users (email, display_name, password_hash, is_platform_admin, totp_esente) values ('{email}', '{email}', '{hash}', {admin}, {admin}) returning id"
        )
    };
    let mut ids = std::collections::HashMap::new();
    for (email, admin) in [
        ("admin.a@test.it", false),
        ("resp.a@test.it", false),
        ("dip.a@test.it", false),
        ("nucleo.a@test.it", false),
        ("consulente.1@test.it", false),
        ("piattaforma@test.it", true),
        ("admin.b@test.it", false),
        ("dip.b@test.it", false),
        ("consulente.2@test.it", false),
    ] {
        let sql = user(email, admin);
        ids.insert(email, id(&mut c, sql).await);
    }
    for (email, ente, role) in [
        ("admin.a@test.it", ente_a, "ente_admin"),
        ("resp.a@test.it", ente_a, "responsabile"),
        ("dip.a@test.it", ente_a, "dipendente"),
        ("nucleo.a@test.it", ente_a, "nucleo"),
        ("admin.b@test.it", ente_b, "ente_admin"),
        ("dip.b@test.it", ente_b, "dipendente"),
    ] {
        sqlx::query("insert into memberships (ente_id, user_id, role) values ($1, $2, $3)")
            .bind(ente)
            .bind(ids[email])
            .bind(role)
            .execute(&mut c)
            .await
            .unwrap();
    }
    for (email, firm) in [
        ("consulente.1@test.it", firm1),
        ("consulente.2@test.it", firm2),
    ] {
        sqlx::query("insert into firm_memberships (firm_id, user_id) values ($1, $2)")
            .bind(firm)
            .bind(ids[email])
            .execute(&mut c)
            .await
            .unwrap();
    }
    drop(c);
    let (struttura_b, obiettivo_b, fase_b) = plan_from_reference(db, ente_b, 2022).await;
    let mut c = db.owner().await;
    let staff_b = id(
        &mut c,
        format!("insert into dipendenti (ente_id, matricola, cognome, nome, area, email) values ('{ente_b}', 'B1', 'Bianchi', 'Bruno', 'istruttori', 'bruno@b.it') returning id"),
    )
    .await;
    let assegnazione_b = id(
        &mut c,
        format!("insert into assegnazioni (ente_id, obiettivo_id, dipendente_id, peso) values ('{ente_b}', '{obiettivo_b}', '{staff_b}', 100) returning id"),
    )
    .await;
    let modello_b = id(
        &mut c,
        format!("insert into modelli (firm_id) values ('{firm2}') returning id"),
    )
    .await;
    sqlx::query(
        "insert into modelli_versioni (modello_id, versione, titolo, descrizione, natura, ambito)
         values ($1, 1, 'Modello dello Studio Due', 'Riservato allo Studio Due', 'sviluppo', $2)",
    )
    .bind(modello_b)
    .bind(firm2)
    .execute(&mut c)
    .await
    .unwrap();
    let piano_b: Uuid = sqlx::query_scalar("select piano_id from strutture where id = $1")
        .bind(struttura_b)
        .fetch_one(&mut c)
        .await
        .unwrap();
    let monitoraggio_b = id(
        &mut c,
        format!("insert into monitoraggi (ente_id, piano_id, data_riferimento, scadenza_responsabili, scadenza_nucleo) values ('{ente_b}', '{piano_b}', '2022-06-30', '2022-07-15', '2022-07-30') returning id"),
    )
    .await;
    // B's year-end: its profile, the final checkpoint, one indicator; and its firm's profile.
    let fine_b = id(
        &mut c,
        format!("insert into monitoraggi (ente_id, piano_id, data_riferimento, scadenza_responsabili, scadenza_nucleo) values ('{ente_b}', '{piano_b}', '2022-12-31', '2023-01-15', '2023-01-30') returning id"),
    )
    .await;
    // As an SQL literal (the behaviours' names have apostrophes).
    let profilo = serde_json::to_string(&app::domain::smvp::Profilo::default())
        .unwrap()
        .replace('\'', "''");
    for sql in [
        format!("insert into smvp_profili (ente_id, numero, parametri) values ('{ente_b}', 1, '{profilo}')"),
        format!("insert into smvp_studio (firm_id, numero, parametri) values ('{firm2}', 1, '{profilo}')"),
        format!("insert into chiusure (ente_id, piano_id, monitoraggio_id, profilo_numero) values ('{ente_b}', '{piano_b}', '{fine_b}', 1)"),
    ] {
        sqlx::query(&sql).execute(&mut c).await.unwrap();
    }
    // B's scheda of its employee, and its premi's parameters.
    for sql in [
        format!("insert into valutazioni (ente_id, piano_id, dipendente_id, categoria, struttura_id) values ('{ente_b}', '{piano_b}', '{staff_b}', 'personale', '{struttura_b}')"),
        format!("insert into premi (ente_id, piano_id, parametri) values ('{ente_b}', '{piano_b}', '{}')", serde_json::to_string(&app::domain::premi::Parametri::default()).unwrap()),
    ] {
        sqlx::query(&sql).execute(&mut c).await.unwrap();
    }
    let misura_b = id(
        &mut c,
        format!("insert into misure (ente_id, monitoraggio_id, obiettivo_id, descrizione, tipo, atteso) values ('{ente_b}', '{fine_b}', '{obiettivo_b}', 'Pratiche di B', 'numero', 10) returning id"),
    )
    .await;
    Tenants {
        misura_b,
        monitoraggio_b,
        modello_b,
        ente_a,
        ente_b,
        firm_a: firm1,
        firm_b: firm2,
        dip_b: ids["dip.b@test.it"],
        admin_b: ids["admin.b@test.it"],
        dip_a: ids["dip.a@test.it"],
        struttura_b,
        obiettivo_b,
        fase_b,
        staff_b,
        assegnazione_b,
    }
}

/// A second ente, «Comune C» (`ente-c`), for the firm that follows ente A: its
/// consultants then have another ente to enter.
pub async fn secondo_ente_dello_studio_a(c: &mut sqlx::PgConnection) {
    sqlx::query(
        "insert into enti (firm_id, name, slug)
         select firm_id, 'Comune C', 'ente-c' from enti where slug = 'ente-a'",
    )
    .execute(c)
    .await
    .unwrap();
}

/// A plan from the reference model, written directly (fixture): returns the ids of its
/// first struttura, first objective and first phase.
pub async fn plan_from_reference(db: &TestDb, ente: Uuid, anno: i32) -> (Uuid, Uuid, Uuid) {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&db.owner_url)
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("select set_config('app.ente_id', $1, true)")
        .bind(ente.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let mut etx = app::ssr::EnteTx::new(tx, ente, Uuid::nil()).await.unwrap();
    let piano = app::ssr::piani::crea(&mut etx, anno, true).await.unwrap();
    let mut tx = etx.tx;
    let ids: (Uuid, Uuid, Uuid) = sqlx::query_as(
        "select s.id, o.id, f.id from strutture s
           join obiettivi o on o.ente_id = s.ente_id and o.struttura_id = s.id and o.posizione = 1
           join fasi f on f.ente_id = o.ente_id and f.obiettivo_id = o.id and f.posizione = 1
          where s.ente_id = $1 and s.piano_id = $2 and s.posizione = 1",
    )
    .bind(ente)
    .bind(piano)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    pool.close().await;
    ids
}

async fn id(c: &mut sqlx::PgConnection, sql: String) -> Uuid {
    sqlx::query_scalar::<_, Uuid>(&sql)
        .fetch_one(c)
        .await
        .unwrap()
}

fn server_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| app::ssr::password::hash(PASSWORD))
        .clone()
}

/// Everything of ente B an attacker might try to read or change, as text.
pub async fn snapshot_of(db: &TestDb, ente: Uuid) -> String {
    let mut c = db.owner().await;
    let rows: Vec<(String,)> = sqlx::query_as(
        "select row_to_json(x)::text from (
            select 'ente' k, to_jsonb(e) v from enti e where e.id = $1
            union all select 'membership', to_jsonb(m) from memberships m where m.ente_id = $1
            union all select 'user', to_jsonb(u) from users u
                where u.id in (select user_id from memberships where ente_id = $1)
            union all select 'audit', to_jsonb(a) from audit_log a where a.ente_id = $1
            union all select 'piano', to_jsonb(p) from piani p where p.ente_id = $1
            union all select 'struttura', to_jsonb(s) from strutture s where s.ente_id = $1
            union all select 'obiettivo', to_jsonb(o) from obiettivi o where o.ente_id = $1
            union all select 'fase', to_jsonb(f) from fasi f where f.ente_id = $1
            union all select 'dipendente', to_jsonb(d) from dipendenti d where d.ente_id = $1
            union all select 'assegnazione', to_jsonb(a) from assegnazioni a where a.ente_id = $1
            union all select 'modello', to_jsonb(m) from modelli m
                where m.firm_id = (select firm_id from enti where id = $1)
            union all select 'versione', to_jsonb(v) - 'ricerca' from modelli_versioni v
                where v.modello_id in (select id from modelli
                                        where firm_id = (select firm_id from enti where id = $1))
            union all select 'firma', to_jsonb(f) from firme_ente f where f.ente_id = $1
            union all select 'esportato', to_jsonb(x) from allegati_esportati x where x.ente_id = $1
            union all select 'firmato', to_jsonb(x) from allegati_firmati x where x.ente_id = $1
            union all select 'monitoraggio', to_jsonb(x) from monitoraggi x where x.ente_id = $1
            union all select 'rilevazione', to_jsonb(x) from rilevazioni x where x.ente_id = $1
            union all select 'avanzamento', to_jsonb(x) from avanzamenti x where x.ente_id = $1
            union all select 'nota', to_jsonb(x) from note_nucleo x where x.ente_id = $1
            union all select 'evidenza', to_jsonb(x) from evidenze x where x.ente_id = $1
            union all select 'smvp', to_jsonb(x) from smvp_profili x where x.ente_id = $1
            union all select 'scadenza', to_jsonb(x) from scadenze_ente x where x.ente_id = $1
            union all select 'promemoria', to_jsonb(x) from promemoria x where x.ente_id = $1
            union all select 'scadenze_studio', to_jsonb(x) from scadenze_studio x
                where x.firm_id = (select firm_id from enti where id = $1)
            union all select 'smvp_studio', to_jsonb(x) from smvp_studio x
                where x.firm_id = (select firm_id from enti where id = $1)
            union all select 'chiusura', to_jsonb(x) from chiusure x where x.ente_id = $1
            union all select 'metodo', to_jsonb(x) from metodi_obiettivo x where x.ente_id = $1
            union all select 'misura', to_jsonb(x) from misure x where x.ente_id = $1
            union all select 'rettifica', to_jsonb(x) from rettifiche x where x.ente_id = $1
            union all select 'relazione', to_jsonb(x) from relazioni x where x.ente_id = $1
            union all select 'validazione', to_jsonb(x) from validazioni x where x.ente_id = $1
            union all select 'campione', to_jsonb(x) from campioni_validazione x where x.ente_id = $1
            union all select 'valutazione', to_jsonb(x) from valutazioni x where x.ente_id = $1
            union all select 'dati_premi', to_jsonb(x) from dati_premi x where x.ente_id = $1
            union all select 'premi', to_jsonb(x) from premi x where x.ente_id = $1
            union all select 'premio', to_jsonb(x) from premi_individuali x where x.ente_id = $1
         ) x order by 1",
    )
    .bind(ente)
    .fetch_all(&mut c)
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n")
}

/// A runtime-role transaction with `ente` set, as `begin_for` opens it.
pub async fn tx_in(db: &TestDb, ente: Uuid) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("select set_config('app.ente_id', $1, true)")
        .bind(ente.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx
}

/// The embedded default's configuration, with its data in `dir`.
pub fn embedded_config(dir: &std::path::Path) -> server::config::Config {
    server::config::Config::incorporata(dir.to_path_buf())
}

/// Runs `q` on the owner's connection `c` with the triggers off: a change behind the
/// application's back that the database's guards (an approved plan's, the archive's) would
/// refuse, to tell what is read from memory from what is read from the database.
pub async fn senza_guardie(
    c: &mut sqlx::PgConnection,
    q: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
) {
    sqlx::query("set session_replication_role = replica")
        .execute(&mut *c)
        .await
        .unwrap();
    q.execute(&mut *c).await.unwrap();
    sqlx::query("set session_replication_role = origin")
        .execute(&mut *c)
        .await
        .unwrap();
}
