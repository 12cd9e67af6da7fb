//! The Relazione sulla Performance and the Nucleo's Documento di validazione as PDF/A, in
//! the attachment's layout family (same engine, fonts, furniture). The Relazione's content
//! is one list of blocks (`capitoli`), which the OpenDocument version writes too.

use chrono::{DateTime, NaiveTime, Utc};
use sha2::{Digest, Sha256};

use super::Dati;
use crate::domain::plan::{data_label, giorno_label};
use crate::domain::smvp::{numero, percento};
use crate::domain::versioni::Tipo;
use crate::model::{esito_label, ValidazioneView};
use crate::ssr::allegato::font::Stile;
use crate::ssr::allegato::pdf::{
    Allinea, Cella, Impaginato, Metadati, Tabella, BLU, MARGINE_X, NERO, UTILE,
};

const INTESTAZIONE: [f32; 3] = [0.84, 0.89, 0.95];

pub const TITOLO: &str = "RELAZIONE SULLA PERFORMANCE";
pub const NORMA: &str = "ai sensi dell’art. 10, comma 1, lett. b) del D.Lgs. 150/2009";
pub const TITOLO_VALIDAZIONE: &str = "DOCUMENTO DI VALIDAZIONE DELLA RELAZIONE SULLA PERFORMANCE";
pub const NORMA_VALIDAZIONE: &str = "ai sensi dell’art. 14, comma 4, lett. c) del D.Lgs. 150/2009";

/// A piece of the Relazione.
#[derive(Debug, Clone)]
pub enum Blocco {
    Capitolo(String),
    Sezione(String),
    Testo(String),
    /// Column widths (as shares of the page), header, rows.
    Tabella(Vec<f32>, Vec<String>, Vec<Vec<String>>),
}

