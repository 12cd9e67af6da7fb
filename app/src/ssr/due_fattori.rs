//! The second factor: TOTP (RFC 6238 as authenticator apps use it: SHA-1, 6 digits,
//! 30-second steps, one step of clock skew) and single-use recovery codes. The secret is
//! stored encrypted with the server key, the account's id as associated data; a code is
//! accepted once (the last accepted step is kept, and only a later one passes).

use totp_rs::{Builder, Secret, Totp};
use uuid::Uuid;

use super::allegato::custodia::ChiaveFirme;
use super::password::digest_codice;
use crate::error::{AppError, AppResult};

/// The name the authenticator app shows beside the account.
pub const EMITTENTE: &str = "Obiettivi";
/// How many recovery codes an enrolment gives.
pub const CODICI_RECUPERO: usize = 10;

fn totp(segreto: &[u8], account: &str) -> AppResult<Totp> {
    Builder::new()
        .with_secret(Secret::new(segreto.to_vec().into_boxed_slice()))
        .with_issuer(Some(EMITTENTE))
        .with_account_name(account)
        .build()
        .map_err(|e| AppError::interno(format!("totp: {e:?}")))
}

/// A new secret to enrol: what the person types or scans, and what is stored.
pub struct Iscrizione {
    pub segreto_base32: String,
    pub uri: String,
    pub cifrato: Vec<u8>,
}

pub fn nuova_iscrizione(chiave: &ChiaveFirme, user: Uuid, email: &str) -> AppResult<Iscrizione> {
    // 160 bits, as RFC 4226 recommends.
    let segreto: [u8; 20] = rand::random();
    let t = totp(&segreto, email)?;
    Ok(Iscrizione {
        segreto_base32: t.secret().to_base32(),
        uri: t
            .to_url()
            .map_err(|e| AppError::interno(format!("totp url: {e:?}")))?,
        cifrato: chiave.cifra(user, &segreto),
    })
}

/// The time step of `codice` if it is right at `adesso` (seconds since 1970) and later than
/// the last one accepted.
pub fn verifica(
    chiave: &ChiaveFirme,
    user: Uuid,
    cifrato: &[u8],
    codice: &str,
    ultimo_passo: Option<i64>,
    adesso: u64,
) -> AppResult<Option<i64>> {
    let segreto = chiave
        .decifra(user, cifrato)
        .ok_or_else(|| AppError::interno("totp secret does not decrypt"))?;
    let t = totp(&segreto, "verifica")?;
    let codice: String = codice.chars().filter(|c| c.is_ascii_digit()).collect();
    if codice.len() != 6 {
        return Ok(None);
    }
    Ok(t.check(&codice, adesso)
        .and_then(|s| i64::try_from(s).ok())
        .filter(|s| ultimo_passo.is_none_or(|u| *s > u)))
}

/// Seconds since 1970, now.
pub fn adesso() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

/// New recovery codes (shown once) and their digests (stored).
pub fn codici_recupero() -> (Vec<String>, Vec<String>) {
    let codici: Vec<String> = (0..CODICI_RECUPERO)
        .map(|_| {
            let g = super::password::generate().to_lowercase();
            format!("{}-{}-{}", &g[0..4], &g[4..8], &g[8..12])
        })
        .collect();
    let digest = codici.iter().map(|c| digest_recupero(c)).collect();
    (codici, digest)
}

/// The stored form of a recovery code: spaces, dashes and case do not matter.
pub fn digest_recupero(codice: &str) -> String {
    let pulito: String = codice
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    digest_codice(&pulito)
}

/// The `otpauth://` URI as a QR code, an SVG to put in the page.
pub fn qr_svg(uri: &str) -> AppResult<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(uri.as_bytes()).map_err(AppError::interno)?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in the page: without the XML declaration.
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_once_and_only_in_its_window() {
        let chiave = ChiaveFirme::di_prova();
        let user = Uuid::new_v4();
        let i = nuova_iscrizione(&chiave, user, "anna@esempio.it").unwrap();
        assert!(
            i.uri
                .starts_with("otpauth://totp/Obiettivi:anna%40esempio.it?"),
            "{}",
            i.uri
        );
        let segreto = chiave.decifra(user, &i.cifrato).unwrap();
        let t = totp(&segreto, "x").unwrap();
        let now = 1_800_000_000;
        let code = t.generate(now).to_string();
        let step = verifica(&chiave, user, &i.cifrato, &code, None, now)
            .unwrap()
            .unwrap();
        assert_eq!(step as u64, now / 30);
        // Replayed: refused; the next step's code (clock skew) still passes.
        assert_eq!(
            verifica(&chiave, user, &i.cifrato, &code, Some(step), now).unwrap(),
            None
        );
        let next = t.generate(now + 30).to_string();
        assert!(verifica(&chiave, user, &i.cifrato, &next, Some(step), now)
            .unwrap()
            .is_some());
        // Two minutes later the old code is dead; another account's key does not decrypt.
        assert_eq!(
            verifica(&chiave, user, &i.cifrato, &code, None, now + 120).unwrap(),
            None
        );
        assert!(verifica(&chiave, Uuid::new_v4(), &i.cifrato, &code, None, now).is_err());
        assert_eq!(
            verifica(&chiave, user, &i.cifrato, "12345", None, now).unwrap(),
            None
        );
    }

    #[test]
    fn recovery_codes_ignore_dashes_and_case() {
        let (codici, digest) = codici_recupero();
        assert_eq!(codici.len(), CODICI_RECUPERO);
        assert_eq!(
            digest_recupero(&codici[0].to_uppercase().replace('-', " ")),
            digest[0]
        );
        assert_ne!(digest[0], digest[1]);
    }

    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let svg = qr_svg("otpauth://totp/Obiettivi:a%40b.it?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert!(svg.starts_with("<svg"));
    }
}
