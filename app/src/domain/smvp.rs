//! How achievement is scored at the end of the year, as an ente's *Sistema di Misurazione e
//! Valutazione della Performance* (D.Lgs 150/2009 art. 7) sets it: the profile's parameters
//! (every number a parameter, with the usual defaults), the three methods per objective
//! (FASI, INDICATORI, MISTO), the struttura's and the ente's results, the labels, and the
//! explanation of each figure ("perché 72,5%?"). Pure: the year-end page and the server run
//! the same functions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::plan::data_label;
use super::premi::Categoria;
use super::scheda::{comportamenti_predefiniti, Scheda, Sezione};

/// How an objective's achievement is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metodo {
    /// Σ(phase weight × phase completion) / Σ weights, less the lateness penalty.
    Fasi,
    /// The average of the indicators' scores (actual against target).
    Indicatori,
    /// α·FASI + (1−α)·INDICATORI.
    Misto,
}

impl Metodo {
    pub const TUTTI: [Metodo; 3] = [Metodo::Fasi, Metodo::Indicatori, Metodo::Misto];

    pub fn codice(self) -> &'static str {
        match self {
            Metodo::Fasi => "fasi",
            Metodo::Indicatori => "indicatori",
            Metodo::Misto => "misto",
        }
    }

    pub fn da_codice(s: &str) -> Option<Metodo> {
        Metodo::TUTTI.into_iter().find(|m| m.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Metodo::Fasi => "Fasi",
            Metodo::Indicatori => "Indicatori",
            Metodo::Misto => "Misto (fasi e indicatori)",
        }
    }
}

/// How the ente's result averages its strutture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    /// Every struttura counts the same.
    Uguale,
    /// Each struttura counts its staff's full-time equivalents.
    Fte,
}

impl Media {
    pub fn codice(self) -> &'static str {
        match self {
            Media::Uguale => "uguale",
            Media::Fte => "fte",
        }
    }

    pub fn da_codice(s: &str) -> Option<Media> {
        [Media::Uguale, Media::Fte]
            .into_iter()
            .find(|m| m.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Media::Uguale => "Media semplice delle strutture",
            Media::Fte => "Media pesata sul personale (equivalenti a tempo pieno)",
        }
    }
}

/// The parameters of an SMVP profile. Real SMVPs differ: every number is a parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profilo {
    /// The method of an objective that names none.
    pub metodo: Metodo,
    /// MISTO's share of FASI, in % (50: half and half).
    pub alfa: f64,
    /// Points taken off a phase's completion for every 30 days (or part) it ended late;
    /// 0: no penalty.
    pub penalita: f64,
    /// Below this share of the target (in %), an indicator scores 0.
    pub soglia: f64,
    /// The most an indicator shows (in %): the score counts at most 100.
    pub tetto: f64,
    pub media: Media,
    /// From this score (in %) an objective is «raggiunto»…
    pub raggiunto: f64,
    /// …from this one «parzialmente raggiunto»; below, «non raggiunto».
    pub parziale: f64,
    /// The three labels, from the highest band down.
    pub etichette: [String; 3],
    /// The individual evaluation's schede: the sections' weights per category.
    #[serde(default = "Scheda::eq")]
    pub scheda_eq: Scheda,
    #[serde(default = "Scheda::personale")]
    pub scheda_personale: Scheda,
    /// The behaviours dictionary, scored 1–5 on every scheda.
    #[serde(default = "comportamenti_predefiniti")]
    pub comportamenti: Vec<String>,
}

impl Default for Profilo {
    fn default() -> Profilo {
        Profilo {
            metodo: Metodo::Fasi,
            alfa: 50.0,
            penalita: 0.0,
            soglia: 50.0,
            tetto: 120.0,
            media: Media::Uguale,
            raggiunto: 90.0,
            parziale: 50.0,
            etichette: [
                "Raggiunto".into(),
                "Parzialmente raggiunto".into(),
                "Non raggiunto".into(),
            ],
            scheda_eq: Scheda::eq(),
            scheda_personale: Scheda::personale(),
            comportamenti: comportamenti_predefiniti(),
        }
    }
}

/// One parameter of a profile, to compare two profiles and adopt them field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Campo {
    Metodo,
    Alfa,
    Penalita,
    Soglia,
    Tetto,
    Media,
    Raggiunto,
    Parziale,
    Etichette,
    SchedaEq,
    SchedaPersonale,
    Comportamenti,
}

impl Campo {
    pub const TUTTI: [Campo; 12] = [
        Campo::Metodo,
        Campo::Alfa,
        Campo::Penalita,
        Campo::Soglia,
        Campo::Tetto,
        Campo::Media,
        Campo::Raggiunto,
        Campo::Parziale,
        Campo::Etichette,
        Campo::SchedaEq,
        Campo::SchedaPersonale,
        Campo::Comportamenti,
    ];

