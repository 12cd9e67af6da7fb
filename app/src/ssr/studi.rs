//! SQL on `firms` (platform administration) and on a firm's own settings (its consultants).

use uuid::Uuid;

use super::context::UserTx;
use crate::error::{AppResult, ResultExt};
use crate::model::StudioBreve;

pub async fn elenco(tx: &mut UserTx) -> AppResult<Vec<StudioBreve>> {
    let rows: Vec<(Uuid, String, i64, i64)> = sqlx::query_as(
        "select f.id, f.name,
                (select count(*) from enti e where e.firm_id = f.id),
                (select count(*) from firm_memberships fm where fm.firm_id = f.id)
           from firms f order by f.name",
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, enti, consultants)| StudioBreve {
            id,
            name,
            enti,
            consultants,
        })
        .collect())
}

pub async fn crea(tx: &mut UserTx, name: &str) -> AppResult<Uuid> {
    sqlx::query_scalar("insert into firms (name) values ($1) returning id")
        .bind(name)
        .fetch_one(&mut **tx)
        .await
        .on_constraint(
            "firms_name_key",
            &format!("Esiste già uno studio chiamato «{name}»."),
        )
}

/// Whether the firm asks the second factor of all its consultants.
pub async fn richiede_2fa(tx: &mut UserTx, firm: Uuid) -> AppResult<bool> {
    Ok(sqlx::query_scalar(
        "select coalesce((select richiede_2fa from impostazioni_studio where firm_id = $1), false)",
    )
    .bind(firm)
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn richiedi_2fa(
    tx: &mut UserTx,
    firm: Uuid,
    user: Uuid,
    richiesto: bool,
) -> AppResult<()> {
    sqlx::query(
        "insert into impostazioni_studio (firm_id, richiede_2fa, aggiornato_da) values ($1, $2, $3)
         on conflict (firm_id) do update set richiede_2fa = excluded.richiede_2fa,
             aggiornato_da = excluded.aggiornato_da, aggiornato_il = now()",
    )
    .bind(firm)
    .bind(richiesto)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