/// The Relazione's chapters.
pub fn capitoli(d: &Dati) -> Vec<Blocco> {
    use Blocco::*;
    let c = &d.chiusura;
    let mut b = Vec::new();
    b.push(Capitolo("1. Il contesto".into()));
    b.push(Testo(if d.riga_contesto.trim().is_empty() {
        "(Capitolo da compilare.)".into()
    } else {
        d.riga_contesto.trim().to_string()
    }));

    b.push(Capitolo("2. I risultati".into()));
    match &c.testata {
        Some(t) => b.push(Testo(format!(
            "Il raggiungimento degli obiettivi è misurato con il Sistema di Misurazione e Valutazione della Performance dell’ente (profilo versione {}): per fasi, per indicatori o misto, come indicato per ciascun obiettivo; il risultato di ogni struttura è la media dei suoi obiettivi pesata sui pesi del piano, quello dell’ente la {}. Fasce: {} dal {}, {} dal {}, altrimenti {}.",
            t.profilo_numero,
            if t.profilo.media == crate::domain::smvp::Media::Fte { "media delle strutture pesata sul personale" } else { "media semplice delle strutture" },
            t.profilo.etichette[0],
            percento(t.profilo.raggiunto),
            t.profilo.etichette[1],
            percento(t.profilo.parziale),
            t.profilo.etichette[2].to_lowercase(),
        ))),
        None => b.push(Testo("La chiusura dell’anno non è stata avviata.".into())),
    }
    let etichetta = |v: f64| {
        c.testata
            .as_ref()
            .map(|t| t.profilo.etichetta(v).to_string())
            .unwrap_or_default()
    };
    b.push(Testo(match &c.ente {
        Some(p) => format!(
            "Risultato complessivo dell’ente: {} ({}).",
            percento(p.valore),
            etichetta(p.valore)
        ),
        None => "Risultato complessivo dell’ente: non ancora calcolabile.".into(),
    }));
    for s in &c.strutture {
        b.push(Sezione(format!(
            "{} – {}: {}",
            s.nome.trim(),
            if s.responsabile.trim().is_empty() {
                "responsabile non indicato"
            } else {
                s.responsabile.trim()
            },
            s.risultato
                .as_ref()
                .map(|r| format!("{} ({})", percento(r.valore), etichetta(r.valore)))
                .unwrap_or_else(|| "risultato non calcolabile".into())
        )));
        let righe = s
            .obiettivi
            .iter()
            .map(|o| {
                let raggiungimento = match (o.non_valutabile, o.finale) {
                    (true, _) => "non valutabile".to_string(),
                    (false, Some(v)) => percento(v),
                    (false, None) => "n.d.".into(),
                };
                let scostamento = o
                    .finale
                    .filter(|_| !o.non_valutabile)
                    .map(|v| {
                        if v >= 100.0 {
                            "—".to_string()
                        } else {
                            format!("−{} punti", numero(100.0 - v))
                        }
                    })
                    .unwrap_or_else(|| "—".into());
                let mut note = o.causa.clone();
                if let Some(r) = o.rettifiche.last().filter(|r| r.tipo != "annullata") {
                    if !note.is_empty() {
                        note.push('\n');
                    }
                    note.push_str(&format!(
                        "Nucleo ({}, {}): {} – {}",
                        r.autore,
                        giorno_label(r.quando),
                        r.descrizione(),
                        r.motivo.trim()
                    ));
                }
                let mut effettivo = o.valore_effettivo.clone();
                for m in &o.misure {
                    if !effettivo.is_empty() {
                        effettivo.push('\n');
                    }
                    effettivo.push_str(&m.testo());
                }
                vec![
                    o.numero.clone(),
                    o.descrizione.trim().to_string(),
                    o.peso.map(|p| p.label()).unwrap_or_default(),
                    o.valori_attesi.trim().to_string(),
                    effettivo,
                    format!("{raggiungimento}\n{}", o.metodo.label()),
                    scostamento,
                    note,
                ]
            })
            .collect();
        b.push(Tabella(
            vec![0.04, 0.25, 0.06, 0.16, 0.16, 0.1, 0.08, 0.15],
            [
                "N°",
                "Obiettivo",
                "Peso",
                "Valore atteso",
                "Valore effettivo",
                "Raggiungimento",
                "Scostamento",
                "Cause e decisioni del Nucleo",
            ]
            .map(String::from)
            .to_vec(),
            righe,
        ));
    }

    b.push(Capitolo("3. Le modifiche nel corso dell’anno".into()));
    if let Some(v) = &d.prima {
        b.push(Testo(format!(
            "Il Piano è stato approvato con delibera di Giunta n. {} del {}.",
            v.delibera_numero,
            data_label(v.delibera_data)
        )));
    }
    if d.modifiche.is_empty() {
        b.push(Testo(
            "Nel corso dell’anno il Piano non è stato rimodulato.".into(),
        ));
    }
    for (v, m) in &d.modifiche {
        b.push(Sezione(format!(
            "Versione {}: delibera di Giunta n. {} del {}",
            v.numero,
            v.delibera_numero,
            data_label(v.delibera_data)
        )));
        if !v.motivo.trim().is_empty() {
            b.push(Testo(format!("Motivo: {}", v.motivo.trim())));
        }
        b.push(Tabella(
            vec![0.3, 0.1, 0.15, 0.225, 0.225],
            ["Dove", "Modifica", "Campo", "Prima", "Dopo"]
                .map(String::from)
                .to_vec(),
            m.iter()
                .map(|x| {
                    vec![
                        x.dove.clone(),
                        match x.tipo {
                            Tipo::Aggiunto => "aggiunto",
                            Tipo::Rimosso => "rimosso",
                            Tipo::Modificato => "modificato",
                        }
                        .into(),
                        x.campo.clone(),
                        x.prima.clone(),
                        x.dopo.clone(),
                    ]
                })
                .collect(),
        ));
    }

    b.push(Capitolo("4. La performance individuale".into()));
    match &d.premi {
        Some(art20) => {
            b.push(Testo("Ogni persona è stata valutata con la scheda della sua categoria prevista dal Sistema di Misurazione e Valutazione della Performance: i risultati della struttura e degli obiettivi assegnati, i comportamenti e, per i titolari di Elevata Qualificazione, la differenziazione dei giudizi sul proprio personale. La distribuzione dei punteggi, senza nominativi (le fasce con meno di tre persone sono accorpate):".into()));
            b.push(Tabella(
                vec![0.4, 0.3, 0.15, 0.15],
                ["Categoria", "Fascia di punteggio", "Persone", "% dei valutati"]
                    .map(String::from)
                    .to_vec(),
                art20
                    .iter()
                    .flat_map(|a| {
                        a.fasce.iter().map(move |f| {
                            vec![
                                a.categoria.label().to_string(),
                                f.etichetta.clone(),
                                f.persone.to_string(),
                                percento(f.percentuale),
                            ]
                        })
                    })
                    .collect(),
            ));
        }
        None => b.push(Testo("Non disponibile: le valutazioni individuali e la ripartizione dei premi dell’anno non sono ancora definitive.".into())),
    }
    b.push(Capitolo("5. I premi".into()));
    match &d.premi {
        Some(art20) => b.extend(crate::ssr::premi::blocchi_art20(art20)),
        None => b.push(Testo(
            "Non disponibile: la ripartizione dei premi dell’anno non è ancora definitiva.".into(),
        )),
    }

    b.push(Capitolo("6. Pari opportunità e bilancio di genere".into()));
    b.push(Testo(if d.riga_pari.trim().is_empty() {
        "(Capitolo da compilare.)".into()
    } else {
        d.riga_pari.trim().to_string()
    }));
    b.push(Testo("Il genere del personale non è rilevato nell’anagrafica: i conteggi per genere non sono disponibili.".into()));

    b.push(Capitolo("7. Il processo".into()));
    b.push(Tabella(
        vec![0.15, 0.85],
        ["Data", "Fase del ciclo"].map(String::from).to_vec(),
        d.processo
            .iter()
            .map(|(data, cosa)| vec![data_label(*data), cosa.clone()])
            .collect(),
    ));
    b
}