    pub fn codice(self) -> &'static str {
        match self {
            Campo::Metodo => "metodo",
            Campo::Alfa => "alfa",
            Campo::Penalita => "penalita",
            Campo::Soglia => "soglia",
            Campo::Tetto => "tetto",
            Campo::Media => "media",
            Campo::Raggiunto => "raggiunto",
            Campo::Parziale => "parziale",
            Campo::Etichette => "etichette",
            Campo::SchedaEq => "scheda_eq",
            Campo::SchedaPersonale => "scheda_personale",
            Campo::Comportamenti => "comportamenti",
        }
    }

    pub fn da_codice(s: &str) -> Option<Campo> {
        Campo::TUTTI.into_iter().find(|c| c.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Campo::Metodo => "Metodo predefinito degli obiettivi",
            Campo::Alfa => "Quota delle fasi nel metodo misto",
            Campo::Penalita => "Penalità per ritardo (punti ogni 30 giorni)",
            Campo::Soglia => "Soglia minima degli indicatori",
            Campo::Tetto => "Valore massimo mostrato di un indicatore",
            Campo::Media => "Risultato dell'ente",
            Campo::Raggiunto => "Soglia di «raggiunto»",
            Campo::Parziale => "Soglia di «parzialmente raggiunto»",
            Campo::Etichette => "Etichette delle fasce",
            Campo::SchedaEq => "Scheda dei titolari di Elevata Qualificazione",
            Campo::SchedaPersonale => "Scheda del personale del comparto",
            Campo::Comportamenti => "Dizionario dei comportamenti",
        }
    }
}

impl Profilo {
    /// The profile's value of `campo`, as the page shows it.
    pub fn valore(&self, campo: Campo) -> String {
        match campo {
            Campo::Metodo => self.metodo.label().into(),
            Campo::Alfa => percento(self.alfa),
            Campo::Penalita => numero(self.penalita),
            Campo::Soglia => percento(self.soglia),
            Campo::Tetto => percento(self.tetto),
            Campo::Media => self.media.label().into(),
            Campo::Raggiunto => percento(self.raggiunto),
            Campo::Parziale => percento(self.parziale),
            Campo::Etichette => self.etichette.join(" / "),
            Campo::SchedaEq => self.scheda_eq.descrizione(),
            Campo::SchedaPersonale => self.scheda_personale.descrizione(),
            Campo::Comportamenti => self.comportamenti.join(" / "),
        }
    }

    /// The fields whose values differ from `altro`'s.
    pub fn differenze(&self, altro: &Profilo) -> Vec<Campo> {
        Campo::TUTTI
            .into_iter()
            .filter(|c| self.valore(*c) != altro.valore(*c))
            .collect()
    }

    /// This profile with the `campi` of `da`.
    pub fn con(&self, da: &Profilo, campi: &[Campo]) -> Profilo {
        let mut p = self.clone();
        for c in campi {
            match c {
                Campo::Metodo => p.metodo = da.metodo,
                Campo::Alfa => p.alfa = da.alfa,
                Campo::Penalita => p.penalita = da.penalita,
                Campo::Soglia => p.soglia = da.soglia,
                Campo::Tetto => p.tetto = da.tetto,
                Campo::Media => p.media = da.media,
                Campo::Raggiunto => p.raggiunto = da.raggiunto,
                Campo::Parziale => p.parziale = da.parziale,
                Campo::Etichette => p.etichette = da.etichette.clone(),
                Campo::SchedaEq => p.scheda_eq = da.scheda_eq,
                Campo::SchedaPersonale => p.scheda_personale = da.scheda_personale,
                Campo::Comportamenti => p.comportamenti = da.comportamenti.clone(),
            }
        }
        p
    }

    /// The parameters make sense together.
    pub fn controlla(&self) -> Result<(), String> {
        let entro = |v: f64, da: f64, a: f64| v.is_finite() && v >= da && v <= a;
        if !entro(self.alfa, 0.0, 100.0) {
            return Err("La quota delle fasi nel metodo misto va da 0 a 100%.".into());
        }
        if !entro(self.penalita, 0.0, 100.0) {
            return Err("La penalità per ritardo va da 0 a 100 punti.".into());
        }
        if !entro(self.soglia, 0.0, 100.0) {
            return Err("La soglia minima degli indicatori va da 0 a 100%.".into());
        }
        if !entro(self.tetto, 100.0, 200.0) {
            return Err("Il valore massimo mostrato di un indicatore va da 100 a 200%.".into());
        }
        if !entro(self.parziale, 0.0, 100.0)
            || !entro(self.raggiunto, 0.0, 100.0)
            || self.parziale >= self.raggiunto
        {
            return Err("Le soglie delle fasce vanno da 0 a 100% e «parzialmente raggiunto» deve stare sotto «raggiunto».".into());
        }
        if self
            .etichette
            .iter()
            .any(|e| e.trim().is_empty() || e.chars().count() > 60)
        {
            return Err("Ogni fascia ha un'etichetta, lunga al massimo 60 caratteri.".into());
        }
        self.scheda_eq.controlla(Categoria::Eq)?;
        self.scheda_personale.controlla(Categoria::Personale)?;
        if self.comportamenti.is_empty()
            || self.comportamenti.len() > 20
            || self
                .comportamenti
                .iter()
                .any(|c| c.trim().is_empty() || c.chars().count() > 200)
        {
            return Err("Il dizionario ha da 1 a 20 comportamenti, ciascuno lungo al massimo 200 caratteri.".into());
        }
        Ok(())
    }

    /// This profile with the schede and the behaviours of `altro` (a form that does not
    /// show them keeps them).
    pub fn con_schede_di(mut self, altro: &Profilo) -> Profilo {
        self.scheda_eq = altro.scheda_eq;
        self.scheda_personale = altro.scheda_personale;
        self.comportamenti = altro.comportamenti.clone();
        self
    }

