//! Evidence files of monitoring: which kinds are accepted, told by their content (the
//! first bytes), never by the name or the type the browser claims.

/// The types accepted, as stored and served.
pub const TIPI: [&str; 11] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument",
    "application/x-ole-storage",
];

pub const RIFIUTATO: &str = "Il file non è tra i tipi ammessi: carica un PDF, un'immagine (PNG, JPEG, GIF, WebP, TIFF) o un documento d'ufficio (Word, Excel, PowerPoint, LibreOffice).";

fn contiene(dati: &[u8], cosa: &[u8]) -> bool {
    dati.windows(cosa.len()).any(|w| w == cosa)
}

/// The type of `dati`, if it is one accepted.
pub fn riconosci(dati: &[u8]) -> Option<&'static str> {
    let inizia = |m: &[u8]| dati.starts_with(m);
    if inizia(b"%PDF-") {
        Some(TIPI[0])
    } else if inizia(b"\x89PNG\r\n\x1a\n") {
        Some(TIPI[1])
    } else if inizia(b"\xFF\xD8\xFF") {
        Some(TIPI[2])
    } else if inizia(b"GIF87a") || inizia(b"GIF89a") {
        Some(TIPI[3])
    } else if inizia(b"RIFF") && dati.get(8..12) == Some(b"WEBP") {
        Some(TIPI[4])
    } else if inizia(b"II*\0") || inizia(b"MM\0*") {
        Some(TIPI[5])
    } else if inizia(b"PK\x03\x04") {
        // Office Open XML names its parts; OpenDocument starts with its `mimetype` entry.
        if contiene(dati, b"[Content_Types].xml") {
            if contiene(dati, b"word/") {
                Some(TIPI[6])
            } else if contiene(dati, b"xl/") {
                Some(TIPI[7])
            } else if contiene(dati, b"ppt/") {
                Some(TIPI[8])
            } else {
                None
            }
        } else if dati.get(30..38) == Some(b"mimetype")
            && dati
                .get(38..73)
                .is_some_and(|m| m.starts_with(b"application/vnd.oasis.opendocument"))
        {
            Some(TIPI[9])
        } else {
            None
        }
    } else if inizia(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        // Word, Excel and PowerPoint before 2007.
        Some(TIPI[10])
    } else {
        None
    }
}

/// The stored type as one of ours (anything else is served as bytes).
pub fn tipo_statico(tipo: &str) -> &'static str {
    TIPI.into_iter()
        .find(|t| *t == tipo)
        .unwrap_or("application/octet-stream")
}

/// A file name fit to keep and to send back: its last path part, no control characters or
/// quotes, at most 255 characters; never empty.
pub fn nome_file(nome: &str) -> String {
    let base = nome.rsplit(['/', '\\']).next().unwrap_or_default();
    let pulito: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(255)
        .collect();
    let pulito = pulito.trim().to_string();
    if pulito.is_empty() {
        "evidenza".into()
    } else {
        pulito
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_content() {
        assert_eq!(riconosci(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(riconosci(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(riconosci(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert_eq!(riconosci(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend_from_slice(b"....[Content_Types].xml....word/document.xml");
        assert!(riconosci(&docx).unwrap().contains("wordprocessingml"));
        let mut odt = b"PK\x03\x04".to_vec();
        odt.resize(30, 0);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(riconosci(&odt), Some("application/vnd.oasis.opendocument"));
        // A zip that is not an office document, an executable, a script named .pdf.
        assert_eq!(riconosci(b"PK\x03\x04 other.txt"), None);
        assert_eq!(riconosci(b"MZ\x90\0"), None);
        assert_eq!(riconosci(b"<script>alert(1)</script>"), None);
        assert_eq!(tipo_statico("text/html"), "application/octet-stream");
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(nome_file("C:\\Users\\x\\verbale.pdf"), "verbale.pdf");
        assert_eq!(nome_file("../../etc/passwd"), "passwd");
        assert_eq!(nome_file("a\"b;c\n.pdf"), "abc.pdf");
        assert_eq!(nome_file("  "), "evidenza");
    }
}
