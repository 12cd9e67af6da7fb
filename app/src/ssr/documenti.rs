//! Plan documents rendered once and kept in memory. An approved plan's page shows the same
//! tables to every reader until its content or a light changes, so its HTML is made once
//! per content: the key is the plan's id and a keyed hash of everything the tables show.

use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::{Arc, LazyLock, Mutex};

use quick_cache::sync::Cache;
use serde::Serialize;
use uuid::Uuid;

use crate::model::DocumentoReso;

/// The HTML kept, in bytes: a reference-size plan's document is about 90 KB, so some eight
/// thousand plans, every comune's on a national server (with `approvati`'s content, some
/// 1.3 GB there, and the documents' brotli bytes, a sixth of their HTML); the least used go
/// first. It fills only as documents are shown.
const CAPACITA: u64 = 768 * 1024 * 1024;

/// The plan, and the hash of what its document shows.
pub type Chiave = (Uuid, u64);

#[derive(Clone)]
struct Byte;

impl quick_cache::Weighter<Chiave, Arc<DocumentoReso>> for Byte {
    fn weight(&self, _: &Chiave, doc: &Arc<DocumentoReso>) -> u64 {
        doc.html.len().max(1) as u64
    }
}

struct Documenti {
    /// Keys drawn at start-up: nobody outside the process can aim at a collision.
    hash: RandomState,
    cache: Cache<Chiave, Arc<DocumentoReso>, Byte>,
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

/// The key of plan `id`'s document showing `contenuto`, hashed as its values (`Hash`), not
/// as text: what every approved plan's page asks for again on each request (its lights,
/// its templates), without formatting ids and dates for it.
pub fn chiave_dei_valori(id: Uuid, contenuto: &impl Hash) -> Chiave {
    (id, DOCUMENTI.hash.hash_one(contenuto))
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
pub fn documento(chiave: Chiave, rendi: impl FnOnce() -> String) -> Arc<DocumentoReso> {
    if let Some(doc) = DOCUMENTI.cache.get(&chiave) {
        return doc;
    }
    let doc = Arc::new(DocumentoReso {
        html: rendi().into(),
        chiave,
        ..DocumentoReso::default()
    });
    DOCUMENTI.cache.insert(chiave, doc.clone());
    doc
}

/// Where a page's document is to be joined in once the page is made (`server::innesto`):
/// the request's extension the page's render fills.
#[derive(Clone, Default)]
pub struct Innesto(Arc<Mutex<Option<Arc<DocumentoReso>>>>);

impl Innesto {
    /// The document the render left, taken.
    pub fn prendi(&self) -> Option<Arc<DocumentoReso>> {
        self.0.lock().ok()?.take()
    }

    /// Leaves `doc` to be joined in where a page made without a render has its marker.
    pub fn poni(&self, doc: Arc<DocumentoReso>) {
        if let Ok(mut posto) = self.0.lock() {
            *posto = Some(doc);
        }
    }
}

/// What stands in a page's HTML for the document until it is joined in: a comment with
/// a number drawn at start-up, which no text of a user can contain (it is never sent).
pub fn segnaposto() -> &'static str {
    &SEGNAPOSTO
}

/// `segnaposto`, shared: a page's render takes it without a copy.
static SEGNAPOSTO: LazyLock<Arc<str>> = LazyLock::new(|| {
    let n = RandomState::new().build_hasher().finish();
    let m = RandomState::new().build_hasher().finish();
    format!("<!--documento-{n:016x}{m:016x}-->").into()
});

/// The HTML a page's render writes for `doc`: the marker when the request will have it
/// joined in (an `Innesto` among its extensions, given as `innesto`), else the document.
/// A render may run more than once per request: the same document gets the marker each
/// time; another one (never on today's pages) is written out.
pub fn nella_pagina(doc: Arc<DocumentoReso>, innesto: Option<&Innesto>) -> Arc<str> {
    let Some(mut posto) = innesto.and_then(|i| i.0.lock().ok()) else {
        return doc.html.clone();
    };
    match &*posto {
        Some(altro) if !Arc::ptr_eq(altro, &doc) => doc.html.clone(),
        _ => {
            *posto = Some(doc);
            SEGNAPOSTO.clone()
        }
    }
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
        assert_eq!(
            (&*uno.html, &*due.html, volte),
            ("<p>uno</p>", "<p>uno</p>", 1)
        );
    }

    #[test]
    fn one_document_per_page_is_left_to_be_joined_in() {
        let doc = documento(chiave(Uuid::from_u128(4), &"x"), || "<p>x</p>".into());
        let altro = documento(chiave(Uuid::from_u128(5), &"y"), || "<p>y</p>".into());
        let innesto = Innesto::default();
        assert_eq!(&*nella_pagina(doc.clone(), Some(&innesto)), segnaposto());
        // Rendered again, the same document: the marker again; another is written out.
        assert_eq!(&*nella_pagina(doc.clone(), Some(&innesto)), segnaposto());
        assert_eq!(&*nella_pagina(altro, Some(&innesto)), "<p>y</p>");
        assert_eq!(&*nella_pagina(doc.clone(), None), "<p>x</p>");
        assert_eq!(
            innesto.prendi().map(|d| d.html.clone()),
            Some(doc.html.clone())
        );
        assert!(innesto.prendi().is_none());
        assert!(segnaposto().starts_with("<!--documento-") && segnaposto().len() > 40);
    }
}