    /// The schede's form: the sections' weights per category (EQ: results, objectives,
    /// behaviours, differentiation; staff: the first three) and the behaviours, one per
    /// line. Checked.
    pub fn con_schede(
        mut self,
        eq: [&str; 4],
        personale: [&str; 3],
        comportamenti: &str,
    ) -> Result<Profilo, String> {
        let leggi =
            |raw: &str, s: Sezione| leggi_numero(raw).map_err(|e| format!("{}: {e}", s.label()));
        self.scheda_eq = Scheda {
            risultati: leggi(eq[0], Sezione::Risultati)?,
            obiettivi: leggi(eq[1], Sezione::Obiettivi)?,
            comportamenti: leggi(eq[2], Sezione::Comportamenti)?,
            differenziazione: leggi(eq[3], Sezione::Differenziazione)?,
        };
        self.scheda_personale = Scheda {
            risultati: leggi(personale[0], Sezione::Risultati)?,
            obiettivi: leggi(personale[1], Sezione::Obiettivi)?,
            comportamenti: leggi(personale[2], Sezione::Comportamenti)?,
            differenziazione: 0.0,
        };
        self.comportamenti = comportamenti
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        self.controlla()?;
        Ok(self)
    }

    /// The scheda of `categoria`.
    pub fn scheda(&self, categoria: Categoria) -> &Scheda {
        match categoria {
            Categoria::Eq => &self.scheda_eq,
            Categoria::Personale => &self.scheda_personale,
        }
    }

    /// A profile from its form's fields, checked.
    #[allow(clippy::too_many_arguments)]
    pub fn da_modulo(
        metodo: &str,
        alfa: &str,
        penalita: &str,
        soglia: &str,
        tetto: &str,
        media: &str,
        raggiunto: &str,
        parziale: &str,
        etichette: [String; 3],
    ) -> Result<Profilo, String> {
        let leggi = |campo: Campo, raw: &str| {
            leggi_numero(raw).map_err(|e| format!("{}: {e}", campo.label()))
        };
        let p = Profilo {
            metodo: Metodo::da_codice(metodo.trim())
                .ok_or("Scegli il metodo predefinito dall'elenco.")?,
            alfa: leggi(Campo::Alfa, alfa)?,
            penalita: leggi(Campo::Penalita, penalita)?,
            soglia: leggi(Campo::Soglia, soglia)?,
            tetto: leggi(Campo::Tetto, tetto)?,
            media: Media::da_codice(media.trim())
                .ok_or("Scegli come si calcola il risultato dell'ente.")?,
            raggiunto: leggi(Campo::Raggiunto, raggiunto)?,
            parziale: leggi(Campo::Parziale, parziale)?,
            etichette: etichette.map(|e| e.trim().to_string()),
            ..Profilo::default()
        };
        p.controlla()?;
        Ok(p)
    }

    /// The label of the band of `punteggio`.
    pub fn etichetta(&self, punteggio: f64) -> &str {
        if punteggio >= self.raggiunto {
            &self.etichette[0]
        } else if punteggio >= self.parziale {
            &self.etichette[1]
        } else {
            &self.etichette[2]
        }
    }
}

/// A phase (or an objective without phases) at the year's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaseEsito {
    /// "1.2".
    pub numero: String,
    /// None: the phases weigh the same.
    pub peso: Option<f64>,
    /// Completion at the final checkpoint, in %; None: not reported.
    pub completamento: Option<f64>,
    pub scadenza: Option<NaiveDate>,
    /// When it was finished, as reported.
    pub conclusa_il: Option<NaiveDate>,
}

/// An indicator measured at the year's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Misura {
    /// A quantity: `decrescente` when lower is better (days of waiting, complaints).
    Numero {
        atteso: f64,
        effettivo: Option<f64>,
        decrescente: bool,
    },
    /// Done or not.
    SiNo { effettivo: Option<bool> },
    /// Done by a date.
    Data {
        atteso: NaiveDate,
        effettivo: Option<NaiveDate>,
    },
}

impl Misura {
    /// "numero", "si_no", "data".
    pub fn tipo(&self) -> &'static str {
        match self {
            Misura::Numero { .. } => "numero",
            Misura::SiNo { .. } => "si_no",
            Misura::Data { .. } => "data",
        }
    }

    /// An indicator from its form: the kind, then the target and the actual value of that
    /// kind (the actual may stay empty until it is known).
    pub fn da_modulo(
        tipo: &str,
        decrescente: bool,
        atteso: &str,
        effettivo: &str,
        realizzato: &str,
        atteso_data: &str,
        effettivo_data: &str,
    ) -> Result<Misura, String> {
        use super::plan::parse_data;
        let opzionale = |raw: &str| {
            if raw.trim().is_empty() {
                Ok(None)
            } else {
                leggi_numero(raw)
                    .map(Some)
                    .map_err(|e| format!("Valore effettivo: {e}"))
            }
        };
        match tipo.trim() {
            "numero" => Ok(Misura::Numero {
                atteso: leggi_numero(atteso).map_err(|e| format!("Valore atteso: {e}"))?,
                effettivo: opzionale(effettivo)?,
                decrescente,
            }),
            "si_no" => Ok(Misura::SiNo {
                effettivo: match realizzato.trim() {
                    "" => None,
                    "si" => Some(true),
                    "no" => Some(false),
                    _ => return Err("Indica se l'indicatore è stato realizzato: sì o no.".into()),
                },
            }),
            "data" => Ok(Misura::Data {
                atteso: parse_data(atteso_data)?
                    .ok_or("Indica la data entro cui l'indicatore va realizzato.")?,
                effettivo: parse_data(effettivo_data)?,
            }),
            _ => Err("Scegli il tipo di indicatore dall'elenco.".into()),
        }
    }
}

