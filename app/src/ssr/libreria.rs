//! SQL for the template library: templates (`modelli`) and their immutable versions
//! (`modelli_versioni`). Row-Level Security decides what a transaction sees: the base
//! library, the consultant's own firm, or inside an ente the firm that serves it.

use super::context::UserTx;
use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::libreria::{ContenutoModello, FaseModello, Natura, Scadenza};
use crate::domain::peso::Peso;
use crate::error::{AppError, AppResult};
use crate::model::{ModelloBreve, UsoModello};

const COLS: &str = "m.id, m.firm_id, m.ritirato, m.versione_corrente, v.versione, v.titolo,
    v.descrizione, (v.peso * 100)::int4 as peso, v.indicatori, v.valori_attesi,
    v.scadenza_mese, v.scadenza_giorno, v.fasi::text as fasi, v.tipi_struttura, v.missioni,
    v.natura";

#[derive(sqlx::FromRow)]
pub struct VersioneRow {
    pub id: Uuid,
    pub firm_id: Option<Uuid>,
    pub ritirato: bool,
    pub versione_corrente: i32,
    pub versione: i32,
    titolo: String,
    descrizione: String,
    peso: Option<i32>,
    indicatori: String,
    valori_attesi: String,
    scadenza_mese: Option<i16>,
    scadenza_giorno: Option<i16>,
    fasi: String,
    tipi_struttura: Vec<String>,
    missioni: Vec<String>,
    natura: String,
}

impl VersioneRow {
    pub fn contenuto(&self) -> AppResult<ContenutoModello> {
        let fasi: Vec<FaseModello> = serde_json::from_str(&self.fasi).map_err(|e| {
            tracing::error!(error = %e, modello = %self.id, "template phases unreadable");
            AppError::Interno
        })?;
        Ok(ContenutoModello {
            titolo: self.titolo.clone(),
            descrizione: self.descrizione.clone(),
            peso: self.peso.map(|p| Peso(p as u32)),
            indicatori: self.indicatori.clone(),
            valori_attesi: self.valori_attesi.clone(),
            scadenza: match (self.scadenza_mese, self.scadenza_giorno) {
                (Some(m), Some(g)) => Scadenza::new(m as u32, g as u32).ok(),
                _ => None,
            },
            fasi,
            tipi_struttura: self.tipi_struttura.clone(),
            missioni: self.missioni.clone(),
            natura: Natura::from_db(&self.natura).unwrap_or(Natura::Sviluppo),
        })
    }

    pub fn breve(&self) -> AppResult<ModelloBreve> {
        Ok(ModelloBreve {
            id: self.id,
            base: self.firm_id.is_none(),
            ritirato: self.ritirato,
            versione: self.versione,
            contenuto: self.contenuto()?,
        })
    }
}

/// What the library is searched by; empty strings mean "any".
#[derive(Debug, Default, Clone)]
pub struct Filtro {
    pub testo: String,
    pub tipo: String,
    pub missione: String,
    pub natura: String,
    pub anche_ritirati: bool,
}

/// Current versions of the visible templates, best match first (Italian full-text search:
/// "trasparente" finds "Trasparenza", "pagamenti" finds "pagamento").
pub async fn cerca(conn: &mut PgConnection, f: &Filtro) -> AppResult<Vec<ModelloBreve>> {
    let rows: Vec<VersioneRow> = sqlx::query_as(&format!(
        "select {COLS} from modelli m
           join modelli_versioni v on v.modello_id = m.id and v.versione = m.versione_corrente
          where ($1 = '' or v.ricerca @@ websearch_to_tsquery('italian', $1))
            and ($2 = '' or $2 = any(v.tipi_struttura))
            and ($3 = '' or $3 = any(v.missioni))
            and ($4 = '' or v.natura = $4)
            and ($5 or not m.ritirato)
          order by case when $1 = '' then 0
                        else ts_rank(v.ricerca, websearch_to_tsquery('italian', $1)) end desc,
                   m.firm_id is null, v.titolo
          limit $6"
    ))
    .bind(f.testo.trim())
    .bind(&f.tipo)
    .bind(&f.missione)
    .bind(&f.natura)
    .bind(f.anche_ritirati)
    .bind(crate::domain::libreria::MAX_RISULTATI as i64)
    .fetch_all(conn)
    .await?;
    rows.iter().map(VersioneRow::breve).collect()
}

/// One version of a visible template (the current one when `versione` is `None`).
pub async fn versione(
    conn: &mut PgConnection,
    id: Uuid,
    versione: Option<i32>,
) -> AppResult<VersioneRow> {
    let row: Option<VersioneRow> = sqlx::query_as(&format!(
        "select {COLS} from modelli m
           join modelli_versioni v on v.modello_id = m.id
          where m.id = $1 and v.versione = coalesce($2, m.versione_corrente)"
    ))
    .bind(id)
    .bind(versione)
    .fetch_optional(conn)
    .await?;
    row.ok_or(AppError::NonTrovato)
}

/// (version, date, author) of every version, newest first.
pub async fn versioni(conn: &mut PgConnection, id: Uuid) -> AppResult<Vec<(i32, String, String)>> {
    let rows: Vec<(i32, NaiveDate, Option<String>)> = sqlx::query_as(
        "select v.versione, (v.created_at at time zone 'Europe/Rome')::date, u.display_name
           from modelli_versioni v left join users u on u.id = v.created_by
          where v.modello_id = $1 order by v.versione desc",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(v, d, u)| {
            (
                v,
                crate::domain::plan::data_label(d),
                u.unwrap_or_else(|| "Libreria di base".into()),
            )
        })
        .collect())
}

