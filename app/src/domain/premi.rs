//! The premi engine of the CCNL Funzioni Locali for a comune: how the fund for performance
//! premi is split among the evaluated staff, per pool (personale del comparto, titolari di
//! Elevata Qualificazione), with the access threshold, the score curve, part-time and
//! presence, the exclusion for disciplinary sanctions and the art. 81 bonus to the best; and
//! the aggregate tables that art. 20 D.Lgs 33/2013 asks to publish. Every number is a
//! parameter; all money is integer cents, so that what is paid plus what is left is the fund
//! to the cent. Pure: the page and the server run the same functions.

use serde::{Deserialize, Serialize};

use super::smvp::{leggi_numero, numero};

/// The two pools: each has its own fund and its own split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Categoria {
    Eq,
    Personale,
}

impl Categoria {
    /// In the order the results are shown: the comparto first.
    pub const TUTTI: [Categoria; 2] = [Categoria::Personale, Categoria::Eq];

    pub fn codice(self) -> &'static str {
        match self {
            Categoria::Eq => "eq",
            Categoria::Personale => "personale",
        }
    }

    pub fn da_codice(s: &str) -> Option<Categoria> {
        Categoria::TUTTI.into_iter().find(|c| c.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Categoria::Eq => "Titolari di Elevata Qualificazione",
            Categoria::Personale => "Personale del comparto",
        }
    }
}

/// The rules a contract sets, so that a later CCNL is one more row, not new code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Regole {
    /// The least bonus, in % of the average per-head premio.
    pub minimo: f64,
    /// The article that sets it.
    pub articolo: &'static str,
    pub label: &'static str,
}

/// The contract whose rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ccnl {
    #[serde(rename = "cfl_2019_2021")]
    Cfl2019_2021,
}

impl Ccnl {
    pub const TUTTI: [Ccnl; 1] = [Ccnl::Cfl2019_2021];

    pub fn codice(self) -> &'static str {
        match self {
            Ccnl::Cfl2019_2021 => "cfl_2019_2021",
        }
    }

    pub fn da_codice(s: &str) -> Option<Ccnl> {
        Ccnl::TUTTI.into_iter().find(|c| c.codice() == s)
    }

    pub fn regole(self) -> Regole {
        match self {
            Ccnl::Cfl2019_2021 => Regole {
                minimo: 30.0,
                articolo: "art. 81",
                label: "CCNL Funzioni Locali 16/11/2022",
            },
        }
    }

    pub fn label(self) -> &'static str {
        self.regole().label
    }
}

/// How a score becomes the share f of a full premio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Curva {
    /// f = score / 100.
    Proporzionale,
    /// f = 1 from `piena`, score / 100 from the threshold up to it, 0 below.
    Fasce,
}

impl Curva {
    pub const TUTTI: [Curva; 2] = [Curva::Proporzionale, Curva::Fasce];

    pub fn codice(self) -> &'static str {
        match self {
            Curva::Proporzionale => "proporzionale",
            Curva::Fasce => "fasce",
        }
    }

    pub fn da_codice(s: &str) -> Option<Curva> {
        Curva::TUTTI.into_iter().find(|c| c.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Curva::Proporzionale => "Proporzionale al punteggio",
            Curva::Fasce => "A fasce (premio pieno dal punteggio indicato)",
        }
    }
}

/// How a part-timer's premio relates to a full-timer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartTime {
    /// In proportion to the hours.
    ProRata,
    /// As a full-timer.
    Pieno,
    /// A fixed share for every part-timer (`part_time_quota`).
    Personalizzato,
}

impl PartTime {
    pub const TUTTI: [PartTime; 3] = [PartTime::ProRata, PartTime::Pieno, PartTime::Personalizzato];

    pub fn codice(self) -> &'static str {
        match self {
            PartTime::ProRata => "pro_rata",
            PartTime::Pieno => "pieno",
            PartTime::Personalizzato => "personalizzato",
        }
    }

    pub fn da_codice(s: &str) -> Option<PartTime> {
        PartTime::TUTTI.into_iter().find(|c| c.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PartTime::ProRata => "In proporzione all'orario di lavoro",
            PartTime::Pieno => "Come il tempo pieno",
            PartTime::Personalizzato => "Quota fissa per il part-time",
        }
    }
}

/// Whether absences reduce the premio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presenza {
    Nessuna,
    /// (days of service − absences) / days of the year.
    ProRata,
}

impl Presenza {
    pub const TUTTI: [Presenza; 2] = [Presenza::Nessuna, Presenza::ProRata];

    pub fn codice(self) -> &'static str {
        match self {
            Presenza::Nessuna => "nessuna",
            Presenza::ProRata => "pro_rata",
        }
    }

    pub fn da_codice(s: &str) -> Option<Presenza> {
        Presenza::TUTTI.into_iter().find(|c| c.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Presenza::Nessuna => "Le assenze non riducono il premio",
            Presenza::ProRata => "In proporzione ai giorni di presenza",
        }
    }
}

/// The disciplinary sanctions by level (the index is the level); 5 in the parameters means
/// that no sanction excludes.
pub const SANZIONI: [&str; 5] = [
    "Nessuna",
    "Rimprovero verbale o scritto",
    "Multa",
    "Sospensione dal servizio fino a 10 giorni",
    "Sospensione dal servizio oltre 10 giorni",
];

/// The tie-break, as the page states it.
pub const ORDINE_PARITA: &str = "Ordine della graduatoria: punteggio più alto; a parità di \
punteggio, punteggio più alto nei comportamenti organizzativi; poi maggiore presenza in \
servizio (giorni di servizio meno assenze, sui giorni dell'anno); infine matricola in ordine \
crescente.";

/// A band of the art. 20 tables with fewer people than this is merged with its neighbour,
/// so that no premio can be traced to a person.
pub const PERSONE_MINIME_FASCIA: usize = 3;

/// The most a fund may be, in euro: well above any comune's, a guard against typos.
pub const FONDO_MASSIMO: f64 = 100_000_000.0;

/// The parameters of a year's split. Real enti differ: every number is a parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parametri {
    pub ccnl: Ccnl,
    /// The comparto's fund, in euro.
    pub fondo_personale: f64,
    /// The Elevate Qualificazioni's fund, in euro.
    pub fondo_eq: f64,
    /// The access threshold (score 0–100).
    pub soglia: f64,
    pub curva: Curva,
    /// Fasce: from this score the premio is full.
    pub piena: f64,
    /// The art. 81 bonus, in % of the average per-head premio.
    pub maggiorazione: f64,
    /// The % of those evaluated (per pool) who get the bonus.
    pub quota: f64,
    pub part_time: PartTime,
    /// Personalizzato: the % a part-timer counts.
    pub part_time_quota: f64,
    pub presenza: Presenza,
    /// A sanction of this level or above excludes (5: none does).
    pub sanzione_esclude: u8,
    /// The art. 20 score bands: ≥ [0] / [1] to below [0] / < [1].
    pub fasce_art20: [f64; 2],
}

impl Default for Parametri {
    fn default() -> Parametri {
        Parametri {
            ccnl: Ccnl::Cfl2019_2021,
            fondo_personale: 0.0,
            fondo_eq: 0.0,
            soglia: 60.0,
            curva: Curva::Fasce,
            piena: 95.0,
            maggiorazione: 30.0,
            quota: 10.0,
            part_time: PartTime::ProRata,
            part_time_quota: 100.0,
            presenza: Presenza::ProRata,
            sanzione_esclude: 3,
            fasce_art20: [90.0, 60.0],
        }
    }
}

impl Parametri {
    /// The fund of a pool, in euro.
    pub fn fondo(&self, categoria: Categoria) -> f64 {
        match categoria {
            Categoria::Eq => self.fondo_eq,
            Categoria::Personale => self.fondo_personale,
        }
    }