/// A score with the figures that produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Punteggio {
    /// What counts (0–100).
    pub valore: f64,
    /// What is shown (an indicator above target shows up to the profile's maximum).
    pub mostrato: f64,
    /// "perché?": the formula and the figures, line by line.
    pub perche: Vec<String>,
}

/// Why a score cannot be computed yet.
pub type Mancano = String;

fn arrotonda(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// "72,5", "33,33", "100": at most two decimals, Italian comma.
pub fn numero(v: f64) -> String {
    let c = (arrotonda(v) * 100.0).round() as i64;
    let (segno, c) = if c < 0 { ("-", -c) } else { ("", c) };
    let (i, f) = (c / 100, c % 100);
    match f {
        0 => format!("{segno}{i}"),
        f if f % 10 == 0 => format!("{segno}{i},{}", f / 10),
        f => format!("{segno}{i},{f:02}"),
    }
}

/// "72,5%".
pub fn percento(v: f64) -> String {
    format!("{}%", numero(v))
}

/// A number as a person types it: "1500", "1.500", "12,5", "1.500,75"; a comma is the
/// decimal mark, dots group thousands (a single dot followed by other than three digits is a
/// decimal mark: "12.5").
pub fn leggi_numero(raw: &str) -> Result<f64, String> {
    let t: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Err("Indica un numero.".into());
    }
    let errore = || {
        format!(
            "«{}» non è un numero: scrivi ad esempio 1500, 1.500 o 12,5.",
            raw.trim()
        )
    };
    let normale = if t.contains(',') {
        t.replace('.', "").replacen(',', ".", 1)
    } else {
        let gruppi: Vec<&str> = t.split('.').collect();
        if gruppi.len() > 1 && gruppi[1..].iter().all(|g| g.len() == 3) {
            t.replace('.', "")
        } else {
            t.clone()
        }
    };
    let v: f64 = normale.parse().map_err(|_| errore())?;
    if !v.is_finite() || !(0.0..=1e12).contains(&v) || normale.contains(['e', 'E', '+', '-']) {
        return Err(errore());
    }
    Ok(v)
}

/// Whole 30-day periods (or part) from `scadenza` to `conclusa` (0 when on time).
fn periodi_di_ritardo(scadenza: NaiveDate, conclusa: NaiveDate) -> i64 {
    let giorni = (conclusa - scadenza).num_days();
    if giorni <= 0 {
        0
    } else {
        (giorni + 29) / 30
    }
}

/// FASI: Σ(phase weight × phase completion, less the lateness penalty) / Σ weights.
pub fn fasi(profilo: &Profilo, fasi: &[FaseEsito]) -> Result<Punteggio, Mancano> {
    if fasi.is_empty() {
        return Err("non ha fasi da misurare".into());
    }
    if let Some(f) = fasi.iter().find(|f| f.completamento.is_none()) {
        return Err(format!(
            "manca la percentuale di completamento al 31/12 ({})",
            f.numero
        ));
    }
    let uguali = fasi.iter().any(|f| f.peso.is_none());
    let mut perche = vec![if uguali {
        "Metodo FASI: media delle fasi, che pesano tutte uguale.".to_string()
    } else {
        "Metodo FASI: Σ(peso della fase × completamento) / Σ pesi.".to_string()
    }];
    let (mut somma, mut pesi, mut termini) = (0.0, 0.0, Vec::new());
    for f in fasi {
        let peso = if uguali { 1.0 } else { f.peso.unwrap_or(0.0) };
        let c = f.completamento.unwrap_or(0.0);
        let ritardo = match (f.scadenza, f.conclusa_il) {
            (Some(s), Some(d)) if profilo.penalita > 0.0 => periodi_di_ritardo(s, d),
            _ => 0,
        };
        let netto = (c - profilo.penalita * ritardo as f64).max(0.0);
        let mut riga = format!("Fase {}: completata al {}", f.numero, percento(c));
        if ritardo > 0 {
            riga.push_str(&format!(
                ", conclusa il {} oltre la scadenza del {}: −{} punti ({} × {}) = {}",
                f.conclusa_il.map(data_label).unwrap_or_default(),
                f.scadenza.map(data_label).unwrap_or_default(),
                numero(profilo.penalita * ritardo as f64),
                ritardo,
                numero(profilo.penalita),
                percento(netto)
            ));
        }
        if !uguali {
            riga.push_str(&format!(", peso {}", percento(peso)));
        }
        perche.push(riga + ".");
        termini.push(if uguali {
            numero(netto)
        } else {
            format!("{} × {}", numero(peso), numero(netto))
        });
        somma += peso * netto;
        pesi += peso;
    }
    if pesi <= 0.0 {
        return Err("le fasi non hanno peso".into());
    }
    let valore = arrotonda(somma / pesi);
    perche.push(format!(
        "Risultato: ({}) / {} = {}.",
        termini.join(" + "),
        numero(pesi),
        percento(valore)
    ));
    Ok(Punteggio {
        valore,
        mostrato: valore,
        perche,
    })
}

