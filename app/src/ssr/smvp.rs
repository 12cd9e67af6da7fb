//! SQL for the SMVP profiles: an ente's versions (`smvp_profili`) and a firm's
//! (`smvp_studio`), both only ever added to. The rules are in `domain::smvp`.

use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::smvp::Profilo;
use crate::error::{AppError, AppResult, ResultExt};
use crate::model::VersioneProfilo;

#[derive(sqlx::FromRow)]
struct Riga {
    numero: i32,
    parametri: Json<Profilo>,
    studio_numero: Option<i32>,
    nota: String,
    autore: Option<String>,
    creato_il: chrono::DateTime<chrono::Utc>,
}

impl From<Riga> for VersioneProfilo {
    fn from(r: Riga) -> Self {
        VersioneProfilo {
            numero: r.numero,
            profilo: r.parametri.0,
            da_studio: r.studio_numero,
            nota: r.nota,
            autore: r.autore.unwrap_or_default(),
            creato_il: r.creato_il,
        }
    }
}

/// The ente's versions, newest first.
pub async fn versioni_ente(c: &mut PgConnection, ente: Uuid) -> AppResult<Vec<VersioneProfilo>> {
    let rows: Vec<Riga> = sqlx::query_as(
        "select p.numero, p.parametri, p.studio_numero, p.nota, u.display_name as autore, p.creato_il
           from smvp_profili p left join users u on u.id = p.creato_da
          where p.ente_id = $1 order by p.numero desc",
    )
    .bind(ente)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The firm's versions, newest first.
pub async fn versioni_studio(c: &mut PgConnection, firm: Uuid) -> AppResult<Vec<VersioneProfilo>> {
    let rows: Vec<Riga> = sqlx::query_as(
        "select p.numero, p.parametri, null::int4 as studio_numero, p.nota,
                u.display_name as autore, p.creato_il
           from smvp_studio p left join users u on u.id = p.creato_da
          where p.firm_id = $1 order by p.numero desc",
    )
    .bind(firm)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The ente's version `numero`.
pub async fn profilo_ente(c: &mut PgConnection, ente: Uuid, numero: i32) -> AppResult<Profilo> {
    let p: Option<Json<Profilo>> =
        sqlx::query_scalar("select parametri from smvp_profili where ente_id = $1 and numero = $2")
            .bind(ente)
            .bind(numero)
            .fetch_optional(&mut *c)
            .await?;
    p.map(|p| p.0).ok_or(AppError::NonTrovato)
}

/// The ente's newest version number (0: none yet).
pub async fn ultima_ente(c: &mut PgConnection, ente: Uuid) -> AppResult<i32> {
    Ok(
        sqlx::query_scalar("select coalesce(max(numero), 0) from smvp_profili where ente_id = $1")
            .bind(ente)
            .fetch_one(&mut *c)
            .await?,
    )
}

const CONFLITTO: &str = "Un'altra persona ha salvato una nuova versione del profilo mentre lo modificavi: ricarica la pagina, controlla la versione attuale e salva di nuovo.";

/// Adds the ente's version after `base` (the newest when the user started; 0: none), from
/// the firm's version `da` if adopted. Returns its number; a newer version is a conflict.
pub async fn aggiungi_ente(
    c: &mut PgConnection,
    ente: Uuid,
    base: i32,
    p: &Profilo,
    da: Option<(Uuid, i32)>,
    nota: &str,
    autore: Option<Uuid>,
) -> AppResult<i32> {
    let n: Option<i32> = sqlx::query_scalar(
        "insert into smvp_profili (ente_id, numero, parametri, firm_id, studio_numero, nota, creato_da)
         select $1, $2 + 1, $3, $4, $5, $6, $7
          where (select coalesce(max(numero), 0) from smvp_profili where ente_id = $1) = $2
         returning numero",
    )
    .bind(ente)
    .bind(base)
    .bind(Json(p))
    .bind(da.map(|d| d.0))
    .bind(da.map(|d| d.1))
    .bind(nota)
    .bind(autore)
    .fetch_optional(&mut *c)
    .await
    .on_constraints(&[("smvp_profili_pkey", AppError::Conflitto(CONFLITTO.into()))])?;
    n.ok_or_else(|| AppError::Conflitto(CONFLITTO.into()))
}

/// Adds the firm's version after `base`, like `aggiungi_ente`.
pub async fn aggiungi_studio(
    c: &mut PgConnection,
    firm: Uuid,
    base: i32,
    p: &Profilo,
    nota: &str,
    autore: Uuid,
) -> AppResult<i32> {
    let n: Option<i32> = sqlx::query_scalar(
        "insert into smvp_studio (firm_id, numero, parametri, nota, creato_da)
         select $1, $2 + 1, $3, $4, $5
          where (select coalesce(max(numero), 0) from smvp_studio where firm_id = $1) = $2
         returning numero",
    )
    .bind(firm)
    .bind(base)
    .bind(Json(p))
    .bind(nota)
    .bind(autore)
    .fetch_optional(&mut *c)
    .await
    .on_constraints(&[("smvp_studio_pkey", AppError::Conflitto(CONFLITTO.into()))])?;
    n.ok_or_else(|| AppError::Conflitto(CONFLITTO.into()))
}

/// The firm serving the ente (if any), with its name and its newest profile version.
pub async fn offerta(
    c: &mut PgConnection,
    ente: Uuid,
) -> AppResult<Option<(Uuid, String, VersioneProfilo)>> {
    let firm: Option<(Uuid, String)> = sqlx::query_as(
        "select f.id, f.name from enti e join firms f on f.id = e.firm_id where e.id = $1",
    )
    .bind(ente)
    .fetch_optional(&mut *c)
    .await?;
    let Some((firm, nome)) = firm else {
        return Ok(None);
    };
    Ok(versioni_studio(c, firm)
        .await?
        .into_iter()
        .next()
        .map(|v| (firm, nome, v)))
}

/// The ente's profile in use for a new year: its newest version, or a first one with the
/// defaults (written now, so that the year keeps it).
pub async fn corrente_o_predefinito(
    c: &mut PgConnection,
    ente: Uuid,
    autore: Option<Uuid>,
) -> AppResult<i32> {
    match ultima_ente(c, ente).await? {
        0 => {
            aggiungi_ente(
                c,
                ente,
                0,
                &Profilo::default(),
                None,
                "Valori predefiniti",
                autore,
            )
            .await
        }
        n => Ok(n),
    }
}
