//! The deadlines of an ente's year and when reminders about them go out. Pure: the server
//! feeds in the year's facts (plan approved, checkpoints, Relazione) and today's date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The deadlines a firm sets for all its enti and an ente may move for one year. The
/// monitoring checkpoints carry their own (set with each checkpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tipo {
    Piao,
    Relazione,
    Validazione,
    Pubblicazione,
}

impl Tipo {
    pub const TUTTI: [Tipo; 4] = [
        Tipo::Piao,
        Tipo::Relazione,
        Tipo::Validazione,
        Tipo::Pubblicazione,
    ];

    pub fn db_name(self) -> &'static str {
        match self {
            Tipo::Piao => "piao",
            Tipo::Relazione => "relazione",
            Tipo::Validazione => "validazione",
            Tipo::Pubblicazione => "pubblicazione",
        }
    }

    pub fn from_db(s: &str) -> Option<Tipo> {
        Tipo::TUTTI.into_iter().find(|t| t.db_name() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Tipo::Piao => "Approvazione del PIAO",
            Tipo::Relazione => "Adozione della Relazione sulla Performance",
            Tipo::Validazione => "Validazione della Relazione",
            Tipo::Pubblicazione => "Pubblicazione in Amministrazione Trasparente",
        }
    }

    pub fn norma(self) -> &'static str {
        match self {
            Tipo::Piao => "DPR 81/2022 e DM 132/2022",
            Tipo::Relazione => "D.Lgs 150/2009 art. 10 c. 1 lett. b",
            Tipo::Validazione => "D.Lgs 150/2009 art. 14 c. 4 lett. c",
            Tipo::Pubblicazione => "D.Lgs 33/2013 art. 10 c. 8 lett. b (termine interno)",
        }
    }

    /// The year the deadline falls in, for the plan of `anno`: the PIAO in its own year,
    /// the Relazione and what follows it in the next.
    pub fn anno_della_scadenza(self, anno: i32) -> i32 {
        match self {
            Tipo::Piao => anno,
            _ => anno + 1,
        }
    }

    /// The national default (day, month).
    pub fn predefinita(self) -> (u32, u32) {
        match self {
            Tipo::Piao => (31, 1),
            Tipo::Relazione | Tipo::Validazione => (30, 6),
            Tipo::Pubblicazione => (31, 7),
        }
    }

    /// Who must act.
    pub fn chi(self) -> Chi {
        match self {
            Tipo::Validazione => Chi::Nucleo,
            _ => Chi::Amministratori,
        }
    }
}

/// Who a reminder goes to first (past the deadline, the ente's administrators and the
/// firm's consultants as well).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Chi {
    Amministratori,
    /// The responsabili of the strutture whose record is still open.
    Responsabili,
    Nucleo,
}

/// `giorno`/`mese` of `anno`; a day the month lacks (29 February in a common year, 31
/// April) is the month's last.
pub fn data_di(anno: i32, mese: u32, giorno: u32) -> Option<NaiveDate> {
    (1..=giorno.min(31))
        .rev()
        .find_map(|g| NaiveDate::from_ymd_opt(anno, mese, g))
}

/// One deadline of an ente's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scadenza {
    /// Unique within the ente: `piao:2024`, `monitoraggio:<id>:responsabili`...
    pub chiave: String,
    pub titolo: String,
    pub data: NaiveDate,
    pub chi: Chi,
    /// Done: no reminder, and not the "next" one.
    pub fatta: bool,
    /// The page where it is done, under the ente (`piani/2024`).
    pub pagina: String,
    /// Its kind, for the kinds a firm sets (none for a checkpoint's).
    pub tipo: Option<Tipo>,
    /// The monitoring checkpoint it belongs to, if any.
    pub checkpoint: Option<uuid::Uuid>,
}

/// The first deadline still to meet (the most overdue, if any is), or none.
pub fn prossima(scadenze: &[Scadenza]) -> Option<&Scadenza> {
    scadenze
        .iter()
        .filter(|s| !s.fatta)
        .min_by_key(|s| (s.data, s.chiave.clone()))
}

/// A monitoring checkpoint, as its deadlines need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub id: uuid::Uuid,
    pub data: NaiveDate,
    pub scadenza_responsabili: NaiveDate,
    pub scadenza_nucleo: NaiveDate,
    /// Strutture whose record is not submitted yet.
    pub aperte: i64,
    pub chiuso: bool,
}

