//! One connection for the reads of a page's request. A page rendered on the server calls
//! several server functions (the header, the plan, the attachment's state, ...), each
//! through its door in a transaction of its own; on connections taken from the pool one by
//! one, each cost a `BEGIN`, a `COMMIT` and the test sqlx makes when a connection comes
//! back: three round trips of the plan page's twenty-five, five times.
//!
//! Here the doors of one GET page request take turns on one connection. Each still gets a
//! transaction of its own, opened with its own settings (nothing one door sets reaches the
//! next), but `READ ONLY`: a page's GET changes nothing, and a write would fail rather than
//! wait for a commit that never comes. The transaction is not committed: the next door's
//! opening ends it (`rollback; begin read only; ...`, one round trip), and so does the end
//! of the request, before the connection goes back to the pool. An ente entered once is
//! entered again without `app_entra`: its id and the caller's role there go into the
//! opening.
//!
//! Where sharing does not apply, the doors open their own transaction as before: calls
//! from the browser (POST), the routes outside Leptos, a door inside another door (the
//! outer one holds the connection), and a request when the pool is nearly taken (a
//! request holding the shared connection and waiting for another must always find one).

use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{Executor, PgConnection, PgPool, Postgres};
use tokio::sync::{Mutex, OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::domain::roles::Role;

/// Connections of the pool that page requests never hold for their reads: the ones left
/// for the rest (calls from the browser, sessions, the second connection of a nested door).
const RISERVA: u32 = 4;

/// What the server keeps for shared reads: the pool and the places in it page requests may
/// hold.
#[derive(Clone)]
pub struct Letture {
    pool: PgPool,
    posti: Arc<Semaphore>,
}

impl Letture {
    pub fn new(pool: PgPool) -> Self {
        let posti = pool.options().get_max_connections().saturating_sub(RISERVA);
        Self {
            posti: Arc::new(Semaphore::new(posti.max(1) as usize)),
            pool,
        }
    }

    /// The shared connection of one request, taken from the pool at its first door.
    pub fn richiesta(&self) -> Richiesta {
        Richiesta(Arc::new(Mutex::new(Stato {
            letture: self.clone(),
            conn: None,
            aperta: false,
            chiusa: false,
            enti: Vec::new(),
        })))
    }
}

/// An ente already entered in this request: its id, name and the caller's role there.
#[derive(Clone)]
pub struct EnteNoto {
    pub slug: String,
    pub id: Uuid,
    pub nome: String,
    pub role: Role,
}

/// A request's shared connection (in the request's extensions, so in every server
/// function's context while the page renders).
#[derive(Clone)]
pub struct Richiesta(Arc<Mutex<Stato>>);

struct Stato {
    letture: Letture,
    conn: Option<(PoolConnection<Postgres>, OwnedSemaphorePermit)>,
    /// A read-only transaction is open on `conn`: whoever comes next ends it.
    aperta: bool,
    /// The request is over (or the pool was nearly taken): doors open their own.
    chiusa: bool,
    enti: Vec<EnteNoto>,
}

impl Drop for Stato {
    fn drop(&mut self) {
        // Not closed by the request (cancelled): a connection with a transaction open never
        // goes back to the pool.
        if let Some((conn, _)) = &mut self.conn {
            if self.aperta {
                conn.close_on_drop();
            }
        }
    }
}

tokio::task_local! {
    /// Set while a door's body runs: a door opened inside it takes a connection of its own.
    static DENTRO: ();
}

/// Runs a door's body, marked so that a door inside it does not wait for the connection
/// its outer door holds.
pub async fn entro<F: std::future::Future>(corpo: F) -> F::Output {
    DENTRO.scope((), corpo).await
}

fn annidata() -> bool {
    DENTRO.try_with(|_| ()).is_ok()
}

impl Richiesta {
    /// The ente of `slug`, if this request entered it already.
    pub async fn ente_noto(&self, slug: &str) -> Option<EnteNoto> {
        if annidata() {
            return None;
        }
        let stato = self.0.lock().await;
        stato.enti.iter().find(|e| e.slug == slug).cloned()
    }

    /// A read-only transaction on the request's connection, opened with `impostazioni`
    /// (the `set local` statements of the caller); `None` where sharing does not apply.
    pub async fn inizia(&self, impostazioni: &str) -> Result<Option<Turno>, sqlx::Error> {
        if annidata() {
            return Ok(None);
        }
        let mut stato = self.0.clone().lock_owned().await;
        if stato.chiusa {
            return Ok(None);
        }
        if stato.conn.is_none() {
            let Ok(posto) = stato.letture.posti.clone().try_acquire_owned() else {
                stato.chiusa = true;
                return Ok(None);
            };
            let conn = stato.letture.pool.acquire().await?;
            stato.conn = Some((conn, posto));
        }
        let fine = if stato.aperta { "rollback; " } else { "" };
        let sql = format!("{fine}begin read only; {impostazioni}");
        let Some((conn, _)) = stato.conn.as_mut() else {
            unreachable!("taken just above");
        };
        if let Err(e) = conn.execute(sqlx::raw_sql(&sql)).await {
            // In an unknown state: not used again, nor given back.
            if let Some((mut conn, _)) = stato.conn.take() {
                conn.close_on_drop();
            }
            stato.aperta = false;
            return Err(e);
        }
        stato.aperta = true;
        Ok(Some(Turno(stato)))
    }

    /// Ends the request's transaction and gives the connection back; the doors that come
    /// after (none, normally) open their own.
    pub async fn chiudi(&self) {
        let mut stato = self.0.lock().await;
        stato.chiusa = true;
        if let Some((mut conn, _posto)) = stato.conn.take() {
            if stato.aperta && conn.execute("rollback").await.is_err() {
                conn.close_on_drop();
            }
            stato.aperta = false;
        }
    }
}

/// A door's transaction on the request's connection: the other doors of the request wait
/// until it is dropped.
pub struct Turno(OwnedMutexGuard<Stato>);

impl Turno {
    /// Remembers the ente this transaction entered, for the request's next doors.
    pub fn ricorda(&mut self, ente: EnteNoto) {
        if !self.0.enti.iter().any(|e| e.slug == ente.slug) {
            self.0.enti.push(ente);
        }
    }
}

impl std::ops::Deref for Turno {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        match &self.0.conn {
            Some((conn, _)) => conn,
            None => unreachable!("a turn exists only with its connection"),
        }
    }
}

impl std::ops::DerefMut for Turno {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match &mut self.0.conn {
            Some((conn, _)) => conn,
            None => unreachable!("a turn exists only with its connection"),
        }
    }
}
