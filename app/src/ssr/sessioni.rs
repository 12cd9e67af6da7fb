//! SQL of «Le mie sessioni» (`sessioni_utente`): one row per login, closed at logout or by
//! the owner from another session. The session store keeps the data; this table is what the
//! owner sees and what closes a session from elsewhere.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::users::come_utente;
use crate::error::AppResult;
use crate::model::SessioneView;

/// A session stays listed while it can still be used: idle and absolute limits.
const ATTIVA: &str = "chiusa_at is null and vista_at > now() - interval '2 hours'
                      and creata_at > now() - interval '12 hours'";

/// Opens the row of a new login, with the time of the password it was made with; returns
/// its id, kept in the session. The row is reached from the cookie once bound to it (`lega`).
pub async fn apri(
    pool: &PgPool,
    user_id: Uuid,
    password_at: DateTime<Utc>,
    indirizzo: Option<std::net::IpAddr>,
    agente: &str,
) -> AppResult<Uuid> {
    let mut tx = come_utente(pool, user_id).await?;
    let agente: String = agente.chars().take(300).collect();
    let id = sqlx::query_scalar(
        "insert into sessioni_utente (user_id, password_at, indirizzo, agente)
         values ($1, $2, $3, $4) returning id",
    )
    .bind(user_id)
    .bind(password_at)
    .bind(indirizzo.map(|ip| ip.to_string()))
    .bind(agente)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Binds the open row `id` to the session store's key `chiave` (the cookie's: a new one at
/// login and at a change of password, which also brings the password's new time). Stored
/// as its SHA-256: the key is as good as a password. The key it replaces opens nothing.
pub async fn lega(
    pool: &PgPool,
    user_id: Uuid,
    id: Uuid,
    chiave: &str,
    password_at: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = come_utente(pool, user_id).await?;
    let legata = sqlx::query(
        "update sessioni_utente set chiave = sha256(convert_to($3, 'UTF8')), password_at = $4
          where id = $1 and user_id = $2 and chiusa_at is null",
    )
    .bind(id)
    .bind(user_id)
    .bind(chiave)
    .bind(password_at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    if legata == 1 {
        Ok(())
    } else {
        Err(crate::error::AppError::interno("session line not open"))
    }
}

/// Stores `session` now, under the key its cookie will carry, and binds the row `id` to it
/// (`lega`): after `cycle_id`, at login and at a change of password.
pub async fn salva_e_lega(
    pool: &PgPool,
    session: &tower_sessions::Session,
    user_id: Uuid,
    id: Uuid,
    password_at: DateTime<Utc>,
) -> AppResult<()> {
    session
        .save()
        .await
        .map_err(crate::error::AppError::interno)?;
    let chiave = session
        .id()
        .ok_or_else(|| crate::error::AppError::interno("session saved without an id"))?;
    lega(pool, user_id, id, &chiave.to_string(), password_at).await
}

/// Closes one session (logout).
pub async fn chiudi(pool: &PgPool, user_id: Uuid, id: Uuid) -> AppResult<()> {
    let mut tx = come_utente(pool, user_id).await?;
    sqlx::query("update sessioni_utente set chiusa_at = now() where id = $1 and chiusa_at is null")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes every session of the account but `tranne`; returns how many were open.
pub async fn chiudi_altre(pool: &PgPool, user_id: Uuid, tranne: Option<Uuid>) -> AppResult<u64> {
    let mut tx = come_utente(pool, user_id).await?;
    let r = sqlx::query(&format!(
        "update sessioni_utente set chiusa_at = now()
          where user_id = $1 and id is distinct from $2 and {ATTIVA}"
    ))
    .bind(user_id)
    .bind(tranne)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(r.rows_affected())
}

/// The account's open sessions, newest first; `questa` marks the caller's.
pub async fn elenco(
    pool: &PgPool,
    user_id: Uuid,
    questa: Option<Uuid>,
) -> AppResult<Vec<SessioneView>> {
    let mut tx = come_utente(pool, user_id).await?;
    let rows: Vec<(Uuid, String, String, Option<String>, String)> = sqlx::query_as(&format!(
        "select id, to_char(creata_at at time zone 'Europe/Rome', 'DD/MM/YYYY HH24:MI'),
                to_char(vista_at at time zone 'Europe/Rome', 'DD/MM/YYYY HH24:MI'), indirizzo, agente
           from sessioni_utente where user_id = $1 and {ATTIVA}
          order by creata_at desc"
    ))
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|(id, creata, vista, indirizzo, agente)| SessioneView {
            id,
            creata,
            vista,
            indirizzo: indirizzo.unwrap_or_default(),
            dispositivo: crate::domain::registro::dispositivo(&agente),
            questa: Some(id) == questa,
        })
        .collect())
}
