//! SQL on `piani_versioni`: the snapshot of each approved version of a plan, insert-only.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::allegato::File;
use super::context::EnteTx;
use crate::error::{AppError, AppResult};
use crate::model::{PianoView, VersioneBreve};

/// Keeps the approved plan `piano` as its next version (once per approval: the plan row's
/// version is the key), with the reason of the rimodulazione that led to it, if any.
/// Returns the version's number.
pub async fn registra(tx: &mut EnteTx, piano: &PianoView) -> AppResult<i32> {
    let (numero, data) = match (&piano.delibera_numero, piano.delibera_data) {
        (Some(n), Some(d)) if piano.approvato => (n.clone(), d),
        _ => {
            return Err(AppError::interno(
                "a version is kept of an approved plan only",
            ))
        }
    };
    let contenuto = serde_json::to_value(piano).map_err(AppError::interno)?;
    let autore = (!tx.user_id.is_nil()).then_some(tx.user_id);
    let n: Option<i32> = sqlx::query_scalar(
        "insert into piani_versioni (ente_id, piano_id, numero, piano_version, delibera_numero,
                                     delibera_data, motivo, contenuto, approvata_da)
         select $1, $2, coalesce(max(numero), 0) + 1, $3, $4, $5,
                coalesce((select rimodulazione_motivo from piani where ente_id = $1 and id = $2), ''),
                $6, $7
           from piani_versioni where ente_id = $1 and piano_id = $2
         on conflict (ente_id, piano_id, piano_version) do nothing
         returning numero",
    )
    .bind(tx.ente_id)
    .bind(piano.id)
    .bind(piano.version)
    .bind(numero)
    .bind(data)
    .bind(contenuto)
    .bind(autore)
    .fetch_optional(&mut **tx)
    .await?;
    match n {
        Some(n) => Ok(n),
        None => Ok(sqlx::query_scalar(
            "select numero from piani_versioni where ente_id = $1 and piano_id = $2 and piano_version = $3",
        )
        .bind(tx.ente_id)
        .bind(piano.id)
        .bind(piano.version)
        .fetch_one(&mut **tx)
        .await?),
    }
}

pub async fn elenco(tx: &mut EnteTx, piano: Uuid) -> AppResult<Vec<VersioneBreve>> {
    let rows: Vec<(i32, String, NaiveDate, String, DateTime<Utc>)> = sqlx::query_as(
        "select numero, delibera_numero, delibera_data, motivo, approvata_il from piani_versioni
          where ente_id = $1 and piano_id = $2 order by numero",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(numero, delibera_numero, delibera_data, motivo, approvata_il)| VersioneBreve {
                numero,
                delibera_numero,
                delibera_data,
                motivo,
                approvata_il,
            },
        )
        .collect())
}

/// The plan as version `numero` was approved.
pub async fn carica(tx: &mut EnteTx, piano: Uuid, numero: i32) -> AppResult<PianoView> {
    let v: Option<serde_json::Value> = sqlx::query_scalar(
        "select contenuto from piani_versioni where ente_id = $1 and piano_id = $2 and numero = $3",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(numero)
    .fetch_optional(&mut **tx)
    .await?;
    serde_json::from_value(v.ok_or(AppError::NonTrovato)?).map_err(AppError::interno)
}

/// The PDF kept when version `numero` of the plan of `anno` was approved.
pub async fn pdf(tx: &mut EnteTx, slug: &str, anno: i32, numero: i32) -> AppResult<File> {
    let dati: Option<Vec<u8>> = sqlx::query_scalar(
        "select x.contenuto from piani_versioni v
           join piani p on p.ente_id = v.ente_id and p.id = v.piano_id
           join allegati_esportati x on x.ente_id = v.ente_id and x.piano_id = v.piano_id
                                    and x.piano_version = v.piano_version and x.contenuto is not null
          where v.ente_id = $1 and p.anno = $2 and v.numero = $3",
    )
    .bind(tx.ente_id)
    .bind(anno)
    .bind(numero)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(File {
        dati: dati.ok_or(AppError::NonTrovato)?,
        nome: format!("piano-obiettivi-{slug}-{anno}-versione-{numero}.pdf"),
        tipo: "application/pdf",
    })
}

/// Starts a rimodulazione: the approved plan becomes a draft again, with the reason.
pub async fn avvia(tx: &mut EnteTx, piano: Uuid, motivo: &str) -> AppResult<()> {
    super::piani::imposta_stato(tx, piano, false, None).await?;
    sqlx::query("update piani set rimodulazione_motivo = $3 where ente_id = $1 and id = $2")
        .bind(tx.ente_id)
        .bind(piano)
        .bind(motivo)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The number of the plan's last approved version, if versions are kept.
pub async fn ultima(tx: &mut EnteTx, piano: Uuid) -> AppResult<Option<i32>> {
    Ok(sqlx::query_scalar(
        "select max(numero) from piani_versioni where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_one(&mut **tx)
    .await?)
}
