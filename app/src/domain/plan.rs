//! The plan's rules, as the reference document shows them. Pure functions over a plain
//! snapshot of the plan: the editor runs them as the user types, the server runs them
//! again (and is the authority) before approving.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::peso::{Peso, CENTO};

/// The fields of an objective or a phase as a person writes them: the one definition
/// that the database row, the input saved, the view and the editor's state are made of.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CampiRiga {
    pub descrizione: String,
    pub peso: Option<Peso>,
    pub indicatori: String,
    pub valori_attesi: String,
    pub data_fine: Option<NaiveDate>,
    pub data_confermata: bool,
}

/// An objective or a phase (phases have no `fasi`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RigaView {
    pub id: uuid::Uuid,
    #[serde(flatten)]
    pub campi: CampiRiga,
    pub version: i32,
    pub fasi: Vec<RigaView>,
    /// The library template an objective was adopted from (phases: always `None`).
    #[serde(default)]
    pub modello: Option<ModelloRif>,
}

/// An adopted objective's template: which version it copied, and whether a newer one waits.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct ModelloRif {
    pub id: uuid::Uuid,
    pub titolo: String,
    pub versione: i32,
    pub ultima: i32,
    /// A newer version exists and was neither taken nor dismissed.
    pub aggiornamento: bool,
}

/// The plan's two kinds of row: an objective, or one of its phases. In forms: "obiettivo",
/// "fase".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Livello {
    Obiettivo,
    Fase,
}

/// What a new plan starts from: the bundled reference document («modello di
/// riferimento»), or nothing. In forms: "riferimento", "vuoto".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Partenza {
    Riferimento,
    Vuoto,
}

impl Partenza {
    pub fn db(self) -> &'static str {
        match self {
            Partenza::Riferimento => "riferimento",
            Partenza::Vuoto => "vuoto",
        }
    }
}

/// Said whenever a change reaches an approved plan (by the application, or by the database).
pub const PIANO_APPROVATO: &str =
    "Il piano è approvato e non si può modificare: un amministratore può riaprirlo come bozza.";

/// What the reference writes where an objective is still to be written by the ente.
pub const SEGNAPOSTO: &str = "Obiettivo di sviluppo specifico dell’area:";

