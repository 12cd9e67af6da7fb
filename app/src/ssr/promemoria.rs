//! Reminders: made for the people who must act on a deadline (domain::scadenze says when),
//! once per person and step; shown in the bell, and e-mailed when an SMTP server is set.

use chrono::{Datelike, NaiveDate};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

use super::context::{imposta, UserTx};
use super::scadenze;
use crate::domain::plan::data_label;
use crate::domain::scadenze::{
    giorni_a, giorni_label, passo, scadenze as scadenze_di, Chi, Regole,
};
use crate::error::{AppError, AppResult};
use crate::model::PromemoriaView;

/// Where e-mails go out: `OBIETTIVI_SMTP_URL` (e.g. `smtps://user:pass@smtp.example.it`,
/// `smtp://localhost:2525` for a plain relay) and the address they come from.
#[derive(Clone)]
pub struct Posta {
    trasporto: AsyncSmtpTransport<Tokio1Executor>,
    mittente: Mailbox,
    /// The address of the product, for the links in the e-mails.
    indirizzo: String,
}

impl Posta {
    pub fn nuova(url: &str, mittente: &str, indirizzo: &str) -> Result<Posta, String> {
        let trasporto = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("OBIETTIVI_SMTP_URL non valido: {e}"))?
            .build();
        let mittente = mittente
            .parse()
            .map_err(|e| format!("OBIETTIVI_SMTP_FROM non valido: {e}"))?;
        Ok(Posta {
            trasporto,
            mittente,
            indirizzo: indirizzo.trim_end_matches('/').to_string(),
        })
    }

    async fn invia(&self, a: &str, nome: &str, p: &DaInviare) -> Result<(), String> {
        let destinatario = Mailbox::new(
            Some(nome.to_string()),
            a.parse().map_err(|e| format!("{e}"))?,
        );
        let link = format!("{}{}", self.indirizzo, p.percorso);
        let testo = format!(
            "Gentile {nome},\n\n{}\n\n{}\n\nApri la pagina: {link}\n\n\
             Ricevi questo messaggio da Obiettivi. I promemoria che arrivano prima delle scadenze si \
             possono disattivare dalla pagina «Il mio account»; i solleciti dopo una scadenza no.\n",
            p.titolo, p.testo
        );
        let html = format!(
            "<!DOCTYPE html><html lang=\"it\"><body style=\"font-family: 'Titillium Web', sans-serif\">\
             <p>Gentile {},</p><p><strong>{}</strong></p><p>{}</p>\
             <p><a href=\"{}\">Apri la pagina</a></p>\
             <p style=\"font-size: small\">Ricevi questo messaggio da Obiettivi. I promemoria che arrivano \
             prima delle scadenze si possono disattivare dalla pagina «Il mio account»; i solleciti \
             dopo una scadenza no.</p></body></html>",
            super::testo_xml(nome),
            super::testo_xml(&p.titolo),
            super::testo_xml(&p.testo),
            super::testo_xml(&link)
        );
        // Quoted-printable: readable as it travels, safe for any server (7-bit).
        let qp = |s: String| {
            Body::new_with_encoding(s, ContentTransferEncoding::QuotedPrintable)
                .map_err(|_| "testo non codificabile".to_string())
        };
        let m = Message::builder()
            .from(self.mittente.clone())
            .to(destinatario)
            .subject(format!("Obiettivi — {}", p.titolo))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(qp(testo)?),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(qp(html)?),
                    ),
            )
            .map_err(|e| e.to_string())?;
        self.trasporto
            .send(m)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Giro {
    pub creati: usize,
    pub inviati: usize,
    pub non_inviati: usize,
}

#[derive(sqlx::FromRow)]
struct DaInviare {
    id: Uuid,
    email: String,
    nome: String,
    titolo: String,
    testo: String,
    percorso: String,
}

