//! SQL on the monitoring tables: `monitoraggi`, `rilevazioni`, `avanzamenti`,
//! `note_nucleo`, `evidenze`. The rules are in `domain::monitoraggio`; who may call what
//! is checked by the server functions (`api::monitoraggio`).

pub mod referto;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::allegato::File;
use super::context::EnteTx;
use crate::domain::monitoraggio::{Causa, Percentuale, Scadenze, Stato};
use crate::error::{AppError, AppResult, ResultExt};
use crate::model::{
    AvanzamentoMio, AvanzamentoView, EvidenzaView, LuceRiga, MonitoraggioBreve, MonitoraggioView,
    NotaNucleoView, ObiettivoMonitorato, PianoView, RigaMonitorata, StrutturaMonitorata,
};

/// Who made a change: the caller (none for the demo loader and the command line).
fn autore(tx: &EnteTx) -> Option<Uuid> {
    (!tx.user_id.is_nil()).then_some(tx.user_id)
}

/// Said whenever a change reaches a closed checkpoint (by the application or the database).
pub const CHIUSO: &str =
    "Il monitoraggio è chiuso con il referto del Nucleo e non si può più modificare.";

/// A checkpoint's own row.
#[derive(Debug, Clone)]
pub struct Testata {
    pub id: Uuid,
    pub piano_id: Uuid,
    pub anno: i32,
    pub scadenze: Scadenze,
    pub chiuso_il: Option<DateTime<Utc>>,
    pub referto_firmatario: Option<String>,
    pub version: i32,
}

/// A checkpoint's row as read (the columns of `TESTATA`).
#[derive(sqlx::FromRow)]
struct TestataRiga {
    id: Uuid,
    piano_id: Uuid,
    anno: i32,
    data_riferimento: NaiveDate,
    scadenza_responsabili: NaiveDate,
    scadenza_nucleo: NaiveDate,
    chiuso_il: Option<DateTime<Utc>>,
    referto_firmatario: Option<String>,
    version: i32,
}

impl From<TestataRiga> for Testata {
    fn from(r: TestataRiga) -> Self {
        Testata {
            id: r.id,
            piano_id: r.piano_id,
            anno: r.anno,
            scadenze: Scadenze {
                riferimento: r.data_riferimento,
                responsabili: r.scadenza_responsabili,
                nucleo: r.scadenza_nucleo,
            },
            chiuso_il: r.chiuso_il,
            referto_firmatario: r.referto_firmatario,
            version: r.version,
        }
    }
}

/// The columns of a `TestataRiga`, from `MONITORAGGI`.
const TESTATA: &str = "m.id, m.piano_id, p.anno, m.data_riferimento, m.scadenza_responsabili,
        m.scadenza_nucleo, m.chiuso_il, m.referto_firmatario, m.version";
const MONITORAGGI: &str =
    "monitoraggi m join piani p on p.ente_id = m.ente_id and p.id = m.piano_id";

/// The checkpoint `id` of the plan of `anno` (`NonTrovato` otherwise).
pub async fn testata(tx: &mut EnteTx, anno: i32, id: Uuid) -> AppResult<Testata> {
    let r: Option<TestataRiga> = sqlx::query_as(&format!(
        "select {TESTATA} from {MONITORAGGI} where m.ente_id = $1 and m.id = $2 and p.anno = $3"
    ))
    .bind(tx.ente_id)
    .bind(id)
    .bind(anno)
    .fetch_optional(&mut **tx)
    .await?;
    r.map(Into::into).ok_or(AppError::NonTrovato)
}

pub async fn elenco(tx: &mut EnteTx, piano: Uuid) -> AppResult<Vec<MonitoraggioBreve>> {
    #[derive(sqlx::FromRow)]
    struct Riga {
        #[sqlx(flatten)]
        t: TestataRiga,
        inviate: i64,
        strutture: i64,
    }
    let rows: Vec<Riga> = sqlx::query_as(&format!(
        "select {TESTATA},
                (select count(*) from rilevazioni r
                  where r.ente_id = m.ente_id and r.monitoraggio_id = m.id
                    and r.inviata_il is not null) as inviate,
                (select count(*) from strutture s
                  where s.ente_id = m.ente_id and s.piano_id = m.piano_id) as strutture
           from {MONITORAGGI} where m.ente_id = $1 and m.piano_id = $2
          order by m.data_riferimento"
    ))
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = Testata::from(r.t);
            MonitoraggioBreve {
                id: t.id,
                scadenze: t.scadenze,
                version: t.version,
                chiuso_il: t.chiuso_il,
                referto_firmatario: t.referto_firmatario,
                inviate: r.inviate,
                strutture: r.strutture,
            }
        })
        .collect())
}

