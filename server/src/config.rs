//! Configuration from the environment (the twelve-factor way: one binary, many deployments).

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// Owner connection: runs migrations and, when allowed, creates the runtime role.
    /// `None`: start the embedded cluster under `data_dir`.
    pub database_url: Option<String>,
    /// An existing runtime role, for databases where the app cannot create roles.
    pub runtime_database_url: Option<String>,
    pub data_dir: PathBuf,
    /// Cookies get `Secure` and the `__Host-` prefix (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Behind a reverse proxy: take the client address from X-Forwarded-For.
    pub trust_proxy: bool,
    /// `OBIETTIVI_SIGNING_KEY`: 64 hex digits, the key that encrypts the enti's signing
    /// keys at rest. Unset: one is generated in `data_dir` on first use.
    pub signing_key: Option<String>,
    /// `OBIETTIVI_SMTP_URL`: where reminders are e-mailed (`smtps://user:pass@host`,
    /// `smtp://host:25?tls=required`, ...). Unset: reminders only in the product (the bell).
    pub smtp_url: Option<String>,
    /// `OBIETTIVI_SMTP_FROM`: the sender of the reminders (required with `smtp_url`).
    pub smtp_from: Option<String>,
    /// `OBIETTIVI_URL`: the product's address, for the links in the e-mails (required with
    /// `smtp_url`: the address the server listens on is seldom the one people open).
    pub public_url: Option<String>,
    /// `OBIETTIVI_PROMEMORIA_SECONDI`: how often the reminders' run goes (default hourly).
    pub promemoria_ogni: std::time::Duration,
    /// `OBIETTIVI_DB_CONNESSIONI`: the most connections the server keeps to the database
    /// (default `connessioni_predefinite`).
    pub db_connessioni: u32,
}

/// The pool's size by default: twice this machine's cores, at least 4. A database on the
/// same cores (the embedded cluster) does no more work with more connections than it can
/// run at once, only more switching between them: on 2 cores, 4 connections against 16
/// cost PostgreSQL 10–30 % less CPU per page (`docs/speed.md`, "National scale"). A
/// database of its own with more cores: set `OBIETTIVI_DB_CONNESSIONI`.
pub fn connessioni_predefinite() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
}

/// The reminders' run, by default: hourly.
const PROMEMORIA_OGNI_SECONDI: u64 = 3600;

impl Config {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let flag = |k: &str| var(k).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes"));
        Config {
            database_url: var("DATABASE_URL"),
            runtime_database_url: var("OBIETTIVI_RUNTIME_DATABASE_URL"),
            data_dir: var("OBIETTIVI_DATA_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("data")),
            secure_cookies: flag("OBIETTIVI_SECURE_COOKIES"),
            trust_proxy: flag("OBIETTIVI_TRUST_PROXY"),
            signing_key: var("OBIETTIVI_SIGNING_KEY"),
            smtp_url: var("OBIETTIVI_SMTP_URL"),
            smtp_from: var("OBIETTIVI_SMTP_FROM"),
            public_url: var("OBIETTIVI_URL"),
            promemoria_ogni: std::time::Duration::from_secs(
                var("OBIETTIVI_PROMEMORIA_SECONDI")
                    .and_then(|v| v.parse().ok())
                    .filter(|s| *s >= 1)
                    .unwrap_or(PROMEMORIA_OGNI_SECONDI),
            ),
            db_connessioni: var("OBIETTIVI_DB_CONNESSIONI")
                .and_then(|v| v.parse().ok())
                .filter(|n| (1..=1000).contains(n))
                .unwrap_or_else(connessioni_predefinite),
        }
    }

    /// The configuration with no environment at all: the embedded cluster under
    /// `data_dir`, no SMTP, reminders hourly (the tests' starting point).
    pub fn incorporata(data_dir: PathBuf) -> Self {
        Config {
            database_url: None,
            runtime_database_url: None,
            data_dir,
            secure_cookies: false,
            trust_proxy: false,
            signing_key: None,
            smtp_url: None,
            smtp_from: None,
            public_url: None,
            promemoria_ogni: std::time::Duration::from_secs(PROMEMORIA_OGNI_SECONDI),
            db_connessioni: connessioni_predefinite(),
        }
    }

    /// The key for the enti's signing keys (see `signing_key`).
    pub fn chiave_firme(&self) -> Result<app::ssr::allegato::custodia::ChiaveFirme, String> {
        app::ssr::allegato::custodia::ChiaveFirme::da_configurazione(
            self.signing_key.as_deref(),
            &self.data_dir,
        )
    }
}
