//! The PEG attachment: the PDF (`documento`, `pdf`, `font`), its signatures (`firma`), the
//! check of copies signed elsewhere (`verifica`), the signing key at rest (`custodia`), and
//! here the SQL and the steps that tie them together. Server side only.

pub mod custodia;
pub mod documento;
pub mod firma;
pub mod font;
pub mod pdf;
pub mod verifica;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use self::custodia::ChiaveFirme;
use self::documento::{DatiAllegato, Firmatario as NomeFirmatario, RigaDipendente};
use self::firma::{ErroreFirma, FirmatarioLocale};
use super::context::{EnteCtx, EnteTx};
use crate::domain::permessi::Azione;
use crate::domain::peso::Peso;
use crate::error::{AppError, AppResult};
use crate::model::{AllegatoStato, FirmaInfo, FirmatoView, FormatoFirma, PianoView};

impl From<ErroreFirma> for AppError {
    fn from(e: ErroreFirma) -> Self {
        match e {
            ErroreFirma::Utente(m) => AppError::NonValido(m),
            ErroreFirma::Interno(m) => {
                tracing::error!(error = %m, "signature");
                AppError::Interno
            }
        }
    }
}

pub async fn provincia(tx: &mut EnteTx) -> AppResult<String> {
    Ok(
        sqlx::query_scalar("select provincia from enti where id = $1")
            .bind(tx.ente_id)
            .fetch_one(&mut **tx)
            .await?,
    )
}

type RigaDipendenteRow = (Uuid, String, i32, String, Option<i32>);

