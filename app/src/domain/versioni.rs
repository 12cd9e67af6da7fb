//! The versions of a plan and what changed between two of them: strutture, objectives and
//! phases added or removed, and each field changed (description, weight, indicators,
//! expected values, due date). Rows are matched by their identity, which a rimodulazione
//! keeps. Also the cut-off of the year's last PEG change (TUEL art. 175 c. 9).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::plan::{data_label, CampiRiga, RigaView};
use crate::model::{PianoView, StrutturaView};

/// The last day a rimodulazione of the plan of `anno` may be approved by the Giunta.
pub fn ultimo_giorno(anno: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(anno, 12, 15).expect("15 December exists")
}

/// A rimodulazione is approved by a delibera dated by 15 December of the plan's year.
pub fn controlla_delibera(anno: i32, data: NaiveDate) -> Result<(), String> {
    if data > ultimo_giorno(anno) {
        Err(format!(
            "Una rimodulazione del piano {anno} va approvata con una delibera entro il {}: dopo il 15 dicembre il PEG non si modifica più (art. 175, comma 9, del TUEL).",
            data_label(ultimo_giorno(anno))
        ))
    } else {
        Ok(())
    }
}

/// What happened to a row between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tipo {
    Aggiunto,
    Rimosso,
    Modificato,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Modifica {
    /// "SEGRETERIA – obiettivo 2 – fase 2.1".
    pub dove: String,
    pub tipo: Tipo,
    /// The field changed ("Peso"); empty for rows added or removed.
    pub campo: String,
    pub prima: String,
    pub dopo: String,
}

