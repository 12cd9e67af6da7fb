//! The staff registry's CSV import, as Excel exports it in Italy: UTF-8 (with or without
//! BOM) or Windows-1252, comma or semicolon, quoted fields, dates as 31/12/2022. Every row
//! is checked before anything is imported.

use chrono::NaiveDate;

use crate::domain::personale::Area;
use crate::domain::plan::parse_data;
use crate::domain::validate;

pub const MAX_BYTES: usize = 2 << 20;
pub const MAX_ROWS: usize = 5000;

#[derive(Debug, Clone, PartialEq)]
pub struct Riga {
    pub riga: usize,
    pub matricola: String,
    pub cognome: String,
    pub nome: String,
    pub area: Area,
    pub profilo: String,
    pub struttura: String,
    pub email: Option<String>,
    pub attivo_dal: Option<NaiveDate>,
    pub attivo_al: Option<NaiveDate>,
}

pub type Errore = (usize, String);

/// UTF-8 when the bytes are UTF-8 (a BOM is dropped), Windows-1252 otherwise.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

fn norm(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .replace(['-', '_', '.'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Default)]
struct Colonne {
    matricola: Option<usize>,
    cognome: Option<usize>,
    nome: Option<usize>,
    area: Option<usize>,
    profilo: Option<usize>,
    struttura: Option<usize>,
    email: Option<usize>,
    dal: Option<usize>,
    al: Option<usize>,
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Riga>, Vec<Errore>> {
    if bytes.len() > MAX_BYTES {
        return Err(vec![(0, "Il file supera i 2 MB.".into())]);
    }
    // Line numbers are counted on "\n": Excel's "\r\n" would shift them.
    let text = decode(bytes).replace("\r\n", "\n");
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() >= first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(_) => return Err(vec![(1, "Intestazione illeggibile.".into())]),
    };
    let mut c = Colonne::default();
    for (i, h) in headers.iter().enumerate() {
        let slot = match norm(h).as_str() {
            "matricola" | "n matricola" | "numero matricola" => &mut c.matricola,
            "cognome" => &mut c.cognome,
            "nome" => &mut c.nome,
            "area" | "categoria" | "area/categoria" | "area categoria" | "inquadramento" => {
                &mut c.area
            }
            "profilo" | "profilo professionale" => &mut c.profilo,
            "struttura" | "settore" | "servizio" | "ufficio" | "area organizzativa" => {
                &mut c.struttura
            }
            "email" | "e mail" | "posta elettronica" | "mail" => &mut c.email,
            "dal" | "attivo dal" | "data assunzione" | "inizio" | "in servizio dal" => &mut c.dal,
            "al" | "attivo al" | "data cessazione" | "fine" | "in servizio al" => &mut c.al,
            _ => continue,
        };
        *slot = Some(i);
    }
    let missing: Vec<&str> = [
        ("matricola", c.matricola),
        ("cognome", c.cognome),
        ("nome", c.nome),
        ("area", c.area),
    ]
    .iter()
    .filter(|(_, v)| v.is_none())
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() {
        return Err(vec![(
            1,
            format!(
                "Mancano le colonne obbligatorie: {}. L'intestazione deve contenere matricola, cognome, nome e area.",
                missing.join(", ")
            ),
        )]);
    }
    let (mut righe, mut errori) = (Vec::new(), Vec::new());
    let mut viste: Vec<(String, usize)> = Vec::new();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                errori.push((line, "Riga illeggibile (virgolette non chiuse?).".into()));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        if righe.len() + errori.len() >= MAX_ROWS {
            errori.push((line, format!("Il file supera le {MAX_ROWS} righe.")));
            break;
        }
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string();
        let campi = [
            get(c.matricola),
            get(c.cognome),
            get(c.nome),
            get(c.area),
            get(c.profilo),
            get(c.struttura),
            get(c.email),
            get(c.dal),
            get(c.al),
        ];
        let mut problemi = Vec::new();
        if let Some((_, prima)) = viste.iter().find(|(m, _)| *m == campi[0]) {
            problemi.push(format!(
                "matricola {} già presente alla riga {prima}",
                campi[0]
            ));
        }
        match riga(&campi.each_ref().map(String::as_str)) {
            Ok(mut r) if problemi.is_empty() => {
                r.riga = line;
                viste.push((r.matricola.clone(), line));
                righe.push(r);
            }
            Ok(_) => errori.push((line, problemi.join("; "))),
            Err(e) => {
                problemi.push(e);
                errori.push((line, problemi.join("; ")));
            }
        }
    }
    if righe.is_empty() && errori.is_empty() {
        errori.push((1, "Il file non contiene dipendenti.".into()));
    }
    if errori.is_empty() {
        Ok(righe)
    } else {
        Err(errori)
    }
}

