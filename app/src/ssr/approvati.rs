//! Approved plans' content and final PDFs, kept in memory by plan and version. While a plan
//! is approved the database refuses every change to its row, strutture, objectives and
//! phases (migration 0008), and only reopening it ends that, bumping its version: what was
//! read of a plan approved at one version is what every later read of that version sees.
//! What can change under an approved plan (the ente's name) is not kept: it is read on
//! every request. The templates its objectives adopted are kept with the library's change
//! counts they were read at (`Adozioni`), and its objectives' progress, with the lights
//! made from it, with the plan's count of changes to it (`Avanzamenti`): every request
//! reads the counts.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock};

use quick_cache::sync::Cache;
use uuid::Uuid;

use crate::model::{AvanzamentoMio, AvanzamentoView, LuceRiga, ModelloRif, PianoView};

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

/// The final PDFs kept, by the bytes each holds of its own: a reference-size plan's PDF is
/// 119 KB, of which 55 KB are the streams every document carries (`Finale`), so some
/// 64 KB each: some ten thousand, every comune's on a national server, as for their
/// content above. It fills only as PDFs are read: a comune's own server holds its few.
const CAPACITA_FINALI: u64 = 640 * 1024 * 1024;

/// A final PDF kept: its bytes in pieces, where the streams every document carries (the
/// two embedded faces and the sRGB profile, `pdf::flussi_comuni`) are not copies but the
/// process's one instance.
struct Finale(Vec<Pezzo>);

enum Pezzo {
    Proprio(Box<[u8]>),
    Comune(&'static [u8]),
}

impl Finale {
    /// `pdf` in pieces: each occurrence of one of `comuni` (the first found from the left,
    /// then on after it) is kept by reference. A PDF made by another build, whose streams
    /// differ, is kept whole: only identical bytes are shared.
    fn da(pdf: &[u8], comuni: &[&'static [u8]]) -> Self {
        let cercatori: Vec<_> = comuni
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| (memchr::memmem::Finder::new(*c), *c))
            .collect();
        let mut pezzi = Vec::new();
        let mut da = 0;
        loop {
            let prossimo = cercatori
                .iter()
                .filter_map(|(f, c)| f.find(&pdf[da..]).map(|i| (da + i, *c)))
                .min_by_key(|(i, _)| *i);
            let Some((inizio, comune)) = prossimo else {
                break;
            };
            if inizio > da {
                pezzi.push(Pezzo::Proprio(pdf[da..inizio].into()));
            }
            pezzi.push(Pezzo::Comune(comune));
            da = inizio + comune.len();
        }
        if da < pdf.len() || pezzi.is_empty() {
            pezzi.push(Pezzo::Proprio(pdf[da..].into()));
        }
        Finale(pezzi)
    }

    /// The PDF's bytes, whole.
    fn byte(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.0.iter().map(|p| p.fetta().len()).sum());
        for p in &self.0 {
            v.extend_from_slice(p.fetta());
        }
        v
    }

    /// The bytes it holds of its own, and some for each piece.
    fn peso(&self) -> u64 {
        self.0
            .iter()
            .map(|p| match p {
                Pezzo::Proprio(b) => b.len() as u64 + 32,
                Pezzo::Comune(_) => 32,
            })
            .sum()
    }
}

impl Pezzo {
    fn fetta(&self) -> &[u8] {
        match self {
            Pezzo::Proprio(b) => b,
            Pezzo::Comune(c) => c,
        }
    }
}

impl quick_cache::Weighter<Chiave, Arc<Finale>> for Byte {
    fn weight(&self, _: &Chiave, pdf: &Arc<Finale>) -> u64 {
        pdf.peso()
    }
}

static FINALI: LazyLock<Cache<Chiave, Arc<Finale>, Byte>> =
    LazyLock::new(|| Cache::with_weighter(8192, CAPACITA_FINALI, Byte));

/// The final PDF of plan `id` approved at `version`, if kept.
pub fn finale(id: Uuid, version: i32) -> Option<Vec<u8>> {
    FINALI.get(&(id, version)).map(|f| f.byte())
}

