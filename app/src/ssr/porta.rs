//! The one door into an ente, and the two beside it. Every server function enters through
//! one of them; none opens its own transaction or checks a role by hand.
//!
//! - `in_ente(slug, azione, corpo)`: in ONE transaction, resolves the ente and the caller's
//!   role, checks `azione` against the permission table, sets the tenant, runs `corpo`,
//!   commits; an error gets its HTTP status. `in_ente_in_lettura` is the same door, read
//!   only, for the plain GETs that serve files.
//! - `per_utente(corpo)`: the same for calls about the caller alone (no ente);
//!   `del_chiamante(corpo)` for the caller's own account, whose calls keep their
//!   transactions short (passwords are hashed between them).
//! - `nello_studio(corpo)` (and `nella_libreria`): the same for a consultancy firm's calls
//!   about its own firm, `nel_cruscotto(corpo)` for reading all its enti together,
//!   `in_ogni_ente_dello_studio` and `negli_enti_scelti` for acting in each of them through
//!   its own door; `da_amministratore(corpo)` for the platform administrators'.
//!
//! `verifica` checks without keeping a transaction open: for uploads, which read their
//! file between the check and the work (no connection is held while a file arrives).

use sqlx::PgPool;
use uuid::Uuid;

use super::context::{
    begin_user, begin_with, caller, pool, respond, richiesta, Caller, EnteCtx, EnteTx, UserTx,
};
use super::enti;
use super::richiesta::{EnteNoto, Richiesta};
use crate::domain::permessi::Azione;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};

/// Runs `corpo` in the ente of `slug` as the caller of this request, if their role there
/// may do `azione`.
pub async fn in_ente<T>(
    slug: &str,
    azione: Azione,
    corpo: impl AsyncFnOnce(&EnteCtx, &mut EnteTx) -> AppResult<T>,
) -> AppResult<T> {
    respond(async { in_ente_di(&pool()?, caller()?, slug, azione, corpo).await }.await)
}

/// `in_ente` for a given caller and pool: each of a firm's enti in turn
/// (`in_ogni_ente_dello_studio`), and the tests. Read only in a page's request, as `in_ente`.
pub async fn in_ente_di<T>(
    pool: &PgPool,
    caller: Caller,
    slug: &str,
    azione: Azione,
    corpo: impl AsyncFnOnce(&EnteCtx, &mut EnteTx) -> AppResult<T>,
) -> AppResult<T> {
    let r = richiesta();
    let sola_lettura = r.is_some();
    in_ente_con(pool, caller, slug, azione, r, sola_lettura, corpo).await
}

/// `in_ente_di` for the plain axum GETs that serve files (the plan's PDF, reports,
/// exports), which change nothing: read only, like a page's doors, and ended without a
/// COMMIT of its own. `richiesta`: what the middleware put in the request (the ente
/// entered with the caller's read).
pub async fn in_ente_in_lettura<T>(
    pool: &PgPool,
    caller: Caller,
    slug: &str,
    azione: Azione,
    richiesta: Option<Richiesta>,
    corpo: impl AsyncFnOnce(&EnteCtx, &mut EnteTx) -> AppResult<T>,
) -> AppResult<T> {
    in_ente_con(pool, caller, slug, azione, richiesta, true, corpo).await
}

async fn in_ente_con<T>(
    pool: &PgPool,
    caller: Caller,
    slug: &str,
    azione: Azione,
    richiesta: Option<Richiesta>,
    sola_lettura: bool,
    corpo: impl AsyncFnOnce(&EnteCtx, &mut EnteTx) -> AppResult<T>,
) -> AppResult<T> {
    let (ctx, mut tx) = apri(pool, caller, slug, azione, richiesta, sola_lettura).await?;
    let r = corpo(&ctx, &mut tx).await?;
    tx.commit().await?;
    Ok(r)
}

/// Checks that the caller may do `azione` in the ente of `slug`, in a short transaction of
/// its own; the work then goes through `in_ente`, which checks again.
pub async fn verifica(slug: &str, azione: Azione) -> AppResult<EnteCtx> {
    respond(
        async {
            let r = richiesta();
            let sola_lettura = r.is_some();
            let (ctx, tx) = apri(&pool()?, caller()?, slug, azione, r, sola_lettura).await?;
            tx.commit().await?;
            Ok(ctx)
        }
        .await,
    )
}

/// Runs `corpo` as the caller of this request, in a transaction that sees their own rows.
pub async fn per_utente<T>(
    corpo: impl AsyncFnOnce(&Caller, &mut UserTx) -> AppResult<T>,
) -> AppResult<T> {
    respond(
        async {
            let caller = caller()?;
            let mut tx = begin_user(&pool()?, &caller).await?;
            let r = corpo(&caller, &mut tx).await?;
            tx.commit().await?;
            Ok(r)
        }
        .await,
    )
}