/// A second checkpoint at the same date.
pub fn doppio(s: &Scadenze) -> AppError {
    AppError::NonValido(format!(
        "Esiste già un monitoraggio al {}.",
        crate::domain::plan::data_label(s.riferimento)
    ))
}

/// A new checkpoint; `None` when the plan has one at that date already.
pub async fn crea(tx: &mut EnteTx, piano: Uuid, s: &Scadenze) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "insert into monitoraggi (ente_id, piano_id, data_riferimento, scadenza_responsabili, scadenza_nucleo)
         values ($1, $2, $3, $4, $5)
         on conflict (ente_id, piano_id, data_riferimento) do nothing returning id",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(s.riferimento)
    .bind(s.responsabili)
    .bind(s.nucleo)
    .fetch_optional(&mut **tx)
    .await?)
}

/// New dates for an open checkpoint, over the version the browser started from.
pub async fn aggiorna(tx: &mut EnteTx, id: Uuid, version: i32, s: &Scadenze) -> AppResult<i32> {
    let r: Option<i32> = sqlx::query_scalar(
        "update monitoraggi set data_riferimento = $4, scadenza_responsabili = $5,
                scadenza_nucleo = $6, version = version + 1
          where ente_id = $1 and id = $2 and version = $3 returning version",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(version)
    .bind(s.riferimento)
    .bind(s.responsabili)
    .bind(s.nucleo)
    .fetch_optional(&mut **tx)
    .await
    .on_constraint("monitoraggi_data_key", &doppio(s).to_string())?;
    r.ok_or_else(|| {
        AppError::Conflitto(
            "Un'altra persona ha cambiato le date di questo monitoraggio: ricarica la pagina per vederle."
                .into(),
        )
    })
}

pub async fn conta(tx: &mut EnteTx, piano: Uuid) -> AppResult<usize> {
    let n: i64 =
        sqlx::query_scalar("select count(*) from monitoraggi where ente_id = $1 and piano_id = $2")
            .bind(tx.ente_id)
            .bind(piano)
            .fetch_one(&mut **tx)
            .await?;
    Ok(n as usize)
}

/// Where an objective (or one of its phases) sits: its struttura and that struttura's
/// responsabile. `NonTrovato` unless the objective is in plan `piano` and the phase is the
/// objective's.
pub async fn collocazione(
    tx: &mut EnteTx,
    piano: Uuid,
    obiettivo: Uuid,
    fase: Option<Uuid>,
) -> AppResult<(Uuid, Option<Uuid>)> {
    let r: Option<(Uuid, Option<Uuid>)> = sqlx::query_as(
        "select s.id, s.responsabile_user_id
           from obiettivi o join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where o.ente_id = $1 and o.id = $2 and s.piano_id = $3
            and ($4::uuid is null or exists (
                 select 1 from fasi f where f.ente_id = o.ente_id and f.id = $4 and f.obiettivo_id = o.id))",
    )
    .bind(tx.ente_id)
    .bind(obiettivo)
    .bind(piano)
    .bind(fase)
    .fetch_optional(&mut **tx)
    .await?;
    r.ok_or(AppError::NonTrovato)
}

/// The struttura `id` of plan `piano`: its name and responsabile.
pub async fn struttura(
    tx: &mut EnteTx,
    piano: Uuid,
    id: Uuid,
) -> AppResult<(String, Option<Uuid>)> {
    let r: Option<(String, Option<Uuid>)> = sqlx::query_as(
        "select nome, responsabile_user_id from strutture where ente_id = $1 and id = $2 and piano_id = $3",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?;
    r.ok_or(AppError::NonTrovato)
}

/// Whether the struttura's record was submitted, taking the record row for update: a save
/// racing the submission either lands before it or sees it.
pub async fn inviata(tx: &mut EnteTx, monitoraggio: Uuid, struttura: Uuid) -> AppResult<bool> {
    sqlx::query(
        "insert into rilevazioni (ente_id, monitoraggio_id, struttura_id) values ($1, $2, $3)
         on conflict do nothing",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(struttura)
    .execute(&mut **tx)
    .await
    .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    let i: Option<DateTime<Utc>> = sqlx::query_scalar(
        "select inviata_il from rilevazioni
          where ente_id = $1 and monitoraggio_id = $2 and struttura_id = $3 for update",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(struttura)
    .fetch_one(&mut **tx)
    .await?;
    Ok(i.is_some())
}

/// Submits (`true`) or reopens (`false`) a struttura's record.
pub async fn segna_inviata(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
    struttura: Uuid,
    invia: bool,
) -> AppResult<()> {
    sqlx::query(
        "update rilevazioni set inviata_il = case when $4 then now() end,
                inviata_da = case when $4 then $5 end, version = version + 1
          where ente_id = $1 and monitoraggio_id = $2 and struttura_id = $3",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(struttura)
    .bind(invia)
    .bind(autore(tx))
    .execute(&mut **tx)
    .await
    .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    Ok(())
}

/// A row of `avanzamenti` as read (columns of `AVANZAMENTO`), from a row or from JSON
/// (`avanzamenti_json`).
#[derive(sqlx::FromRow, serde::Deserialize)]
struct AvanzamentoRiga {
    obiettivo_id: Uuid,
    fase_id: Option<Uuid>,
    version: i32,
    centesimi: Option<i32>,
    valore_effettivo: String,
    valore_data: Option<NaiveDate>,
    valore_fonte: String,
    nota: String,
    causa: Option<String>,
    causa_testo: String,
    azione_correttiva: String,
    proposta: Option<String>,
    proposta_testo: String,
    conclusa_il: Option<NaiveDate>,
}

impl From<AvanzamentoRiga> for AvanzamentoView {
    fn from(r: AvanzamentoRiga) -> Self {
        AvanzamentoView {
            version: r.version,
            percentuale: r.centesimi.map(|p| Percentuale(p as u32)),
            valore_effettivo: r.valore_effettivo,
            valore_data: r.valore_data,
            valore_fonte: r.valore_fonte,
            nota: r.nota,
            causa: r.causa.as_deref().and_then(Causa::da_codice),
            causa_testo: r.causa_testo,
            azione_correttiva: r.azione_correttiva,
            proposta: r
                .proposta
                .as_deref()
                .and_then(crate::domain::monitoraggio::Proposta::da_codice),
            proposta_testo: r.proposta_testo,
            conclusa_il: r.conclusa_il,
        }
    }
}

/// The columns of an `AvanzamentoRiga`, from `avanzamenti a`.
const AVANZAMENTO: &str =
    "a.obiettivo_id, a.fase_id, a.version, (a.percentuale * 100)::int4 as centesimi,
        a.valore_effettivo, a.valore_data, a.valore_fonte, a.nota, a.causa, a.causa_testo,
        a.azione_correttiva, a.proposta, a.proposta_testo, a.conclusa_il";

/// The progress saved at checkpoint `monitoraggio`, by (objective, phase).
async fn avanzamenti(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
) -> AppResult<HashMap<(Uuid, Option<Uuid>), AvanzamentoView>> {
    let rows: Vec<AvanzamentoRiga> = sqlx::query_as(&format!(
        "select {AVANZAMENTO} from avanzamenti a where a.ente_id = $1 and a.monitoraggio_id = $2"
    ))
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.obiettivo_id, r.fase_id), r.into()))
        .collect())
}

fn conflitto(attuale: Option<AvanzamentoView>) -> AppError {
    let dettaglio = match attuale {
        Some(a) => format!(
            " Ora l'avanzamento è {}{}.",
            a.percentuale
                .map(|p| p.label())
                .unwrap_or_else(|| "non indicato".into()),
            if a.nota.trim().is_empty() {
                String::new()
            } else {
                format!(
                    ", con la nota «{}»",
                    a.nota.chars().take(120).collect::<String>()
                )
            }
        ),
        None => String::new(),
    };
    AppError::Conflitto(format!(
        "Un'altra persona ha aggiornato questa voce mentre la compilavi.{dettaglio} \
         I tuoi dati sono ancora nei campi: ricarica la pagina per vedere la versione attuale prima di salvare."
    ))
}

/// Saves the progress of an objective or phase over `version` (0: nothing saved yet).
/// Returns the new version; a newer one is a conflict.
pub async fn salva(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
    obiettivo: Uuid,
    fase: Option<Uuid>,
    version: i32,
    a: &AvanzamentoView,
) -> AppResult<i32> {
    let nuova: Option<i32> = sqlx::query_scalar(
        "insert into avanzamenti as a (ente_id, monitoraggio_id, obiettivo_id, fase_id, percentuale,
                valore_effettivo, valore_data, valore_fonte, nota, causa, causa_testo, azione_correttiva,
                aggiornato_da, proposta, proposta_testo, conclusa_il)
         values ($1, $2, $3, $4, $6::numeric / 100, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         on conflict (ente_id, monitoraggio_id, obiettivo_id, fase_id) do update set
                percentuale = excluded.percentuale, valore_effettivo = excluded.valore_effettivo,
                valore_data = excluded.valore_data, valore_fonte = excluded.valore_fonte,
                nota = excluded.nota, causa = excluded.causa, causa_testo = excluded.causa_testo,
                azione_correttiva = excluded.azione_correttiva, aggiornato_da = excluded.aggiornato_da,
                proposta = excluded.proposta, proposta_testo = excluded.proposta_testo,
                conclusa_il = excluded.conclusa_il, aggiornato_il = now(), version = a.version + 1
          where a.version = $5
         returning version",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(obiettivo)
    .bind(fase)
    .bind(version)
    .bind(a.percentuale.map(|p| p.0 as i32))
    .bind(&a.valore_effettivo)
    .bind(a.valore_data)
    .bind(&a.valore_fonte)
    .bind(&a.nota)
    .bind(a.causa.map(Causa::codice))
    .bind(&a.causa_testo)
    .bind(&a.azione_correttiva)
    .bind(autore(tx))
    .bind(a.proposta.map(crate::domain::monitoraggio::Proposta::codice))
    .bind(&a.proposta_testo)
    .bind(a.conclusa_il)
    .fetch_optional(&mut **tx)
    .await
    .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    // A first save (version 0) that meets a row saved meanwhile is a conflict too: the
    // insert became an update whose `where` did not match.
    match nuova {
        Some(v) if version != 0 || v == 1 => Ok(v),
        _ => {
            let attuale = avanzamenti(tx, monitoraggio)
                .await?
                .remove(&(obiettivo, fase));
            Err(conflitto(attuale))
        }
    }
}

/// The Nucleo's note on an objective, over `version` (0: none yet). Returns the new version.
pub async fn salva_nota(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
    obiettivo: Uuid,
    version: i32,
    testo: &str,
) -> AppResult<i32> {
    let nuova: Option<i32> = sqlx::query_scalar(
        "insert into note_nucleo as n (ente_id, monitoraggio_id, obiettivo_id, testo, autore)
         values ($1, $2, $3, $5, $6)
         on conflict (ente_id, monitoraggio_id, obiettivo_id) do update set
                testo = excluded.testo, autore = excluded.autore, aggiornata_il = now(),
                version = n.version + 1
          where n.version = $4
         returning version",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(obiettivo)
    .bind(version)
    .bind(testo)
    .bind(autore(tx))
    .fetch_optional(&mut **tx)
    .await
    .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    match nuova {
        Some(v) if version != 0 || v == 1 => Ok(v),
        _ => Err(AppError::Conflitto(
            "Un altro componente del Nucleo ha modificato questa nota mentre la scrivevi: ricarica la pagina per vederla. Il tuo testo è ancora nel campo."
                .into(),
        )),
    }
}

/// Keeps an evidence file of an objective.
pub async fn aggiungi_evidenza(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
    obiettivo: Uuid,
    nome_file: &str,
    tipo: &str,
    dati: &[u8],
) -> AppResult<EvidenzaView> {
    let sha = Sha256::digest(dati);
    let id: Uuid = sqlx::query_scalar(
        "insert into evidenze (ente_id, monitoraggio_id, obiettivo_id, nome_file, tipo, sha256,
                               dimensione, contenuto, caricato_da)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .bind(obiettivo)
    .bind(nome_file)
    .bind(tipo)
    .bind(sha.as_slice())
    .bind(dati.len() as i64)
    .bind(dati)
    .bind(autore(tx))
    .fetch_one(&mut **tx)
    .await
    .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    Ok(EvidenzaView {
        id,
        nome_file: nome_file.to_string(),
        dimensione: dati.len() as i64,
        sha256: hex::encode(sha),
    })
}

async fn evidenze(
    tx: &mut EnteTx,
    monitoraggio: Uuid,
) -> AppResult<HashMap<Uuid, Vec<EvidenzaView>>> {
    let rows: Vec<(Uuid, Uuid, String, i64, Vec<u8>)> = sqlx::query_as(
        "select obiettivo_id, id, nome_file, dimensione, sha256 from evidenze
          where ente_id = $1 and monitoraggio_id = $2 order by caricato_il, id",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: HashMap<Uuid, Vec<EvidenzaView>> = HashMap::new();
    for (ob, id, nome_file, dimensione, sha) in rows {
        out.entry(ob).or_default().push(EvidenzaView {
            id,
            nome_file,
            dimensione,
            sha256: hex::encode(sha),
        });
    }
    Ok(out)
}

/// An evidence file of a checkpoint of the plan of `anno`, to download.
pub async fn evidenza(tx: &mut EnteTx, anno: i32, monitoraggio: Uuid, id: Uuid) -> AppResult<File> {
    let r: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "select v.nome_file, v.tipo, v.contenuto
           from evidenze v join monitoraggi m on m.ente_id = v.ente_id and m.id = v.monitoraggio_id
           join piani p on p.ente_id = m.ente_id and p.id = m.piano_id
          where v.ente_id = $1 and v.id = $2 and v.monitoraggio_id = $3 and p.anno = $4",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(monitoraggio)
    .bind(anno)
    .fetch_optional(&mut **tx)
    .await?;
    let (nome, tipo, dati) = r.ok_or(AppError::NonTrovato)?;
    Ok(File {
        dati,
        nome,
        tipo: crate::domain::evidenze::tipo_statico(&tipo),
    })
}

async fn note(tx: &mut EnteTx, monitoraggio: Uuid) -> AppResult<HashMap<Uuid, NotaNucleoView>> {
    let rows: Vec<(Uuid, String, i32)> = sqlx::query_as(
        "select obiettivo_id, testo, version from note_nucleo where ente_id = $1 and monitoraggio_id = $2",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(o, testo, version)| (o, NotaNucleoView { testo, version }))
        .collect())
}

/// Submission state of every struttura's record at the checkpoint.
async fn rilevazioni(tx: &mut EnteTx, monitoraggio: Uuid) -> AppResult<HashMap<Uuid, (bool, i32)>> {
    let rows: Vec<(Uuid, bool, i32)> = sqlx::query_as(
        "select struttura_id, inviata_il is not null, version from rilevazioni
          where ente_id = $1 and monitoraggio_id = $2",
    )
    .bind(tx.ente_id)
    .bind(monitoraggio)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|(s, i, v)| (s, (i, v))).collect())
}

/// When the work of the plan of `anno` starts, which the expected progress counts from:
/// its first approval (version 1's delibera; the plan's own before versions were kept),
/// whatever rimodulazioni came after, or 1 January if it was approved before the year.
pub async fn avvio(tx: &mut EnteTx, anno: i32) -> AppResult<NaiveDate> {
    let approvazione: Option<Option<NaiveDate>> = sqlx::query_scalar(
        "select coalesce(v.delibera_data, p.delibera_data) from piani p
           left join piani_versioni v on v.ente_id = p.ente_id and v.piano_id = p.id and v.numero = 1
          where p.ente_id = $1 and p.anno = $2",
    )
    .bind(tx.ente_id)
    .bind(anno)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(crate::domain::monitoraggio::inizio(
        anno,
        approvazione.flatten(),
    ))
}

/// The checkpoint with every struttura's record, the plan `piano` loaded by the caller.
/// `compilabile(responsabile)`: whether the caller fills in a struttura with that
/// responsabile.
pub async fn carica(
    tx: &mut EnteTx,
    t: &Testata,
    piano: PianoView,
    compilabile: impl Fn(Option<Uuid>) -> bool,
) -> AppResult<MonitoraggioView> {
    let mut avanzamenti = avanzamenti(tx, t.id).await?;
    let mut note = note(tx, t.id).await?;
    let mut evidenze = evidenze(tx, t.id).await?;
    let rilevazioni = rilevazioni(tx, t.id).await?;
    let inizio = avvio(tx, t.anno).await?;
    let chiuso = t.chiuso_il.is_some();
    let mut strutture = Vec::new();
    for s in piano.strutture {
        let (inviata, version) = rilevazioni.get(&s.id).copied().unwrap_or((false, 0));
        let stato = Stato::di(inviata, chiuso);
        let obiettivi = s
            .obiettivi
            .into_iter()
            .enumerate()
            .map(|(i, o)| {
                let numero = (i + 1).to_string();
                let fasi = o
                    .fasi
                    .iter()
                    .enumerate()
                    .map(|(j, f)| RigaMonitorata {
                        obiettivo_id: o.id,
                        fase_id: Some(f.id),
                        numero: format!("{numero}.{}", j + 1),
                        riga: f.clone(),
                        avanzamento: avanzamenti.remove(&(o.id, Some(f.id))).unwrap_or_default(),
                    })
                    .collect();
                ObiettivoMonitorato {
                    nota_nucleo: note.remove(&o.id),
                    evidenze: evidenze.remove(&o.id).unwrap_or_default(),
                    obiettivo: RigaMonitorata {
                        obiettivo_id: o.id,
                        fase_id: None,
                        numero,
                        avanzamento: avanzamenti.remove(&(o.id, None)).unwrap_or_default(),
                        riga: crate::model::RigaView {
                            fasi: Vec::new(),
                            ..o
                        },
                    },
                    fasi,
                }
            })
            .collect();
        strutture.push(StrutturaMonitorata {
            id: s.id,
            nome: s.nome,
            responsabile: s.responsabile_nome,
            stato,
            version,
            compilabile: stato.compilabile() && compilabile(s.responsabile_user_id),
            obiettivi,
        });
    }
    Ok(MonitoraggioView {
        id: t.id,
        anno: t.anno,
        ente_nome: piano.ente_nome,
        scadenze: t.scadenze,
        inizio,
        chiuso_il: t.chiuso_il,
        referto_firmatario: t.referto_firmatario.clone(),
        strutture,
        nucleo: false,
        puo_riaprire: false,
    })
}

/// Closes the checkpoint with its Referto, signed at `quando`.
pub async fn chiudi(
    tx: &mut EnteTx,
    id: Uuid,
    referto: &[u8],
    firmatario: &str,
    quando: DateTime<Utc>,
) -> AppResult<()> {
    let r = sqlx::query(
        "update monitoraggi set chiuso_il = $7, chiuso_da = $3, referto = $4, referto_sha256 = $5,
                referto_firmatario = $6, version = version + 1
          where ente_id = $1 and id = $2 and chiuso_il is null",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(autore(tx))
    .bind(referto)
    .bind(Sha256::digest(referto).as_slice())
    .bind(firmatario.chars().take(500).collect::<String>())
    .bind(quando)
    .execute(&mut **tx)
    .await
    .on_constraint("monitoraggio_chiuso_immutabile", CHIUSO)?;
    if r.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::Conflitto(
            "Il monitoraggio è già stato chiuso da un altro componente del Nucleo: ricarica la pagina."
                .into(),
        ))
    }
}

