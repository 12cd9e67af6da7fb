//! A transaction whose opening is abandoned half-way (the request dropped while its
//! `BEGIN` was on the wire) leaves no transaction open on the connection the pool hands out
//! next. Each test runs on a pool of one connection, so the next borrower gets that very
//! connection, and drops the opening after its first poll: the `BEGIN` has been written,
//! its answer not read.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use app::ssr::context::inizia;
use server::sessioni::ArchivioSessioni;
use server::testing::TestDb;
use sqlx::postgres::{PgPool, PgPoolOptions};
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;
use tower_sessions_sqlx_store::PostgresStore;

const VOLTE: usize = 10;

/// An opening whose answer takes a tenth of a second: still on the wire when it is dropped,
/// however fast the database.
const APERTURA_LENTA: &str = "begin read only; select pg_sleep(0.1)";

/// One connection, not tested before use (as the server's pool: `db::connect`).
async fn una_connessione(db: &TestDb) -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .test_before_acquire(false)
        .connect_with((*db.pool.connect_options()).clone())
        .await
        .unwrap()
}

/// Whether the pool's connection is inside a transaction it did not open (then ended, so
/// that each attempt starts clean). Waits for the connection to come back to the pool.
async fn lasciata_aperta(pool: &PgPool) -> bool {
    use sqlx::Row;
    let mut c = pool.acquire().await.unwrap();
    // Outside a transaction block a simple query is its own transaction: it starts when
    // the query arrives.
    let aperta: bool = sqlx::raw_sql("select now() <> statement_timestamp()")
        .fetch_one(&mut *c)
        .await
        .unwrap()
        .get(0);
    if aperta {
        sqlx::raw_sql("rollback").execute(&mut *c).await.unwrap();
    }
    aperta
}

/// Polls `apertura` once, with the pool's connection idle (so the poll takes it and writes
/// the `BEGIN`), then drops it; then lets what it left running go first.
async fn abbandona<F: Future>(pool: &PgPool, apertura: F) {
    while pool.num_idle() == 0 {
        tokio::task::yield_now().await;
    }
    {
        let mut apertura = pin!(apertura);
        let finita = poll_fn(|cx| Poll::Ready(apertura.as_mut().poll(cx).is_ready())).await;
        assert!(
            !finita,
            "the opening finished in one poll: the test would prove nothing"
        );
    } // dropped here
    tokio::task::yield_now().await;
}

#[tokio::test]
async fn un_inizio_abbandonato_non_lascia_la_connessione_in_una_transazione() {
    let db = TestDb::new().await;
    let pool = una_connessione(&db).await;
    // sqlx's own `begin_with`, which the server used: the connection comes back inside
    // the abandoned transaction (if this stops happening, sqlx is cancel-safe and
    // `inizia`'s task can go).
    let mut rimaste = 0;
    for _ in 0..VOLTE {
        abbandona(&pool, pool.begin_with(APERTURA_LENTA)).await;
        rimaste += usize::from(lasciata_aperta(&pool).await);
    }
    assert_eq!(rimaste, VOLTE, "sqlx's begin left a transaction open {rimaste} times in {VOLTE}: if never, sqlx is cancel-safe and inizia's task can go");
    // Through `inizia`: never.
    for i in 0..VOLTE {
        abbandona(&pool, inizia(&pool, Some(APERTURA_LENTA.into()))).await;
        assert!(!lasciata_aperta(&pool).await, "left open at try {i}");
    }
    // And an opening that finishes is a transaction as before.
    let mut tx = inizia(&pool, Some("begin read only".into())).await.unwrap();
    let sola_lettura: String = sqlx::query_scalar("show transaction_read_only")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(sola_lettura, "on");
}

#[tokio::test]
async fn una_sessione_creata_da_una_risposta_abbandonata_non_lascia_transazioni_aperte() {
    let db = TestDb::new().await;
    let pool = una_connessione(&db).await;
    let nuova = || Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: OffsetDateTime::now_utc() + tower_sessions::cookie::time::Duration::hours(1),
    };
    let archivio = ArchivioSessioni(PostgresStore::new(pool.clone()));
    for i in 0..VOLTE {
        let mut r = nuova();
        abbandona(&pool, archivio.create(&mut r)).await;
        assert!(!lasciata_aperta(&pool).await, "left open at try {i}");
    }
    // A session created to the end is stored, under the id it was given.
    let mut r = nuova();
    archivio.create(&mut r).await.unwrap();
    assert!(archivio.load(&r.id).await.unwrap().is_some());
}

