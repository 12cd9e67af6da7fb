//! `bench spiega`: on the database `bench genera` made (OBIETTIVI_DATA_DIR), the plans
//! PostgreSQL chose for every statement of real requests (the plan page, «I miei
//! obiettivi», the header asked from the browser; by readers of 1, 50 and every ente), by
//! `auto_explain` with ANALYZE and BUFFERS; then the cost of row-level security: the
//! plan's reads as the runtime role (policies applied) against the same reads as the owner,
//! who bypasses them (every query also says `where ente_id = …`, so the answer is the same).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};
use tower::ServiceExt;
use uuid::Uuid;

use server::db::RUNTIME_ROLE;

const AUTO_EXPLAIN: &[(&str, &str)] = &[
    ("session_preload_libraries", "auto_explain"),
    ("auto_explain.log_min_duration", "0"),
    ("auto_explain.log_analyze", "on"),
    ("auto_explain.log_buffers", "on"),
    ("auto_explain.log_timing", "on"),
];

async fn imposta_ruolo(owner: &mut PgConnection, attivo: bool) -> anyhow::Result<()> {
    for (k, v) in AUTO_EXPLAIN {
        let sql = if attivo {
            format!("alter role {RUNTIME_ROLE} set {k} = '{v}'")
        } else {
            format!("alter role {RUNTIME_ROLE} reset {k}")
        };
        sqlx::query(&sql).execute(&mut *owner).await?;
    }
    Ok(())
}

/// The header's server function (`api::promemoria::navigazione`), asked for misura-0000.
const NAVIGAZIONE: &str = "/api/navigazione";

fn mediana(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The plan's reads (`ssr::piani::carica`) once, in a transaction of their own: how long
/// they took. The ente's name is known, as a page's door read it with the caller.
async fn letture(pool: &PgPool, ente: Uuid, nome: &str) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let mut tx = pool.begin().await?;
    app::ssr::imposta(&mut tx, "app.ente_id", &ente.to_string()).await?;
    let mut tx = app::ssr::context::EnteTx::con_nome(tx, ente, nome.to_string(), Uuid::nil());
    let piano = app::ssr::piani::carica(&mut tx, 2022).await?;
    anyhow::ensure!(
        piano.is_some_and(|p| p.strutture.len() == 5),
        "piano non letto"
    );
    tx.tx.rollback().await?;
    Ok(t.elapsed())
}