/// The signed Referto of a closed checkpoint of the plan of `anno`.
pub async fn referto(tx: &mut EnteTx, ente_slug: &str, anno: i32, id: Uuid) -> AppResult<File> {
    let r: Option<(Option<Vec<u8>>, NaiveDate)> = sqlx::query_as(
        "select m.referto, m.data_riferimento from monitoraggi m
           join piani p on p.ente_id = m.ente_id and p.id = m.piano_id
          where m.ente_id = $1 and m.id = $2 and p.anno = $3",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(anno)
    .fetch_optional(&mut **tx)
    .await?;
    let (dati, data) = r.ok_or(AppError::NonTrovato)?;
    Ok(File {
        dati: dati.ok_or(AppError::NonTrovato)?,
        nome: format!(
            "referto-monitoraggio-{ente_slug}-{}.pdf",
            data.format("%Y-%m-%d")
        ),
        tipo: "application/pdf",
    })
}

/// A row of `avanzamenti_json`: the progress, its checkpoint's date and the plan's approval.
#[derive(serde::Deserialize)]
struct MioRiga {
    data: NaiveDate,
    /// The plan's approval, for where its year starts (as `avvio`, in the same
    /// statement: one round trip less on the plan's page and on «I miei obiettivi»).
    approvazione: Option<NaiveDate>,
    #[serde(flatten)]
    a: AvanzamentoRiga,
}

/// An employee's objectives' progress at the latest checkpoint of plan `anno` whose record
/// was submitted for the objective's struttura, by objective.
pub async fn miei(
    tx: &mut EnteTx,
    anno: i32,
    obiettivi: &[Uuid],
) -> AppResult<HashMap<Uuid, AvanzamentoMio>> {
    let json: String = sqlx::query_scalar(&format!("select {}", avanzamenti_json("$2", "$3")))
        .bind(tx.ente_id)
        .bind(anno)
        .bind(obiettivi)
        .fetch_one(&mut **tx)
        .await?;
    da_json(anno, &json)
}

/// The progress of the objectives of the plan of year `anno` (an SQL expression: `$2` or
/// other) in the ente `$1`, of those in `obiettivi` (an SQL array, or `null` for all), at
/// the latest checkpoint whose record was submitted for the objective's struttura, as one
/// SQL expression of JSON text (migration 0044's function, where the query is): for a
/// statement that reads it beside other rows, one round trip less. Read back with
/// `da_json`.
pub(crate) fn avanzamenti_json(anno: &str, obiettivi: &str) -> String {
    format!("app_avanzamenti($1, {anno}, {obiettivi})")
}

/// `avanzamenti_json` through the progress kept of an approved plan
/// (`approvati::Avanzamenti`, bound at `$4`–`$7`): one SQL expression of JSON text (null
/// without a plan of `anno`) with what the progress is read under (the plan, its version,
/// its count of changes and the role and ente it is read as: `piani::LUCI_CAMBI`) and
/// whether it may be kept (an approved plan, a transaction that has written nothing). The
/// progress itself (`righe`) only when what is kept was read under something else: of
/// the whole plan, for every person of the ente to find theirs in, or of an unapproved
/// plan `obiettivi` only, never kept. Read back with `tenuti_da`.
pub(crate) fn avanzamenti_tenuti_json(anno: &str, obiettivi: &str) -> String {
    let cambi = super::piani::LUCI_CAMBI;
    format!(
        "(select json_build_object(
                    'piano', p.id, 'version', p.version, 'cambi', k.cambi, 'vista', k.vista,
                    'tenere', t.tenere,
                    'righe', case when t.tenere and (p.id, p.version, k.cambi, k.vista)
                                                     = ($4, $5, $6, $7) is true then null
                                  else app_avanzamenti($1, {anno},
                                         case when not t.approvato then {obiettivi} end)::json
                             end)::text
            from piani p {cambi}
           cross join lateral (select p.stato = 'approvato' as approvato,
                                      p.stato = 'approvato'
                                      and txid_current_if_assigned() is null as tenere) t
           where p.ente_id = $1 and p.anno = {anno})"
    )
}