/// True for the reference's placeholder ("Obiettivo di sviluppo specifico dell'area"),
/// however its apostrophe or colon are typed.
pub fn is_segnaposto(descrizione: &str) -> bool {
    let norm: String = descrizione
        .trim()
        .trim_end_matches(':')
        .trim()
        .replace(['’', '`'], "'")
        .to_lowercase();
    norm == "obiettivo di sviluppo specifico dell'area"
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FaseDoc {
    pub descrizione: String,
    /// `None`: missing or not a valid weight.
    pub peso: Option<Peso>,
    pub data_fine: Option<NaiveDate>,
    pub data_confermata: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ObiettivoDoc {
    pub descrizione: String,
    pub peso: Option<Peso>,
    pub data_fine: Option<NaiveDate>,
    pub data_confermata: bool,
    pub fasi: Vec<FaseDoc>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StrutturaDoc {
    pub nome: String,
    pub obiettivi: Vec<ObiettivoDoc>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PianoDoc {
    pub anno: i32,
    pub strutture: Vec<StrutturaDoc>,
}

/// Where a rule is broken: indexes into the plan (struttura, objective, phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dove {
    Struttura(usize),
    Obiettivo(usize, usize),
    Fase(usize, usize, usize),
}

/// Which field the message belongs next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Campo {
    /// The sum of the weights below (objectives of a struttura, phases of an objective).
    Pesi,
    Descrizione,
    Peso,
    DataFine,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violazione {
    pub dove: Dove,
    pub campo: Campo,
    pub messaggio: String,
}

/// "31/12/2022".
pub fn data_label(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The day of an instant as a person in Italy reads it ("31/12/2022"): a signature made
/// at 00:30 in Rome is dated that day, not the UTC day before.
pub fn giorno_label(t: chrono::DateTime<chrono::Utc>) -> String {
    data_label(crate::domain::calendario::data_in_italia(t))
}

/// An instant with its time as read in Italy: "31/12/2022 23:30".
pub fn giorno_ora_label(t: chrono::DateTime<chrono::Utc>) -> String {
    crate::domain::calendario::ora_in_italia(t)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Accepts the browser's ISO date ("2022-12-31") and the Italian one ("31/12/2022").
pub fn parse_data(raw: &str) -> Result<Option<NaiveDate>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y"))
        .map(Some)
        .map_err(|_| format!("«{t}» non è una data valida: scrivila come 31/12/2022."))
}

fn somma(pesi: impl Iterator<Item = Option<Peso>>) -> Peso {
    Peso(pesi.flatten().map(|p| p.0).sum())
}

fn mancanza(tot: Peso) -> String {
    if tot < CENTO {
        format!("mancano {}", Peso(CENTO.0 - tot.0).label())
    } else {
        format!("{} in eccesso", Peso(tot.0 - CENTO.0).label())
    }
}

fn check_data(
    out: &mut Vec<Violazione>,
    dove: Dove,
    anno: i32,
    data: Option<NaiveDate>,
    confermata: bool,
) {
    match data {
        None => out.push(Violazione {
            dove,
            campo: Campo::DataFine,
            messaggio: "Indica la data di fine attesa.".into(),
        }),
        Some(d) if d.year() != anno && !confermata => out.push(Violazione {
            dove,
            campo: Campo::DataFine,
            messaggio: format!(
                "La data {} è fuori dall'annualità {anno}: confermala se è voluta.",
                data_label(d)
            ),
        }),
        _ => {}
    }
}

/// Every rule the plan breaks, in document order. Empty: the plan can be approved.
pub fn violazioni(piano: &PianoDoc) -> Vec<Violazione> {
    let mut out = Vec::new();
    let anno = piano.anno;
    for (s, st) in piano.strutture.iter().enumerate() {
        if st.nome.trim().is_empty() {
            out.push(Violazione {
                dove: Dove::Struttura(s),
                campo: Campo::Descrizione,
                messaggio: "Indica il nome della struttura.".into(),
            });
        }
        if st.obiettivi.is_empty() {
            out.push(Violazione {
                dove: Dove::Struttura(s),
                campo: Campo::Pesi,
                messaggio: "La struttura non ha obiettivi.".into(),
            });
        } else {
            let tot = somma(st.obiettivi.iter().map(|o| o.peso));
            if tot != CENTO {
                out.push(Violazione {
                    dove: Dove::Struttura(s),
                    campo: Campo::Pesi,
                    messaggio: format!(
                        "I pesi degli obiettivi sommano a {}: devono fare 100% ({}).",
                        tot.label(),
                        mancanza(tot)
                    ),
                });
            }
        }
        for (o, ob) in st.obiettivi.iter().enumerate() {
            let dove = Dove::Obiettivo(s, o);
            if is_segnaposto(&ob.descrizione) {
                out.push(Violazione {
                    dove,
                    campo: Campo::Descrizione,
                    messaggio: "Obiettivo ancora da scrivere: sostituisci il testo del modello con l'obiettivo dell'ente.".into(),
                });
            } else if ob.descrizione.trim().is_empty() {
                out.push(Violazione {
                    dove,
                    campo: Campo::Descrizione,
                    messaggio: "Descrivi l'obiettivo.".into(),
                });
            }
            if ob.peso.is_none() {
                out.push(Violazione {
                    dove,
                    campo: Campo::Peso,
                    messaggio: "Indica un peso valido.".into(),
                });
            }
            check_data(&mut out, dove, anno, ob.data_fine, ob.data_confermata);
            if !ob.fasi.is_empty() {
                let tot = somma(ob.fasi.iter().map(|f| f.peso));
                if tot != CENTO {
                    out.push(Violazione {
                        dove,
                        campo: Campo::Pesi,
                        messaggio: format!(
                            "I pesi delle fasi sommano a {}: devono fare 100% ({}).",
                            tot.label(),
                            mancanza(tot)
                        ),
                    });
                }
            }
            for (f, fa) in ob.fasi.iter().enumerate() {
                let dove = Dove::Fase(s, o, f);
                if fa.descrizione.trim().is_empty() {
                    out.push(Violazione {
                        dove,
                        campo: Campo::Descrizione,
                        messaggio: "Descrivi la fase.".into(),
                    });
                }
                if fa.peso.is_none() {
                    out.push(Violazione {
                        dove,
                        campo: Campo::Peso,
                        messaggio: "Indica un peso valido.".into(),
                    });
                }
                check_data(&mut out, dove, anno, fa.data_fine, fa.data_confermata);
                if let (Some(df), Some(dob)) = (fa.data_fine, ob.data_fine) {
                    if df > dob {
                        out.push(Violazione {
                            dove,
                            campo: Campo::DataFine,
                            messaggio: format!(
                                "La fase termina dopo il suo obiettivo ({}).",
                                data_label(dob)
                            ),
                        });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        parse_data(s).unwrap()
    }
    fn p(s: &str) -> Option<Peso> {
        Some(Peso::parse(s).unwrap())
    }

    #[test]
    fn an_instant_is_labelled_with_the_day_in_italy() {
        let t = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        // 00:14 in Rome on 2 December is still 1 December in UTC.
        assert_eq!(giorno_label(t("2026-12-01T23:14:00Z")), "02/12/2026");
        assert_eq!(giorno_label(t("2026-12-01T22:59:00Z")), "01/12/2026");
        // Summer time: two hours ahead.
        assert_eq!(giorno_label(t("2022-06-30T22:30:00Z")), "01/07/2022");
        assert_eq!(
            giorno_ora_label(t("2026-12-01T23:14:00Z")),
            "02/12/2026 00:14"
        );
        assert_eq!(
            giorno_ora_label(t("2022-06-30T22:30:00Z")),
            "01/07/2022 00:30"
        );
    }
    fn fase(peso: &str, data: &str) -> FaseDoc {
        FaseDoc {
            descrizione: "una fase".into(),
            peso: p(peso),
            data_fine: d(data),
            data_confermata: false,
        }
    }
    fn ob(peso: &str, data: &str, fasi: Vec<FaseDoc>) -> ObiettivoDoc {
        ObiettivoDoc {
            descrizione: "un obiettivo".into(),
            peso: p(peso),
            data_fine: d(data),
            data_confermata: false,
            fasi,
        }
    }
    fn piano(obiettivi: Vec<ObiettivoDoc>) -> PianoDoc {
        PianoDoc {
            anno: 2022,
            strutture: vec![StrutturaDoc {
                nome: "Segreteria".into(),
                obiettivi,
            }],
        }
    }

    #[test]
    fn a_plan_like_the_reference_holds() {
        // Segreteria: 20+20+10+20+10+20, phases 50+50.
        let obs = ["20", "20", "10", "20", "10", "20"]
            .iter()
            .map(|w| {
                ob(
                    w,
                    "31/12/2022",
                    vec![fase("50", "31/07/2022"), fase("50", "31/12/2022")],
                )
            })
            .collect();
        assert_eq!(violazioni(&piano(obs)), vec![]);
    }

    #[test]
    fn thirds_hold_and_ninety_does_not() {
        let thirds = piano(vec![
            ob("33,33", "31/12/2022", vec![]),
            ob("33,33", "31/12/2022", vec![]),
            ob("33,34", "31/12/2022", vec![]),
        ]);
        assert!(violazioni(&thirds).is_empty());
        let ninety = piano(vec![
            ob("50", "31/12/2022", vec![]),
            ob("40", "31/12/2022", vec![]),
        ]);
        let v = violazioni(&ninety);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].dove, Dove::Struttura(0));
        assert_eq!(
            v[0].messaggio,
            "I pesi degli obiettivi sommano a 90%: devono fare 100% (mancano 10%)."
        );
    }

    #[test]
    fn phase_weights_sum_to_100() {
        let v = violazioni(&piano(vec![ob(
            "100",
            "31/12/2022",
            vec![fase("50", "30/06/2022"), fase("60", "30/06/2022")],
        )]));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].dove, Dove::Obiettivo(0, 0));
        assert_eq!(v[0].campo, Campo::Pesi);
        assert!(v[0].messaggio.contains("10% in eccesso"));
    }

    #[test]
    fn a_phase_ends_no_later_than_its_objective() {
        let v = violazioni(&piano(vec![ob(
            "100",
            "30/06/2022",
            vec![fase("100", "31/07/2022")],
        )]));
        assert_eq!(
            v,
            vec![Violazione {
                dove: Dove::Fase(0, 0, 0),
                campo: Campo::DataFine,
                messaggio: "La fase termina dopo il suo obiettivo (30/06/2022).".into()
            }]
        );
    }

    #[test]
    fn dates_outside_the_year_need_confirmation() {
        let mut o = ob("100", "31/01/2023", vec![]);
        let v = violazioni(&piano(vec![o.clone()]));
        assert_eq!(
            v[0].messaggio,
            "La data 31/01/2023 è fuori dall'annualità 2022: confermala se è voluta."
        );
        o.data_confermata = true;
        assert!(violazioni(&piano(vec![o])).is_empty());
    }

    #[test]
    fn placeholders_and_empty_texts_block_approval() {
        let mut a = ob("50", "31/12/2022", vec![]);
        a.descrizione = "Obiettivo di sviluppo specifico dell'area".into();
        let mut b = ob("50", "31/12/2022", vec![fase("100", "31/12/2022")]);
        b.descrizione = "   ".into();
        b.fasi[0].descrizione = "".into();
        let v = violazioni(&piano(vec![a, b]));
        let where_: Vec<_> = v.iter().map(|v| (v.dove, v.campo)).collect();
        assert_eq!(
            where_,
            vec![
                (Dove::Obiettivo(0, 0), Campo::Descrizione),
                (Dove::Obiettivo(0, 1), Campo::Descrizione),
                (Dove::Fase(0, 1, 0), Campo::Descrizione),
            ]
        );
        assert!(is_segnaposto(SEGNAPOSTO));
        assert!(is_segnaposto("Obiettivo di sviluppo specifico dell’area"));
        assert!(!is_segnaposto(
            "Obiettivo di sviluppo specifico dell'area: digitalizzare l'archivio"
        ));
    }

    #[test]
    fn missing_weights_and_dates_are_named() {
        let mut o = ob("100", "31/12/2022", vec![]);
        o.peso = None;
        o.data_fine = None;
        let v = violazioni(&piano(vec![o]));
        let msgs: Vec<_> = v.iter().map(|v| v.messaggio.as_str()).collect();
        assert!(msgs.contains(&"Indica un peso valido."));
        assert!(msgs.contains(&"Indica la data di fine attesa."));
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_data("2022-12-31").unwrap(),
            NaiveDate::from_ymd_opt(2022, 12, 31)
        );
        assert_eq!(
            parse_data("31/12/2022").unwrap(),
            NaiveDate::from_ymd_opt(2022, 12, 31)
        );
        assert_eq!(
            parse_data("31.12.2022").unwrap(),
            NaiveDate::from_ymd_opt(2022, 12, 31)
        );
        assert_eq!(parse_data("").unwrap(), None);
        assert!(parse_data("31/02/2022").is_err());
        assert_eq!(
            data_label(NaiveDate::from_ymd_opt(2022, 7, 1).unwrap()),
            "01/07/2022"
        );
    }
}