    /// Every problem at once, as (field, message), so that a form can mark each field.
    pub fn valida(&self) -> Result<(), Vec<(&'static str, String)>> {
        let entro = |v: f64, da: f64, a: f64| v.is_finite() && v >= da && v <= a;
        let mut errori: Vec<(&'static str, String)> = Vec::new();
        for (campo, valore, nome) in [
            ("fondo_personale", self.fondo_personale, "del personale"),
            ("fondo_eq", self.fondo_eq, "delle Elevate Qualificazioni"),
        ] {
            if !entro(valore, 0.0, FONDO_MASSIMO) {
                errori.push((
                    campo,
                    format!("Il fondo {nome} deve essere un importo tra 0 e 100.000.000 €."),
                ));
            }
        }
        if !entro(self.soglia, 0.0, 100.0) {
            errori.push((
                "soglia",
                "La soglia di accesso al premio va da 0 a 100.".into(),
            ));
        }
        if !entro(self.piena, 0.0, 100.0) {
            errori.push((
                "piena",
                "Il punteggio del premio pieno va da 0 a 100.".into(),
            ));
        } else if entro(self.soglia, 0.0, 100.0) && self.piena < self.soglia {
            errori.push((
                "piena",
                "Il punteggio del premio pieno non può essere inferiore alla soglia di accesso."
                    .into(),
            ));
        }
        let regole = self.ccnl.regole();
        if !entro(self.maggiorazione, regole.minimo, f64::INFINITY) {
            errori.push((
                "maggiorazione",
                format!(
                    "La maggiorazione deve essere almeno il {}% del premio medio ({} del {}).",
                    numero(regole.minimo),
                    regole.articolo,
                    regole.label
                ),
            ));
        } else if self.maggiorazione > 100.0 {
            errori.push((
                "maggiorazione",
                "La maggiorazione non può superare il 100% del premio medio.".into(),
            ));
        }
        if !entro(self.quota, 0.0, 100.0) {
            errori.push((
                "quota",
                "La quota del personale che riceve la maggiorazione va da 0 a 100%.".into(),
            ));
        }
        if !(entro(self.part_time_quota, 0.0, 100.0) && self.part_time_quota > 0.0) {
            errori.push((
                "part_time_quota",
                "La quota del premio per il part-time deve essere maggiore di 0 e al massimo 100%."
                    .into(),
            ));
        }
        if !(1..=5).contains(&self.sanzione_esclude) {
            errori.push((
                "sanzione_esclude",
                "Scegli dall'elenco la sanzione disciplinare che esclude dal premio.".into(),
            ));
        }
        let [alta, bassa] = self.fasce_art20;
        if !(entro(alta, 0.0, 100.0) && entro(bassa, 0.0, 100.0) && alta > bassa) {
            errori.push((
                "fasce_art20",
                "I limiti delle fasce di punteggio per la pubblicazione (art. 20 D.Lgs 33/2013) \
                 vanno da 0 a 100, il primo più alto del secondo."
                    .into(),
            ));
        }
        if errori.is_empty() {
            Ok(())
        } else {
            Err(errori)
        }
    }
}

/// One evaluated person, as the split needs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    /// The matricola: unique, and the last tie-break.
    pub chiave: String,
    pub nome: String,
    pub categoria: Categoria,
    /// The evaluation's score, 0–100.
    pub punteggio: f64,
    /// The score of the behaviours (comportamenti organizzativi), 0–100: the first tie-break.
    pub comportamenti: f64,
    /// % of full time, in (0, 100].
    pub tempo: f64,
    pub giorni_servizio: u32,
    pub giorni_anno: u32,
    /// The absences that count. Maternity, paternity and parental leave never count
    /// (D.Lgs 150/2009 art. 9 c. 3): they are not entered here.
    pub assenze: u32,
    /// The level of the year's disciplinary sanction (index into [`SANZIONI`]).
    pub sanzione: u8,
}

/// Why a person does or does not share the fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Esito {
    Ammesso,
    SottoSoglia,
    /// Excluded by a disciplinary sanction.
    Esclusa,
    /// Not a single day of service that counts (or no hours): a share of 0.
    Assente,
}

impl Esito {
    pub const TUTTI: [Esito; 4] = [
        Esito::Ammesso,
        Esito::SottoSoglia,
        Esito::Esclusa,
        Esito::Assente,
    ];

    pub fn codice(self) -> &'static str {
        match self {
            Esito::Ammesso => "ammesso",
            Esito::SottoSoglia => "sotto_soglia",
            Esito::Esclusa => "esclusa",
            Esito::Assente => "assente",
        }
    }

    pub fn da_codice(s: &str) -> Option<Esito> {
        Esito::TUTTI.into_iter().find(|e| e.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Esito::Ammesso => "Ammesso al premio",
            Esito::SottoSoglia => "Punteggio sotto la soglia di accesso",
            Esito::Esclusa => "Escluso per sanzione disciplinare",
            Esito::Assente => "Nessun giorno di presenza utile",
        }
    }
}

/// One person's premio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quota {
    pub chiave: String,
    pub nome: String,
    pub punteggio: f64,
    pub esito: Esito,
    /// q = f(score) × part-time factor × presence factor; 0 unless Ammesso.
    pub coefficiente: f64,
    /// Cents.
    pub base: i64,
    /// Cents: the art. 81 bonus, 0 for who does not get it.
    pub maggiorazione: i64,
}

impl Quota {
    /// Cents.
    pub fn totale(&self) -> i64 {
        self.base + self.maggiorazione
    }
}

/// The split of one pool. Amounts in cents; `pagato + resto == fondo` exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ripartizione {
    pub categoria: Categoria,
    pub fondo: i64,
    pub pagato: i64,
    /// What is left: the cents the floors leave, or the whole fund when nobody is ammesso.
    pub resto: i64,
    pub valutati: usize,
    pub ammessi: usize,
    pub beneficiari_maggiorazione: usize,
    /// fondo / ammessi, floor.
    pub media_pro_capite: i64,
    /// The bonus each beneficiary gets (0 when nobody does).
    pub importo_maggiorazione: i64,
    /// Everyone evaluated, in the order of [`ORDINE_PARITA`].
    pub quote: Vec<Quota>,
}

/// Coefficients and the bonus % are fixed to this many parts per unit, so that the split is
/// integer arithmetic: floors of exact fractions can never add up to more than the rest.
const SCALA_COEFFICIENTE: f64 = 1e12;
const SCALA_PERCENTO: f64 = 1e6;

/// Euro to cents; what is not a sane amount is 0 (valida() has already refused it).
fn centesimi(euro: f64) -> i64 {
    if euro.is_finite() && euro > 0.0 {
        (euro.min(FONDO_MASSIMO) * 100.0).round() as i64
    } else {
        0
    }
}

/// A % with up to six decimals as an exact integer (30 → 30_000_000).
fn percento_fisso(v: f64) -> i128 {
    if v.is_finite() {
        (v.clamp(0.0, 100.0) * SCALA_PERCENTO).round() as i128
    } else {
        0
    }
}