/// The rules of one employee, from the fields as typed (matricola, cognome, nome, area,
/// profilo, struttura, e-mail, dal, al): the CSV import and the single-employee form both
/// call it, so they say the same things. `riga` is left 0.
pub fn riga(campi: &[&str; 9]) -> Result<Riga, String> {
    let [matricola, cognome, nome, area_raw, profilo, struttura, email, dal, al] =
        campi.map(str::trim);
    let mut problemi = Vec::new();
    if matricola.is_empty() || matricola.chars().count() > 30 {
        problemi.push("matricola mancante o più lunga di 30 caratteri".to_string());
    }
    if cognome.is_empty() || cognome.chars().count() > 100 {
        problemi.push("cognome mancante".into());
    }
    if nome.is_empty() || nome.chars().count() > 100 {
        problemi.push("nome mancante".into());
    }
    let area = Area::parse(area_raw);
    if area.is_none() {
        problemi.push(format!(
            "area «{area_raw}» sconosciuta (Operatori, Operatori esperti, Istruttori, Funzionari ed Elevata Qualificazione)"
        ));
    }
    let email = match email {
        "" => None,
        e => match validate::email(e) {
            Ok(e) => Some(e),
            Err(_) => {
                problemi.push(format!("e-mail «{e}» non valida"));
                None
            }
        },
    };
    let mut data = |nome_campo: &str, valore: &str| match parse_data(valore) {
        Ok(d) => d,
        Err(_) => {
            problemi.push(format!(
                "data «{valore}» ({nome_campo}) non valida: scrivila come 31/12/2022"
            ));
            None
        }
    };
    let (dal, al) = (data("dal", dal), data("al", al));
    if let (Some(d), Some(a)) = (dal, al) {
        if a < d {
            problemi.push("la data di fine precede quella di inizio".into());
        }
    }
    match area {
        Some(area) if problemi.is_empty() => Ok(Riga {
            riga: 0,
            matricola: matricola.to_string(),
            cognome: cognome.to_string(),
            nome: nome.to_string(),
            area,
            profilo: profilo.to_string(),
            struttura: struttura.to_string(),
            email,
            attivo_dal: dal,
            attivo_al: al,
        }),
        _ => Err(problemi.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_italian_semicolons_windows_1252() {
        // "Nicolò Caffè" and "Città" in Windows-1252, as Excel saves "CSV (separato da ;)".
        let mut bytes = b"Matricola;Cognome;Nome;Area;Profilo;Struttura;Dal\r\n".to_vec();
        bytes.extend_from_slice(b"001;Caff\xE8;Nicol\xF2;Istruttori;Istruttore amministrativo;\"Area Amministrativa; Servizi\";01/02/2020\r\n");
        bytes.extend_from_slice(b"002;D'Amico;Luc\xEDa;C1;;Citt\xE0 e Ambiente;\r\n");
        let r = parse(&bytes).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].cognome.as_str(), r[0].nome.as_str()),
            ("Caffè", "Nicolò")
        );
        assert_eq!(r[0].struttura, "Area Amministrativa; Servizi");
        assert_eq!(r[0].attivo_dal, NaiveDate::from_ymd_opt(2020, 2, 1));
        assert_eq!(r[1].area, Area::Istruttori);
        assert_eq!(r[1].struttura, "Città e Ambiente");
        assert_eq!(r[1].riga, 3);
    }

    #[test]
    fn utf8_with_bom_and_commas() {
        let text = "\u{FEFF}matricola,cognome,nome,area,e-mail\n\"10\",\"Rossi\",\"José\",\"Funzionari e EQ\",JOSE.ROSSI@comune.it\n";
        let r = parse(text.as_bytes()).unwrap();
        assert_eq!(r[0].matricola, "10");
        assert_eq!(r[0].nome, "José");
        assert_eq!(r[0].area, Area::FunzionariEq);
        assert_eq!(r[0].email.as_deref(), Some("jose.rossi@comune.it"));
    }

    #[test]
    fn every_bad_row_is_named_with_its_line() {
        let text = "matricola;cognome;nome;area;dal\n\
                    1;Rossi;Mario;Istruttori;31/02/2021\n\
                    2;Bianchi;Anna;Operatori;01/01/2020\n\
                    2;Verdi;Luca;Operatori;\n\
                    3;;Sara;Dirigente;\n";
        let e = parse(text.as_bytes()).unwrap_err();
        assert_eq!(e, vec![
            (2, "data «31/02/2021» (dal) non valida: scrivila come 31/12/2022".to_string()),
            (4, "matricola 2 già presente alla riga 3".to_string()),
            (5, "cognome mancante; area «Dirigente» sconosciuta (Operatori, Operatori esperti, Istruttori, Funzionari ed Elevata Qualificazione)".to_string()),
        ]);
    }

    #[test]
    fn missing_columns_are_said() {
        let e = parse(b"cognome;nome\nRossi;Mario\n").unwrap_err();
        assert_eq!(e[0].0, 1);
        assert!(e[0]
            .1
            .starts_with("Mancano le colonne obbligatorie: matricola, area."));
        assert!(parse(b"matricola;cognome;nome;area\n").is_err(), "no rows");
    }
}
