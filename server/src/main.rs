//! `server [serve] [--demo]` serves the site; `server demo` loads the demo data and exits.

use std::process::ExitCode;

#[global_allocator]
static ALLOCATORE: mimalloc::MiMalloc = mimalloc::MiMalloc;

use server::cli::USAGE;
use server::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    // Running the binary directly (not through cargo-leptos): sensible site defaults.
    for (k, v) in [
        ("LEPTOS_OUTPUT_NAME", "obiettivi"),
        ("LEPTOS_SITE_ROOT", "target/site"),
        ("LEPTOS_SITE_PKG_DIR", "pkg"),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:3000"),
    ] {
        if std::env::var_os(k).is_none() {
            std::env::set_var(k, v);
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::from_env();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        [] | ["serve"] => server::serve(config, false).await,
        ["--demo"] | ["serve", "--demo"] => server::serve(config, true).await,
        ["demo"] => server::open_database(&config, true).await.map(|_| ()),
        ["migrate"] => server::open_database(&config, false).await.map(|_| ()),
        ["admin", rest @ ..] => match server::open_database(&config, false).await {
            Ok(mut db) => {
                let r = server::cli::run(&db.pool, rest).await;
                db.pool.close().await;
                if let Some(mut c) = db.cluster.take() {
                    tokio::task::spawn_blocking(move || c.stop()).await.ok();
                }
                if let Err(e) = r {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
                Ok(())
            }
            Err(e) => Err(e),
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("errore: {e}");
            ExitCode::FAILURE
        }
    }
}
