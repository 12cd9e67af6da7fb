//! SQL on the premi (`premi`, `premi_individuali`): the parameters saved while simulating,
//! the persons the engine reads (score, part-time, days of service, absences, sanction),
//! the final distribution (each person's premio, the pools' totals and the art. 20 tables)
//! and its outputs: the payroll CSV, the art. 20 tables as CSV and PDF/A, the draft
//! determina di liquidazione as ODT. The rules are in `domain::premi`.

use chrono::{NaiveDate, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::context::{EnteCtx, EnteTx};
use super::relazione::documento::{self, Blocco};
use crate::domain::plan::data_label;
use crate::domain::premi::{
    euro, ripartisci, tabelle_art20, Art20, Categoria, Esito, Parametri, Persona, Ripartizione,
    ORDINE_PARITA,
};
use crate::domain::smvp::{numero, percento};
use crate::error::{AppError, AppResult};
use crate::model::PremiView;

/// Said when the distribution is already final.
pub const DEFINITIVA: &str = "La ripartizione dei premi è definitiva: non si modifica più.";

/// The saved parameters of the plan's premi (the defaults when none), their version (0:
/// none yet) and whether the distribution is final.
pub async fn parametri(tx: &mut EnteTx, piano: Uuid) -> AppResult<(Parametri, i32, bool)> {
    let r: Option<(Json<Parametri>, i32, String)> = sqlx::query_as(
        "select parametri, version, stato from premi where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match r {
        Some((p, v, s)) => (p.0, v, s == "definitivo"),
        None => (Parametri::default(), 0, false),
    })
}

/// Refuses a change once the distribution is final.
pub async fn modificabile(tx: &mut EnteTx, piano: Uuid) -> AppResult<()> {
    if parametri(tx, piano).await?.2 {
        return Err(AppError::NonValido(DEFINITIVA.into()));
    }
    Ok(())
}

/// Saves the parameters over `version` (0: the first time).
pub async fn salva(tx: &mut EnteTx, piano: Uuid, version: i32, p: &Parametri) -> AppResult<i32> {
    modificabile(tx, piano).await?;
    let v: Option<i32> = if version == 0 {
        sqlx::query_scalar(
            "insert into premi (ente_id, piano_id, parametri) values ($1, $2, $3)
             on conflict do nothing returning version",
        )
        .bind(tx.ente_id)
        .bind(piano)
        .bind(Json(p))
        .fetch_optional(&mut **tx)
        .await?
    } else {
        sqlx::query_scalar(
            "update premi set parametri = $3, version = version + 1
              where ente_id = $1 and piano_id = $2 and version = $4 returning version",
        )
        .bind(tx.ente_id)
        .bind(piano)
        .bind(Json(p))
        .bind(version)
        .fetch_optional(&mut **tx)
        .await?
    };
    v.ok_or_else(|| {
        AppError::Conflitto(
            "I parametri sono stati salvati da un'altra persona: ricarica la pagina.".into(),
        )
    })
}

/// A person the engine reads, with their id and their evaluator.
pub struct Valutato {
    pub dipendente: Uuid,
    pub valutatore: Option<Uuid>,
    pub persona: Persona,
}

/// The days of `anno` between `dal` and `al` (either open).
fn giorni_in_servizio(anno: i32, dal: Option<NaiveDate>, al: Option<NaiveDate>) -> (u32, u32) {
    let inizio = NaiveDate::from_ymd_opt(anno, 1, 1).expect("1 January");
    let fine = NaiveDate::from_ymd_opt(anno, 12, 31).expect("31 December");
    let giorni_anno = (fine - inizio).num_days() as u32 + 1;
    let da = dal.map_or(inizio, |d| d.max(inizio));
    let a = al.map_or(fine, |d| d.min(fine));
    let servizio = if a < da {
        0
    } else {
        (a - da).num_days() as u32 + 1
    };
    (servizio, giorni_anno)
}

