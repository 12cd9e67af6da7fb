//! SQL on the Relazione sulla Performance and its validation (`relazioni`, `validazioni`,
//! `campioni_validazione`), and what the documents are made from: the year-end results,
//! the plan's versions and their changes, the dates of the cycle. The documents themselves
//! are in `documento` (PDF/A), `odt` (OpenDocument) and `pubblicazione` (the bundle).

pub mod documento;
pub mod odt;
pub mod pubblicazione;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sqlx::types::Json;
use uuid::Uuid;

use super::allegato::File;
use super::context::{EnteCtx, EnteTx};
use crate::domain::permessi::Azione;
use crate::domain::plan::{data_label, giorno_label};
use crate::domain::versioni::Modifica;
use crate::error::{AppError, AppResult, ResultExt};
use crate::model::{
    CampioneView, ChiusuraView, EvidenzaView, PianoView, RelazioneView, ValidazioneView,
    VersioneBreve,
};

/// Said when a change reaches an adopted Relazione.
pub const ADOTTATA: &str = "La Relazione è stata adottata dalla Giunta e non si modifica più.";
/// Said when a change reaches a signed validation.
pub const FIRMATA: &str = "La validazione è stata firmata e non si modifica più.";

#[derive(sqlx::FromRow, Default)]
pub struct Riga {
    pub contesto: String,
    pub pari_opportunita: String,
    pub stato: String,
    pub delibera_numero: Option<String>,
    pub delibera_data: Option<NaiveDate>,
    pub adottata_il: Option<DateTime<Utc>>,
    pub version: i32,
}

/// The Relazione of plan `piano` (a draft with nothing saved: the defaults, version 0).
pub async fn riga(tx: &mut EnteTx, piano: Uuid) -> AppResult<Riga> {
    let r: Option<Riga> = sqlx::query_as(
        "select contesto, pari_opportunita, stato, delibera_numero, delibera_data, adottata_il, version
           from relazioni where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.unwrap_or(Riga {
        stato: "bozza".into(),
        ..Default::default()
    }))
}

const CONFLITTO: &str = "Un'altra persona ha modificato la Relazione mentre la scrivevi: il tuo testo è ancora nei campi; ricarica la pagina in un'altra scheda per vedere la versione attuale.";

/// Saves the editable chapters over `version` (0: nothing saved yet).
pub async fn salva_testi(
    tx: &mut EnteTx,
    piano: Uuid,
    version: i32,
    contesto: &str,
    pari: &str,
) -> AppResult<i32> {
    let v: Option<i32> = sqlx::query_scalar(
        "insert into relazioni as r (ente_id, piano_id, contesto, pari_opportunita)
         values ($1, $2, $4, $5)
         on conflict (ente_id, piano_id) do update
            set contesto = excluded.contesto, pari_opportunita = excluded.pari_opportunita,
                version = r.version + 1
          where r.version = $3
         returning version",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(version)
    .bind(contesto)
    .bind(pari)
    .fetch_optional(&mut **tx)
    .await
    .on_constraint("relazione_adottata_immutabile", ADOTTATA)?;
    match v {
        Some(v) if version != 0 || v == 1 => Ok(v),
        _ => Err(AppError::Conflitto(CONFLITTO.into())),
    }
}

/// Adopts the Relazione over `version` with the Giunta's delibera, keeping its PDF.
pub async fn adotta(
    tx: &mut EnteTx,
    piano: Uuid,
    version: i32,
    delibera: (&str, NaiveDate),
    pdf: &[u8],
) -> AppResult<()> {
    // Nothing saved yet (version 0): the row is made adopted; otherwise the draft becomes so.
    let sql = if version == 0 {
        "insert into relazioni (ente_id, piano_id, stato, delibera_numero, delibera_data,
                adottata_il, pdf, pdf_sha256)
         select $1, $2, 'adottata', $4, $5, now(), $6, $7 where $3::int4 = 0
         on conflict (ente_id, piano_id) do nothing"
    } else {
        "update relazioni set stato = 'adottata', delibera_numero = $4, delibera_data = $5,
                adottata_il = now(), pdf = $6, pdf_sha256 = $7, version = version + 1
          where ente_id = $1 and piano_id = $2 and version = $3 and stato = 'bozza'"
    };
    let r = sqlx::query(sql)
        .bind(tx.ente_id)
        .bind(piano)
        .bind(version)
        .bind(delibera.0)
        .bind(delibera.1)
        .bind(pdf)
        .bind(Sha256::digest(pdf).as_slice())
        .execute(&mut **tx)
        .await
        .on_constraint("relazione_adottata_immutabile", ADOTTATA)?;
    if r.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::Conflitto(CONFLITTO.into()))
    }
}

