//! A person's evaluation scheda (D.Lgs 150/2009 art. 9): the sections of each category with
//! their weights (part of the SMVP profile), the computed results sections, the behaviours
//! scored 1–5, the total with its «perché», and the steps of the evaluation cycle. Pure: the
//! scheda page and the server compute the same.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendario::dopo_lavorativi;
use super::premi::Categoria;
use super::smvp::{numero, percento, Punteggio};

/// The weights of a category's sections, in %; they sum to 100. A weight of 0 leaves the
/// section out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scheda {
    /// The results of the struttura (the area the person works in, or leads).
    pub risultati: f64,
    /// The objectives the person was assigned to: Σ(assignment weight × achievement) / Σ
    /// weights.
    pub obiettivi: f64,
    /// Behaviours and competences, from the dictionary, 1–5.
    pub comportamenti: f64,
    /// How a responsabile differentiated their staff's scores, 1–5.
    pub differenziazione: f64,
}

impl Scheda {
    /// EQ/responsabili: struttura results 50, individual objectives 10, behaviours 30,
    /// differentiation 10.
    pub fn eq() -> Scheda {
        Scheda {
            risultati: 50.0,
            obiettivi: 10.0,
            comportamenti: 30.0,
            differenziazione: 10.0,
        }
    }

    /// Other staff: struttura results 30, assigned objectives 20, behaviours 50.
    pub fn personale() -> Scheda {
        Scheda {
            risultati: 30.0,
            obiettivi: 20.0,
            comportamenti: 50.0,
            differenziazione: 0.0,
        }
    }

    pub fn predefinita(c: Categoria) -> Scheda {
        match c {
            Categoria::Eq => Scheda::eq(),
            Categoria::Personale => Scheda::personale(),
        }
    }

    /// "Risultati della struttura 50% · Obiettivi individuali 10% · …".
    pub fn descrizione(&self) -> String {
        Sezione::TUTTE
            .into_iter()
            .filter(|s| self.peso(*s) > 0.0)
            .map(|s| format!("{} {}", s.label(), percento(self.peso(s))))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    pub fn peso(&self, s: Sezione) -> f64 {
        match s {
            Sezione::Risultati => self.risultati,
            Sezione::Obiettivi => self.obiettivi,
            Sezione::Comportamenti => self.comportamenti,
            Sezione::Differenziazione => self.differenziazione,
        }
    }

    /// The weights are each 0–100 and sum to 100.
    pub fn controlla(&self, categoria: Categoria) -> Result<(), String> {
        let pesi = Sezione::TUTTE.map(|s| self.peso(s));
        if pesi
            .iter()
            .any(|p| !p.is_finite() || *p < 0.0 || *p > 100.0)
        {
            return Err(format!(
                "Scheda «{}»: ogni sezione pesa da 0 a 100%.",
                categoria.label()
            ));
        }
        let somma: f64 = pesi.iter().sum();
        if (somma - 100.0).abs() > 0.001 {
            return Err(format!(
                "Scheda «{}»: le sezioni sommano {}, non 100%.",
                categoria.label(),
                percento(somma)
            ));
        }
        Ok(())
    }
}

/// A section of a scheda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sezione {
    Risultati,
    Obiettivi,
    Comportamenti,
    Differenziazione,
}

impl Sezione {
    pub const TUTTE: [Sezione; 4] = [
        Sezione::Risultati,
        Sezione::Obiettivi,
        Sezione::Comportamenti,
        Sezione::Differenziazione,
    ];

    /// "risultati", "obiettivi", "comportamenti", "differenziazione".
    pub fn codice(self) -> &'static str {
        match self {
            Sezione::Risultati => "risultati",
            Sezione::Obiettivi => "obiettivi",
            Sezione::Comportamenti => "comportamenti",
            Sezione::Differenziazione => "differenziazione",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sezione::Risultati => "Risultati della struttura",
            Sezione::Obiettivi => "Obiettivi assegnati",
            Sezione::Comportamenti => "Comportamenti e competenze",
            Sezione::Differenziazione => "Differenziazione delle valutazioni del personale",
        }
    }
}