/// What an ente's year holds that its deadlines depend on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Fatti {
    pub anno: i32,
    /// The firm's (day, month) per kind, where it set one.
    pub dello_studio: Vec<(Tipo, u32, u32)>,
    /// This ente's own dates for this year.
    pub spostate: Vec<(Tipo, NaiveDate)>,
    pub piano: bool,
    /// Approved once (in rimodulazione counts: it was approved in time).
    pub approvato: bool,
    pub relazione_adottata: bool,
    pub validata: bool,
    pub monitoraggi: Vec<Checkpoint>,
}

impl Fatti {
    /// The date of `tipo` this year: the ente's own, else the firm's, else the national.
    pub fn data(&self, tipo: Tipo) -> NaiveDate {
        if let Some((_, d)) = self.spostate.iter().find(|(t, _)| *t == tipo) {
            return *d;
        }
        let (g, m) = self
            .dello_studio
            .iter()
            .find(|(t, _, _)| *t == tipo)
            .map(|(_, g, m)| (*g, *m))
            .unwrap_or_else(|| tipo.predefinita());
        data_di(tipo.anno_della_scadenza(self.anno), m, g)
            .expect("a stored day and month make a date")
    }

    pub fn spostata(&self, tipo: Tipo) -> bool {
        self.spostate.iter().any(|(t, _)| *t == tipo)
    }

    pub fn fatta(&self, tipo: Tipo) -> bool {
        match tipo {
            Tipo::Piao => self.approvato,
            Tipo::Relazione => self.relazione_adottata,
            // The product cannot see the ente's website: the bundle to publish is complete
            // once the validation is signed.
            Tipo::Validazione | Tipo::Pubblicazione => self.validata,
        }
    }
}

/// The deadlines of the year, in date order: the PIAO always; the checkpoints and the
/// Relazione's once there is an approved plan to follow.
pub fn scadenze(f: &Fatti) -> Vec<Scadenza> {
    let anno = f.anno;
    let mut out = Vec::new();
    let tipo = |t: Tipo, pagina: String| Scadenza {
        chiave: format!("{}:{anno}", t.db_name()),
        titolo: format!("{} {anno}", t.label()),
        data: f.data(t),
        chi: t.chi(),
        fatta: f.fatta(t),
        pagina,
        tipo: Some(t),
        checkpoint: None,
    };
    out.push(tipo(Tipo::Piao, format!("piani/{anno}")));
    if f.approvato {
        for m in &f.monitoraggi {
            let pagina = format!("piani/{anno}/monitoraggio/{}", m.id);
            let quando = crate::domain::plan::data_label(m.data);
            out.push(Scadenza {
                chiave: format!("monitoraggio:{}:responsabili", m.id),
                titolo: format!("Monitoraggio al {quando}: schede dei responsabili"),
                data: m.scadenza_responsabili,
                chi: Chi::Responsabili,
                fatta: m.chiuso || m.aperte == 0,
                pagina: pagina.clone(),
                tipo: None,
                checkpoint: Some(m.id),
            });
            out.push(Scadenza {
                chiave: format!("monitoraggio:{}:nucleo", m.id),
                titolo: format!("Monitoraggio al {quando}: referto del Nucleo"),
                data: m.scadenza_nucleo,
                chi: Chi::Nucleo,
                fatta: m.chiuso,
                pagina,
                tipo: None,
                checkpoint: Some(m.id),
            });
        }
        for t in [Tipo::Relazione, Tipo::Validazione, Tipo::Pubblicazione] {
            out.push(tipo(t, format!("piani/{anno}/relazione")));
        }
    }
    out.sort_by(|a, b| (a.data, &a.chiave).cmp(&(b.data, &b.chiave)));
    out
}

/// Days from `oggi` to `data`: negative when past.
pub fn giorni_a(oggi: NaiveDate, data: NaiveDate) -> i64 {
    (data - oggi).num_days()
}

/// "tra 3 giorni", "oggi", "scaduta da 2 giorni".
pub fn giorni_label(giorni: i64) -> String {
    match giorni {
        0 => "oggi".into(),
        1 => "domani".into(),
        g if g > 1 => format!("tra {g} giorni"),
        -1 => "scaduta da 1 giorno".into(),
        g => format!("scaduta da {} giorni", -g),
    }
}

/// When reminders go out: so many days before a deadline, then every `ogni` days after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regole {
    pub prima: Vec<u32>,
    pub ogni: u32,
}

impl Default for Regole {
    fn default() -> Self {
        Regole {
            prima: vec![14, 7, 1],
            ogni: 3,
        }
    }
}

/// Past this many days late, reminders stop (the cockpit still shows the deadline in red):
/// a year long gone is not worth an e-mail every few days.
pub const SOLLECITI_PER_GIORNI: i64 = 60;

