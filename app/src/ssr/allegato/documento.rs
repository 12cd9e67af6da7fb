//! The attachment's content, in the reference document's order: title block, narrative
//! sections, then per struttura its heading, header box, objectives with their phases and
//! the staff involved; the closing block with the signature place.

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::font::Stile;
use super::pdf::{Allinea, Cella, Impaginato, Metadati, Tabella, BLU, MARGINE_X, NERO, UTILE};
use crate::domain::peso::Peso;
use crate::model::{PianoView, StrutturaView};

/// One line of "Dipendenti coinvolti sugli obiettivi".
#[derive(Debug, Clone, PartialEq)]
pub struct RigaDipendente {
    pub dipendente: String,
    pub obiettivo: i32,
    pub descrizione: String,
    pub peso: Option<Peso>,
}

/// Who signs, shown in the closing block.
#[derive(Debug, Clone, PartialEq)]
pub struct Firmatario {
    pub nome: String,
    pub ruolo: String,
}

/// Everything the attachment shows.
#[derive(Debug, Clone)]
pub struct DatiAllegato {
    pub provincia: String,
    pub piano: PianoView,
    /// Per struttura id, its staff lines.
    pub dipendenti: std::collections::HashMap<Uuid, Vec<RigaDipendente>>,
    pub firmatario: Option<Firmatario>,
    pub creato: DateTime<Utc>,
}

pub const TITOLO_1: &str = "PIANO DEGLI OBIETTIVI, DELLE ATTIVITA’ E DELLA PERFORMANCE";
pub const TITOLO_2: &str =
    "AI SENSI DELL’ART. 169 C. 3-BIS DEL DLGS 267/2000 E ART. 10 DEL DLGS 150/2009";

/// The columns of the reference's table of objectives and phases (the PDF, the XLSX).
pub const COLONNE_OBIETTIVI: [&str; 6] = [
    "N°",
    "Descrizione Obiettivi",
    "Peso %",
    "Indicatori di Misurazione",
    "Valori Attesi",
    "Data Fine Attesa",
];
const INTESTAZIONE: [f32; 3] = [0.84, 0.89, 0.95];
const OBIETTIVO: [f32; 3] = [0.95, 0.96, 0.98];
const ETICHETTA: [f32; 3] = [0.91, 0.93, 0.96];

/// Dates as the reference writes them in its tables: 31.12.2022.
pub fn data_tabella(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_default()
}

/// "STRUTTURA: SEGRETERIA – SEGRETARIO GENERALE: Sergio Segretario"
pub fn titolo_struttura(s: &StrutturaView) -> String {
    let titolo = if s.responsabile_titolo.trim().is_empty() {
        "DIRIGENTE/RESPONSABILE".to_string()
    } else {
        s.responsabile_titolo.trim().to_uppercase()
    };
    let nome = if s.responsabile_nome.trim().is_empty() {
        "______________________________".to_string()
    } else {
        s.responsabile_nome.trim().to_string()
    };
    format!("STRUTTURA: {} – {titolo}: {nome}", s.nome.trim())
}

