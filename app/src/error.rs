//! The one error type of server functions: what a user may read, in Italian. Internal
//! details (SQL, stack traces) are logged on the server and never cross the wire.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Sessione scaduta o assente: accedi di nuovo.")]
    NonAutenticato,
    #[error("Non trovato.")]
    NonTrovato,
    #[error("Non hai i permessi per questa operazione.")]
    NonAutorizzato,
    /// A rule the input breaks, said for the user.
    #[error("{0}")]
    NonValido(String),
    /// Someone else changed the data first.
    #[error("{0}")]
    Conflitto(String),
    #[error("Errore di comunicazione con il server: controlla la connessione e riprova.")]
    Rete,
    #[error("Si è verificato un errore interno. Riprova più tardi.")]
    Interno,
    /// Too many requests of this kind at once: try again shortly.
    #[error("Il servizio è momentaneamente occupato: riprova tra qualche secondo.")]
    Occupato,
}

impl AppError {
    /// An internal failure: its cause goes to the log, never to the user.
    pub fn interno(cause: impl std::fmt::Display) -> AppError {
        #[cfg(feature = "ssr")]
        tracing::error!(error = %cause, "internal error");
        #[cfg(not(feature = "ssr"))]
        let _ = cause;
        AppError::Interno
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status of this error: one mapping, for server functions and plain routes.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NonAutenticato => StatusCode::UNAUTHORIZED,
            AppError::NonTrovato => StatusCode::NOT_FOUND,
            AppError::NonAutorizzato => StatusCode::FORBIDDEN,
            AppError::NonValido(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflitto(_) => StatusCode::CONFLICT,
            AppError::Rete | AppError::Interno => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Occupato => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// Database errors named by their constraint become what the user should read: one
/// mapping, next to the query whose constraints it names.
#[cfg(feature = "ssr")]
pub trait ResultExt<T>: Sized {
    /// A violation of a constraint of `errori` becomes its error; any other database error
    /// is mapped as usual.
    fn on_constraints(self, errori: &[(&str, AppError)]) -> AppResult<T>;

    /// `NonValido(messaggio)` when the error is a violation of the constraint `nome`.
    fn on_constraint(self, nome: &str, messaggio: &str) -> AppResult<T> {
        self.on_constraints(&[(nome, AppError::NonValido(messaggio.to_string()))])
    }
}

#[cfg(feature = "ssr")]
impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn on_constraints(self, errori: &[(&str, AppError)]) -> AppResult<T> {
        self.map_err(|e| {
            let trovato = match &e {
                sqlx::Error::Database(d) => d
                    .constraint()
                    .and_then(|c| errori.iter().find(|(n, _)| *n == c)),
                _ => None,
            };
            match trovato {
                Some((_, errore)) => errore.clone(),
                None => AppError::from(e),
            }
        })
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Rete,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::NonValido("Dati del modulo incompleti o non validi.".into())
            }
            _ => AppError::Interno,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => AppError::NonTrovato,
            sqlx::Error::Database(d) if d.constraint() == Some("piano_approvato_immutabile") => {
                AppError::NonValido(crate::domain::plan::PIANO_APPROVATO.into())
            }
            sqlx::Error::Database(d)
                if d.constraint() == Some("monitoraggio_chiuso_immutabile") =>
            {
                AppError::NonValido(crate::ssr::monitoraggio::CHIUSO.into())
            }
            sqlx::Error::Database(d)
                if d.constraint() == Some("valutazione_definitiva_immutabile") =>
            {
                AppError::NonValido("La valutazione è definitiva: non si modifica più.".into())
            }
            sqlx::Error::Database(d) if d.constraint() == Some("premi_definitivi_immutabili") => {
                AppError::NonValido(crate::ssr::premi::DEFINITIVA.into())
            }
            _ => {
                tracing::error!(error = %e, "database error");
                AppError::Interno
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