/// "Dipendenti coinvolti sugli obiettivi" of every struttura, by employee then objective.
pub async fn dipendenti(
    tx: &mut EnteTx,
    piano: Uuid,
) -> AppResult<HashMap<Uuid, Vec<RigaDipendente>>> {
    let rows: Vec<RigaDipendenteRow> = sqlx::query_as(
        "select s.id, d.cognome || ' ' || d.nome || ' (' || d.matricola || ')', o.posizione,
                o.descrizione, (a.peso * 100)::int4
           from assegnazioni a
           join dipendenti d on d.ente_id = a.ente_id and d.id = a.dipendente_id
           join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where a.ente_id = $1 and s.piano_id = $2
          order by s.posizione, d.cognome, d.nome, d.matricola, o.posizione",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: HashMap<Uuid, Vec<RigaDipendente>> = HashMap::new();
    for (s, dipendente, obiettivo, descrizione, peso) in rows {
        out.entry(s).or_default().push(RigaDipendente {
            dipendente,
            obiettivo,
            descrizione,
            peso: peso.map(|p| Peso(p as u32)),
        });
    }
    Ok(out)
}

struct FirmaRow {
    firmatario: String,
    ruolo: String,
    soggetto: String,
    emittente: String,
    valido_al: DateTime<Utc>,
    certificati: Vec<Vec<u8>>,
    chiave_cifrata: Vec<u8>,
}

async fn firma_row(tx: &mut EnteTx) -> AppResult<Option<FirmaRow>> {
    type Row = (
        String,
        String,
        String,
        String,
        DateTime<Utc>,
        Vec<Vec<u8>>,
        Vec<u8>,
    );
    let r: Option<Row> = sqlx::query_as(
        "select firmatario, ruolo, soggetto, emittente, valido_al, certificati, chiave_cifrata
           from firme_ente where ente_id = $1",
    )
    .bind(tx.ente_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(
        |(firmatario, ruolo, soggetto, emittente, valido_al, certificati, chiave_cifrata)| {
            FirmaRow {
                firmatario,
                ruolo,
                soggetto,
                emittente,
                valido_al,
                certificati,
                chiave_cifrata,
            }
        },
    ))
}

pub async fn firma_info(tx: &mut EnteTx) -> AppResult<Option<FirmaInfo>> {
    Ok(firma_row(tx).await?.map(|r| FirmaInfo {
        firmatario: r.firmatario,
        ruolo: r.ruolo,
        soggetto: r.soggetto,
        emittente: r.emittente,
        valido_al: crate::domain::calendario::data_in_italia(r.valido_al),
    }))
}

/// The ente's signer (key decrypted in memory for this request only) and the name and role
/// to show.
async fn firmatario(
    tx: &mut EnteTx,
    chiave: &ChiaveFirme,
) -> AppResult<(FirmatarioLocale, NomeFirmatario)> {
    let r = firma_row(tx).await?.ok_or_else(|| {
        AppError::NonValido(
            "Nessun certificato di firma configurato per l'ente: un amministratore può caricarlo (file .p12/.pfx) nella pagina del piano.".into(),
        )
    })?;
    if r.valido_al < Utc::now() {
        return Err(AppError::NonValido(
            "Il certificato di firma dell'ente è scaduto: caricane uno valido.".into(),
        ));
    }
    let pkcs8 = chiave
        .decifra(tx.ente_id, &r.chiave_cifrata)
        .ok_or_else(|| {
            tracing::error!("the ente's signing key does not decrypt with the configured OBIETTIVI_SIGNING_KEY");
            AppError::NonValido(
                "La chiave di firma dell'ente non è utilizzabile con la configurazione attuale del server: caricala di nuovo.".into(),
            )
        })?;
    let f = FirmatarioLocale::new(&pkcs8, &r.certificati)?;
    Ok((
        f,
        NomeFirmatario {
            nome: r.firmatario,
            ruolo: r.ruolo,
        },
    ))
}

fn nome_di(nome: &x509_cert::name::Name) -> String {
    nome.to_string()
}

/// Reads a PKCS#12 file and stores its key (encrypted) and certificates as the ente's
/// signing certificate, replacing any previous one.
pub async fn salva_firma(
    tx: &mut EnteTx,
    chiave: &ChiaveFirme,
    p12: &[u8],
    password: &str,
    firmatario: &str,
    ruolo: &str,
) -> AppResult<FirmaInfo> {
    // Key derivation from the password takes CPU time: off the async threads.
    let (p12, password) = (p12.to_vec(), password.to_string());
    let (pkcs8, certificati) =
        tokio::task::spawn_blocking(move || FirmatarioLocale::da_pkcs12(&p12, &password))
            .await
            .map_err(AppError::interno)??;
    salva_chiave(tx, chiave, &pkcs8, &certificati, firmatario, ruolo).await
}

pub async fn salva_chiave(
    tx: &mut EnteTx,
    chiave: &ChiaveFirme,
    pkcs8: &[u8],
    certificati: &[Vec<u8>],
    firmatario: &str,
    ruolo: &str,
) -> AppResult<FirmaInfo> {
    use der::Encode;
    use firma::Firmatario;
    let f = FirmatarioLocale::new(pkcs8, certificati)?;
    let cert = &f.catena()[0];
    let validita = &cert.tbs_certificate.validity;
    let dal = DateTime::from_timestamp(validita.not_before.to_unix_duration().as_secs() as i64, 0)
        .unwrap_or_default();
    let al = DateTime::from_timestamp(validita.not_after.to_unix_duration().as_secs() as i64, 0)
        .unwrap_or_default();
    if al < Utc::now() {
        return Err(AppError::NonValido(
            "Il certificato è scaduto: carica un certificato valido.".into(),
        ));
    }
    let soggetto = nome_di(&cert.tbs_certificate.subject);
    let emittente = nome_di(&cert.tbs_certificate.issuer);
    let firmatario = match firmatario.trim() {
        "" => verifica::nome_comune(cert),
        f => f.to_string(),
    };
    let ruolo = match ruolo.trim() {
        "" => "Segretario Generale".to_string(),
        r => r.to_string(),
    };
    if firmatario.chars().count() > 200 || ruolo.chars().count() > 200 {
        return Err(AppError::NonValido(
            "Nome e ruolo del firmatario: al massimo 200 caratteri.".into(),
        ));
    }
    let catena: Vec<Vec<u8>> = f
        .catena()
        .iter()
        .map(|c| c.to_der().unwrap_or_default())
        .collect();
    let cifrata = chiave.cifra(tx.ente_id, pkcs8);
    sqlx::query(
        "insert into firme_ente (ente_id, firmatario, ruolo, soggetto, emittente, valido_dal, valido_al,
                                 certificati, chiave_cifrata, caricato_da)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (ente_id) do update set firmatario = excluded.firmatario, ruolo = excluded.ruolo,
             soggetto = excluded.soggetto, emittente = excluded.emittente, valido_dal = excluded.valido_dal,
             valido_al = excluded.valido_al, certificati = excluded.certificati,
             chiave_cifrata = excluded.chiave_cifrata, caricato_da = excluded.caricato_da, caricato_il = now()",
    )
    .bind(tx.ente_id)
    .bind(&firmatario)
    .bind(&ruolo)
    .bind(soggetto.chars().take(1000).collect::<String>())
    .bind(emittente.chars().take(1000).collect::<String>())
    .bind(dal)
    .bind(al)
    .bind(&catena)
    .bind(&cifrata)
    .bind((!tx.user_id.is_nil()).then_some(tx.user_id))
    .execute(&mut **tx)
    .await?;
    firma_info(tx).await?.ok_or(AppError::Interno)
}

