//! Who is asking, in which ente, with which role — and the only ways to open a transaction
//! on tenant data. Every transaction sets the caller and the ente with `SET LOCAL`
//! (transaction-scoped), which the Row-Level Security policies read: a pooled connection
//! never carries one request's ente into the next. The opening settings are written here,
//! from typed values; later ones go through the SQL function `app_imposta`. Server
//! functions enter through `porta`.

use leptos::prelude::{use_context, with_context};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::richiesta::{EnteNoto, Richiesta};
use crate::domain::permessi::Azione;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};

/// The signed-in user, as the session middleware loaded it for this request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub is_platform_admin: bool,
    /// The consultancy firm this user works for, if any.
    pub firm_id: Option<Uuid>,
    /// Signed in with a password someone else set: may only choose their own.
    pub password_temporanea: bool,
    /// A second factor is required of this account and not set up yet: may only set it up.
    pub deve_attivare_2fa: bool,
    /// This session's line in «Le mie sessioni».
    pub sessione: Option<Uuid>,
}

/// A caller acting in one ente with a role there.
#[derive(Clone, Debug)]
pub struct EnteCtx {
    pub caller: Caller,
    pub ente_id: Uuid,
    pub slug: String,
    pub ente_name: String,
    pub role: Role,
}

impl EnteCtx {
    /// `NonAutorizzato` unless the caller's role may do `azione` here.
    pub fn puo(&self, azione: Azione) -> AppResult<()> {
        if self.role.puo(azione) {
            Ok(())
        } else {
            Err(AppError::NonAutorizzato)
        }
    }
}

/// A transaction scoped to the caller (their own memberships, their firm), no ente; and
/// whether it was opened read only (`fine`). A door's transaction is one until it has
/// entered its ente (`EnteTx::aperta`).
pub struct UserTx(pub Transaction<'static, Postgres>, bool);
/// A transaction scoped to one ente: the only handle the data functions on ente-owned
/// tables accept.
pub struct EnteTx {
    pub tx: Transaction<'static, Postgres>,
    pub ente_id: Uuid,
    /// The ente's name, as read when the transaction entered it: the statements that show
    /// it need not join `enti`, whose policy each of them would compile again.
    pub ente_nome: String,
    pub user_id: Uuid,
    /// Opened `READ ONLY` (a page's request): ends without a COMMIT of its own (`fine`).
    sola_lettura: bool,
}

impl std::ops::Deref for UserTx {
    type Target = sqlx::PgConnection;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
impl std::ops::DerefMut for UserTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}
impl std::ops::Deref for EnteTx {
    type Target = sqlx::PgConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}
impl std::ops::DerefMut for EnteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}
impl UserTx {
    pub async fn commit(self) -> AppResult<()> {
        fine(self.0, self.1).await
    }
}
impl EnteTx {
    /// A transaction of `ente_id` opened by hand (start-up jobs, the demo): it commits. Its
    /// settings must let it see the ente (`app.ente_id`, or a platform administrator's), as
    /// its name is read here: `NonTrovato` if it cannot.
    pub async fn new(
        tx: Transaction<'static, Postgres>,
        ente_id: Uuid,
        user_id: Uuid,
    ) -> AppResult<EnteTx> {
        let mut etx = EnteTx::con_nome(tx, ente_id, String::new(), user_id);
        (_, etx.ente_nome, _) = super::enti::scheda(&mut etx).await?;
        Ok(etx)
    }

    /// `new`, with the ente's name known already (a benchmark that reads it once).
    pub fn con_nome(
        tx: Transaction<'static, Postgres>,
        ente_id: Uuid,
        ente_nome: String,
        user_id: Uuid,
    ) -> EnteTx {
        EnteTx {
            tx,
            ente_id,
            ente_nome,
            user_id,
            sola_lettura: false,
        }
    }

    /// A door's transaction on `ente_id` (named `ente_nome`), as `begin_with` opened it.
    pub(crate) fn aperta(tx: UserTx, ente_id: Uuid, ente_nome: String, user_id: Uuid) -> EnteTx {
        EnteTx {
            tx: tx.0,
            ente_id,
            ente_nome,
            user_id,
            sola_lettura: tx.1,
        }
    }

    pub async fn commit(self) -> AppResult<()> {
        fine(self.tx, self.sola_lettura).await
    }
}

/// Ends a transaction. One opened read only is dropped rather than committed: sqlx queues
/// its ROLLBACK and sends it with the check it makes of every connection coming back to the
/// pool, one round trip instead of two, and the answer is not waited for. Having written
/// nothing, a rollback is a commit.
pub(crate) async fn fine(tx: Transaction<'static, Postgres>, sola_lettura: bool) -> AppResult<()> {
    if sola_lettura {
        drop(tx);
        Ok(())
    } else {
        Ok(tx.commit().await?)
    }
}