/// One indicator's score (0–100 counts) and what is shown (up to the profile's maximum).
pub fn misura(profilo: &Profilo, m: &Misura) -> Result<(f64, f64, String), Mancano> {
    match *m {
        Misura::Numero {
            atteso,
            effettivo,
            decrescente,
        } => {
            let e = effettivo.ok_or("manca il valore effettivo di un indicatore")?;
            let r = if decrescente {
                if e <= 0.0 {
                    f64::INFINITY
                } else {
                    atteso / e
                }
            } else if atteso <= 0.0 {
                if e > 0.0 {
                    f64::INFINITY
                } else {
                    1.0
                }
            } else {
                e / atteso
            };
            let grezzo = (r * 100.0).min(profilo.tetto);
            let (valore, mostrato) = if grezzo < profilo.soglia {
                (0.0, 0.0)
            } else {
                (grezzo.min(100.0), arrotonda(grezzo))
            };
            let formula = if decrescente {
                format!(
                    "atteso {} / effettivo {} (meno è meglio)",
                    numero(atteso),
                    numero(e)
                )
            } else {
                format!("effettivo {} / atteso {}", numero(e), numero(atteso))
            };
            let esito = if grezzo < profilo.soglia {
                format!(
                    "{} sotto la soglia del {}: 0%",
                    percento(grezzo),
                    percento(profilo.soglia)
                )
            } else if grezzo > 100.0 {
                format!("{}, conta 100%", percento(grezzo))
            } else {
                percento(grezzo)
            };
            Ok((valore, mostrato, format!("{formula} = {esito}")))
        }
        Misura::SiNo { effettivo } => {
            let e = effettivo.ok_or("manca il valore effettivo di un indicatore")?;
            let v = if e { 100.0 } else { 0.0 };
            Ok((
                v,
                v,
                format!(
                    "{}: {}",
                    if e { "realizzato" } else { "non realizzato" },
                    percento(v)
                ),
            ))
        }
        Misura::Data { atteso, effettivo } => match effettivo {
            Some(d) if d <= atteso => Ok((
                100.0,
                100.0,
                format!(
                    "realizzato il {} entro il {}: 100%",
                    data_label(d),
                    data_label(atteso)
                ),
            )),
            Some(d) => Ok((
                0.0,
                0.0,
                format!(
                    "realizzato il {} dopo il {}: 0%",
                    data_label(d),
                    data_label(atteso)
                ),
            )),
            None => Ok((
                0.0,
                0.0,
                format!("non realizzato entro il {}: 0%", data_label(atteso)),
            )),
        },
    }
}

/// INDICATORI: the average of the indicators' scores.
pub fn indicatori(profilo: &Profilo, misure: &[(String, Misura)]) -> Result<Punteggio, Mancano> {
    if misure.is_empty() {
        return Err("non ha indicatori misurati: aggiungili nella chiusura dell'anno".into());
    }
    let mut perche = vec![format!(
        "Metodo INDICATORI: media degli indicatori; ciascuno vale effettivo / atteso, 0 sotto il {}, al massimo 100% (mostrato fino al {}).",
        percento(profilo.soglia),
        percento(profilo.tetto)
    )];
    let (mut somma, mut mostrato, mut termini) = (0.0, 0.0, Vec::new());
    for (nome, m) in misure {
        let (v, s, riga) = misura(profilo, m)?;
        perche.push(format!("«{nome}»: {riga}."));
        termini.push(numero(v));
        somma += v;
        mostrato += s;
    }
    let n = misure.len() as f64;
    let valore = arrotonda(somma / n);
    perche.push(format!(
        "Risultato: ({}) / {} = {}.",
        termini.join(" + "),
        misure.len(),
        percento(valore)
    ));
    Ok(Punteggio {
        valore,
        mostrato: arrotonda(mostrato / n).max(valore),
        perche,
    })
}

/// An objective's achievement by its method.
pub fn obiettivo(
    profilo: &Profilo,
    metodo: Metodo,
    righe: &[FaseEsito],
    misure: &[(String, Misura)],
) -> Result<Punteggio, Mancano> {
    match metodo {
        Metodo::Fasi => fasi(profilo, righe),
        Metodo::Indicatori => indicatori(profilo, misure),
        Metodo::Misto => {
            let (f, i) = (fasi(profilo, righe)?, indicatori(profilo, misure)?);
            let a = profilo.alfa / 100.0;
            let valore = arrotonda(a * f.valore + (1.0 - a) * i.valore);
            let mut perche = vec![format!(
                "Metodo MISTO: {} × FASI + {} × INDICATORI.",
                percento(profilo.alfa),
                percento(100.0 - profilo.alfa)
            )];
            perche.extend(f.perche);
            perche.extend(i.perche);
            perche.push(format!(
                "Risultato: {} × {} + {} × {} = {}.",
                numero(a),
                percento(f.valore),
                numero(1.0 - a),
                percento(i.valore),
                percento(valore)
            ));
            Ok(Punteggio {
                valore,
                mostrato: valore,
                perche,
            })
        }
    }
}