/// The title block shared by the two documents.
fn intestazione(imp: &mut Impaginato, ente: &str, titolo: &str, norma: &str, sotto: &str) {
    let centro = |imp: &mut Impaginato, t: &str, size: f32, stile: Stile| {
        imp.paragrafo_in(MARGINE_X, UTILE, t, size, stile, Allinea::Centro, NERO);
    };
    centro(imp, &ente.to_uppercase(), 16.0, Stile::Grassetto);
    imp.scendi(6.0);
    centro(imp, titolo, 14.0, Stile::Grassetto);
    centro(imp, norma, 10.0, Stile::Normale);
    imp.scendi(6.0);
    centro(imp, sotto, 11.0, Stile::Grassetto);
    imp.scendi(8.0);
}

/// Lays the blocks out.
fn scrivi(imp: &mut Impaginato, blocchi: &[Blocco]) {
    for b in blocchi {
        match b {
            Blocco::Capitolo(t) => {
                imp.tieni_insieme(80.0);
                imp.scendi(12.0);
                imp.paragrafo_in(
                    MARGINE_X,
                    UTILE,
                    t,
                    13.0,
                    Stile::Grassetto,
                    Allinea::Sinistra,
                    BLU,
                );
                imp.scendi(4.0);
            }
            Blocco::Sezione(t) => {
                imp.tieni_insieme(70.0);
                imp.scendi(8.0);
                imp.paragrafo_in(
                    MARGINE_X,
                    UTILE,
                    t,
                    11.0,
                    Stile::Grassetto,
                    Allinea::Sinistra,
                    NERO,
                );
                imp.scendi(3.0);
            }
            Blocco::Testo(t) => {
                for p in t.split("\n\n") {
                    imp.paragrafo(p, 10.0, Stile::Normale, Allinea::Sinistra);
                    imp.scendi(4.0);
                }
            }
            Blocco::Tabella(larghezze, testata, righe) => {
                let t = Tabella {
                    colonne: larghezze.iter().map(|l| l * UTILE).collect(),
                    intestazione: Some(
                        testata
                            .iter()
                            .map(|h| {
                                Cella::new(h.clone())
                                    .grassetto()
                                    .centro()
                                    .sfondo(INTESTAZIONE)
                            })
                            .collect(),
                    ),
                    corpo: 8.0,
                };
                imp.inizia_tabella(&t);
                for r in righe {
                    let celle: Vec<Cella> = r.iter().map(|c| Cella::new(c.clone())).collect();
                    imp.riga(&t, &celle);
                }
                imp.scendi(4.0);
            }
        }
    }
}

/// A short document of `blocchi` under the title block (ente, title, norm, subtitle): the
/// scheda, the art. 20 tables.
pub fn documento(
    intestazione_: [&str; 4],
    blocchi: &[Blocco],
    firma: Option<&str>,
    meta: Metadati,
) -> Vec<u8> {
    let mut imp = Impaginato::new();
    let [ente, titolo, norma, sotto] = intestazione_;
    intestazione(&mut imp, ente, titolo, norma, sotto);
    scrivi(&mut imp, blocchi);
    if let Some(f) = firma {
        imp.tieni_insieme(60.0);
        imp.scendi(20.0);
        imp.paragrafo_in(
            MARGINE_X + UTILE - 260.0,
            260.0,
            f,
            10.0,
            Stile::Grassetto,
            Allinea::Centro,
            NERO,
        );
    }
    imp.pdf(&meta)
}

/// A document id from what it is about.
pub fn id_di(parti: &[&[u8]]) -> [u8; 16] {
    let mut h = Sha256::new();
    for p in parti {
        h.update(p);
    }
    h.finalize()[..16].try_into().expect("16 bytes")
}

