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

/// argon2 is CPU-bound by design: hash on the blocking pool, off the async workers.
pub async fn hash_off_thread(password: String) -> crate::error::AppResult<String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|_| crate::error::AppError::Interno)
}

/// Like `verify`, on the blocking pool.
pub async fn verify_off_thread(password: String, hash: String) -> crate::error::AppResult<bool> {
    tokio::task::spawn_blocking(move || verify(&password, &hash))
        .await
        .map_err(|_| crate::error::AppError::Interno)
}

/// A one-time password for a new or reset account, and its hash to store.
pub struct OneTime {
    plain: String,
    pub hash: String,
}

impl OneTime {
    pub async fn new() -> crate::error::AppResult<OneTime> {
        let plain = generate();
        let hash = hash_off_thread(plain.clone()).await?;
        Ok(OneTime { plain, hash })
    }

    /// What the admin is shown: the password only when the account was created (an
    /// existing account keeps its own).
    pub fn shown_for(self, email: String, created: bool) -> crate::model::OneTimePassword {
        crate::model::OneTimePassword {
            email,
            password: created.then_some(self.plain),
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
    fn generated_passwords_differ() {
        let a = generate();
        assert_eq!(a.len(), 14);
        assert_ne!(a, generate());
    }
}
