//! The signed-in user's own account.

use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "account/password")]
pub async fn cambia_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::ssr::{password, porta, users};
    porta::del_chiamante(async |caller, pool| {
        if new != confirm {
            return Err(AppError::NonValido(
                "La nuova password e la conferma non coincidono.".into(),
            ));
        }
        let enti = users::nomi_enti(pool, caller.user_id, caller.firm_id).await?;
        let mut contesto: Vec<&str> = vec![&caller.display_name, &caller.email];
        contesto.extend(enti.iter().map(String::as_str));
        password::robusta(&new, &contesto).map_err(AppError::NonValido)?;
        let stored = users::hash_password(pool, caller.user_id).await?;
        let ok = password::verify_off_thread(current, stored).await?;
        if !ok {
            return Err(AppError::NonValido(
                "La password attuale non è corretta.".into(),
            ));
        }
        let hash = password::hash_off_thread(new).await?;
        users::imposta_password_propria(pool, caller.user_id, &hash).await?;
        crate::ssr::registro::registra_accesso(
            pool,
            Some(caller.user_id),
            &caller.email,
            "password_cambiata",
            None,
        )
        .await?;
        crate::ssr::sessioni::chiudi_altre(pool, caller.user_id, caller.sessione).await?;
        // Other sessions of this account end (their line keeps the old password's time);
        // this one carries on, under a new key, with the new time.
        if let (Ok(session), Some(riga)) = (
            leptos_axum::extract::<tower_sessions::Session>().await,
            caller.sessione,
        ) {
            let changed = users::password_cambiata_il(pool, caller.user_id).await?;
            session.cycle_id().await.map_err(AppError::interno)?;
            crate::ssr::sessioni::salva_e_lega(pool, &session, caller.user_id, riga, changed)
                .await?;
        }
        Ok(())
    })
    .await
}

/// Joins the enti or the firm whose invitation code this is. Returns their names.
#[server(endpoint = "account/accetta-invito")]
pub async fn accetta_invito(codice: String) -> Result<Vec<String>, AppError> {
    use crate::ssr::{password, porta, users};
    porta::del_chiamante(async |caller, pool| {
        let codice = codice.trim();
        if codice.is_empty() || codice.len() > 64 {
            return Err(AppError::NonValido("Inserisci il codice di invito.".into()));
        }
        let mut tx = crate::ssr::context::inizia(pool, None).await?;
        let joined =
            users::accetta_inviti(&mut tx, caller.user_id, &password::digest_codice(codice))
                .await?;
        tx.commit().await?;
        if joined.is_empty() {
            return Err(AppError::NonValido(
                "Codice non valido o scaduto: controlla di averlo copiato per intero, oppure chiedi un nuovo codice a chi ti ha invitato.".into(),
            ));
        }
        Ok(joined)
    })
    .await
}

#[cfg(feature = "ssr")]
fn chiave_server() -> Result<crate::ssr::allegato::custodia::ChiaveFirme, AppError> {
    use_context::<crate::ssr::allegato::custodia::ChiaveFirme>()
        .ok_or_else(|| AppError::interno("server key missing from the context"))
}

/// Whether the caller's second factor is on, and whether it is required of them.
#[server(endpoint = "account/2fa/stato")]
pub async fn stato_2fa() -> Result<crate::model::Stato2fa, AppError> {
    use crate::ssr::{porta, users};
    porta::del_chiamante(async |caller, pool| users::stato_2fa(pool, caller.user_id).await).await
}

/// Starts an enrolment: a new secret, shown once (text and QR code), active only once a
/// code from the app confirms it.
#[server(endpoint = "account/2fa/inizia")]
pub async fn inizia_2fa() -> Result<crate::model::Iscrizione2fa, AppError> {
    use crate::ssr::{due_fattori, porta, users};
    porta::del_chiamante(async |caller, pool| {
        let i = due_fattori::nuova_iscrizione(&chiave_server()?, caller.user_id, &caller.email)?;
        users::iscrivi_totp(pool, caller.user_id, &i.cifrato).await?;
        Ok(crate::model::Iscrizione2fa {
            qr_svg: due_fattori::qr_svg(&i.uri)?,
            segreto: i.segreto_base32,
            uri: i.uri,
        })
    })
    .await
}

