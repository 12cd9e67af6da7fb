//! A consultancy firm's own work: its enti and its consultants.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ConsulenteView, OneTimePassword};

#[server(endpoint = "studio/consulenti")]
pub async fn elenco_consulenti() -> Result<Vec<ConsulenteView>, AppError> {
    use crate::ssr::{porta, users};
    porta::nello_studio(async |_, firm, tx| users::consulenti(tx, firm).await).await
}

#[server(endpoint = "studio/nuovo-consulente")]
pub async fn nuovo_consulente(
    email: String,
    display_name: String,
) -> Result<OneTimePassword, AppError> {
    use crate::domain::validate;
    use crate::ssr::{password, porta, users};
    porta::nello_studio(async |_, firm, tx| {
        let email = validate::email(&email).map_err(AppError::NonValido)?;
        let display_name =
            validate::name("Nome e cognome", &display_name).map_err(AppError::NonValido)?;
        let one_time = password::OneTime::new().await?;
        users::aggiungi_consulente(tx, firm, &email, &display_name, &one_time).await?;
        Ok(one_time.shown_for(email, crate::model::CodiceTipo::Accesso))
    })
    .await
}

/// A new ente managed by the caller's firm. Returns its slug.
#[server(endpoint = "studio/nuovo-ente")]
pub async fn crea_ente(
    name: String,
    provincia: String,
    codice_istat: String,
    codice_ipa: String,
) -> Result<String, AppError> {
    use crate::domain::validate;
    use crate::ssr::{enti, porta};
    porta::nello_studio(async |_, firm, tx| {
        let name = validate::name("Denominazione", &name).map_err(AppError::NonValido)?;
        let slug = validate::slug_from_name(&name);
        if slug.is_empty() {
            return Err(AppError::NonValido(
                "La denominazione deve contenere lettere o cifre.".into(),
            ));
        }
        let optional = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
        let (istat, ipa) = (optional(&codice_istat), optional(&codice_ipa));
        enti::crea(
            tx,
            enti::NuovoEnte {
                firm_id: firm,
                name: &name,
                provincia: provincia.trim(),
                slug: &slug,
                codice_istat: istat.as_deref(),
                codice_ipa: ipa.as_deref(),
            },
        )
        .await?;
        Ok(slug)
    })
    .await
}

/// Whether the firm asks the second factor of all its consultants.
#[server(endpoint = "studio/2fa")]
pub async fn studio_richiede_2fa() -> Result<bool, AppError> {
    use crate::ssr::{porta, studi};
    porta::nello_studio(async |_, firm, tx| studi::richiede_2fa(tx, firm).await).await
}

/// Asks (or stops asking) the second factor of all the firm's consultants: from their next
/// request, those without it may only set it up. Recorded in the access log.
#[server(endpoint = "studio/richiedi-2fa")]
pub async fn studio_richiedi_2fa(
    #[server(default)] richiesto: crate::domain::modulo::Casella,
) -> Result<(), AppError> {
    use crate::ssr::{porta, registro, studi};
    let richiesto = richiesto.0;
    porta::nello_studio(async |caller, firm, tx| {
        studi::richiedi_2fa(tx, firm, caller.user_id, richiesto).await?;
        let evento = if richiesto {
            "2fa_studio_richiesta"
        } else {
            "2fa_studio_non_richiesta"
        };
        registro::registra_accesso(&mut **tx, Some(caller.user_id), &caller.email, evento, None)
            .await
    })
    .await
}
