//! Plan documents rendered once and kept in memory. An approved plan's page shows the same
//! tables to every reader until its content or a light changes, so its HTML is made once
//! per content: the key is the plan's id and a keyed hash of everything the tables show.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::{Arc, LazyLock};

use quick_cache::sync::Cache;
use serde::Serialize;
use uuid::Uuid;

/// The HTML kept, in bytes: a reference-size plan's document is about 90 KB, so some eight
/// thousand plans, every comune's on a national server (with `approvati`'s content, some
/// 1.3 GB there); the least used go first. It fills only as documents are shown.
const CAPACITA: u64 = 768 * 1024 * 1024;

/// The plan, and the hash of what its document shows.
pub type Chiave = (Uuid, u64);

#[derive(Clone)]
struct Byte;

impl quick_cache::Weighter<Chiave, Arc<str>> for Byte {
    fn weight(&self, _: &Chiave, html: &Arc<str>) -> u64 {
        html.len().max(1) as u64
    }
}

struct Documenti {
    /// Keys drawn at start-up: nobody outside the process can aim at a collision.
    hash: RandomState,
    cache: Cache<Chiave, Arc<str>, Byte>,
}

static DOCUMENTI: LazyLock<Documenti> = LazyLock::new(|| Documenti {
    hash: RandomState::new(),
    cache: Cache::with_weighter(8192, CAPACITA, Byte),
});

/// Feeds what is serialized straight into the hasher, without building the text.
struct Scrittore<H: Hasher>(H);

impl<H: Hasher> std::io::Write for Scrittore<H> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.write(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The key of plan `id`'s document showing `contenuto`.
pub fn chiave(id: Uuid, contenuto: &impl Serialize) -> Chiave {
    let mut w = Scrittore(DOCUMENTI.hash.build_hasher());
    // Serializing plain data into memory cannot fail; were it to, the key would still
    // change with the content written so far, never match another plan's.
    let _ = serde_json::to_writer(&mut w, contenuto);
    (id, w.0.finish())
}

/// The document under `chiave`, rendered by `rendi` the first time.
pub fn documento(chiave: Chiave, rendi: impl FnOnce() -> String) -> Arc<str> {
    if let Some(html) = DOCUMENTI.cache.get(&chiave) {
        return html;
    }
    let html: Arc<str> = rendi().into();
    DOCUMENTI.cache.insert(chiave, html.clone());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_follows_the_content_and_the_plan() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(chiave(a, &("x", 1)), chiave(a, &("x", 1)));
        assert_ne!(chiave(a, &("x", 1)), chiave(a, &("x", 2)));
        assert_ne!(chiave(a, &("x", 1)), chiave(b, &("x", 1)));
    }

    #[test]
    fn a_document_is_rendered_once_per_key() {
        let k = chiave(Uuid::from_u128(3), &"tabelle");
        let mut volte = 0;
        let uno = documento(k, || {
            volte += 1;
            "<p>uno</p>".into()
        });
        let due = documento(k, || {
            volte += 1;
            "<p>due</p>".into()
        });
        assert_eq!((&*uno, &*due, volte), ("<p>uno</p>", "<p>uno</p>", 1));
    }
}
