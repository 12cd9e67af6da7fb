//! Uploaded files: the one size limit, said the same way by the browser (before sending)
//! and by the server (which counts the bytes as they arrive).

/// The largest file accepted: 10 MB.
pub const FILE_MAX: usize = 10 * 1024 * 1024;

/// The whole request may carry a little more than the file: the other fields and the
/// multipart framing.
pub const RICHIESTA_MAX: usize = FILE_MAX + 64 * 1024;

pub const TROPPO_GRANDE: &str = "Il file è troppo grande: al massimo 10 MB.";

/// Checks a file's size before it is sent or once it is read.
pub fn dimensione(byte: u64) -> Result<(), String> {
    if byte == 0 {
        Err("Il file è vuoto: scegline un altro.".into())
    } else if byte > FILE_MAX as u64 {
        Err(TROPPO_GRANDE.into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_megabytes_pass_one_byte_more_does_not() {
        assert!(dimensione(FILE_MAX as u64).is_ok());
        assert_eq!(dimensione(FILE_MAX as u64 + 1).unwrap_err(), TROPPO_GRANDE);
        assert!(dimensione(0).unwrap_err().contains("vuoto"));
        assert!(dimensione(1).is_ok());
    }
}
