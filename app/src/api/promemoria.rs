//! The header's menu and bell, and the caller's reminders.

use leptos::prelude::*;

use crate::domain::modulo::Casella;
use crate::error::AppError;
use crate::model::{Menu, PromemoriaView};

/// The header's menu for the page of ente `slug` (empty: a page outside any ente): the
/// sections the caller's role there opens, the other enti, the firm's sections, the bell.
#[server(endpoint = "navigazione")]
pub async fn navigazione(#[server(default)] slug: String) -> Result<Menu, AppError> {
    use crate::ssr::{enti, porta, promemoria};
    // Nobody signed in (the login page): no menu, and no error to set the page's status.
    let Ok(caller) = crate::ssr::caller() else {
        return Ok(Menu::default());
    };
    // A page rendered on the server: read with its caller (`ssr::richiesta`), no door.
    let letta = crate::ssr::context::richiesta()
        .and_then(|r| r.intestazione(&slug).map(|(e, i)| (e.cloned(), i)));
    if let Some((ente, i)) = letta {
        let ente = ente.map(|e| (e.slug, e.nome, e.role, i.altri_enti));
        return Ok(menu(caller.firm_id.is_some(), ente, i.promemoria));
    }
    porta::per_utente(async |caller, tx| {
        let studio = caller.firm_id.is_some();
        if slug.is_empty() {
            let da_leggere = promemoria::da_leggere(tx, caller.user_id).await?;
            return Ok(menu(studio, None, da_leggere));
        }
        // Another ente's page: it does not exist for the caller (the page says so too).
        let (e, altri, da_leggere) = enti::per_menu(tx, caller.user_id, caller.firm_id, &slug)
            .await?
            .ok_or(crate::error::AppError::NonTrovato)?;
        Ok(menu(
            studio,
            Some((e.slug, e.name, e.role, altri)),
            da_leggere,
        ))
    })
    .await
}

/// The header's menu: inside `ente` (its slug, name, the caller's role there, whether they
/// may enter another), or outside any; `studio`: the caller is a firm's consultant.
#[cfg(feature = "ssr")]
fn menu(
    studio: bool,
    ente: Option<(String, String, crate::domain::roles::Role, bool)>,
    promemoria: i64,
) -> Menu {
    use crate::domain::permessi::Azione;
    let mut n = Menu {
        promemoria,
        ..Menu::default()
    };
    if let Some((s, nome, role, altri)) = ente {
        // «I miei obiettivi» is for the ente's own people, not the firm's consultants.
        let proprio = role != crate::domain::roles::Role::Consulente;
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
            .filter(|(t, _, a)| role.puo(*a) && (proprio || *t != "I miei obiettivi"))
            .map(|(t, h, _)| (t.to_string(), h))
            .collect();
        n.ente = Some((s, nome));
        n.altri_enti = altri;
    }
    // Inside an ente, the firm's cockpit only (the rest is one click from it).
    if studio {
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
    n
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
