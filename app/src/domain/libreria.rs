//! The template library's rules: due dates relative to the annualità, tags, what a
//! template must hold, and the field-by-field differences between an adopted copy and a
//! newer version of its template. Pure: the browser shows them, the server enforces them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::plan::RigaView;
use crate::domain::peso::{Peso, CENTO};

/// Kinds of struttura a template suits: (code, label).
pub const TIPI_STRUTTURA: [(&str, &str); 7] = [
    ("segreteria", "Segreteria generale"),
    (
        "amministrativa",
        "Area amministrativa e servizi demografici",
    ),
    ("economico_finanziaria", "Area economico-finanziaria"),
    ("tecnica", "Area tecnica"),
    ("polizia_locale", "Polizia locale"),
    ("servizi_sociali", "Servizi sociali"),
    ("cultura", "Cultura, sport e turismo"),
];

pub fn tipo_label(code: &str) -> Option<&'static str> {
    TIPI_STRUTTURA
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
}

/// The kind of struttura a name suggests ("AREA TECNICA, LAVORI PUBBLICI…" → tecnica), to
/// start the library search where the user most likely wants it.
pub fn tipo_da_nome(nome: &str) -> Option<&'static str> {
    let n = nome.to_lowercase();
    [
        ("segreteria", "segreteria"),
        ("polizia", "polizia_locale"),
        ("finanziari", "economico_finanziaria"),
        ("tributi", "economico_finanziaria"),
        ("tecnic", "tecnica"),
        ("lavori pubblici", "tecnica"),
        ("social", "servizi_sociali"),
        ("cultura", "cultura"),
        ("amministrativ", "amministrativa"),
        ("demografic", "amministrativa"),
    ]
    .into_iter()
    .find(|(k, _)| n.contains(k))
    .map(|(_, t)| t)
}

/// A search returns at most this many templates, best first.
pub const MAX_RISULTATI: usize = 200;
pub const MAX_TITOLO: usize = 300;
pub const MAX_TESTO: usize = 10_000;
pub const MAX_FASI: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Natura {
    Mantenimento,
    Sviluppo,
}

impl Natura {
    pub const TUTTE: [Natura; 2] = [Natura::Mantenimento, Natura::Sviluppo];
    pub fn db_name(self) -> &'static str {
        match self {
            Natura::Mantenimento => "mantenimento",
            Natura::Sviluppo => "sviluppo",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Natura::Mantenimento => "Mantenimento",
            Natura::Sviluppo => "Sviluppo",
        }
    }
    pub fn from_db(s: &str) -> Option<Natura> {
        Natura::TUTTE.into_iter().find(|n| n.db_name() == s)
    }
}

const MESI: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// A due date relative to the annualità: "31 dicembre" of whichever year adopts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scadenza {
    pub mese: u32,
    pub giorno: u32,
}

impl Scadenza {
    /// A day that exists in some year (29 febbraio included).
    pub fn new(mese: u32, giorno: u32) -> Result<Scadenza, String> {
        if NaiveDate::from_ymd_opt(2024, mese, giorno).is_some() {
            Ok(Scadenza { mese, giorno })
        } else {
            Err(format!("Il {giorno}/{mese} non è una scadenza valida."))
        }
    }
    pub fn da_data(d: NaiveDate) -> Scadenza {
        Scadenza {
            mese: d.month(),
            giorno: d.day(),
        }
    }
    /// The date in `anno`; 29 febbraio becomes the 28th in common years.
    pub fn data(self, anno: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(anno, self.mese, self.giorno)
            .or_else(|| NaiveDate::from_ymd_opt(anno, self.mese, self.giorno - 1))
            .expect("a valid Scadenza")
    }
    /// "31 dicembre".
    pub fn label(self) -> String {
        format!("{} {}", self.giorno, MESI[(self.mese - 1) as usize])
    }
    /// Parses "31 dicembre", "31/12", "31.12" (what a person types).
    pub fn parse(raw: &str) -> Result<Option<Scadenza>, String> {
        let t = raw.trim().to_lowercase();
        if t.is_empty() {
            return Ok(None);
        }
        let err = || {
            format!(
                "«{}» non è una scadenza valida: scrivila come «31 dicembre» o 31/12.",
                raw.trim()
            )
        };
        let (g, m) = if let Some((g, m)) = t.split_once(['/', '.', '-']) {
            (g.trim(), m.trim().parse::<u32>().map_err(|_| err())?)
        } else if let Some((g, m)) = t.split_once(' ') {
            let mese = MESI.iter().position(|x| *x == m.trim()).ok_or_else(err)? as u32 + 1;
            (g.trim(), mese)
        } else {
            return Err(err());
        };
        let g: u32 = g.parse().map_err(|_| err())?;
        Scadenza::new(m, g).map(Some).map_err(|_| err())
    }
    pub fn mesi() -> &'static [&'static str; 12] {
        &MESI
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaseModello {
    pub descrizione: String,
    pub peso: Option<Peso>,
    pub indicatori: String,
    pub valori_attesi: String,
    pub scadenza: Option<Scadenza>,
}

/// What one version of a template holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContenutoModello {
    pub titolo: String,
    pub descrizione: String,
    pub peso: Option<Peso>,
    pub indicatori: String,
    pub valori_attesi: String,
    pub scadenza: Option<Scadenza>,
    pub fasi: Vec<FaseModello>,
    pub tipi_struttura: Vec<String>,
    pub missioni: Vec<String>,
    pub natura: Natura,
}

