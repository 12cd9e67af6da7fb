//! SQL of «Le mie sessioni» (`sessioni_utente`): one row per login, closed at logout or by
//! the owner from another session. The session store keeps the data; this table is what the
//! owner sees and what closes a session from elsewhere.

use sqlx::PgPool;
use uuid::Uuid;

use super::users::come_utente;
use crate::error::AppResult;
use crate::model::SessioneView;

/// A session stays listed while it can still be used: idle and absolute limits.
const ATTIVA: &str = "chiusa_at is null and vista_at > now() - interval '2 hours'
                      and creata_at > now() - interval '12 hours'";

/// Opens the row of a new login; returns its id, kept in the session.
pub async fn apri(
    pool: &PgPool,
    user_id: Uuid,
    indirizzo: Option<std::net::IpAddr>,
    agente: &str,
) -> AppResult<Uuid> {
    let mut tx = come_utente(pool, user_id).await?;
    let agente: String = agente.chars().take(300).collect();
    let id = sqlx::query_scalar(
        "insert into sessioni_utente (user_id, indirizzo, agente) values ($1, $2, $3) returning id",
    )
    .bind(user_id)
    .bind(indirizzo.map(|ip| ip.to_string()))
    .bind(agente)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
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