/// The behaviours dictionary a profile starts with.
pub fn comportamenti_predefiniti() -> Vec<String> {
    [
        "Orientamento all'utenza e alla qualità del servizio",
        "Collaborazione e lavoro di gruppo",
        "Affidabilità e rispetto dei tempi",
        "Iniziativa e soluzione dei problemi",
        "Aggiornamento e crescita professionale",
    ]
    .map(String::from)
    .to_vec()
}

/// The 1–5 scale and its descriptors.
pub const SCALA: [&str; 5] = [
    "1 – Inadeguato",
    "2 – Migliorabile",
    "3 – Adeguato",
    "4 – Buono",
    "5 – Eccellente",
];

/// An objective the person was assigned to, with its weight for them and its final score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assegnato {
    /// "Segreteria – 1.2".
    pub obiettivo: String,
    /// The assignment's weight, in %.
    pub peso: f64,
    /// The objective's final score (None: not evaluable, or not yet computed).
    pub raggiungimento: Option<f64>,
}

/// Σ(assignment weight × objective achievement) / Σ weights, over the objectives that have
/// a final score (a «non valutabile» one leaves the sum, as it leaves the struttura's).
pub fn obiettivi_assegnati(voci: &[Assegnato]) -> Result<Punteggio, String> {
    let contati: Vec<&Assegnato> = voci.iter().filter(|v| v.raggiungimento.is_some()).collect();
    if contati.is_empty() {
        return Err("Nessun obiettivo assegnato ha un punteggio finale.".into());
    }
    let pesi: f64 = contati.iter().map(|v| v.peso).sum();
    if pesi <= 0.0 {
        return Err("Gli obiettivi assegnati non hanno pesi.".into());
    }
    let somma: f64 = contati
        .iter()
        .map(|v| v.peso * v.raggiungimento.unwrap_or(0.0))
        .sum();
    let valore = somma / pesi;
    let termini = contati
        .iter()
        .map(|v| {
            format!(
                "{} × {}",
                numero(v.peso),
                numero(v.raggiungimento.unwrap_or(0.0))
            )
        })
        .collect::<Vec<_>>()
        .join(" + ");
    let mut perche: Vec<String> = contati
        .iter()
        .map(|v| {
            format!(
                "{}: peso {}, raggiungimento {}.",
                v.obiettivo,
                percento(v.peso),
                percento(v.raggiungimento.unwrap_or(0.0))
            )
        })
        .collect();
    for v in voci.iter().filter(|v| v.raggiungimento.is_none()) {
        perche.push(format!("{}: non valutabile, escluso.", v.obiettivo));
    }
    perche.push(format!(
        "Risultato: ({termini}) / {} = {}.",
        numero(pesi),
        percento(valore)
    ));
    Ok(Punteggio {
        valore,
        mostrato: valore,
        perche,
    })
}

/// A 1–5 score as a share of 100 (5 → 100, 3 → 60).
pub fn da_voto(voto: f64) -> f64 {
    voto / 5.0 * 100.0
}

/// The behaviours section: the average of the 1–5 scores, as a share of 100.
pub fn comportamenti(voti: &[(String, Option<u8>)]) -> Result<Punteggio, String> {
    if voti.is_empty() {
        return Err("Il dizionario dei comportamenti è vuoto.".into());
    }
    if let Some((nome, _)) = voti.iter().find(|(_, v)| v.is_none()) {
        return Err(format!("Manca il voto di «{nome}»."));
    }
    let somma: u32 = voti.iter().map(|(_, v)| v.unwrap_or(0) as u32).sum();
    let media = somma as f64 / voti.len() as f64;
    let valore = da_voto(media);
    let voti_txt = voti
        .iter()
        .map(|(_, v)| v.unwrap_or(0).to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    Ok(Punteggio {
        valore,
        mostrato: valore,
        perche: vec![format!(
            "Media dei voti: ({voti_txt}) / {} = {} su 5, cioè {} / 5 × 100 = {}.",
            voti.len(),
            numero(media),
            numero(media),
            percento(valore)
        )],
    })
}

/// The figures of a scheda's sections; None where the section cannot be computed yet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Sezioni {
    pub risultati: Option<f64>,
    pub obiettivi: Option<f64>,
    pub comportamenti: Option<f64>,
    pub differenziazione: Option<f64>,
}

