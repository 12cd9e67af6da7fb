//! The firm's cockpit: every ente of the firm for a year, read together (a fixed number of
//! queries whatever the number of enti), filtered, sorted and paged here.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::context::UserTx;
use super::scadenze;
use crate::domain::peso::Peso;
use crate::domain::plan::{data_label, violazioni, FaseDoc, ObiettivoDoc, PianoDoc, StrutturaDoc};
use crate::domain::scadenze as regole;
use crate::error::AppResult;
use crate::model::{CruscottoView, RigaCruscotto, StatoPiano};

/// Enti per page.
pub const PER_PAGINA: usize = 25;

/// An ente of the firm, as the door read it.
#[derive(Debug, Clone)]
pub struct EnteDelloStudio {
    pub id: Uuid,
    pub slug: String,
    pub nome: String,
    pub provincia: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ordine {
    #[default]
    Nome,
    Scadenza,
    Stato,
}

impl Ordine {
    pub fn da_codice(s: &str) -> Ordine {
        match s {
            "scadenza" => Ordine::Scadenza,
            "stato" => Ordine::Stato,
            _ => Ordine::Nome,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Filtri {
    pub anno: Option<i32>,
    pub stato: Option<StatoPiano>,
    pub provincia: Option<String>,
    pub in_ritardo: bool,
    pub ordine: Ordine,
    /// From 1; `None`: every ente (the exports).
    pub pagina: Option<usize>,
}

impl Filtri {
    /// From the page's query (every value as typed; anything unreadable is no filter).
    pub fn da_testo(
        anno: &str,
        stato: &str,
        provincia: &str,
        ritardo: &str,
        ordine: &str,
        pagina: &str,
    ) -> Filtri {
        Filtri {
            anno: anno
                .trim()
                .parse()
                .ok()
                .filter(|a| (2000..=2100).contains(a)),
            stato: StatoPiano::da_codice(stato.trim()),
            provincia: Some(provincia.trim().to_string()).filter(|p| !p.is_empty()),
            in_ritardo: matches!(ritardo, "on" | "true" | "1"),
            ordine: Ordine::da_codice(ordine.trim()),
            pagina: Some(pagina.trim().parse().unwrap_or(1)),
        }
    }
}

/// The years with a plan in some ente of the firm, newest first.
async fn anni(tx: &mut UserTx, enti: &[Uuid]) -> AppResult<Vec<i32>> {
    Ok(sqlx::query_scalar(
        "select distinct anno from piani where ente_id = any ($1) order by anno desc",
    )
    .bind(enti)
    .fetch_all(&mut **tx)
    .await?)
}

type Sintesi = (
    Uuid,
    Option<Uuid>,
    Option<String>,
    bool,
    bool,
    i64,
    i64,
    i64,
    bool,
);

/// Per ente: the plan, its state, templates with news, staff completeness, next year's plan.
async fn sintesi(tx: &mut UserTx, enti: &[Uuid], anno: i32) -> AppResult<Vec<Sintesi>> {
    Ok(sqlx::query_as(
        "select e.id, p.id, p.stato, coalesce(p.rimodulazione_motivo is not null, false),
                exists (select 1 from allegati_firmati af where af.ente_id = e.id and af.piano_id = p.id),
                (select count(*) from obiettivi o
                   join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
                   join modelli m on m.id = o.modello_id
                  where o.ente_id = e.id and s.piano_id = p.id
                    and m.versione_corrente > greatest(o.modello_versione, coalesce(o.modello_ignorata, 0))),
                coalesce(pers.completi, 0), coalesce(pers.assegnati, 0),
                exists (select 1 from piani q where q.ente_id = e.id and q.anno = $1 + 1)
           from enti e
           left join piani p on p.ente_id = e.id and p.anno = $1
           left join lateral (
                select count(*) filter (where t.totale = 100) as completi, count(*) as assegnati
                  from (select sum(a.peso) as totale from assegnazioni a
                          join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
                          join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
                         where a.ente_id = e.id and s.piano_id = p.id
                         group by a.dipendente_id) t) pers on true
          where e.id = any ($2)",
    )
    .bind(anno)
    .bind(enti)
    .fetch_all(&mut **tx)
    .await?)
}

type RigaDoc = (
    Uuid,
    Uuid,
    String,
    Option<Uuid>,
    Option<String>,
    Option<i32>,
    Option<NaiveDate>,
    Option<bool>,
    Option<String>,
    Option<i32>,
    Option<NaiveDate>,
    Option<bool>,
);

/// The plans `piani` as the rules read them, in one query.
async fn documenti(
    tx: &mut UserTx,
    enti: &[Uuid],
    piani: &[Uuid],
    anno: i32,
) -> AppResult<HashMap<Uuid, PianoDoc>> {
    let rows: Vec<RigaDoc> = sqlx::query_as(
        "select s.piano_id, s.id, s.nome, o.id, o.descrizione, (o.peso * 100)::int4, o.data_fine,
                o.data_confermata, f.descrizione, (f.peso * 100)::int4, f.data_fine, f.data_confermata
           from strutture s
           left join obiettivi o on o.ente_id = s.ente_id and o.struttura_id = s.id
           left join fasi f on f.ente_id = o.ente_id and f.obiettivo_id = o.id
          where s.ente_id = any ($1) and s.piano_id = any ($2)
          order by s.piano_id, s.posizione, s.id, o.posizione, o.id, f.posizione",
    )
    .bind(enti)
    .bind(piani)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: HashMap<Uuid, PianoDoc> = HashMap::new();
    let (mut struttura, mut obiettivo) = (None, None);
    for (piano, s, nome, o, od, op, odf, oc, fd, fp, fdf, fc) in rows {
        let doc = out.entry(piano).or_insert_with(|| PianoDoc {
            anno,
            strutture: Vec::new(),
        });
        if struttura != Some(s) {
            struttura = Some(s);
            obiettivo = None;
            doc.strutture.push(StrutturaDoc {
                nome,
                obiettivi: Vec::new(),
            });
        }
        let st = doc.strutture.last_mut().expect("pushed above");
        let Some(o) = o else { continue };
        if obiettivo != Some(o) {
            obiettivo = Some(o);
            st.obiettivi.push(ObiettivoDoc {
                descrizione: od.unwrap_or_default(),
                peso: op.map(|p| Peso(p as u32)),
                data_fine: odf,
                data_confermata: oc.unwrap_or(false),
                fasi: Vec::new(),
            });
        }
        if let Some(descrizione) = fd {
            let ob = st.obiettivi.last_mut().expect("pushed above");
            ob.fasi.push(FaseDoc {
                descrizione,
                peso: fp.map(|p| Peso(p as u32)),
                data_fine: fdf,
                data_confermata: fc.unwrap_or(false),
            });
        }
    }
    Ok(out)
}

/// The monitoring checkpoint that matters today: the latest already reached, else the first.
fn monitoraggio_corrente(f: &regole::Fatti, oggi: NaiveDate) -> Option<String> {
    let m = f
        .monitoraggi
        .iter()
        .rev()
        .find(|m| m.data <= oggi)
        .or(f.monitoraggi.first())?;
    let stato = if m.chiuso {
        "chiuso con il referto".to_string()
    } else if m.aperte == 0 {
        "schede inviate, al Nucleo".to_string()
    } else if m.aperte == 1 {
        "1 scheda da inviare".to_string()
    } else {
        format!("{} schede da inviare", m.aperte)
    };
    Some(format!("{}: {stato}", data_label(m.data)))
}

/// The cockpit of the firm whose enti are `enti` (the door set them for the policies).
pub async fn vista(
    tx: &mut UserTx,
    enti: &[EnteDelloStudio],
    filtri: &Filtri,
    oggi: NaiveDate,
) -> AppResult<CruscottoView> {
    use crate::domain::scadenze::{giorni_a, prossima, scadenze as scadenze_di};
    let ids: Vec<Uuid> = enti.iter().map(|e| e.id).collect();
    let anni = anni(tx, &ids).await?;
    let anno = filtri
        .anno
        .or(anni.first().copied())
        .unwrap_or(chrono::Datelike::year(&oggi));
    let sintesi: HashMap<Uuid, Sintesi> = sintesi(tx, &ids, anno)
        .await?
        .into_iter()
        .map(|s| (s.0, s))
        .collect();
    let mut fatti = scadenze::fatti(tx, &ids, anno).await?;
    let mut tutte = Vec::with_capacity(enti.len());
    for e in enti {
        let Some(&(_, piano, ref stato, rimod, firmato, modelli_nuovi, completi, assegnati, succ)) =
            sintesi.get(&e.id)
        else {
            continue;
        };
        let stato = match (piano, stato.as_deref()) {
            (None, _) => StatoPiano::Nessuno,
            (Some(_), Some("approvato")) if firmato => StatoPiano::Firmato,
            (Some(_), Some("approvato")) => StatoPiano::Approvato,
            (Some(_), _) if rimod => StatoPiano::Rimodulazione,
            _ => StatoPiano::Bozza,
        };
        let f = fatti.remove(&e.id).unwrap_or(regole::Fatti {
            anno,
            ..Default::default()
        });
        let lista = scadenze_di(&f);
        let prossima = prossima(&lista);
        tutte.push((
            piano,
            RigaCruscotto {
                slug: e.slug.clone(),
                nome: e.nome.clone(),
                provincia: e.provincia.clone(),
                stato,
                violazioni: 0,
                modelli_nuovi,
                personale_completo: completi,
                personale_assegnato: assegnati,
                monitoraggio: monitoraggio_corrente(&f, oggi),
                prossima: prossima.map(|s| (s.titolo.clone(), s.data, giorni_a(oggi, s.data))),
                pagina_scadenza: prossima.map(|s| format!("/e/{}/{}", e.slug, s.pagina)),
                piano_successivo: succ,
            },
        ));
    }
    let in_ritardo = |r: &RigaCruscotto| r.prossima.as_ref().is_some_and(|p| p.2 < 0);
    let per_stato = StatoPiano::TUTTI
        .into_iter()
        .map(|s| (s, tutte.iter().filter(|(_, r)| r.stato == s).count()))
        .collect();
    let ritardi = tutte.iter().filter(|(_, r)| in_ritardo(r)).count();
    let mut province: Vec<String> = enti.iter().map(|e| e.provincia.clone()).collect();
    province.sort();
    province.dedup();
    province.retain(|p| !p.is_empty());
    let totale = tutte.len();
    tutte.retain(|(_, r)| {
        filtri.stato.is_none_or(|s| r.stato == s)
            && filtri.provincia.as_ref().is_none_or(|p| &r.provincia == p)
            && (!filtri.in_ritardo || in_ritardo(r))
    });
    match filtri.ordine {
        Ordine::Nome => tutte.sort_by(|a, b| a.1.nome.cmp(&b.1.nome)),
        Ordine::Scadenza => tutte.sort_by_key(|(_, r)| {
            (
                r.prossima.as_ref().map(|p| p.1).unwrap_or(NaiveDate::MAX),
                r.nome.clone(),
            )
        }),
        Ordine::Stato => tutte.sort_by_key(|(_, r)| (r.stato as u8, r.nome.clone())),
    }
    let trovati = tutte.len();
    let pagine = trovati.div_ceil(PER_PAGINA).max(1);
    let (pagina, mostrate) = match filtri.pagina {
        Some(p) => {
            let p = p.clamp(1, pagine);
            let da = (p - 1) * PER_PAGINA;
            (
                p,
                tutte
                    .into_iter()
                    .skip(da)
                    .take(PER_PAGINA)
                    .collect::<Vec<_>>(),
            )
        }
        None => (1, tutte),
    };
    let piani: Vec<Uuid> = mostrate.iter().filter_map(|(p, _)| *p).collect();
    let docs = documenti(tx, &ids, &piani, anno).await?;
    let righe = mostrate
        .into_iter()
        .map(|(piano, mut r)| {
            if let Some(doc) = piano.and_then(|p| docs.get(&p)) {
                r.violazioni = violazioni(doc).len();
            }
            r
        })
        .collect();
    Ok(CruscottoView {
        anno,
        anni,
        righe,
        trovati,
        totale,
        pagina,
        pagine,
        per_stato,
        in_ritardo: ritardi,
        province,
    })
}