/// Every reason the template cannot be saved, in Italian; empty when it can.
pub fn problemi(c: &ContenutoModello) -> Vec<String> {
    let mut out = Vec::new();
    let lungo = |s: &str, max: usize| s.chars().count() > max;
    if c.titolo.trim().is_empty() {
        out.push("Indica il titolo del modello.".to_string());
    }
    if lungo(&c.titolo, MAX_TITOLO) {
        out.push(format!(
            "Il titolo è troppo lungo: al massimo {MAX_TITOLO} caratteri."
        ));
    }
    if c.descrizione.trim().is_empty() {
        out.push("Indica la descrizione dell'obiettivo.".to_string());
    }
    for (nome, testo) in [
        ("descrizione", &c.descrizione),
        ("indicatori", &c.indicatori),
        ("valori attesi", &c.valori_attesi),
    ] {
        if lungo(testo, MAX_TESTO) {
            out.push(format!(
                "Il testo di «{nome}» è troppo lungo: al massimo {MAX_TESTO} caratteri."
            ));
        }
    }
    if c.fasi.len() > MAX_FASI {
        out.push(format!("Al massimo {MAX_FASI} fasi per modello."));
    }
    for (i, f) in c.fasi.iter().enumerate() {
        let n = i + 1;
        if f.descrizione.trim().is_empty() {
            out.push(format!("Fase {n}: indica la descrizione."));
        }
        if [&f.descrizione, &f.indicatori, &f.valori_attesi]
            .iter()
            .any(|t| lungo(t, MAX_TESTO))
        {
            out.push(format!(
                "Fase {n}: testo troppo lungo (al massimo {MAX_TESTO} caratteri per campo)."
            ));
        }
        if let (Some(fs), Some(os)) = (f.scadenza, c.scadenza) {
            if (fs.mese, fs.giorno) > (os.mese, os.giorno) {
                out.push(format!(
                    "Fase {n}: la scadenza {} è dopo quella dell'obiettivo ({}).",
                    fs.label(),
                    os.label()
                ));
            }
        }
    }
    if c.fasi.iter().any(|f| f.peso.is_some()) {
        let tot = Peso(c.fasi.iter().filter_map(|f| f.peso).map(|p| p.0).sum());
        if tot != CENTO {
            out.push(format!(
                "I pesi delle fasi devono sommare a 100%: ora {}.",
                tot.label()
            ));
        }
    }
    for t in &c.tipi_struttura {
        if tipo_label(t).is_none() {
            out.push(format!("Tipo di struttura sconosciuto: {t}."));
        }
    }
    for m in &c.missioni {
        if crate::domain::missioni::nome(m).is_none() {
            out.push(format!("Missione sconosciuta: {m}."));
        }
    }
    out
}

/// What an update may change in an adopted copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Campo {
    Descrizione,
    Peso,
    Indicatori,
    ValoriAttesi,
    DataFine,
    Fasi,
}