/// What `avanzamenti_tenuti_json` wrote (`json`, none without a plan).
#[derive(serde::Deserialize)]
struct Tenuti {
    piano: Uuid,
    version: i32,
    cambi: i64,
    vista: String,
    tenere: bool,
    righe: Option<Vec<MioRiga>>,
}

/// The progress that `avanzamenti_tenuti_json` wrote for the plan of `anno` in `ente`, by
/// objective, with `prima` (what was kept, which its statement compared) where it read
/// none; what it read is kept if it may be.
pub(crate) fn tenuti_da(
    ente: Uuid,
    anno: i32,
    json: Option<&str>,
    prima: Option<Arc<super::approvati::Avanzamenti>>,
) -> AppResult<Arc<HashMap<Uuid, AvanzamentoMio>>> {
    let Some(json) = json else {
        return Ok(Arc::default());
    };
    let t: Tenuti = serde_json::from_str(json).map_err(AppError::interno)?;
    let per_obiettivo = match (t.righe, prima) {
        (None, Some(prima)) => return Ok(prima.per_obiettivo.clone()),
        (righe, _) => Arc::new(per_obiettivo(anno, righe.unwrap_or_default())),
    };
    if t.tenere {
        let a = super::approvati::Avanzamenti::new(
            t.piano,
            t.version,
            t.vista,
            t.cambi,
            per_obiettivo.clone(),
        );
        super::approvati::conserva_avanzamenti(ente, anno, Arc::new(a));
    }
    Ok(per_obiettivo)
}

