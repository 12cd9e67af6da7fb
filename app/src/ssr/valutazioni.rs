//! SQL on the individual evaluations (`valutazioni`, `dati_premi`): preparing a year's
//! schede from the plan's assignments, reading what the caller may see (Row-Level Security
//! decides: the person, their evaluator, the Nucleo for EQ, admins and consultants), and
//! the steps of the cycle. The rules are in `domain::scheda`.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::context::{EnteCtx, EnteTx};
use crate::domain::permessi::Azione;
use crate::domain::premi::Categoria;
use crate::domain::roles::Role;
use crate::domain::scheda::{self, Assegnato, Dispersione, Scheda, Sezione, Sezioni, Stato};
use crate::domain::smvp::{Profilo, Punteggio};
use crate::error::{AppError, AppResult};
use crate::model::{
    AnalisiValutatore, CalcoloScheda, ChiusuraView, SchedaView, ValutazioneRiga, ValutazioniView,
};

/// Said when the scheda changed since the page was loaded.
const CAMBIATA: &str =
    "La scheda è stata modificata da un'altra persona: ricarica la pagina per vedere la versione attuale.";

/// Makes the caller's own staff record known to the policies (a person reads their own
/// scheda): unset, it matches nothing.
pub async fn imposta_dipendente(tx: &mut EnteTx) -> AppResult<Option<Uuid>> {
    let id: Option<Uuid> =
        sqlx::query_scalar("select id from dipendenti where ente_id = $1 and user_id = $2")
            .bind(tx.ente_id)
            .bind(tx.user_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(id) = id {
        super::imposta(&mut tx.tx, "app.dipendente_id", &id.to_string()).await?;
    }
    Ok(id)
}

/// The profile the year is scored with (the newest, before the year-end starts).
pub async fn profilo(tx: &mut EnteTx, chiusura: &ChiusuraView) -> AppResult<Profilo> {
    if let Some(t) = &chiusura.testata {
        return Ok(t.profilo.clone());
    }
    let ente = tx.ente_id;
    let n = super::smvp::ultima_ente(tx, ente).await?;
    if n == 0 {
        return Ok(Profilo::default());
    }
    super::smvp::profilo_ente(tx, ente, n).await
}

/// Creates the schede not yet there: one per person assigned to the plan's objectives or
/// leading one of its strutture. A struttura's responsabile, and a person of the area of
/// the Funzionari e dell'Elevata Qualificazione, is an EQ, evaluated by the Nucleo; the
/// others are evaluated by the responsabile of the struttura where their assignments weigh
/// most. Returns how many were created.
pub async fn prepara(tx: &mut EnteTx, piano: Uuid, profilo: &Profilo) -> AppResult<usize> {
    let strutture: Vec<(Uuid, i32, Option<Uuid>)> = sqlx::query_as(
        "select id, posizione, responsabile_user_id from strutture
          where ente_id = $1 and piano_id = $2 order by posizione",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    // (person, struttura, Σ assignment weights there, of the EQ area)
    let pesi: Vec<(Uuid, Uuid, f64, bool)> = sqlx::query_as(
        "select a.dipendente_id, o.struttura_id, sum(coalesce(a.peso, 1))::float8,
                d.area = 'funzionari_eq'
           from assegnazioni a
           join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
           join dipendenti d on d.ente_id = a.ente_id and d.id = a.dipendente_id
          where a.ente_id = $1 and s.piano_id = $2
          group by a.dipendente_id, o.struttura_id, d.area",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    let responsabili: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "select d.id, d.user_id from dipendenti d
          where d.ente_id = $1 and d.user_id = any ($2)",
    )
    .bind(tx.ente_id)
    .bind(strutture.iter().filter_map(|s| s.2).collect::<Vec<Uuid>>())
    .fetch_all(&mut **tx)
    .await?;
    let posizione: HashMap<Uuid, i32> = strutture.iter().map(|s| (s.0, s.1)).collect();
    // Each person's struttura and evaluator: who leads a struttura, that one.
    let mut scelte: HashMap<Uuid, (Categoria, Uuid, Option<Uuid>)> = HashMap::new();
    for (d, u) in &responsabili {
        if let Some(s) = strutture.iter().find(|s| s.2 == Some(*u)) {
            scelte.insert(*d, (Categoria::Eq, s.0, None));
        }
    }
    let mut migliore: HashMap<Uuid, (Uuid, f64, i32, bool)> = HashMap::new();
    for (d, s, w, eq) in pesi {
        let pos = posizione.get(&s).copied().unwrap_or(i32::MAX);
        let e = migliore.entry(d).or_insert((s, w, pos, eq));
        if w > e.1 || (w == e.1 && pos < e.2) {
            *e = (s, w, pos, eq);
        }
    }
    for (d, (s, _, _, eq)) in migliore {
        if scelte.contains_key(&d) {
            continue;
        }
        let categoria = if eq {
            Categoria::Eq
        } else {
            Categoria::Personale
        };
        let valutatore = match categoria {
            Categoria::Eq => None,
            Categoria::Personale => strutture.iter().find(|x| x.0 == s).and_then(|x| x.2),
        };
        scelte.insert(d, (categoria, s, valutatore));
    }
    let voti: Vec<VotoRiga> = profilo
        .comportamenti
        .iter()
        .map(|c| VotoRiga {
            nome: c.clone(),
            voto: None,
        })
        .collect();
    let mut creati = 0;
    for (d, (c, s, v)) in scelte {
        let r = sqlx::query(
            "insert into valutazioni (ente_id, piano_id, dipendente_id, categoria, struttura_id,
                                      valutatore_id, voti)
             values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
        )
        .bind(tx.ente_id)
        .bind(piano)
        .bind(d)
        .bind(c.codice())
        .bind(s)
        .bind(v)
        .bind(Json(&voti))
        .execute(&mut **tx)
        .await?;
        creati += r.rows_affected() as usize;
    }
    Ok(creati)
}

/// A behaviour's score as stored.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VotoRiga {
    pub nome: String,
    pub voto: Option<u8>,
}

