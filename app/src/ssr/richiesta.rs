//! What a page's request remembers across its server functions. A page rendered on the
//! server calls several of them (the header, the plan, the attachment's state, ...), each
//! through its door in a transaction of its own, and each door entered the same ente again
//! with `app_entra`: the page's most expensive statement (268 µs of the database's time at
//! N = 10, `pg_stat_statements`). The first door's answer (the ente's id and name, the
//! caller's role there) is kept here for the rest of the request, and the next doors set
//! them in their opening. Doors that start together (the plan's and the attachment's) do
//! not both ask: the later one waits for the first one's answer.
//!
//! Under `/e/{slug}/` the middleware enters that ente already, in the same statement as it
//! reads the caller (`users::carica_chiamante`), and the request starts with its answer: no
//! door of the request asks `app_entra` for it. A page's request also starts with what its
//! header needs beyond that (`Intestazione`), read in the same statement: the header opens
//! no door.
//!
//! Only GET requests for pages and files have one (the middleware puts it in the request):
//! their doors also open their transactions `READ ONLY`, since a GET changes nothing and
//! the database then refuses a write. Calls from the browser (POST) enter as before.
//!
//! Under `/e/{slug}/` the caller's read runs in a `READ ONLY` transaction, which the request
//! keeps (`Tenuta`): the settings that read writes (the caller, the firm, the ente entered
//! and the role there, transaction-local) are what a door of that ente writes in its
//! opening. The first door to open takes it or drops it (`prendi`): it takes it if it
//! would open the same, and then sends no opening and takes no second connection from the
//! pool. Dropped before anything else waits for a connection (a door that opens
//! differently, `del_chiamante`), and by the middleware once the response is made, a kept
//! transaction never holds a connection while its request waits for another one.

use std::sync::{Arc, Mutex};

use sqlx::{Postgres, Transaction};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};

/// An ente already entered in this request: its id, name, the caller's role there and the
/// firm that serves it (which the templates' policies read, `app.firm_ente`).
#[derive(Clone)]
pub struct EnteNoto {
    pub slug: String,
    pub id: Uuid,
    pub nome: String,
    pub role: Role,
    pub firm: Option<Uuid>,
}

impl EnteNoto {
    /// `app_entra`'s answer for `slug` (the ente's id, name, the caller's role there, as
    /// the database names it, and the ente's firm).
    pub fn da_app_entra(
        slug: &str,
        (id, nome, ruolo, firm): (Uuid, String, &str, Option<Uuid>),
    ) -> AppResult<Self> {
        Ok(EnteNoto {
            slug: slug.to_string(),
            id,
            nome,
            role: Role::from_db(ruolo).ok_or_else(|| AppError::interno("unknown role"))?,
            firm,
        })
    }
}

/// What a page's header reads besides the ente and the role, read with the caller: the
/// caller's unread reminders and, in an ente, whether they may enter another one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Intestazione {
    pub promemoria: i64,
    pub altri_enti: bool,
}

/// The answer for one ente: set by the first door that enters it; the doors arriving
/// meanwhile wait for it. A door that fails (an ente not found) leaves it empty, and the
/// next one asks again.
pub type Cella = Arc<OnceCell<EnteNoto>>;

/// The `READ ONLY` transaction the caller's read ran in, with its settings: the caller's
/// (`user`) and those of the ente it entered, with the role there (`ente`).
pub struct Tenuta {
    tx: Transaction<'static, Postgres>,
    user: Uuid,
    ente: (Uuid, Role),
}

impl Tenuta {
    pub fn new(tx: Transaction<'static, Postgres>, user: Uuid, ente: (Uuid, Role)) -> Self {
        Tenuta { tx, user, ente }
    }
}

/// A page's request (in the request's extensions, so in every server function's context
/// while the page renders).
#[derive(Clone, Default)]
pub struct Richiesta {
    enti: Arc<Mutex<Vec<(String, Cella)>>>,
    /// The caller's read's transaction, until the first door takes or drops it.
    tenuta: Arc<Mutex<Option<Tenuta>>>,
    /// The header's reads, with the ente of the path they were made in (none: a page
    /// outside any ente, or one the caller may not enter).
    intestazione: Option<(Option<EnteNoto>, Intestazione)>,
}

impl Richiesta {
    /// A request whose ente was entered with its caller's read (the middleware's one
    /// statement, `users::carica_chiamante`): its doors open with that answer, and its
    /// header with `intestazione` (read with it, for a page).
    pub fn con(ente: Option<EnteNoto>, intestazione: Option<Intestazione>) -> Self {
        let r = Richiesta {
            intestazione: intestazione.map(|i| (ente.clone(), i)),
            ..Self::default()
        };
        if let Some(ente) = ente {
            // A new request's cell is empty: this is its first value.
            let _ = r.cella(&ente.slug).set(ente);
        }
        r
    }

    /// The request with the transaction its caller's read ran in, for its first door.
    pub fn con_tenuta(self, tenuta: Option<Tenuta>) -> Self {
        *self.tenuta.lock().unwrap_or_else(|e| e.into_inner()) = tenuta;
        self
    }

    /// The kept transaction, if the request still has it and it is the one a door opening
    /// for `user` in `ente` (with the role there; none: no ente) would open. Asked once:
    /// one that is not is dropped, and its connection goes back to the pool.
    pub fn prendi(
        &self,
        user: Uuid,
        ente: Option<(Uuid, Role)>,
    ) -> Option<Transaction<'static, Postgres>> {
        let t = self
            .tenuta
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()?;
        (t.user == user && Some(t.ente) == ente).then_some(t.tx)
    }

    /// Drops the kept transaction, if no door took it.
    pub fn rilascia(&self) {
        let t = self.tenuta.lock().unwrap_or_else(|e| e.into_inner()).take();
        drop(t);
    }

    /// The header's reads for the page of ente `slug` (empty: outside any ente), with the
    /// ente as entered; none if they were not read for that ente.
    pub fn intestazione(&self, slug: &str) -> Option<(Option<&EnteNoto>, Intestazione)> {
        let (ente, i) = self.intestazione.as_ref()?;
        match ente {
            _ if slug.is_empty() => Some((None, *i)),
            Some(e) if e.slug == slug => Some((Some(e), *i)),
            _ => None,
        }
    }

    /// The cell of the ente of `slug` in this request.
    pub fn cella(&self, slug: &str) -> Cella {
        let mut enti = self.enti.lock().unwrap_or_else(|e| e.into_inner());
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