pub async fn rimuovi_firma(tx: &mut EnteTx) -> AppResult<()> {
    let r = sqlx::query("delete from firme_ente where ente_id = $1")
        .bind(tx.ente_id)
        .execute(&mut **tx)
        .await?;
    super::one_row(r)
}

/// Records an export of the plan (its SHA-256 and size, to recognise a signed copy later),
/// with its bytes when it is the final PDF. Returns the record's id.
async fn registra(
    tx: &mut EnteTx,
    piano: &PianoView,
    tipo: &str,
    pdf: &[u8],
    conserva: bool,
) -> AppResult<Uuid> {
    let h = Sha256::digest(pdf);
    Ok(sqlx::query_scalar(
        "insert into allegati_esportati (ente_id, piano_id, piano_version, tipo, sha256, dimensione,
                                         esportato_da, contenuto)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (ente_id, piano_id, sha256) do update set dimensione = excluded.dimensione
         returning id",
    )
    .bind(tx.ente_id)
    .bind(piano.id)
    .bind(piano.version)
    .bind(tipo)
    .bind(h.as_slice())
    .bind(pdf.len() as i64)
    .bind((!tx.user_id.is_nil()).then_some(tx.user_id))
    .bind(conserva.then_some(pdf))
    .fetch_one(&mut **tx)
    .await?)
}

/// Everything the PDF shows, from the database.
pub async fn dati(
    tx: &mut EnteTx,
    piano: PianoView,
    firmatario: Option<NomeFirmatario>,
) -> AppResult<DatiAllegato> {
    Ok(DatiAllegato {
        provincia: provincia(tx).await?,
        dipendenti: dipendenti(tx, piano.id).await?,
        piano,
        firmatario,
        creato: Utc::now(),
    })
}

async fn componi(dati: DatiAllegato) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || documento::componi(&dati))
        .await
        .map_err(AppError::interno)
}

/// A file to send: bytes, file name, content type.
pub struct File {
    pub dati: Vec<u8>,
    pub nome: String,
    pub tipo: &'static str,
}

/// The files' names start with the ente and the year: `piano-obiettivi-{slug}-{anno}`.
fn nome_base(ctx: &EnteCtx, anno: i32) -> String {
    format!("piano-obiettivi-{}-{}", ctx.slug, anno)
}