const DURATA: std::time::Duration = std::time::Duration::from_secs(3600);

/// A signed-in session of the account of `email` whose cookie's key is `chiave` (the
/// store's record and the line of «Le mie sessioni» bound to it), as a login leaves them.
async fn sessione(c: &mut sqlx::PgConnection, email: &str, chiave: &str) {
    sqlx::query(
        "insert into tower_sessions.session (id, data, expiry_date)
         values ($1, '', now() + interval '1 hour')",
    )
    .bind(chiave)
    .execute(&mut *c)
    .await
    .unwrap();
    sqlx::query(
        "insert into sessioni_utente (user_id, chiave, password_at)
         select id, sha256(convert_to($2, 'UTF8')), password_changed_at from users
          where email = $1",
    )
    .bind(email)
    .bind(chiave)
    .execute(&mut *c)
    .await
    .unwrap();
}

/// The settings a caller's read may write, as the next borrower of its connection sees
/// them, and the rows they would open: all must be empty.
async fn rimasto_sulla_connessione(pool: &PgPool) {
    let (impostazioni, iscrizioni, righe): (Vec<Option<String>>, i64, i64) = sqlx::query_as(
        "select array[current_setting('app.user_id', true), current_setting('app.chiave', true),
                      current_setting('app.firm_id', true),
                      current_setting('app.platform_admin', true),
                      current_setting('app.ente_id', true), current_setting('app.ruolo', true),
                      current_setting('app.firm_ente', true)],
                (select count(*) from memberships), (select count(*) from sessioni_utente)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    for (nome, v) in [
        "user_id",
        "chiave",
        "firm_id",
        "platform_admin",
        "ente_id",
        "ruolo",
        "firm_ente",
    ]
    .iter()
    .zip(impostazioni)
    {
        assert_eq!(
            v.unwrap_or_default(),
            "",
            "app.{nome} stayed on the connection"
        );
    }
    assert_eq!(
        iscrizioni, 0,
        "the next borrower saw the caller's memberships"
    );
    assert_eq!(righe, 0, "the next borrower saw the caller's sessions");
    assert!(!lasciata_aperta(pool).await);
}

/// The session and its caller are read in one statement, outside any transaction of ours
/// (`app_chiamante_nell_ente`): the settings it writes end with it. The pool's one
/// connection, handed out next, carries none of them, and sees none of the caller's rows.
#[tokio::test]
async fn il_chiamante_letto_non_lascia_impostazioni_sulla_connessione() {
    let db = TestDb::new().await;
    let t = crate::support::two_tenants(&db).await;
    let pool = una_connessione(&db).await;
    let mut c = db.owner().await;
    const CHIAVE: &str = "chiave-di-prova";
    sessione(&mut c, "dip.a@test.it", CHIAVE).await;
    let leggi = async |chiave: &str| {
        app::ssr::users::carica_chiamante(&pool, chiave, DURATA, None, false)
            .await
            .unwrap()
            .map(|c| c.caller)
    };
    let chiamante = leggi(CHIAVE)
        .await
        .expect("an open session of an enabled account");
    assert_eq!(chiamante.email, "dip.a@test.it");
    assert_eq!(chiamante.user_id, t.dip_a);
    assert!(!chiamante.deve_attivare_2fa && !chiamante.password_temporanea);
    rimasto_sulla_connessione(&pool).await;
    // Another key: nobody.
    assert!(leggi("un-altra-chiave").await.is_none());
    // An ente that asks for the second factor: its dipendente must set it up first.
    sqlx::query("update enti set richiede_2fa = true where id = $1")
        .bind(t.ente_a)
        .execute(&mut c)
        .await
        .unwrap();
    assert!(leggi(CHIAVE).await.unwrap().deve_attivare_2fa);
    // Once set up, or for an exempt account, nothing more is asked (the rule is then not
    // asked at all, migration 0043: the answer must not change).
    let due_fattori = async |attivo: bool, esente: bool| {
        let mut o = db.owner().await;
        sqlx::query(
            "update users set totp_segreto = '\\x00', totp_attivo = $2, totp_esente = $3
              where id = $1",
        )
        .bind(t.dip_a)
        .bind(attivo)
        .bind(esente)
        .execute(&mut o)
        .await
        .unwrap();
        leggi(CHIAVE).await.unwrap().deve_attivare_2fa
    };
    assert!(!due_fattori(true, false).await);
    assert!(!due_fattori(false, true).await);
    assert!(due_fattori(false, false).await);
    // A closed session: nobody.
    sqlx::query("update sessioni_utente set chiusa_at = now() where user_id = $1")
        .bind(t.dip_a)
        .execute(&mut c)
        .await
        .unwrap();
    assert!(leggi(CHIAVE).await.is_none());
}

