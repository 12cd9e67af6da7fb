//! Input rules for accounts and enti, with the Italian message the user reads.

pub const MIN_PASSWORD: usize = 12;
pub const MAX_PASSWORD: usize = 200;
pub const MAX_NAME: usize = 200;
/// How long a password set by someone other than its owner, or an invitation code, works.
pub const TEMPORANEA_ORE: i64 = 72;

/// Lower-cased, trimmed e-mail, or why it is not one.
pub fn email(raw: &str) -> Result<String, String> {
    let e = raw.trim().to_lowercase();
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(char::is_whitespace)
        });
    if valid {
        Ok(e)
    } else {
        Err("Indirizzo e-mail non valido.".into())
    }
}

pub fn password(raw: &str) -> Result<(), String> {
    let n = raw.chars().count();
    if n < MIN_PASSWORD {
        Err(format!(
            "La password deve avere almeno {MIN_PASSWORD} caratteri."
        ))
    } else if n > MAX_PASSWORD {
        Err(format!(
            "La password non può superare {MAX_PASSWORD} caratteri."
        ))
    } else {
        Ok(())
    }
}

/// A required short text (names), trimmed.
pub fn name(field: &str, raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() {
        Err(format!("Il campo «{field}» è obbligatorio."))
    } else if t.chars().count() > MAX_NAME {
        Err(format!(
            "Il campo «{field}» non può superare {MAX_NAME} caratteri."
        ))
    } else {
        Ok(t.to_string())
    }
}

/// URL slug from an ente's name: "Comune di Sant'Agata" → "comune-di-sant-agata".
pub fn slug_from_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(80).collect()
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'Ò' | 'Ó' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' => 'u',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            email("  Mario.Rossi@Comune.IT ").unwrap(),
            "mario.rossi@comune.it"
        );
        assert!(email("mario").is_err());
        assert!(email("@comune.it").is_err());
        assert!(email("mario@comune").is_err());
        assert!(email("ma rio@comune.it").is_err());
    }

    #[test]
    fn passwords() {
        assert!(password("corta").is_err());
        assert!(password("abbastanza-lunga").is_ok());
        assert!(password(&"x".repeat(201)).is_err());
        // Characters, not bytes: twelve accented letters are enough.
        assert!(password("àèìòùàèìòùàè").is_ok());
    }

    #[test]
    fn names() {
        assert_eq!(name("Nome", "  Anna ").unwrap(), "Anna");
        assert_eq!(
            name("Nome", "   ").unwrap_err(),
            "Il campo «Nome» è obbligatorio."
        );
        assert!(name("Nome", &"a".repeat(201)).is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug_from_name("Comune di Sant'Agata"),
            "comune-di-sant-agata"
        );
        assert_eq!(
            slug_from_name("Unione dei Comuni – Città"),
            "unione-dei-comuni-citta"
        );
        assert_eq!(slug_from_name("  Forlì  "), "forli");
    }
}