/// The stored final PDF of the plan's current version, if it was made.
async fn finale(tx: &mut EnteTx, piano: &PianoView) -> AppResult<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar(
        "select contenuto from allegati_esportati
          where ente_id = $1 and piano_id = $2 and piano_version = $3 and contenuto is not null",
    )
    .bind(tx.ente_id)
    .bind(piano.id)
    .bind(piano.version)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Makes and keeps the final PDF of the approved plan of `anno`, unless its current version
/// has one already; says whether it made one. Called with the plan row locked (in the
/// approval's transaction, or at start-up).
pub async fn produci_finale(tx: &mut EnteTx, anno: i32) -> AppResult<bool> {
    let piano = super::piani::carica(tx, anno)
        .await?
        .ok_or(AppError::NonTrovato)?;
    if !piano.approvato || finale(tx, &piano).await?.is_some() {
        return Ok(false);
    }
    let pdf = componi(dati(tx, piano.clone(), None).await?).await?;
    registra(tx, &piano, "pdf", &pdf, true).await?;
    Ok(true)
}

/// Makes the final PDFs missing for approved plans (plans approved before they were kept,
/// or outside the application): run at start-up, so that a download never has to.
pub async fn completa_finali(pool: &sqlx::PgPool) -> AppResult<usize> {
    // One query finds them all (ente by ente inside the database); each is then made in a
    // transaction of its ente.
    let mut tx = super::context::inizia(pool, None).await?;
    super::imposta(&mut tx, "app.platform_admin", "on").await?;
    let mancanti: Vec<(Uuid, i32)> =
        sqlx::query_as("select ente_id, anno from app_piani_senza_finale()")
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    let mut fatti = 0;
    for (ente_id, anno) in mancanti {
        let mut tx = super::context::inizia(pool, None).await?;
        super::imposta(&mut tx, "app.ente_id", &ente_id.to_string()).await?;
        let mut tx = EnteTx::new(tx, ente_id, Uuid::nil()).await?;
        // Another server starting at the same time waits here, then finds it made.
        super::piani::blocca(&mut tx, anno).await?;
        if produci_finale(&mut tx, anno).await? {
            fatti += 1;
        }
        tx.commit().await?;
    }
    Ok(fatti)
}

/// The plan's PDF: the final one kept at approval, or a draft marked BOZZA made now (and not
/// recorded: a draft is never signed nor archived).
pub async fn scarica(tx: &mut EnteTx, ctx: &EnteCtx, anno: i32) -> AppResult<File> {
    let (id, version, approvato): (Uuid, i32, bool) = sqlx::query_as(
        "select id, version, stato = 'approvato' from piani where ente_id = $1 and anno = $2",
    )
    .bind(tx.ente_id)
    .bind(anno)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NonTrovato)?;
    let base = nome_base(ctx, anno);
    let file = if approvato {
        let pdf = finale_di(tx, id, version).await?.ok_or_else(|| {
            tracing::error!(anno, "approved plan without its final PDF");
            AppError::NonTrovato
        })?;
        File {
            dati: pdf,
            nome: format!("{base}.pdf"),
            tipo: "application/pdf",
        }
    } else {
        let piano = super::piani::carica(tx, anno)
            .await?
            .ok_or(AppError::NonTrovato)?;
        File {
            dati: componi(dati(tx, piano, None).await?).await?,
            nome: format!("{base}-bozza.pdf"),
            tipo: "application/pdf",
        }
    };
    Ok(file)
}

/// The final PDF of plan `id` approved at `version`: from memory once read (its bytes never
/// change: made once at the approval, under the version's key), the first time from the
/// database, and kept if this transaction has written nothing (an approval that may still
/// roll back is never kept).
async fn finale_di(tx: &mut EnteTx, id: Uuid, version: i32) -> AppResult<Option<Vec<u8>>> {
    if let Some(pdf) = super::approvati::finale(id, version) {
        return Ok(Some(pdf));
    }
    let r: Option<(Vec<u8>, bool)> = sqlx::query_as(
        "select contenuto, txid_current_if_assigned() is null from allegati_esportati
          where ente_id = $1 and piano_id = $2 and piano_version = $3 and contenuto is not null",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(version)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|(pdf, sola_lettura)| {
        if sola_lettura {
            super::approvati::conserva_finale(id, version, &pdf);
        }
        pdf
    }))
}