/// The step of the reminders a deadline has reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Passo {
    /// So many days before it (one of `Regole::prima`).
    Prima(u32),
    /// So many days after it: 1, 1 + ogni, 1 + 2·ogni...
    Dopo(u32),
}

impl Passo {
    /// Past the deadline: the reminder escalates.
    pub fn sollecito(self) -> bool {
        matches!(self, Passo::Dopo(_))
    }

    /// The step's part of a reminder's key.
    pub fn chiave(self) -> String {
        match self {
            Passo::Prima(g) => format!("-{g}"),
            Passo::Dopo(g) => format!("+{g}"),
        }
    }
}

/// The latest step of the reminders for a deadline on `data` reached by `oggi`, if any.
/// A step is kept until the next one: a day missed (the server down) is caught up, and the
/// caller sends each step once.
pub fn passo(data: NaiveDate, oggi: NaiveDate, regole: &Regole) -> Option<Passo> {
    let giorni = giorni_a(oggi, data);
    if giorni >= 0 {
        regole
            .prima
            .iter()
            .copied()
            .filter(|&p| i64::from(p) >= giorni)
            .min()
            .map(Passo::Prima)
    } else {
        let ritardo = -giorni;
        if ritardo > SOLLECITI_PER_GIORNI {
            return None;
        }
        let ogni = i64::from(regole.ogni.max(1));
        Some(Passo::Dopo((1 + ogni * ((ritardo - 1) / ogni)) as u32))
    }
}

/// A day of the year as "31/01" (any year: 29/02 is the last day of February).
pub fn giorno_mese(raw: &str) -> Result<(u32, u32), String> {
    let t = raw.trim();
    let errore = || format!("«{t}» non è un giorno dell'anno: scrivilo come 31/01.");
    let (g, m) = t.split_once(['/', '.', '-']).ok_or_else(errore)?;
    let (g, m): (u32, u32) = (
        g.trim().parse().map_err(|_| errore())?,
        m.trim().parse().map_err(|_| errore())?,
    );
    // A leap year: every day that exists in some year.
    NaiveDate::from_ymd_opt(2024, m, g).ok_or_else(errore)?;
    Ok((g, m))
}

