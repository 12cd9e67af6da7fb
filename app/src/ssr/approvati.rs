//! Approved plans' content and final PDFs, kept in memory by plan and version. While a plan
//! is approved the database refuses every change to its row, strutture, objectives and
//! phases (migration 0008), and only reopening it ends that, bumping its version: what was
//! read of a plan approved at one version is what every later read of that version sees.
//! What can change under an approved plan (the ente's name, the templates' titles, the
//! lights) is not kept: it is read on every request.

use std::sync::{Arc, LazyLock};

use quick_cache::sync::Cache;
use uuid::Uuid;

use crate::model::PianoView;

/// The content kept, in bytes of text (with an allowance per row): a reference-size plan
/// is about 70 KB, so some nine thousand plans, every comune's approved plan on a national
/// server; the least used go first. It fills only as plans are read: a comune's own server
/// holds its few plans.
const CAPACITA: u64 = 640 * 1024 * 1024;

/// The plan and its version.
type Chiave = (Uuid, i32);

#[derive(Clone)]
struct Byte;

impl quick_cache::Weighter<Chiave, Arc<PianoView>> for Byte {
    fn weight(&self, _: &Chiave, p: &Arc<PianoView>) -> u64 {
        peso(p)
    }
}

static APPROVATI: LazyLock<Cache<Chiave, Arc<PianoView>, Byte>> =
    LazyLock::new(|| Cache::with_weighter(8192, CAPACITA, Byte));

/// The final PDFs kept, in bytes: a reference-size plan's is 110 KB, so some six hundred.
const CAPACITA_FINALI: u64 = 64 * 1024 * 1024;

impl quick_cache::Weighter<Chiave, Arc<[u8]>> for Byte {
    fn weight(&self, _: &Chiave, pdf: &Arc<[u8]>) -> u64 {
        pdf.len().max(1) as u64
    }
}

static FINALI: LazyLock<Cache<Chiave, Arc<[u8]>, Byte>> =
    LazyLock::new(|| Cache::with_weighter(1024, CAPACITA_FINALI, Byte));

/// The final PDF of plan `id` approved at `version`, if kept.
pub fn finale(id: Uuid, version: i32) -> Option<Arc<[u8]>> {
    FINALI.get(&(id, version))
}

/// Keeps the final PDF of plan `id` approved at `version`, as read from the database by a
/// transaction that has written nothing.
pub fn conserva_finale(id: Uuid, version: i32, pdf: Arc<[u8]>) {
    FINALI.insert((id, version), pdf);
}

/// The content of plan `id` approved at `version`, if kept.
pub fn cerca(id: Uuid, version: i32) -> Option<Arc<PianoView>> {
    APPROVATI.get(&(id, version))
}

/// Keeps `piano`, read whole while it was approved at its version (the caller has checked
/// that it still was after reading it).
pub fn conserva(piano: &PianoView) {
    APPROVATI.insert((piano.id, piano.version), Arc::new(piano.clone()));
}

/// About the bytes `p` holds: its texts, and a hundred per row for the rest.
fn peso(p: &PianoView) -> u64 {
    let testi = [
        &p.titolo,
        &p.regolamento,
        &p.riferimenti_normativi,
        &p.programmazione_strategica,
        &p.territorio,
    ];
    let mut n: usize = testi.iter().map(|t| t.len()).sum::<usize>() + 200;
    for s in &p.strutture {
        n += 100
            + [
                &s.nome,
                &s.responsabile_titolo,
                &s.responsabile_nome,
                &s.linea_strategica,
                &s.obiettivo_strategico,
                &s.obiettivo_operativo,
            ]
            .iter()
            .map(|t| t.len())
            .sum::<usize>();
        for r in s
            .obiettivi
            .iter()
            .flat_map(|o| std::iter::once(o).chain(&o.fasi))
        {
            n += 100
                + r.campi.descrizione.len()
                + r.campi.indicatori.len()
                + r.campi.valori_attesi.len();
        }
    }
    n as u64
}