fn fattore(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// f(score): the share of a full premio the score earns.
fn curva(p: &Parametri, punteggio: f64) -> f64 {
    let f = match p.curva {
        Curva::Proporzionale => punteggio / 100.0,
        Curva::Fasce if punteggio >= p.piena => 1.0,
        Curva::Fasce if punteggio >= p.soglia => punteggio / 100.0,
        Curva::Fasce => 0.0,
    };
    fattore(f)
}

fn fattore_part_time(p: &Parametri, tempo: f64) -> f64 {
    match p.part_time {
        PartTime::ProRata => fattore(tempo / 100.0),
        PartTime::Pieno => 1.0,
        PartTime::Personalizzato if tempo < 100.0 => fattore(p.part_time_quota / 100.0),
        PartTime::Personalizzato => 1.0,
    }
}

/// The share of the year actually in service; a year of 0 days is taken as full presence.
fn presenza_effettiva(x: &Persona) -> f64 {
    if x.giorni_anno == 0 {
        return 1.0;
    }
    let utili = x.giorni_servizio.saturating_sub(x.assenze);
    fattore(f64::from(utili) / f64::from(x.giorni_anno))
}

fn fattore_presenza(p: &Parametri, x: &Persona) -> f64 {
    match p.presenza {
        Presenza::Nessuna => 1.0,
        Presenza::ProRata => presenza_effettiva(x),
    }
}

/// A score as the ordering sees it: what is not a number comes last.
fn ordinabile(v: f64) -> f64 {
    if v.is_nan() {
        f64::NEG_INFINITY
    } else {
        v
    }
}

/// How many of `valutati` get the bonus: floor(quota × N / 100), at most the ammessi.
fn beneficiari(quota: f64, valutati: usize, ammessi: usize) -> usize {
    let k = percento_fisso(quota) * valutati as i128 / (100 * SCALA_PERCENTO as i128);
    (k as usize).min(ammessi)
}

/// Splits each pool's fund. Assumes `p.valida()` passed; odd persons' figures are clamped
/// rather than trusted. One result per pool that has people or a fund, comparto first.
pub fn ripartisci(p: &Parametri, persone: &[Persona]) -> Vec<Ripartizione> {
    Categoria::TUTTI
        .into_iter()
        .filter_map(|categoria| {
            let fondo = centesimi(p.fondo(categoria));
            let membri: Vec<&Persona> = persone
                .iter()
                .filter(|x| x.categoria == categoria)
                .collect();
            (!membri.is_empty() || fondo > 0).then(|| ripartisci_pool(p, categoria, fondo, membri))
        })
        .collect()
}

fn ripartisci_pool(
    p: &Parametri,
    categoria: Categoria,
    fondo: i64,
    mut membri: Vec<&Persona>,
) -> Ripartizione {
    membri.sort_by(|a, b| {
        ordinabile(b.punteggio)
            .total_cmp(&ordinabile(a.punteggio))
            .then(ordinabile(b.comportamenti).total_cmp(&ordinabile(a.comportamenti)))
            .then(presenza_effettiva(b).total_cmp(&presenza_effettiva(a)))
            .then_with(|| a.chiave.cmp(&b.chiave))
    });
    let mut quote: Vec<Quota> = membri
        .iter()
        .map(|x| {
            let q = curva(p, x.punteggio) * fattore_part_time(p, x.tempo) * fattore_presenza(p, x);
            // Sanction first: an excluded person is excluded whatever the score.
            let esito = if x.sanzione >= p.sanzione_esclude {
                Esito::Esclusa
            } else if x.punteggio < p.soglia || curva(p, x.punteggio) <= 0.0 {
                // A score that is not a number has f = 0: it lands here too.
                Esito::SottoSoglia
            } else if q <= 0.0 {
                Esito::Assente
            } else {
                Esito::Ammesso
            };
            Quota {
                chiave: x.chiave.clone(),
                nome: x.nome.clone(),
                punteggio: x.punteggio,
                esito,
                coefficiente: if esito == Esito::Ammesso { q } else { 0.0 },
                base: 0,
                maggiorazione: 0,
            }
        })
        .collect();

    let valutati = quote.len();
    let ammessi = quote.iter().filter(|q| q.esito == Esito::Ammesso).count();
    let k = beneficiari(p.quota, valutati, ammessi);
    let media = if ammessi > 0 {
        fondo / ammessi as i64
    } else {
        0
    };
    // The bonus is at most the average (maggiorazione ≤ 100%), so K bonuses never exceed
    // ammessi × media ≤ fondo.
    let bonus = if k > 0 {
        let b =
            i128::from(media) * percento_fisso(p.maggiorazione) / (100 * SCALA_PERCENTO as i128);
        (b as i64).clamp(0, media)
    } else {
        0
    };
    let resto_da_dividere = fondo - k as i64 * bonus;

    // The bonus goes to the first K ammessi in the order of the ranking.
    for q in quote
        .iter_mut()
        .filter(|q| q.esito == Esito::Ammesso)
        .take(k)
    {
        q.maggiorazione = bonus;
    }

    // The rest, in proportion to q, with integer weights: Σ floor(R·wᵢ/W) ≤ R.
    let pesi: Vec<i128> = quote
        .iter()
        .map(|q| {
            if q.esito == Esito::Ammesso {
                ((q.coefficiente * SCALA_COEFFICIENTE).round() as i128).max(1)
            } else {
                0
            }
        })
        .collect();
    let totale_pesi: i128 = pesi.iter().sum();
    if totale_pesi > 0 && resto_da_dividere > 0 {
        for (q, w) in quote.iter_mut().zip(&pesi) {
            q.base = (i128::from(resto_da_dividere) * w / totale_pesi) as i64;
        }
    }

    let pagato: i64 = quote.iter().map(Quota::totale).sum();
    debug_assert!(pagato <= fondo);
    Ripartizione {
        categoria,
        fondo,
        pagato,
        resto: fondo - pagato,
        valutati,
        ammessi,
        beneficiari_maggiorazione: k,
        media_pro_capite: media,
        importo_maggiorazione: bonus,
        quote,
    }
}

/// One score band of the art. 20 tables. Amounts in cents, over the band's premi > 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fascia {
    /// "≥ 90", "60–89", "< 60", or a merged band's range ("≥ 60").
    pub etichetta: String,
    pub persone: usize,
    /// % of the evaluated.
    pub percentuale: f64,
    pub minimo: i64,
    pub media: i64,
    pub massimo: i64,
}

/// What art. 20 D.Lgs 33/2013 publishes of a pool: aggregates only. Amounts in cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Art20 {
    pub categoria: Categoria,
    pub stanziato: i64,
    pub erogato: i64,
    pub valutati: usize,
    /// From the highest band down.
    pub fasce: Vec<Fascia>,
    /// Over the persons with a premio > 0.
    pub minimo: i64,
    pub media: i64,
    pub massimo: i64,
    /// % of the evaluated who got the art. 81 bonus.
    pub percentuale_maggiorazione: f64,
    /// Highest premio / lowest premio (> 0): how selective the split is.
    pub rapporto_max_min: Option<f64>,
    /// Population standard deviation / mean of the premi > 0.
    pub coefficiente_variazione: Option<f64>,
}

/// (min, rounded mean, max) of the amounts > 0; zeros when there are none.
fn statistiche(premi: &[i64]) -> (i64, i64, i64) {
    let positivi: Vec<i64> = premi.iter().copied().filter(|&v| v > 0).collect();
    if positivi.is_empty() {
        return (0, 0, 0);
    }
    let n = positivi.len() as i128;
    let somma: i128 = positivi.iter().map(|&v| i128::from(v)).sum();
    let media = ((somma + n / 2) / n) as i64;
    let min = positivi.iter().copied().min().unwrap_or(0);
    let max = positivi.iter().copied().max().unwrap_or(0);
    (min, media, max)
}

fn percentuale(parte: usize, tutto: usize) -> f64 {
    if tutto == 0 {
        0.0
    } else {
        parte as f64 * 100.0 / tutto as f64
    }
}

/// A band's range as people read it; `da` included, `a` excluded, None: unbounded.
fn etichetta_fascia(da: Option<f64>, a: Option<f64>) -> String {
    match (da, a) {
        (None, None) => "Tutti i punteggi".into(),
        (Some(d), None) => format!("≥ {}", numero(d)),
        (None, Some(a)) => format!("< {}", numero(a)),
        // Scores are usually whole: "60–89" reads better than "da 60 a meno di 90".
        (Some(d), Some(a)) if a.fract() == 0.0 && a - 1.0 >= d => {
            format!("{}–{}", numero(d), numero(a - 1.0))
        }
        (Some(d), Some(a)) => format!("da {} a meno di {}", numero(d), numero(a)),
    }
}

struct Gruppo {
    da: Option<f64>,
    a: Option<f64>,
    premi: Vec<i64>,
}

/// The art. 20 tables of each pool's split, with bands too small to publish merged.
pub fn tabelle_art20(p: &Parametri, r: &[Ripartizione]) -> Vec<Art20> {
    let [alta, bassa] = p.fasce_art20;
    r.iter()
        .map(|rip| {
            let mut gruppi = vec![
                Gruppo {
                    da: Some(alta),
                    a: None,
                    premi: Vec::new(),
                },
                Gruppo {
                    da: Some(bassa),
                    a: Some(alta),
                    premi: Vec::new(),
                },
                Gruppo {
                    da: None,
                    a: Some(bassa),
                    premi: Vec::new(),
                },
            ];
            for q in &rip.quote {
                let i = if q.punteggio >= alta {
                    0
                } else if q.punteggio >= bassa {
                    1
                } else {
                    2
                };
                gruppi[i].premi.push(q.totale());
            }
            // A non-empty band under the minimum joins the band above it (the top band the
            // one below), until every band is publishable or one is left.
            while gruppi.len() > 1 {
                let Some(i) = (0..gruppi.len()).rev().find(|&i| {
                    let n = gruppi[i].premi.len();
                    n > 0 && n < PERSONE_MINIME_FASCIA
                }) else {
                    break;
                };
                let (sopra, sotto) = if i == 0 { (0, 1) } else { (i - 1, i) };
                let giu = gruppi.remove(sotto);
                let su = &mut gruppi[sopra];
                su.da = giu.da;
                su.premi.extend(giu.premi);
            }
            let fasce = gruppi
                .iter()
                .map(|g| {
                    let (minimo, media, massimo) = statistiche(&g.premi);
                    Fascia {
                        etichetta: etichetta_fascia(g.da, g.a),
                        persone: g.premi.len(),
                        percentuale: percentuale(g.premi.len(), rip.valutati),
                        minimo,
                        media,
                        massimo,
                    }
                })
                .collect();

            let premi: Vec<i64> = rip
                .quote
                .iter()
                .map(Quota::totale)
                .filter(|&v| v > 0)
                .collect();
            let (minimo, media, massimo) = statistiche(&premi);
            let (rapporto_max_min, coefficiente_variazione) = if premi.is_empty() {
                (None, None)
            } else {
                let n = premi.len() as f64;
                let m = premi.iter().map(|&v| v as f64).sum::<f64>() / n;
                let varianza = premi.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / n;
                (
                    Some(massimo as f64 / minimo as f64),
                    Some(varianza.sqrt() / m),
                )
            };
            Art20 {
                categoria: rip.categoria,
                stanziato: rip.fondo,
                erogato: rip.pagato,
                valutati: rip.valutati,
                fasce,
                minimo,
                media,
                massimo,
                percentuale_maggiorazione: percentuale(rip.beneficiari_maggiorazione, rip.valutati),
                rapporto_max_min,
                coefficiente_variazione,
            }
        })
        .collect()
}

