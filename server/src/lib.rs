//! The Obiettivi server: configuration, database start-up, routes and static files.
#![recursion_limit = "256"]

pub mod allegato;
pub mod auth;
pub mod cli;
pub mod config;
pub mod crossorigin;
pub mod db;
pub mod demo;
pub mod fogli;
pub mod health;
pub mod innesto;
pub mod limite;
pub mod middleware;
pub mod monitoraggio;
pub mod pagine_tenute;
pub mod pgcluster;
pub mod proprietario;
pub mod relazione;
pub mod sessioni;
pub mod state;
pub mod testing;
pub mod valutazioni;

use app::{shell, App};
use axum::serve::ListenerExt;
use axum::{
    middleware::{from_fn, from_fn_with_state},
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

use crate::config::Config;
use crate::pgcluster::{ClusterOptions, LocalCluster};
use crate::state::AppState;

/// Name of the database the embedded cluster serves.
pub const EMBEDDED_DATABASE: &str = "obiettivi";

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Cluster(#[from] pgcluster::ClusterError),
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("demo data: {0}")]
    Demo(#[from] demo::DemoError),
    #[error("configuration: {0}")]
    Config(String),
}

/// The database the server serves from, and the embedded cluster behind it if any.
pub struct Database {
    pub pool: PgPool,
    pub owner_url: String,
    pub cluster: Option<LocalCluster>,
}

/// Opens (starting the embedded cluster when there is no DATABASE_URL), migrates and checks
/// the database. Demo data, with its published logins, is loaded only when asked.
pub async fn open_database(config: &Config, demo: bool) -> Result<Database, StartError> {
    let (owner_url, cluster) = match &config.database_url {
        Some(url) => (url.clone(), None),
        None => {
            let dir = config.data_dir.clone();
            let cluster = tokio::task::spawn_blocking(move || {
                LocalCluster::start(&dir, &ClusterOptions::default())
            })
            .await
            .map_err(|e| StartError::Config(e.to_string()))??;
            create_database_if_missing(&cluster.url("postgres"), EMBEDDED_DATABASE).await?;
            (cluster.url(EMBEDDED_DATABASE), Some(cluster))
        }
    };
    let chiave = config.chiave_firme().map_err(StartError::Config)?;
    let pool = db::prepare(
        &owner_url,
        config.runtime_database_url.as_deref(),
        &chiave.deriva("ruolo del database"),
        config.db_connessioni,
    )
    .await?;
    // Plans approved before final PDFs were kept get theirs now, not at their first download.
    let fatti = app::ssr::allegato::completa_finali(&pool)
        .await
        .map_err(|e| StartError::Config(format!("allegati finali: {e}")))?;
    if fatti > 0 {
        tracing::info!(fatti, "allegati finali prodotti");
    }
    if demo {
        demo::load(&owner_url, &chiave).await?;
        tracing::info!("dati dimostrativi caricati");
    } else if !has_platform_admin(&pool).await? {
        println!("{FIRST_ADMIN_HINT}");
    }
    Ok(Database {
        pool,
        owner_url,
        cluster,
    })
}

/// Printed while the install has no platform administrator yet.
pub const FIRST_ADMIN_HINT: &str = "
  Nessun amministratore della piattaforma. Crea il primo (la password temporanea è
  stampata una volta sola e va cambiata al primo accesso, entro 72 ore):
    server admin crea-amministratore EMAIL \"NOME COGNOME\"
  Per provare il prodotto con i dati dimostrativi: server --demo
";

async fn has_platform_admin(pool: &PgPool) -> Result<bool, db::DbError> {
    Ok(
        sqlx::query_scalar("select exists (select 1 from users where is_platform_admin)")
            .fetch_one(pool)
            .await?,
    )
}

pub async fn create_database_if_missing(admin_url: &str, name: &str) -> Result<(), db::DbError> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect_with(&db::parse(admin_url)?).await?;
    let exists: bool =
        sqlx::query_scalar("select exists(select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await?;
    }
    conn.close().await?;
    Ok(())
}

/// Idle sessions end after this long.
pub const IDLE_TIMEOUT_MINUTES: i64 = 120;