/// Signs the approved plan's PDF here with the ente's certificate (PAdES, or a CAdES .p7m
/// envelope) and keeps the signed file in the archive of signed copies.
pub async fn firma(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    chiave: &ChiaveFirme,
    anno: i32,
    formato: FormatoFirma,
) -> AppResult<FirmatoView> {
    let piano = super::piani::carica(tx, anno)
        .await?
        .ok_or(AppError::NonTrovato)?;
    if !piano.approvato {
        return Err(AppError::NonValido(
            "Solo un piano approvato si firma: approvalo prima.".into(),
        ));
    }
    let (f, nome) = firmatario(tx, chiave).await?;
    let motivo = format!("Approvazione del Piano degli Obiettivi {}", piano.anno);
    let firmatario_nome = nome.nome.clone();
    let titolare = {
        use firma::Firmatario;
        verifica::nome_comune(&f.catena()[0])
    };
    let pdf = componi(dati(tx, piano.clone(), Some(nome)).await?).await?;
    // What was signed is recorded: the PDF with the signer's name, which the PAdES file
    // starts with and the .p7m envelops.
    let esportato = registra(tx, &piano, formato.db(), &pdf, false).await?;
    let file = tokio::task::spawn_blocking(move || match formato {
        FormatoFirma::Pades => firma::pades(&f, pdf, &firmatario_nome, &motivo),
        FormatoFirma::Cades => firma::cades(&f, &pdf),
    })
    .await
    .map_err(AppError::interno)??;
    let base = nome_base(ctx, anno);
    let nome_file = match formato {
        FormatoFirma::Pades => format!("{base}-firmato.pdf"),
        FormatoFirma::Cades => format!("{base}.pdf.p7m"),
    };
    let id = inserisci_firmato(
        tx,
        &Firmato {
            piano: piano.id,
            esportato,
            nome: &nome_file,
            formato: formato.db(),
            dati: &file,
            firmatario: &titolare,
            firmato_il: Some(Utc::now()),
        },
    )
    .await?
    .ok_or(AppError::Interno)?;
    super::users::audit(
        tx,
        "allegato_firmato",
        serde_json::json!({ "anno": anno, "formato": formato.db() }),
    )
    .await?;
    copia_archiviata(tx, piano.id, id).await
}

/// The archive's line of the copy `id`, just added.
async fn copia_archiviata(tx: &mut EnteTx, piano: Uuid, id: Uuid) -> AppResult<FirmatoView> {
    archivio(tx, piano)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or_else(|| AppError::interno("archived copy not found right after its insert"))
}

/// A signed copy about to enter the archive.
struct Firmato<'a> {
    piano: Uuid,
    esportato: Uuid,
    nome: &'a str,
    formato: &'a str,
    dati: &'a [u8],
    firmatario: &'a str,
    firmato_il: Option<DateTime<Utc>>,
}

/// Adds a signed copy to the archive; `None` when the same file is there already.
async fn inserisci_firmato(tx: &mut EnteTx, f: &Firmato<'_>) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "insert into allegati_firmati (ente_id, piano_id, esportato_id, nome_file, formato, sha256,
                                       dimensione, contenuto, firmatario, firmato_il, caricato_da)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (ente_id, piano_id, sha256) do nothing returning id",
    )
    .bind(tx.ente_id)
    .bind(f.piano)
    .bind(f.esportato)
    .bind(f.nome)
    .bind(f.formato)
    .bind(Sha256::digest(f.dati).as_slice())
    .bind(f.dati.len() as i64)
    .bind(f.dati)
    .bind(f.firmatario.chars().take(500).collect::<String>())
    .bind(f.firmato_il)
    .bind((!tx.user_id.is_nil()).then_some(tx.user_id))
    .fetch_optional(&mut **tx)
    .await?)
}