/// The "Missione" line: the DUP missions' names, as the reference writes them.
fn missioni(s: &StrutturaView) -> String {
    s.missioni
        .iter()
        .map(|c| crate::domain::missioni::nome(c).unwrap_or(c.as_str()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The delibera line of the title block: real values once approved.
pub fn riga_delibera(p: &PianoView) -> String {
    match (&p.delibera_numero, p.delibera_data, p.approvato) {
        (Some(n), Some(d), true) => format!(
            "ALLEGATO AL PIANO ESECUTIVO DI GESTIONE, APPROVATO CON DELIBERA DI GIUNTA N. {} DEL {}",
            n.trim(),
            crate::domain::plan::data_label(d)
        ),
        _ => "ALLEGATO AL PIANO ESECUTIVO DI GESTIONE, APPROVATO CON DELIBERA DI GIUNTA N. _______ DEL _________".into(),
    }
}

fn sezione(imp: &mut Impaginato, titolo: &str, testo: &str) {
    if testo.trim().is_empty() {
        return;
    }
    imp.tieni_insieme(60.0);
    if !imp.in_cima() {
        imp.scendi(10.0);
    }
    imp.paragrafo_in(
        MARGINE_X,
        UTILE,
        titolo,
        12.0,
        Stile::Grassetto,
        Allinea::Sinistra,
        BLU,
    );
    imp.scendi(4.0);
    for par in testo.split('\n').filter(|p| !p.trim().is_empty()) {
        let par = par.trim();
        if let Some(voce) = par.strip_prefix('·').or_else(|| par.strip_prefix('•')) {
            let y = imp.spazio();
            if y < 14.0 {
                imp.nuova_pagina();
            }
            imp.paragrafo_in(
                MARGINE_X + 8.0,
                10.0,
                "·",
                10.0,
                Stile::Normale,
                Allinea::Sinistra,
                NERO,
            );
            imp.scendi(-12.2);
            imp.paragrafo_in(
                MARGINE_X + 20.0,
                UTILE - 20.0,
                voce.trim(),
                10.0,
                Stile::Normale,
                Allinea::Sinistra,
                NERO,
            );
        } else {
            imp.paragrafo(par, 10.0, Stile::Normale, Allinea::Sinistra);
        }
        imp.scendi(4.0);
    }
}

fn struttura(imp: &mut Impaginato, s: &StrutturaView, dipendenti: &[RigaDipendente]) {
    imp.nuova_pagina();
    imp.paragrafo_in(
        MARGINE_X,
        UTILE,
        &titolo_struttura(s),
        11.5,
        Stile::Grassetto,
        Allinea::Sinistra,
        BLU,
    );
    imp.scendi(6.0);
    let testata = Tabella {
        colonne: vec![170.0, UTILE - 170.0],
        intestazione: None,
        corpo: 9.5,
    };
    for (etichetta, valore) in [
        ("Linea Strategica", s.linea_strategica.clone()),
        ("Obiettivo Strategico", s.obiettivo_strategico.clone()),
        ("Missione", missioni(s)),
        ("Obiettivo Operativo", s.obiettivo_operativo.clone()),
    ] {
        imp.riga(
            &testata,
            &[
                Cella::new(etichetta).grassetto().sfondo(ETICHETTA),
                Cella::new(valore),
            ],
        );
    }
    imp.scendi(12.0);
    let t = Tabella {
        colonne: vec![36.0, 250.0, 50.0, 168.0, 186.0, UTILE - 690.0],
        intestazione: Some(
            COLONNE_OBIETTIVI
                .iter()
                .map(|h| Cella::new(*h).grassetto().centro().sfondo(INTESTAZIONE))
                .collect(),
        ),
        corpo: 8.5,
    };
    imp.inizia_tabella(&t);
    for (i, o) in s.obiettivi.iter().enumerate() {
        let n = i + 1;
        imp.riga(
            &t,
            &[
                Cella::new(n.to_string())
                    .grassetto()
                    .centro()
                    .sfondo(OBIETTIVO),
                Cella::new(o.campi.descrizione.trim()).sfondo(OBIETTIVO),
                Cella::new(o.campi.peso.map(Peso::label).unwrap_or_default())
                    .grassetto()
                    .centro()
                    .sfondo(OBIETTIVO),
                Cella::new(o.campi.indicatori.trim()).sfondo(OBIETTIVO),
                Cella::new(o.campi.valori_attesi.trim()).sfondo(OBIETTIVO),
                Cella::new(data_tabella(o.campi.data_fine))
                    .centro()
                    .sfondo(OBIETTIVO),
            ],
        );
        for (j, f) in o.fasi.iter().enumerate() {
            imp.riga(
                &t,
                &[
                    Cella::new(format!("{n}.{}", j + 1)).centro(),
                    Cella::new(format!("Fase: {}", f.campi.descrizione.trim())),
                    Cella::new(
                        f.campi
                            .peso
                            .map(|p| format!("({})", p.label()))
                            .unwrap_or_default(),
                    )
                    .centro(),
                    Cella::new(f.campi.indicatori.trim()),
                    Cella::new(f.campi.valori_attesi.trim()),
                    Cella::new(data_tabella(f.campi.data_fine)).centro(),
                ],
            );
        }
    }
    imp.scendi(14.0);
    let d = Tabella {
        colonne: vec![36.0, 220.0, UTILE - 36.0 - 220.0 - 60.0, 60.0],
        intestazione: Some(
            ["N.", "Dipendenti", "Obiettivo", "Peso %"]
                .iter()
                .map(|h| Cella::new(*h).grassetto().centro().sfondo(INTESTAZIONE))
                .collect(),
        ),
        corpo: 8.5,
    };
    imp.tieni_insieme(80.0);
    imp.paragrafo_in(
        MARGINE_X,
        UTILE,
        "Dipendenti coinvolti sugli obiettivi:",
        10.5,
        Stile::Grassetto,
        Allinea::Sinistra,
        BLU,
    );
    imp.scendi(4.0);
    imp.inizia_tabella(&d);
    if dipendenti.is_empty() {
        imp.riga(
            &d,
            &[
                Cella::new(""),
                Cella::new("Nessun dipendente assegnato."),
                Cella::new(""),
                Cella::new(""),
            ],
        );
    }
    let mut n = 0;
    let mut prima: Option<&str> = None;
    for r in dipendenti {
        let nuovo = prima != Some(r.dipendente.as_str());
        if nuovo {
            n += 1;
            prima = Some(&r.dipendente);
        }
        let descr = breve(&r.descrizione, 130);
        imp.riga(
            &d,
            &[
                Cella::new(if nuovo { n.to_string() } else { String::new() }).centro(),
                Cella::new(if nuovo {
                    r.dipendente.clone()
                } else {
                    String::new()
                }),
                Cella::new(format!("{} – {descr}", r.obiettivo)),
                Cella::new(r.peso.map(Peso::label).unwrap_or_default()).centro(),
            ],
        );
    }
}

/// The first words of `testo`, at most `max` characters, "…" when cut.
pub fn breve(testo: &str, max: usize) -> String {
    let testo = testo.split_whitespace().collect::<Vec<_>>().join(" ");
    if testo.chars().count() <= max {
        return testo;
    }
    let taglio: String = testo.chars().take(max).collect();
    let taglio = match taglio.rfind(' ') {
        Some(i) if i > max / 2 => &taglio[..i],
        _ => &taglio,
    };
    format!("{}…", taglio.trim_end_matches([',', ';', ':', '.']))
}

fn chiusura(imp: &mut Impaginato, dati: &DatiAllegato) {
    let p = &dati.piano;
    imp.tieni_insieme(150.0);
    imp.scendi(24.0);
    let y = imp.cursore();
    imp.linea(MARGINE_X, y, MARGINE_X + UTILE, y, 0.6);
    imp.scendi(14.0);
    imp.paragrafo(&p.ente_nome, 12.0, Stile::Grassetto, Allinea::Sinistra);
    if let (true, Some(n), Some(d)) = (p.approvato, &p.delibera_numero, p.delibera_data) {
        imp.paragrafo(
            &format!(
                "Piano approvato con delibera di Giunta n. {} del {}.",
                n.trim(),
                crate::domain::plan::data_label(d)
            ),
            9.5,
            Stile::Normale,
            Allinea::Sinistra,
        );
    }
    imp.scendi(10.0);
    let x = MARGINE_X + UTILE / 2.0 + 40.0;
    let w = UTILE / 2.0 - 40.0;
    let sinistra = MARGINE_X;
    let top = imp.spazio();
    imp.paragrafo_in(
        sinistra,
        w,
        "Luogo e data",
        9.5,
        Stile::Grassetto,
        Allinea::Sinistra,
        NERO,
    );
    imp.paragrafo_in(
        sinistra,
        w,
        "______________________________",
        10.0,
        Stile::Normale,
        Allinea::Sinistra,
        NERO,
    );
    // Back up to the same height for the signature place on the right.
    let ora = imp.spazio();
    imp.scendi(ora - top);
    match &dati.firmatario {
        Some(f) => {
            imp.paragrafo_in(
                x,
                w,
                &format!("Il {}", f.ruolo.trim()).replace("Il Il ", "Il "),
                9.5,
                Stile::Grassetto,
                Allinea::Centro,
                NERO,
            );
            imp.paragrafo_in(
                x,
                w,
                f.nome.trim(),
                11.0,
                Stile::Grassetto,
                Allinea::Centro,
                NERO,
            );
            imp.paragrafo_in(
                x,
                w,
                "Documento firmato digitalmente ai sensi del D.Lgs. 82/2005 (Codice dell’Amministrazione Digitale) e norme collegate.",
                8.5,
                Stile::Normale,
                Allinea::Centro,
                NERO,
            );
        }
        None => {
            imp.paragrafo_in(x, w, "Firma", 9.5, Stile::Grassetto, Allinea::Centro, NERO);
            imp.scendi(16.0);
            imp.paragrafo_in(
                x,
                w,
                "______________________________",
                10.0,
                Stile::Normale,
                Allinea::Centro,
                NERO,
            );
        }
    }
}

/// Lays the attachment out and writes the PDF.
pub fn componi(dati: &DatiAllegato) -> Vec<u8> {
    let p = &dati.piano;
    let mut imp = Impaginato::new();
    imp.scendi(95.0);
    let centro = |imp: &mut Impaginato, t: &str, size: f32, stile: Stile| {
        imp.paragrafo_in(
            MARGINE_X + 40.0,
            UTILE - 80.0,
            t,
            size,
            stile,
            Allinea::Centro,
            NERO,
        );
    };
    centro(
        &mut imp,
        &p.ente_nome.to_uppercase(),
        20.0,
        Stile::Grassetto,
    );
    imp.scendi(2.0);
    let provincia = if dati.provincia.trim().is_empty() {
        "Provincia di ____________".to_string()
    } else {
        dati.provincia.trim().to_string()
    };
    centro(&mut imp, &provincia, 13.0, Stile::Normale);
    imp.scendi(40.0);
    centro(&mut imp, TITOLO_1, 16.0, Stile::Grassetto);
    imp.scendi(2.0);
    centro(&mut imp, TITOLO_2, 12.0, Stile::Grassetto);
    imp.scendi(26.0);
    centro(
        &mut imp,
        &format!(
            "TRIENNIO {}/{} – ANNUALITA’ {}",
            p.triennio_da, p.triennio_a, p.anno
        ),
        14.0,
        Stile::Grassetto,
    );
    imp.scendi(26.0);
    centro(&mut imp, &riga_delibera(p), 11.0, Stile::Normale);
    imp.nuova_pagina();
    let riferimenti = if p.regolamento.trim().is_empty() {
        p.riferimenti_normativi.clone()
    } else {
        // The reference leaves "approvato con ______" for the ente to fill in.
        p.riferimenti_normativi.replacen(
            "approvato con __________________________",
            &format!("approvato con {}", p.regolamento.trim()),
            1,
        )
    };
    sezione(&mut imp, "I RIFERIMENTI NORMATIVI", &riferimenti);
    sezione(
        &mut imp,
        "LA PROGRAMMAZIONE STRATEGICA E GLI OBIETTIVI",
        &p.programmazione_strategica,
    );
    sezione(
        &mut imp,
        "IL TERRITORIO E LA STRUTTURA ORGANIZZATIVA",
        &p.territorio,
    );
    for s in &p.strutture {
        struttura(
            &mut imp,
            s,
            dati.dipendenti.get(&s.id).map(Vec::as_slice).unwrap_or(&[]),
        );
    }
    chiusura(&mut imp, dati);
    let titolo = format!(
        "Piano degli Obiettivi, delle Attività e della Performance {} – {}",
        p.anno, p.ente_nome
    );
    let mut h = Sha256::new();
    h.update(p.id.as_bytes());
    h.update(dati.creato.to_rfc3339().as_bytes());
    h.update(p.version.to_be_bytes());
    let id: [u8; 16] = h.finalize()[..16].try_into().expect("16 bytes");
    let meta = Metadati {
        titolo,
        autore: p.ente_nome.clone(),
        soggetto: format!(
            "Allegato al PEG – triennio {}/{}, annualità {}",
            p.triennio_da, p.triennio_a, p.anno
        ),
        testata: format!(
            "{} – Piano degli Obiettivi {}/{} – annualità {}",
            p.ente_nome, p.triennio_da, p.triennio_a, p.anno
        ),
        piede: riga_delibera(p)
            .replace(
                "ALLEGATO AL PIANO ESECUTIVO DI GESTIONE, APPROVATO CON",
                "Allegato al PEG,",
            )
            .replace("DELIBERA DI GIUNTA N.", "delibera di Giunta n.")
            .replace(" DEL ", " del "),
        bozza: !p.approvato,
        creato: dati.creato,
        id,
    };
    imp.pdf(&meta)
}