/// "1.234,56 €": Italian grouping, decimal comma.
pub fn euro(centesimi: i64) -> String {
    let segno = if centesimi < 0 { "-" } else { "" };
    let c = centesimi.unsigned_abs();
    let cifre = (c / 100).to_string();
    let mut gruppi = String::with_capacity(cifre.len() + cifre.len() / 3);
    for (i, ch) in cifre.chars().enumerate() {
        if i > 0 && (cifre.len() - i).is_multiple_of(3) {
            gruppi.push('.');
        }
        gruppi.push(ch);
    }
    format!("{segno}{gruppi},{:02} €", c % 100)
}

/// The parameters' form, as typed: every field a string, read with `parametri`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ModuloPremi {
    #[serde(default)]
    pub ccnl: String,
    #[serde(default)]
    pub fondo_personale: String,
    #[serde(default)]
    pub fondo_eq: String,
    #[serde(default)]
    pub soglia: String,
    #[serde(default)]
    pub curva: String,
    #[serde(default)]
    pub piena: String,
    #[serde(default)]
    pub maggiorazione: String,
    #[serde(default)]
    pub quota: String,
    #[serde(default)]
    pub part_time: String,
    #[serde(default)]
    pub part_time_quota: String,
    #[serde(default)]
    pub presenza: String,
    #[serde(default)]
    pub sanzione_esclude: String,
    #[serde(default)]
    pub fascia_alta: String,
    #[serde(default)]
    pub fascia_bassa: String,
}

impl ModuloPremi {
    /// The form's fields of `p`, as the page fills them in.
    pub fn da(p: &Parametri) -> ModuloPremi {
        ModuloPremi {
            ccnl: p.ccnl.codice().into(),
            fondo_personale: numero(p.fondo_personale),
            fondo_eq: numero(p.fondo_eq),
            soglia: numero(p.soglia),
            curva: p.curva.codice().into(),
            piena: numero(p.piena),
            maggiorazione: numero(p.maggiorazione),
            quota: numero(p.quota),
            part_time: p.part_time.codice().into(),
            part_time_quota: numero(p.part_time_quota),
            presenza: p.presenza.codice().into(),
            sanzione_esclude: p.sanzione_esclude.to_string(),
            fascia_alta: numero(p.fasce_art20[0]),
            fascia_bassa: numero(p.fasce_art20[1]),
        }
    }

