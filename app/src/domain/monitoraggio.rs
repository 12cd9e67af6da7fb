//! Following the plan during the year: checkpoints and their deadlines, progress as a
//! percentage, the expected progress on a given date, the traffic light, the causes of a
//! deviation, and who may still change a record. Pure: the monitoring page runs them as
//! the user types, the server runs them again before saving.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::peso::{centesimi, Formato};
use super::plan::data_label;

/// A progress percentage in hundredths (0..=10_000): `Percentuale(4550)` is 45,5%.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Percentuale(pub u32);

pub const COMPLETO: Percentuale = Percentuale(10_000);

impl Percentuale {
    /// "45", "45,5", "45.25 %": 0 to 100, at most two decimals.
    pub fn parse(raw: &str) -> Result<Percentuale, String> {
        match centesimi(raw) {
            Ok(c) if c <= COMPLETO.0 => Ok(Percentuale(c)),
            Ok(_) | Err(Formato::Oltre) => {
                Err("La percentuale di avanzamento va da 0 a 100.".into())
            }
            Err(Formato::Vuoto) => Err("Indica la percentuale di avanzamento.".into()),
            Err(Formato::Decimali) => {
                Err("La percentuale ammette al massimo due decimali.".into())
            }
            Err(Formato::NonNumero) => Err(format!(
                "«{}» non è una percentuale valida: scrivi un numero da 0 a 100, ad esempio 45 o 45,5.",
                raw.trim()
            )),
        }
    }

    /// Empty is `None` (not reported yet).
    pub fn parse_opzionale(raw: &str) -> Result<Option<Percentuale>, String> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            Percentuale::parse(raw).map(Some)
        }
    }

    /// "45%", "45,5%", "33,33%".
    pub fn label(self) -> String {
        super::peso::Peso(self.0).label()
    }

    /// The number as a form shows it: "45,5".
    pub fn numero(self) -> String {
        super::peso::Peso(self.0).number()
    }
}

/// The traffic light of a phase or an objective at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Semaforo {
    Verde,
    Giallo,
    Rosso,
}

impl Semaforo {
    pub fn nome(self) -> &'static str {
        match self {
            Semaforo::Verde => "verde",
            Semaforo::Giallo => "giallo",
            Semaforo::Rosso => "rosso",
        }
    }

    /// What the colour means, for whoever cannot see it.
    pub fn significato(self) -> &'static str {
        match self {
            Semaforo::Verde => "in linea",
            Semaforo::Giallo => "in ritardo",
            Semaforo::Rosso => "ritardo critico",
        }
    }

    /// "Semaforo giallo: in ritardo".
    pub fn label(self) -> String {
        format!("Semaforo {}: {}", self.nome(), self.significato())
    }
}

/// Green down to this many hundredths of points below the expected progress (10 points).
pub const TOLLERANZA_VERDE: u32 = 1_000;
/// Yellow down to this many (25 points); red below.
pub const TOLLERANZA_GIALLO: u32 = 2_500;

/// When a phase's time starts: the plan's approval (its delibera), or 1 January of the
/// year if it was approved before the year began.
pub fn inizio(anno: i32, approvazione: Option<NaiveDate>) -> NaiveDate {
    let primo = NaiveDate::from_ymd_opt(anno, 1, 1).expect("1 January exists");
    approvazione.map_or(primo, |a| a.max(primo))
}

/// The progress expected on `al` of work that runs from `inizio` to `scadenza`: linear
/// between them, 0 before, 100 from the due date on.
pub fn attesa(inizio: NaiveDate, scadenza: NaiveDate, al: NaiveDate) -> Percentuale {
    if al >= scadenza {
        return COMPLETO;
    }
    if al <= inizio {
        return Percentuale(0);
    }
    let totale = (scadenza - inizio).num_days() as u64;
    let trascorsi = (al - inizio).num_days() as u64;
    // Rounded to the nearest hundredth of a point.
    Percentuale(((trascorsi * COMPLETO.0 as u64 * 2 + totale) / (2 * totale)) as u32)
}