/// A GET under `/e/{slug}/` enters its ente with the caller's read: the ente and the role
/// `app_entra` gives the caller, nothing for an ente that is not theirs, and no setting
/// left on the connection either way.
#[tokio::test]
async fn il_chiamante_entra_nell_ente_del_percorso() {
    use app::domain::roles::Role;
    let db = TestDb::new().await;
    let t = crate::support::two_tenants(&db).await;
    let pool = una_connessione(&db).await;
    let mut c = db.owner().await;
    for email in [
        "dip.a@test.it",
        "consulente.1@test.it",
        "piattaforma@test.it",
    ] {
        sessione(&mut c, email, email).await;
    }
    let entra = async |chiave: &str, slug: Option<&str>| {
        let mut letto = app::ssr::users::carica_chiamante(&pool, chiave, DURATA, slug, false)
            .await
            .unwrap()
            .expect("an open session");
        // As the request that kept it ends.
        drop(letto.tenuta.take());
        rimasto_sulla_connessione(&pool).await;
        assert!(letto.intestazione.is_none(), "not a page: no header read");
        letto.ente.map(|e| (e.slug, e.id, e.nome, e.role))
    };
    let a = |role| Some(("ente-a".to_string(), t.ente_a, "Comune A".to_string(), role));
    // A member, by their membership; the consultant of the ente's firm, through the firm.
    assert_eq!(
        entra("dip.a@test.it", Some("ente-a")).await,
        a(Role::Dipendente)
    );
    assert_eq!(
        entra("consulente.1@test.it", Some("ente-a")).await,
        a(Role::Consulente)
    );
    // Another ente, one that does not exist, a platform administrator who is no member,
    // no ente asked: nothing entered (the door then asks and answers 404).
    for (chiave, slug) in [
        ("dip.a@test.it", Some("ente-b")),
        ("consulente.1@test.it", Some("ente-b")),
        ("dip.a@test.it", Some("ente-x")),
        ("piattaforma@test.it", Some("ente-a")),
        ("dip.a@test.it", None),
    ] {
        assert_eq!(entra(chiave, slug).await, None, "{chiave} in {slug:?}");
    }
    // A disabled membership no longer enters.
    sqlx::query("update memberships set disabled = true where user_id = $1")
        .bind(t.dip_a)
        .execute(&mut c)
        .await
        .unwrap();
    assert_eq!(entra("dip.a@test.it", Some("ente-a")).await, None);
}

/// A page's caller read also gives its header's counts: the caller's own unread reminders
/// (not the ente's others, which the ente entered in the same statement would show) and,
/// in an ente entered, whether there is another to enter. Nothing left on the connection.
#[tokio::test]
async fn il_chiamante_di_una_pagina_legge_la_sua_intestazione() {
    use app::ssr::richiesta::Intestazione;
    let db = TestDb::new().await;
    let t = crate::support::two_tenants(&db).await;
    let pool = una_connessione(&db).await;
    let mut c = db.owner().await;
    for email in ["dip.a@test.it", "consulente.1@test.it"] {
        sessione(&mut c, email, email).await;
    }
    let leggi = async |chiave: &str, slug: Option<&str>| {
        let mut letto = app::ssr::users::carica_chiamante(&pool, chiave, DURATA, slug, true)
            .await
            .unwrap()
            .expect("an open session");
        // As the request that kept it ends.
        drop(letto.tenuta.take());
        rimasto_sulla_connessione(&pool).await;
        (letto.ente.map(|e| e.slug), letto.intestazione)
    };
    let di = |promemoria, altri_enti| {
        Some(Intestazione {
            promemoria,
            altri_enti,
        })
    };
    // Four reminders in ente A: two of the dipendente's unread, one read; one of the
    // administrator's.
    let admin_a = crate::support::id_utente(&mut c, "admin.a@test.it").await;
    for (user, chiave, letto) in [
        (t.dip_a, "a", false),
        (t.dip_a, "b", false),
        (t.dip_a, "c", true),
        (admin_a, "a", false),
    ] {
        sqlx::query(
            "insert into promemoria (ente_id, user_id, chiave, scadenza, titolo, testo,
                                     percorso, sollecito, letto_il)
             values ($1, $2, $3, current_date, 'Scadenza', '', '/', false,
                     case when $4 then now() end)",
        )
        .bind(t.ente_a)
        .bind(user)
        .bind(chiave)
        .bind(letto)
        .execute(&mut c)
        .await
        .unwrap();
    }
    let a = Some("ente-a".to_string());
    assert_eq!(
        leggi("dip.a@test.it", Some("ente-a")).await,
        (a.clone(), di(2, false))
    );
    // Outside any ente: the bell alone.
    assert_eq!(leggi("dip.a@test.it", None).await, (None, di(2, false)));
    // Not theirs: nothing entered, and the header asks through its door (a 404).
    assert_eq!(
        leggi("dip.a@test.it", Some("ente-b")).await,
        (None, di(2, false))
    );
    // The consultant of a firm that follows one ente, then two.
    assert_eq!(
        leggi("consulente.1@test.it", Some("ente-a")).await,
        (a.clone(), di(0, false))
    );
    crate::support::secondo_ente_dello_studio_a(&mut c).await;
    assert_eq!(
        leggi("consulente.1@test.it", Some("ente-a")).await,
        (a, di(0, true))
    );
}