#[derive(sqlx::FromRow)]
struct Riga {
    dipendente_id: Uuid,
    categoria: String,
    struttura_id: Uuid,
    valutatore_id: Option<Uuid>,
    stato: String,
    voti: Json<Vec<VotoRiga>>,
    differenziazione: Option<i16>,
    note: String,
    colloquio_assegnazione: Option<NaiveDate>,
    colloquio_intermedio: Option<NaiveDate>,
    colloquio_finale: Option<NaiveDate>,
    sezioni: Option<Json<CalcoloScheda>>,
    punteggio: Option<f64>,
    proposta_il: Option<chrono::DateTime<Utc>>,
    presa_visione_il: Option<NaiveDate>,
    revisione_il: Option<NaiveDate>,
    revisione_testo: Option<String>,
    audizione_il: Option<NaiveDate>,
    con_sindacato: Option<bool>,
    decisione_testo: Option<String>,
    decisa_il: Option<NaiveDate>,
    definitiva_il: Option<chrono::DateTime<Utc>>,
    firmata_da: Option<String>,
    firmata_il: Option<chrono::DateTime<Utc>>,
    version: i32,
    cognome: String,
    nome: String,
    matricola: String,
    user_id: Option<Uuid>,
    struttura: String,
    valutatore: Option<String>,
}

const SELECT: &str =
    "select v.dipendente_id, v.categoria, v.struttura_id, v.valutatore_id, v.stato, v.voti,
        v.differenziazione, v.note, v.colloquio_assegnazione, v.colloquio_intermedio,
        v.colloquio_finale, v.sezioni, v.punteggio::float8 as punteggio, v.proposta_il,
        v.presa_visione_il, v.revisione_il, v.revisione_testo, v.audizione_il, v.con_sindacato,
        v.decisione_testo, v.decisa_il, v.definitiva_il, v.firmata_da, v.firmata_il, v.version,
        d.cognome, d.nome, d.matricola, d.user_id, s.nome as struttura,
        u.display_name as valutatore
   from valutazioni v
   join dipendenti d on d.ente_id = v.ente_id and d.id = v.dipendente_id
   join strutture s on s.ente_id = v.ente_id and s.id = v.struttura_id
   left join users u on u.id = v.valutatore_id
  where v.ente_id = $1 and v.piano_id = $2";

fn categoria(r: &Riga) -> Categoria {
    Categoria::da_codice(&r.categoria).unwrap_or(Categoria::Personale)
}

fn stato(r: &Riga) -> Stato {
    Stato::da_codice(&r.stato).unwrap_or(Stato::Bozza)
}

fn valutatore_nome(r: &Riga) -> String {
    match (&r.valutatore, categoria(r)) {
        (Some(n), _) => n.clone(),
        (None, Categoria::Eq) => "Nucleo di Valutazione".into(),
        (None, Categoria::Personale) => "Amministrazione dell'ente".into(),
    }
}

/// Whether the caller evaluates the person of `r`: the responsabile named on it; for an EQ,
/// the Nucleo; for a person whose struttura has no responsabile's account, the ente's
/// admins and consultants.
fn valutatore_io(r: &Riga, ctx: &EnteCtx) -> bool {
    match r.valutatore_id {
        Some(v) => v == ctx.caller.user_id,
        None => match categoria(r) {
            Categoria::Eq => ctx.role == Role::Nucleo,
            Categoria::Personale => ctx.role.puo(Azione::ImpostareValutazione),
        },
    }
}

async fn riga(tx: &mut EnteTx, piano: Uuid, dipendente: Uuid) -> AppResult<Riga> {
    imposta_dipendente(tx).await?;
    sqlx::query_as::<_, Riga>(&format!("{SELECT} and v.dipendente_id = $3"))
        .bind(tx.ente_id)
        .bind(piano)
        .bind(dipendente)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NonTrovato)
}

