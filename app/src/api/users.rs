//! An ente's accounts, managed by its admins and by the consultants of its firm.

use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::domain::permessi::Azione;
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::model::{Membro, OneTimePassword};

#[server(endpoint = "utenti/elenco")]
pub async fn elenco_utenti(slug: String) -> Result<Vec<Membro>, AppError> {
    use crate::ssr::{porta, users};
    porta::in_ente(&slug, Azione::GestireUtenti, async |_, tx| {
        users::membri(tx).await
    })
    .await
}

/// Roles given through a membership (a consultant's comes from the firm).
#[cfg(feature = "ssr")]
fn ruolo_di_membro(role: Role) -> Result<Role, AppError> {
    if Role::MEMBERSHIP.contains(&role) {
        Ok(role)
    } else {
        Err(AppError::NonValido("Ruolo non valido.".into()))
    }
}

#[server(endpoint = "utenti/crea")]
pub async fn invita_utente(
    slug: String,
    email: String,
    display_name: String,
    role: Role,
) -> Result<OneTimePassword, AppError> {
    use crate::domain::validate;
    use crate::ssr::{password, porta, users};
    porta::in_ente(&slug, Azione::GestireUtenti, async |_, tx| {
        let email = validate::email(&email).map_err(AppError::NonValido)?;
        let display_name =
            validate::name("Nome e cognome", &display_name).map_err(AppError::NonValido)?;
        let role = ruolo_di_membro(role)?;
        let one_time = password::OneTime::new().await?;
        users::aggiungi_membro(tx, &email, &display_name, role, &one_time).await?;
        users::audit(
            tx,
            "utente_invitato",
            serde_json::json!({ "email": email, "ruolo": role.db_name() }),
        )
        .await?;
        Ok(one_time.shown_for(email, crate::model::CodiceTipo::Accesso))
    })
    .await
}

#[server(endpoint = "utenti/ruolo")]
pub async fn cambia_ruolo(slug: String, user_id: Uuid, role: Role) -> Result<(), AppError> {
    use crate::ssr::{porta, users};
    porta::in_ente(&slug, Azione::GestireUtenti, async |ctx, tx| {
        let role = ruolo_di_membro(role)?;
        if user_id == ctx.caller.user_id
            && role != Role::AmministratoreEnte
            && ctx.role == Role::AmministratoreEnte
        {
            return Err(AppError::NonValido(
                "Non puoi togliere a te stesso il ruolo di amministratore.".into(),
            ));
        }
        users::imposta_ruolo(tx, user_id, role).await?;
        users::audit(
            tx,
            "ruolo_modificato",
            serde_json::json!({ "utente": user_id, "ruolo": role.db_name() }),
        )
        .await
    })
    .await
}

#[server(endpoint = "utenti/disattiva")]
pub async fn disattiva_utente(slug: String, user_id: Uuid, disabled: bool) -> Result<(), AppError> {
    use crate::ssr::{porta, users};
    porta::in_ente(&slug, Azione::GestireUtenti, async |ctx, tx| {
        if user_id == ctx.caller.user_id && disabled {
            return Err(AppError::NonValido(
                "Non puoi disattivare il tuo account.".into(),
            ));
        }
        users::imposta_disattivato(tx, user_id, disabled).await?;
        users::audit(
            tx,
            if disabled {
                "utente_disattivato"
            } else {
                "utente_riattivato"
            },
            serde_json::json!({ "utente": user_id }),
        )
        .await
    })
    .await
}

#[server(endpoint = "utenti/reimposta-password")]
pub async fn nuovo_codice_accesso(
    slug: String,
    user_id: Uuid,
) -> Result<OneTimePassword, AppError> {
    use crate::ssr::{password, porta, users};
    porta::in_ente(&slug, Azione::GestireUtenti, async |_, tx| {
        let email = users::membri(tx)
            .await?
            .into_iter()
            .find(|m| m.user_id == user_id)
            .map(|m| m.email)
            .ok_or(AppError::NonTrovato)?;
        let one_time = password::OneTime::new().await?;
        let tipo = users::reimposta_password(tx, user_id, &one_time).await?;
        users::audit(
            tx,
            match tipo {
                crate::model::CodiceTipo::Accesso => "invito_rinnovato",
                crate::model::CodiceTipo::PasswordTemporanea => "password_reimpostata",
            },
            serde_json::json!({ "utente": user_id }),
        )
        .await?;
        Ok(one_time.shown_for(email, tipo))
    })
    .await
}

/// Whether the ente asks the second factor of all its people.
#[server(endpoint = "utenti/2fa")]
pub async fn richiede_2fa(slug: String) -> Result<bool, AppError> {
    use crate::ssr::{porta, users};
    porta::in_ente(&slug, Azione::GestireUtenti, async |_, tx| {
        users::richiede_2fa(tx).await
    })
    .await
}

/// Asks (or stops asking) the second factor of all the ente's people: from their next
/// request, those without it may only set it up.
#[server(endpoint = "utenti/richiedi-2fa")]
pub async fn richiedi_2fa(
    slug: String,
    #[server(default)] richiesto: crate::domain::modulo::Casella,
) -> Result<(), AppError> {
    use crate::ssr::{porta, users};
    let richiesto = richiesto.0;
    porta::in_ente(&slug, Azione::GestireUtenti, async |_, tx| {
        users::richiedi_2fa(tx, richiesto).await?;
        users::audit(
            tx,
            if richiesto {
                "2fa_richiesta"
            } else {
                "2fa_non_richiesta"
            },
            serde_json::json!({}),
        )
        .await
    })
    .await
}