/// Checks the firm's reminder days: a list like "14, 7, 1" and a repeat of 1–60 days.
pub fn regole_da(prima: &str, ogni: &str) -> Result<Regole, String> {
    let mut giorni = Vec::new();
    for p in prima
        .split([',', ';', ' '])
        .filter(|s| !s.trim().is_empty())
    {
        match p.trim().parse::<u32>() {
            Ok(g) if (1..=365).contains(&g) => giorni.push(g),
            _ => {
                return Err(format!(
                    "«{}» non è un numero di giorni tra 1 e 365: scrivi ad esempio 14, 7, 1.",
                    p.trim()
                ))
            }
        }
    }
    giorni.sort_unstable_by(|a, b| b.cmp(a));
    giorni.dedup();
    if giorni.len() > 10 {
        return Err("Al massimo 10 promemoria prima di una scadenza.".into());
    }
    let ogni = match ogni.trim().parse::<u32>() {
        Ok(g) if (1..=60).contains(&g) => g,
        _ => return Err("Ripeti i solleciti ogni 1–60 giorni.".into()),
    };
    Ok(Regole {
        prima: giorni,
        ogni,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: i32, m: u32, g: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, g).unwrap()
    }

    #[test]
    fn a_day_the_month_lacks_is_its_last() {
        assert_eq!(data_di(2023, 4, 31), Some(d(2023, 4, 30)));
        assert_eq!(data_di(2024, 2, 30), Some(d(2024, 2, 29)));
        assert_eq!(data_di(2024, 13, 1), None);
    }

    #[test]
    fn reminders_before_at_each_offset_and_kept_until_the_next() {
        let r = Regole::default();
        let data = d(2024, 1, 31);
        assert_eq!(passo(data, d(2024, 1, 1), &r), None); // 30 days before
        assert_eq!(passo(data, d(2024, 1, 16), &r), None); // 15
        assert_eq!(passo(data, d(2024, 1, 17), &r), Some(Passo::Prima(14)));
        assert_eq!(passo(data, d(2024, 1, 23), &r), Some(Passo::Prima(14))); // 8
        assert_eq!(passo(data, d(2024, 1, 24), &r), Some(Passo::Prima(7)));
        assert_eq!(passo(data, d(2024, 1, 30), &r), Some(Passo::Prima(1)));
        assert_eq!(passo(data, d(2024, 1, 31), &r), Some(Passo::Prima(1))); // the day itself
    }

    #[test]
    fn reminders_after_every_ogni_days_escalating_then_stopping() {
        let r = Regole::default();
        let data = d(2024, 1, 31);
        assert_eq!(passo(data, d(2024, 2, 1), &r), Some(Passo::Dopo(1)));
        assert_eq!(passo(data, d(2024, 2, 3), &r), Some(Passo::Dopo(1)));
        assert_eq!(passo(data, d(2024, 2, 4), &r), Some(Passo::Dopo(4)));
        assert_eq!(passo(data, d(2024, 2, 7), &r), Some(Passo::Dopo(7)));
        assert!(passo(data, d(2024, 2, 7), &r).unwrap().sollecito());
        assert!(!Passo::Prima(7).sollecito());
        assert_eq!(passo(data, d(2024, 3, 31), &r), Some(Passo::Dopo(58))); // 60 late
        assert_eq!(passo(data, d(2024, 4, 1), &r), None); // 61 late
        let weekly = Regole {
            prima: vec![],
            ogni: 7,
        };
        assert_eq!(passo(data, d(2024, 1, 30), &weekly), None);
        assert_eq!(passo(data, d(2024, 2, 8), &weekly), Some(Passo::Dopo(8)));
    }

    #[test]
    fn the_next_deadline_is_the_earliest_open_one() {
        let s = |chiave: &str, data, fatta| Scadenza {
            chiave: chiave.into(),
            titolo: chiave.into(),
            data,
            chi: Chi::Amministratori,
            fatta,
            pagina: String::new(),
            tipo: None,
            checkpoint: None,
        };
        let v = [
            s("piao", d(2024, 1, 31), true),
            s("relazione", d(2025, 6, 30), false),
            s("monitoraggio", d(2024, 7, 15), false),
        ];
        assert_eq!(prossima(&v).unwrap().chiave, "monitoraggio");
        assert_eq!(prossima(&v[..1]), None);
        assert_eq!(giorni_a(d(2024, 7, 10), d(2024, 7, 15)), 5);
        assert_eq!(giorni_label(-3), "scaduta da 3 giorni");
        assert_eq!(giorni_label(1), "domani");
    }

    #[test]
    fn the_years_deadlines_follow_the_ente_then_the_firm_then_the_law() {
        let id = uuid::Uuid::nil();
        let mut f = Fatti {
            anno: 2024,
            dello_studio: vec![(Tipo::Relazione, 15, 6)],
            spostate: vec![(Tipo::Piao, d(2024, 2, 15))],
            ..Default::default()
        };
        // No approved plan: only the PIAO, moved by the ente.
        let v = scadenze(&f);
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].chiave.as_str(), v[0].data, v[0].fatta),
            ("piao:2024", d(2024, 2, 15), false)
        );
        f.approvato = true;
        f.monitoraggi = vec![Checkpoint {
            id,
            data: d(2024, 6, 30),
            scadenza_responsabili: d(2024, 7, 15),
            scadenza_nucleo: d(2024, 7, 30),
            aperte: 0,
            chiuso: false,
        }];
        let v = scadenze(&f);
        let date: Vec<_> = v
            .iter()
            .map(|s| (s.chiave.as_str(), s.data, s.fatta))
            .collect();
        let resp = format!("monitoraggio:{id}:responsabili");
        let nucleo = format!("monitoraggio:{id}:nucleo");
        assert_eq!(
            date,
            vec![
                ("piao:2024", d(2024, 2, 15), true),
                (resp.as_str(), d(2024, 7, 15), true),
                (nucleo.as_str(), d(2024, 7, 30), false),
                ("relazione:2024", d(2025, 6, 15), false),
                ("validazione:2024", d(2025, 6, 30), false),
                ("pubblicazione:2024", d(2025, 7, 31), false),
            ]
        );
        assert_eq!(prossima(&v).unwrap().chiave, nucleo);
        assert_eq!(v[2].chi, Chi::Nucleo);
    }

    #[test]
    fn a_day_of_the_year_is_read_as_written() {
        assert_eq!(giorno_mese("31/01"), Ok((31, 1)));
        assert_eq!(giorno_mese(" 29/2 "), Ok((29, 2)));
        assert!(giorno_mese("31/04").is_err());
        assert!(giorno_mese("gennaio").is_err());
        assert!(giorno_mese("").is_err());
    }

    #[test]
    fn the_firms_reminder_days_are_checked() {
        assert_eq!(
            regole_da("7, 14 1", "3"),
            Ok(Regole {
                prima: vec![14, 7, 1],
                ogni: 3
            })
        );
        assert!(regole_da("0", "3").is_err());
        assert!(regole_da("tre", "3").is_err());
        assert!(regole_da("7", "0").is_err());
        assert_eq!(regole_da("", "5").unwrap().prima, Vec::<u32>::new());
    }
}