/// Version `versione` of template `id`, whose scope (`modelli.ambito`: its firm) is `ambito`.
async fn insert_versione(
    conn: &mut PgConnection,
    (id, ambito): (Uuid, Uuid),
    versione: i32,
    c: &ContenutoModello,
    autore: Uuid,
) -> AppResult<()> {
    let fasi = serde_json::to_string(&c.fasi).map_err(AppError::interno)?;
    sqlx::query(
        "insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori,
                valori_attesi, scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni,
                natura, created_by, ambito)
         values ($1, $2, $3, $4, $5::numeric / 100, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14,
                 $15)",
    )
    .bind(id)
    .bind(versione)
    .bind(c.titolo.trim())
    .bind(&c.descrizione)
    .bind(c.peso.map(|p| p.0 as i32))
    .bind(&c.indicatori)
    .bind(&c.valori_attesi)
    .bind(c.scadenza.map(|s| s.mese as i16))
    .bind(c.scadenza.map(|s| s.giorno as i16))
    .bind(fasi)
    .bind(&c.tipi_struttura)
    .bind(&c.missioni)
    .bind(c.natura.db_name())
    .bind(autore)
    .bind(ambito)
    .execute(conn)
    .await?;
    Ok(())
}

/// A new template of `firm` (version 1), possibly duplicated from `origine`.
pub async fn crea(
    conn: &mut PgConnection,
    firm: Uuid,
    c: &ContenutoModello,
    autore: Uuid,
    origine: Option<Uuid>,
) -> AppResult<Uuid> {
    let modello: (Uuid, Uuid) = sqlx::query_as(
        "insert into modelli (firm_id, origine_id, created_by) values ($1, $2, $3)
         returning id, ambito",
    )
    .bind(firm)
    .bind(origine)
    .bind(autore)
    .fetch_one(&mut *conn)
    .await?;
    insert_versione(conn, modello, 1, c, autore).await?;
    Ok(modello.0)
}

/// The next version of a firm template, if `da_versione` is still the current one.
pub async fn nuova_versione(
    conn: &mut PgConnection,
    id: Uuid,
    da_versione: i32,
    c: &ContenutoModello,
    autore: Uuid,
) -> AppResult<i32> {
    let nuova: Option<(i32, Uuid)> = sqlx::query_as(
        "update modelli set versione_corrente = versione_corrente + 1
          where id = $1 and versione_corrente = $2 and firm_id is not null
          returning versione_corrente, ambito",
    )
    .bind(id)
    .bind(da_versione)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((nuova, ambito)) = nuova else {
        let attuale = versione(conn, id, None).await?;
        if attuale.firm_id.is_none() {
            return Err(AppError::NonAutorizzato);
        }
        return Err(AppError::Conflitto(format!(
            "Un'altra persona ha salvato il modello mentre lo modificavi: ora è alla versione {}. \
             Le tue modifiche sono ancora nel modulo: ricarica la pagina per vedere la versione attuale.",
            attuale.versione
        )));
    };
    insert_versione(conn, (id, ambito), nuova, c, autore).await?;
    Ok(nuova)
}

pub async fn ritira(conn: &mut PgConnection, id: Uuid, ritirato: bool) -> AppResult<()> {
    super::one_row(
        sqlx::query("update modelli set ritirato = $2 where id = $1 and firm_id is not null")
            .bind(id)
            .bind(ritirato)
            .execute(conn)
            .await?,
    )
}

/// Which of the firm's enti use template `id`, at which version, and how many of those
/// objectives set the newer version aside: one query over the firm's enti (the door set
/// them, `porta::enti_dello_studio`).
pub async fn uso(tx: &mut UserTx, enti: &[Uuid], id: Uuid) -> AppResult<Vec<UsoModello>> {
    let righe: Vec<(String, String, i32, i64, i64)> = sqlx::query_as(
        "select e.name, e.slug, o.modello_versione, count(*),
                count(*) filter (where coalesce(o.modello_ignorata, 0) >= m.versione_corrente)
           from obiettivi o
           join enti e on e.id = o.ente_id
           join modelli m on m.id = o.modello_id
          where o.ente_id = any ($2) and o.modello_id = $1
          group by e.name, e.slug, o.modello_versione
          order by e.name, o.modello_versione",
    )
    .bind(id)
    .bind(enti)
    .fetch_all(&mut **tx)
    .await?;
    Ok(righe
        .into_iter()
        .map(
            |(ente, slug, versione, obiettivi, messi_da_parte)| UsoModello {
                ente,
                slug,
                versione,
                obiettivi,
                messi_da_parte,
            },
        )
        .collect())
}

/// Offers the current version of template `id` again to the ente being worked in: the
/// draft plans' objectives that set it aside forget having done so (an approved plan does
/// not change; its next draft will offer it). How many objectives will see the offer.
pub async fn riproponi(tx: &mut super::EnteTx, id: Uuid) -> AppResult<i64> {
    sqlx::query(
        "update obiettivi o set modello_ignorata = null, version = o.version + 1
           from strutture s, piani p
          where o.ente_id = $1 and o.modello_id = $2 and o.modello_ignorata is not null
            and s.ente_id = o.ente_id and s.id = o.struttura_id
            and p.ente_id = s.ente_id and p.id = s.piano_id and p.stato = 'bozza'",
    )
    .bind(tx.ente_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(sqlx::query_scalar(
        "select count(*) from obiettivi o
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
           join piani p on p.ente_id = s.ente_id and p.id = s.piano_id
           join modelli m on m.id = o.modello_id
          where o.ente_id = $1 and o.modello_id = $2 and p.stato = 'bozza'
            and o.modello_versione < m.versione_corrente",
    )
    .bind(tx.ente_id)
    .bind(id)
    .fetch_one(&mut **tx)
    .await?)
}