/// One run over every ente: the reminders due on `oggi` made (each once), then those not
/// yet e-mailed sent, if `posta` is set. Each ente in a transaction of its own; one that
/// fails is logged and skipped.
pub async fn giro(pool: &PgPool, oggi: NaiveDate, posta: Option<&Posta>) -> AppResult<Giro> {
    let mut c = pool.acquire().await?;
    // Each ente with its firm's reminder days, read once here rather than for each ente.
    type Ente = (
        Uuid,
        Option<Uuid>,
        String,
        String,
        Option<Vec<i32>>,
        Option<i32>,
    );
    let enti: Vec<Ente> = {
        let mut tx = c.begin().await?;
        imposta(&mut tx, "app.platform_admin", "on").await?;
        let v = sqlx::query_as(
            "select e.id, e.firm_id, e.slug, e.name, i.promemoria_prima, i.promemoria_ogni
               from enti e left join impostazioni_studio i on i.firm_id = e.firm_id
              order by e.name",
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        v
    };
    let mut g = Giro::default();
    for (id, firm, slug, nome, prima, ogni) in enti {
        let e = DaAvvisare {
            id,
            firm,
            slug,
            nome,
            regole: scadenze::regole_lette(prima.zip(ogni)),
        };
        match dell_ente(&mut c, &e, oggi, posta).await {
            Ok(x) => {
                g.creati += x.creati;
                g.inviati += x.inviati;
                g.non_inviati += x.non_inviati;
            }
            Err(err) => tracing::warn!(ente = %e.slug, error = %err, "promemoria non elaborati"),
        }
    }
    Ok(g)
}

/// An ente of the run, with its firm's reminder days.
struct DaAvvisare {
    id: Uuid,
    firm: Option<Uuid>,
    slug: String,
    nome: String,
    regole: Regole,
}

async fn dell_ente(
    c: &mut PgConnection,
    e: &DaAvvisare,
    oggi: NaiveDate,
    posta: Option<&Posta>,
) -> AppResult<Giro> {
    let (ente, firm, slug, nome_ente) = (e.id, e.firm, e.slug.as_str(), e.nome.as_str());
    let mut g = Giro::default();
    let mut tx = c.begin().await?;
    imposta(&mut tx, "app.platform_admin", "on").await?;
    imposta(&mut tx, "app.ente_id", &ente.to_string()).await?;
    if let Some(f) = firm {
        imposta(&mut tx, "app.firm_id", &f.to_string()).await?;
    }
    for anno in [oggi.year() - 1, oggi.year(), oggi.year() + 1] {
        let fatti = scadenze::fatti(&mut tx, &[ente], anno).await?;
        let Some(f) = fatti.get(&ente) else { continue };
        for s in scadenze_di(f).into_iter().filter(|s| !s.fatta) {
            let Some(p) = passo(s.data, oggi, &e.regole) else {
                continue;
            };
            let mut chi: Vec<Uuid> = match s.chi {
                Chi::Amministratori => membri(&mut tx, ente, "ente_admin").await?,
                Chi::Nucleo => membri(&mut tx, ente, "nucleo").await?,
                Chi::Responsabili => match s.checkpoint {
                    Some(m) => responsabili_aperti(&mut tx, ente, m).await?,
                    None => Vec::new(),
                },
            };
            if p.sollecito() {
                chi.extend(membri(&mut tx, ente, "ente_admin").await?);
                if let Some(f) = firm {
                    chi.extend(consulenti(&mut tx, f).await?);
                }
            }
            chi.sort();
            chi.dedup();
            let giorni = giorni_a(oggi, s.data);
            let testo = format!(
                "{}: scadenza il {} ({}).",
                nome_ente,
                data_label(s.data),
                giorni_label(giorni)
            );
            let titolo = if p.sollecito() {
                format!("Scaduto: {}", s.titolo)
            } else {
                s.titolo.clone()
            };
            let percorso = format!("/e/{slug}/{}", s.pagina);
            let chiave = format!("{}:{}", s.chiave, p.chiave());
            for u in chi {
                g.creati += sqlx::query(
                    "insert into promemoria (ente_id, user_id, chiave, scadenza, titolo, testo,
                                             percorso, sollecito)
                     values ($1, $2, $3, $4, $5, $6, $7, $8)
                     on conflict (ente_id, user_id, chiave) do nothing",
                )
                .bind(ente)
                .bind(u)
                .bind(&chiave)
                .bind(s.data)
                .bind(&titolo)
                .bind(&testo)
                .bind(&percorso)
                .bind(p.sollecito())
                .execute(&mut *tx)
                .await?
                .rows_affected() as usize;
            }
        }
    }
    let Some(posta) = posta else {
        tx.commit().await?;
        return Ok(g);
    };
    // Recent ones only (a server given SMTP today does not send a month of old ones); the
    // rows stay locked until they are marked, so two servers never send the same one.
    let da_inviare: Vec<DaInviare> = sqlx::query_as(
        "select p.id, u.email, u.display_name as nome, p.titolo, p.testo, p.percorso
           from promemoria p join users u on u.id = p.user_id
          where p.ente_id = $1 and p.email_inviata_il is null and not u.disabled
            and (p.sollecito or u.promemoria_email)
            and p.creato_il > now() - interval '7 days'
          order by p.creato_il
          for update of p skip locked",
    )
    .bind(ente)
    .fetch_all(&mut *tx)
    .await?;
    for p in da_inviare {
        match posta.invia(&p.email, &p.nome, &p).await {
            Ok(()) => {
                sqlx::query(
                    "update promemoria set email_inviata_il = now() where ente_id = $1 and id = $2",
                )
                .bind(ente)
                .bind(p.id)
                .execute(&mut *tx)
                .await?;
                g.inviati += 1;
            }
            Err(e) => {
                tracing::warn!(ente = %slug, error = %e, "promemoria non inviato");
                g.non_inviati += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(g)
}

async fn membri(c: &mut PgConnection, ente: Uuid, ruolo: &str) -> AppResult<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "select user_id from memberships where ente_id = $1 and role = $2 and not disabled",
    )
    .bind(ente)
    .bind(ruolo)
    .fetch_all(&mut *c)
    .await?)
}