/// Opens a transaction on `pool`: `apertura` is `BEGIN` with what follows it in the same
/// round trip (a plain `BEGIN` if `None`). Every transaction of a request opens here, in a
/// task of its own, so that the `BEGIN` always finishes: sqlx 0.8.6's `begin` is not
/// cancel-safe (sqlx issue 4393, not fixed in a release yet). A request dropped while its
/// `BEGIN` was on the wire (a closed tab, a client that gives up) left the connection
/// inside that transaction, and the pool gave it to the next request, which ran in it:
/// read only when it was to write (it failed), or with a setting of the other caller's
/// that its own opening does not write (`app.ruolo`). Finished in its own task, a
/// transaction nobody waits for any more is dropped and rolled back like any other.
pub async fn inizia(
    pool: &PgPool,
    apertura: Option<String>,
) -> AppResult<Transaction<'static, Postgres>> {
    let pool = pool.clone();
    tokio::spawn(async move {
        match apertura {
            Some(apertura) => pool.begin_with(apertura).await,
            None => pool.begin().await,
        }
    })
    .await
    .map_err(AppError::interno)?
    .map_err(Into::into)
}

/// The caller's transaction, with the ente and the caller's role there when this request
/// entered it already (`entrato`). `READ ONLY` for a GET (`sola_lettura`: a page's request,
/// a file), which changes nothing: then the transaction the request's caller was read in,
/// if it is the same and no door took it yet (`richiesta`, `Richiesta::prendi`).
pub(crate) async fn begin_with(
    pool: &PgPool,
    caller: &Caller,
    entrato: Option<&EnteNoto>,
    sola_lettura: bool,
    richiesta: Option<&Richiesta>,
) -> AppResult<UserTx> {
    if let Some(r) = richiesta {
        if let Some(tx) = r
            .prendi(caller.user_id, entrato.map(|e| (e.id, e.role)))
            .filter(|_| sola_lettura)
        {
            return Ok(UserTx(tx, true));
        }
    }
    let inizio = if sola_lettura {
        "begin read only"
    } else {
        "begin"
    };
    let impostazioni = impostazioni(
        caller.user_id,
        caller.firm_id,
        caller.is_platform_admin,
        entrato,
    );
    let tx = inizia(pool, Some(format!("{inizio}; {impostazioni}"))).await?;
    Ok(UserTx(tx, sola_lettura))
}

/// The caller's settings, which follow BEGIN in the same round trip: every server function
/// starts here. One statement of `set_config(…, true)` (transaction-local, as `SET LOCAL`):
/// four `SET LOCAL`s in a row cost the database 0.25 ms more per transaction (`pgbench`,
/// BEGIN, the settings and ROLLBACK: 1,260–1,530 against 2,150–2,460 a second), and calls
/// of `app_imposta` more again (it builds and parses each statement anew). Every setting is
/// written, empty when unset, so that none can come from anywhere else. Only ids, a flag
/// and a role's name are written into the text, from typed values (a UUID prints as hex
/// digits and dashes, a role's name is one of a fixed few). With an ente already entered in
/// this request (`entrato`), its id, the caller's role there and the ente's firm, as
/// `app_entra` sets them.
pub(crate) fn impostazioni(
    user: Uuid,
    firm: Option<Uuid>,
    platform_admin: bool,
    entrato: Option<&EnteNoto>,
) -> String {
    let uuid = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let (firm, ente) = (uuid(firm), uuid(entrato.map(|e| e.id)));
    let admin = if platform_admin { "on" } else { "" };
    let mut s = format!(
        "select set_config('app.user_id', '{user}', true), \
                set_config('app.firm_id', '{firm}', true), \
                set_config('app.platform_admin', '{admin}', true), \
                set_config('app.ente_id', '{ente}', true)"
    );
    if let Some(e) = entrato {
        s.push_str(&format!(
            ", set_config('app.ruolo', '{}', true), set_config('app.firm_ente', '{ente}/{}', true)",
            e.role.db_name(),
            uuid(e.firm)
        ));
    }
    s
}

pub async fn begin_user(pool: &PgPool, caller: &Caller) -> AppResult<UserTx> {
    let r = richiesta();
    begin_with(pool, caller, None, r.is_some(), r.as_ref()).await
}

/// What this page's request remembers, if it is one.
pub fn richiesta() -> Option<Richiesta> {
    dalla_richiesta::<Richiesta>()
}

/// Sets one of the settings the policies read (`app.user_id`, `app.firm_id`,
/// `app.platform_admin`, `app.ente_id`, ...) for the rest of the transaction, after the
/// opening: through the SQL function `app_imposta`, which admits only those.
pub async fn imposta(
    conn: &mut sqlx::PgConnection,
    chiave: &str,
    valore: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("select app_imposta($1, $2)")
        .bind(chiave)
        .bind(valore)
        .execute(conn)
        .await?;
    Ok(())
}

pub fn pool() -> AppResult<PgPool> {
    use_context::<PgPool>()
        .ok_or_else(|| AppError::interno("database pool missing from the context"))
}

/// The caller of this request, or `NonAutenticato`.
pub fn caller() -> AppResult<Caller> {
    dalla_richiesta::<Caller>().ok_or(AppError::NonAutenticato)
}

/// A value the middleware put in this request, read in place (not through a copy of the
/// request's parts, headers and all).
fn dalla_richiesta<T: Clone + Send + Sync + 'static>() -> Option<T> {
    with_context::<http::request::Parts, _>(|p| p.extensions.get::<T>().cloned()).flatten()
}

/// Gives a server function's error its HTTP status (404, 403, ...), both for calls from the
/// browser and for pages rendered on the server that call it.
pub fn respond<T>(result: AppResult<T>) -> AppResult<T> {
    if let Err(e) = &result {
        let status = e.status();
        if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
            opts.set_status(status);
        }
    }
    result
}