/// The total: Σ(section weight × section score) / 100, with its «perché».
pub fn totale(scheda: &Scheda, s: &Sezioni) -> Result<Punteggio, String> {
    let mut termini = Vec::new();
    let mut valore = 0.0;
    for sez in Sezione::TUTTE {
        let peso = scheda.peso(sez);
        if peso <= 0.0 {
            continue;
        }
        let v = match sez {
            Sezione::Risultati => s.risultati,
            Sezione::Obiettivi => s.obiettivi,
            Sezione::Comportamenti => s.comportamenti,
            Sezione::Differenziazione => s.differenziazione,
        }
        .ok_or_else(|| format!("Manca la sezione «{}».", sez.label()))?;
        valore += peso * v / 100.0;
        termini.push(format!("{} × {}", numero(peso), numero(v)));
    }
    Ok(Punteggio {
        valore,
        mostrato: valore,
        perche: vec![format!(
            "Punteggio: ({}) / 100 = {} su 100.",
            termini.join(" + "),
            numero(valore)
        )],
    })
}

/// Where a person's evaluation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stato {
    /// The evaluator is writing it.
    Bozza,
    /// Proposed after the final colloquio: the person has to see it.
    Proposta,
    /// The person has seen it: they may ask for a review within the deadline.
    PresaVisione,
    /// A review was requested: the evaluator hears the person and decides.
    Revisione,
    /// Final, locked.
    Definitiva,
}

impl Stato {
    pub const TUTTI: [Stato; 5] = [
        Stato::Bozza,
        Stato::Proposta,
        Stato::PresaVisione,
        Stato::Revisione,
        Stato::Definitiva,
    ];

    pub fn codice(self) -> &'static str {
        match self {
            Stato::Bozza => "bozza",
            Stato::Proposta => "proposta",
            Stato::PresaVisione => "presa_visione",
            Stato::Revisione => "revisione",
            Stato::Definitiva => "definitiva",
        }
    }

    pub fn da_codice(s: &str) -> Option<Stato> {
        Stato::TUTTI.into_iter().find(|x| x.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stato::Bozza => "In compilazione",
            Stato::Proposta => "Proposta, in attesa di presa visione",
            Stato::PresaVisione => "Presa visione",
            Stato::Revisione => "Revisione richiesta",
            Stato::Definitiva => "Definitiva",
        }
    }
}

/// Working days after the presa visione within which a review may be requested.
pub const GIORNI_RICHIESTA: u32 = 10;
/// Working days after the request within which the evaluator decides.
pub const GIORNI_DECISIONE: u32 = 15;

/// The last day a review may be requested, after a presa visione on `il`.
pub fn scadenza_richiesta(il: NaiveDate) -> NaiveDate {
    dopo_lavorativi(il, GIORNI_RICHIESTA)
}

/// The last day the evaluator decides a review requested on `il`.
pub fn scadenza_decisione(il: NaiveDate) -> NaiveDate {
    dopo_lavorativi(il, GIORNI_DECISIONE)
}

/// Who acts on an evaluation at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chi {
    Valutatore,
    Valutato,
}

/// A step of the cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passo {
    /// The evaluator saves the scores (still a draft).
    Salva,
    /// The evaluator proposes it, after the final colloquio.
    Proponi,
    /// The person confirms they have seen it.
    PresaVisione,
    /// The person accepts it: final.
    Accetta,
    /// The person asks for a review (within the deadline).
    ChiediRevisione,
    /// The evaluator decides the review after the hearing: final.
    Decidi,
    /// The evaluator makes it final once the review deadline has passed unused.
    Chiudi,
}