/// The app's routes, generated once per process. Generating them renders the app with a
/// process-wide "do not load resources" flag set (leptos_server's
/// IS_SUPPRESSING_RESOURCE_LOAD): doing it while another thread renders a page would
/// leave that page waiting forever.
pub fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = routes();
    let (site_root, pkg_dir) = (
        state.leptos_options.site_root.to_string(),
        state.leptos_options.site_pkg_dir.to_string(),
    );
    let secure = state.config.secure_cookies;
    let sessions = SessionManagerLayer::new(sessioni::ArchivioSessioni(PostgresStore::new(
        state.pool.clone(),
    )))
    // `__Host-` binds the cookie to this exact origin, over HTTPS only.
    .with_name(if secure {
        "__Host-obiettivi"
    } else {
        "obiettivi_sessione"
    })
    .with_secure(secure)
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_path("/")
    .with_expiry(Expiry::OnInactivity(
        tower_sessions::cookie::time::Duration::minutes(IDLE_TIMEOUT_MINUTES),
    ));
    Router::new()
        .route("/health", get(health::health))
        .route("/login", post(auth::login))
        .route("/login/codice", post(auth::login_codice))
        .route("/logout", post(auth::logout))
        .route("/e/{slug}/piani/{anno}/allegato.pdf", get(allegato::pdf))
        .route(
            "/e/{slug}/piani/{anno}/firmati/{id}",
            get(allegato::firmato),
        )
        .route(
            "/e/{slug}/piani/{anno}/versioni/{numero}/allegato.pdf",
            get(allegato::versione),
        )
        .route(
            "/e/{slug}/piani/{anno}/monitoraggio/{id}/referto.pdf",
            get(monitoraggio::referto),
        )
        .route(
            "/e/{slug}/piani/{anno}/monitoraggio/{id}/evidenze/{evidenza}",
            get(monitoraggio::evidenza),
        )
        .route("/e/{slug}/piani/{anno}/relazione.pdf", get(relazione::pdf))
        .route("/e/{slug}/piani/{anno}/relazione.odt", get(relazione::odt))
        .route(
            "/e/{slug}/piani/{anno}/validazione.pdf",
            get(relazione::validazione),
        )
        .route(
            "/e/{slug}/piani/{anno}/pubblicazione.zip",
            get(relazione::pubblicazione),
        )
        .route(
            "/e/{slug}/piani/{anno}/valutazioni/{dipendente}/scheda.pdf",
            get(valutazioni::scheda),
        )
        .route(
            "/e/{slug}/piani/{anno}/premi/cedolini.csv",
            get(valutazioni::cedolini),
        )
        .route(
            "/e/{slug}/piani/{anno}/premi/determina.odt",
            get(valutazioni::determina),
        )
        .route(
            "/e/{slug}/piani/{anno}/premi/art20.csv",
            get(valutazioni::art20_csv),
        )
        .route(
            "/e/{slug}/piani/{anno}/premi/art20.pdf",
            get(valutazioni::art20_pdf),
        )
        .route("/e/{slug}/piani/{anno}/piano.xlsx", get(fogli::piano_xlsx))
        .route("/studio/cruscotto.xlsx", get(fogli::cruscotto_xlsx))
        .route("/studio/cruscotto.csv", get(fogli::cruscotto_csv))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || {
                    provide_context(state.pool.clone());
                    provide_context(state.chiave_firme.clone());
                }
            },
            // The page's function is cloned with the route's service at every layer of
            // every request, kept pages included: it holds the state (one reference
            // count), not the options by value (their several).
            {
                let state = state.clone();
                move || shell(state.leptos_options.clone())
            },
        )
        // The built assets, with conditional requests (a revisit costs a 304) and the
        // brotli or gzip files made at build time; the rest of `public/` and unknown paths
        // go to Leptos' handler.
        .nest_service(&format!("/{pkg_dir}"), statici(&site_root, &pkg_dir))
        .nest_service("/vendor", statici(&site_root, "vendor"))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Each page's render with its own reactive owner, whichever thread polls it.
        .layer(from_fn(proprietario::del_compito))
        // Before a page is kept: its links without the nonce, as a rendered one.
        .layer(from_fn(crossorigin::anonimo))
        .layer(from_fn_with_state(state.clone(), pagine_tenute::servi))
        .layer(from_fn_with_state(state.clone(), middleware::load_caller))
        .layer(sessions)
        .layer(from_fn(middleware::caricamenti))
        .layer(from_fn(middleware::same_origin))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(from_fn(innesto::innesta))
        .layer(compressione())
        .with_state(state)
}

/// A folder of the built site, served with its precompressed variants.
fn statici(site_root: &str, cartella: &str) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(std::path::Path::new(site_root).join(cartella))
        .precompressed_br()
        .precompressed_gzip()
}

/// Brotli or gzip, as the browser accepts, for every response worth it; not for PDFs and
/// signed envelopes (compressed inside already, and kept byte for byte). Static files that
/// were compressed at build time (`--precompress`) are sent as they are.
///
/// Two layers, since one has a single quality for every codec: brotli's quality 0 (its
/// one-pass path) inside, gzip's level 1 outside, for the browsers that take only gzip (a
/// response brotli has compressed is passed on as it is). What is compressed here is made
/// per request (pages, answers): on the approved plan page's 85 KB, brotli's quality 1 took
/// 0.83–0.90 ms and made 16.3 KB, quality 0 takes 0.30–0.40 ms for 17.3 KB (quality 4, 2.9 ms,
/// was a third of the page's CPU). Static files are precompressed at the top quality.
fn compressione() -> tower::layer::util::Stack<
    tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate>,
    tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate>,
