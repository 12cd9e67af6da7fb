//! The reference model: the consultant's Word template (text export, kept verbatim in
//! `app/modello/`), read into strutture, objectives and phases. "New plan from the
//! reference model" copies it, dates moved to the chosen year.

use chrono::{Datelike, NaiveDate};

use crate::domain::missioni;
use crate::domain::peso::Peso;

const TESTO: &str = include_str!("../../modello/piano-degli-obiettivi-modello.txt");
/// The year the model's dates are written for.
pub const ANNO_MODELLO: i32 = 2022;
pub const TITOLO: &str = "Piano degli Obiettivi, delle Attività e della Performance";

#[derive(Debug, Clone, PartialEq)]
pub struct Fase {
    pub descrizione: String,
    pub peso: Peso,
    pub indicatori: String,
    pub valori_attesi: String,
    pub data_fine: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Obiettivo {
    pub descrizione: String,
    pub peso: Peso,
    pub indicatori: String,
    pub valori_attesi: String,
    pub data_fine: NaiveDate,
    pub fasi: Vec<Fase>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struttura {
    pub nome: String,
    pub responsabile_titolo: String,
    pub linea_strategica: String,
    pub obiettivo_strategico: String,
    pub missioni: Vec<String>,
    pub obiettivo_operativo: String,
    pub obiettivi: Vec<Obiettivo>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Modello {
    pub riferimenti_normativi: String,
    pub programmazione_strategica: String,
    pub territorio: String,
    pub strutture: Vec<Struttura>,
}

/// The model parsed once per process.
pub fn modello() -> &'static Modello {
    static M: std::sync::OnceLock<Modello> = std::sync::OnceLock::new();
    M.get_or_init(|| parse(TESTO).expect("the bundled reference model parses"))
}

/// The same date in another year (the model is written for 2022).
pub fn sposta(d: NaiveDate, anno: i32) -> NaiveDate {
    d.with_year(anno)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(anno, d.month(), 28).expect("valid"))
}

fn between<'a>(text: &'a str, from: &str, to: &str) -> Result<&'a str, String> {
    let start = text.find(from).ok_or_else(|| format!("missing «{from}»"))? + from.len();
    let end = text[start..]
        .find(to)
        .ok_or_else(|| format!("missing «{to}»"))?
        + start;
    Ok(&text[start..end])
}

/// Prose: paragraphs as lines, images and ellipsis placeholders dropped.
fn prosa(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("[image:") && *l != "…")
        .collect::<Vec<_>>()
        .join("\n")
}

