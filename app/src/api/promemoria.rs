//! The header's menu and bell, and the caller's reminders.

use leptos::prelude::*;

use crate::domain::modulo::Casella;
use crate::error::AppError;
use crate::model::{Menu, PromemoriaView};

/// The header's menu for the page of ente `slug` (empty: a page outside any ente): the
/// sections the caller's role there opens, the other enti, the firm's sections, the bell.
#[server(endpoint = "navigazione")]
pub async fn navigazione(#[server(default)] slug: String) -> Result<Menu, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{enti, porta, promemoria};
    // Nobody signed in (the login page): no menu, and no error to set the page's status.
    if crate::ssr::caller().is_err() {
        return Ok(Menu::default());
    }
    porta::per_utente(async |caller, tx| {
        let mut n = Menu::default();
        if slug.is_empty() {
            n.promemoria = promemoria::da_leggere(tx, caller.user_id).await?;
        } else {
            // Another ente's page: it does not exist for the caller (the page says so too).
            let (e, altri, da_leggere) = enti::per_menu(tx, caller.user_id, caller.firm_id, &slug)
                .await?
                .ok_or(crate::error::AppError::NonTrovato)?;
            n.promemoria = da_leggere;
            let s = &e.slug;
            n.ente = Some((s.clone(), e.name.clone()));
            // «I miei obiettivi» is for the ente's own people, not the firm's consultants.
            let proprio = e.role != crate::domain::roles::Role::Consulente;
            let voci = [
                ("Piani", format!("/e/{s}/piani"), Azione::LeggerePiano),
                (
                    "I miei obiettivi",
                    format!("/e/{s}/miei-obiettivi"),
                    Azione::Entrare,
                ),
                ("Scadenze", format!("/e/{s}/scadenze"), Azione::LeggerePiano),
                (
                    "Personale",
                    format!("/e/{s}/personale"),
                    Azione::GestirePersonale,
                ),
                ("Utenti", format!("/e/{s}/utenti"), Azione::GestireUtenti),
                ("SMVP", format!("/e/{s}/smvp"), Azione::ImpostareValutazione),
            ];
            n.sezioni = voci
                .into_iter()
                .filter(|(t, _, a)| e.role.puo(*a) && (proprio || *t != "I miei obiettivi"))
                .map(|(t, h, _)| (t.to_string(), h))
                .collect();
            n.altri_enti = altri;
        }
        // Inside an ente, the firm's cockpit only (the rest is one click from it).
        if caller.firm_id.is_some() {
            let voci: &[(&str, &str)] = if n.ente.is_some() {
                &[("Cruscotto", "/studio")]
            } else {
                &[
                    ("Cruscotto", "/studio"),
                    ("Enti", "/"),
                    ("Libreria", "/libreria"),
                    ("Consulenti", "/studio/consulenti"),
                ]
            };
            n.studio = voci
                .iter()
                .map(|(t, h)| (t.to_string(), h.to_string()))
                .collect();
        }
        Ok(n)
    })
    .await
}

/// The caller's reminders, unread first.
#[server(endpoint = "promemoria")]
pub async fn miei_promemoria() -> Result<Vec<PromemoriaView>, AppError> {
    use crate::ssr::{porta, promemoria};
    porta::per_utente(async |caller, tx| promemoria::miei(tx, caller.user_id).await).await
}

/// Marks all the caller's reminders as read.
#[server(endpoint = "promemoria/letti")]
pub async fn segna_letti() -> Result<(), AppError> {
    use crate::ssr::{porta, promemoria};
    porta::per_utente(async |caller, tx| promemoria::segna_letti(tx, caller.user_id).await).await
}

/// Whether the caller gets the reminders before a deadline by e-mail.
#[server(endpoint = "promemoria/email")]
pub async fn email_anticipati() -> Result<bool, AppError> {
    use crate::ssr::{porta, promemoria};
    porta::per_utente(async |caller, tx| promemoria::email_anticipati(tx, caller.user_id).await)
        .await
}

/// Turns the e-mails before a deadline on or off (those after it always go).
#[server(endpoint = "promemoria/email/imposta")]
pub async fn imposta_email_anticipati(#[server(default)] attivi: Casella) -> Result<(), AppError> {
    use crate::ssr::{porta, promemoria};
    porta::per_utente(async |caller, tx| {
        promemoria::imposta_email_anticipati(tx, caller.user_id, attivi.0).await
    })
    .await
}