/// Whether `chi` may take `passo` from `stato`; `oggi` against the deadlines. The message
/// says why not.
pub fn consentito(
    stato: Stato,
    passo: Passo,
    chi: Chi,
    presa_visione: Option<NaiveDate>,
    oggi: NaiveDate,
) -> Result<(), String> {
    use Passo::*;
    let per = |atteso: Chi, msg: &str| {
        if chi == atteso {
            Ok(())
        } else {
            Err(msg.to_string())
        }
    };
    let da = |ammesso: &[Stato]| {
        if ammesso.contains(&stato) {
            Ok(())
        } else {
            Err(format!(
                "La valutazione è nello stato «{}»: questo passo non è possibile.",
                stato.label()
            ))
        }
    };
    match passo {
        Salva | Proponi => {
            per(Chi::Valutatore, "Solo il valutatore compila la scheda.")?;
            da(&[Stato::Bozza])
        }
        PresaVisione => {
            per(Chi::Valutato, "Solo la persona valutata ne prende visione.")?;
            da(&[Stato::Proposta])
        }
        Accetta => {
            per(Chi::Valutato, "Solo la persona valutata accetta la scheda.")?;
            da(&[Stato::PresaVisione])
        }
        ChiediRevisione => {
            per(
                Chi::Valutato,
                "Solo la persona valutata chiede la revisione.",
            )?;
            da(&[Stato::PresaVisione])?;
            let pv = presa_visione.ok_or("Manca la data della presa visione.")?;
            let fine = scadenza_richiesta(pv);
            if oggi > fine {
                return Err(format!(
                    "Il termine per chiedere la revisione è scaduto il {}.",
                    super::plan::data_label(fine)
                ));
            }
            Ok(())
        }
        Decidi => {
            per(
                Chi::Valutatore,
                "Solo il valutatore decide sulla revisione.",
            )?;
            da(&[Stato::Revisione])
        }
        Chiudi => {
            per(
                Chi::Valutatore,
                "Solo il valutatore rende definitiva la scheda.",
            )?;
            da(&[Stato::PresaVisione])?;
            let pv = presa_visione.ok_or("Manca la data della presa visione.")?;
            let fine = scadenza_richiesta(pv);
            if oggi <= fine {
                return Err(format!(
                    "La persona può chiedere la revisione fino al {}: la scheda diventa definitiva dopo.",
                    super::plan::data_label(fine)
                ));
            }
            Ok(())
        }
    }
}

/// A responsabile's staff scores: how spread they are, for the differentiation analytics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispersione {
    pub persone: usize,
    pub minimo: f64,
    pub massimo: f64,
    pub media: f64,
    /// Population standard deviation.
    pub scarto: f64,
    /// Share of the staff in the top band (score ≥ `alta`), in %.
    pub quota_alta: f64,
    /// Everyone got the same score (with at least 2 people).
    pub uniforme: bool,
}