pub async fn spiega() -> anyhow::Result<()> {
    let config = server::config::Config::from_env();
    let log_path = config.data_dir.join("postgres.log");
    let chiave = config.chiave_firme().map_err(anyhow::Error::msg)?;
    let segreto = chiave.deriva("ruolo del database");
    let mut db = server::open_database(&config, false).await?;
    db.pool.close().await;
    let mut owner = PgConnection::connect_with(&server::db::parse(&db.owner_url)?).await?;
    let (ente, slug, nome): (Uuid, String, String) = sqlx::query_as(
        "select id, slug, name from enti where slug like 'misura-%' order by slug desc limit 1",
    )
    .fetch_one(&mut owner)
    .await?;
    let quanti: i64 = sqlx::query_scalar("select count(*) from enti")
        .fetch_one(&mut owner)
        .await?;

    // 1. Every statement of two requests, explained.
    imposta_ruolo(&mut owner, true).await?;
    let risultato = async {
        let pool = server::db::prepare(
            &db.owner_url,
            None,
            &segreto,
            server::config::connessioni_predefinite(),
        ).await?;
        let app = server::router(server::state::AppState::new(
            leptos::config::LeptosOptions::builder()
                .output_name("obiettivi")
                .site_root("target/site")
                .build(),
            pool.clone(),
            config.clone(),
            chiave.clone(),
        ));
        let password = std::env::var("OBIETTIVI_BENCH_PASSWORD")?;
        for (email, path) in [
            ("lettore@misura.bench", format!("/e/{slug}/piani/2022")),
            ("dipendente@misura.bench", format!("/e/{slug}/miei-obiettivi")),
            ("uno@misura.bench", "/e/misura-0000/miei-obiettivi".to_string()),
            // One plan page, kept in memory after the first: by the member of every ente,
            // by the Nucleo member of 50, and again by the first. What the memberships cost.
            ("lettore@misura.bench", "/e/misura-0000/piani/2022".to_string()),
            ("nucleo@misura.bench", "/e/misura-0000/piani/2022".to_string()),
            ("lettore@misura.bench", "/e/misura-0000/piani/2022".to_string()),
            // The header asked from the browser when it moves to another page (a POST
            // with the ente's slug): what the memberships cost there.
            ("lettore@misura.bench", NAVIGAZIONE.to_string()),
            ("nucleo@misura.bench", NAVIGAZIONE.to_string()),
        ] {
            let login = app
                .clone()
                .oneshot(
                    Request::post("/login")
                        .header("host", "bench")
                        .header("sec-fetch-site", "same-origin")
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(Body::from(format!(
                            "email={}&password={password}",
                            email.replace('@', "%40")
                        )))?,
                )
                .await?;
            let cookie = crate::cookie_di_sessione(login.headers())
                .ok_or_else(|| anyhow::anyhow!("accesso non riuscito per {email}"))?;
            let inizio = std::fs::metadata(&log_path)?.len();
            let richiesta = if path == NAVIGAZIONE {
                Request::post(path.as_str())
                    .header("sec-fetch-site", "same-origin")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("cookie", &cookie)
                    .body(Body::from("slug=misura-0000"))?
            } else {
                Request::get(&path)
                    .header("cookie", &cookie)
                    .body(Body::empty())?
            };
            let r = app.clone().oneshot(richiesta).await?;
            anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
            let _ = axum::body::to_bytes(r.into_body(), 50 << 20).await?;
            // The log is written by another process: give it a moment to flush.
            tokio::time::sleep(Duration::from_millis(300)).await;
            let log = std::fs::read(&log_path)?;
            let testo = String::from_utf8_lossy(&log[inizio as usize..]);
            let piani: Vec<&str> = testo
                .split("LOG:  duration:")
                .skip(1)
                .filter(|p| p.contains("plan:"))
                .collect();
            let seq: Vec<String> = piani
                .iter()
                .flat_map(|p| p.lines())
                .filter(|l| l.contains("Seq Scan on"))
                .map(|l| l.trim().to_string())
                .collect();
            println!(
                "\n== EXPLAIN (ANALYZE, BUFFERS) di {} {path} con {quanti} enti ({email}): {} istruzioni, {} scansioni sequenziali",
                if path == NAVIGAZIONE { "POST" } else { "GET" },
                piani.len(),
                seq.len()
            );
            for s in &seq {
                println!("   sequenziale: {s}");
            }
            for p in &piani {
                println!("-- duration:{}", p.trim_end());
            }
        }
        pool.close().await;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    imposta_ruolo(&mut owner, false).await?;
    risultato?;

    // 2. Row-level security: the same reads with and without the policies.
    let runtime = server::db::prepare(
        &db.owner_url,
        None,
        &segreto,
        server::config::connessioni_predefinite(),
    )
    .await?;
    // The owner's pool as the runtime's (`db::prepare`): no test round trip before each use.
    let proprietario = PgPoolOptions::new()
        .max_connections(2)
        .test_before_acquire(false)
        .connect_with(server::db::with_generic_plans(server::db::parse(
            &db.owner_url,
        )?))
        .await?;
    for _ in 0..50 {
        letture(&runtime, ente, &nome).await?;
        letture(&proprietario, ente, &nome).await?;
    }
    let mut con_rls = Vec::new();
    let mut senza = Vec::new();
    // Alternated one by one: the machine's noise falls on both sides alike. Each side reads
    // twice, the second timed: what the plan's objectives adopted is kept for the role and
    // settings it was read under (`approvati::Adozioni`), and the other side's read replaces
    // it; a page's reads find it kept.
    for _ in 0..500 {
        letture(&runtime, ente, &nome).await?;
        con_rls.push(letture(&runtime, ente, &nome).await?);
        letture(&proprietario, ente, &nome).await?;
        senza.push(letture(&proprietario, ente, &nome).await?);
    }
    let (a, b) = (mediana(con_rls), mediana(senza));
    println!(
        "\n== Row-level security, letture del piano ({slug}, {quanti} enti), mediana di 500 alternate:\n   \
         ruolo applicativo (policy RLS) {a:.2?}; proprietario (senza RLS) {b:.2?}; costo {:+.1}%",
        (a.as_secs_f64() / b.as_secs_f64() - 1.0) * 100.0
    );
    runtime.close().await;
    proprietario.close().await;
    owner.close().await?;
    if let Some(mut c) = db.cluster.take() {
        tokio::task::spawn_blocking(move || c.stop()).await?;
    }
    Ok(())
}