/// The light for `effettiva` against `attesa`; `scaduta`: the due date has passed.
pub fn semaforo(effettiva: Percentuale, attesa: Percentuale, scaduta: bool) -> Semaforo {
    if scaduta && effettiva < COMPLETO {
        Semaforo::Rosso
    } else if effettiva.0 + TOLLERANZA_VERDE >= attesa.0 {
        Semaforo::Verde
    } else if effettiva.0 + TOLLERANZA_GIALLO >= attesa.0 {
        Semaforo::Giallo
    } else {
        Semaforo::Rosso
    }
}

/// The expected progress and the light of work due `scadenza`, `effettiva` done on `al`.
/// Work with no due date has no light.
pub fn luce(
    effettiva: Percentuale,
    inizio: NaiveDate,
    scadenza: Option<NaiveDate>,
    al: NaiveDate,
) -> Option<(Percentuale, Semaforo)> {
    let scadenza = scadenza?;
    let a = attesa(inizio, scadenza, al);
    Some((a, semaforo(effettiva, a, al > scadenza)))
}

/// Why the work deviates from what was expected. In forms and in the database: the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Causa {
    Esterni,
    Finanziarie,
    Personale,
    Norme,
    Dipendenza,
    Altro,
}

impl Causa {
    pub const TUTTE: [Causa; 6] = [
        Causa::Esterni,
        Causa::Finanziarie,
        Causa::Personale,
        Causa::Norme,
        Causa::Dipendenza,
        Causa::Altro,
    ];

    pub fn codice(self) -> &'static str {
        match self {
            Causa::Esterni => "esterni",
            Causa::Finanziarie => "finanziarie",
            Causa::Personale => "personale",
            Causa::Norme => "norme",
            Causa::Dipendenza => "dipendenza",
            Causa::Altro => "altro",
        }
    }

    pub fn da_codice(s: &str) -> Option<Causa> {
        Causa::TUTTE.into_iter().find(|c| c.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Causa::Esterni => "Fattori esterni",
            Causa::Finanziarie => "Risorse finanziarie",
            Causa::Personale => "Personale",
            Causa::Norme => "Nuove norme",
            Causa::Dipendenza => "Dipende da un altro ufficio o ente",
            Causa::Altro => "Altro",
        }
    }
}

/// A change of an objective a responsabile proposes with its progress. In forms and in the
/// database: the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Proposta {
    Valore,
    Indicatore,
    Scadenza,
    Peso,
    Elimina,
    Aggiungi,
}

impl Proposta {
    pub const TUTTE: [Proposta; 6] = [
        Proposta::Valore,
        Proposta::Indicatore,
        Proposta::Scadenza,
        Proposta::Peso,
        Proposta::Elimina,
        Proposta::Aggiungi,
    ];

    pub fn codice(self) -> &'static str {
        match self {
            Proposta::Valore => "valore",
            Proposta::Indicatore => "indicatore",
            Proposta::Scadenza => "scadenza",
            Proposta::Peso => "peso",
            Proposta::Elimina => "elimina",
            Proposta::Aggiungi => "aggiungi",
        }
    }

    pub fn da_codice(s: &str) -> Option<Proposta> {
        Proposta::TUTTE.into_iter().find(|c| c.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Proposta::Valore => "Modificare il valore atteso",
            Proposta::Indicatore => "Modificare l'indicatore",
            Proposta::Scadenza => "Modificare la scadenza",
            Proposta::Peso => "Modificare il peso",
            Proposta::Elimina => "Eliminare l'obiettivo",
            Proposta::Aggiungi => "Aggiungere un obiettivo",
        }
    }
}

/// A proposal says what and why.
pub fn controlla_proposta(p: Option<Proposta>, testo: &str) -> Result<(), String> {
    match p {
        Some(p) if testo.trim().is_empty() => Err(format!(
            "Hai proposto di «{}»: scrivi la proposta e il suo motivo.",
            p.label().to_lowercase()
        )),
        _ => Ok(()),
    }
}