/// Everyone with a score in the plan of `anno` (proposed or final).
pub async fn valutati(tx: &mut EnteTx, piano: Uuid, anno: i32) -> AppResult<Vec<Valutato>> {
    #[allow(clippy::type_complexity)]
    let righe: Vec<(
        Uuid,
        Option<Uuid>,
        String,
        String,
        String,
        String,
        f64,
        Option<f64>,
        f64,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<i32>,
        Option<i16>,
    )> = sqlx::query_as(
        "select v.dipendente_id, v.valutatore_id, v.categoria, d.matricola,
                d.cognome, d.nome, v.punteggio::float8,
                (v.sezioni #>> '{comportamenti,Ok,valore}')::float8, d.tempo::float8,
                d.attivo_dal, d.attivo_al, x.assenze, x.sanzione
           from valutazioni v
           join dipendenti d on d.ente_id = v.ente_id and d.id = v.dipendente_id
           left join dati_premi x on x.ente_id = v.ente_id and x.piano_id = v.piano_id
                                 and x.dipendente_id = v.dipendente_id
          where v.ente_id = $1 and v.piano_id = $2 and v.punteggio is not null
          order by d.matricola",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    Ok(righe
        .into_iter()
        .map(
            |(
                id,
                val,
                cat,
                matricola,
                cognome,
                nome,
                punteggio,
                comp,
                tempo,
                dal,
                al,
                ass,
                sanz,
            )| {
                let (giorni_servizio, giorni_anno) = giorni_in_servizio(anno, dal, al);
                Valutato {
                    dipendente: id,
                    valutatore: val,
                    persona: Persona {
                        chiave: matricola,
                        nome: format!("{cognome} {nome}"),
                        categoria: Categoria::da_codice(&cat).unwrap_or(Categoria::Personale),
                        punteggio,
                        comportamenti: comp.unwrap_or(0.0),
                        tempo,
                        giorni_servizio,
                        giorni_anno,
                        assenze: ass.unwrap_or(0).max(0) as u32,
                        sanzione: sanz.unwrap_or(0).clamp(0, 4) as u8,
                    },
                }
            },
        )
        .collect())
}

/// How many schede the plan has, and how many are final.
async fn conteggi(tx: &mut EnteTx, piano: Uuid) -> AppResult<(i64, i64)> {
    Ok(sqlx::query_as(
        "select count(*), count(*) filter (where stato = 'definitiva')
           from valutazioni where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_one(&mut **tx)
    .await?)
}

/// The page: the distribution with `simulati` (the saved parameters when None), or the
/// final one. The Nucleo sees the aggregates only.
pub async fn vista(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    piano: Uuid,
    anno: i32,
    simulati: Option<Parametri>,
    errori: Vec<(String, String)>,
) -> AppResult<PremiView> {
    use crate::domain::permessi::Azione;
    let (salvati, version, definitivo) = parametri(tx, piano).await?;
    let gestione = ctx.role.puo(Azione::GestirePremi);
    let (schede, definitive) = conteggi(tx, piano).await?;
    let mut vista = PremiView {
        anno,
        ente_nome: ctx.ente_name.clone(),
        parametri: salvati.clone(),
        version,
        definitivo,
        simulazione: false,
        errori,
        ripartizione: Vec::new(),
        art20: Vec::new(),
        schede: schede as usize,
        definitive: definitive as usize,
        gestione,
        ordine: ORDINE_PARITA.into(),
    };
    if definitivo {
        type Riga = (Option<Json<Vec<Ripartizione>>>, Option<Json<Vec<Art20>>>);
        let (rip, art20): Riga = sqlx::query_as(
            "select ripartizione, art20 from premi where ente_id = $1 and piano_id = $2",
        )
        .bind(tx.ente_id)
        .bind(piano)
        .fetch_one(&mut **tx)
        .await?;
        vista.art20 = art20.map(|a| a.0).unwrap_or_default();
        if gestione {
            let mut rip = rip.map(|r| r.0).unwrap_or_default();
            let quote = quote_definitive(tx, piano).await?;
            for r in &mut rip {
                r.quote = quote
                    .iter()
                    .filter(|(c, _)| *c == r.categoria)
                    .map(|(_, q)| q.clone())
                    .collect();
            }
            vista.ripartizione = rip;
        }
        return Ok(vista);
    }
    let p = match simulati {
        Some(p) => {
            vista.simulazione = p != salvati;
            p
        }
        None => salvati,
    };
    if vista.errori.is_empty() {
        let persone: Vec<Persona> = valutati(tx, piano, anno)
            .await?
            .into_iter()
            .map(|v| v.persona)
            .collect();
        let rip = ripartisci(&p, &persone);
        vista.art20 = tabelle_art20(&p, &rip);
        if gestione {
            vista.ripartizione = rip;
        }
    }
    vista.parametri = p;
    Ok(vista)
}

/// Each person's premio in the final distribution, in the order of the pools' ranking.
async fn quote_definitive(
    tx: &mut EnteTx,
    piano: Uuid,
) -> AppResult<Vec<(Categoria, crate::domain::premi::Quota)>> {
    /// (category, matricola, surname, name, score, outcome, base, bonus)
    type Riga = (String, String, String, String, f64, String, i64, i64);
    let righe: Vec<Riga> = sqlx::query_as(
        "select p.categoria, d.matricola, d.cognome, d.nome, p.punteggio::float8, p.esito,
                p.base, p.maggiorazione
           from premi_individuali p
           join dipendenti d on d.ente_id = p.ente_id and d.id = p.dipendente_id
          where p.ente_id = $1 and p.piano_id = $2
          order by p.punteggio desc, p.maggiorazione desc, d.matricola",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_all(&mut **tx)
    .await?;
    Ok(righe
        .into_iter()
        .map(
            |(cat, chiave, cognome, nome, punteggio, esito, base, magg)| {
                (
                    Categoria::da_codice(&cat).unwrap_or(Categoria::Personale),
                    crate::domain::premi::Quota {
                        chiave,
                        nome: format!("{cognome} {nome}"),
                        punteggio,
                        esito: Esito::da_codice(&esito).unwrap_or(Esito::Ammesso),
                        coefficiente: 0.0,
                        base,
                        maggiorazione: magg,
                    },
                )
            },
        )
        .collect())
}

/// Makes the distribution final with the saved parameters (`version`): every scheda must be
/// final. Each person's premio is kept; the pools' totals and the art. 20 tables too.
pub async fn rendi_definitiva(
    tx: &mut EnteTx,
    piano: Uuid,
    anno: i32,
    version: i32,
) -> AppResult<()> {
    let (p, v, definitivo) = parametri(tx, piano).await?;
    if definitivo {
        return Err(AppError::NonValido(DEFINITIVA.into()));
    }
    if v == 0 {
        return Err(AppError::NonValido(
            "Salva prima i parametri della ripartizione.".into(),
        ));
    }
    if v != version {
        return Err(AppError::Conflitto(
            "I parametri sono cambiati dopo il caricamento della pagina: ricaricala e controlla la ripartizione."
                .into(),
        ));
    }
    if let Err(e) = p.valida() {
        return Err(AppError::NonValido(
            e.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "),
        ));
    }
    let (schede, definitive) = conteggi(tx, piano).await?;
    if schede == 0 || schede != definitive {
        return Err(AppError::NonValido(format!(
            "Le valutazioni definitive sono {definitive} su {schede}: la ripartizione diventa definitiva quando lo sono tutte."
        )));
    }
    let valutati = valutati(tx, piano, anno).await?;
    let persone: Vec<Persona> = valutati.iter().map(|v| v.persona.clone()).collect();
    let rip = ripartisci(&p, &persone);
    let art20 = tabelle_art20(&p, &rip);
    for r in &rip {
        for q in &r.quote {
            let v = valutati
                .iter()
                .find(|v| v.persona.chiave == q.chiave)
                .ok_or_else(|| AppError::interno("premio without its person"))?;
            sqlx::query(
                "insert into premi_individuali (ente_id, piano_id, dipendente_id, categoria,
                                                valutatore_id, punteggio, esito, base, maggiorazione)
                 values ($1, $2, $3, $4, $5, $6::float8::numeric, $7, $8, $9)",
            )
            .bind(tx.ente_id)
            .bind(piano)
            .bind(v.dipendente)
            .bind(r.categoria.codice())
            .bind(v.valutatore)
            .bind(q.punteggio)
            .bind(q.esito.codice())
            .bind(q.base)
            .bind(q.maggiorazione)
            .execute(&mut **tx)
            .await?;
        }
    }
    // The pools' totals without the persons: the Nucleo reads this row.
    let totali: Vec<Ripartizione> = rip
        .into_iter()
        .map(|mut r| {
            r.quote.clear();
            r
        })
        .collect();
    sqlx::query(
        "update premi set stato = 'definitivo', ripartizione = $3, art20 = $4,
                definitivo_il = now(), definito_da = $5, version = version + 1
          where ente_id = $1 and piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .bind(Json(&totali))
    .bind(Json(&art20))
    .bind(tx.user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The final distribution, for the outputs: `NonValido` until it is final.
pub async fn definitiva(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    piano: Uuid,
    anno: i32,
) -> AppResult<PremiView> {
    let v = vista(tx, ctx, piano, anno, None, Vec::new()).await?;
    if !v.definitivo {
        return Err(AppError::NonValido(
            "La ripartizione dei premi non è ancora definitiva.".into(),
        ));
    }
    Ok(v)
}

/// Euro as a payroll system reads them: "1234.56".
fn importo(centesimi: i64) -> String {
    format!("{}.{:02}", centesimi / 100, centesimi % 100)
}

/// The payroll CSV: one row per person, the amounts per component.
pub fn cedolini_csv(v: &PremiView) -> AppResult<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record([
        "matricola",
        "cognome_nome",
        "categoria",
        "punteggio",
        "esito",
        "premio_base",
        "maggiorazione_art81",
        "totale",
    ])
    .map_err(AppError::interno)?;
    for r in &v.ripartizione {
        for q in &r.quote {
            w.write_record([
                q.chiave.clone(),
                q.nome.clone(),
                r.categoria.codice().to_string(),
                format!("{:.2}", q.punteggio),
                q.esito.codice().to_string(),
                importo(q.base),
                importo(q.maggiorazione),
                importo(q.totale()),
            ])
            .map_err(AppError::interno)?;
        }
    }
    w.into_inner().map_err(AppError::interno)
}

/// The art. 20 tables as CSV (aggregates only: no names).
pub fn art20_csv(v: &PremiView) -> AppResult<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record([
        "categoria",
        "voce",
        "persone",
        "percentuale",
        "premio_minimo",
        "premio_medio",
        "premio_massimo",
    ])
    .map_err(AppError::interno)?;
    for a in &v.art20 {
        let cat = a.categoria.label();
        let riga = |voce: String, persone: String, perc: String, min: i64, med: i64, max: i64| {
            [
                cat.to_string(),
                voce,
                persone,
                perc,
                importo(min),
                importo(med),
                importo(max),
            ]
        };
        w.write_record([
            cat.to_string(),
            "stanziato".into(),
            String::new(),
            String::new(),
            String::new(),
            importo(a.stanziato),
            String::new(),
        ])
        .map_err(AppError::interno)?;
        w.write_record([
            cat.to_string(),
            "erogato".into(),
            a.valutati.to_string(),
            String::new(),
            String::new(),
            importo(a.erogato),
            String::new(),
        ])
        .map_err(AppError::interno)?;
        for f in &a.fasce {
            w.write_record(riga(
                format!("fascia {}", f.etichetta),
                f.persone.to_string(),
                format!("{:.2}", f.percentuale),
                f.minimo,
                f.media,
                f.massimo,
            ))
            .map_err(AppError::interno)?;
        }
        w.write_record(riga(
            "tutti i premiati".into(),
            String::new(),
            String::new(),
            a.minimo,
            a.media,
            a.massimo,
        ))
        .map_err(AppError::interno)?;
        w.write_record([
            cat.to_string(),
            "maggiorazione art. 81 (percentuale dei valutati)".into(),
            String::new(),
            format!("{:.2}", a.percentuale_maggiorazione),
            String::new(),
            String::new(),
            String::new(),
        ])
        .map_err(AppError::interno)?;
        w.write_record([
            cat.to_string(),
            "rapporto massimo/minimo".into(),
            String::new(),
            a.rapporto_max_min
                .map(|r| format!("{r:.2}"))
                .unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
        ])
        .map_err(AppError::interno)?;
        w.write_record([
            cat.to_string(),
            "coefficiente di variazione".into(),
            String::new(),
            a.coefficiente_variazione
                .map(|r| format!("{r:.4}"))
                .unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
        ])
        .map_err(AppError::interno)?;
    }
    w.into_inner().map_err(AppError::interno)
}

/// The art. 20 tables as blocks: for the PDF, and chapters 4 and 5 of the Relazione.
pub fn blocchi_art20(art20: &[Art20]) -> Vec<Blocco> {
    let mut b = Vec::new();
    for a in art20 {
        b.push(Blocco::Sezione(a.categoria.label().to_string()));
        b.push(Blocco::Testo(format!(
            "Premi stanziati {}, erogati {}, a {} persone valutate. Maggiorazione del premio individuale (art. 81 CCNL Funzioni Locali 16/11/2022) al {} dei valutati. Rapporto tra premio massimo e minimo: {}. Coefficiente di variazione dei premi: {}.",
            euro(a.stanziato),
            euro(a.erogato),
            a.valutati,
            percento(a.percentuale_maggiorazione),
            a.rapporto_max_min.map(numero).unwrap_or_else(|| "—".into()),
            a.coefficiente_variazione
                .map(|c| numero(c * 100.0) + "%")
                .unwrap_or_else(|| "—".into()),
        )));
        b.push(Blocco::Tabella(
            vec![0.2, 0.12, 0.12, 0.18, 0.2, 0.18],
            [
                "Fascia di punteggio",
                "Persone",
                "% dei valutati",
                "Premio minimo",
                "Premio medio",
                "Premio massimo",
            ]
            .map(String::from)
            .to_vec(),
            a.fasce
                .iter()
                .map(|f| {
                    let soldi = |c: i64| {
                        if f.persone == 0 {
                            "—".into()
                        } else {
                            euro(c)
                        }
                    };
                    vec![
                        f.etichetta.clone(),
                        f.persone.to_string(),
                        percento(f.percentuale),
                        soldi(f.minimo),
                        soldi(f.media),
                        soldi(f.massimo),
                    ]
                })
                .collect(),
        ));
    }
    b
}

/// The art. 20 tables as PDF/A.
pub fn art20_pdf(v: &PremiView) -> Vec<u8> {
    let mut blocchi = vec![Blocco::Testo(
        "Ammontare complessivo dei premi collegati alla performance stanziati e distribuiti, e distribuzione del trattamento accessorio in forma aggregata, per dare conto del livello di selettività nell'utilizzo della premialità. Le fasce con meno di tre persone sono accorpate.".into(),
    )];
    blocchi.extend(blocchi_art20(&v.art20));
    let ora = Utc::now();
    documento::documento(
        [
            &v.ente_nome,
            "DATI SUI PREMI",
            "ai sensi dell’art. 20 del D.Lgs. 33/2013",
            &format!("Anno {}", v.anno),
        ],
        &blocchi,
        None,
        crate::ssr::allegato::pdf::Metadati {
            titolo: format!("Dati sui premi {} – {}", v.anno, v.ente_nome),
            autore: v.ente_nome.clone(),
            soggetto: format!("Art. 20 D.Lgs. 33/2013, anno {}", v.anno),
            testata: format!("{} – Dati sui premi {}", v.ente_nome, v.anno),
            piede: format!("Dati sui premi {}", v.anno),
            bozza: false,
            creato: ora,
            id: documento::id_di(&[v.ente_nome.as_bytes(), &v.anno.to_be_bytes(), b"art20"]),
        },
    )
}

/// The draft determina di liquidazione as ODT, for the ente to complete and adopt.
pub fn determina_odt(v: &PremiView) -> AppResult<Vec<u8>> {
    let mut b = vec![
        Blocco::Testo(format!(
            "OGGETTO: Liquidazione dei premi correlati alla performance dell’anno {}.",
            v.anno
        )),
        Blocco::Capitolo("Premesso che".into()),
        Blocco::Testo(format!(
            "il Piano della Performance {} è stato approvato e il ciclo di valutazione dell’anno si è concluso con {} valutazioni individuali definitive;\n\nla ripartizione è stata calcolata con i criteri del contratto integrativo: soglia di accesso {} punti, curva «{}», maggiorazione del premio individuale del {} del premio medio (art. 81 CCNL Funzioni Locali 16/11/2022) al {} dei valutati;\n\n{}",
            v.anno,
            v.definitive,
            numero(v.parametri.soglia),
            v.parametri.curva.label(),
            percento(v.parametri.maggiorazione),
            percento(v.parametri.quota),
            v.ordine
        )),
        Blocco::Capitolo("Determina".into()),
        Blocco::Testo(
            "di liquidare al personale i premi indicati nella tabella che segue, per un totale di:"
                .into(),
        ),
    ];
    for r in &v.ripartizione {
        b.push(Blocco::Testo(format!(
            "{}: fondo {}, erogati {}, residuo {} che torna al fondo.",
            r.categoria.label(),
            euro(r.fondo),
            euro(r.pagato),
            euro(r.resto)
        )));
        b.push(Blocco::Tabella(
            vec![0.15, 0.3, 0.1, 0.15, 0.15, 0.15],
            [
                "Matricola",
                "Cognome e nome",
                "Punteggio",
                "Premio",
                "Maggiorazione",
                "Totale",
            ]
            .map(String::from)
            .to_vec(),
            r.quote
                .iter()
                .map(|q| {
                    vec![
                        q.chiave.clone(),
                        q.nome.clone(),
                        numero(q.punteggio),
                        euro(q.base),
                        euro(q.maggiorazione),
                        euro(q.totale()),
                    ]
                })
                .collect(),
        ));
    }
    b.push(Blocco::Testo(
        "di imputare la spesa ai capitoli del fondo per le risorse decentrate del bilancio dell’esercizio in corso.\n\nIl Responsabile del servizio personale\n\n______________________".into(),
    ));
    super::relazione::odt::documento(
        [
            &v.ente_nome,
            "DETERMINAZIONE (bozza)",
            &format!(
                "Liquidazione dei premi della performance {} – generata il {}",
                v.anno,
                data_label(crate::domain::calendario::oggi())
            ),
        ],
        b,
    )
}

/// A file of the final distribution.
#[derive(Debug, Clone, Copy)]
pub enum Uscita {
    Cedolini,
    Determina,
    Art20Csv,
    Art20Pdf,
}

/// The file `quale` of the plan of `anno`: the payroll and the determina name people (the
/// ente's admins and consultants only); the art. 20 tables are aggregates.
pub async fn scarica(
    tx: &mut EnteTx,
    ctx: &EnteCtx,
    anno: i32,
    quale: Uscita,
) -> AppResult<crate::ssr::allegato::File> {
    use crate::domain::permessi::Azione;
    use crate::domain::roles::Role;
    let nominativi = matches!(quale, Uscita::Cedolini | Uscita::Determina);
    if !(ctx.role.puo(Azione::GestirePremi) || (!nominativi && ctx.role == Role::Nucleo)) {
        return Err(AppError::NonTrovato);
    }
    let piano = crate::api::valutazioni::guard::piano(tx, anno).await?.id;
    let v = definitiva(tx, ctx, piano, anno).await?;
    let base = format!("{}-{anno}", ctx.slug);
    Ok(match quale {
        Uscita::Cedolini => crate::ssr::allegato::File {
            dati: cedolini_csv(&v)?,
            nome: format!("premi-paghe-{base}.csv"),
            tipo: "text/csv; charset=utf-8",
        },
        Uscita::Determina => crate::ssr::allegato::File {
            dati: determina_odt(&v)?,
            nome: format!("determina-premi-{base}.odt"),
            tipo: "application/vnd.oasis.opendocument.text",
        },
        Uscita::Art20Csv => crate::ssr::allegato::File {
            dati: art20_csv(&v)?,
            nome: format!("premi-art20-{base}.csv"),
            tipo: "text/csv; charset=utf-8",
        },
        Uscita::Art20Pdf => crate::ssr::allegato::File {
            dati: tokio::task::spawn_blocking(move || art20_pdf(&v))
                .await
                .map_err(AppError::interno)?,
            nome: format!("premi-art20-{base}.pdf"),
            tipo: "application/pdf",
        },
    })
}
