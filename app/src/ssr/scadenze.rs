//! SQL on `scadenze_studio` and `scadenze_ente`, and the facts of a year the deadlines
//! depend on, read for many enti in one query (the cockpit's, the reminders').

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::context::EnteTx;
use crate::domain::scadenze::{Checkpoint, Fatti, Regole, Tipo};
use crate::error::AppResult;

type FattiRow = (
    Uuid,
    Json<Vec<(String, i32, i32)>>,
    Json<Vec<(String, NaiveDate)>>,
    bool,
    bool,
    bool,
    bool,
    Json<Vec<Checkpoint>>,
);

/// The year's facts of each of `enti` that the caller may read (as Row-Level Security
/// allows: the ente being worked in, or the firm's enti in the cockpit).
pub async fn fatti(
    c: &mut PgConnection,
    enti: &[Uuid],
    anno: i32,
) -> AppResult<HashMap<Uuid, Fatti>> {
    let rows: Vec<FattiRow> = sqlx::query_as(
        "select e.id,
                coalesce((select json_agg(json_build_array(s.tipo, s.giorno, s.mese))
                            from scadenze_studio s where s.firm_id = e.firm_id), '[]'),
                coalesce((select json_agg(json_build_array(x.tipo, x.data))
                            from scadenze_ente x where x.ente_id = e.id and x.anno = $2), '[]'),
                p.id is not null,
                coalesce(p.stato = 'approvato' or p.rimodulazione_motivo is not null, false),
                coalesce(r.stato in ('adottata', 'validata'), false),
                coalesce(v.completata_il is not null, false),
                coalesce((select json_agg(json_build_object(
                              'id', m.id, 'data', m.data_riferimento,
                              'scadenza_responsabili', m.scadenza_responsabili,
                              'scadenza_nucleo', m.scadenza_nucleo,
                              'chiuso', m.chiuso_il is not null,
                              'aperte', (select count(*) from strutture s
                                          where s.ente_id = m.ente_id and s.piano_id = m.piano_id
                                            and not exists (
                                                select 1 from rilevazioni ri
                                                 where ri.ente_id = s.ente_id and ri.monitoraggio_id = m.id
                                                   and ri.struttura_id = s.id and ri.inviata_il is not null)))
                              order by m.data_riferimento)
                            from monitoraggi m where m.ente_id = e.id and m.piano_id = p.id), '[]')
           from enti e
           left join piani p on p.ente_id = e.id and p.anno = $2
           left join relazioni r on r.ente_id = e.id and r.piano_id = p.id
           left join validazioni v on v.ente_id = e.id and v.piano_id = p.id
          where e.id = any($1)",
    )
    .bind(enti)
    .bind(anno)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, studio, spostate, piano, approvato, adottata, validata, monitoraggi)| {
                let f = Fatti {
                    anno,
                    dello_studio: studio
                        .0
                        .into_iter()
                        .filter_map(|(t, g, m)| Some((Tipo::from_db(&t)?, g as u32, m as u32)))
                        .collect(),
                    spostate: spostate
                        .0
                        .into_iter()
                        .filter_map(|(t, d)| Some((Tipo::from_db(&t)?, d)))
                        .collect(),
                    piano,
                    approvato,
                    relazione_adottata: adottata,
                    validata,
                    monitoraggi: monitoraggi.0,
                };
                (id, f)
            },
        )
        .collect())
}

/// The facts of the ente being worked in.
pub async fn dell_ente(tx: &mut EnteTx, anno: i32) -> AppResult<Fatti> {
    let ente = tx.ente_id;
    Ok(fatti(tx, &[ente], anno)
        .await?
        .remove(&ente)
        .unwrap_or(Fatti {
            anno,
            ..Default::default()
        }))
}