/// A red light needs its cause, and «Altro» needs the cause written out.
pub fn controlla_causa(
    luce: Option<Semaforo>,
    causa: Option<Causa>,
    testo: &str,
) -> Result<(), String> {
    if luce == Some(Semaforo::Rosso) && causa.is_none() {
        return Err(
            "Il semaforo è rosso: indica la causa dello scostamento e l'azione correttiva.".into(),
        );
    }
    if causa == Some(Causa::Altro) && testo.trim().is_empty() {
        return Err("Hai scelto «Altro»: descrivi la causa dello scostamento.".into());
    }
    Ok(())
}

/// The date an indicator's actual value refers to: within the plan's year, and not after
/// the checkpoint it is reported at.
pub fn controlla_data_valore(
    anno: i32,
    riferimento: NaiveDate,
    d: NaiveDate,
) -> Result<(), String> {
    if d.year() != anno {
        Err(format!(
            "La data del valore rilevato ({}) è fuori dall'annualità {anno}.",
            data_label(d)
        ))
    } else if d > riferimento {
        Err(format!(
            "La data del valore rilevato ({}) è successiva alla data del monitoraggio ({}).",
            data_label(d),
            data_label(riferimento)
        ))
    } else {
        Ok(())
    }
}

/// When a phase or an objective was finished: then it is complete, and the date is within
/// the plan's year and not after the checkpoint.
pub fn controlla_conclusione(
    anno: i32,
    riferimento: NaiveDate,
    percentuale: Option<Percentuale>,
    d: NaiveDate,
) -> Result<(), String> {
    if percentuale != Some(COMPLETO) {
        return Err(format!(
            "Hai indicato la conclusione il {}: l'avanzamento di una voce conclusa è 100%.",
            data_label(d)
        ));
    }
    if d.year() != anno || d > riferimento {
        return Err(format!(
            "La data di conclusione ({}) va dall'inizio dell'annualità {anno} alla data del monitoraggio ({}).",
            data_label(d),
            data_label(riferimento)
        ));
    }
    Ok(())
}

/// A checkpoint's three dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scadenze {
    /// The date progress is measured at.
    pub riferimento: NaiveDate,
    /// By when the responsabili submit their records.
    pub responsabili: NaiveDate,
    /// By when the Nucleo closes the checkpoint.
    pub nucleo: NaiveDate,
}

pub const MAX_MONITORAGGI: usize = 4;
/// Days from the reference date to the responsabili's deadline, and to the Nucleo's.
pub const GIORNI_RESPONSABILI: u64 = 15;
pub const GIORNI_NUCLEO: u64 = 30;

impl Scadenze {
    /// The default deadlines of a checkpoint at `riferimento`.
    pub fn da(riferimento: NaiveDate) -> Scadenze {
        Scadenze {
            riferimento,
            responsabili: riferimento + Days::new(GIORNI_RESPONSABILI),
            nucleo: riferimento + Days::new(GIORNI_NUCLEO),
        }
    }

    /// The checkpoints a plan starts with: 30 June and 30 September.
    pub fn predefinite(anno: i32) -> Vec<Scadenze> {
        [(6, 30), (9, 30)]
            .into_iter()
            .filter_map(|(m, g)| NaiveDate::from_ymd_opt(anno, m, g))
            .map(Scadenze::da)
            .collect()
    }

    /// The reference date within the plan's year; each deadline on or after the one before.
    pub fn controlla(&self, anno: i32) -> Result<(), String> {
        if self.riferimento.year() != anno {
            return Err(format!(
                "La data del monitoraggio ({}) deve cadere nell'annualità {anno}.",
                data_label(self.riferimento)
            ));
        }
        if self.responsabili < self.riferimento {
            return Err(
                "La scadenza per i responsabili non può precedere la data del monitoraggio.".into(),
            );
        }
        if self.nucleo < self.responsabili {
            return Err(
                "La scadenza per il Nucleo non può precedere quella per i responsabili.".into(),
            );
        }
        if self.nucleo.year() > anno + 1 {
            return Err(format!(
                "La scadenza per il Nucleo ({}) è troppo lontana: al più tardi nel {}.",
                data_label(self.nucleo),
                anno + 1
            ));
        }
        Ok(())
    }
}