/// The Nucleo's decision on an objective's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Rettifica {
    /// The score is this one.
    Punteggio(f64),
    /// Not evaluable for an external cause: out of the struttura's result.
    NonValutabile,
}

/// An objective in its struttura's result: its weight (None: weights not set, the same for
/// all) and its score (None: not evaluable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Voce {
    pub numero: String,
    pub peso: Option<f64>,
    pub punteggio: Option<f64>,
}

/// A struttura's achievement: Σ(objective weight × A) / Σ weights of the evaluable
/// objectives (100 when none is out, otherwise renormalised).
pub fn struttura(voci: &[Voce]) -> Option<Punteggio> {
    let valutabili: Vec<&Voce> = voci.iter().filter(|v| v.punteggio.is_some()).collect();
    if valutabili.is_empty() {
        return None;
    }
    let uguali = valutabili.iter().any(|v| v.peso.is_none());
    let mut perche = vec![if uguali {
        "Struttura: media degli obiettivi, che pesano tutti uguale.".to_string()
    } else {
        "Struttura: Σ(peso dell'obiettivo × risultato) / Σ pesi.".to_string()
    }];
    let (mut somma, mut pesi, mut termini) = (0.0, 0.0, Vec::new());
    for v in voci {
        match v.punteggio {
            Some(p) => {
                let peso = if uguali { 1.0 } else { v.peso.unwrap_or(0.0) };
                somma += peso * p;
                pesi += peso;
                termini.push(if uguali {
                    numero(p)
                } else {
                    format!("{} × {}", numero(peso), numero(p))
                });
                perche.push(if uguali {
                    format!("Obiettivo {}: {}.", v.numero, percento(p))
                } else {
                    format!(
                        "Obiettivo {}: {} × {} = {}.",
                        v.numero,
                        percento(peso),
                        percento(p),
                        numero(peso * p / 100.0)
                    )
                });
            }
            None => perche.push(format!(
                "Obiettivo {}: non valutabile, escluso; i pesi degli altri si ridistribuiscono.",
                v.numero
            )),
        }
    }
    if pesi <= 0.0 {
        return None;
    }
    let valore = arrotonda(somma / pesi);
    perche.push(format!(
        "Risultato: ({}) / {} = {}.",
        termini.join(" + "),
        numero(pesi),
        percento(valore)
    ));
    Some(Punteggio {
        valore,
        mostrato: valore,
        perche,
    })
}

