//! SQL of the activity log (`audit_log`, per ente) and of the access log
//! (`registro_accessi`, per account). Both are insert-only in the database.

use uuid::Uuid;

use super::context::{EnteTx, UserTx};
use crate::error::AppResult;
use crate::model::{VoceAccesso, VoceRegistro};

/// How many lines a page shows, newest first.
pub const RIGHE: i64 = 200;

/// Records an access event. `user_id` is `None` for an e-mail with no account.
pub async fn registra_accesso<'e>(
    db: impl sqlx::PgExecutor<'e>,
    user_id: Option<Uuid>,
    email: &str,
    evento: &str,
    indirizzo: Option<std::net::IpAddr>,
) -> AppResult<()> {
    let email: String = email.chars().take(254).collect();
    sqlx::query(
        "insert into registro_accessi (user_id, email, evento, indirizzo) values ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(email)
    .bind(evento)
    .bind(indirizzo.map(|ip| ip.to_string()))
    .execute(db)
    .await?;
    Ok(())
}

/// The ente's activity log, newest first.
pub async fn attivita(tx: &mut EnteTx) -> AppResult<Vec<VoceRegistro>> {
    let rows: Vec<(String, Option<String>, String, serde_json::Value)> = sqlx::query_as(
        "select to_char(a.at at time zone 'Europe/Rome', 'DD/MM/YYYY HH24:MI'),
                u.display_name, a.action, a.detail
           from audit_log a left join users u on u.id = a.user_id
          where a.ente_id = $1
          order by a.id desc limit $2",
    )
    .bind(tx.ente_id)
    .bind(RIGHE)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(quando, chi, azione, dettaglio)| VoceRegistro {
            quando,
            chi: chi.unwrap_or_else(|| "—".into()),
            azione,
            dettaglio: dettaglio_leggibile(&dettaglio),
        })
        .collect())
}

/// `{"anno": 2022, "delibera": "45"}` as `anno: 2022; delibera: 45`.
fn dettaglio_leggibile(v: &serde_json::Value) -> String {
    match v.as_object() {
        Some(o) => o
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}: {s}"),
                altro => format!("{k}: {altro}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        None => String::new(),
    }
}

/// The access log as the caller may read it (all of it for a platform administrator),
/// newest first.
pub async fn accessi(tx: &mut UserTx) -> AppResult<Vec<VoceAccesso>> {
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "select to_char(at at time zone 'Europe/Rome', 'DD/MM/YYYY HH24:MI:SS'), email, evento,
                indirizzo
           from registro_accessi order by id desc limit $1",
    )
    .bind(RIGHE)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(quando, email, evento, indirizzo)| VoceAccesso {
            quando,
            email,
            evento,
            indirizzo: indirizzo.unwrap_or_default(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn details_read_as_text() {
        let v = serde_json::json!({ "anno": 2022, "delibera": "45" });
        assert_eq!(super::dettaglio_leggibile(&v), "anno: 2022; delibera: 45");
    }
}