/// Where a struttura's record stands at a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stato {
    /// Being filled in by the responsabile.
    Aperta,
    /// Submitted: locked for the responsabile; the Nucleo annotates, an admin may reopen.
    Inviata,
    /// The checkpoint is closed with its Referto: nothing changes any more.
    Chiusa,
}

impl Stato {
    pub fn di(inviata: bool, chiuso: bool) -> Stato {
        match (chiuso, inviata) {
            (true, _) => Stato::Chiusa,
            (false, true) => Stato::Inviata,
            (false, false) => Stato::Aperta,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stato::Aperta => "Da compilare",
            Stato::Inviata => "Inviata al Nucleo",
            Stato::Chiusa => "Chiusa",
        }
    }

    /// Progress, values, causes and actions change only while the record is open.
    pub fn compilabile(self) -> bool {
        self == Stato::Aperta
    }

    /// The Nucleo's notes change until the checkpoint is closed.
    pub fn annotabile(self) -> bool {
        self != Stato::Chiusa
    }

    /// An admin reopens a submitted record, not an open or a closed one.
    pub fn riapribile(self) -> bool {
        self == Stato::Inviata
    }
}

/// One line of a record as submission checks it: what (e.g. "obiettivo 1.2"), its
/// progress, its light and its cause.
pub type RigaInvio = (String, Option<Percentuale>, Option<Semaforo>, Option<Causa>);

/// Why a struttura's record cannot be submitted yet: every objective and phase has its
/// progress, and every red light its cause. `righe`: (what, progress, light, cause).
pub fn controlla_invio(righe: &[RigaInvio]) -> Result<(), String> {
    let mancanti: Vec<&str> = righe
        .iter()
        .filter(|r| r.1.is_none())
        .map(|r| r.0.as_str())
        .collect();
    if !mancanti.is_empty() {
        return Err(format!("Indica l'avanzamento di: {}.", mancanti.join("; ")));
    }
    let senza_causa: Vec<&str> = righe
        .iter()
        .filter(|r| r.2 == Some(Semaforo::Rosso) && r.3.is_none())
        .map(|r| r.0.as_str())
        .collect();
    if !senza_causa.is_empty() {
        return Err(format!(
            "Il semaforo è rosso senza la causa dello scostamento: {}.",
            senza_causa.join("; ")
        ));
    }
    Ok(())
}

/// The Nucleo closes a checkpoint once every struttura has submitted. `strutture`:
/// (name, submitted).
pub fn controlla_chiusura(strutture: &[(String, bool)]) -> Result<(), String> {
    let mancanti: Vec<&str> = strutture
        .iter()
        .filter(|s| !s.1)
        .map(|s| s.0.as_str())
        .collect();
    if mancanti.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Non tutte le strutture hanno inviato la rilevazione: mancano {}.",
            mancanti.join("; ")
        ))
    }
}