/// The ente's achievement: the average of its strutture (`(nome, result, FTE)`), equal or
/// weighted by staff; with no staff recorded, the same for all.
pub fn ente(media: Media, strutture: &[(String, f64, f64)]) -> Option<Punteggio> {
    if strutture.is_empty() {
        return None;
    }
    let fte_totale: f64 = strutture.iter().map(|s| s.2).sum();
    let per_fte = media == Media::Fte && fte_totale > 0.0;
    let mut perche = vec![if per_fte {
        "Ente: media delle strutture pesata sul personale (equivalenti a tempo pieno).".to_string()
    } else if media == Media::Fte {
        "Ente: media semplice delle strutture (nessun personale assegnato da cui pesarle)."
            .to_string()
    } else {
        "Ente: media semplice delle strutture.".to_string()
    }];
    let (mut somma, mut pesi, mut termini) = (0.0, 0.0, Vec::new());
    for (nome, v, fte) in strutture {
        let peso = if per_fte { *fte } else { 1.0 };
        somma += peso * v;
        pesi += peso;
        termini.push(if per_fte {
            format!("{} × {}", numero(peso), numero(*v))
        } else {
            numero(*v)
        });
        perche.push(if per_fte {
            format!("{nome}: {} × {} FTE.", percento(*v), numero(*fte))
        } else {
            format!("{nome}: {}.", percento(*v))
        });
    }
    let valore = arrotonda(somma / pesi);
    perche.push(format!(
        "Risultato: ({}) / {} = {}.",
        termini.join(" + "),
        numero(pesi),
        percento(valore)
    ));
    Some(Punteggio {
        valore,
        mostrato: valore,
        perche,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, g: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, g).unwrap()
    }

    fn fase(n: &str, peso: Option<f64>, c: f64) -> FaseEsito {
        FaseEsito {
            numero: n.into(),
            peso,
            completamento: Some(c),
            scadenza: Some(d(2022, 6, 30)),
            conclusa_il: None,
        }
    }

    #[test]
    fn fasi_weighted_and_equal() {
        let p = Profilo::default();
        // 40 × 100 + 60 × 54,17 = 7250,2 → / 100 = 72,5.
        let r = fasi(
            &p,
            &[
                fase("1.1", Some(40.0), 100.0),
                fase("1.2", Some(60.0), 54.17),
            ],
        )
        .unwrap();
        assert_eq!(r.valore, 72.5);
        assert_eq!(
            r.perche.last().unwrap(),
            "Risultato: (40 × 100 + 60 × 54,17) / 100 = 72,5%."
        );
        // No weights: the plain average.
        let r = fasi(&p, &[fase("1.1", None, 100.0), fase("1.2", None, 45.0)]).unwrap();
        assert_eq!(r.valore, 72.5);
        assert!(fasi(
            &p,
            &[FaseEsito {
                completamento: None,
                ..fase("1.1", None, 0.0)
            }]
        )
        .unwrap_err()
        .contains("1.1"));
    }

    #[test]
    fn lateness_penalty_per_started_30_days() {
        let p = Profilo {
            penalita: 5.0,
            ..Profilo::default()
        };
        let mut f = fase("1.1", Some(50.0), 100.0);
        // 31 days late: two periods, −10.
        f.conclusa_il = Some(d(2022, 7, 31));
        let g = FaseEsito {
            conclusa_il: Some(d(2022, 6, 30)),
            ..fase("1.2", Some(50.0), 100.0)
        };
        assert_eq!(periodi_di_ritardo(d(2022, 6, 30), d(2022, 7, 30)), 1);
        assert_eq!(periodi_di_ritardo(d(2022, 6, 30), d(2022, 7, 31)), 2);
        let r = fasi(&p, &[f.clone(), g]).unwrap();
        assert_eq!(r.valore, 95.0);
        assert!(r.perche[1].contains("−10 punti"));
        // Without a penalty in the profile, lateness costs nothing.
        assert_eq!(fasi(&Profilo::default(), &[f]).unwrap().valore, 100.0);
        // The penalty never takes a phase below zero.
        let p = Profilo {
            penalita: 100.0,
            ..Profilo::default()
        };
        let f = FaseEsito {
            conclusa_il: Some(d(2022, 12, 31)),
            ..fase("1.1", None, 30.0)
        };
        assert_eq!(fasi(&p, &[f]).unwrap().valore, 0.0);
    }

    #[test]
    fn indicators_threshold_cap_and_inverse() {
        let p = Profilo::default();
        let n = |a: f64, e: f64, dec: bool| Misura::Numero {
            atteso: a,
            effettivo: Some(e),
            decrescente: dec,
        };
        // 80 of 100: 80%.
        assert_eq!(misura(&p, &n(100.0, 80.0, false)).unwrap().0, 80.0);
        // 49 of 100: under the 50% threshold, 0.
        assert_eq!(misura(&p, &n(100.0, 49.0, false)).unwrap().0, 0.0);
        // Exactly at the threshold counts.
        assert_eq!(misura(&p, &n(100.0, 50.0, false)).unwrap().0, 50.0);
        // 130 of 100: counts 100, shows 120.
        let (v, s, _) = misura(&p, &n(100.0, 130.0, false)).unwrap();
        assert_eq!((v, s), (100.0, 120.0));
        // Lower is better: 30 days wanted, 40 taken: 75%.
        assert_eq!(misura(&p, &n(30.0, 40.0, true)).unwrap().0, 75.0);
        // Zero days taken where lower is better: the most.
        assert_eq!(misura(&p, &n(30.0, 0.0, true)).unwrap().0, 100.0);
        // A different threshold.
        let q = Profilo {
            soglia: 80.0,
            ..Profilo::default()
        };
        assert_eq!(misura(&q, &n(100.0, 79.0, false)).unwrap().0, 0.0);
        // Yes/no and by-date.
        assert_eq!(
            misura(
                &p,
                &Misura::SiNo {
                    effettivo: Some(true)
                }
            )
            .unwrap()
            .0,
            100.0
        );
        assert_eq!(
            misura(
                &p,
                &Misura::Data {
                    atteso: d(2022, 9, 30),
                    effettivo: Some(d(2022, 10, 1))
                }
            )
            .unwrap()
            .0,
            0.0
        );
        assert_eq!(
            misura(
                &p,
                &Misura::Data {
                    atteso: d(2022, 9, 30),
                    effettivo: Some(d(2022, 9, 30))
                }
            )
            .unwrap()
            .0,
            100.0
        );
        // The average of three: (80 + 100 + 0) / 3 = 60.
        let r = indicatori(
            &p,
            &[
                ("a".into(), n(100.0, 80.0, false)),
                ("b".into(), n(100.0, 130.0, false)),
                ("c".into(), n(100.0, 10.0, false)),
            ],
        )
        .unwrap();
        assert_eq!(r.valore, 60.0);
        assert_eq!(r.mostrato, 66.67);
        assert!(indicatori(&p, &[]).is_err());
    }

    #[test]
    fn mixed_method() {
        let p = Profilo {
            alfa: 40.0,
            ..Profilo::default()
        };
        let r = obiettivo(
            &p,
            Metodo::Misto,
            &[fase("1", None, 100.0)],
            &[(
                "x".into(),
                Misura::Numero {
                    atteso: 200.0,
                    effettivo: Some(120.0),
                    decrescente: false,
                },
            )],
        )
        .unwrap();
        // 0,4 × 100 + 0,6 × 60 = 76.
        assert_eq!(r.valore, 76.0);
    }

    #[test]
    fn struttura_renormalises_after_non_valutabile() {
        let v = |n: &str, peso: f64, p: Option<f64>| Voce {
            numero: n.into(),
            peso: Some(peso),
            punteggio: p,
        };
        // 30 × 100 + 50 × 60 + 20 × 50 = 7000 / 100 = 70.
        let r = struttura(&[
            v("1", 30.0, Some(100.0)),
            v("2", 50.0, Some(60.0)),
            v("3", 20.0, Some(50.0)),
        ])
        .unwrap();
        assert_eq!(r.valore, 70.0);
        // The third out: (3000 + 3000) / 80 = 75.
        let r = struttura(&[
            v("1", 30.0, Some(100.0)),
            v("2", 50.0, Some(60.0)),
            v("3", 20.0, None),
        ])
        .unwrap();
        assert_eq!(r.valore, 75.0);
        assert!(r.perche.iter().any(|l| l.contains("non valutabile")));
        assert!(struttura(&[v("1", 100.0, None)]).is_none());
    }

    #[test]
    fn ente_equal_or_by_fte() {
        let s = [("A".to_string(), 80.0, 3.0), ("B".to_string(), 60.0, 1.0)];
        assert_eq!(ente(Media::Uguale, &s).unwrap().valore, 70.0);
        // (80 × 3 + 60 × 1) / 4 = 75.
        assert_eq!(ente(Media::Fte, &s).unwrap().valore, 75.0);
        // No staff recorded: the plain average.
        let s0 = [("A".to_string(), 80.0, 0.0), ("B".to_string(), 60.0, 0.0)];
        assert_eq!(ente(Media::Fte, &s0).unwrap().valore, 70.0);
        assert!(ente(Media::Uguale, &[]).is_none());
    }

    #[test]
    fn labels_and_profile_checks() {
        let p = Profilo::default();
        assert_eq!(p.etichetta(90.0), "Raggiunto");
        assert_eq!(p.etichetta(89.99), "Parzialmente raggiunto");
        assert_eq!(p.etichetta(50.0), "Parzialmente raggiunto");
        assert_eq!(p.etichetta(49.99), "Non raggiunto");
        assert!(p.controlla().is_ok());
        let bad = Profilo {
            parziale: 95.0,
            ..Profilo::default()
        };
        assert!(bad.controlla().is_err());
        let bad = Profilo {
            alfa: 101.0,
            ..Profilo::default()
        };
        assert!(bad.controlla().is_err());
    }

    #[test]
    fn profiles_compared_and_adopted_field_by_field() {
        let ente = Profilo::default();
        let studio = Profilo {
            soglia: 60.0,
            penalita: 5.0,
            ..Profilo::default()
        };
        assert_eq!(
            ente.differenze(&studio),
            vec![Campo::Penalita, Campo::Soglia]
        );
        let preso = ente.con(&studio, &[Campo::Soglia]);
        assert_eq!((preso.soglia, preso.penalita), (60.0, 0.0));
    }

    #[test]
    fn indicator_from_its_form() {
        assert_eq!(
            Misura::da_modulo("numero", true, "30", "", "", "", "").unwrap(),
            Misura::Numero {
                atteso: 30.0,
                effettivo: None,
                decrescente: true
            }
        );
        assert!(Misura::da_modulo("numero", false, "", "3", "", "", "")
            .unwrap_err()
            .starts_with("Valore atteso"));
        assert!(Misura::da_modulo("numero", false, "3", "tre", "", "", "")
            .unwrap_err()
            .starts_with("Valore effettivo"));
        assert_eq!(
            Misura::da_modulo("si_no", false, "", "", "si", "", "").unwrap(),
            Misura::SiNo {
                effettivo: Some(true)
            }
        );
        assert!(Misura::da_modulo("data", false, "", "", "", "", "").is_err());
        assert!(Misura::da_modulo("altro", false, "", "", "", "", "").is_err());
    }

    #[test]
    fn profile_from_its_form() {
        let e = || ["A".to_string(), "B".to_string(), "C".to_string()];
        let p =
            Profilo::da_modulo("misto", "40", "5", "50", "120", "fte", "90", "50", e()).unwrap();
        assert_eq!(
            (p.metodo, p.alfa, p.penalita, p.media),
            (Metodo::Misto, 40.0, 5.0, Media::Fte)
        );
        let err = Profilo::da_modulo(
            "fasi",
            "quaranta",
            "0",
            "50",
            "120",
            "uguale",
            "90",
            "50",
            e(),
        )
        .unwrap_err();
        assert!(err.starts_with("Quota delle fasi"), "{err}");
        assert!(
            Profilo::da_modulo("altro", "40", "0", "50", "120", "uguale", "90", "50", e()).is_err()
        );
        let vuote = ["".to_string(), "B".to_string(), "C".to_string()];
        assert!(
            Profilo::da_modulo("fasi", "40", "0", "50", "120", "uguale", "90", "50", vuote)
                .is_err()
        );
    }

    #[test]
    fn numbers_read_and_written_the_italian_way() {
        assert_eq!(leggi_numero("1500").unwrap(), 1500.0);
        assert_eq!(leggi_numero("1.500").unwrap(), 1500.0);
        assert_eq!(leggi_numero("12,5").unwrap(), 12.5);
        assert_eq!(leggi_numero("1.500,75").unwrap(), 1500.75);
        assert_eq!(leggi_numero("12.5").unwrap(), 12.5);
        assert!(leggi_numero("abc").is_err());
        assert!(leggi_numero("-3").is_err());
        assert!(leggi_numero("1e5").is_err());
        assert!(leggi_numero("").is_err());
        assert_eq!(numero(72.5), "72,5");
        assert_eq!(numero(66.666), "66,67");
        assert_eq!(percento(100.0), "100%");
    }
}