fn campi(c: &CampiRiga) -> [(&'static str, String); 5] {
    [
        ("Descrizione", c.descrizione.trim().to_string()),
        ("Peso", c.peso.map(|p| p.label()).unwrap_or_default()),
        ("Indicatori", c.indicatori.trim().to_string()),
        ("Valori attesi", c.valori_attesi.trim().to_string()),
        (
            "Data fine attesa",
            c.data_fine.map(data_label).unwrap_or_default(),
        ),
    ]
}

fn riassunto(c: &CampiRiga) -> String {
    let mut s: String = c.descrizione.trim().chars().take(160).collect();
    if let Some(p) = c.peso {
        s.push_str(&format!(" ({})", p.label()));
    }
    s
}

fn confronta_campi(out: &mut Vec<Modifica>, dove: &str, a: &CampiRiga, b: &CampiRiga) {
    for ((campo, x), (_, y)) in campi(a).into_iter().zip(campi(b)) {
        if x != y {
            out.push(Modifica {
                dove: dove.to_string(),
                tipo: Tipo::Modificato,
                campo: campo.into(),
                prima: x,
                dopo: y,
            });
        }
    }
}

fn aggiunto(dove: String, testo: String) -> Modifica {
    Modifica {
        dove,
        tipo: Tipo::Aggiunto,
        campo: String::new(),
        prima: String::new(),
        dopo: testo,
    }
}

fn rimosso(dove: String, testo: String) -> Modifica {
    Modifica {
        dove,
        tipo: Tipo::Rimosso,
        campo: String::new(),
        prima: testo,
        dopo: String::new(),
    }
}

fn nome(s: &StrutturaView) -> String {
    let n = s.nome.trim();
    if n.is_empty() {
        "Struttura senza nome".into()
    } else {
        n.to_string()
    }
}

/// Objectives (or phases) of `a` and `b` compared by identity; `etichetta(i)` names the
/// row at position `i` (1-based) of the version it is in.
fn confronta_righe(
    out: &mut Vec<Modifica>,
    a: &[RigaView],
    b: &[RigaView],
    etichetta: &dyn Fn(usize) -> String,
    fasi: bool,
) {
    for (i, x) in a.iter().enumerate() {
        if !b.iter().any(|y| y.id == x.id) {
            out.push(rimosso(etichetta(i + 1), riassunto(&x.campi)));
        }
    }
    for (j, y) in b.iter().enumerate() {
        let dove = etichetta(j + 1);
        match a.iter().find(|x| x.id == y.id) {
            None => out.push(aggiunto(dove, riassunto(&y.campi))),
            Some(x) => {
                confronta_campi(out, &dove, &x.campi, &y.campi);
                if fasi {
                    let base = dove.clone();
                    confronta_righe(
                        out,
                        &x.fasi,
                        &y.fasi,
                        &|k| format!("{base} – fase {}.{k}", j + 1),
                        false,
                    );
                }
            }
        }
    }
}

/// What changed from version `a` to version `b`, in `b`'s order (rows removed first).
pub fn differenze(a: &PianoView, b: &PianoView) -> Vec<Modifica> {
    let mut out = Vec::new();
    for x in &a.strutture {
        if !b.strutture.iter().any(|y| y.id == x.id) {
            out.push(rimosso(
                nome(x),
                format!("struttura con {} obiettivi", x.obiettivi.len()),
            ));
        }
    }
    for y in &b.strutture {
        let Some(x) = a.strutture.iter().find(|x| x.id == y.id) else {
            out.push(aggiunto(
                nome(y),
                format!("struttura con {} obiettivi", y.obiettivi.len()),
            ));
            continue;
        };
        let s = nome(y);
        for (campo, p, d) in [
            ("Nome", x.nome.trim(), y.nome.trim()),
            (
                "Responsabile",
                x.responsabile_nome.trim(),
                y.responsabile_nome.trim(),
            ),
        ] {
            if p != d {
                out.push(Modifica {
                    dove: s.clone(),
                    tipo: Tipo::Modificato,
                    campo: campo.into(),
                    prima: p.into(),
                    dopo: d.into(),
                });
            }
        }
        confronta_righe(
            &mut out,
            &x.obiettivi,
            &y.obiettivi,
            &|i| format!("{s} – obiettivo {i}"),
            true,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::peso::Peso;
    use uuid::Uuid;

    fn riga(id: u128, descrizione: &str, peso: u32, fasi: Vec<RigaView>) -> RigaView {
        RigaView {
            id: Uuid::from_u128(id),
            campi: CampiRiga {
                descrizione: descrizione.into(),
                peso: Some(Peso(peso * 100)),
                indicatori: "n. pratiche".into(),
                valori_attesi: "100".into(),
                data_fine: NaiveDate::from_ymd_opt(2022, 12, 31),
                data_confermata: false,
            },
            version: 1,
            fasi,
            modello: None,
        }
    }

    fn piano(obiettivi: Vec<RigaView>) -> PianoView {
        PianoView {
            id: Uuid::nil(),
            ente_nome: "Comune".into(),
            anno: 2022,
            triennio_da: 2022,
            triennio_a: 2024,
            titolo: "Piano".into(),
            approvato: true,
            delibera_numero: None,
            delibera_data: None,
            regolamento: String::new(),
            riferimenti_normativi: String::new(),
            programmazione_strategica: String::new(),
            territorio: String::new(),
            version: 1,
            modificabile: false,
            approvabile_da_me: false,
            salva_modelli: false,
            rimodulazione: None,
            luci: Vec::new(),
            responsabili: Vec::new(),
            strutture: vec![StrutturaView {
                id: Uuid::from_u128(1),
                nome: "SEGRETERIA".into(),
                responsabile_titolo: String::new(),
                responsabile_nome: "Sergio".into(),
                responsabile_user_id: None,
                linea_strategica: String::new(),
                obiettivo_strategico: String::new(),
                missioni: Vec::new(),
                obiettivo_operativo: String::new(),
                version: 1,
                modificabile: false,
                obiettivi,
            }],
            documento_pronto: false,
            allegato: None,
            documento_html: None,
        }
    }

    #[test]
    fn nothing_changed_nothing_said() {
        let p = piano(vec![riga(10, "A", 50, vec![]), riga(11, "B", 50, vec![])]);
        assert!(differenze(&p, &p).is_empty());
    }

    #[test]
    fn rows_added_removed_and_fields_changed() {
        let a = piano(vec![
            riga(
                10,
                "Sportello",
                50,
                vec![
                    riga(20, "Avvio", 50, vec![]),
                    riga(21, "Chiusura", 50, vec![]),
                ],
            ),
            riga(11, "Archivio", 50, vec![]),
        ]);
        let mut f = riga(20, "Avvio del servizio", 50, vec![]);
        f.campi.data_fine = NaiveDate::from_ymd_opt(2022, 10, 31);
        let b = piano(vec![
            riga(
                10,
                "Sportello",
                60,
                vec![f, riga(21, "Chiusura", 50, vec![])],
            ),
            riga(12, "Digitalizzazione", 40, vec![]),
        ]);
        let d = differenze(&a, &b);
        let righe: Vec<String> = d
            .iter()
            .map(|m| {
                format!(
                    "{:?} {} {} [{}] → [{}]",
                    m.tipo, m.dove, m.campo, m.prima, m.dopo
                )
            })
            .collect();
        assert_eq!(
            righe,
            [
                "Rimosso SEGRETERIA – obiettivo 2  [Archivio (50%)] → []",
                "Modificato SEGRETERIA – obiettivo 1 Peso [50%] → [60%]",
                "Modificato SEGRETERIA – obiettivo 1 – fase 1.1 Descrizione [Avvio] → [Avvio del servizio]",
                "Modificato SEGRETERIA – obiettivo 1 – fase 1.1 Data fine attesa [31/12/2022] → [31/10/2022]",
                "Aggiunto SEGRETERIA – obiettivo 2  [] → [Digitalizzazione (40%)]",
            ]
        );
    }

    #[test]
    fn the_last_change_of_the_year_is_by_15_december() {
        let d = |m, g| NaiveDate::from_ymd_opt(2022, m, g).unwrap();
        assert!(controlla_delibera(2022, d(12, 15)).is_ok());
        assert!(controlla_delibera(2022, d(7, 15)).is_ok());
        let e = controlla_delibera(2022, d(12, 16)).unwrap_err();
        assert!(
            e.contains("entro il 15/12/2022") && e.contains("175"),
            "{e}"
        );
    }
}
