//! What a page's request remembers across its server functions. A page rendered on the
//! server calls several of them (the header, the plan, the attachment's state, ...), each
//! through its door in a transaction of its own, and each door entered the same ente again
//! with `app_entra`: the page's most expensive statement (268 µs of the database's time at
//! N = 10, `pg_stat_statements`). The first door's answer (the ente's id and name, the
//! caller's role there) is kept here for the rest of the request, and the next doors set
//! them in their opening.
//!
//! Only GET requests for pages have one (the middleware puts it in the request): their
//! doors also open their transactions `READ ONLY`, since a page's GET changes nothing and
//! the database then refuses a write. Calls from the browser (POST) and the routes outside
//! Leptos enter as before.

use std::sync::{Arc, Mutex};

use uuid::Uuid;

use crate::domain::roles::Role;

/// An ente already entered in this request: its id, name and the caller's role there.
#[derive(Clone)]
pub struct EnteNoto {
    pub slug: String,
    pub id: Uuid,
    pub nome: String,
    pub role: Role,
}

/// A page's request (in the request's extensions, so in every server function's context
/// while the page renders).
#[derive(Clone, Default)]
pub struct Richiesta(Arc<Mutex<Vec<EnteNoto>>>);

impl Richiesta {
    /// The ente of `slug`, if this request entered it already.
    pub fn ente_noto(&self, slug: &str) -> Option<EnteNoto> {
        let enti = self.0.lock().unwrap_or_else(|e| e.into_inner());
        enti.iter().find(|e| e.slug == slug).cloned()
    }

    /// Remembers an ente the request entered, for its next doors.
    pub fn ricorda(&self, ente: EnteNoto) {
        let mut enti = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !enti.iter().any(|e| e.slug == ente.slug) {
            enti.push(ente);
        }
    }
}
