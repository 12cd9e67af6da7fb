//! Who is signed in, and what the login page must show after a failed attempt.

use leptos::prelude::*;

use crate::error::AppError;

/// The name shown in the header, or `None` when nobody is signed in.
#[server(endpoint = "sessione/utente")]
pub async fn utente_corrente() -> Result<Option<(String, String)>, AppError> {
    crate::ssr::respond(
        async move { Ok(crate::ssr::caller().ok().map(|c| (c.display_name, c.email))) }.await,
    )
}

/// Why the last login attempt failed: carried in the redirect's query (`?errore=`), so a
/// failed attempt stores nothing on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErroreAccesso {
    Credenziali,
    Tentativi,
    Scaduta,
    Occupato,
    Servizio,
    /// The five minutes to give the second factor's code ran out.
    CodiceScaduto,
}

impl ErroreAccesso {
    const TUTTI: [ErroreAccesso; 6] = [
        ErroreAccesso::Credenziali,
        ErroreAccesso::Tentativi,
        ErroreAccesso::Scaduta,
        ErroreAccesso::Occupato,
        ErroreAccesso::Servizio,
        ErroreAccesso::CodiceScaduto,
    ];

    pub fn codice(self) -> &'static str {
        match self {
            ErroreAccesso::Credenziali => "credenziali",
            ErroreAccesso::Tentativi => "tentativi",
            ErroreAccesso::Scaduta => "scaduta",
            ErroreAccesso::Occupato => "occupato",
            ErroreAccesso::Servizio => "servizio",
            ErroreAccesso::CodiceScaduto => "codice-scaduto",
        }
    }

    pub fn da_codice(c: &str) -> Option<ErroreAccesso> {
        Self::TUTTI.into_iter().find(|e| e.codice() == c)
    }

    pub fn messaggio(self) -> &'static str {
        match self {
            ErroreAccesso::Credenziali => "E-mail o password non corretti.",
            ErroreAccesso::Tentativi => {
                "Troppi tentativi di accesso. Attendi qualche minuto e riprova."
            }
            ErroreAccesso::Scaduta => {
                "La password temporanea è scaduta: chiedi a chi te l'ha consegnata un nuovo codice."
            }
            ErroreAccesso::Occupato => {
                "Il servizio è momentaneamente occupato: riprova tra qualche secondo."
            }
            ErroreAccesso::Servizio => "Servizio momentaneamente non disponibile. Riprova.",
            ErroreAccesso::CodiceScaduto => {
                "Il tempo per inserire il codice è scaduto: accedi di nuovo."
            }
        }
    }
}

/// Cookie (path `/login`, five minutes) with the e-mail typed in the last failed attempt,
/// hex-encoded (any byte is then a valid cookie value).
pub const COOKIE_EMAIL: &str = "obiettivi_email";

/// The e-mail to put back in the login form after a failed attempt.
#[server(endpoint = "sessione/stato-accesso")]
pub async fn login_email() -> Result<String, AppError> {
    crate::ssr::respond(
        async move {
            let Ok(headers) = leptos_axum::extract::<http::HeaderMap>().await else {
                return Ok(String::new());
            };
            let email = headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|c| c.trim().split_once('='))
                .find(|(k, _)| *k == COOKIE_EMAIL)
                .and_then(|(_, v)| hex::decode(v).ok())
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
            // Only something that looks like an e-mail goes back into the page.
            Ok(crate::domain::validate::email(&email).unwrap_or_default())
        }
        .await,
    )
}