/// The Relazione as PDF/A: a draft marked BOZZA, or as adopted (created on the delibera's
/// date: the same content gives the same bytes).
pub fn relazione(d: &Dati, ora: DateTime<Utc>) -> Vec<u8> {
    let c = &d.chiusura;
    let mut imp = Impaginato::new();
    let sotto = match &d.delibera {
        Some((n, data)) => format!(
            "Anno {} – adottata con delibera di Giunta n. {n} del {}",
            c.anno,
            data_label(*data)
        ),
        None => format!("Anno {} – bozza", c.anno),
    };
    intestazione(&mut imp, &c.ente_nome, TITOLO, NORMA, &sotto);
    scrivi(&mut imp, &capitoli(d));
    let creato = d
        .delibera
        .as_ref()
        .map(|(_, data)| data.and_time(NaiveTime::MIN).and_utc())
        .unwrap_or(ora);
    let meta = Metadati {
        titolo: format!("Relazione sulla Performance {} – {}", c.anno, c.ente_nome),
        autore: c.ente_nome.clone(),
        soggetto: format!("Relazione sulla Performance dell’anno {}", c.anno),
        testata: format!("{} – Relazione sulla Performance {}", c.ente_nome, c.anno),
        piede: format!("Relazione sulla Performance {}", c.anno),
        bozza: d.delibera.is_none(),
        creato,
        id: id_di(&[d.ente_slug.as_bytes(), &c.anno.to_be_bytes(), b"relazione"]),
    };
    imp.pdf(&meta)
}

/// The Documento di validazione, laid out for its first signer at `ora`.
pub fn validazione(
    ente: &str,
    anno: i32,
    relazione: (&str, chrono::NaiveDate, &[u8]),
    v: &ValidazioneView,
    ora: DateTime<Utc>,
) -> Vec<u8> {
    let mut imp = Impaginato::new();
    intestazione(
        &mut imp,
        ente,
        TITOLO_VALIDAZIONE,
        NORMA_VALIDAZIONE,
        &format!("Relazione sulla Performance {anno}"),
    );
    let blocchi = vec![
        Blocco::Testo(format!(
            "Il Nucleo di Valutazione ha esaminato la Relazione sulla Performance {anno}, adottata con delibera di Giunta n. {} del {} (file PDF con impronta SHA-256 {}).",
            relazione.0,
            data_label(relazione.1),
            hex::encode(Sha256::digest(relazione.2))
        )),
        Blocco::Capitolo("Verifiche".into()),
        Blocco::Tabella(
            vec![0.8, 0.2],
            ["Verifica", "Esito"].map(String::from).to_vec(),
            [
                ("Conformità della Relazione alle disposizioni del D.Lgs. 150/2009 e del SMVP", v.conformita),
                ("Attendibilità dei dati e delle informazioni riportate", v.attendibilita),
                ("Comprensibilità e chiarezza per i cittadini", v.comprensibilita),
                ("Motivazione delle modifiche intervenute nel corso dell’anno", v.modifiche_motivate),
            ]
            .iter()
            .map(|(t, ok)| vec![t.to_string(), if *ok { "Sì" } else { "No" }.to_string()])
            .collect(),
        ),
        Blocco::Capitolo("Campione di obiettivi verificati sulle evidenze".into()),
        Blocco::Tabella(
            vec![0.3, 0.45, 0.25],
            ["Obiettivo", "Descrizione", "Esaminato"].map(String::from).to_vec(),
            v.campione
                .iter()
                .map(|c| {
                    vec![
                        c.dove.clone(),
                        c.descrizione.trim().to_string(),
                        c.esaminato
                            .as_ref()
                            .map(|(chi, q)| format!("{} il {}", chi, giorno_label(*q)))
                            .unwrap_or_else(|| "no".into()),
                    ]
                })
                .collect(),
        ),
        Blocco::Capitolo(format!(
            "Esito: {}",
            esito_label(v.esito.as_deref().unwrap_or(""))
        )),
        Blocco::Testo(if v.testo.trim().is_empty() {
            "Nessuna osservazione.".into()
        } else {
            v.testo.trim().to_string()
        }),
        Blocco::Testo(format!(
            "Il documento è firmato digitalmente da {}.",
            if v.componenti == 1 {
                "il componente unico del Nucleo di Valutazione".to_string()
            } else {
                format!("ciascuno dei {} componenti del Nucleo di Valutazione", v.componenti)
            }
        )),
    ];
    scrivi(&mut imp, &blocchi);
    imp.tieni_insieme(60.0);
    imp.scendi(20.0);
    imp.paragrafo_in(
        MARGINE_X + UTILE - 260.0,
        260.0,
        &format!("Il Nucleo di Valutazione – {}", giorno_label(ora)),
        10.0,
        Stile::Grassetto,
        Allinea::Centro,
        NERO,
    );
    let meta = Metadati {
        titolo: format!(
            "Documento di validazione della Relazione sulla Performance {anno} – {ente}"
        ),
        autore: format!("Nucleo di Valutazione – {ente}"),
        soggetto: format!("Validazione della Relazione sulla Performance {anno}"),
        testata: format!("{ente} – Validazione della Relazione sulla Performance {anno}"),
        piede: format!("Relazione sulla Performance {anno}"),
        bozza: false,
        creato: ora,
        id: id_di(&[
            ente.as_bytes(),
            &anno.to_be_bytes(),
            ora.to_rfc3339().as_bytes(),
        ]),
    };
    imp.pdf(&meta)
}