/// The adopted Relazione's PDF, as kept.
pub async fn pdf_adottato(tx: &mut EnteTx, piano: Uuid) -> AppResult<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar(
        "select pdf from relazioni where ente_id = $1 and piano_id = $2 and stato <> 'bozza'",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?
    .flatten())
}

/// What the documents are made of.
#[derive(Debug, Clone)]
pub struct Dati {
    pub chiusura: ChiusuraView,
    pub riga_contesto: String,
    pub riga_pari: String,
    pub delibera: Option<(String, NaiveDate)>,
    /// Each version after the first, with what changed from the one before.
    pub modifiche: Vec<(VersioneBreve, Vec<Modifica>)>,
    pub prima: Option<VersioneBreve>,
    /// The cycle's dates, in order.
    pub processo: Vec<(NaiveDate, String)>,
    pub ente_slug: String,
    /// The art. 20 tables of the final distribution of the premi, once there is one.
    pub premi: Option<Vec<crate::domain::premi::Art20>>,
}

/// Gathers the Relazione's content for the plan in force `p`.
pub async fn dati(tx: &mut EnteTx, ctx: &EnteCtx, p: PianoView) -> AppResult<Dati> {
    let piano = p.id;
    let chiusura = super::chiusura::del_piano(tx, ctx, p).await?;
    let r = riga(tx, piano).await?;
    let mut versioni = super::versioni::elenco(tx, piano).await?;
    versioni.sort_by_key(|v| v.numero);
    // Each version's snapshot read once, each compared with the one before.
    let mut istantanee = Vec::with_capacity(versioni.len());
    for v in &versioni {
        istantanee.push(super::versioni::carica(tx, piano, v.numero).await?);
    }
    let modifiche = versioni
        .iter()
        .skip(1)
        .zip(istantanee.windows(2))
        .map(|(v, w)| (v.clone(), crate::domain::versioni::differenze(&w[0], &w[1])))
        .collect();
    let mut processo: Vec<(NaiveDate, String)> = Vec::new();
    for v in &versioni {
        processo.push((
            v.delibera_data,
            if v.numero == 1 {
                format!(
                    "Approvazione del Piano (delibera di Giunta n. {})",
                    v.delibera_numero
                )
            } else {
                format!(
                    "Rimodulazione, versione {} (delibera di Giunta n. {}): {}",
                    v.numero, v.delibera_numero, v.motivo
                )
            },
        ));
    }
    let finale = chiusura.testata.as_ref().map(|t| t.monitoraggio_id);
    for m in super::monitoraggio::elenco(tx, piano).await? {
        processo.push((
            m.scadenze.riferimento,
            format!(
                "Monitoraggio al {}{}",
                data_label(m.scadenze.riferimento),
                match (m.chiuso_il, &m.referto_firmatario) {
                    (Some(c), Some(f)) => format!(
                        ": chiuso il {} con il referto firmato da {f}",
                        giorno_label(c)
                    ),
                    _ if Some(m.id) == finale => " (rilevazione finale)".to_string(),
                    _ => " (non chiuso)".to_string(),
                }
            ),
        ));
    }
    if let (Some(n), Some(d)) = (&r.delibera_numero, r.delibera_data) {
        processo.push((
            d,
            format!("Adozione della Relazione (delibera di Giunta n. {n})"),
        ));
    }
    let validata: Option<(Option<DateTime<Utc>>, Option<String>)> = sqlx::query_as(
        "select completata_il, esito from validazioni where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((Some(c), Some(e))) = validata {
        processo.push((
            crate::domain::calendario::data_in_italia(c),
            format!(
                "Validazione del Nucleo di Valutazione: {}",
                crate::model::esito_label(&e)
            ),
        ));
    }
    type Premi = (
        Json<Vec<crate::domain::premi::Art20>>,
        Option<DateTime<Utc>>,
    );
    let premi: Option<Premi> = sqlx::query_as(
        "select art20, definitivo_il from premi
              where ente_id = $1 and piano_id = $2 and stato = 'definitivo'",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((_, Some(il))) = &premi {
        processo.push((
            crate::domain::calendario::data_in_italia(*il),
            "Ripartizione definitiva dei premi".to_string(),
        ));
    }
    processo.sort_by_key(|x| x.0);
    Ok(Dati {
        premi: premi.map(|p| p.0 .0),
        chiusura,
        riga_contesto: r.contesto,
        riga_pari: r.pari_opportunita,
        delibera: r.delibera_numero.zip(r.delibera_data),
        prima: versioni.first().cloned(),
        modifiche,
        processo,
        ente_slug: ctx.slug.clone(),
    })
}