/// The table cells of a block: a line starting with a tab opens a cell, other lines
/// continue the open one (paragraphs of the same cell).
fn celle(block: &str) -> Vec<String> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in block.lines() {
        if let Some(rest) = line.strip_prefix('\t') {
            out.push(vec![rest.trim_end().to_string()]);
        } else if let Some(cell) = out.last_mut() {
            let t = line.trim_end();
            if !t.trim().is_empty() {
                cell.push(t.to_string());
            }
        }
    }
    out.into_iter()
        .map(|paras| {
            paras
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .map(|p| p.trim().to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

fn data(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%d.%m.%Y").map_err(|_| format!("bad date «{s}»"))
}

fn peso(s: &str) -> Result<Peso, String> {
    Peso::parse(s.trim().trim_start_matches('(').trim_end_matches(')'))
}

pub fn parse(text: &str) -> Result<Modello, String> {
    let riferimenti = between(
        text,
        "I RIFERIMENTI NORMATIVI",
        "LA PROGRAMMAZIONE STRATEGICA E GLI OBIETTIVI",
    )?;
    let programmazione = between(
        text,
        "LA PROGRAMMAZIONE STRATEGICA E GLI OBIETTIVI",
        "IL TERRITORIO E LA STRUTTURA ORGANIZZATIVA",
    )?;
    let territorio = between(
        text,
        "IL TERRITORIO E LA STRUTTURA ORGANIZZATIVA",
        "STRUTTURA:",
    )?;
    let mut strutture = Vec::new();
    let blocks: Vec<&str> = text.split("\nSTRUTTURA: ").skip(1).collect();
    for block in blocks {
        let (title, body) = block.split_once('\n').ok_or("empty struttura")?;
        // "AREA TECNICA, ... – DIRIGENTE/RESPONSABILE: ____" / "SEGRETERIA - SEGRETARIO GENERALE: ____"
        let title = title
            .trim_end()
            .trim_end_matches('_')
            .trim_end()
            .trim_end_matches(':');
        let (nome, titolo) = title
            .rsplit_once(" – ")
            .or_else(|| title.rsplit_once(" - "))
            .ok_or_else(|| format!("struttura title «{title}»"))?;
        let responsabile_titolo = match titolo.trim() {
            "SEGRETARIO GENERALE" => "Segretario Generale",
            _ => "Dirigente/Responsabile",
        };
        let body = body
            .split("Dipendenti coinvolti sugli obiettivi:")
            .next()
            .unwrap_or(body);
        let body = body.split("\n_____").next().unwrap_or(body);
        let cells = celle(body);
        let header = |name: &str| -> Result<String, String> {
            let i = cells
                .iter()
                .position(|c| c == name)
                .ok_or_else(|| format!("missing {name}"))?;
            Ok(cells[i + 1].trim().trim_end_matches(';').trim().to_string())
        };
        let missioni = header("Missione")?
            .split(';')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(|m| {
                missioni::codice_da_nome(m)
                    .map(str::to_string)
                    .ok_or_else(|| format!("unknown missione «{m}»"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let table_start = cells
            .iter()
            .position(|c| c == "Data Fine Attesa")
            .ok_or("missing objectives table")?
            + 1;
        let mut obiettivi: Vec<Obiettivo> = Vec::new();
        for row in cells[table_start..].chunks(6) {
            if row.len() < 6 {
                return Err(format!("short row {row:?}"));
            }
            let numero = row[0].trim().trim_end_matches('.');
            if numero.contains('.') {
                let ob = obiettivi.last_mut().ok_or("phase before objective")?;
                let descr = row[1].trim();
                let descr = descr.strip_prefix("Fase:").unwrap_or(descr).trim();
                ob.fasi.push(Fase {
                    descrizione: descr.to_string(),
                    peso: peso(&row[2])?,
                    indicatori: row[3].clone(),
                    valori_attesi: row[4].clone(),
                    data_fine: data(&row[5])?,
                });
            } else {
                obiettivi.push(Obiettivo {
                    descrizione: row[1].clone(),
                    peso: peso(&row[2])?,
                    indicatori: row[3].clone(),
                    valori_attesi: row[4].clone(),
                    data_fine: data(&row[5])?,
                    fasi: Vec::new(),
                });
            }
        }
        strutture.push(Struttura {
            nome: nome.trim().to_string(),
            responsabile_titolo: responsabile_titolo.to_string(),
            linea_strategica: header("Linea Strategica")?,
            obiettivo_strategico: header("Obiettivo Strategico")?,
            missioni,
            obiettivo_operativo: header("Obiettivo Operativo")?,
            obiettivi,
        });
    }
    Ok(Modello {
        riferimenti_normativi: prosa(riferimenti),
        programmazione_strategica: prosa(programmazione),
        territorio: prosa(territorio),
        strutture,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::is_segnaposto;

    #[test]
    fn five_strutture_as_in_the_reference() {
        let m = modello();
        let nomi: Vec<_> = m.strutture.iter().map(|s| s.nome.as_str()).collect();
        assert_eq!(nomi, [
            "SEGRETERIA",
            "AREA AMMINISTRATIVA, AFFARI GENERALI, SERVIZI DEMOGRAFICI E SERVIZI ALLA PERSONA",
            "AREA ECONOMICO FINANZIARIA, TRIBUTI, PERSONALE ED ATTIVITA’ PRODUTTIVE",
            "AREA TECNICA, LAVORI PUBBLICI, URBANISTICA, EDILIZIA, MANUETNZIONI, BENI DEMANIALI, AMBIENTE E TRASPORTI",
            "POLIZIA LOCALE E PROTEZIONE CIVILE",
        ]);
        assert_eq!(m.strutture[0].responsabile_titolo, "Segretario Generale");
        assert_eq!(m.strutture[1].responsabile_titolo, "Dirigente/Responsabile");
        assert_eq!(m.strutture[1].missioni, ["01", "12", "06"]);
        assert_eq!(m.strutture[3].missioni, ["09", "08"]);
        assert_eq!(m.strutture[4].missioni, ["03"]);
    }

    #[test]
    fn segreteria_weights_and_phases() {
        let s = &modello().strutture[0];
        let pesi: Vec<String> = s.obiettivi.iter().map(|o| o.peso.label()).collect();
        assert_eq!(pesi, ["20%", "20%", "10%", "20%", "10%", "20%"]);
        assert_eq!(s.obiettivi[1].fasi.len(), 4);
        assert!(s.obiettivi[1].fasi.iter().all(|f| f.peso.label() == "25%"));
        assert_eq!(
            s.obiettivi[1].fasi[0].descrizione,
            "redazione sulla relazione sull’anticorruzione e trasparenza relativa all’anno precedente."
        );
        assert_eq!(
            s.obiettivi[1].fasi[0].data_fine,
            NaiveDate::from_ymd_opt(2022, 1, 31).unwrap()
        );
        assert!(s.obiettivi[0].descrizione.starts_with(
            "Coordinamento dell’implementazione e monitoraggio della Customer Satisfaction"
        ));
        assert_eq!(s.obiettivi[0].indicatori, "Risultati prodotti dalle applicazioni informatiche.\nRisultati dei questionari di qualità dei servizi.");
    }

    #[test]
    fn every_struttura_sums_to_100_and_placeholders_are_kept() {
        let m = modello();
        let mut segnaposto = 0;
        for s in &m.strutture {
            let tot: u32 = s.obiettivi.iter().map(|o| o.peso.0).sum();
            assert_eq!(tot, 10_000, "{}", s.nome);
            for o in &s.obiettivi {
                if !o.fasi.is_empty() {
                    assert_eq!(
                        o.fasi.iter().map(|f| f.peso.0).sum::<u32>(),
                        10_000,
                        "{}",
                        o.descrizione
                    );
                }
                if is_segnaposto(&o.descrizione) {
                    segnaposto += 1;
                    assert!(o.fasi.iter().all(|f| f.descrizione.is_empty()));
                }
            }
        }
        assert!(segnaposto >= 4, "placeholders: {segnaposto}");
    }

    #[test]
    fn narrative_sections() {
        let m = modello();
        assert!(m
            .riferimenti_normativi
            .starts_with("Il Ciclo della Performance risulta disciplinato"));
        assert!(m
            .programmazione_strategica
            .starts_with("L’analisi della Performance"));
        assert!(!m.programmazione_strategica.contains("[image:"));
        assert!(m.territorio.starts_with("Di seguito si riporta un grafico"));
    }

    #[test]
    fn dates_move_to_another_year() {
        let d = NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
        assert_eq!(
            sposta(d, 2025),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
    }
}
