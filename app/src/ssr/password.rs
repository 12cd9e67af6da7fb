//! argon2id password hashes (the `argon2` crate's defaults: m=19 MiB, t=2, p=1, as OWASP
//! recommends), and one-time passwords for new accounts.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::Rng;

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Whether a password its owner chose is strong enough (ASVS 6.2): long enough (see
/// `validate::password`), not guessable by the zxcvbn estimator (score 3 of 4 at least), and
/// not made of the context — the product's name, the ente's, the person's name or e-mail —
/// with a few characters around it. No composition rules.
pub fn robusta(password: &str, contesto: &[&str]) -> Result<(), String> {
    crate::domain::validate::password(password)?;
    const DEBOLE: &str =
        "La password è troppo facile da indovinare: evita parole comuni, sequenze \
        e ripetizioni, il tuo nome, il nome dell'ente o di Obiettivi. Va bene una frase di \
        quattro o cinque parole che solo tu colleghi.";
    let lettere = |s: &str| -> String {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let mut parole: Vec<String> = contesto
        .iter()
        .flat_map(|c| c.split(|ch: char| !ch.is_alphanumeric()))
        .map(lettere)
        .filter(|w| w.chars().count() >= 4)
        .collect();
    parole.push("obiettivi".into());
    let mut resto = lettere(password);
    for w in &parole {
        resto = resto.replace(w.as_str(), "");
    }
    if resto.chars().count() < 8 {
        return Err(DEBOLE.into());
    }
    let input: Vec<&str> = parole.iter().map(String::as_str).collect();
    if (zxcvbn::zxcvbn(password, &input).score() as u8) < 3 {
        return Err(DEBOLE.into());
    }
    Ok(())
}

/// A hash no password matches, to spend the same time on unknown e-mails as on known ones.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("nessuna-password-corrisponde-a-questa"))
}

/// A one-time password an admin hands over: 14 characters, no look-alikes (0/O, 1/l/I).
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..14)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// argon2 takes 19 MiB and tens of milliseconds per call: at most this many run at once,
/// so a flood of logins queues instead of exhausting memory and the blocking pool.
const HASHES_AT_ONCE: usize = 4;
/// A caller that waits longer than this for a turn is told the service is busy.
const HASH_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHES_AT_ONCE);

/// Runs one argon2 computation on the blocking pool, off the async workers, within the
/// global bound.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> crate::error::AppResult<T> {
    use crate::error::AppError;
    let _turn = tokio::time::timeout(HASH_QUEUE_WAIT, HASHING.acquire())
        .await
        .map_err(|_| AppError::Occupato)?
        .map_err(AppError::interno)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::interno)
}

/// `hash`, bounded and on the blocking pool.
pub async fn hash_off_thread(password: String) -> crate::error::AppResult<String> {
    bounded(move || hash(&password)).await
}

/// `verify`, bounded and on the blocking pool.
pub async fn verify_off_thread(password: String, hash: String) -> crate::error::AppResult<bool> {
    bounded(move || verify(&password, &hash)).await
}

/// The SHA-256 of an invitation code, as stored: the code has ~81 bits of entropy, so a
/// fast hash is enough and lets the code be looked up.
pub fn digest_codice(codice: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(codice.trim().as_bytes()))
}

/// A one-time code handed over by whoever creates an account or invites one: the temporary
/// password of a new account (argon2 `hash`) or the invitation code of an existing one
/// (`digest`). The inviter is given the same kind of code either way.
pub struct OneTime {
    plain: String,
    pub hash: String,
    pub digest: String,
}

impl OneTime {
    pub async fn new() -> crate::error::AppResult<OneTime> {
        let plain = generate();
        let hash = hash_off_thread(plain.clone()).await?;
        let digest = digest_codice(&plain);
        Ok(OneTime {
            plain,
            hash,
            digest,
        })
    }

    /// What the admin is shown, once.
    pub fn shown_for(
        self,
        email: String,
        kind: crate::model::CodiceTipo,
    ) -> crate::model::OneTimePassword {
        crate::model::OneTimePassword {
            email,
            codice: self.plain,
            tipo: kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("una password lunga");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("una password lunga", &h));
        assert!(!verify("un'altra password", &h));
        assert!(!verify("qualsiasi", "non-un-hash"));
    }

    #[test]
    fn weak_or_contextual_passwords_are_refused() {
        let ctx = [
            "Dario Dipendente",
            "dipendente@esempio.demo",
            "Comune di Esempio",
        ];
        for weak in [
            "corta",
            "aaaaaaaaaaaa",
            "qwertyuiop12",
            "obiettivi2026!!",
            "ComuneDiEsempio1",
            "dario.dipendente",
        ] {
            assert!(robusta(weak, &ctx).is_err(), "{weak}");
        }
        for ok in ["la-mia-password-scelta", "Tramonto sul lago di Como"] {
            assert_eq!(robusta(ok, &ctx), Ok(()), "{ok}");
        }
    }

    #[test]
    fn generated_passwords_differ() {
        let a = generate();
        assert_eq!(a.len(), 14);
        assert_ne!(a, generate());
    }
}
