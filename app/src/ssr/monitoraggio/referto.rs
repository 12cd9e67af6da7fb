//! The Nucleo's «Referto di monitoraggio» as PDF/A, in the attachment's layout family
//! (same engine, fonts, furniture): per struttura, each objective and phase with its
//! expected and actual progress, the light, the cause and the corrective action, the
//! Nucleo's notes; then the closing block with the signer. Signed PAdES by the caller.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::domain::monitoraggio::Semaforo;
use crate::domain::plan::{data_label, giorno_label};
use crate::model::{MonitoraggioView, RigaMonitorata};
use crate::ssr::allegato::documento::data_tabella;
use crate::ssr::allegato::font::Stile;
use crate::ssr::allegato::pdf::{
    Allinea, Cella, Impaginato, Metadati, Tabella, BLU, MARGINE_X, NERO, UTILE,
};

const INTESTAZIONE: [f32; 3] = [0.84, 0.89, 0.95];
const OBIETTIVO: [f32; 3] = [0.95, 0.96, 0.98];
const VERDE: [f32; 3] = [0.80, 0.93, 0.80];
const GIALLO: [f32; 3] = [1.0, 0.93, 0.70];
const ROSSO: [f32; 3] = [0.97, 0.78, 0.78];

pub const TITOLO: &str = "REFERTO DI MONITORAGGIO INTERMEDIO";
pub const NORMA: &str =
    "Verifica dell’andamento degli obiettivi ai sensi dell’art. 6 del D.Lgs. 150/2009";

fn colore(s: Semaforo) -> [f32; 3] {
    match s {
        Semaforo::Verde => VERDE,
        Semaforo::Giallo => GIALLO,
        Semaforo::Rosso => ROSSO,
    }
}

/// The cells of one objective or phase.
fn celle(v: &MonitoraggioView, r: &RigaMonitorata, nota: &str, fase: bool) -> Vec<Cella> {
    let a = &r.avanzamento;
    let l = v.luce(r);
    let descrizione = if fase {
        format!("Fase: {}", r.riga.campi.descrizione.trim())
    } else {
        r.riga.campi.descrizione.trim().to_string()
    };
    let mut valore = a.valore_effettivo.trim().to_string();
    if let Some(d) = a.valore_data {
        valore.push_str(&format!(" (al {})", data_label(d)));
    }
    if !a.valore_fonte.trim().is_empty() {
        valore.push_str(&format!("\nFonte: {}", a.valore_fonte.trim()));
    }
    let mut causa = a
        .causa
        .map(|c| {
            if a.causa_testo.trim().is_empty() {
                c.label().to_string()
            } else {
                format!("{}: {}", c.label(), a.causa_testo.trim())
            }
        })
        .unwrap_or_default();
    if !a.azione_correttiva.trim().is_empty() {
        if !causa.is_empty() {
            causa.push('\n');
        }
        causa.push_str(&format!(
            "Azione correttiva: {}",
            a.azione_correttiva.trim()
        ));
    }
    if !a.nota.trim().is_empty() {
        if !causa.is_empty() {
            causa.push('\n');
        }
        causa.push_str(&format!("Nota: {}", a.nota.trim()));
    }
    if let Some(p) = a.proposta {
        if !causa.is_empty() {
            causa.push('\n');
        }
        causa.push_str(&format!(
            "Proposta di rimodulazione – {}: {}",
            p.label(),
            a.proposta_testo.trim()
        ));
    }
    let sfondo = |c: Cella| if fase { c } else { c.sfondo(OBIETTIVO) };
    let luce_cella = match l {
        Some((_, s)) => Cella::new(s.nome()).centro().sfondo(colore(s)),
        None => sfondo(Cella::new("—").centro()),
    };
    vec![
        sfondo(Cella::new(r.numero.clone()).centro()),
        sfondo(Cella::new(descrizione)),
        sfondo(Cella::new(data_tabella(r.riga.campi.data_fine)).centro()),
        sfondo(Cella::new(l.map(|(att, _)| att.label()).unwrap_or_default()).centro()),
        sfondo(
            Cella::new(
                a.percentuale
                    .map(|p| p.label())
                    .unwrap_or_else(|| "—".into()),
            )
            .centro()
            .grassetto(),
        ),
        luce_cella,
        sfondo(Cella::new(valore)),
        sfondo(Cella::new(causa)),
        sfondo(Cella::new(nota.trim())),
    ]
}