/// Runs `corpo` about the caller's own account, with the pool: these calls keep their
/// transactions short on purpose (a password is hashed, or checked, between them, and a
/// connection is not held meanwhile).
pub async fn del_chiamante<T>(
    corpo: impl AsyncFnOnce(&Caller, &PgPool) -> AppResult<T>,
) -> AppResult<T> {
    // Its statements take their connections from the pool: the request's kept
    // transaction is not held meanwhile.
    if let Some(r) = richiesta() {
        r.rilascia();
    }
    respond(async { corpo(&caller()?, &pool()?).await }.await)
}

/// Runs `corpo` for the consultancy firm the caller works for (`NonAutorizzato` for anyone
/// else), in a transaction that sees the firm's rows.
pub async fn nello_studio<T>(
    corpo: impl AsyncFnOnce(&Caller, Uuid, &mut UserTx) -> AppResult<T>,
) -> AppResult<T> {
    dello_studio(AppError::NonAutorizzato, corpo).await
}

/// `nello_studio` for the firm's template library and its enti by name: to anyone but a
/// consultant a template or an ente does not exist (`NonTrovato`), rather than being
/// someone else's.
pub async fn nella_libreria<T>(
    corpo: impl AsyncFnOnce(&Caller, Uuid, &mut UserTx) -> AppResult<T>,
) -> AppResult<T> {
    dello_studio(AppError::NonTrovato, corpo).await
}

/// `nello_studio` for reading all the firm's enti together (the cockpit, its exports): their
/// ids, read through the enti's own policy, are set for the select-only policies that let
/// one query read their plans. The firm's rows only: nothing here writes to an ente.
pub async fn nel_cruscotto<T>(
    corpo: impl AsyncFnOnce(&Caller, &[super::cruscotto::EnteDelloStudio], &mut UserTx) -> AppResult<T>,
) -> AppResult<T> {
    respond(async { nel_cruscotto_di(&pool()?, caller()?, corpo).await }.await)
}

/// `nel_cruscotto` for a given caller and pool, outside a Leptos context (the exports).
pub async fn nel_cruscotto_di<T>(
    pool: &PgPool,
    caller: Caller,
    corpo: impl AsyncFnOnce(&Caller, &[super::cruscotto::EnteDelloStudio], &mut UserTx) -> AppResult<T>,
) -> AppResult<T> {
    let firm = caller.firm_id.ok_or(AppError::NonAutorizzato)?;
    let mut tx = begin_user(pool, &caller).await?;
    let propri = enti_dello_studio(&mut tx, firm).await?;
    let r = corpo(&caller, &propri, &mut tx).await?;
    tx.commit().await?;
    Ok(r)
}

/// The database role whose reads the cockpit's select-only policies open (migration 0036):
/// the runtime role sets it for a cockpit's transaction only, so that everywhere else those
/// policies are not in the plan at all.
pub const RUOLO_CRUSCOTTO: &str = "obiettivi_cruscotto";

/// Reads the firm's enti through their own policy and sets their ids for the select-only
/// policies that let one query read them all, with the role they apply to (for the rest of
/// the transaction `tx`).
pub async fn enti_dello_studio(
    tx: &mut UserTx,
    firm: Uuid,
) -> AppResult<Vec<super::cruscotto::EnteDelloStudio>> {
    let propri = enti::dello_studio(tx, firm).await?;
    sqlx::query(&format!("set local role {RUOLO_CRUSCOTTO}"))
        .execute(&mut **tx)
        .await?;
    let ids: Vec<String> = propri.iter().map(|e| e.id.to_string()).collect();
    super::imposta(tx, "app.enti_studio", &format!("{{{}}}", ids.join(","))).await?;
    Ok(propri)
}

/// `corpo` with the caller's firm; `fuori` for a caller who works for none.
async fn dello_studio<T>(
    fuori: AppError,
    corpo: impl AsyncFnOnce(&Caller, Uuid, &mut UserTx) -> AppResult<T>,
) -> AppResult<T> {
    per_utente(async |caller, tx| {
        let firm = caller.firm_id.ok_or(fuori)?;
        corpo(caller, firm, tx).await
    })
    .await
}

/// Runs `corpo` in each ente the caller's firm serves, as its consultant, each through
/// `in_ente_di` in a transaction of its own: what happened, ente by ente (one refused does
/// not stop the others). `NonAutorizzato` for a caller who works for no firm.
pub async fn in_ogni_ente_dello_studio<T>(
    azione: Azione,
    corpo: impl AsyncFn(&EnteCtx, &mut EnteTx) -> AppResult<T>,
) -> AppResult<Vec<(crate::model::EnteBreve, AppResult<T>)>> {
    negli_enti_dello_studio(None, azione, corpo).await
}

/// At most this many enti chosen at once: each is a transaction of its own.
pub const MASSIMO_ENTI_SCELTI: usize = 100;

/// `in_ogni_ente_dello_studio` for the enti `scelti` (by slug) only. One that is not of the
/// caller's firm makes the whole call `NonTrovato` (to anyone but a consultant, none
/// exists) before any is entered; none, or more than `MASSIMO_ENTI_SCELTI`, is `NonValido`.
pub async fn negli_enti_scelti<T>(
    scelti: &[String],
    azione: Azione,
    corpo: impl AsyncFn(&EnteCtx, &mut EnteTx) -> AppResult<T>,
) -> AppResult<Vec<(crate::model::EnteBreve, AppResult<T>)>> {
    negli_enti_dello_studio(Some(scelti), azione, corpo).await
}