/// The spread of `punteggi`, with the top band from `alta`.
pub fn dispersione(punteggi: &[f64], alta: f64) -> Option<Dispersione> {
    if punteggi.is_empty() {
        return None;
    }
    let n = punteggi.len() as f64;
    let media = punteggi.iter().sum::<f64>() / n;
    let scarto = (punteggi.iter().map(|p| (p - media).powi(2)).sum::<f64>() / n).sqrt();
    let minimo = punteggi.iter().cloned().fold(f64::INFINITY, f64::min);
    let massimo = punteggi.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    Some(Dispersione {
        persone: punteggi.len(),
        minimo,
        massimo,
        media,
        scarto,
        quota_alta: punteggi.iter().filter(|p| **p >= alta).count() as f64 / n * 100.0,
        uniforme: punteggi.len() >= 2 && (massimo - minimo).abs() < 0.005,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, g: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, g).unwrap()
    }

    #[test]
    fn default_templates_sum_to_100() {
        assert!(Scheda::eq().controlla(Categoria::Eq).is_ok());
        assert!(Scheda::personale().controlla(Categoria::Personale).is_ok());
        let mut s = Scheda::personale();
        s.comportamenti = 40.0;
        assert_eq!(
            s.controlla(Categoria::Personale).unwrap_err(),
            "Scheda «Personale del comparto»: le sezioni sommano 90%, non 100%."
        );
    }

    #[test]
    fn assigned_objectives_weighted_by_assignment() {
        // (60 × 72,5 + 40 × 100) / 100 = 83,5; the non-evaluable one leaves the sum.
        let voci = vec![
            Assegnato {
                obiettivo: "Segreteria – 1".into(),
                peso: 60.0,
                raggiungimento: Some(72.5),
            },
            Assegnato {
                obiettivo: "Segreteria – 2".into(),
                peso: 40.0,
                raggiungimento: Some(100.0),
            },
            Assegnato {
                obiettivo: "Tributi – 3".into(),
                peso: 20.0,
                raggiungimento: None,
            },
        ];
        let p = obiettivi_assegnati(&voci).unwrap();
        assert!((p.valore - 83.5).abs() < 1e-9);
        assert_eq!(
            p.perche.last().unwrap(),
            "Risultato: (60 × 72,5 + 40 × 100) / 100 = 83,5%."
        );
        assert!(p
            .perche
            .contains(&"Tributi – 3: non valutabile, escluso.".into()));
        assert!(obiettivi_assegnati(&voci[2..]).is_err());
    }

    #[test]
    fn behaviours_average_on_the_1_to_5_scale() {
        // (4 + 4 + 5 + 3 + 4) / 5 = 4 → 80.
        let voti: Vec<(String, Option<u8>)> = [4, 4, 5, 3, 4]
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("c{i}"), Some(*v)))
            .collect();
        let p = comportamenti(&voti).unwrap();
        assert_eq!(p.valore, 80.0);
        let mut manca = voti.clone();
        manca[1].1 = None;
        assert_eq!(comportamenti(&manca).unwrap_err(), "Manca il voto di «c1».");
    }

    #[test]
    fn total_of_a_staff_scheda() {
        // 30 × 72,5 + 20 × 83,5 + 50 × 80 = 2175 + 1670 + 4000 = 7845 / 100 = 78,45.
        let s = Sezioni {
            risultati: Some(72.5),
            obiettivi: Some(83.5),
            comportamenti: Some(80.0),
            differenziazione: None,
        };
        let p = totale(&Scheda::personale(), &s).unwrap();
        assert!((p.valore - 78.45).abs() < 1e-9);
        assert_eq!(
            p.perche[0],
            "Punteggio: (30 × 72,5 + 20 × 83,5 + 50 × 80) / 100 = 78,45 su 100."
        );
        // An EQ scheda needs the differentiation too.
        assert_eq!(
            totale(&Scheda::eq(), &s).unwrap_err(),
            "Manca la sezione «Differenziazione delle valutazioni del personale»."
        );
    }

    #[test]
    fn the_cycle_in_order_with_its_deadline() {
        use Passo::*;
        let oggi = d(2023, 4, 20);
        assert!(consentito(Stato::Bozza, Proponi, Chi::Valutatore, None, oggi).is_ok());
        assert!(consentito(Stato::Bozza, Proponi, Chi::Valutato, None, oggi).is_err());
        assert!(consentito(Stato::Proposta, PresaVisione, Chi::Valutato, None, oggi).is_ok());
        assert!(consentito(Stato::Proposta, Accetta, Chi::Valutato, None, oggi).is_err());
        let pv = Some(d(2023, 4, 20));
        // 10 working days from 20/4/2023 end on 8/5/2023.
        assert!(consentito(
            Stato::PresaVisione,
            ChiediRevisione,
            Chi::Valutato,
            pv,
            d(2023, 5, 8)
        )
        .is_ok());
        assert_eq!(
            consentito(
                Stato::PresaVisione,
                ChiediRevisione,
                Chi::Valutato,
                pv,
                d(2023, 5, 9)
            )
            .unwrap_err(),
            "Il termine per chiedere la revisione è scaduto il 08/05/2023."
        );
        assert!(consentito(
            Stato::PresaVisione,
            Chiudi,
            Chi::Valutatore,
            pv,
            d(2023, 5, 8)
        )
        .is_err());
        assert!(consentito(
            Stato::PresaVisione,
            Chiudi,
            Chi::Valutatore,
            pv,
            d(2023, 5, 9)
        )
        .is_ok());
        assert!(consentito(Stato::Revisione, Decidi, Chi::Valutatore, pv, oggi).is_ok());
        assert!(consentito(Stato::Definitiva, Salva, Chi::Valutatore, pv, oggi).is_err());
        assert_eq!(scadenza_decisione(d(2023, 4, 20)), d(2023, 5, 15));
    }

    #[test]
    fn spread_flags_a_uniform_evaluator() {
        let u = dispersione(&[80.0, 80.0, 80.0], 90.0).unwrap();
        assert!(u.uniforme);
        assert_eq!(u.scarto, 0.0);
        let v = dispersione(&[95.0, 70.0, 60.0, 91.0], 90.0).unwrap();
        assert!(!v.uniforme);
        assert_eq!(v.quota_alta, 50.0);
        assert_eq!(v.media, 79.0);
        assert!(dispersione(&[], 90.0).is_none());
    }
}