/// Lays the Referto out and writes the PDF (not yet signed).
pub fn componi(v: &MonitoraggioView, firmatario: &str, creato: DateTime<Utc>) -> Vec<u8> {
    let mut imp = Impaginato::new();
    let centro = |imp: &mut Impaginato, t: &str, size: f32, stile: Stile| {
        imp.paragrafo_in(MARGINE_X, UTILE, t, size, stile, Allinea::Centro, NERO);
    };
    centro(
        &mut imp,
        &v.ente_nome.to_uppercase(),
        16.0,
        Stile::Grassetto,
    );
    imp.scendi(6.0);
    centro(&mut imp, TITOLO, 14.0, Stile::Grassetto);
    centro(&mut imp, NORMA, 10.0, Stile::Normale);
    imp.scendi(6.0);
    centro(
        &mut imp,
        &format!(
            "Piano degli Obiettivi {} – situazione al {}",
            v.anno,
            data_label(v.scadenze.riferimento)
        ),
        11.0,
        Stile::Grassetto,
    );
    imp.scendi(8.0);
    imp.paragrafo(
        &format!(
            "L’avanzamento atteso cresce in modo lineare dall’avvio ({}) alla data di fine di ciascun obiettivo e fase. Semaforo verde: avanzamento effettivo non inferiore all’atteso di oltre 10 punti; giallo: fino a 25 punti sotto; rosso: oltre 25 punti sotto, oppure data di fine superata senza completamento.",
            data_label(v.inizio)
        ),
        9.0,
        Stile::Normale,
        Allinea::Sinistra,
    );
    let t = Tabella {
        colonne: vec![
            30.0,
            150.0,
            52.0,
            44.0,
            48.0,
            42.0,
            105.0,
            UTILE - 30.0 - 150.0 - 52.0 - 44.0 - 48.0 - 42.0 - 105.0 - 110.0,
            110.0,
        ],
        intestazione: Some(
            [
                "N°",
                "Obiettivo / fase",
                "Data fine",
                "Atteso",
                "Effettivo",
                "Semaforo",
                "Valore rilevato",
                "Causa, azione correttiva, note",
                "Osservazioni del Nucleo",
            ]
            .iter()
            .map(|h| Cella::new(*h).grassetto().centro().sfondo(INTESTAZIONE))
            .collect(),
        ),
        corpo: 8.0,
    };
    for s in &v.strutture {
        imp.tieni_insieme(90.0);
        imp.scendi(10.0);
        imp.paragrafo_in(
            MARGINE_X,
            UTILE,
            &format!("{} – {}", s.nome.trim(), s.responsabile.trim()),
            11.0,
            Stile::Grassetto,
            Allinea::Sinistra,
            BLU,
        );
        imp.scendi(4.0);
        imp.inizia_tabella(&t);
        for o in &s.obiettivi {
            let nota = o
                .nota_nucleo
                .as_ref()
                .map(|n| n.testo.as_str())
                .unwrap_or("");
            imp.riga(&t, &celle(v, &o.obiettivo, nota, false));
            for f in &o.fasi {
                imp.riga(&t, &celle(v, f, "", true));
            }
            if !o.evidenze.is_empty() {
                let elenco: Vec<String> = o
                    .evidenze
                    .iter()
                    .map(|e| format!("{} (SHA-256 {}…)", e.nome_file, &e.sha256[..16]))
                    .collect();
                imp.riga(
                    &t,
                    &[
                        Cella::new(""),
                        Cella::new(format!("Evidenze: {}", elenco.join("; "))),
                        Cella::new(""),
                        Cella::new(""),
                        Cella::new(""),
                        Cella::new(""),
                        Cella::new(""),
                        Cella::new(""),
                        Cella::new(""),
                    ],
                );
            }
        }
    }
    imp.tieni_insieme(90.0);
    imp.scendi(24.0);
    let x = MARGINE_X + UTILE - 260.0;
    imp.paragrafo_in(
        x,
        260.0,
        "Il Nucleo di Valutazione",
        10.0,
        Stile::Grassetto,
        Allinea::Centro,
        NERO,
    );
    imp.paragrafo_in(
        x,
        260.0,
        firmatario,
        10.0,
        Stile::Normale,
        Allinea::Centro,
        NERO,
    );
    imp.paragrafo_in(
        x,
        260.0,
        &format!("Firmato digitalmente il {}", giorno_label(creato)),
        8.5,
        Stile::Normale,
        Allinea::Centro,
        NERO,
    );
    let mut h = Sha256::new();
    h.update(v.id.as_bytes());
    h.update(creato.to_rfc3339().as_bytes());
    let id: [u8; 16] = h.finalize()[..16].try_into().expect("16 bytes");
    let meta = Metadati {
        titolo: format!(
            "Referto di monitoraggio al {} – Piano degli Obiettivi {} – {}",
            data_label(v.scadenze.riferimento),
            v.anno,
            v.ente_nome
        ),
        autore: format!("Nucleo di Valutazione – {}", v.ente_nome),
        soggetto: format!(
            "Monitoraggio intermedio del Piano degli Obiettivi {}",
            v.anno
        ),
        testata: format!(
            "{} – Referto di monitoraggio al {}",
            v.ente_nome,
            data_label(v.scadenze.riferimento)
        ),
        piede: format!("Piano degli Obiettivi {}", v.anno),
        bozza: false,
        creato,
        id,
    };
    imp.pdf(&meta)
}