    /// The form's fields as query parameters (a simulation's address).
    pub fn coppie(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ccnl", self.ccnl.clone()),
            ("fondo_personale", self.fondo_personale.clone()),
            ("fondo_eq", self.fondo_eq.clone()),
            ("soglia", self.soglia.clone()),
            ("curva", self.curva.clone()),
            ("piena", self.piena.clone()),
            ("maggiorazione", self.maggiorazione.clone()),
            ("quota", self.quota.clone()),
            ("part_time", self.part_time.clone()),
            ("part_time_quota", self.part_time_quota.clone()),
            ("presenza", self.presenza.clone()),
            ("sanzione_esclude", self.sanzione_esclude.clone()),
            ("fascia_alta", self.fascia_alta.clone()),
            ("fascia_bassa", self.fascia_bassa.clone()),
        ]
    }

    /// The form from query parameters: None when it has no fund (not a simulation).
    pub fn da_coppie(get: impl Fn(&str) -> Option<String>) -> Option<ModuloPremi> {
        let v = |k: &str| get(k).unwrap_or_default();
        get("fondo_personale")?;
        Some(ModuloPremi {
            ccnl: v("ccnl"),
            fondo_personale: v("fondo_personale"),
            fondo_eq: v("fondo_eq"),
            soglia: v("soglia"),
            curva: v("curva"),
            piena: v("piena"),
            maggiorazione: v("maggiorazione"),
            quota: v("quota"),
            part_time: v("part_time"),
            part_time_quota: v("part_time_quota"),
            presenza: v("presenza"),
            sanzione_esclude: v("sanzione_esclude"),
            fascia_alta: v("fascia_alta"),
            fascia_bassa: v("fascia_bassa"),
        })
    }

    /// The parameters, checked; else what could be read (defaults elsewhere) and every
    /// problem as (field, message).
    #[allow(clippy::type_complexity)]
    pub fn parametri(&self) -> Result<Parametri, (Parametri, Vec<(&'static str, String)>)> {
        let mut errori: Vec<(&'static str, String)> = Vec::new();
        let d = Parametri::default();
        let mut num = |campo: &'static str, etichetta: &str, raw: &str, predefinito: f64| {
            let pulito = raw.replace('€', "");
            match leggi_numero(&pulito) {
                Ok(v) => v,
                Err(e) => {
                    errori.push((campo, format!("{etichetta}: {e}")));
                    predefinito
                }
            }
        };
        let fondo_personale = num(
            "fondo_personale",
            "Fondo del personale",
            &self.fondo_personale,
            0.0,
        );
        let fondo_eq = num(
            "fondo_eq",
            "Fondo delle Elevate Qualificazioni",
            &self.fondo_eq,
            0.0,
        );
        let soglia = num("soglia", "Soglia di accesso", &self.soglia, d.soglia);
        let piena = num("piena", "Punteggio del premio pieno", &self.piena, d.piena);
        let maggiorazione = num(
            "maggiorazione",
            "Maggiorazione",
            &self.maggiorazione,
            d.maggiorazione,
        );
        let quota = num(
            "quota",
            "Quota di personale con la maggiorazione",
            &self.quota,
            d.quota,
        );
        let part_time_quota = num(
            "part_time_quota",
            "Quota del part-time",
            &self.part_time_quota,
            d.part_time_quota,
        );
        let alta = num(
            "fascia_alta",
            "Fascia alta",
            &self.fascia_alta,
            d.fasce_art20[0],
        );
        let bassa = num(
            "fascia_bassa",
            "Fascia bassa",
            &self.fascia_bassa,
            d.fasce_art20[1],
        );
        let mut scegli = |campo: &'static str, ok: bool| {
            if !ok {
                errori.push((campo, "Scegli un valore dall'elenco.".into()));
            }
        };
        let ccnl = Ccnl::da_codice(self.ccnl.trim());
        scegli("ccnl", ccnl.is_some());
        let curva = Curva::da_codice(self.curva.trim());
        scegli("curva", curva.is_some());
        let part_time = PartTime::da_codice(self.part_time.trim());
        scegli("part_time", part_time.is_some());
        let presenza = Presenza::da_codice(self.presenza.trim());
        scegli("presenza", presenza.is_some());
        let sanzione = self.sanzione_esclude.trim().parse::<u8>().ok();
        scegli("sanzione_esclude", sanzione.is_some());
        let p = Parametri {
            ccnl: ccnl.unwrap_or(d.ccnl),
            fondo_personale,
            fondo_eq,
            soglia,
            curva: curva.unwrap_or(d.curva),
            piena,
            maggiorazione,
            quota,
            part_time: part_time.unwrap_or(d.part_time),
            part_time_quota,
            presenza: presenza.unwrap_or(d.presenza),
            sanzione_esclude: sanzione.unwrap_or(d.sanzione_esclude),
            fasce_art20: [alta, bassa],
        };
        if let Err(e) = p.valida() {
            errori.extend(e);
        }
        if errori.is_empty() {
            Ok(p)
        } else {
            Err((p, errori))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A full-timer in service all year, no absences, no sanction.
    fn persona(chiave: &str, punteggio: f64) -> Persona {
        Persona {
            chiave: chiave.into(),
            nome: format!("Persona {chiave}"),
            categoria: Categoria::Personale,
            punteggio,
            comportamenti: 50.0,
            tempo: 100.0,
            giorni_servizio: 365,
            giorni_anno: 365,
            assenze: 0,
            sanzione: 0,
        }
    }

    /// The defaults with a comparto fund and no bonus, to look at the base split alone.
    fn senza_maggiorazione(fondo: f64) -> Parametri {
        Parametri {
            fondo_personale: fondo,
            quota: 0.0,
            ..Parametri::default()
        }
    }

    fn una(p: &Parametri, persone: &[Persona]) -> Ripartizione {
        let mut r = ripartisci(p, persone);
        assert_eq!(r.len(), 1);
        r.remove(0)
    }

    fn quota<'a>(r: &'a Ripartizione, chiave: &str) -> &'a Quota {
        r.quote.iter().find(|q| q.chiave == chiave).unwrap()
    }

    /// (esito, base, maggiorazione) of each person, in the ranking's order.
    fn importi(r: &Ripartizione) -> Vec<(&str, Esito, i64, i64)> {
        r.quote
            .iter()
            .map(|q| (q.chiave.as_str(), q.esito, q.base, q.maggiorazione))
            .collect()
    }

    /// Every value of an enum goes to its code and back, and serde writes the same code.
    fn andata_e_ritorno<T: Copy + PartialEq + std::fmt::Debug + Serialize>(
        tutti: &[T],
        codice: fn(T) -> &'static str,
        da_codice: fn(&str) -> Option<T>,
    ) {
        for c in tutti {
            assert_eq!(da_codice(codice(*c)), Some(*c));
            assert_eq!(
                serde_json::to_string(c).unwrap(),
                format!("\"{}\"", codice(*c))
            );
        }
    }

    #[test]
    fn codici_round_trip() {
        andata_e_ritorno(&Categoria::TUTTI, Categoria::codice, Categoria::da_codice);
        andata_e_ritorno(&Ccnl::TUTTI, Ccnl::codice, Ccnl::da_codice);
        andata_e_ritorno(&Curva::TUTTI, Curva::codice, Curva::da_codice);
        andata_e_ritorno(&PartTime::TUTTI, PartTime::codice, PartTime::da_codice);
        andata_e_ritorno(&Presenza::TUTTI, Presenza::codice, Presenza::da_codice);
        andata_e_ritorno(&Esito::TUTTI, Esito::codice, Esito::da_codice);
        assert_eq!(Categoria::da_codice("altro"), None);
        assert_eq!(Ccnl::Cfl2019_2021.regole().minimo, 30.0);
        assert_eq!(
            Ccnl::Cfl2019_2021.label(),
            "CCNL Funzioni Locali 16/11/2022"
        );
        let p = Parametri {
            fondo_personale: 1234.5,
            ..Parametri::default()
        };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Parametri>(&json).unwrap(), p);
    }

    #[test]
    fn soglia_di_accesso() {
        // Fund €1.000 = 100.000 cents, soglia 60, Fasce (piena 95), no bonus.
        // 59,99 < 60: sotto soglia. q(60) = 0,6, q(80) = 0,8, Σq = 1,4.
        // 60: floor(100.000 × 0,6 / 1,4) = floor(42.857,14) = 42.857
        // 80: floor(100.000 × 0,8 / 1,4) = floor(57.142,86) = 57.142
        // resto = 100.000 − 99.999 = 1.
        let p = senza_maggiorazione(1000.0);
        let r = una(
            &p,
            &[persona("A", 60.0), persona("B", 59.99), persona("C", 80.0)],
        );
        assert_eq!(
            importi(&r),
            vec![
                ("C", Esito::Ammesso, 57_142, 0),
                ("A", Esito::Ammesso, 42_857, 0),
                ("B", Esito::SottoSoglia, 0, 0),
            ]
        );
        assert_eq!((r.valutati, r.ammessi), (3, 2));
        assert_eq!((r.pagato, r.resto), (99_999, 1));
        assert_eq!(quota(&r, "B").coefficiente, 0.0);
    }

    #[test]
    fn fasce_e_proporzionale() {
        // Fund €1.000, scores 96 and 60, no bonus.
        // Fasce (piena 95): q = 1 and 0,6, Σ 1,6 → 100.000 × 1/1,6 = 62.500;
        // 100.000 × 0,6/1,6 = 37.500; resto 0.
        let persone = [persona("A", 96.0), persona("B", 60.0), persona("C", 40.0)];
        let p = senza_maggiorazione(1000.0);
        let r = una(&p, &persone);
        assert_eq!(
            importi(&r),
            vec![
                ("A", Esito::Ammesso, 62_500, 0),
                ("B", Esito::Ammesso, 37_500, 0),
                ("C", Esito::SottoSoglia, 0, 0),
            ]
        );
        assert_eq!(r.resto, 0);
        // Proporzionale: q = 0,96 and 0,6, Σ 1,56 → floor(61.538,46) = 61.538 and
        // floor(38.461,54) = 38.461; resto 1. The threshold still applies: 40 gets nothing.
        let p = Parametri {
            curva: Curva::Proporzionale,
            ..p
        };
        let r = una(&p, &persone);
        assert_eq!(
            importi(&r),
            vec![
                ("A", Esito::Ammesso, 61_538, 0),
                ("B", Esito::Ammesso, 38_461, 0),
                ("C", Esito::SottoSoglia, 0, 0),
            ]
        );
        assert_eq!(r.resto, 1);
        assert_eq!(quota(&r, "A").coefficiente, 0.96);
    }

    #[test]
    fn maggiorazione_con_parita() {
        // Five ammessi, quota 40% → K = floor(0,4 × 5) = 2. Presence does not reduce the
        // premio (Nessuna) but still breaks ties.
        // Ranking: M05 (95) first by score; among the 90s M01 and M04 have comportamenti 80,
        // the same full presence, so the matricola puts M01 first; M03 has comportamenti 80
        // but absences; M02 has comportamenti 70. → M05, M01, M04, M03, M02: bonus to M05, M01.
        // Fund 100.000 cents: media = 100.000 / 5 = 20.000; bonus = 30% = 6.000 each,
        // 12.000 reserved; rest 88.000. q: 1 (95 ≥ piena) and 0,9 × 4, Σ 4,6.
        // M05: floor(88.000 / 4,6) = floor(19.130,43) = 19.130
        // others: floor(88.000 × 0,9 / 4,6) = floor(17.217,39) = 17.217
        // Σ base = 19.130 + 4 × 17.217 = 87.998; pagato 99.998, resto 2.
        let mut m01 = persona("M01", 90.0);
        m01.comportamenti = 80.0;
        let mut m02 = persona("M02", 90.0);
        m02.comportamenti = 70.0;
        let mut m03 = persona("M03", 90.0);
        m03.comportamenti = 80.0;
        m03.assenze = 30;
        let mut m04 = persona("M04", 90.0);
        m04.comportamenti = 80.0;
        let mut m05 = persona("M05", 95.0);
        m05.comportamenti = 10.0;
        let p = Parametri {
            fondo_personale: 1000.0,
            quota: 40.0,
            presenza: Presenza::Nessuna,
            ..Parametri::default()
        };
        let r = una(&p, &[m04, m02, m05, m03, m01]);
        assert_eq!(
            importi(&r),
            vec![
                ("M05", Esito::Ammesso, 19_130, 6_000),
                ("M01", Esito::Ammesso, 17_217, 6_000),
                ("M04", Esito::Ammesso, 17_217, 0),
                ("M03", Esito::Ammesso, 17_217, 0),
                ("M02", Esito::Ammesso, 17_217, 0),
            ]
        );
        assert_eq!(r.beneficiari_maggiorazione, 2);
        assert_eq!(r.media_pro_capite, 20_000);
        assert_eq!(r.importo_maggiorazione, 6_000);
        assert_eq!((r.pagato, r.resto), (99_998, 2));
        assert_eq!(quota(&r, "M01").totale(), 23_217);
    }

    #[test]
    fn part_time_tre_regole() {
        // Two scores of 100 (f = 1), fund €300 = 30.000 cents, no bonus; B works 50%.
        let mut b = persona("B", 100.0);
        b.tempo = 50.0;
        let persone = [persona("A", 100.0), b];
        // ProRata: q = 1 and 0,5, Σ 1,5 → 20.000 and 10.000.
        let p = senza_maggiorazione(300.0);
        let r = una(&p, &persone);
        assert_eq!((quota(&r, "A").base, quota(&r, "B").base), (20_000, 10_000));
        assert_eq!(r.resto, 0);
        // Pieno: q = 1 and 1 → 15.000 each.
        let p = Parametri {
            part_time: PartTime::Pieno,
            ..senza_maggiorazione(300.0)
        };
        let r = una(&p, &persone);
        assert_eq!((quota(&r, "A").base, quota(&r, "B").base), (15_000, 15_000));
        // Personalizzato at 80%: q = 1 (a full-timer is not touched) and 0,8, Σ 1,8 →
        // floor(16.666,67) = 16.666 and floor(13.333,33) = 13.333; resto 1.
        let p = Parametri {
            part_time: PartTime::Personalizzato,
            part_time_quota: 80.0,
            ..senza_maggiorazione(300.0)
        };
        let r = una(&p, &persone);
        assert_eq!((quota(&r, "A").base, quota(&r, "B").base), (16_666, 13_333));
        assert_eq!(r.resto, 1);
    }

    #[test]
    fn presenza_con_assenze() {
        // Scores of 100, fund €900 = 90.000 cents, no bonus, Presenza ProRata, 365 days.
        // A: 365 days, no absences → 1. B: 365 days, 73 absences → 292/365 = 0,8.
        // C: 200 days, 250 absences → max(0, −50) = 0: nothing. D: a year of 0 days → 1.
        // Σq = 1 + 0,8 + 1 = 2,8 → A: floor(90.000 / 2,8) = floor(32.142,86) = 32.142,
        // B: floor(90.000 × 0,8 / 2,8) = floor(25.714,29) = 25.714, D: 32.142; resto 2.
        let mut b = persona("B", 100.0);
        b.assenze = 73;
        let mut c = persona("C", 100.0);
        c.giorni_servizio = 200;
        c.assenze = 250;
        let mut d = persona("D", 100.0);
        d.giorni_anno = 0;
        d.giorni_servizio = 0;
        let p = senza_maggiorazione(900.0);
        let r = una(&p, &[persona("A", 100.0), b, c, d]);
        assert_eq!(
            importi(&r),
            vec![
                ("A", Esito::Ammesso, 32_142, 0),
                ("D", Esito::Ammesso, 32_142, 0),
                ("B", Esito::Ammesso, 25_714, 0),
                ("C", Esito::Assente, 0, 0),
            ]
        );
        assert_eq!(r.resto, 2);
        assert_eq!(quota(&r, "B").coefficiente, 0.8);
        // Without the presence rule the absences cost nothing: 4 × 22.500.
        let p = Parametri {
            presenza: Presenza::Nessuna,
            ..p
        };
        let mut c = persona("C", 100.0);
        c.assenze = 365;
        let r = una(&p, &[persona("A", 100.0), c]);
        assert_eq!((quota(&r, "A").base, quota(&r, "C").base), (45_000, 45_000));
    }

    #[test]
    fn esclusione_per_sanzione() {
        // sanzione_esclude 3: a suspension (3) excludes, a fine (2) does not; the sanction is
        // looked at before the score. Fund €100, no bonus: B takes it all.
        let mut a = persona("A", 100.0);
        a.sanzione = 3;
        let mut b = persona("B", 100.0);
        b.sanzione = 2;
        let mut c = persona("C", 10.0);
        c.sanzione = 4;
        let persone = [a, b, c];
        let p = senza_maggiorazione(100.0);
        let r = una(&p, &persone);
        assert_eq!(
            importi(&r),
            vec![
                ("A", Esito::Esclusa, 0, 0),
                ("B", Esito::Ammesso, 10_000, 0),
                ("C", Esito::Esclusa, 0, 0),
            ]
        );
        // 5: no sanction excludes: A and B share (5.000 each), C stays under the threshold.
        let p = Parametri {
            sanzione_esclude: 5,
            ..p
        };
        let r = una(&p, &persone);
        assert_eq!(
            importi(&r),
            vec![
                ("A", Esito::Ammesso, 5_000, 0),
                ("B", Esito::Ammesso, 5_000, 0),
                ("C", Esito::SottoSoglia, 0, 0),
            ]
        );
        assert_eq!(SANZIONI[3], "Sospensione dal servizio fino a 10 giorni");
    }

    #[test]
    fn arrotondamento_ai_centesimi() {
        // €100 among 3 equal persons: floor(10.000 / 3) = 3.333 each, resto 1 cent.
        let p = senza_maggiorazione(100.0);
        let r = una(
            &p,
            &[persona("A", 80.0), persona("B", 80.0), persona("C", 80.0)],
        );
        assert!(r.quote.iter().all(|q| q.totale() == 3_333));
        assert_eq!((r.fondo, r.pagato, r.resto), (10_000, 9_999, 1));
        assert_eq!(euro(r.quote[0].totale()), "33,33 €");
        assert_eq!(euro(r.resto), "0,01 €");
    }

    #[test]
    fn nessun_ammesso() {
        // Everyone under the threshold: the whole fund is left, nobody gets the bonus.
        let p = Parametri {
            fondo_personale: 5000.0,
            fondo_eq: 1000.0,
            ..Parametri::default()
        };
        let r = ripartisci(&p, &[persona("A", 50.0), persona("B", 20.0)]);
        // The EQ pool has a fund but nobody: it is still shown, all resto.
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].categoria, Categoria::Personale);
        assert_eq!(
            (r[0].fondo, r[0].pagato, r[0].resto, r[0].ammessi),
            (500_000, 0, 500_000, 0)
        );
        assert_eq!(
            (r[0].beneficiari_maggiorazione, r[0].media_pro_capite),
            (0, 0)
        );
        assert_eq!(r[1].categoria, Categoria::Eq);
        assert_eq!(
            (r[1].fondo, r[1].resto, r[1].valutati),
            (100_000, 100_000, 0)
        );
        // No people and no fund: no pool at all.
        assert!(ripartisci(&Parametri::default(), &[]).is_empty());
    }

    #[test]
    fn pool_separati() {
        // Each pool splits its own fund: the EQ's €600 between two equal EQ, the comparto's
        // €100 to its only ammesso.
        let mut e1 = persona("E1", 90.0);
        e1.categoria = Categoria::Eq;
        let mut e2 = persona("E2", 90.0);
        e2.categoria = Categoria::Eq;
        let p = Parametri {
            fondo_personale: 100.0,
            fondo_eq: 600.0,
            quota: 0.0,
            ..Parametri::default()
        };
        let r = ripartisci(&p, &[e1, persona("P1", 70.0), e2]);
        assert_eq!(r[0].categoria, Categoria::Personale);
        assert_eq!(importi(&r[0]), vec![("P1", Esito::Ammesso, 10_000, 0)]);
        assert_eq!(r[1].categoria, Categoria::Eq);
        assert_eq!(
            importi(&r[1]),
            vec![
                ("E1", Esito::Ammesso, 30_000, 0),
                ("E2", Esito::Ammesso, 30_000, 0)
            ]
        );
    }

    #[test]
    fn esempio_del_readme() {
        // Fund €10.000 = 1.000.000 cents; soglia 60, Fasce with piena 95, maggiorazione 30%,
        // quota 20%, part-time pro rata, full presence. C works 50%.
        //
        //   A 98  f = 1    (≥ 95)        q = 1
        //   B 90  f = 0,90               q = 0,9
        //   C 75  f = 0,75 × 0,5 (50%)   q = 0,375
        //   D 62  f = 0,62               q = 0,62
        //   E 55  < 60: sotto soglia     q = 0
        //
        // N = 5 evaluated, 4 ammessi; K = floor(20% × 5) = 1.
        // Average per head = 1.000.000 / 4 = 250.000 (€2.500,00);
        // bonus = 30% × 250.000 = 75.000 (€750,00), to A (the highest score).
        // Rest = 1.000.000 − 1 × 75.000 = 925.000; Σq = 1 + 0,9 + 0,375 + 0,62 = 2,895.
        //   A: floor(925.000 × 1     / 2,895) = floor(319.516,41) = 319.516
        //   B: floor(925.000 × 0,9   / 2,895) = floor(287.564,77) = 287.564
        //   C: floor(925.000 × 0,375 / 2,895) = floor(119.818,65) = 119.818
        //   D: floor(925.000 × 0,62  / 2,895) = floor(198.100,17) = 198.100
        // Σ base = 924.998; pagato = 924.998 + 75.000 = 999.998; resto = 2 cents.
        // Totals: A €3.945,16, B €2.875,64, C €1.198,18, D €1.981,00, E €0,00.
        let mut c = persona("C", 75.0);
        c.tempo = 50.0;
        let p = Parametri {
            fondo_personale: 10_000.0,
            soglia: 60.0,
            curva: Curva::Fasce,
            piena: 95.0,
            maggiorazione: 30.0,
            quota: 20.0,
            part_time: PartTime::ProRata,
            ..Parametri::default()
        };
        assert!(p.valida().is_ok());
        let r = una(
            &p,
            &[
                persona("D", 62.0),
                persona("A", 98.0),
                persona("E", 55.0),
                c,
                persona("B", 90.0),
            ],
        );
        assert_eq!(
            importi(&r),
            vec![
                ("A", Esito::Ammesso, 319_516, 75_000),
                ("B", Esito::Ammesso, 287_564, 0),
                ("C", Esito::Ammesso, 119_818, 0),
                ("D", Esito::Ammesso, 198_100, 0),
                ("E", Esito::SottoSoglia, 0, 0),
            ]
        );
        assert_eq!(r.fondo, 1_000_000);
        assert_eq!(
            (r.valutati, r.ammessi, r.beneficiari_maggiorazione),
            (5, 4, 1)
        );
        assert_eq!(r.media_pro_capite, 250_000);
        assert_eq!(r.importo_maggiorazione, 75_000);
        assert_eq!((r.pagato, r.resto), (999_998, 2));
        let totali: Vec<String> = r.quote.iter().map(|q| euro(q.totale())).collect();
        assert_eq!(
            totali,
            vec![
                "3.945,16 €",
                "2.875,64 €",
                "1.198,18 €",
                "1.981,00 €",
                "0,00 €"
            ]
        );
        assert_eq!(quota(&r, "C").coefficiente, 0.375);

        // Its art. 20 table: ≥ 90 has A, B; 60–89 has C, D; < 60 has E. E's band (1 < 3)
        // joins 60–89 → "< 90" with 3; then ≥ 90 (2 < 3) joins it → one band of 5.
        let t = tabelle_art20(&p, &[r]);
        assert_eq!(t[0].fasce.len(), 1);
        assert_eq!(t[0].fasce[0].etichetta, "Tutti i punteggi");
        assert_eq!(t[0].fasce[0].persone, 5);
        // Over the 4 premi > 0: min 119.818, max 394.516,
        // mean (394.516 + 287.564 + 119.818 + 198.100) / 4 = 999.998 / 4 = 249.999,5 → 250.000.
        assert_eq!(
            (t[0].minimo, t[0].media, t[0].massimo),
            (119_818, 250_000, 394_516)
        );
        assert_eq!(t[0].percentuale_maggiorazione, 20.0);
        assert_eq!((t[0].stanziato, t[0].erogato), (1_000_000, 999_998));
    }

    #[test]
    fn valida_la_maggiorazione_minima() {
        let p = Parametri {
            maggiorazione: 29.0,
            ..Parametri::default()
        };
        assert_eq!(
            p.valida().unwrap_err(),
            vec![(
                "maggiorazione",
                "La maggiorazione deve essere almeno il 30% del premio medio (art. 81 del CCNL \
                 Funzioni Locali 16/11/2022)."
                    .to_string()
            )]
        );
        let p = Parametri {
            maggiorazione: 30.0,
            ..Parametri::default()
        };
        assert_eq!(p.valida(), Ok(()));
        assert_eq!(Parametri::default().valida(), Ok(()));
    }

    #[test]
    fn valida_gli_altri_campi() {
        let campi = |p: Parametri| -> Vec<&'static str> {
            p.valida()
                .unwrap_err()
                .into_iter()
                .map(|(c, _)| c)
                .collect()
        };
        let d = Parametri::default;
        assert_eq!(
            campi(Parametri {
                fondo_personale: -1.0,
                fondo_eq: f64::NAN,
                ..d()
            }),
            vec!["fondo_personale", "fondo_eq"]
        );
        assert_eq!(
            campi(Parametri {
                fondo_eq: 100_000_000.01,
                ..d()
            }),
            vec!["fondo_eq"]
        );
        assert!(Parametri {
            fondo_eq: 100_000_000.0,
            ..d()
        }
        .valida()
        .is_ok());
        assert_eq!(
            campi(Parametri {
                soglia: 101.0,
                ..d()
            }),
            vec!["soglia"]
        );
        assert_eq!(campi(Parametri { piena: 50.0, ..d() }), vec!["piena"]);
        assert_eq!(
            campi(Parametri {
                maggiorazione: 100.5,
                ..d()
            }),
            vec!["maggiorazione"]
        );
        assert_eq!(campi(Parametri { quota: -0.1, ..d() }), vec!["quota"]);
        assert_eq!(
            campi(Parametri {
                part_time_quota: 0.0,
                ..d()
            }),
            vec!["part_time_quota"]
        );
        assert_eq!(
            campi(Parametri {
                sanzione_esclude: 0,
                ..d()
            }),
            vec!["sanzione_esclude"]
        );
        assert_eq!(
            campi(Parametri {
                fasce_art20: [60.0, 90.0],
                ..d()
            }),
            vec!["fasce_art20"]
        );
        assert!(Parametri {
            sanzione_esclude: 5,
            part_time_quota: 100.0,
            ..d()
        }
        .valida()
        .is_ok());
    }

    /// A split written by hand: only scores and totals matter to the art. 20 tables.
    fn ripartizione(premi: &[(f64, i64)], beneficiari: usize) -> Ripartizione {
        let quote: Vec<Quota> = premi
            .iter()
            .enumerate()
            .map(|(i, &(punteggio, totale))| Quota {
                chiave: format!("M{i}"),
                nome: String::new(),
                punteggio,
                esito: if totale > 0 {
                    Esito::Ammesso
                } else {
                    Esito::SottoSoglia
                },
                coefficiente: 0.0,
                base: totale,
                maggiorazione: 0,
            })
            .collect();
        let pagato = quote.iter().map(Quota::totale).sum();
        Ripartizione {
            categoria: Categoria::Personale,
            fondo: pagato,
            pagato,
            resto: 0,
            valutati: quote.len(),
            ammessi: quote.iter().filter(|q| q.esito == Esito::Ammesso).count(),
            beneficiari_maggiorazione: beneficiari,
            media_pro_capite: 0,
            importo_maggiorazione: 0,
            quote,
        }
    }

    #[test]
    fn art20_fasce_unite() {
        let p = Parametri::default();
        // ≥ 90: 2 people → merged into 60–89 (3 people) → "≥ 60" with 5; "< 60" has 3.
        let r = ripartizione(
            &[
                (95.0, 40_000),
                (92.0, 30_000),
                (80.0, 20_000),
                (70.0, 10_000),
                (65.0, 10_000),
                (50.0, 0),
                (40.0, 0),
                (30.0, 0),
            ],
            1,
        );
        let t = &tabelle_art20(&p, &[r])[0];
        let fasce: Vec<(&str, usize, f64, i64, i64, i64)> = t
            .fasce
            .iter()
            .map(|f| {
                (
                    f.etichetta.as_str(),
                    f.persone,
                    f.percentuale,
                    f.minimo,
                    f.media,
                    f.massimo,
                )
            })
            .collect();
        // "≥ 60": 5 of 8 = 62,5%; premi 10.000–40.000, mean 110.000 / 5 = 22.000.
        // "< 60": 3 of 8 = 37,5%, nobody paid: no amounts.
        assert_eq!(
            fasce,
            vec![
                ("≥ 60", 5, 62.5, 10_000, 22_000, 40_000),
                ("< 60", 3, 37.5, 0, 0, 0),
            ]
        );
        assert_eq!(t.percentuale_maggiorazione, 12.5);

        // Every band publishable: three bands as they are; an empty band stays, with 0.
        let r = ripartizione(
            &[
                (95.0, 3),
                (92.0, 3),
                (91.0, 3),
                (50.0, 0),
                (40.0, 0),
                (30.0, 0),
            ],
            0,
        );
        let t = &tabelle_art20(&p, &[r])[0];
        let etichette: Vec<(&str, usize)> = t
            .fasce
            .iter()
            .map(|f| (f.etichetta.as_str(), f.persone))
            .collect();
        assert_eq!(etichette, vec![("≥ 90", 3), ("60–89", 0), ("< 60", 3)]);

        // The bottom band of 1 joins 60–89 → "< 90".
        let r = ripartizione(
            &[
                (95.0, 3),
                (92.0, 3),
                (91.0, 3),
                (80.0, 2),
                (70.0, 2),
                (50.0, 0),
            ],
            0,
        );
        let t = &tabelle_art20(&p, &[r])[0];
        let etichette: Vec<(&str, usize)> = t
            .fasce
            .iter()
            .map(|f| (f.etichetta.as_str(), f.persone))
            .collect();
        assert_eq!(etichette, vec![("≥ 90", 3), ("< 90", 3)]);

        // A pool of 2: a single band.
        let r = ripartizione(&[(95.0, 5), (70.0, 3)], 0);
        let t = &tabelle_art20(&p, &[r])[0];
        assert_eq!(t.fasce.len(), 1);
        assert_eq!(t.fasce[0].etichetta, "Tutti i punteggi");
        assert_eq!(t.fasce[0].persone, 2);
        assert_eq!(t.fasce[0].percentuale, 100.0);

        // Nobody evaluated: three empty bands, no amounts, no ratios.
        let t = &tabelle_art20(&p, &[ripartizione(&[], 0)])[0];
        assert_eq!(t.fasce.len(), 3);
        assert!(t.fasce.iter().all(|f| f.persone == 0 && f.massimo == 0));
        assert_eq!(
            (t.rapporto_max_min, t.coefficiente_variazione),
            (None, None)
        );

        // Bands that do not fall on whole numbers say so.
        assert_eq!(
            etichetta_fascia(Some(60.0), Some(90.5)),
            "da 60 a meno di 90,5"
        );
    }

    #[test]
    fn art20_variazione_e_rapporto() {
        // Premi €100, €200, €300 and one 0 (not counted).
        // max / min = 30.000 / 10.000 = 3; mean 20.000;
        // population variance = (10.000² + 0 + 10.000²) / 3 = 66.666.666,67;
        // σ = 8.164,97; CV = 8.164,97 / 20.000 = 0,408248 (= √(2/3) / 2).
        let r = ripartizione(
            &[(95.0, 30_000), (80.0, 20_000), (70.0, 10_000), (20.0, 0)],
            0,
        );
        let t = &tabelle_art20(&Parametri::default(), &[r])[0];
        assert_eq!(t.rapporto_max_min, Some(3.0));
        let cv = t.coefficiente_variazione.unwrap();
        assert!((cv - (2.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12, "{cv}");
        assert_eq!((t.minimo, t.media, t.massimo), (10_000, 20_000, 30_000));
        assert_eq!((t.valutati, t.stanziato, t.erogato), (4, 60_000, 60_000));
        // Equal premi: CV 0, ratio 1.
        let r = ripartizione(&[(95.0, 500), (80.0, 500), (70.0, 500)], 0);
        let t = &tabelle_art20(&Parametri::default(), &[r])[0];
        assert_eq!(
            (t.rapporto_max_min, t.coefficiente_variazione),
            (Some(1.0), Some(0.0))
        );
    }

    #[test]
    fn euro_italiano() {
        assert_eq!(euro(0), "0,00 €");
        assert_eq!(euro(5), "0,05 €");
        assert_eq!(euro(123_456), "1.234,56 €");
        assert_eq!(euro(10_000_000_000), "100.000.000,00 €");
        assert_eq!(euro(99_999), "999,99 €");
        assert_eq!(euro(-123_456), "-1.234,56 €");
        assert_eq!(euro(-1), "-0,01 €");
        assert_eq!(euro(i64::MIN), "-92.233.720.368.547.758,08 €");
    }

    mod proprieta {
        use super::super::*;
        use proptest::prelude::*;

        fn persona(categoria: Categoria) -> impl Strategy<Value = Persona> {
            (
                0u32..=1000,
                0u32..=100,
                1u32..=100,
                prop_oneof![Just(0u32), Just(365u32), 1u32..=366],
                0u32..=400,
                0u32..=400,
                0u8..=4,
            )
                .prop_map(
                    move |(punti, comportamenti, tempo, anno, servizio, assenze, sanzione)| {
                        Persona {
                            chiave: String::new(),
                            nome: String::new(),
                            categoria,
                            punteggio: f64::from(punti) / 10.0,
                            comportamenti: f64::from(comportamenti),
                            tempo: f64::from(tempo),
                            giorni_servizio: servizio.min(anno),
                            giorni_anno: anno,
                            assenze,
                            sanzione,
                        }
                    },
                )
        }

        /// Valid parameters, with the quota in tenths so that K is known exactly.
        fn parametri() -> impl Strategy<Value = (Parametri, u32)> {
            (
                (0u64..=10_000_000_000, 0u64..=10_000_000_000, 0u32..=1000),
                (0u32..=100, 300u32..=1000, 0u32..=1000),
                (0usize..3, 1u32..=100, any::<bool>(), 1u8..=5, any::<bool>()),
                (1u32..=100, 0u32..=100),
            )
                .prop_map(
                    |(
                        (fp, fe, soglia),
                        (piena, magg, quota),
                        (pt, ptq, presenza, sanzione, proporzionale),
                        (alta, bassa),
                    )| {
                        let soglia = f64::from(soglia) / 10.0;
                        let p = Parametri {
                            ccnl: Ccnl::Cfl2019_2021,
                            fondo_personale: fp as f64 / 100.0,
                            fondo_eq: fe as f64 / 100.0,
                            soglia,
                            curva: if proporzionale {
                                Curva::Proporzionale
                            } else {
                                Curva::Fasce
                            },
                            piena: soglia + (100.0 - soglia) * f64::from(piena) / 100.0,
                            maggiorazione: f64::from(magg) / 10.0,
                            quota: f64::from(quota) / 10.0,
                            part_time: PartTime::TUTTI[pt],
                            part_time_quota: f64::from(ptq),
                            presenza: if presenza {
                                Presenza::ProRata
                            } else {
                                Presenza::Nessuna
                            },
                            sanzione_esclude: sanzione,
                            fasce_art20: [f64::from(alta), f64::from(bassa.min(alta - 1))],
                        };
                        (p, quota)
                    },
                )
        }

        proptest! {
            #[test]
            fn il_fondo_torna_al_centesimo(
                (p, decimi_quota) in parametri(),
                personale in prop::collection::vec(persona(Categoria::Personale), 0..=40),
                eq in prop::collection::vec(persona(Categoria::Eq), 0..=40),
            ) {
                prop_assert_eq!(p.valida(), Ok(()));
                let persone: Vec<Persona> = personale
                    .into_iter()
                    .chain(eq)
                    .enumerate()
                    .map(|(i, mut x)| {
                        x.chiave = format!("M{i:03}");
                        x
                    })
                    .collect();
                let r = ripartisci(&p, &persone);
                for rip in &r {
                    let fondo = (p.fondo(rip.categoria) * 100.0).round() as i64;
                    prop_assert_eq!(rip.fondo, fondo);
                    prop_assert_eq!(rip.pagato + rip.resto, rip.fondo);
                    prop_assert!(rip.resto >= 0);
                    let n = persone.iter().filter(|x| x.categoria == rip.categoria).count();
                    prop_assert_eq!(rip.valutati, n);
                    prop_assert_eq!(rip.quote.len(), n);
                    let k = (decimi_quota as usize * n / 1000).min(rip.ammessi);
                    prop_assert_eq!(rip.beneficiari_maggiorazione, k);
                    prop_assert_eq!(
                        rip.quote.iter().filter(|q| q.maggiorazione > 0).count(),
                        if rip.importo_maggiorazione > 0 { k } else { 0 }
                    );
                    prop_assert_eq!(
                        rip.pagato,
                        rip.quote.iter().map(Quota::totale).sum::<i64>()
                    );
                    for q in &rip.quote {
                        prop_assert!(q.base >= 0 && q.maggiorazione >= 0);
                        if q.esito != Esito::Ammesso {
                            prop_assert_eq!(q.totale(), 0);
                        }
                    }
                }
                for t in tabelle_art20(&p, &r) {
                    prop_assert_eq!(
                        t.fasce.iter().map(|f| f.persone).sum::<usize>(),
                        t.valutati
                    );
                    if t.fasce.len() > 1 {
                        prop_assert!(t
                            .fasce
                            .iter()
                            .all(|f| f.persone == 0 || f.persone >= PERSONE_MINIME_FASCIA));
                    }
                }
            }
        }
    }
}
