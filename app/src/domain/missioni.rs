//! The missions of the DUP (D.Lgs 118/2011, allegato 14: "Elenco delle missioni e dei
//! programmi"), with their codes. Mission 02 (Giustizia) applies to few enti but is part of
//! the official list; 19 (Relazioni internazionali) likewise.

pub const MISSIONI: [(&str, &str); 23] = [
    ("01", "Servizi istituzionali, generali e di gestione"),
    ("02", "Giustizia"),
    ("03", "Ordine pubblico e sicurezza"),
    ("04", "Istruzione e diritto allo studio"),
    (
        "05",
        "Tutela e valorizzazione dei beni e attività culturali",
    ),
    ("06", "Politiche giovanili, sport e tempo libero"),
    ("07", "Turismo"),
    ("08", "Assetto del territorio ed edilizia abitativa"),
    (
        "09",
        "Sviluppo sostenibile e tutela del territorio e dell'ambiente",
    ),
    ("10", "Trasporti e diritto alla mobilità"),
    ("11", "Soccorso civile"),
    ("12", "Diritti sociali, politiche sociali e famiglia"),
    ("13", "Tutela della salute"),
    ("14", "Sviluppo economico e competitività"),
    (
        "15",
        "Politiche per il lavoro e la formazione professionale",
    ),
    ("16", "Agricoltura, politiche agroalimentari e pesca"),
    ("17", "Energia e diversificazione delle fonti energetiche"),
    (
        "18",
        "Relazioni con le altre autonomie territoriali e locali",
    ),
    ("19", "Relazioni internazionali"),
    ("20", "Fondi e accantonamenti"),
    ("50", "Debito pubblico"),
    ("60", "Anticipazioni finanziarie"),
    ("99", "Servizi per conto terzi"),
];

pub fn nome(codice: &str) -> Option<&'static str> {
    MISSIONI.iter().find(|(c, _)| *c == codice).map(|(_, n)| *n)
}

/// Missions by code and name, as the plan lists them: "01 Servizi istituzionali, generali e
/// di gestione; 03 Ordine pubblico e sicurezza".
pub fn etichette(codici: &[String]) -> String {
    codici
        .iter()
        .map(|c| format!("{c} {}", nome(c).unwrap_or("")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The code of a mission named as the reference names it (case and apostrophes aside).
pub fn codice_da_nome(nome: &str) -> Option<&'static str> {
    let norm = |s: &str| s.trim().replace('’', "'").to_lowercase();
    let n = norm(nome);
    MISSIONI.iter().find(|(_, m)| norm(m) == n).map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(
            etichette(&["01".into(), "03".into()]),
            "01 Servizi istituzionali, generali e di gestione; 03 Ordine pubblico e sicurezza"
        );
        assert_eq!(etichette(&[]), "");
    }

    #[test]
    fn official_list() {
        assert_eq!(MISSIONI.len(), 23);
        assert_eq!(nome("03"), Some("Ordine pubblico e sicurezza"));
        assert_eq!(
            codice_da_nome("Servizi istituzionali, generali e di gestione"),
            Some("01")
        );
        assert_eq!(
            codice_da_nome("Sviluppo sostenibile e tutela del territorio e dell’ambiente"),
            Some("09")
        );
        assert_eq!(codice_da_nome("Missione inventata"), None);
    }
}
