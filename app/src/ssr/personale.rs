//! SQL on `dipendenti` and `assegnazioni`.

use chrono::NaiveDate;
use uuid::Uuid;

use super::context::EnteTx;
use super::csv_personale::Riga;
use crate::domain::personale::Area;
use crate::domain::peso::Peso;
use crate::error::{AppError, AppResult, ResultExt};
use crate::model::{
    AssegnazioneView, DipendenteView, MioObiettivo, ObiettivoBreve, StrutturaAssegnazioni,
};

#[derive(sqlx::FromRow)]
struct DipRow {
    id: Uuid,
    matricola: String,
    cognome: String,
    nome: String,
    area: String,
    profilo: String,
    struttura: String,
    email: Option<String>,
    attivo_dal: Option<NaiveDate>,
    attivo_al: Option<NaiveDate>,
    ha_accesso: bool,
}

pub async fn elenco(tx: &mut EnteTx) -> AppResult<Vec<DipendenteView>> {
    let rows: Vec<DipRow> = sqlx::query_as(
        "select id, matricola, cognome, nome, area, profilo, struttura, email, attivo_dal, attivo_al,
                user_id is not null as ha_accesso
           from dipendenti where ente_id = $1 order by cognome, nome, matricola",
    )
    .bind(tx.ente_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DipendenteView {
            id: r.id,
            matricola: r.matricola,
            cognome: r.cognome,
            nome: r.nome,
            area: Area::from_db(&r.area).unwrap_or(Area::Operatori),
            profilo: r.profilo,
            struttura: r.struttura,
            email: r.email,
            attivo_dal: r.attivo_dal,
            attivo_al: r.attivo_al,
            ha_accesso: r.ha_accesso,
        })
        .collect())
}

pub enum Esito {
    Nuovo,
    Aggiornato,
    Invariato,
}

/// Insert, or update the employee with the same matricola; unchanged rows stay untouched.
pub async fn upsert(tx: &mut EnteTx, r: &Riga) -> AppResult<Esito> {
    let row: Option<(bool,)> = sqlx::query_as(
        "insert into dipendenti (ente_id, matricola, cognome, nome, area, profilo, struttura, email, attivo_dal, attivo_al)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (ente_id, matricola) do update set
             cognome = excluded.cognome, nome = excluded.nome, area = excluded.area,
             profilo = excluded.profilo, struttura = excluded.struttura, email = excluded.email,
             attivo_dal = excluded.attivo_dal, attivo_al = excluded.attivo_al
         where (dipendenti.cognome, dipendenti.nome, dipendenti.area, dipendenti.profilo, dipendenti.struttura,
                dipendenti.email, dipendenti.attivo_dal, dipendenti.attivo_al)
               is distinct from
               (excluded.cognome, excluded.nome, excluded.area, excluded.profilo, excluded.struttura,
                excluded.email, excluded.attivo_dal, excluded.attivo_al)
         returning (xmax = 0)",
    )
    .bind(tx.ente_id)
    .bind(&r.matricola)
    .bind(&r.cognome)
    .bind(&r.nome)
    .bind(r.area.db_name())
    .bind(&r.profilo)
    .bind(&r.struttura)
    .bind(&r.email)
    .bind(r.attivo_dal)
    .bind(r.attivo_al)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        Some((true,)) => Esito::Nuovo,
        Some((false,)) => Esito::Aggiornato,
        None => Esito::Invariato,
    })
}

/// (id, e-mail, "Nome Cognome") of an employee without a login yet.
pub async fn senza_accesso(
    tx: &mut EnteTx,
    solo: Option<Uuid>,
) -> AppResult<Vec<(Uuid, Option<String>, String)>> {
    Ok(sqlx::query_as(
        "select id, email, nome || ' ' || cognome from dipendenti
          where ente_id = $1 and user_id is null and ($2::uuid is null or id = $2)
          order by cognome, nome",
    )
    .bind(tx.ente_id)
    .bind(solo)
    .fetch_all(&mut **tx)
    .await?)
}