async fn consulenti(c: &mut PgConnection, firm: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "select user_id from firm_memberships where firm_id = $1 and invito_hash is null",
    )
    .bind(firm)
    .fetch_all(&mut *c)
    .await?)
}

/// The responsabili of the strutture whose record at checkpoint `m` is still open.
async fn responsabili_aperti(c: &mut PgConnection, ente: Uuid, m: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "select distinct s.responsabile_user_id
           from monitoraggi mo
           join strutture s on s.ente_id = mo.ente_id and s.piano_id = mo.piano_id
          where mo.ente_id = $1 and mo.id = $2 and s.responsabile_user_id is not null
            and not exists (select 1 from rilevazioni r
                             where r.ente_id = s.ente_id and r.monitoraggio_id = mo.id
                               and r.struttura_id = s.id and r.inviata_il is not null)",
    )
    .bind(ente)
    .bind(m)
    .fetch_all(&mut *c)
    .await?)
}

/// The caller's reminders, newest first (the bell's page), across their enti.
pub async fn miei(tx: &mut UserTx, utente: Uuid) -> AppResult<Vec<PromemoriaView>> {
    type Riga = (Uuid, String, String, String, String, NaiveDate, bool, bool);
    let rows: Vec<Riga> = sqlx::query_as(
        "select p.id, e.name, p.titolo, p.testo, p.percorso, p.scadenza, p.sollecito,
                    p.letto_il is not null
               from promemoria p join enti e on e.id = p.ente_id
              where p.user_id = $1
              order by p.letto_il is not null, p.creato_il desc
              limit 200",
    )
    .bind(utente)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, ente, titolo, testo, percorso, scadenza, sollecito, letto)| PromemoriaView {
                id,
                ente,
                titolo,
                testo,
                percorso,
                scadenza,
                sollecito,
                letto,
            },
        )
        .collect())
}

/// How many of the caller's reminders are unread (the bell's count).
pub async fn da_leggere(tx: &mut UserTx, utente: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "select count(*) from promemoria where user_id = $1 and letto_il is null",
    )
    .bind(utente)
    .fetch_one(&mut **tx)
    .await?)
}

/// Marks all the caller's reminders as read.
pub async fn segna_letti(tx: &mut UserTx, utente: Uuid) -> AppResult<()> {
    sqlx::query("update promemoria set letto_il = now() where user_id = $1 and letto_il is null")
        .bind(utente)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether the caller gets the reminders before a deadline by e-mail.
pub async fn email_anticipati(tx: &mut UserTx, utente: Uuid) -> AppResult<bool> {
    sqlx::query_scalar("select promemoria_email from users where id = $1")
        .bind(utente)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NonTrovato)
}

pub async fn imposta_email_anticipati(tx: &mut UserTx, utente: Uuid, si: bool) -> AppResult<()> {
    sqlx::query("update users set promemoria_email = $2 where id = $1")
        .bind(utente)
        .bind(si)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