type FirmatoRow = (
    Uuid,
    String,
    String,
    String,
    i64,
    String,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);

/// The archive of the plan `piano` (an SQL expression) in the ente `$1`, newest first, in
/// the fields of `FirmatoView`.
fn archivio_sql(piano: &str) -> String {
    format!(
        "select id, nome_file, formato, encode(sha256, 'hex') as sha256, dimensione, firmatario,
                firmato_il, caricato_il
           from allegati_firmati where ente_id = $1 and piano_id = {piano}
          order by caricato_il desc, id"
    )
}

pub async fn archivio(tx: &mut EnteTx, piano: Uuid) -> AppResult<Vec<FirmatoView>> {
    let rows: Vec<FirmatoRow> = sqlx::query_as(&archivio_sql("$2"))
        .bind(tx.ente_id)
        .bind(piano)
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, nome_file, formato, sha256, dimensione, firmatario, firmato_il, caricato_il)| {
                FirmatoView {
                    id,
                    nome_file,
                    formato,
                    sha256,
                    dimensione,
                    firmatario,
                    firmato_il,
                    caricato_il,
                }
            },
        )
        .collect())
}

/// `archivio` of the plan `piano` (an SQL expression), as one SQL expression of JSON text:
/// for a statement that reads it beside the plan (`piani::leggi_pagina`), one round trip
/// less. Read back with `archivio_da`.
pub(crate) fn archivio_json(piano: &str) -> String {
    format!(
        "(select coalesce(json_agg(x order by x.caricato_il desc, x.id), '[]')::text
            from ({}) x)",
        archivio_sql(piano)
    )
}

/// The archive that `archivio_json` wrote.
pub(crate) fn archivio_da(json: &str) -> AppResult<Vec<FirmatoView>> {
    serde_json::from_str(json).map_err(AppError::interno)
}

/// The plan page's section: state, signing certificate, archive.
pub async fn stato(tx: &mut EnteTx, ctx: &EnteCtx, anno: i32) -> AppResult<AllegatoStato> {
    // Not the whole plan: its page reads that already.
    let (piano_id, approvato) = super::piani::id_e_approvato(tx, anno)
        .await?
        .ok_or(AppError::NonTrovato)?;
    stato_di(tx, ctx, piano_id, approvato).await
}

/// `stato` of the plan `piano_id`, whose state the caller has read (`approvato`: the plan
/// as it is now, not the version in force during a rimodulazione).
pub async fn stato_di(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    piano_id: Uuid,
    approvato: bool,
) -> AppResult<AllegatoStato> {
    let firmati = archivio(tx, piano_id).await?;
    stato_con(tx, ctx, approvato, firmati).await
}

/// `stato_di` with the plan's archive read already (`firmati`).
pub async fn stato_con(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    approvato: bool,
    firmati: Vec<FirmatoView>,
) -> AppResult<AllegatoStato> {
    let gestione = ctx.role.puo(Azione::Firmare);
    Ok(AllegatoStato {
        approvato,
        gestione,
        firma: if gestione {
            firma_info(tx).await?
        } else {
            None
        },
        firmati,
    })
}

fn nome_file(nome: &str, formato: verifica::Formato) -> String {
    let pulito: String = nome
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(200)
        .collect();
    match (pulito.trim(), formato) {
        ("", verifica::Formato::Pades) => "copia-firmata.pdf".into(),
        ("", verifica::Formato::Cades) => "copia-firmata.pdf.p7m".into(),
        (n, _) => n.to_string(),
    }
}