/// A GET under `/e/{slug}/` keeps the transaction its caller was read in, and the first
/// door of that ente runs in it: no opening of its own, no second connection (the pool
/// here has one, which the kept transaction holds). Not kept where no ente was entered,
/// nor when the session's last activity is written (that takes another connection).
#[tokio::test]
async fn la_prima_porta_di_una_get_entra_nella_transazione_del_chiamante() {
    use app::domain::permessi::Azione;
    use app::domain::roles::Role;
    use app::ssr::richiesta::Richiesta;
    let db = TestDb::new().await;
    let t = crate::support::two_tenants(&db).await;
    let pool = una_connessione(&db).await;
    let mut c = db.owner().await;
    const CHIAVE: &str = "admin.b@test.it";
    sessione(&mut c, CHIAVE, CHIAVE).await;
    let leggi = async |slug: Option<&str>| {
        app::ssr::users::carica_chiamante(&pool, CHIAVE, DURATA, slug, true)
            .await
            .unwrap()
            .expect("an open session")
    };
    let adesso = async |c: &mut sqlx::PgConnection| -> chrono::DateTime<chrono::Utc> {
        sqlx::query_scalar("select clock_timestamp()")
            .fetch_one(c)
            .await
            .unwrap()
    };
    // What a door's transaction sees: when it began, whether read only, its settings.
    type Visto = (chrono::DateTime<chrono::Utc>, String, Vec<String>);
    let porta_di = async |slug: &str, letto: &app::ssr::users::Chiamata, r: &Richiesta| {
        app::ssr::porta::in_ente_in_lettura(
            &pool,
            letto.caller.clone(),
            slug,
            Azione::LeggerePiano,
            Some(r.clone()),
            async |_, tx| -> app::error::AppResult<Visto> {
                Ok(sqlx::query_as(
                    "select now(), current_setting('transaction_read_only'),
                            array[current_setting('app.user_id'), current_setting('app.firm_id'),
                                  current_setting('app.platform_admin'),
                                  current_setting('app.ente_id'), current_setting('app.ruolo'),
                                  current_setting('app.chiave'), current_setting('app.firm_ente')]",
                )
                .fetch_one(&mut **tx)
                .await?)
            },
        )
        .await
    };

    let mut letto = leggi(Some("ente-b")).await;
    assert!(letto.tenuta.is_some(), "kept: the ente was entered");
    assert_eq!(
        pool.num_idle(),
        0,
        "the kept transaction holds the connection"
    );
    let prima = adesso(&mut c).await;
    let r = Richiesta::con(letto.ente.clone(), None).con_tenuta(letto.tenuta.take());
    let (inizio, sola_lettura, impostazioni) = porta_di("ente-b", &letto, &r).await.unwrap();
    assert!(
        inizio < prima,
        "the door ran in the transaction begun with the caller's read"
    );
    assert_eq!(sola_lettura, "on");
    // The firm of ente B beside its id: the templates' policies read it (`app_serve_ente`).
    let attese = [
        &*t.admin_b.to_string(),
        "",
        "",
        &*t.ente_b.to_string(),
        "ente_admin",
        "",
        &*format!("{}/{}", t.ente_b, t.firm_b),
    ];
    assert_eq!(impostazioni, attese, "a door's opening's settings, no more");
    // Taken once: the next door opens its own.
    assert!(r
        .prendi(t.admin_b, Some((t.ente_b, Role::AmministratoreEnte)))
        .is_none());
    let (inizio, _, impostazioni) = porta_di("ente-b", &letto, &r).await.unwrap();
    assert!(inizio > prima);
    assert_eq!(impostazioni, attese);
    rimasto_sulla_connessione(&pool).await;

    // A first door of another ente drops it before it opens (one connection: else it would
    // wait for it), and finds that ente is not theirs.
    let mut letto = leggi(Some("ente-b")).await;
    let r = Richiesta::con(letto.ente.clone(), None).con_tenuta(letto.tenuta.take());
    assert_eq!(
        porta_di("ente-a", &letto, &r).await,
        Err(app::error::AppError::NonTrovato)
    );
    assert!(r
        .prendi(t.admin_b, Some((t.ente_b, Role::AmministratoreEnte)))
        .is_none());
    rimasto_sulla_connessione(&pool).await;

    // Dropped unused (the middleware, once the page is made): nothing stays.
    let letto = leggi(Some("ente-b")).await;
    Richiesta::default().con_tenuta(letto.tenuta).rilascia();
    rimasto_sulla_connessione(&pool).await;

    // Not kept: an ente not theirs, no ente, the last activity to write.
    for slug in [Some("ente-a"), None] {
        let letto = leggi(slug).await;
        assert!(letto.tenuta.is_none() && letto.ente.is_none(), "{slug:?}");
        rimasto_sulla_connessione(&pool).await;
    }
    sqlx::query("update sessioni_utente set vista_at = now() - interval '2 minutes'")
        .execute(&mut c)
        .await
        .unwrap();
    let letto = leggi(Some("ente-b")).await;
    assert!(letto.vista && letto.tenuta.is_none() && letto.ente.is_some());
    rimasto_sulla_connessione(&pool).await;
}