async fn negli_enti_dello_studio<T>(
    scelti: Option<&[String]>,
    azione: Azione,
    corpo: impl AsyncFn(&EnteCtx, &mut EnteTx) -> AppResult<T>,
) -> AppResult<Vec<(crate::model::EnteBreve, AppResult<T>)>> {
    let fuori = match scelti {
        Some(_) => AppError::NonTrovato,
        None => AppError::NonAutorizzato,
    };
    let propri = dello_studio(fuori, async |caller, firm, tx| {
        let tutti = enti::accessibili(tx, caller.user_id, Some(firm))
            .await?
            .into_iter()
            .filter(|e| e.role == Role::Consulente);
        let Some(scelti) = scelti else {
            return Ok(tutti.collect::<Vec<_>>());
        };
        if scelti.is_empty() {
            return Err(AppError::NonValido("Scegli almeno un ente.".into()));
        }
        if scelti.len() > MASSIMO_ENTI_SCELTI {
            return Err(AppError::NonValido(format!(
                "Al massimo {MASSIMO_ENTI_SCELTI} enti alla volta."
            )));
        }
        let tutti: Vec<_> = tutti.filter(|e| scelti.contains(&e.slug)).collect();
        match scelti.iter().all(|s| tutti.iter().any(|e| &e.slug == s)) {
            true => Ok(tutti),
            false => Err(AppError::NonTrovato),
        }
    })
    .await?;
    let (caller, pool) = (caller()?, pool()?);
    let mut out = Vec::with_capacity(propri.len());
    for e in propri {
        let r = in_ente_di(&pool, caller.clone(), &e.slug, azione, async |ctx, tx| {
            corpo(ctx, tx).await
        })
        .await;
        out.push((e, r));
    }
    Ok(out)
}

/// Runs `corpo` for a platform administrator (`NonAutorizzato` for anyone else).
pub async fn da_amministratore<T>(
    corpo: impl AsyncFnOnce(&Caller, &mut UserTx) -> AppResult<T>,
) -> AppResult<T> {
    per_utente(async |caller, tx| {
        if !caller.is_platform_admin {
            return Err(AppError::NonAutorizzato);
        }
        corpo(caller, tx).await
    })
    .await
}

/// Opens the caller's transaction on the ente of `slug`: resolves the ente and the
/// caller's role there, and sets both, in one statement (`app_entra`, through the same
/// policies). An ente the caller has no business with is `NonTrovato`, exactly like one
/// that does not exist. In a page's request, an ente entered already is entered again with
/// what `app_entra` said then, in the opening itself (`richiesta`; under `/e/{slug}/` the
/// middleware's read of the caller entered it already, and its first door opens nothing:
/// it takes the transaction of that read).
///
/// `NonAutorizzato` unless the role there may do `azione`: checked as soon as the role is
/// known, so an ente entered already in this request refuses without opening anything.
async fn apri(
    pool: &PgPool,
    caller: Caller,
    slug: &str,
    azione: Azione,
    richiesta: Option<Richiesta>,
    sola_lettura: bool,
) -> AppResult<(EnteCtx, EnteTx)> {
    // The door that asks `app_entra` keeps the transaction it asked in; in a page's request
    // the others wait for its answer and open theirs with it.
    let mut aperta = None;
    let (tiene, chi) = (&mut aperta, &caller);
    let r = richiesta.as_ref();
    let chiedi = move || async move {
        let mut tx = begin_with(pool, chi, None, sola_lettura, r).await?;
        let e = entra(&mut tx, slug).await?;
        *tiene = Some(tx);
        AppResult::Ok(e)
    };
    let e = match r {
        Some(r) => r.cella(slug).get_or_try_init(chiedi).await?.clone(),
        None => chiedi().await?,
    };
    if !e.role.puo(azione) {
        return Err(AppError::NonAutorizzato);
    }
    let tx = match aperta {
        Some(tx) => tx,
        None => begin_with(pool, &caller, Some(&e), sola_lettura, r).await?,
    };
    let tx = EnteTx::aperta(tx, e.id, e.nome.clone(), caller.user_id);
    let ctx = EnteCtx {
        caller,
        ente_id: e.id,
        slug: e.slug,
        ente_name: e.nome,
        role: e.role,
    };
    Ok((ctx, tx))
}

/// `app_entra` in the transaction `tx`: the ente of `slug` and the caller's role there, set
/// for the rest of `tx`.
async fn entra(tx: &mut UserTx, slug: &str) -> AppResult<EnteNoto> {
    let (id, nome, ruolo, firm): (Uuid, String, String, Option<Uuid>) =
        sqlx::query_as("select ente_id, nome, ruolo, ente_firm from app_entra($1)")
            .bind(slug)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AppError::NonTrovato)?;
    EnteNoto::da_app_entra(slug, (id, nome, &ruolo, firm))
}
