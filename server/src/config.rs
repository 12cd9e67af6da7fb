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