/// The progress that `avanzamenti_json` wrote for the plan of `anno`, by objective.
pub(crate) fn da_json(anno: i32, json: &str) -> AppResult<HashMap<Uuid, AvanzamentoMio>> {
    let rows: Vec<MioRiga> = serde_json::from_str(json).map_err(AppError::interno)?;
    Ok(per_obiettivo(anno, rows))
}

/// The rows of `avanzamenti_json` of the plan of `anno`, by objective.
fn per_obiettivo(anno: i32, rows: Vec<MioRiga>) -> HashMap<Uuid, AvanzamentoMio> {
    let mut out: HashMap<Uuid, AvanzamentoMio> = HashMap::new();
    for MioRiga {
        data,
        approvazione,
        a,
    } in rows
    {
        let voce = out.entry(a.obiettivo_id).or_insert_with(|| AvanzamentoMio {
            data,
            inizio: crate::domain::monitoraggio::inizio(anno, approvazione),
            obiettivo: AvanzamentoView::default(),
            fasi: Vec::new(),
        });
        match a.fase_id {
            None => voce.obiettivo = a.into(),
            Some(f) => voce.fasi.push((f, a.into())),
        }
    }
    out
}

/// What the caller must do at the open checkpoints of the ente, nearest deadline first:
/// the records they fill in and have not submitted (a responsabile's own strutture; for the
/// plan's editors, one line per checkpoint with the strutture still missing), and for the
/// Nucleo the checkpoints to close.
pub async fn scadenze(
    tx: &mut EnteTx,
    ctx: &super::EnteCtx,
) -> AppResult<Vec<crate::model::ScadenzaView>> {
    use crate::domain::permessi::Azione;
    use crate::domain::plan::data_label;
    use crate::model::ScadenzaView;
    type Riga = (
        Uuid,
        i32,
        NaiveDate,
        NaiveDate,
        NaiveDate,
        Uuid,
        String,
        Option<Uuid>,
        bool,
    );
    let righe: Vec<Riga> = sqlx::query_as(
        "select m.id, p.anno, m.data_riferimento, m.scadenza_responsabili, m.scadenza_nucleo,
                s.id, s.nome, s.responsabile_user_id,
                coalesce((select r.inviata_il is not null from rilevazioni r
                           where r.ente_id = m.ente_id and r.monitoraggio_id = m.id and r.struttura_id = s.id), false)
           from monitoraggi m
           join piani p on p.ente_id = m.ente_id and p.id = m.piano_id
           join strutture s on s.ente_id = m.ente_id and s.piano_id = m.piano_id
          where m.ente_id = $1 and m.chiuso_il is null
          order by m.data_riferimento, s.posizione",
    )
    .bind(tx.ente_id)
    .fetch_all(&mut **tx)
    .await?;
    let link = |anno: i32, id: Uuid| format!("/e/{}/piani/{anno}/monitoraggio/{id}", ctx.slug);
    let mut out = Vec::new();
    let mut visti: Vec<Uuid> = Vec::new();
    for (id, anno, rif, resp, nucleo, _, nome, responsabile, inviata) in &righe {
        let rif_l = data_label(*rif);
        if ctx.role.puo(Azione::ModificarePiano) || ctx.role.puo(Azione::ValutareMonitoraggio) {
            if visti.contains(id) {
                continue;
            }
            visti.push(*id);
            let mancano: Vec<&str> = righe
                .iter()
                .filter(|r| r.0 == *id && !r.8)
                .map(|r| r.6.as_str())
                .collect();
            if ctx.role.puo(Azione::ValutareMonitoraggio) {
                out.push(ScadenzaView {
                    testo: if mancano.is_empty() {
                        format!("Chiudi il monitoraggio al {rif_l} con il referto: tutte le strutture hanno inviato")
                    } else {
                        format!("Verifica il monitoraggio al {rif_l}: {} strutture devono ancora inviare", mancano.len())
                    },
                    scadenza: *nucleo,
                    link: link(*anno, *id),
                });
            } else if !mancano.is_empty() {
                out.push(ScadenzaView {
                    testo: format!(
                        "Monitoraggio al {rif_l}: rilevazioni da inviare per {}",
                        mancano.join(", ")
                    ),
                    scadenza: *resp,
                    link: link(*anno, *id),
                });
            }
        } else if ctx.role.puo(Azione::CompilareMonitoraggio)
            && !inviata
            && ctx
                .role
                .puo_sulla_struttura(*responsabile, ctx.caller.user_id)
        {
            out.push(ScadenzaView {
                testo: format!("Invia la rilevazione al {rif_l} di «{nome}»"),
                scadenza: *resp,
                link: link(*anno, *id),
            });
        }
    }
    out.sort_by_key(|s| s.scadenza);
    Ok(out)
}

