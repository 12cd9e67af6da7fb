//! SQL on the year-end record (`chiusure`, `metodi_obiettivo`, `misure`, `rettifiche`)
//! and the year's results put together from it: the final checkpoint's progress, each
//! objective's method and indicators, the Nucleo's decisions, the staff per struttura.
//! `domain::smvp` computes; who may call what is checked by `api::chiusura`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::context::{EnteCtx, EnteTx};
use super::monitoraggio::{self as m, CHIUSO};
use crate::domain::permessi::Azione;
use crate::domain::smvp::{self, FaseEsito, Metodo, Misura, Voce};
use crate::error::{AppError, AppResult, ResultExt};
use crate::model::{
    ChiusuraTestata, ChiusuraView, EsitoObiettivo, EsitoStruttura, MisuraView, PianoView,
    RettificaView,
};

fn autore(tx: &EnteTx) -> Option<Uuid> {
    (!tx.user_id.is_nil()).then_some(tx.user_id)
}

/// Said when a change reaches the results of a year whose Relazione is adopted.
pub const CONGELATA: &str =
    "La Relazione sulla Performance dell'anno è stata adottata: i risultati non si modificano più.";

/// Whether the Relazione of plan `piano` is adopted: then its year's results are frozen.
pub async fn relazione_adottata(tx: &mut EnteTx, piano: Uuid) -> AppResult<bool> {
    Ok(sqlx::query_scalar(
        "select exists(select 1 from relazioni where ente_id = $1 and piano_id = $2 and stato <> 'bozza')",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_one(&mut **tx)
    .await?)
}

/// Whether checkpoint `monitoraggio` is a year-end's final record whose Relazione is adopted.
pub async fn finale_congelata(tx: &mut EnteTx, monitoraggio: Uuid) -> AppResult<bool> {
    Ok(sqlx::query_scalar(
        "select exists(select 1 from chiusure c
                         join relazioni r on r.ente_id = c.ente_id and r.piano_id = c.piano_id
                        where c.ente_id = $1 and c.monitoraggio_id = $2 and r.stato <> 'bozza')",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .fetch_one(&mut **tx)
    .await?)
}

/// The year being closed of plan `piano`: its final checkpoint and profile version.
pub async fn testata(tx: &mut EnteTx, piano: Uuid) -> AppResult<Option<(Uuid, i32)>> {
    Ok(sqlx::query_as(
        "select monitoraggio_id, profilo_numero from chiusure where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Starts the year-end of plan `piano` on checkpoint `monitoraggio` with profile version
/// `profilo`; a second start changes nothing.
pub async fn avvia(
    tx: &mut EnteTx,
    piano: Uuid,
    monitoraggio: Uuid,
    profilo: i32,
) -> AppResult<()> {
    sqlx::query(
        "insert into chiusure (ente_id, piano_id, monitoraggio_id, profilo_numero, avviata_da)
         values ($1, $2, $3, $4, $5) on conflict do nothing",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(monitoraggio)
    .bind(profilo)
    .bind(autore(tx))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Scores the year of plan `piano` with profile version `profilo` from now on.
pub async fn usa_profilo(tx: &mut EnteTx, piano: Uuid, profilo: i32) -> AppResult<()> {
    let r = sqlx::query(
        "update chiusure set profilo_numero = $3, version = version + 1
          where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(profilo)
    .execute(&mut **tx)
    .await?;
    super::one_row(r)
}

/// Each objective's method chosen at checkpoint `monitoraggio`, with its version.
async fn metodi(tx: &mut EnteTx, monitoraggio: Uuid) -> AppResult<HashMap<Uuid, (Metodo, i32)>> {
    let rows: Vec<(Uuid, String, i32)> = sqlx::query_as(
        "select obiettivo_id, metodo, version from metodi_obiettivo
          where ente_id = $1 and monitoraggio_id = $2",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(o, m, v)| Metodo::da_codice(&m).map(|m| (o, (m, v))))
        .collect())
}

const CONFLITTO: &str = "Un'altra persona ha modificato questa voce mentre la compilavi: ricarica la pagina per vedere la versione attuale, poi salva di nuovo.";

/// Sets an objective's method over `version` (0: the profile's default so far).
pub async fn salva_metodo(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
    obiettivo: Uuid,
    version: i32,
    metodo: Metodo,
) -> AppResult<i32> {
    let v: Option<i32> = sqlx::query_scalar(
        "insert into metodi_obiettivo as x (ente_id, monitoraggio_id, obiettivo_id, metodo)
         values ($1, $2, $3, $5)
         on conflict (ente_id, monitoraggio_id, obiettivo_id) do update
            set metodo = excluded.metodo, version = x.version + 1
          where x.version = $4
         returning version",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(obiettivo)
    .bind(version)
    .bind(metodo.codice())
    .fetch_optional(&mut **tx)
    .await
    .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    match v {
        Some(v) if version != 0 || v == 1 => Ok(v),
        _ => Err(AppError::Conflitto(CONFLITTO.into())),
    }
}

#[derive(sqlx::FromRow)]
struct MisuraRiga {
    id: Uuid,
    obiettivo_id: Uuid,
    descrizione: String,
    tipo: String,
    decrescente: bool,
    atteso: Option<f64>,
    effettivo: Option<f64>,
    realizzato: Option<bool>,
    atteso_data: Option<NaiveDate>,
    effettivo_data: Option<NaiveDate>,
    fonte: String,
    version: i32,
}

impl MisuraRiga {
    fn vista(self) -> Option<(Uuid, MisuraView)> {
        let misura = match self.tipo.as_str() {
            "numero" => Misura::Numero {
                atteso: self.atteso?,
                effettivo: self.effettivo,
                decrescente: self.decrescente,
            },
            "si_no" => Misura::SiNo {
                effettivo: self.realizzato,
            },
            _ => Misura::Data {
                atteso: self.atteso_data?,
                effettivo: self.effettivo_data,
            },
        };
        Some((
            self.obiettivo_id,
            MisuraView {
                id: self.id,
                descrizione: self.descrizione,
                misura,
                fonte: self.fonte,
                version: self.version,
            },
        ))
    }
}

/// The indicators measured at checkpoint `monitoraggio`, by objective, in their order.
async fn misure(tx: &mut EnteTx, monitoraggio: Uuid) -> AppResult<HashMap<Uuid, Vec<MisuraView>>> {
    let rows: Vec<MisuraRiga> = sqlx::query_as(
        "select id, obiettivo_id, descrizione, tipo, decrescente, atteso::float8 as atteso,
                effettivo::float8 as effettivo, realizzato, atteso_data, effettivo_data, fonte, version
           from misure where ente_id = $1 and monitoraggio_id = $2
          order by aggiornato_il, id",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: HashMap<Uuid, Vec<MisuraView>> = HashMap::new();
    for (o, v) in rows.into_iter().filter_map(MisuraRiga::vista) {
        out.entry(o).or_default().push(v);
    }
    // The order they were first written in: an update does not move a row.
    Ok(out)
}

/// The objective an indicator of checkpoint `monitoraggio` belongs to.
pub async fn obiettivo_della_misura(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
    id: Uuid,
) -> AppResult<Uuid> {
    let o: Option<Uuid> = sqlx::query_scalar(
        "select obiettivo_id from misure where ente_id = $1 and monitoraggio_id = $2 and id = $3",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    o.ok_or(AppError::NonTrovato)
}

/// Adds (`id` None) or updates over `version` an indicator of objective `obiettivo`.
// The columns of the row.
#[allow(clippy::too_many_arguments)]
pub async fn salva_misura(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
    obiettivo: Uuid,
    id: Option<Uuid>,
    version: i32,
    descrizione: &str,
    misura: &Misura,
    fonte: &str,
) -> AppResult<i32> {
    let (tipo, decrescente, atteso, effettivo, realizzato, atteso_data, effettivo_data) =
        match *misura {
            Misura::Numero {
                atteso,
                effettivo,
                decrescente,
            } => (
                "numero",
                decrescente,
                Some(atteso),
                effettivo,
                None,
                None,
                None,
            ),
            Misura::SiNo { effettivo } => ("si_no", false, None, None, effettivo, None, None),
            Misura::Data { atteso, effettivo } => {
                ("data", false, None, None, None, Some(atteso), effettivo)
            }
        };
    let q = match id {
        None => sqlx::query_scalar(
            "insert into misure (ente_id, monitoraggio_id, obiettivo_id, descrizione, tipo, decrescente,
                    atteso, effettivo, realizzato, atteso_data, effettivo_data, fonte, aggiornato_da, id)
             select $1, $2, $3, $5, $6, $7, $8::float8::numeric, $9::float8::numeric, $10, $11, $12, $13, $14,
                    coalesce($15, gen_random_uuid())
              where $4::int4 = 0
             returning version",
        ),
        Some(_) => sqlx::query_scalar(
            "update misure set descrizione = $5, tipo = $6, decrescente = $7,
                    atteso = $8::float8::numeric, effettivo = $9::float8::numeric, realizzato = $10,
                    atteso_data = $11, effettivo_data = $12, fonte = $13, aggiornato_da = $14,
                    aggiornato_il = now(), version = version + 1
              where ente_id = $1 and monitoraggio_id = $2 and obiettivo_id = $3 and id = $15
                and version = $4
             returning version",
        ),
    };
    let v: Option<i32> = q
        .bind(tx.ente_id)
        .bind(monitoraggio)
        .bind(obiettivo)
        .bind(version)
        .bind(descrizione)
        .bind(tipo)
        .bind(decrescente)
        .bind(atteso)
        .bind(effettivo)
        .bind(realizzato)
        .bind(atteso_data)
        .bind(effettivo_data)
        .bind(fonte)
        .bind(autore(tx))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    v.ok_or_else(|| AppError::Conflitto(CONFLITTO.into()))
}

/// Removes an indicator, over `version`.
pub async fn elimina_misura(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
    id: Uuid,
    version: i32,
) -> AppResult<()> {
    let r = sqlx::query(
        "delete from misure where ente_id = $1 and monitoraggio_id = $2 and id = $3 and version = $4",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await
    .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    if r.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::Conflitto(CONFLITTO.into()))
    }
}

/// The Nucleo's decisions on the objectives of plan `piano`, oldest first.
async fn rettifiche(tx: &mut EnteTx, piano: Uuid) -> AppResult<HashMap<Uuid, Vec<RettificaView>>> {
    #[derive(sqlx::FromRow)]
    struct Riga {
        obiettivo_id: Uuid,
        tipo: String,
        punteggio: Option<f64>,
        motivo: String,
        autore: Option<String>,
        creata_il: DateTime<Utc>,
    }
    let rows: Vec<Riga> = sqlx::query_as(
        "select r.obiettivo_id, r.tipo, r.punteggio::float8 as punteggio, r.motivo,
                u.display_name as autore, r.creata_il
           from rettifiche r left join users u on u.id = r.autore
          where r.ente_id = $1 and r.piano_id = $2 order by r.creata_il, r.id",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: HashMap<Uuid, Vec<RettificaView>> = HashMap::new();
    for r in rows {
        out.entry(r.obiettivo_id).or_default().push(RettificaView {
            tipo: r.tipo,
            punteggio: r.punteggio,
            motivo: r.motivo,
            autore: r.autore.unwrap_or_default(),
            quando: r.creata_il,
        });
    }
    Ok(out)
}

/// Records a decision of the Nucleo: `tipo` is "punteggio" (with `punteggio`),
/// "non_valutabile" or "annullata".
pub async fn rettifica(
    tx: &mut EnteTx,
    piano: Uuid,
    obiettivo: Uuid,
    tipo: &str,
    punteggio: Option<f64>,
    motivo: &str,
) -> AppResult<()> {
    sqlx::query(
        "insert into rettifiche (ente_id, piano_id, obiettivo_id, tipo, punteggio, motivo, autore)
         values ($1, $2, $3, $4, $5::float8::numeric, $6, $7)",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(obiettivo)
    .bind(tipo)
    .bind(punteggio)
    .bind(motivo)
    .bind(autore(tx))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Each struttura's staff in full-time equivalents: the employees assigned to its
/// objectives, each counted once at their share of full time.
async fn fte(tx: &mut EnteTx, piano: Uuid) -> AppResult<HashMap<Uuid, f64>> {
    let rows: Vec<(Uuid, f64)> = sqlx::query_as(
        "select x.struttura_id, coalesce(sum(x.tempo), 0)::float8 / 100
           from (select distinct s.id as struttura_id, d.id, d.tempo
                   from strutture s
                   join obiettivi o on o.ente_id = s.ente_id and o.struttura_id = s.id
                   join assegnazioni a on a.ente_id = o.ente_id and a.obiettivo_id = o.id
                   join dipendenti d on d.ente_id = a.ente_id and d.id = a.dipendente_id
                  where s.ente_id = $1 and s.piano_id = $2) x
          group by x.struttura_id",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The year-end page of the plan of `anno` for the caller of `ctx`.
pub async fn carica(tx: &mut EnteTx, ctx: &EnteCtx, anno: i32) -> AppResult<ChiusuraView> {
    let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
    del_piano(tx, ctx, p).await
}

/// `carica` for the plan in force `p`, already loaded by the caller.
pub async fn del_piano(tx: &mut EnteTx, ctx: &EnteCtx, p: PianoView) -> AppResult<ChiusuraView> {
    let anno = p.anno;
    let mut vista = ChiusuraView {
        anno,
        ente_nome: p.ente_nome.clone(),
        approvato: p.approvato,
        testata: None,
        ente: None,
        strutture: Vec::new(),
        puo_impostare: ctx.role.puo(Azione::ImpostareValutazione),
        nucleo: ctx.role.puo(Azione::ValidareRisultati),
        relazione_adottata: false,
    };
    let Some((mid, numero)) = testata(tx, p.id).await? else {
        return Ok(vista);
    };
    // Once the Relazione is adopted nobody changes the results: the forms are not offered.
    let adottata = relazione_adottata(tx, p.id).await?;
    vista.relazione_adottata = adottata;
    if adottata {
        vista.puo_impostare = false;
        vista.nucleo = false;
    }
    let profilo = super::smvp::profilo_ente(tx, ctx.ente_id, numero).await?;
    let ultima = super::smvp::ultima_ente(tx, ctx.ente_id).await?;
    let t = m::testata(tx, anno, mid).await?;
    let piano_id = p.id;
    let (ruolo, me) = (ctx.role, ctx.caller.user_id);
    let mv = m::carica(tx, &t, p, |r| {
        ruolo.puo(Azione::CompilareMonitoraggio) && ruolo.puo_sulla_struttura(r, me)
    })
    .await?;
    let mut metodi = metodi(tx, mid).await?;
    let mut misure = misure(tx, mid).await?;
    let mut rettifiche = rettifiche(tx, piano_id).await?;
    let fte = fte(tx, piano_id).await?;
    let percento =
        |p: Option<crate::domain::monitoraggio::Percentuale>| p.map(|p| p.0 as f64 / 100.0);
    for s in mv.strutture {
        let mut obiettivi = Vec::new();
        for o in s.obiettivi {
            let righe: Vec<&crate::model::RigaMonitorata> = if o.fasi.is_empty() {
                vec![&o.obiettivo]
            } else {
                o.fasi.iter().collect()
            };
            let fasi: Vec<FaseEsito> = righe
                .into_iter()
                .map(|r| FaseEsito {
                    numero: r.numero.clone(),
                    peso: r.riga.campi.peso.map(|p| p.0 as f64 / 100.0),
                    completamento: percento(r.avanzamento.percentuale),
                    scadenza: r.riga.campi.data_fine,
                    conclusa_il: r.avanzamento.conclusa_il,
                })
                .collect();
            let id = o.obiettivo.obiettivo_id;
            let (metodo, metodo_version) = metodi.remove(&id).unwrap_or((profilo.metodo, 0));
            let misure_o = misure.remove(&id).unwrap_or_default();
            let coppie: Vec<(String, Misura)> = misure_o
                .iter()
                .map(|x| (x.descrizione.clone(), x.misura.clone()))
                .collect();
            let calcolato = smvp::obiettivo(&profilo, metodo, &fasi, &coppie);
            let storia = rettifiche.remove(&id).unwrap_or_default();
            let (finale, non_valutabile) = match storia.last() {
                Some(r) if r.tipo == "punteggio" => (r.punteggio, false),
                Some(r) if r.tipo == "non_valutabile" => (None, true),
                _ => (calcolato.as_ref().ok().map(|c| c.valore), false),
            };
            let campi = &o.obiettivo.riga.campi;
            let a = &o.obiettivo.avanzamento;
            let causa = match a.causa {
                Some(c) if a.causa_testo.trim().is_empty() => c.label().to_string(),
                Some(c) => format!("{}: {}", c.label(), a.causa_testo.trim()),
                None => String::new(),
            };
            obiettivi.push(EsitoObiettivo {
                valore_effettivo: a.valore_effettivo.trim().to_string(),
                causa,
                id,
                numero: o.obiettivo.numero.clone(),
                descrizione: campi.descrizione.clone(),
                peso: campi.peso,
                indicatori: campi.indicatori.clone(),
                valori_attesi: campi.valori_attesi.clone(),
                metodo,
                metodo_version,
                misure: misure_o,
                calcolato,
                rettifiche: storia,
                finale,
                non_valutabile,
            });
        }
        // The struttura's result once every evaluable objective has its score.
        let completa = obiettivi
            .iter()
            .all(|o| o.non_valutabile || o.finale.is_some());
        let risultato = completa
            .then(|| {
                smvp::struttura(
                    &obiettivi
                        .iter()
                        .map(|o| Voce {
                            numero: o.numero.clone(),
                            peso: o.peso.map(|p| p.0 as f64 / 100.0),
                            punteggio: o.finale,
                        })
                        .collect::<Vec<_>>(),
                )
            })
            .flatten();
        vista.strutture.push(EsitoStruttura {
            id: s.id,
            fte: fte.get(&s.id).copied().unwrap_or(0.0),
            nome: s.nome,
            responsabile: s.responsabile,
            compilabile: s.compilabile && !adottata,
            risultato,
            obiettivi,
        });
    }
    if vista.strutture.iter().all(|s| s.risultato.is_some()) {
        vista.ente = smvp::ente(
            profilo.media,
            &vista
                .strutture
                .iter()
                .filter_map(|s| {
                    s.risultato
                        .as_ref()
                        .map(|r| (s.nome.clone(), r.valore, s.fte))
                })
                .collect::<Vec<_>>(),
        );
    }
    vista.testata = Some(ChiusuraTestata {
        monitoraggio_id: mid,
        data: t.scadenze.riferimento,
        chiuso: t.chiuso_il.is_some(),
        profilo_numero: numero,
        profilo,
        profilo_piu_recente: (ultima > numero).then_some(ultima),
    });
    Ok(vista)
}