/// The scores a responsabile (by user) gave their staff.
async fn punteggi_di(tx: &mut EnteTx, piano: Uuid, valutatore: Uuid) -> AppResult<Vec<f64>> {
    Ok(sqlx::query_scalar(
        "select punteggio::float8 from valutazioni
          where ente_id = $1 and piano_id = $2 and valutatore_id = $3 and punteggio is not null",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(valutatore)
    .fetch_all(&mut **tx)
    .await?)
}

/// The objectives assigned to a person, with their weights and final scores.
async fn assegnati(
    tx: &mut EnteTx,
    piano: Uuid,
    dipendente: Uuid,
    chiusura: &ChiusuraView,
) -> AppResult<Vec<Assegnato>> {
    let righe: Vec<(Uuid, Option<f64>)> = sqlx::query_as(
        "select a.obiettivo_id, a.peso::float8 from assegnazioni a
           join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where a.ente_id = $1 and s.piano_id = $2 and a.dipendente_id = $3
          order by s.posizione, o.posizione",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(dipendente)
    .fetch_all(&mut **tx)
    .await?;
    // Without weights, the objectives count the same.
    let uguale = 100.0 / righe.len().max(1) as f64;
    Ok(righe
        .into_iter()
        .map(|(id, peso)| {
            let trovato = chiusura
                .strutture
                .iter()
                .find_map(|s| s.obiettivi.iter().find(|o| o.id == id).map(|o| (s, o)));
            Assegnato {
                obiettivo: trovato
                    .map(|(s, o)| format!("{} – obiettivo {}", s.nome, o.numero))
                    .unwrap_or_else(|| "Obiettivo".into()),
                peso: peso.unwrap_or(uguale),
                raggiungimento: trovato.and_then(|(_, o)| o.finale),
            }
        })
        .collect())
}

/// A 1–5 judgement as a section.
fn giudizio(voto: Option<u8>, chi: &str) -> Result<Punteggio, String> {
    let v = voto.ok_or_else(|| format!("Manca il giudizio {chi}."))?;
    let valore = scheda::da_voto(v as f64);
    Ok(Punteggio {
        valore,
        mostrato: valore,
        perche: vec![format!(
            "Giudizio {chi}: {v} su 5, cioè {v} / 5 × 100 = {}.",
            crate::domain::smvp::percento(valore)
        )],
    })
}

/// The scheda's figures now, from the year-end results and the scores given.
async fn calcola(
    tx: &mut EnteTx,
    piano: Uuid,
    r: &Riga,
    voti: &[(String, Option<u8>)],
    differenziazione: Option<u8>,
    scheda_cat: &Scheda,
    chiusura: &ChiusuraView,
) -> AppResult<CalcoloScheda> {
    let risultati = if chiusura.testata.is_none() {
        Err("La chiusura dell'anno non è avviata: i risultati non ci sono ancora.".to_string())
    } else {
        chiusura
            .strutture
            .iter()
            .find(|s| s.id == r.struttura_id)
            .and_then(|s| s.risultato.clone())
            .ok_or_else(|| "Il risultato della struttura non è ancora calcolabile.".to_string())
    };
    let assegnati = assegnati(tx, piano, r.dipendente_id, chiusura).await?;
    let obiettivi = scheda::obiettivi_assegnati(&assegnati);
    let comportamenti = scheda::comportamenti(voti);
    let differenziazione = giudizio(differenziazione, "del Nucleo");
    let ok = |p: &Result<Punteggio, String>| p.as_ref().ok().map(|p| p.valore);
    let totale = scheda::totale(
        scheda_cat,
        &Sezioni {
            risultati: ok(&risultati),
            obiettivi: ok(&obiettivi),
            comportamenti: ok(&comportamenti),
            differenziazione: ok(&differenziazione),
        },
    );
    Ok(CalcoloScheda {
        risultati,
        assegnati,
        obiettivi,
        comportamenti,
        differenziazione,
        totale,
    })
}

fn voti_di(r: &Riga) -> Vec<(String, Option<u8>)> {
    r.voti.0.iter().map(|v| (v.nome.clone(), v.voto)).collect()
}

/// The scheda of `dipendente` in the plan `piano`, as the caller may see it.
pub async fn scheda(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    piano: Uuid,
    chiusura: &ChiusuraView,
    dipendente: Uuid,
) -> AppResult<SchedaView> {
    let r = riga(tx, piano, dipendente).await?;
    let profilo = profilo(tx, chiusura).await?;
    let cat = categoria(&r);
    let stato = stato(&r);
    let scheda_cat = *profilo.scheda(cat);
    let voti = voti_di(&r);
    let differenziazione = r.differenziazione.map(|d| d as u8);
    // From the proposal on, the figures are those proposed (or decided).
    let calcolo = match (&r.sezioni, stato) {
        (Some(s), st) if st != Stato::Bozza => s.0.clone(),
        _ => {
            calcola(
                tx,
                piano,
                &r,
                &voti,
                differenziazione,
                &scheda_cat,
                chiusura,
            )
            .await?
        }
    };
    let dispersione_staff: Option<Dispersione> = match (cat, r.user_id) {
        (Categoria::Eq, Some(u)) => {
            let p = punteggi_di(tx, piano, u).await?;
            scheda::dispersione(&p, 90.0)
        }
        _ => None,
    };
    let gestione_premi = ctx.role.puo(Azione::GestirePremi);
    let dati_premi = if gestione_premi {
        dati_premi(tx, piano, dipendente).await?
    } else {
        (0, 0, 0, 0)
    };
    let premio: Option<(i64, i64)> = sqlx::query_as(
        "select base, maggiorazione from premi_individuali
          where ente_id = $1 and piano_id = $2 and dipendente_id = $3",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(dipendente)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(SchedaView {
        anno: chiusura.anno,
        ente_nome: ctx.ente_name.clone(),
        dipendente_id: dipendente,
        nome: format!("{} {}", r.cognome, r.nome),
        matricola: r.matricola.clone(),
        categoria: cat,
        struttura: r.struttura.clone(),
        valutatore: valutatore_nome(&r),
        stato,
        version: r.version,
        scheda: scheda_cat,
        calcolo,
        voti,
        differenziazione,
        dispersione_staff,
        note: r.note.clone(),
        colloquio_assegnazione: r.colloquio_assegnazione,
        colloquio_intermedio: r.colloquio_intermedio,
        colloquio_finale: r.colloquio_finale,
        proposta_il: r.proposta_il,
        presa_visione_il: r.presa_visione_il,
        scadenza_richiesta: r.presa_visione_il.map(scheda::scadenza_richiesta),
        revisione_il: r.revisione_il,
        revisione_testo: r.revisione_testo.clone(),
        scadenza_decisione: r.revisione_il.map(scheda::scadenza_decisione),
        audizione_il: r.audizione_il,
        con_sindacato: r.con_sindacato,
        decisione_testo: r.decisione_testo.clone(),
        decisa_il: r.decisa_il,
        definitiva_il: r.definitiva_il,
        firmata: r.firmata_da.clone().zip(r.firmata_il),
        valutatore_io: valutatore_io(&r, ctx),
        valutato_io: r.user_id == Some(ctx.caller.user_id),
        gestione_premi,
        dati_premi,
        oggi: crate::domain::calendario::oggi(),
        premio,
    })
}

/// The schede of the plan `piano` (of `anno`) the caller may see, with each evaluator's
/// spread read against the premi's top band and art. 81 share.
pub async fn elenco(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    piano: Uuid,
    anno: i32,
    premi: &crate::domain::premi::Parametri,
) -> AppResult<ValutazioniView> {
    imposta_dipendente(tx).await?;
    let righe: Vec<Riga> =
        sqlx::query_as(&format!("{SELECT} order by s.posizione, d.cognome, d.nome"))
            .bind(tx.ente_id)
            .bind(piano)
            .fetch_all(&mut **tx)
            .await?;
    let gestione = ctx.role.puo(Azione::ImpostareValutazione);
    let nucleo = ctx.role.puo(Azione::ValidareRisultati);
    let fascia_alta = premi.fasce_art20[0];
    // The spread per evaluator: for those who read every scheda (admins, consultants, and
    // the Nucleo for the EQ), and for an evaluator their own.
    let mut per: Vec<(String, Vec<f64>)> = Vec::new();
    for r in &righe {
        let Some(p) = r.punteggio else { continue };
        let nome = valutatore_nome(r);
        match per.iter_mut().find(|(n, _)| *n == nome) {
            Some((_, v)) => v.push(p),
            None => per.push((nome, vec![p])),
        }
    }
    let analisi = if gestione || nucleo || ctx.role == Role::Responsabile {
        per.into_iter()
            .filter_map(|(valutatore, p)| {
                scheda::dispersione(&p, fascia_alta).map(|dispersione| AnalisiValutatore {
                    valutatore,
                    dispersione,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let da_preparare = if gestione {
        let n: i64 = sqlx::query_scalar(
            "select count(distinct a.dipendente_id) from assegnazioni a
               join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
               join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
              where a.ente_id = $1 and s.piano_id = $2
                and not exists (select 1 from valutazioni v where v.ente_id = a.ente_id
                                  and v.piano_id = $2 and v.dipendente_id = a.dipendente_id)",
        )
        .bind(tx.ente_id)
        .bind(piano)
        .fetch_one(&mut **tx)
        .await?;
        n as usize
    } else {
        0
    };
    Ok(ValutazioniView {
        anno,
        ente_nome: ctx.ente_name.clone(),
        chiusura_avviata: super::chiusura::testata(tx, piano).await?.is_some(),
        gestione,
        nucleo,
        righe: righe
            .iter()
            .map(|r| ValutazioneRiga {
                dipendente_id: r.dipendente_id,
                nome: format!("{} {}", r.cognome, r.nome),
                matricola: r.matricola.clone(),
                categoria: categoria(r),
                struttura: r.struttura.clone(),
                valutatore: valutatore_nome(r),
                stato: stato(r),
                punteggio: r.punteggio,
            })
            .collect(),
        analisi,
        fascia_alta,
        quota_maggiorazione: premi.quota,
        da_preparare,
    })
}

/// What the evaluator writes on the scheda.
#[derive(Debug, Clone)]
pub struct Compilazione {
    pub voti: Vec<Option<u8>>,
    pub differenziazione: Option<u8>,
    pub note: String,
    pub colloquio_assegnazione: Option<NaiveDate>,
    pub colloquio_intermedio: Option<NaiveDate>,
    pub colloquio_finale: Option<NaiveDate>,
}

/// A step of the cycle on the scheda of `dipendente`, by the caller, from `version`.
pub enum Azioni {
    Salva(Compilazione),
    Proponi(Compilazione),
    PresaVisione,
    Accetta,
    ChiediRevisione(String),
    Decidi {
        compilazione: Compilazione,
        audizione: NaiveDate,
        sindacato: bool,
        testo: String,
    },
    Chiudi,
}

/// Runs a step: checks who and when (`domain::scheda::consentito`), then writes it.
pub async fn passo(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    piano: Uuid,
    chiusura: &ChiusuraView,
    dipendente: Uuid,
    version: i32,
    azione: Azioni,
) -> AppResult<()> {
    use scheda::{Chi, Passo};
    let r = riga(tx, piano, dipendente).await?;
    let chi = if valutatore_io(&r, ctx) {
        Chi::Valutatore
    } else if r.user_id == Some(ctx.caller.user_id) {
        Chi::Valutato
    } else {
        // Someone who reads the scheda without a part in it (an admin, a consultant).
        return Err(AppError::NonAutorizzato);
    };
    let p = match &azione {
        Azioni::Salva(_) => Passo::Salva,
        Azioni::Proponi(_) => Passo::Proponi,
        Azioni::PresaVisione => Passo::PresaVisione,
        Azioni::Accetta => Passo::Accetta,
        Azioni::ChiediRevisione(_) => Passo::ChiediRevisione,
        Azioni::Decidi { .. } => Passo::Decidi,
        Azioni::Chiudi => Passo::Chiudi,
    };
    // A page loaded before someone else's step is stale, whatever it asks.
    if r.version != version {
        return Err(AppError::Conflitto(CAMBIATA.into()));
    }
    let oggi = crate::domain::calendario::oggi();
    scheda::consentito(stato(&r), p, chi, r.presa_visione_il, oggi).map_err(AppError::NonValido)?;
    let profilo = profilo(tx, chiusura).await?;
    let scheda_cat = *profilo.scheda(categoria(&r));
    let chiave = (tx.ente_id, piano, dipendente, version);
    match azione {
        Azioni::Salva(c) => {
            let voti = nomina(&r, &c)?;
            scrivi_compilazione(tx, chiave, &voti, &c, None).await
        }
        Azioni::Proponi(c) => {
            let voti = nomina(&r, &c)?;
            let finale = c.colloquio_finale.ok_or_else(|| {
                AppError::NonValido("Indica la data del colloquio finale.".into())
            })?;
            if finale > oggi {
                return Err(AppError::NonValido(
                    "Il colloquio finale non può essere in una data futura.".into(),
                ));
            }
            let calcolo = completo(tx, piano, &r, &voti, &c, &scheda_cat, chiusura).await?;
            scrivi_compilazione(tx, chiave, &voti, &c, Some(("proposta", &calcolo))).await
        }
        Azioni::PresaVisione => {
            semplice(
                tx,
                chiave,
                "stato = 'presa_visione', presa_visione_il = $5::date",
                Some(oggi),
            )
            .await
        }
        Azioni::Accetta | Azioni::Chiudi => {
            semplice(
                tx,
                chiave,
                "stato = 'definitiva', definitiva_il = now()",
                None,
            )
            .await
        }
        Azioni::ChiediRevisione(testo) => {
            let testo = testo_obbligatorio(testo, "Motivi della richiesta di revisione")?;
            let n = sqlx::query(
                "update valutazioni set stato = 'revisione', revisione_il = $5, revisione_testo = $6,
                        version = version + 1
                  where ente_id = $1 and piano_id = $2 and dipendente_id = $3 and version = $4",
            )
            .bind(chiave.0)
            .bind(chiave.1)
            .bind(chiave.2)
            .bind(chiave.3)
            .bind(oggi)
            .bind(testo)
            .execute(&mut **tx)
            .await?;
            conflitto(n)
        }
        Azioni::Decidi {
            compilazione: c,
            audizione,
            sindacato,
            testo,
        } => {
            let testo = testo_obbligatorio(testo, "Motivazione della decisione")?;
            if audizione > oggi || Some(audizione) < r.revisione_il {
                return Err(AppError::NonValido(
                    "L'audizione va tra la richiesta di revisione e oggi.".into(),
                ));
            }
            let voti = nomina(&r, &c)?;
            let calcolo = completo(tx, piano, &r, &voti, &c, &scheda_cat, chiusura).await?;
            // The hearing first: once final, the row does not change.
            sqlx::query(
                "update valutazioni set audizione_il = $4, con_sindacato = $5,
                        decisione_testo = $6, decisa_il = $7
                  where ente_id = $1 and piano_id = $2 and dipendente_id = $3",
            )
            .bind(chiave.0)
            .bind(chiave.1)
            .bind(chiave.2)
            .bind(audizione)
            .bind(sindacato)
            .bind(testo)
            .bind(oggi)
            .execute(&mut **tx)
            .await?;
            scrivi_compilazione(tx, chiave, &voti, &c, Some(("definitiva", &calcolo))).await
        }
    }
}

/// A text that must be there (`campo` names it), at most 5000 characters.
fn testo_obbligatorio(t: String, campo: &str) -> AppResult<String> {
    let t = crate::api::piani::guard::testo(campo, t.trim().to_string(), 5000)?;
    if t.is_empty() {
        return Err(AppError::NonValido(format!("Scrivi il testo: {campo}.")));
    }
    Ok(t)
}

/// The scores of the form, named after the scheda's behaviours (each score and the
/// note's length are checked where the form is typed, `api::valutazioni::guard`).
fn nomina(r: &Riga, c: &Compilazione) -> AppResult<Vec<VotoRiga>> {
    if c.voti.len() != r.voti.0.len() {
        return Err(AppError::Conflitto(CAMBIATA.into()));
    }
    let date = [
        c.colloquio_assegnazione,
        c.colloquio_intermedio,
        c.colloquio_finale,
    ];
    let presenti: Vec<NaiveDate> = date.iter().flatten().copied().collect();
    if presenti.windows(2).any(|w| w[0] > w[1]) {
        return Err(AppError::NonValido(
            "I colloqui vanno in ordine: assegnazione, intermedio, finale.".into(),
        ));
    }
    Ok(r.voti
        .0
        .iter()
        .zip(&c.voti)
        .map(|(v, x)| VotoRiga {
            nome: v.nome.clone(),
            voto: *x,
        })
        .collect())
}

/// The figures of a scheda about to be proposed or decided: every section must be there.
async fn completo(
    tx: &mut EnteTx,
    piano: Uuid,
    r: &Riga,
    voti: &[VotoRiga],
    c: &Compilazione,
    scheda_cat: &Scheda,
    chiusura: &ChiusuraView,
) -> AppResult<CalcoloScheda> {
    let coppie: Vec<(String, Option<u8>)> = voti.iter().map(|v| (v.nome.clone(), v.voto)).collect();
    let calcolo = calcola(
        tx,
        piano,
        r,
        &coppie,
        c.differenziazione,
        scheda_cat,
        chiusura,
    )
    .await?;
    // What is missing, said of the first weighted section that lacks it: with every one
    // there, the total is there too.
    for (s, p) in calcolo.sezioni() {
        if let (true, Err(e)) = (scheda_cat.peso(s) > 0.0, p) {
            return Err(AppError::NonValido(format!(
                "La scheda non è completa: {e}"
            )));
        }
    }
    Ok(calcolo)
}

async fn scrivi_compilazione(
    tx: &mut EnteTx,
    (ente, piano, dipendente, version): (Uuid, Uuid, Uuid, i32),
    voti: &[VotoRiga],
    c: &Compilazione,
    esito: Option<(&str, &CalcoloScheda)>,
) -> AppResult<()> {
    let (stato, sezioni, punteggio) = match esito {
        Some((s, calc)) => (
            Some(s),
            Some(Json(calc)),
            calc.totale
                .as_ref()
                .ok()
                .map(|t| (t.valore * 100.0).round() / 100.0),
        ),
        None => (None, None, None),
    };
    let n = sqlx::query(
        "update valutazioni set voti = $5, differenziazione = $6, note = $7,
                colloquio_assegnazione = $8, colloquio_intermedio = $9, colloquio_finale = $10,
                stato = coalesce($11, stato),
                sezioni = coalesce($12, sezioni),
                punteggio = coalesce($13::float8::numeric, punteggio),
                proposta_il = case when $11 = 'proposta' then now() else proposta_il end,
                proposta_da = case when $11 = 'proposta' then $14 else proposta_da end,
                definitiva_il = case when $11 = 'definitiva' then now() else definitiva_il end,
                version = version + 1
          where ente_id = $1 and piano_id = $2 and dipendente_id = $3 and version = $4",
    )
    .bind(ente)
    .bind(piano)
    .bind(dipendente)
    .bind(version)
    .bind(Json(voti))
    .bind(c.differenziazione.map(|d| d as i16))
    .bind(c.note.trim())
    .bind(c.colloquio_assegnazione)
    .bind(c.colloquio_intermedio)
    .bind(c.colloquio_finale)
    .bind(stato)
    .bind(sezioni)
    .bind(punteggio)
    .bind((!tx.user_id.is_nil()).then_some(tx.user_id))
    .execute(&mut **tx)
    .await?;
    conflitto(n)
}

async fn semplice(
    tx: &mut EnteTx,
    (ente, piano, dipendente, version): (Uuid, Uuid, Uuid, i32),
    set: &str,
    oggi: Option<NaiveDate>,
) -> AppResult<()> {
    let sql = format!(
        "update valutazioni set {set}, version = version + 1
          where ente_id = $1 and piano_id = $2 and dipendente_id = $3 and version = $4"
    );
    let mut q = sqlx::query(&sql)
        .bind(ente)
        .bind(piano)
        .bind(dipendente)
        .bind(version);
    if let Some(d) = oggi {
        q = q.bind(d);
    }
    conflitto(q.execute(&mut **tx).await?)
}

fn conflitto(r: sqlx::postgres::PgQueryResult) -> AppResult<()> {
    if r.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::Conflitto(CAMBIATA.into()))
    }
}

/// A person's absences that count, neutral leave, sanction level and version (0: none).
pub async fn dati_premi(
    tx: &mut EnteTx,
    piano: Uuid,
    dipendente: Uuid,
) -> AppResult<(i32, i32, i16, i32)> {
    Ok(sqlx::query_as(
        "select assenze, congedi, sanzione, version from dati_premi
          where ente_id = $1 and piano_id = $2 and dipendente_id = $3",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(dipendente)
    .fetch_optional(&mut **tx)
    .await?
    .unwrap_or((0, 0, 0, 0)))
}

/// Saves a person's data for the premi over `version` (0: first time).
pub async fn salva_dati_premi(
    tx: &mut EnteTx,
    piano: Uuid,
    dipendente: Uuid,
    version: i32,
    (assenze, congedi, sanzione): (i32, i32, i16),
) -> AppResult<()> {
    // A person without a scheda of this plan (another ente's, or none) does not exist here.
    let esiste: bool = sqlx::query_scalar(
        "select exists (select 1 from valutazioni
                         where ente_id = $1 and piano_id = $2 and dipendente_id = $3)",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(dipendente)
    .fetch_one(&mut **tx)
    .await?;
    if !esiste {
        return Err(AppError::NonTrovato);
    }
    let n = if version == 0 {
        sqlx::query(
            "insert into dati_premi (ente_id, piano_id, dipendente_id, assenze, congedi, sanzione)
             values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
        )
    } else {
        sqlx::query(
            "update dati_premi set assenze = $4, congedi = $5, sanzione = $6, version = version + 1
              where ente_id = $1 and piano_id = $2 and dipendente_id = $3 and version = $7",
        )
    }
    .bind(tx.ente_id)
    .bind(piano)
    .bind(dipendente)
    .bind(assenze)
    .bind(congedi)
    .bind(sanzione)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    conflitto(n)
}

/// A final scheda as PDF/A, as its person and evaluator keep it.
pub fn scheda_pdf(v: &SchedaView) -> Vec<u8> {
    use super::relazione::documento::{self, Blocco};
    use crate::domain::smvp::percento;
    let riga = |s: Sezione, p: &Result<Punteggio, String>| {
        vec![
            s.label().to_string(),
            percento(v.scheda.peso(s)),
            match p {
                Ok(p) => format!("{}\n{}", percento(p.valore), p.perche.join("\n")),
                Err(m) => m.clone(),
            },
        ]
    };
    let c = &v.calcolo;
    let sezioni: Vec<Vec<String>> = c
        .sezioni()
        .into_iter()
        .filter(|(s, _)| v.scheda.peso(*s) > 0.0)
        .map(|(s, p)| riga(s, p))
        .collect();
    let mut blocchi = vec![
        Blocco::Tabella(
            vec![0.3, 0.7],
            ["Voce", "Valore"].map(String::from).to_vec(),
            vec![
                vec![
                    "Persona".into(),
                    format!("{} (matricola {})", v.nome, v.matricola),
                ],
                vec!["Categoria".into(), v.categoria.label().into()],
                vec!["Struttura".into(), v.struttura.clone()],
                vec!["Valutatore".into(), v.valutatore.clone()],
            ],
        ),
        Blocco::Capitolo("Sezioni".into()),
        Blocco::Tabella(
            vec![0.3, 0.1, 0.6],
            ["Sezione", "Peso", "Punteggio e calcolo"]
                .map(String::from)
                .to_vec(),
            sezioni,
        ),
        Blocco::Testo(match &c.totale {
            Ok(p) => p.perche.join("\n"),
            Err(m) => m.clone(),
        }),
        Blocco::Capitolo("Comportamenti".into()),
        Blocco::Tabella(
            vec![0.7, 0.3],
            ["Comportamento", "Voto"].map(String::from).to_vec(),
            v.voti
                .iter()
                .map(|(n, x)| {
                    vec![
                        n.clone(),
                        x.map(|x| scheda::SCALA[(x - 1) as usize].to_string())
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
    ];
    if !v.note.is_empty() {
        blocchi.push(Blocco::Testo(format!("Note del valutatore: {}", v.note)));
    }
    blocchi.push(Blocco::Capitolo("Il percorso della valutazione".into()));
    blocchi.push(Blocco::Tabella(
        vec![0.3, 0.7],
        ["Passo", "Data"].map(String::from).to_vec(),
        v.percorso().into_iter().map(|(p, d)| vec![p, d]).collect(),
    ));
    let creato = v.definitiva_il.unwrap_or_else(Utc::now);
    documento::documento(
        [
            &v.ente_nome,
            "SCHEDA DI VALUTAZIONE INDIVIDUALE",
            "ai sensi dell’art. 9 del D.Lgs. 150/2009",
            &format!("Anno {} – {}", v.anno, v.nome),
        ],
        &blocchi,
        Some(&format!("Il valutatore – {}", v.valutatore)),
        crate::ssr::allegato::pdf::Metadati {
            titolo: format!("Scheda di valutazione {} – {}", v.anno, v.nome),
            autore: v.ente_nome.clone(),
            soggetto: format!("Valutazione individuale dell’anno {}", v.anno),
            testata: format!("{} – Scheda di valutazione {}", v.ente_nome, v.anno),
            piede: format!("{} – {}", v.nome, v.matricola),
            bozza: v.stato != Stato::Definitiva,
            creato,
            id: documento::id_di(&[v.dipendente_id.as_bytes(), &v.anno.to_be_bytes(), b"scheda"]),
        },
    )
}

/// The scheda of `dipendente` for its evaluator to sign: final, not signed yet.
pub async fn da_firmare(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    piano: Uuid,
    chiusura: &ChiusuraView,
    dipendente: Uuid,
) -> AppResult<SchedaView> {
    let v = scheda(tx, ctx, piano, chiusura, dipendente).await?;
    if !v.valutatore_io {
        return Err(AppError::NonAutorizzato);
    }
    if v.stato != Stato::Definitiva {
        return Err(AppError::NonValido(
            "La scheda si firma quando è definitiva.".into(),
        ));
    }
    if v.firmata.is_some() {
        return Err(AppError::NonValido("La scheda è già firmata.".into()));
    }
    Ok(v)
}

/// Keeps the final scheda of `dipendente` signed by `nome` (its evaluator), once.
pub async fn salva_firmata(
    tx: &mut EnteTx,
    piano: Uuid,
    dipendente: Uuid,
    version: i32,
    pdf: &[u8],
    nome: &str,
) -> AppResult<()> {
    let n = sqlx::query(
        "update valutazioni set scheda_firmata = $5, firmata_da = $6, firmata_il = now()
          where ente_id = $1 and piano_id = $2 and dipendente_id = $3 and version = $4
            and stato = 'definitiva' and scheda_firmata is null",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(dipendente)
    .bind(version)
    .bind(pdf)
    .bind(nome)
    .execute(&mut **tx)
    .await?;
    conflitto(n)
}

/// The final scheda of `dipendente` as a file (a scheda the caller may not see: 404): as
/// its evaluator signed it, or made now until they have.
pub async fn scarica_scheda(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    anno: i32,
    dipendente: Uuid,
) -> AppResult<crate::ssr::allegato::File> {
    let (piano, chiusura) = crate::api::valutazioni::guard::anno(tx, ctx, anno).await?;
    let v = scheda(tx, ctx, piano, &chiusura, dipendente).await?;
    if v.stato != Stato::Definitiva {
        return Err(AppError::NonValido(
            "La scheda si scarica quando è definitiva.".into(),
        ));
    }
    let nome = format!("scheda-{}-{}-{anno}.pdf", ctx.slug, v.matricola);
    let firmata: Option<Vec<u8>> = sqlx::query_scalar(
        "select scheda_firmata from valutazioni
          where ente_id = $1 and piano_id = $2 and dipendente_id = $3",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(dipendente)
    .fetch_one(&mut **tx)
    .await?;
    let dati = match firmata {
        Some(f) => f,
        None => tokio::task::spawn_blocking(move || scheda_pdf(&v))
            .await
            .map_err(AppError::interno)?,
    };
    Ok(crate::ssr::allegato::File {
        dati,
        nome,
        tipo: "application/pdf",
    })
}

/// Fills in and proposes the scheda of `dipendente` with `c`, whoever evaluates it: for
/// loading data that already went through the cycle elsewhere (the demo). The steps of the
/// cycle go through `passo`.
pub async fn proponi_come_importata(
    tx: &mut EnteTx,
    piano: Uuid,
    chiusura: &ChiusuraView,
    dipendente: Uuid,
    c: &Compilazione,
) -> AppResult<()> {
    let r = riga(tx, piano, dipendente).await?;
    let profilo = profilo(tx, chiusura).await?;
    let scheda_cat = *profilo.scheda(categoria(&r));
    let voti = nomina(&r, c)?;
    let calcolo = completo(tx, piano, &r, &voti, c, &scheda_cat, chiusura).await?;
    scrivi_compilazione(
        tx,
        (tx.ente_id, piano, dipendente, r.version),
        &voti,
        c,
        Some(("proposta", &calcolo)),
    )
    .await
}