/// The rimodulazioni proposed in submitted records at the checkpoints of plan `piano`.
pub async fn proposte(tx: &mut EnteTx, piano: Uuid) -> AppResult<Vec<crate::model::PropostaView>> {
    let rows: Vec<(NaiveDate, String, i32, String, String, String)> = sqlx::query_as(
        "with numerati as (
             select id, (row_number() over (partition by struttura_id order by posizione))::int4 as n
               from obiettivi where ente_id = $1)
         select m.data_riferimento, s.nome, x.n, o.descrizione, a.proposta, a.proposta_testo
           from avanzamenti a
           join monitoraggi m on m.ente_id = a.ente_id and m.id = a.monitoraggio_id
           join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
           join numerati x on x.id = o.id
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
           join rilevazioni r on r.ente_id = a.ente_id and r.monitoraggio_id = m.id
                             and r.struttura_id = s.id and r.inviata_il is not null
          where a.ente_id = $1 and m.piano_id = $2 and a.proposta is not null
          order by m.data_riferimento, s.posizione, o.posizione",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(data, struttura, pos, descrizione, proposta, testo)| {
            Some(crate::model::PropostaView {
                data,
                struttura,
                obiettivo: format!(
                    "{pos}. {}",
                    descrizione.trim().chars().take(120).collect::<String>()
                ),
                proposta: crate::domain::monitoraggio::Proposta::da_codice(&proposta)?,
                testo,
            })
        })
        .collect())
}

