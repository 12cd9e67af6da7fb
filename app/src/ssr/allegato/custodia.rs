//! The ente's signing key at rest: AES-256-GCM under a server key from the configuration
//! (`OBIETTIVI_SIGNING_KEY`, 64 hex digits), or, when that is not set, a key generated once
//! in the data folder (`chiave-firme.hex`, readable by the server's user only). The ente's
//! id is the associated data, so a ciphertext moved to another ente does not decrypt.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use uuid::Uuid;

#[derive(Clone)]
pub struct ChiaveFirme([u8; 32]);

impl std::fmt::Debug for ChiaveFirme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChiaveFirme(…)")
    }
}

pub const FILE_CHIAVE: &str = "chiave-firme.hex";

impl ChiaveFirme {
    pub fn da_hex(s: &str) -> Result<ChiaveFirme, String> {
        let b = hex::decode(s.trim()).map_err(|_| "must be 64 hexadecimal digits".to_string())?;
        let k: [u8; 32] = b
            .try_into()
            .map_err(|_| "must be 64 hexadecimal digits (32 bytes)".to_string())?;
        Ok(ChiaveFirme(k))
    }

    pub fn genera() -> ChiaveFirme {
        ChiaveFirme(rand::random())
    }

    /// A fixed key, for tests and benchmarks only.
    pub fn di_prova() -> ChiaveFirme {
        ChiaveFirme([7; 32])
    }

    /// The configured key, or the one kept in `cartella` (created on first use).
    pub fn da_configurazione(
        valore: Option<&str>,
        cartella: &std::path::Path,
    ) -> Result<ChiaveFirme, String> {
        if let Some(v) = valore {
            return Self::da_hex(v).map_err(|e| format!("OBIETTIVI_SIGNING_KEY {e}"));
        }
        let file = cartella.join(FILE_CHIAVE);
        match std::fs::read_to_string(&file) {
            Ok(s) => Self::da_hex(&s).map_err(|e| format!("{}: {e}", file.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                use std::io::Write;
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::create_dir_all(cartella).map_err(|e| e.to_string())?;
                let k = Self::genera();
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&file)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                f.write_all(hex::encode(k.0).as_bytes())
                    .map_err(|e| e.to_string())?;
                tracing::warn!(
                    file = %file.display(),
                    "OBIETTIVI_SIGNING_KEY not set: generated a signing-key encryption key in the data folder (set the variable when several servers share the database)"
                );
                Ok(k)
            }
            Err(e) => Err(format!("{}: {e}", file.display())),
        }
    }

    /// A key for another purpose, derived from this one: the server has one secret, and
    /// each use gets its own key from it.
    pub fn deriva(&self, scopo: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"obiettivi chiave derivata v1\0");
        h.update(scopo.as_bytes());
        h.update(b"\0");
        h.update(self.0);
        h.finalize().into()
    }

    pub fn cifra(&self, ente: Uuid, dati: &[u8]) -> Vec<u8> {
        let c = Aes256Gcm::new_from_slice(&self.0).expect("32-byte key");
        let nonce: [u8; 12] = rand::random();
        let mut out = nonce.to_vec();
        out.extend(
            c.encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: dati,
                    aad: ente.as_bytes(),
                },
            )
            .expect("encryption in memory"),
        );
        out
    }

    pub fn decifra(&self, ente: Uuid, blob: &[u8]) -> Option<Vec<u8>> {
        if blob.len() < 12 + 16 {
            return None;
        }
        let c = Aes256Gcm::new_from_slice(&self.0).ok()?;
        c.decrypt(
            Nonce::from_slice(&blob[..12]),
            Payload {
                msg: &blob[12..],
                aad: ente.as_bytes(),
            },
        )
        .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_bound_to_the_ente() {
        let k = ChiaveFirme::genera();
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let blob = k.cifra(a, b"chiave privata");
        assert!(!blob.windows(7).any(|w| w == b"privata"));
        assert_eq!(k.decifra(a, &blob).unwrap(), b"chiave privata");
        assert!(k.decifra(b, &blob).is_none());
        assert!(ChiaveFirme::genera().decifra(a, &blob).is_none());
    }

    #[test]
    fn generated_once_in_the_data_folder() {
        let dir = std::env::temp_dir().join(format!("chiave-{}", Uuid::new_v4()));
        let k1 = ChiaveFirme::da_configurazione(None, &dir).unwrap();
        let k2 = ChiaveFirme::da_configurazione(None, &dir).unwrap();
        assert_eq!(k1.0, k2.0);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(FILE_CHIAVE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(ChiaveFirme::da_configurazione(Some("xyz"), &dir).is_err());
    }
}