/// Moves (or, with `None`, brings back to the firm's default) one deadline of the ente's year.
pub async fn sposta(
    tx: &mut EnteTx,
    anno: i32,
    tipo: Tipo,
    data: Option<NaiveDate>,
) -> AppResult<()> {
    match data {
        Some(d) => {
            sqlx::query(
                "insert into scadenze_ente (ente_id, anno, tipo, data, aggiornato_da)
                 values ($1, $2, $3, $4, $5)
                 on conflict (ente_id, anno, tipo)
                 do update set data = excluded.data, aggiornato_da = excluded.aggiornato_da,
                               aggiornato_il = now()",
            )
            .bind(tx.ente_id)
            .bind(anno)
            .bind(tipo.db_name())
            .bind(d)
            .bind(tx.user_id)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query("delete from scadenze_ente where ente_id = $1 and anno = $2 and tipo = $3")
                .bind(tx.ente_id)
                .bind(anno)
                .bind(tipo.db_name())
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// The firm's days per kind (the national default where it set none), and its reminders.
pub async fn dello_studio(
    c: &mut PgConnection,
    firm: Uuid,
) -> AppResult<(Vec<(Tipo, u32, u32)>, Regole)> {
    let rows: Vec<(String, i32, i32)> =
        sqlx::query_as("select tipo, giorno, mese from scadenze_studio where firm_id = $1")
            .bind(firm)
            .fetch_all(&mut *c)
            .await?;
    let giorni = Tipo::TUTTI
        .into_iter()
        .map(|t| {
            rows.iter()
                .find(|(x, _, _)| x == t.db_name())
                .map(|(_, g, m)| (t, *g as u32, *m as u32))
                .unwrap_or_else(|| {
                    let (g, m) = t.predefinita();
                    (t, g, m)
                })
        })
        .collect();
    Ok((giorni, regole(c, firm).await?))
}

/// The firm's reminder days (the default for a firm that never set them).
pub async fn regole(c: &mut PgConnection, firm: Uuid) -> AppResult<Regole> {
    let r: Option<(Vec<i32>, i32)> = sqlx::query_as(
        "select promemoria_prima, promemoria_ogni from impostazioni_studio where firm_id = $1",
    )
    .bind(firm)
    .fetch_optional(&mut *c)
    .await?;
    Ok(regole_lette(r))
}

/// The reminder days as stored (the default for a firm that never set them).
pub(crate) fn regole_lette(r: Option<(Vec<i32>, i32)>) -> Regole {
    r.map(|(prima, ogni)| Regole {
        prima: prima.into_iter().map(|g| g as u32).collect(),
        ogni: ogni as u32,
    })
    .unwrap_or_default()
}

/// Saves the firm's days per kind and its reminder days.
pub async fn salva_studio(
    c: &mut PgConnection,
    firm: Uuid,
    user: Uuid,
    giorni: &[(Tipo, u32, u32)],
    regole: &Regole,
) -> AppResult<()> {
    for (t, g, m) in giorni {
        sqlx::query(
            "insert into scadenze_studio (firm_id, tipo, giorno, mese) values ($1, $2, $3, $4)
             on conflict (firm_id, tipo) do update set giorno = excluded.giorno, mese = excluded.mese",
        )
        .bind(firm)
        .bind(t.db_name())
        .bind(*g as i16)
        .bind(*m as i16)
        .execute(&mut *c)
        .await?;
    }
    let prima: Vec<i32> = regole.prima.iter().map(|g| *g as i32).collect();
    sqlx::query(
        "insert into impostazioni_studio (firm_id, promemoria_prima, promemoria_ogni, aggiornato_da)
         values ($1, $2, $3, $4)
         on conflict (firm_id) do update set promemoria_prima = excluded.promemoria_prima,
             promemoria_ogni = excluded.promemoria_ogni, aggiornato_da = excluded.aggiornato_da,
             aggiornato_il = now()",
    )
    .bind(firm)
    .bind(&prima)
    .bind(regole.ogni as i32)
    .bind(user)
    .execute(&mut *c)
    .await?;
    Ok(())
}