pub async fn collega_utente(tx: &mut EnteTx, dipendente: Uuid, user: Uuid) -> AppResult<()> {
    sqlx::query("update dipendenti set user_id = $3 where ente_id = $1 and id = $2")
        .bind(tx.ente_id)
        .bind(dipendente)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Staff for the assignment pickers: (id, "Cognome Nome (matricola)").
pub async fn nomi(tx: &mut EnteTx) -> AppResult<Vec<(Uuid, String)>> {
    Ok(sqlx::query_as(
        "select id, cognome || ' ' || nome || ' (' || matricola || ')' from dipendenti
          where ente_id = $1 and (attivo_al is null or attivo_al >= (now() at time zone 'Europe/Rome')::date)
          order by cognome, nome",
    )
    .bind(tx.ente_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// (struttura, name, responsabile, objective, position, description): one row per objective.
type StrutturaObiettivoRow = (
    Uuid,
    String,
    Option<Uuid>,
    Option<Uuid>,
    Option<i32>,
    Option<String>,
);
/// (struttura, name, responsabile, its objectives).
pub type StrutturaObiettivi = (Uuid, String, Option<Uuid>, Vec<ObiettivoBreve>);

pub async fn strutture_con_obiettivi(
    tx: &mut EnteTx,
    piano: Uuid,
) -> AppResult<Vec<(Uuid, String, Option<Uuid>, Vec<ObiettivoBreve>)>> {
    let rows: Vec<StrutturaObiettivoRow> = sqlx::query_as(
        "select s.id, s.nome, s.responsabile_user_id, o.id, o.posizione, o.descrizione
           from strutture s left join obiettivi o on o.ente_id = s.ente_id and o.struttura_id = s.id
          where s.ente_id = $1 and s.piano_id = $2 order by s.posizione, o.posizione",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: Vec<(Uuid, String, Option<Uuid>, Vec<ObiettivoBreve>)> = Vec::new();
    for (sid, nome, resp, oid, pos, descr) in rows {
        if out.last().is_none_or(|l| l.0 != sid) {
            out.push((sid, nome, resp, Vec::new()));
        }
        if let (Some(id), Some(pos)) = (oid, pos) {
            out.last_mut().expect("pushed").3.push(ObiettivoBreve {
                id,
                numero: pos.to_string(),
                descrizione: descr.unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

pub fn strutture_view(
    rows: Vec<(Uuid, String, Option<Uuid>, Vec<ObiettivoBreve>)>,
    modificabile: impl Fn(Option<Uuid>) -> bool,
) -> Vec<StrutturaAssegnazioni> {
    rows.into_iter()
        .map(|(id, nome, resp, obiettivi)| StrutturaAssegnazioni {
            id,
            nome,
            modificabile: modificabile(resp),
            obiettivi,
        })
        .collect()
}

pub async fn assegnazioni(tx: &mut EnteTx, piano: Uuid) -> AppResult<Vec<AssegnazioneView>> {
    let rows: Vec<(Uuid, Uuid, Uuid, Option<i32>, i32)> = sqlx::query_as(
        "select a.id, a.obiettivo_id, a.dipendente_id, (a.peso * 100)::int4, a.version
           from assegnazioni a
           join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where a.ente_id = $1 and s.piano_id = $2
          order by s.posizione, o.posizione, a.id",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, obiettivo_id, dipendente_id, peso, version)| AssegnazioneView {
                id,
                obiettivo_id,
                dipendente_id,
                peso: peso.map(|p| Peso(p as u32)),
                version,
            },
        )
        .collect())
}

/// For the rule: (employee, name, weight) of every assignment of the plan.
pub async fn pesi_per_regola(
    tx: &mut EnteTx,
    piano: Uuid,
) -> AppResult<Vec<(Uuid, String, Option<Peso>)>> {
    let rows: Vec<(Uuid, String, Option<i32>)> = sqlx::query_as(
        "select d.id, d.nome || ' ' || d.cognome, (a.peso * 100)::int4
           from assegnazioni a
           join dipendenti d on d.ente_id = a.ente_id and d.id = a.dipendente_id
           join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where a.ente_id = $1 and s.piano_id = $2
          order by d.cognome, d.nome",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(d, n, p)| (d, n, p.map(|p| Peso(p as u32))))
        .collect())
}

pub async fn aggiungi(
    tx: &mut EnteTx,
    obiettivo: Uuid,
    dipendente: Uuid,
    peso: Option<Peso>,
) -> AppResult<AssegnazioneView> {
    let r: Result<(Uuid, i32), sqlx::Error> = sqlx::query_as(
        "insert into assegnazioni (ente_id, obiettivo_id, dipendente_id, peso)
         values ($1, $2, $3, $4::numeric / 100) returning id, version",
    )
    .bind(tx.ente_id)
    .bind(obiettivo)
    .bind(dipendente)
    .bind(peso.map(|p| p.0 as i32))
    .fetch_one(&mut **tx)
    .await;
    let (id, version) = r.on_constraints(&[
        (
            "assegnazioni_unica",
            AppError::NonValido("Il dipendente è già assegnato a questo obiettivo.".into()),
        ),
        // An objective or employee of another ente: not found.
        (
            "assegnazioni_ente_id_obiettivo_id_fkey",
            AppError::NonTrovato,
        ),
        (
            "assegnazioni_ente_id_dipendente_id_fkey",
            AppError::NonTrovato,
        ),
    ])?;
    Ok(AssegnazioneView {
        id,
        obiettivo_id: obiettivo,
        dipendente_id: dipendente,
        peso,
        version,
    })
}

/// The objective an assignment belongs to.
pub async fn obiettivo_di(tx: &mut EnteTx, id: Uuid) -> AppResult<Uuid> {
    let o: Option<Uuid> =
        sqlx::query_scalar("select obiettivo_id from assegnazioni where ente_id = $1 and id = $2")
            .bind(tx.ente_id)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    o.ok_or(AppError::NonTrovato)
}

pub async fn aggiorna(
    tx: &mut EnteTx,
    id: Uuid,
    version: i32,
    peso: Option<Peso>,
) -> AppResult<i32> {
    let v: Option<i32> = sqlx::query_scalar(
        "update assegnazioni set peso = $4::numeric / 100, version = version + 1
          where ente_id = $1 and id = $2 and version = $3 returning version",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(version)
    .bind(peso.map(|p| p.0 as i32))
    .fetch_optional(&mut **tx)
    .await?;
    v.ok_or_else(|| AppError::Conflitto("Un'altra persona ha modificato questa assegnazione: ricarica la pagina per vedere il peso attuale.".into()))
}

pub async fn elimina(tx: &mut EnteTx, id: Uuid) -> AppResult<()> {
    let r = sqlx::query("delete from assegnazioni where ente_id = $1 and id = $2")
        .bind(tx.ente_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    super::one_row(r)
}

/// The name of `user` in the ente's staff registry, and the years of the plans they have
/// objectives in, newest first: one statement, for «I miei obiettivi».
pub async fn nome_e_anni(tx: &mut EnteTx, user: Uuid) -> AppResult<(Option<String>, Vec<i32>)> {
    Ok(sqlx::query_as(&NOME_E_ANNI_SQL)
        .bind(tx.ente_id)
        .bind(user)
        .fetch_one(&mut **tx)
        .await?)
}

/// `nome_e_anni`' statement (`$1` ente, `$2` user). Built once: the text is the same on
/// every call.
static NOME_E_ANNI_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "select (select nome || ' ' || cognome from dipendenti
                  where ente_id = $1 and user_id = $2 limit 1),
                array(select distinct p.anno {MIEI} order by p.anno desc)"
    )
});

/// The assignments of user `$2` in ente `$1`, with the objective (`o`), its struttura
/// (`s`) and the plan (`p`): the `from` and `where` of the statements that read a person's
/// objectives (`nome_e_anni`, `miei_obiettivi`).
const MIEI: &str = "from assegnazioni a
           join dipendenti d on d.ente_id = a.ente_id and d.id = a.dipendente_id
           join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
           join piani p on p.ente_id = s.ente_id and p.id = s.piano_id
          where a.ente_id = $1 and d.user_id = $2";

/// The objectives this user works on in `anno`, nearest deadline first, with their phases
/// and their progress (of an approved plan, kept for the ente: `approvati::Avanzamenti`).
pub async fn miei_obiettivi(
    tx: &mut EnteTx,
    user: Uuid,
    anno: i32,
) -> AppResult<Vec<MioObiettivo>> {
    use sqlx::Row;
    let prima = super::approvati::avanzamenti(tx.ente_id, anno);
    let righe = sqlx::query(&MIEI_OBIETTIVI_SQL)
        .bind(tx.ente_id)
        .bind(user)
        .bind(anno)
        .bind(prima.as_ref().map(|a| a.piano))
        .bind(prima.as_ref().map(|a| a.version))
        .bind(prima.as_ref().map(|a| a.cambi))
        .bind(prima.as_ref().map(|a| a.vista.clone()))
        .fetch_all(&mut **tx)
        .await?;
    let mut out: Vec<MioObiettivo> = Vec::new();
    let mut dove = std::collections::HashMap::new();
    let mut avanzamenti = std::sync::Arc::default();
    for r in righe {
        match r.try_get::<i32, _>("tipo")? {
            0 => {
                let (_, obiettivo) = super::piani::riga_da(&r)?;
                // Assigned twice (through two records of the registry): shown once.
                if dove.insert(obiettivo.id, out.len()).is_none() {
                    out.push(MioObiettivo {
                        struttura: r.try_get("struttura")?,
                        numero: r.try_get::<i32, _>("op")?.to_string(),
                        peso_mio: (r.try_get::<Option<i32>, _>("peso_mio")?)
                            .map(|p| Peso(p as u32)),
                        obiettivo,
                        avanzamento: None,
                    });
                }
            }
            1 => {
                let (obiettivo, fase) = super::piani::riga_da(&r)?;
                if let Some(&i) = dove.get(&obiettivo) {
                    out[i].obiettivo.fasi.push(fase);
                }
            }
            _ => {
                let json: Option<String> = r.try_get("avanzamenti")?;
                let (ente, prima) = (tx.ente_id, prima.clone());
                avanzamenti = super::monitoraggio::tenuti_da(ente, anno, json.as_deref(), prima)?;
            }
        }
    }
    for o in &mut out {
        o.avanzamento = avanzamenti.get(&o.obiettivo.id).cloned();
    }
    Ok(out)
}

/// `miei_obiettivi`' one statement (`$1` ente, `$2` user, `$3` year, `$4`–`$7` what the
/// progress kept was read under), where it was four: rows of `tipo` 0, the objectives with
/// the struttura and the assignment's weight, in their order; 1, their phases by position;
/// 2, one row of their progress as JSON, read only if what is kept does not hold
/// (`monitoraggio::avanzamenti_tenuti_json`). Built once: the text is the same on every
/// call.
static MIEI_OBIETTIVI_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let cols = super::piani::RIGA_COLS;
    let avanzamenti =
        super::monitoraggio::avanzamenti_tenuti_json("$3", "array(select oid from mie)");
    // The third branch's other columns: `parent` and the row's.
    let vuote = vec!["null"; 1 + cols.split(',').count()].join(", ");
    format!(
        "with mie as (select s.nome as struttura, (a.peso * 100)::int4 as peso_mio, o.id as oid,
                             o.data_fine as scadenza, s.posizione as sp, o.posizione as op
                        {MIEI} and p.anno = $3)
         select 0 as tipo, m.struttura, m.peso_mio, m.scadenza, m.sp, m.op,
                struttura_id as parent, {cols}, null::text as avanzamenti
           from mie m join obiettivi on ente_id = $1 and id = m.oid
         union all
         select 1, null, null, null, null, posizione, obiettivo_id, {cols}, null
           from fasi where ente_id = $1 and obiettivo_id in (select oid from mie)
         union all
         select 2, null, null, null, null, null, {vuote}, {avanzamenti}
          order by tipo, scadenza nulls last, sp, op"
    )
});