/// A copy signed elsewhere: verified, matched with an export of this plan, archived.
pub async fn archivia(
    tx: &mut EnteTx,
    anno: i32,
    nome: &str,
    dati: Vec<u8>,
) -> AppResult<FirmatoView> {
    let piano = super::piani::carica(tx, anno)
        .await?
        .ok_or(AppError::NonTrovato)?;
    if dati.is_empty() {
        return Err(AppError::NonValido(
            "Scegli il file firmato da caricare.".into(),
        ));
    }
    let (v, dati) = tokio::task::spawn_blocking(move || (verifica::verifica(&dati), dati))
        .await
        .map_err(AppError::interno)?;
    let v = v.map_err(AppError::NonValido)?;
    // Which export of this plan is it? Compare the signed bytes' prefix of each size.
    let esportati: Vec<(Uuid, i32, Vec<u8>, i64)> = sqlx::query_as(
        "select id, piano_version, sha256, dimensione from allegati_esportati
          where ente_id = $1 and piano_id = $2 order by esportato_il desc",
    )
    .bind(tx.ente_id)
    .bind(piano.id)
    .fetch_all(&mut **tx)
    .await?;
    let trovato = esportati.iter().find(|(_, _, sha, n)| {
        let n = *n as usize;
        n <= v.fine_firmato
            && match v.formato {
                verifica::Formato::Cades => n == v.contenuto.len(),
                verifica::Formato::Pades => true,
            }
            && v.contenuto.get(..n).map(|p| Sha256::digest(p).to_vec()) == Some(sha.clone())
    });
    let Some((esportato_id, versione, _, _)) = trovato else {
        return Err(AppError::NonValido(
            "Il documento firmato non corrisponde a nessun allegato esportato da questo piano: firma, senza modificarlo, il PDF scaricato da questa pagina.".into(),
        ));
    };
    if v.formato == verifica::Formato::Pades {
        let n = esportati
            .iter()
            .find(|e| e.0 == *esportato_id)
            .map(|e| e.3 as usize)
            .unwrap_or(0);
        let (esportato, firmato) = (dati[..n].to_vec(), dati.clone());
        tokio::task::spawn_blocking(move || verifica::solo_firma_aggiunta(&esportato, &firmato))
            .await
            .map_err(AppError::interno)?
            .map_err(AppError::NonValido)?;
    }
    if *versione != piano.version || !piano.approvato {
        return Err(AppError::NonValido(
            "Il documento firmato è l'allegato di una versione precedente del piano (poi riaperto): esporta e firma l'allegato attuale.".into(),
        ));
    }
    let sha = Sha256::digest(&dati);
    let nome = nome_file(nome, v.formato);
    let firmatario = v.firmatario.clone();
    let id = inserisci_firmato(
        tx,
        &Firmato {
            piano: piano.id,
            esportato: *esportato_id,
            nome: &nome,
            formato: v.formato.db(),
            dati: &dati,
            firmatario: &firmatario,
            firmato_il: v.firmato_il,
        },
    )
    .await?;
    let Some(id) = id else {
        return Err(AppError::NonValido(
            "Questa copia firmata è già nell'archivio.".into(),
        ));
    };
    super::users::audit(
        tx,
        "allegato_archiviato",
        serde_json::json!({ "anno": anno, "file": nome, "sha256": hex::encode(sha) }),
    )
    .await?;
    copia_archiviata(tx, piano.id, id).await
}

/// An archived signed copy of the plan of `anno`.
pub async fn scarica_firmato(tx: &mut EnteTx, anno: i32, id: Uuid) -> AppResult<File> {
    let r: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "select f.nome_file, f.formato, f.contenuto from allegati_firmati f
           join piani p on p.ente_id = f.ente_id and p.id = f.piano_id
          where f.ente_id = $1 and p.anno = $2 and f.id = $3",
    )
    .bind(tx.ente_id)
    .bind(anno)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let (nome, formato, dati) = r.ok_or(AppError::NonTrovato)?;
    Ok(File {
        dati,
        nome,
        tipo: if formato == "cades" {
            "application/pkcs7-mime"
        } else {
            "application/pdf"
        },
    })
}