/// Keeps the final PDF of plan `id` approved at `version`, as read from the database by a
/// transaction that has written nothing.
pub fn conserva_finale(id: Uuid, version: i32, pdf: &[u8]) {
    let comuni = super::allegato::pdf::flussi_comuni();
    FINALI.insert((id, version), Arc::new(Finale::da(pdf, &comuni)));
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

/// What an approved plan's objectives adopted from the library (`piani::leggi_con`), kept
/// with what it was read under: the plan and its version, the role and settings that
/// decide which templates the caller may see (`vista`), and the sum of the change counts
/// of those templates' scopes (`cambi`, migration 0042). The plan's head statement reads
/// the adoptions again only when one of these has moved.
pub struct Adozioni {
    pub piano: Uuid,
    pub version: i32,
    pub vista: String,
    pub cambi: i64,
    /// Shared with each read that finds them kept (`piani::Conservato`).
    pub modelli: Arc<HashMap<Uuid, ModelloRif>>,
}

/// Some 4 KB for a reference-size plan's 30 adopted objectives: every comune's twice over.
const CAPACITA_ADOZIONI: u64 = 64 * 1024 * 1024;

/// The ente and the plan's year: one entry each, replaced when what it was read under moves.
type Anno = (Uuid, i32);

impl quick_cache::Weighter<Anno, Arc<Adozioni>> for Byte {
    fn weight(&self, _: &Anno, a: &Arc<Adozioni>) -> u64 {
        let modelli: usize = a.modelli.values().map(|m| 80 + m.titolo.len()).sum();
        (100 + a.vista.len() + modelli) as u64
    }
}

static ADOZIONI: LazyLock<Cache<Anno, Arc<Adozioni>, Byte>> =
    LazyLock::new(|| Cache::with_weighter(8192, CAPACITA_ADOZIONI, Byte));

/// The adoptions kept of the plan of `anno` in `ente`, if any (the caller compares what
/// they were read under).
pub fn adozioni(ente: Uuid, anno: i32) -> Option<Arc<Adozioni>> {
    ADOZIONI.get(&(ente, anno))
}

/// Keeps `a`, read in one statement with the plan approved at its version, by a
/// transaction that has written nothing.
pub fn conserva_adozioni(ente: Uuid, anno: i32, a: Adozioni) {
    ADOZIONI.insert((ente, anno), Arc::new(a));
}

/// An approved plan's progress by objective, as «I miei obiettivi» shows it
/// (`personale::miei_obiettivi`), and its lights, as the plan's page shows them
/// (`piani::leggi_pagina`): the whole plan's, so that each person of the ente finds theirs
/// in it. Kept with what it was read under: the plan and its version, the role and ente it
/// was read as (`vista`), and the plan's count of changes to its checkpoints, records and
/// progress (`cambi`, migration 0044). Both pages' statements read the progress again only
/// when one of these has moved; whichever page reads it, the other finds it.
pub struct Avanzamenti {
    pub piano: Uuid,
    pub version: i32,
    pub vista: String,
    pub cambi: i64,
    /// Shared with each read that finds it kept.
    pub per_obiettivo: Arc<HashMap<Uuid, AvanzamentoMio>>,
    /// The lights, made from `per_obiettivo` and the plan's content the first time the
    /// plan's page needs them: the content is the same at the same version.
    luci: OnceLock<Arc<Vec<LuceRiga>>>,
}

impl Avanzamenti {
    pub fn new(
        piano: Uuid,
        version: i32,
        vista: String,
        cambi: i64,
        per_obiettivo: Arc<HashMap<Uuid, AvanzamentoMio>>,
    ) -> Self {
        let luci = OnceLock::new();
        Avanzamenti {
            piano,
            version,
            vista,
            cambi,
            per_obiettivo,
            luci,
        }
    }

    /// The lights of `piano`, the plan this progress was read of (at its version).
    pub fn luci(&self, piano: &PianoView) -> Arc<Vec<LuceRiga>> {
        debug_assert_eq!((piano.id, piano.version), (self.piano, self.version));
        let fai = || Arc::new(super::monitoraggio::luci_da(piano, &self.per_obiettivo));
        self.luci.get_or_init(fai).clone()
    }
}

impl quick_cache::Weighter<Anno, Arc<Avanzamenti>> for Byte {
    fn weight(&self, _: &Anno, a: &Arc<Avanzamenti>) -> u64 {
        // Each row's texts (a note, a cause, a proposal) beside its fixed part, and a light.
        let riga = |v: &AvanzamentoView| {
            let testi = [&v.valore_effettivo, &v.valore_fonte, &v.nota];
            let altri = [&v.causa_testo, &v.azione_correttiva, &v.proposta_testo];
            let testi: usize = testi.iter().chain(&altri).map(|t| t.len()).sum();
            std::mem::size_of::<AvanzamentoView>() + std::mem::size_of::<LuceRiga>() + testi
        };
        let righe: usize = (a.per_obiettivo.values())
            .map(|m| {
                64 + riga(&m.obiettivo) + m.fasi.iter().map(|(_, f)| 16 + riga(f)).sum::<usize>()
            })
            .sum();
        (100 + a.vista.len() + righe) as u64
    }
}

/// Some 40 KB for a reference-size plan's 90 rows of progress and their lights (its 30
/// objectives and their phases, `bench genera --monitoraggi`): every comune's on a national
/// server. It fills only as the pages are read.
const CAPACITA_AVANZAMENTI: u64 = 384 * 1024 * 1024;

static AVANZAMENTI: LazyLock<Cache<Anno, Arc<Avanzamenti>, Byte>> =
    LazyLock::new(|| Cache::with_weighter(8192, CAPACITA_AVANZAMENTI, Byte));

/// The progress kept of the plan of `anno` in `ente`, if any (the caller's statement
/// compares what it was read under).
pub fn avanzamenti(ente: Uuid, anno: i32) -> Option<Arc<Avanzamenti>> {
    AVANZAMENTI.get(&(ente, anno))
}

/// Keeps `a`, read in one statement with the plan approved at its version and its count,
/// by a transaction that has written nothing.
pub fn conserva_avanzamenti(ente: Uuid, anno: i32, a: Arc<Avanzamenti>) {
    AVANZAMENTI.insert((ente, anno), a);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::allegato::font::Stile;
    use crate::ssr::allegato::pdf::{flussi_comuni, Allinea, Impaginato, Metadati};

    fn documento() -> Vec<u8> {
        let mut imp = Impaginato::new();
        imp.paragrafo(
            "Obiettivo di prova",
            11.0,
            Stile::Normale,
            Allinea::Sinistra,
        );
        imp.paragrafo("Responsabile", 11.0, Stile::Grassetto, Allinea::Sinistra);
        imp.pdf(&Metadati {
            titolo: "Piano".into(),
            autore: "Comune".into(),
            soggetto: "Allegato".into(),
            testata: "Testata".into(),
            piede: "Piede".into(),
            bozza: false,
            creato: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            id: [3; 16],
        })
    }

    #[test]
    fn a_kept_pdf_shares_the_streams_every_document_carries_and_gives_back_its_bytes() {
        let pdf = documento();
        let f = Finale::da(&pdf, &flussi_comuni());
        assert_eq!(f.byte(), pdf);
        let comuni = f.0.iter().filter(|p| matches!(p, Pezzo::Comune(_))).count();
        assert_eq!(comuni, 3, "the two faces and the sRGB profile");
        // What it holds of its own is a small part of the file.
        assert!(
            f.peso() * 4 < pdf.len() as u64,
            "{} of {}",
            f.peso(),
            pdf.len()
        );
    }

    #[test]
    fn bytes_that_are_not_a_stream_of_ours_are_kept_whole() {
        let altro = b"%PDF-1.7 made elsewhere".to_vec();
        let f = Finale::da(&altro, &flussi_comuni());
        assert_eq!(f.0.len(), 1);
        assert_eq!(f.byte(), altro);
        assert!(f.peso() >= altro.len() as u64);
        assert_eq!(Finale::da(&[], &flussi_comuni()).byte(), Vec::<u8>::new());
    }

    #[test]
    fn shared_pieces_at_either_end_side_by_side_or_repeated_give_back_the_same_bytes() {
        static A: &[u8] = b"AAAA";
        static B: &[u8] = b"BBB";
        for testo in [
            &b"AAAAxyBBB"[..],
            b"AAAABBBAAAA",
            b"xAAAAAy",
            b"BBBBBB",
            b"AAA",
            b"zzAAAABBzBBBzz",
        ] {
            let f = Finale::da(testo, &[A, B, b""]);
            assert_eq!(f.byte(), testo, "{}", String::from_utf8_lossy(testo));
            let propri: usize =
                f.0.iter()
                    .filter_map(|p| match p {
                        Pezzo::Proprio(b) => Some(b.len()),
                        Pezzo::Comune(_) => None,
                    })
                    .sum();
            let attesi = testo.len()
                - A.len() * memchr::memmem::find_iter(testo, A).count()
                - B.len() * memchr::memmem::find_iter(testo, B).count();
            assert_eq!(propri, attesi, "{}", String::from_utf8_lossy(testo));
        }
    }
}
