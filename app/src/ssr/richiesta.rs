//! What a page's request remembers across its server functions. A page rendered on the
//! server calls several of them (the header, the plan, the attachment's state, ...), each
//! through its door in a transaction of its own, and each door entered the same ente again
//! with `app_entra`: the page's most expensive statement (268 µs of the database's time at
//! N = 10, `pg_stat_statements`). The first door's answer (the ente's id and name, the
//! caller's role there) is kept here for the rest of the request, and the next doors set
//! them in their opening. Doors that start together (the plan's and the attachment's) do
//! not both ask: the later one waits for the first one's answer.
//!
//! Only GET requests for pages have one (the middleware puts it in the request): their
//! doors also open their transactions `READ ONLY`, since a page's GET changes nothing and
//! the database then refuses a write. Calls from the browser (POST) and the routes outside
//! Leptos enter as before.

use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;
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

/// The answer for one ente: set by the first door that enters it; the doors arriving
/// meanwhile wait for it. A door that fails (an ente not found) leaves it empty, and the
/// next one asks again.
pub type Cella = Arc<OnceCell<EnteNoto>>;

/// A page's request (in the request's extensions, so in every server function's context
/// while the page renders).
#[derive(Clone, Default)]
pub struct Richiesta(Arc<Mutex<Vec<(String, Cella)>>>);

impl Richiesta {
    /// The cell of the ente of `slug` in this request.
    pub fn cella(&self, slug: &str) -> Cella {
        let mut enti = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match enti.iter().find(|(s, _)| s == slug) {
            Some((_, c)) => c.clone(),
            None => {
                let c = Cella::default();
                enti.push((slug.to_string(), c.clone()));
                c
            }
        }
    }
}