/// The light of every objective and phase of `piano` at its struttura's latest submitted
/// checkpoint: `lette` if read with the plan or kept (`piani::leggi_pagina`), else from
/// its objectives' progress read now (`miei`).
pub async fn luci(
    tx: &mut EnteTx,
    piano: &PianoView,
    lette: Option<Arc<Vec<LuceRiga>>>,
) -> AppResult<Vec<LuceRiga>> {
    if let Some(l) = lette {
        return Ok(l.to_vec());
    }
    let ids: Vec<Uuid> = (piano.strutture.iter())
        .flat_map(|s| &s.obiettivi)
        .map(|o| o.id)
        .collect();
    Ok(luci_da(piano, &miei(tx, piano.anno, &ids).await?))
}

/// `luci` from the progress `av` of `piano`'s objectives, as `miei` returns it (or read
/// with the plan: `piani::leggi_pagina`).
pub fn luci_da(piano: &PianoView, av: &HashMap<Uuid, AvanzamentoMio>) -> Vec<LuceRiga> {
    use crate::domain::monitoraggio::luce;
    let mut out = Vec::new();
    for o in piano.strutture.iter().flat_map(|s| &s.obiettivi) {
        let Some(a) = av.get(&o.id) else { continue };
        let righe = std::iter::once((o.id, o.campi.data_fine, &a.obiettivo)).chain(
            a.fasi.iter().filter_map(|(f, x)| {
                o.fasi
                    .iter()
                    .find(|r| r.id == *f)
                    .map(|r| (*f, r.campi.data_fine, x))
            }),
        );
        for (riga, fine, x) in righe {
            if let Some(p) = x.percentuale {
                out.push(LuceRiga {
                    riga,
                    data: a.data,
                    percentuale: p,
                    semaforo: luce(p, a.inizio, fine, a.data).map(|l| l.1),
                });
            }
        }
    }
    out
}