/// Confirms the enrolment with a code from the app; returns the recovery codes, shown once.
#[server(endpoint = "account/2fa/conferma")]
pub async fn conferma_2fa(codice: String) -> Result<Vec<String>, AppError> {
    use crate::ssr::{due_fattori, porta, users};
    porta::del_chiamante(async |caller, pool| {
        let f = users::secondo_fattore(pool, caller.user_id)
            .await?
            .ok_or(AppError::NonTrovato)?;
        let Some(cifrato) = f.segreto.filter(|_| !f.attivo) else {
            return Err(AppError::NonValido(
                "Nessuna attivazione in corso: premi di nuovo «Attiva la verifica in due passaggi».".into(),
            ));
        };
        let passo = due_fattori::verifica(
            &chiave_server()?,
            caller.user_id,
            &cifrato,
            &codice,
            None,
            due_fattori::adesso(),
        )?
        .ok_or_else(|| {
            AppError::NonValido(
                "Codice non corretto: controlla l'ora del telefono e inserisci il codice di 6 cifre che l'app mostra ora.".into(),
            )
        })?;
        let (codici, digest) = due_fattori::codici_recupero();
        users::attiva_totp(pool, caller.user_id, passo, &digest).await?;
        crate::ssr::registro::registra_accesso(
            pool,
            Some(caller.user_id),
            &caller.email,
            "2fa_attivata",
            None,
        )
        .await?;
        Ok(codici)
    })
    .await
}

/// Turns the second factor off, with the password as proof; not when it is required.
#[server(endpoint = "account/2fa/disattiva")]
pub async fn disattiva_2fa(password: String) -> Result<(), AppError> {
    use crate::ssr::{password as pw, porta, users};
    porta::del_chiamante(async |caller, pool| {
        if users::stato_2fa(pool, caller.user_id).await?.richiesto {
            return Err(AppError::NonValido(
                "La verifica in due passaggi è obbligatoria per il tuo account e non si può disattivare.".into(),
            ));
        }
        let stored = users::hash_password(pool, caller.user_id).await?;
        if !pw::verify_off_thread(password, stored).await? {
            return Err(AppError::NonValido("La password non è corretta.".into()));
        }
        users::disattiva_totp(pool, caller.user_id).await?;
        crate::ssr::registro::registra_accesso(
            pool,
            Some(caller.user_id),
            &caller.email,
            "2fa_disattivata",
            None,
        )
        .await
    })
    .await
}

/// «Le mie sessioni»: the account's open sessions, this one marked.
#[server(endpoint = "account/sessioni")]
pub async fn mie_sessioni() -> Result<Vec<crate::model::SessioneView>, AppError> {
    use crate::ssr::{porta, sessioni};
    porta::del_chiamante(async |caller, pool| {
        sessioni::elenco(pool, caller.user_id, caller.sessione).await
    })
    .await
}

/// Ends every other session of the account; returns how many.
#[server(endpoint = "account/sessioni/chiudi-altre")]
pub async fn chiudi_altre_sessioni() -> Result<u64, AppError> {
    use crate::ssr::{porta, sessioni};
    porta::del_chiamante(async |caller, pool| {
        sessioni::chiudi_altre(pool, caller.user_id, caller.sessione).await
    })
    .await
}

/// Session key: this session's line in «Le mie sessioni» (`sessioni_utente`).
pub const SESSION_ID: &str = "sessione";
/// Session key: the signed-in user's id.
pub const SESSION_USER_ID: &str = "user_id";