/// Starts the validation of plan `piano` by `componenti` members, drawing at random the
/// objectives to examine: at least 10% of them (and at least one).
pub async fn avvia_validazione(tx: &mut EnteTx, piano: Uuid, componenti: i32) -> AppResult<()> {
    let nuova = sqlx::query(
        "insert into validazioni (ente_id, piano_id, componenti) values ($1, $2, $3)
         on conflict do nothing",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(componenti)
    .execute(&mut **tx)
    .await?;
    if nuova.rows_affected() == 0 {
        return Ok(());
    }
    sqlx::query(
        "insert into campioni_validazione (ente_id, piano_id, obiettivo_id)
         select o.ente_id, $2, o.id
           from obiettivi o join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where o.ente_id = $1 and s.piano_id = $2
          order by random()
          limit greatest(1, ceil((select count(*) from obiettivi o2
                                   join strutture s2 on s2.ente_id = o2.ente_id and s2.id = o2.struttura_id
                                  where o2.ente_id = $1 and s2.piano_id = $2) * 0.1))",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records that the caller examined the evidence of a sampled objective.
pub async fn esamina(tx: &mut EnteTx, piano: Uuid, obiettivo: Uuid) -> AppResult<()> {
    let r = sqlx::query(
        "update campioni_validazione set esaminato_da = $4, esaminato_il = now()
          where ente_id = $1 and piano_id = $2 and obiettivo_id = $3 and esaminato_il is null",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(obiettivo)
    .bind(tx.user_id)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 1 {
        return Ok(());
    }
    let c: Option<Option<DateTime<Utc>>> = sqlx::query_scalar(
        "select esaminato_il from campioni_validazione
          where ente_id = $1 and piano_id = $2 and obiettivo_id = $3",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(obiettivo)
    .fetch_optional(&mut **tx)
    .await?;
    match c {
        // Examined already: nothing to add.
        Some(_) => Ok(()),
        None => Err(AppError::NonTrovato),
    }
}

/// The checklist, outcome and text of the validation, over `version`.
pub struct Esito<'a> {
    pub lista: [bool; 4],
    pub esito: &'a str,
    pub testo: &'a str,
}

pub async fn salva_esito(
    tx: &mut EnteTx,
    piano: Uuid,
    version: i32,
    e: &Esito<'_>,
) -> AppResult<i32> {
    let v: Option<i32> = sqlx::query_scalar(
        "update validazioni set conformita = $4, attendibilita = $5, comprensibilita = $6,
                modifiche_motivate = $7, esito = $8, testo = $9, version = version + 1
          where ente_id = $1 and piano_id = $2 and version = $3 and cardinality(firmatari) = 0
         returning version",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(version)
    .bind(e.lista[0])
    .bind(e.lista[1])
    .bind(e.lista[2])
    .bind(e.lista[3])
    .bind(e.esito)
    .bind(e.testo)
    .fetch_optional(&mut **tx)
    .await
    .on_constraint("validazione_completa_immutabile", FIRMATA)?;
    v.ok_or_else(|| {
        AppError::Conflitto(
            "La validazione è cambiata nel frattempo (un altro componente l'ha salvata o ha già firmato): ricarica la pagina."
                .into(),
        )
    })
}

/// The validation of plan `piano`, for the caller `me`.
pub async fn validazione(
    tx: &mut EnteTx,
    piano: Uuid,
    me: Uuid,
) -> AppResult<Option<ValidazioneView>> {
    #[derive(sqlx::FromRow)]
    struct V {
        componenti: i32,
        conformita: bool,
        attendibilita: bool,
        comprensibilita: bool,
        modifiche_motivate: bool,
        esito: Option<String>,
        testo: String,
        firmatari: Vec<Uuid>,
        nomi_firmatari: Vec<String>,
        completata_il: Option<DateTime<Utc>>,
        version: i32,
    }
    let v: Option<V> = sqlx::query_as(
        "select componenti, conformita, attendibilita, comprensibilita, modifiche_motivate, esito,
                testo, firmatari, nomi_firmatari, completata_il, version
           from validazioni where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(v) = v else { return Ok(None) };
    #[derive(sqlx::FromRow)]
    struct C {
        obiettivo_id: Uuid,
        struttura: String,
        numero: i64,
        descrizione: String,
        autore: Option<String>,
        esaminato_il: Option<DateTime<Utc>>,
    }
    let campione: Vec<C> = sqlx::query_as(
        "select c.obiettivo_id, s.nome as struttura,
                (select count(*) from obiettivi x where x.ente_id = o.ente_id
                    and x.struttura_id = o.struttura_id and x.posizione <= o.posizione) as numero,
                o.descrizione, u.display_name as autore, c.esaminato_il
           from campioni_validazione c
           join obiettivi o on o.ente_id = c.ente_id and o.id = c.obiettivo_id
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
           left join users u on u.id = c.esaminato_da
          where c.ente_id = $1 and c.piano_id = $2
          order by s.posizione, o.posizione",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    let ids: Vec<Uuid> = campione.iter().map(|c| c.obiettivo_id).collect();
    let file: Vec<(Uuid, Uuid, Uuid, String, i64, Vec<u8>)> = sqlx::query_as(
        "select obiettivo_id, monitoraggio_id, id, nome_file, dimensione, sha256 from evidenze
          where ente_id = $1 and obiettivo_id = any($2) order by caricato_il, id",
    )
    .bind(tx.ente_id)
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Some(ValidazioneView {
        componenti: v.componenti,
        conformita: v.conformita,
        attendibilita: v.attendibilita,
        comprensibilita: v.comprensibilita,
        modifiche_motivate: v.modifiche_motivate,
        esito: v.esito,
        testo: v.testo,
        campione: campione
            .into_iter()
            .map(|c| CampioneView {
                dove: format!("{} – obiettivo {}", c.struttura.trim(), c.numero),
                descrizione: c.descrizione,
                evidenze: file
                    .iter()
                    .filter(|f| f.0 == c.obiettivo_id)
                    .map(|f| {
                        (
                            f.1,
                            EvidenzaView {
                                id: f.2,
                                nome_file: f.3.clone(),
                                dimensione: f.4,
                                sha256: hex::encode(&f.5),
                            },
                        )
                    })
                    .collect(),
                esaminato: c.esaminato_il.map(|q| (c.autore.unwrap_or_default(), q)),
                obiettivo_id: c.obiettivo_id,
            })
            .collect(),
        firmata_da_me: v.firmatari.contains(&me),
        firmatari: v.nomi_firmatari,
        completata_il: v.completata_il,
        version: v.version,
    }))
}

/// The validation document as signed so far (None before the first signature), and
/// whether every member has signed it.
pub async fn documento_validazione(
    tx: &mut EnteTx,
    piano: Uuid,
) -> AppResult<Option<(Vec<u8>, bool)>> {
    let r: Option<(Option<Vec<u8>>, bool)> = sqlx::query_as(
        "select documento, completata_il is not null from validazioni
          where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.and_then(|(d, completa)| d.map(|d| (d, completa))))
}

/// Keeps the document with one more signature, over `version`; the last member's completes
/// the validation and, unless it is «non validata», makes the Relazione «validata».
pub async fn firma(
    tx: &mut EnteTx,
    piano: Uuid,
    version: i32,
    documento: &[u8],
    nome: &str,
) -> AppResult<bool> {
    let completa: Option<bool> = sqlx::query_scalar(
        "update validazioni set documento = $4, documento_sha256 = $5,
                firmatari = firmatari || $6, nomi_firmatari = nomi_firmatari || $7,
                completata_il = case when cardinality(firmatari) + 1 = componenti then now() end,
                version = version + 1
          where ente_id = $1 and piano_id = $2 and version = $3 and not ($6 = any(firmatari))
         returning completata_il is not null",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(version)
    .bind(documento)
    .bind(Sha256::digest(documento).as_slice())
    .bind(tx.user_id)
    .bind(nome.chars().take(500).collect::<String>())
    .fetch_optional(&mut **tx)
    .await
    .on_constraint("validazione_completa_immutabile", FIRMATA)?;
    let completa = completa.ok_or_else(|| {
        AppError::Conflitto(
            "La validazione è cambiata nel frattempo (o l'hai già firmata): ricarica la pagina."
                .into(),
        )
    })?;
    if completa {
        sqlx::query(
            "update relazioni set stato = 'validata', version = version + 1
              where ente_id = $1 and piano_id = $2
                and (select esito from validazioni where ente_id = $1 and piano_id = $2) <> 'non_validata'",
        )
        .bind(tx.ente_id)
        .bind(piano)
        .execute(&mut **tx)
        .await?;
    }
    Ok(completa)
}

/// The Relazione's page for the caller.
pub async fn vista(tx: &mut EnteTx, ctx: &EnteCtx, anno: i32) -> AppResult<RelazioneView> {
    let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
    let piano = p.id;
    let chiusura = super::chiusura::del_piano(tx, ctx, p).await?;
    let r = riga(tx, piano).await?;
    Ok(RelazioneView {
        anno,
        ente_nome: chiusura.ente_nome.clone(),
        stato: r.stato,
        contesto: r.contesto,
        pari_opportunita: r.pari_opportunita,
        delibera_numero: r.delibera_numero,
        delibera_data: r.delibera_data,
        version: r.version,
        risultati_completi: chiusura.ente.is_some(),
        avviata: chiusura.testata.is_some(),
        puo_modificare: ctx.role.puo(Azione::ImpostareValutazione),
        nucleo: ctx.role.puo(Azione::ValidareRisultati),
        validazione: validazione(tx, piano, ctx.caller.user_id).await?,
    })
}

/// The files' names: `relazione-performance-{slug}-{anno}`.
pub fn nome_base(slug: &str, anno: i32) -> String {
    format!("relazione-performance-{slug}-{anno}")
}

/// The Relazione's PDF: as adopted, or a draft marked BOZZA made now.
pub async fn scarica_pdf(tx: &mut EnteTx, ctx: &EnteCtx, anno: i32) -> AppResult<File> {
    let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
    let base = nome_base(&ctx.slug, anno);
    if let Some(pdf) = pdf_adottato(tx, p.id).await? {
        return Ok(File {
            dati: pdf,
            nome: format!("{base}.pdf"),
            tipo: "application/pdf",
        });
    }
    let d = dati(tx, ctx, p).await?;
    let pdf = tokio::task::spawn_blocking(move || documento::relazione(&d, Utc::now()))
        .await
        .map_err(AppError::interno)?;
    Ok(File {
        dati: pdf,
        nome: format!("{base}-bozza.pdf"),
        tipo: "application/pdf",
    })
}

/// The Relazione as OpenDocument text, made now from the same content.
pub async fn scarica_odt(tx: &mut EnteTx, ctx: &EnteCtx, anno: i32) -> AppResult<File> {
    let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
    let d = dati(tx, ctx, p).await?;
    Ok(File {
        dati: odt::relazione(&d)?,
        nome: format!("{}.odt", nome_base(&ctx.slug, anno)),
        tipo: "application/vnd.oasis.opendocument.text",
    })
}

/// The validation document, once signed by its first member.
pub async fn scarica_validazione(tx: &mut EnteTx, ctx: &EnteCtx, anno: i32) -> AppResult<File> {
    let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
    let (pdf, _) = documento_validazione(tx, p.id)
        .await?
        .ok_or(AppError::NonTrovato)?;
    Ok(File {
        dati: pdf,
        nome: format!("validazione-relazione-{}-{anno}.pdf", ctx.slug),
        tipo: "application/pdf",
    })
}

/// The publication bundle: the plan, the adopted Relazione, the signed validation (once
/// complete), the results as CSV, with LEGGIMI.txt and SHA256SUMS.
pub async fn scarica_pubblicazione(tx: &mut EnteTx, ctx: &EnteCtx, anno: i32) -> AppResult<File> {
    let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
    let relazione = pdf_adottato(tx, p.id).await?.ok_or_else(|| {
        AppError::NonValido(
            "Il pacchetto per la pubblicazione si scarica dopo l'adozione della Relazione.".into(),
        )
    })?;
    let validazione = documento_validazione(tx, p.id).await?;
    let chiusura = super::chiusura::del_piano(tx, ctx, p).await?;
    let piano = super::allegato::scarica(tx, ctx, anno).await?;
    let base = nome_base(&ctx.slug, anno);
    let csv_nome = format!("risultati-{}-{anno}.csv", ctx.slug);
    let mut file = vec![(piano.nome, piano.dati), (format!("{base}.pdf"), relazione)];
    // The validation goes out only once every member has signed it.
    if let Some((v, true)) = validazione {
        file.push((format!("validazione-relazione-{}-{anno}.pdf", ctx.slug), v));
    }
    file.push((csv_nome.clone(), pubblicazione::csv(&chiusura)?));
    let ente = chiusura.ente_nome.clone();
    let dati =
        tokio::task::spawn_blocking(move || pubblicazione::zip(&ente, anno, file, &csv_nome))
            .await
            .map_err(AppError::interno)??;
    Ok(File {
        dati,
        nome: format!("pubblicazione-{}-{anno}.zip", ctx.slug),
        tipo: "application/zip",
    })
}