impl Campo {
    pub const TUTTI: [Campo; 6] = [
        Campo::Descrizione,
        Campo::Peso,
        Campo::Indicatori,
        Campo::ValoriAttesi,
        Campo::DataFine,
        Campo::Fasi,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Campo::Descrizione => "descrizione",
            Campo::Peso => "peso",
            Campo::Indicatori => "indicatori",
            Campo::ValoriAttesi => "valori_attesi",
            Campo::DataFine => "data_fine",
            Campo::Fasi => "fasi",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Campo::Descrizione => "Descrizione",
            Campo::Peso => "Peso",
            Campo::Indicatori => "Indicatori di misurazione",
            Campo::ValoriAttesi => "Valori attesi",
            Campo::DataFine => "Data fine attesa",
            Campo::Fasi => "Fasi",
        }
    }
    pub fn from_key(k: &str) -> Option<Campo> {
        Campo::TUTTI.into_iter().find(|c| c.key() == k)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Differenza {
    pub campo: Campo,
    /// The adopted copy as it is now.
    pub attuale: String,
    /// What the template's newer version says.
    pub nuovo: String,
}

fn peso_label(p: Option<Peso>) -> String {
    p.map(|p| p.label())
        .unwrap_or_else(|| "non indicato".into())
}

fn data_label(d: Option<NaiveDate>) -> String {
    d.map(crate::domain::plan::data_label)
        .unwrap_or_else(|| "non indicata".into())
}

/// Phases as readable blocks, to compare and to show: (description, weight, indicators,
/// expected values, end date) each.
fn fasi_testo<'a>(
    fasi: impl Iterator<Item = (&'a str, Option<Peso>, &'a str, &'a str, Option<NaiveDate>)>,
) -> String {
    fasi.enumerate()
        .map(|(i, (descrizione, peso, indicatori, valori, data))| {
            format!(
                "{n}. {descrizione} — peso {} — fine {}\n   Indicatori: {indicatori}\n   Valori attesi: {valori}",
                peso_label(peso),
                data_label(data),
                n = i + 1
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn fasi_copia(r: &RigaView) -> String {
    fasi_testo(r.fasi.iter().map(|f| {
        (
            f.campi.descrizione.as_str(),
            f.campi.peso,
            f.campi.indicatori.as_str(),
            f.campi.valori_attesi.as_str(),
            f.campi.data_fine,
        )
    }))
}

fn fasi_modello(c: &ContenutoModello, anno: i32) -> String {
    fasi_testo(c.fasi.iter().map(|f| {
        (
            f.descrizione.as_str(),
            f.peso,
            f.indicatori.as_str(),
            f.valori_attesi.as_str(),
            f.scadenza.map(|s| s.data(anno)),
        )
    }))
}

/// The fields where the adopted copy (in a plan of `anno`) differs from `nuovo`.
pub fn differenze(copia: &RigaView, nuovo: &ContenutoModello, anno: i32) -> Vec<Differenza> {
    let mut out = Vec::new();
    let mut push = |campo, attuale: String, nuovo: String| {
        if attuale != nuovo {
            out.push(Differenza {
                campo,
                attuale,
                nuovo,
            })
        }
    };
    push(
        Campo::Descrizione,
        copia.campi.descrizione.clone(),
        nuovo.descrizione.clone(),
    );
    push(
        Campo::Peso,
        peso_label(copia.campi.peso),
        peso_label(nuovo.peso),
    );
    push(
        Campo::Indicatori,
        copia.campi.indicatori.clone(),
        nuovo.indicatori.clone(),
    );
    push(
        Campo::ValoriAttesi,
        copia.campi.valori_attesi.clone(),
        nuovo.valori_attesi.clone(),
    );
    push(
        Campo::DataFine,
        data_label(copia.campi.data_fine),
        data_label(nuovo.scadenza.map(|s| s.data(anno))),
    );
    push(Campo::Fasi, fasi_copia(copia), fasi_modello(nuovo, anno));
    out
}

/// A short title from an objective's description (for "salva come modello"): the first
/// sentence or clause, at most 80 characters, cut at a word.
pub fn titolo_da_descrizione(descrizione: &str) -> String {
    let first = descrizione
        .lines()
        .next()
        .unwrap_or("")
        .split(['.', ':', ';'])
        .next()
        .unwrap_or("")
        .trim();
    if first.chars().count() <= 80 {
        return first.to_string();
    }
    let mut out = String::new();
    for w in first.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > 78 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::CampiRiga;

    fn contenuto() -> ContenutoModello {
        ContenutoModello {
            titolo: "Trasparenza".into(),
            descrizione: "Rispetto degli obblighi".into(),
            peso: Some(Peso(1000)),
            indicatori: "Sezione".into(),
            valori_attesi: "100%".into(),
            scadenza: Some(Scadenza::new(12, 31).unwrap()),
            fasi: vec![FaseModello {
                descrizione: "Fase: pubblicazione".into(),
                peso: Some(CENTO),
                indicatori: "Report".into(),
                valori_attesi: "Uno".into(),
                scadenza: Some(Scadenza::new(6, 30).unwrap()),
            }],
            tipi_struttura: vec!["tecnica".into()],
            missioni: vec!["01".into()],
            natura: Natura::Mantenimento,
        }
    }

    fn copia(c: &ContenutoModello, anno: i32) -> RigaView {
        let riga = |descrizione: &str, peso, indicatori: &str, valori: &str, data| RigaView {
            id: uuid::Uuid::nil(),
            campi: CampiRiga {
                descrizione: descrizione.into(),
                peso,
                indicatori: indicatori.into(),
                valori_attesi: valori.into(),
                data_fine: data,
                data_confermata: false,
            },
            version: 1,
            fasi: vec![],
            modello: None,
        };
        let mut r = riga(
            &c.descrizione,
            c.peso,
            &c.indicatori,
            &c.valori_attesi,
            c.scadenza.map(|s| s.data(anno)),
        );
        r.fasi = c
            .fasi
            .iter()
            .map(|f| {
                riga(
                    &f.descrizione,
                    f.peso,
                    &f.indicatori,
                    &f.valori_attesi,
                    f.scadenza.map(|s| s.data(anno)),
                )
            })
            .collect();
        r
    }

    #[test]
    fn scadenza_parses_labels_and_moves_to_the_year() {
        let s = Scadenza::parse("31 dicembre").unwrap().unwrap();
        assert_eq!(s.label(), "31 dicembre");
        assert_eq!(Scadenza::parse("31/12").unwrap(), Some(s));
        assert_eq!(Scadenza::parse(" 31.12 ").unwrap(), Some(s));
        assert_eq!(Scadenza::parse("").unwrap(), None);
        assert!(Scadenza::parse("31 febbraio").is_err());
        assert!(Scadenza::parse("domani").is_err());
        assert_eq!(s.data(2025), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        let bis = Scadenza::new(2, 29).unwrap();
        assert_eq!(
            bis.data(2023),
            NaiveDate::from_ymd_opt(2023, 2, 28).unwrap()
        );
        assert_eq!(
            bis.data(2024),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
    }

    #[test]
    fn a_complete_template_has_no_problems_and_broken_ones_say_why() {
        assert!(problemi(&contenuto()).is_empty());
        let mut c = contenuto();
        c.titolo = " ".into();
        c.fasi[0].peso = Some(Peso(5000));
        c.fasi[0].scadenza = Some(Scadenza::new(12, 31).unwrap());
        c.scadenza = Some(Scadenza::new(6, 30).unwrap());
        c.missioni = vec!["77".into()];
        let p = problemi(&c);
        assert!(p.iter().any(|m| m.contains("titolo")), "{p:?}");
        assert!(
            p.iter().any(|m| m.contains("sommare a 100%: ora 50%")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|m| m.contains("dopo quella dell'obiettivo")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|m| m.contains("Missione sconosciuta: 77")),
            "{p:?}"
        );
    }

    #[test]
    fn differences_list_only_the_fields_that_changed() {
        let v1 = contenuto();
        let c = copia(&v1, 2025);
        assert!(differenze(&c, &v1, 2025).is_empty());
        let mut v2 = v1.clone();
        v2.descrizione = "Rispetto degli obblighi, nuovo testo".into();
        v2.fasi[0].indicatori = "Due report".into();
        let d = differenze(&c, &v2, 2025);
        let campi: Vec<Campo> = d.iter().map(|d| d.campo).collect();
        assert_eq!(campi, vec![Campo::Descrizione, Campo::Fasi]);
        assert_eq!(d[0].nuovo, "Rispetto degli obblighi, nuovo testo");
        assert!(d[1].attuale.contains("Indicatori: Report"));
        assert!(d[1].nuovo.contains("Indicatori: Due report"));
        assert!(d[1].nuovo.contains("fine 30/06/2025"));
        // The copy's own edits show up too: what the user would lose by taking the field.
        let mut c2 = c.clone();
        c2.campi.peso = Some(Peso(1500));
        let d = differenze(&c2, &v1, 2025);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].attuale.as_str(), d[0].nuovo.as_str()), ("15%", "10%"));
    }

    #[test]
    fn the_kind_of_struttura_comes_from_its_name() {
        // The reference's five strutture.
        let m = [
            "SEGRETERIA",
            "AREA AMMINISTRATIVA, AFFARI GENERALI, SERVIZI DEMOGRAFICI E SERVIZI ALLA PERSONA",
            "AREA ECONOMICO FINANZIARIA, TRIBUTI, PERSONALE ED ATTIVITA’ PRODUTTIVE",
            "AREA TECNICA, LAVORI PUBBLICI, URBANISTICA, EDILIZIA, MANUETNZIONI, BENI DEMANIALI, AMBIENTE E TRASPORTI",
            "POLIZIA LOCALE E PROTEZIONE CIVILE",
        ];
        let tipi: Vec<Option<&str>> = m.iter().map(|n| tipo_da_nome(n)).collect();
        assert_eq!(
            tipi,
            vec![
                Some("segreteria"),
                Some("amministrativa"),
                Some("economico_finanziaria"),
                Some("tecnica"),
                Some("polizia_locale"),
            ]
        );
        assert_eq!(tipo_da_nome("Ufficio di staff"), None);
    }

    #[test]
    fn titles_come_from_the_first_clause() {
        assert_eq!(
            titolo_da_descrizione("Obiettivo di mantenimento: rispetto degli standard"),
            "Obiettivo di mantenimento"
        );
        let lungo = "parola ".repeat(40);
        let t = titolo_da_descrizione(&lungo);
        assert!(t.chars().count() <= 80 && t.ends_with('…'), "{t}");
    }
}