/// A request dropped at any point of its caller's read (its `BEGIN` on the wire, the read
/// on the wire, the read done and kept): the connection comes back with no transaction
/// and no setting of that caller.
#[tokio::test]
async fn una_lettura_del_chiamante_abbandonata_non_lascia_nulla() {
    let db = TestDb::new().await;
    crate::support::two_tenants(&db).await;
    let pool = una_connessione(&db).await;
    let mut c = db.owner().await;
    const CHIAVE: &str = "admin.b@test.it";
    sessione(&mut c, CHIAVE, CHIAVE).await;
    let (mut abbandonate, mut finite) = (0, 0);
    for i in 0..40u64 {
        let lettura =
            app::ssr::users::carica_chiamante(&pool, CHIAVE, DURATA, Some("ente-b"), true);
        // A client that gives up after `i` × 50 µs (0: after the first poll).
        match tokio::time::timeout(std::time::Duration::from_micros(i * 50), lettura).await {
            Ok(letto) => {
                assert!(letto.unwrap().unwrap().tenuta.is_some());
                finite += 1;
            }
            Err(_) => abbandonate += 1,
        }
        rimasto_sulla_connessione(&pool).await;
    }
    assert!(
        abbandonate > 0 && finite > 0,
        "{abbandonate} dropped, {finite} finished"
    );
}

/// Every transaction of a request opens through `inizia`: a `begin` anywhere else in the
/// server's code is an opening that a dropped request can leave half done.
#[test]
fn ogni_transazione_si_apre_con_inizia() {
    // Where a plain `begin` stays: `inizia` itself, and the reminders' hourly round on a
    // connection of its own, which nothing cancels but the server's stop.
    const AMMESSI: [&str; 2] = ["app/src/ssr/context.rs", "app/src/ssr/promemoria.rs"];
    // Not the server's requests: the demo's loading, the command line, the bench, tests.
    const FUORI: [&str; 4] = [
        "server/src/demo.rs",
        "server/src/cli.rs",
        "server/src/testing.rs",
        "server/src/bin",
    ];
    fn file_rs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                file_rs(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let radice = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut file = Vec::new();
    file_rs(&radice.join("app/src"), &mut file);
    file_rs(&radice.join("server/src"), &mut file);
    let mut trovati = Vec::new();
    for p in file {
        let nome = p
            .strip_prefix(&radice)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if AMMESSI.contains(&nome.as_str()) || FUORI.iter().any(|f| nome.starts_with(f)) {
            continue;
        }
        let testo = std::fs::read_to_string(&p).unwrap();
        for (n, riga) in testo.lines().enumerate() {
            if riga.contains(".begin()") || riga.contains(".begin_with(") {
                trovati.push(format!("{nome}:{}", n + 1));
            }
        }
    }
    assert!(
        trovati.is_empty(),
        "transactions opened without context::inizia: {trovati:?}"
    );
}