/// How a deadline reads on `oggi`: "scaduta da 3 giorni", "oggi", "tra 5 giorni".
pub fn mancano(scadenza: NaiveDate, oggi: NaiveDate) -> String {
    match (scadenza - oggi).num_days() {
        0 => "scade oggi".into(),
        1 => "scade domani".into(),
        -1 => "scaduta da 1 giorno".into(),
        n if n < 0 => format!("scaduta da {} giorni", -n),
        n => format!("tra {n} giorni"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: i32, m: u32, g: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, g).unwrap()
    }

    #[test]
    fn percentages_from_0_to_100_with_two_decimals() {
        assert_eq!(Percentuale::parse("0"), Ok(Percentuale(0)));
        assert_eq!(Percentuale::parse("45,5 %"), Ok(Percentuale(4550)));
        assert_eq!(Percentuale::parse("100"), Ok(COMPLETO));
        assert!(Percentuale::parse("100,01")
            .unwrap_err()
            .contains("da 0 a 100"));
        assert!(Percentuale::parse("1000")
            .unwrap_err()
            .contains("da 0 a 100"));
        assert!(Percentuale::parse("-5")
            .unwrap_err()
            .contains("non è una percentuale"));
        assert!(Percentuale::parse("33,333")
            .unwrap_err()
            .contains("due decimali"));
        assert_eq!(Percentuale::parse_opzionale("  "), Ok(None));
        assert_eq!(Percentuale(4550).label(), "45,5%");
        assert_eq!(Percentuale(4550).numero(), "45,5");
    }

    #[test]
    fn expected_progress_is_linear_from_start_to_due_date() {
        let (i, f) = (d(2022, 1, 1), d(2022, 12, 31));
        assert_eq!(attesa(i, f, d(2021, 12, 1)), Percentuale(0));
        assert_eq!(attesa(i, f, i), Percentuale(0));
        assert_eq!(attesa(i, f, f), COMPLETO);
        assert_eq!(attesa(i, f, d(2023, 3, 1)), COMPLETO);
        // 1 Jan → 30 Jun is 180 of 364 days: 49,45%.
        assert_eq!(attesa(i, f, d(2022, 6, 30)), Percentuale(4945));
        // A phase due the day it starts is due.
        assert_eq!(attesa(f, f, f), COMPLETO);
    }

    #[test]
    fn start_is_the_approval_or_1_january() {
        assert_eq!(inizio(2022, None), d(2022, 1, 1));
        assert_eq!(inizio(2022, Some(d(2021, 12, 20))), d(2022, 1, 1));
        assert_eq!(inizio(2022, Some(d(2022, 3, 15))), d(2022, 3, 15));
    }

    #[test]
    fn light_thresholds() {
        let p = Percentuale;
        assert_eq!(semaforo(p(5000), p(6000), false), Semaforo::Verde);
        assert_eq!(semaforo(p(4999), p(6000), false), Semaforo::Giallo);
        assert_eq!(semaforo(p(3500), p(6000), false), Semaforo::Giallo);
        assert_eq!(semaforo(p(3499), p(6000), false), Semaforo::Rosso);
        assert_eq!(semaforo(p(9000), p(2000), false), Semaforo::Verde);
        // Past due and not finished: red, however close.
        assert_eq!(semaforo(p(9999), COMPLETO, true), Semaforo::Rosso);
        assert_eq!(semaforo(COMPLETO, COMPLETO, true), Semaforo::Verde);
        assert_eq!(
            luce(p(2000), d(2022, 1, 1), Some(d(2022, 3, 31)), d(2022, 6, 30)),
            Some((COMPLETO, Semaforo::Rosso))
        );
        assert_eq!(luce(p(2000), d(2022, 1, 1), None, d(2022, 6, 30)), None);
        assert_eq!(Semaforo::Giallo.label(), "Semaforo giallo: in ritardo");
    }

    #[test]
    fn a_red_light_needs_its_cause() {
        assert!(controlla_causa(Some(Semaforo::Rosso), None, "").is_err());
        assert!(controlla_causa(Some(Semaforo::Rosso), Some(Causa::Personale), "").is_ok());
        assert!(controlla_causa(Some(Semaforo::Giallo), None, "").is_ok());
        assert!(controlla_causa(None, Some(Causa::Altro), " ")
            .unwrap_err()
            .contains("Altro"));
        assert_eq!(Causa::da_codice("norme"), Some(Causa::Norme));
        assert_eq!(Causa::da_codice("x"), None);
    }

    #[test]
    fn a_proposal_says_what_and_why() {
        assert!(controlla_proposta(None, "").is_ok());
        assert!(
            controlla_proposta(Some(Proposta::Scadenza), "Al 30/11 per i dati regionali").is_ok()
        );
        let e = controlla_proposta(Some(Proposta::Elimina), " ").unwrap_err();
        assert!(e.contains("eliminare l'obiettivo"), "{e}");
        assert_eq!(Proposta::da_codice("peso"), Some(Proposta::Peso));
    }

    #[test]
    fn value_dates_within_the_year_and_not_after_the_checkpoint() {
        let rif = d(2022, 6, 30);
        assert!(controlla_data_valore(2022, rif, d(2022, 6, 30)).is_ok());
        assert!(controlla_data_valore(2022, rif, d(2021, 12, 31))
            .unwrap_err()
            .contains("fuori"));
        assert!(controlla_data_valore(2022, rif, d(2022, 7, 1))
            .unwrap_err()
            .contains("successiva"));
    }

    #[test]
    fn checkpoints_default_to_june_and_september_with_15_and_30_days() {
        let p = Scadenze::predefinite(2022);
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].riferimento, p[0].responsabili, p[0].nucleo),
            (d(2022, 6, 30), d(2022, 7, 15), d(2022, 7, 30))
        );
        assert_eq!(p[1].riferimento, d(2022, 9, 30));
        assert!(p[1].controlla(2022).is_ok());
        assert!(p[1].controlla(2023).unwrap_err().contains("annualità 2023"));
        let mut s = Scadenze::da(d(2022, 12, 31));
        assert!(s.controlla(2022).is_ok());
        s.responsabili = d(2022, 12, 1);
        assert!(s.controlla(2022).unwrap_err().contains("responsabili"));
        let mut s = Scadenze::da(d(2022, 6, 30));
        s.nucleo = d(2022, 7, 1);
        assert!(s.controlla(2022).unwrap_err().contains("Nucleo"));
        s.nucleo = d(2024, 1, 1);
        s.responsabili = d(2023, 1, 1);
        assert!(s.controlla(2022).unwrap_err().contains("lontana"));
    }

    #[test]
    fn deadlines_read_in_days() {
        let oggi = d(2022, 7, 10);
        assert_eq!(mancano(d(2022, 7, 15), oggi), "tra 5 giorni");
        assert_eq!(mancano(oggi, oggi), "scade oggi");
        assert_eq!(mancano(d(2022, 7, 11), oggi), "scade domani");
        assert_eq!(mancano(d(2022, 7, 9), oggi), "scaduta da 1 giorno");
        assert_eq!(mancano(d(2022, 6, 30), oggi), "scaduta da 10 giorni");
    }

    #[test]
    fn what_a_record_allows_in_each_state() {
        let a = Stato::di(false, false);
        let i = Stato::di(true, false);
        let c = Stato::di(true, true);
        assert_eq!((a, i, c), (Stato::Aperta, Stato::Inviata, Stato::Chiusa));
        assert_eq!(Stato::di(false, true), Stato::Chiusa);
        assert!(a.compilabile() && !i.compilabile() && !c.compilabile());
        assert!(a.annotabile() && i.annotabile() && !c.annotabile());
        assert!(!a.riapribile() && i.riapribile() && !c.riapribile());
    }

    #[test]
    fn submission_and_closing_say_what_is_missing() {
        let p = Some(Percentuale(5000));
        let r = |n: &str, p, l, c| (n.to_string(), p, l, c);
        assert!(controlla_invio(&[r("Obiettivo 1", p, Some(Semaforo::Verde), None)]).is_ok());
        assert_eq!(
            controlla_invio(&[
                r("Obiettivo 1", None, None, None),
                r("Fase 1.1", None, None, None)
            ])
            .unwrap_err(),
            "Indica l'avanzamento di: Obiettivo 1; Fase 1.1."
        );
        assert!(
            controlla_invio(&[r("Obiettivo 2", p, Some(Semaforo::Rosso), None)])
                .unwrap_err()
                .contains("Obiettivo 2")
        );
        assert!(controlla_chiusura(&[("Area A".into(), true)]).is_ok());
        assert!(
            controlla_chiusura(&[("Area A".into(), true), ("Area B".into(), false)])
                .unwrap_err()
                .contains("Area B")
        );
    }
}