> {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    use tower_http::compression::CompressionLayer;
    use tower_http::CompressionLevel;
    let quando = || {
        DefaultPredicate::new()
            .and(NotForContentType::const_new("application/pdf"))
            .and(NotForContentType::const_new("application/pkcs7-mime"))
            .and(NotForContentType::const_new("font/woff2"))
            // The wasm is compressed at build time (`--precompress`, release): on the fly it
            // would cost seconds per request.
            .and(NotForContentType::const_new("application/wasm"))
    };
    tower::layer::util::Stack::new(
        CompressionLayer::new()
            .no_gzip()
            .quality(CompressionLevel::Precise(0))
            .compress_when(quando()),
        CompressionLayer::new()
            .no_br()
            .quality(CompressionLevel::Precise(1))
            .compress_when(quando()),
    )
}

/// Serves until Ctrl-C or SIGTERM, then stops the embedded cluster.
pub async fn serve(config: Config, demo: bool) -> Result<(), StartError> {
    let conf = get_configuration(None).map_err(|e| StartError::Config(e.to_string()))?;
    let leptos_options = conf.leptos_options;
    let addr = leptos_options.site_addr;
    let chiave = config.chiave_firme().map_err(StartError::Config)?;
    let posta = posta(&config).map_err(StartError::Config)?;
    let mut database = open_database(&config, demo).await?;
    let state = AppState::new(leptos_options, database.pool.clone(), config, chiave);
    spawn_housekeeping(&state);
    spawn_promemoria(&state, posta);
    let app = router(state);
    // TCP_NODELAY: a response written in two parts (headers, then a file) otherwise waits
    // for the client's delayed ACK, 40 ms, under Nagle's algorithm.
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| StartError::Config(format!("cannot listen on {addr}: {e}")))?
        .tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!("TCP_NODELAY: {e}");
            }
        });
    println!("Obiettivi in ascolto su http://{addr}");
    if let Some(cluster) = &database.cluster {
        println!(
            "Database incorporato in {} — psql: {}",
            cluster.root().display(),
            cluster.psql_hint(EMBEDDED_DATABASE)
        );
    }
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    database.pool.close().await;
    if let Some(mut cluster) = database.cluster.take() {
        tokio::task::spawn_blocking(move || cluster.stop())
            .await
            .ok();
    }
    served.map_err(|e| StartError::Config(e.to_string()))
}

/// Expired sessions out of the table, idle keys out of the login limiter.
fn spawn_housekeeping(state: &AppState) {
    let pool = state.pool.clone();
    let limiter = state.login_limiter.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            limiter.prune();
            if let Err(e) =
                sqlx::query("delete from tower_sessions.session where expiry_date < now()")
                    .execute(&pool)
                    .await
            {
                tracing::warn!(error = %e, "expired session clean-up failed");
            }
        }
    });
}

/// Where the reminders are e-mailed, checked before anything starts. With SMTP, the sender
/// and the product's address must be given: no made-up sender, no links to the address the
/// server happens to listen on.
fn posta(config: &Config) -> Result<Option<app::ssr::promemoria::Posta>, String> {
    match (&config.smtp_url, &config.smtp_from, &config.public_url) {
        (None, _, _) => Ok(None),
        (Some(url), Some(da), Some(indirizzo)) => {
            app::ssr::promemoria::Posta::nuova(url, da, indirizzo).map(Some)
        }
        (Some(_), _, _) => Err(
            "con OBIETTIVI_SMTP_URL servono anche OBIETTIVI_SMTP_FROM (il mittente) \
             e OBIETTIVI_URL (l'indirizzo del prodotto, per i link nelle e-mail)"
                .into(),
        ),
    }
}

/// The reminders' run, at start and then every `promemoria_ogni`: made once per person and
/// step, e-mailed when `posta` is set.
fn spawn_promemoria(state: &AppState, posta: Option<app::ssr::promemoria::Posta>) {
    let (pool, ogni) = (state.pool.clone(), state.config.promemoria_ogni);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(ogni);
        loop {
            tick.tick().await;
            let oggi = app::domain::calendario::oggi();
            let t = std::time::Instant::now();
            match app::ssr::promemoria::giro(&pool, oggi, posta.as_ref()).await {
                // Always said, with its length: at national scale a round is seconds of
                // the database's time (the load benchmark waits for the first one).
                Ok(g) => tracing::info!(
                    creati = g.creati,
                    inviati = g.inviati,
                    non_inviati = g.non_inviati,
                    durata_ms = t.elapsed().as_millis() as u64,
                    "promemoria: giro finito"
                ),
                Err(e) => tracing::warn!(error = %e, "promemoria non elaborati"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_needs_its_sender_and_the_products_address() {
        let mut c = Config::incorporata("unused".into());
        assert!(matches!(posta(&c), Ok(None)));
        c.smtp_url = Some("smtp://127.0.0.1:2525".into());
        assert!(matches!(posta(&c), Err(e) if e.contains("OBIETTIVI_URL")));
        c.smtp_from = Some("Obiettivi <promemoria@comune.example.it>".into());
        assert!(posta(&c).is_err());
        c.public_url = Some("https://obiettivi.comune.example.it".into());
        assert!(matches!(posta(&c), Ok(Some(_))));
    }
}
