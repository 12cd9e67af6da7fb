//! Monitoring during the year: the checkpoints of an approved plan, each struttura's
//! progress record (filled in and submitted by its responsabile, reopened by an admin), the
//! Nucleo's notes, and the closing with the signed Referto. Every function enters the ente
//! through `porta` with its action, and checks that what it names belongs to the plan of
//! the year it was called for. The Referto and the evidence files are plain GETs served by
//! the server crate (`…/monitoraggio/{id}/referto.pdf`, `…/monitoraggio/{id}/evidenze/{e}`).

// A server function's arguments are the fields of its form.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

use crate::domain::monitoraggio::{Percentuale, Semaforo};
use crate::error::AppError;
use crate::model::{EvidenzaView, MonitoraggiPiano, MonitoraggioView};

#[cfg(feature = "ssr")]
pub(crate) mod guard {
    use uuid::Uuid;

    use crate::domain::monitoraggio::{Scadenze, Stato};
    use crate::domain::plan::parse_data;
    use crate::error::{AppError, AppResult};
    use crate::model::PianoView;
    use crate::ssr::monitoraggio::{self as m, Testata, CHIUSO};
    use crate::ssr::{EnteCtx, EnteTx};

    /// The approved plan of `anno` (during a rimodulazione, the version in force).
    pub async fn approvato(tx: &mut EnteTx, anno: i32) -> AppResult<PianoView> {
        let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
        if !p.approvato {
            return Err(AppError::NonValido(
                "Il monitoraggio riguarda un piano approvato: approva prima il piano.".into(),
            ));
        }
        Ok(p)
    }

    /// The open checkpoint `id` of the plan of `anno`.
    pub async fn aperto(tx: &mut EnteTx, anno: i32, id: Uuid) -> AppResult<Testata> {
        let t = m::testata(tx, anno, id).await?;
        if t.chiuso_il.is_some() {
            return Err(AppError::NonValido(CHIUSO.into()));
        }
        Ok(t)
    }

    /// The caller fills in the record of the struttura holding `obiettivo` (and `fase`) now:
    /// it is theirs, and the record is open. Returns the struttura.
    pub async fn compilabile(
        tx: &mut EnteTx,
        ctx: &EnteCtx,
        t: &Testata,
        obiettivo: Uuid,
        fase: Option<Uuid>,
    ) -> AppResult<Uuid> {
        let (struttura, responsabile) = m::collocazione(tx, t.piano_id, obiettivo, fase).await?;
        struttura_propria(tx, ctx, t, struttura, responsabile).await?;
        Ok(struttura)
    }

    /// The struttura is the caller's to fill in, and its record is open.
    pub async fn struttura_propria(
        tx: &mut EnteTx,
        ctx: &EnteCtx,
        t: &Testata,
        struttura: Uuid,
        responsabile: Option<Uuid>,
    ) -> AppResult<()> {
        if !ctx
            .role
            .puo_sulla_struttura(responsabile, ctx.caller.user_id)
        {
            return Err(AppError::NonAutorizzato);
        }
        if crate::ssr::chiusura::finale_congelata(tx, t.id).await? {
            return Err(AppError::NonValido(crate::ssr::chiusura::CONGELATA.into()));
        }
        let inviata = m::inviata(tx, t.id, struttura).await?;
        if !Stato::di(inviata, false).compilabile() {
            return Err(AppError::NonValido(
                "La rilevazione di questa struttura è stata inviata al Nucleo e non si modifica più: se serve, chiedi a un amministratore dell'ente di riaprirla."
                    .into(),
            ));
        }
        Ok(())
    }

    /// The three dates as typed; empty deadlines take their defaults (+15, +30 days).
    pub fn scadenze(anno: i32, rif: &str, resp: &str, nucleo: &str) -> AppResult<Scadenze> {
        let riferimento = parse_data(rif)
            .map_err(AppError::NonValido)?
            .ok_or_else(|| AppError::NonValido("Indica la data del monitoraggio.".into()))?;
        let predefinite = Scadenze::da(riferimento);
        let s = Scadenze {
            riferimento,
            responsabili: parse_data(resp)
                .map_err(AppError::NonValido)?
                .unwrap_or(predefinite.responsabili),
            nucleo: parse_data(nucleo)
                .map_err(AppError::NonValido)?
                .unwrap_or(predefinite.nucleo),
        };
        s.controlla(anno).map_err(AppError::NonValido)?;
        Ok(s)
    }

    pub fn testo(campo: &str, s: String, max: usize) -> AppResult<String> {
        crate::api::piani::guard::testo(campo, s, max)
    }

    /// A new checkpoint of the approved plan of `anno` (at most four; one per date).
    pub async fn crea(tx: &mut EnteTx, anno: i32, s: &Scadenze) -> AppResult<Uuid> {
        use crate::domain::monitoraggio::MAX_MONITORAGGI;
        let p = approvato(tx, anno).await?;
        if m::conta(tx, p.id).await? >= MAX_MONITORAGGI {
            return Err(AppError::NonValido(format!(
                "Un piano ha al massimo {MAX_MONITORAGGI} monitoraggi nell'anno."
            )));
        }
        let id = m::crea(tx, p.id, s).await?.ok_or_else(|| m::doppio(s))?;
        crate::ssr::users::audit(
            tx,
            "monitoraggio_creato",
            serde_json::json!({ "anno": anno, "data": s.riferimento }),
        )
        .await?;
        Ok(id)
    }
}

/// The checkpoints of the plan of `anno`.
#[server(endpoint = "monitoraggio/elenco")]
pub async fn elenco_monitoraggi(slug: String, anno: i32) -> Result<MonitoraggiPiano, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{monitoraggio, porta};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
        Ok(MonitoraggiPiano {
            anno,
            ente_nome: p.ente_nome,
            approvato: p.approvato,
            elenco: monitoraggio::elenco(tx, p.id).await?,
            puo_impostare: ctx.role.puo(Azione::ImpostareMonitoraggio),
        })
    })
    .await
}

/// A new checkpoint of the approved plan of `anno`: its date, and the deadlines of the
/// responsabili and of the Nucleo (empty: +15 and +30 days). Returns its id.
#[server(endpoint = "monitoraggio/crea")]
pub async fn crea_monitoraggio(
    slug: String,
    anno: i32,
    data_riferimento: String,
    #[server(default)] scadenza_responsabili: String,
    #[server(default)] scadenza_nucleo: String,
) -> Result<Uuid, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::porta;
    porta::in_ente(&slug, Azione::ImpostareMonitoraggio, async |_, tx| {
        let s = guard::scadenze(
            anno,
            &data_riferimento,
            &scadenza_responsabili,
            &scadenza_nucleo,
        )?;
        guard::crea(tx, anno, &s).await
    })
    .await
}

/// The same checkpoint in every ente of the caller's firm that has an approved plan of
/// `anno`: each ente is entered through the door as the caller, one transaction each.
/// Says, ente by ente, what was done.
#[server(endpoint = "studio/monitoraggi")]
pub async fn monitoraggi_studio(
    anno: i32,
    data_riferimento: String,
    #[server(default)] scadenza_responsabili: String,
    #[server(default)] scadenza_nucleo: String,
) -> Result<Vec<crate::model::EsitoEnte>, AppError> {
    use crate::domain::permessi::Azione;
    use crate::model::EsitoEnte;
    use crate::ssr::porta;
    let s = crate::ssr::respond(guard::scadenze(
        anno,
        &data_riferimento,
        &scadenza_responsabili,
        &scadenza_nucleo,
    ))?;
    // `move`: the dates are the closure's own, not borrowed from this function.
    let esiti =
        porta::in_ogni_ente_dello_studio(Azione::ImpostareMonitoraggio, async move |_, tx| {
            guard::crea(tx, anno, &s).await
        })
        .await?;
    Ok(esiti
        .into_iter()
        .map(|(e, r)| EsitoEnte {
            ente: e.name,
            creato: r.is_ok(),
            messaggio: match r {
                Ok(_) => format!(
                    "Monitoraggio al {} aggiunto.",
                    crate::domain::plan::data_label(s.riferimento)
                ),
                Err(e) => e.to_string(),
            },
        })
        .collect())
}

/// The default checkpoints (30/06 and 30/09) the plan does not have yet. Returns how many
/// were added.
#[server(endpoint = "monitoraggio/predefiniti")]
pub async fn monitoraggi_predefiniti(slug: String, anno: i32) -> Result<usize, AppError> {
    use crate::domain::monitoraggio::{Scadenze, MAX_MONITORAGGI};
    use crate::domain::permessi::Azione;
    use crate::ssr::{monitoraggio, porta, users};
    porta::in_ente(&slug, Azione::ImpostareMonitoraggio, async |_, tx| {
        let p = guard::approvato(tx, anno).await?;
        let mut n = 0;
        for s in Scadenze::predefinite(anno) {
            if monitoraggio::conta(tx, p.id).await? >= MAX_MONITORAGGI {
                break;
            }
            if monitoraggio::crea(tx, p.id, &s).await?.is_some() {
                n += 1;
            }
        }
        users::audit(
            tx,
            "monitoraggi_predefiniti",
            serde_json::json!({ "anno": anno, "aggiunti": n }),
        )
        .await?;
        Ok(n)
    })
    .await
}

/// New dates for an open checkpoint. Returns its new version.
#[server(endpoint = "monitoraggio/date")]
pub async fn date_monitoraggio(
    slug: String,
    anno: i32,
    id: Uuid,
    version: i32,
    data_riferimento: String,
    scadenza_responsabili: String,
    scadenza_nucleo: String,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{monitoraggio, porta};
    porta::in_ente(&slug, Azione::ImpostareMonitoraggio, async |_, tx| {
        guard::aperto(tx, anno, id).await?;
        let s = guard::scadenze(
            anno,
            &data_riferimento,
            &scadenza_responsabili,
            &scadenza_nucleo,
        )?;
        monitoraggio::aggiorna(tx, id, version, &s).await
    })
    .await
}

/// One checkpoint with every struttura's record.
#[server(endpoint = "monitoraggio/carica")]
pub async fn carica_monitoraggio(
    slug: String,
    anno: i32,
    id: Uuid,
) -> Result<MonitoraggioView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{monitoraggio, porta};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        let t = monitoraggio::testata(tx, anno, id).await?;
        let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
        let (role, me) = (ctx.role, ctx.caller.user_id);
        let compila = role.puo(Azione::CompilareMonitoraggio);
        let mut v = monitoraggio::carica(tx, &t, p, |resp| {
            compila && role.puo_sulla_struttura(resp, me)
        })
        .await?;
        v.nucleo = role.puo(Azione::ValutareMonitoraggio);
        v.puo_riaprire = role.puo(Azione::ImpostareMonitoraggio);
        Ok(v)
    })
    .await
}

/// What a save of progress answers: the new version, and the expected progress and light
/// at the checkpoint (none without a percentage or a due date).
pub type Salvato = (i32, Option<(Percentuale, Semaforo)>);

/// Saves the progress of an objective (`fase_id` empty) or of one of its phases, over the
/// version the browser started from (0: nothing saved yet).
#[server(endpoint = "monitoraggio/salva")]
pub async fn salva_avanzamento(
    slug: String,
    anno: i32,
    monitoraggio_id: Uuid,
    obiettivo_id: Uuid,
    #[server(default)] fase_id: String,
    version: i32,
    percentuale: String,
    #[server(default)] valore_effettivo: String,
    #[server(default)] valore_data: String,
    #[server(default)] valore_fonte: String,
    #[server(default)] nota: String,
    #[server(default)] causa: String,
    #[server(default)] causa_testo: String,
    #[server(default)] azione_correttiva: String,
    #[server(default)] proposta: String,
    #[server(default)] proposta_testo: String,
    #[server(default)] conclusa_il: String,
) -> Result<Salvato, AppError> {
    use crate::domain::monitoraggio::{self as regole, Causa};
    use crate::domain::permessi::Azione;
    use crate::domain::plan::parse_data;
    use crate::model::AvanzamentoView;
    use crate::ssr::{monitoraggio, porta};
    let fase_id: Option<Uuid> = match fase_id.trim() {
        "" => None,
        f => Some(f.parse().map_err(|_| AppError::NonTrovato)?),
    };
    porta::in_ente(&slug, Azione::CompilareMonitoraggio, async |ctx, tx| {
        let t = guard::aperto(tx, anno, monitoraggio_id).await?;
        guard::compilabile(tx, ctx, &t, obiettivo_id, fase_id).await?;
        let percentuale =
            Percentuale::parse_opzionale(&percentuale).map_err(AppError::NonValido)?;
        let valore_data = parse_data(&valore_data).map_err(AppError::NonValido)?;
        if let Some(d) = valore_data {
            regole::controlla_data_valore(anno, t.scadenze.riferimento, d)
                .map_err(AppError::NonValido)?;
        }
        let conclusa_il = parse_data(&conclusa_il).map_err(AppError::NonValido)?;
        if let Some(d) = conclusa_il {
            regole::controlla_conclusione(anno, t.scadenze.riferimento, percentuale, d)
                .map_err(AppError::NonValido)?;
        }
        let causa = match causa.trim() {
            "" => None,
            c => Some(
                Causa::da_codice(c)
                    .ok_or_else(|| AppError::NonValido("Scegli la causa dall'elenco.".into()))?,
            ),
        };
        let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
        let riga = p
            .strutture
            .iter()
            .flat_map(|s| &s.obiettivi)
            .find(|o| o.id == obiettivo_id)
            .and_then(|o| match fase_id {
                None => Some(o.campi.data_fine),
                Some(f) => o.fasi.iter().find(|x| x.id == f).map(|x| x.campi.data_fine),
            })
            .ok_or(AppError::NonTrovato)?;
        let inizio = monitoraggio::avvio(tx, anno).await?;
        let luce = percentuale.and_then(|p| regole::luce(p, inizio, riga, t.scadenze.riferimento));
        regole::controlla_causa(luce.map(|l| l.1), causa, &causa_testo)
            .map_err(AppError::NonValido)?;
        let proposta = match proposta.trim() {
            "" => None,
            _ if fase_id.is_some() => {
                return Err(AppError::NonValido(
                    "Una rimodulazione si propone sull'obiettivo, non sulla singola fase.".into(),
                ))
            }
            c => Some(
                regole::Proposta::da_codice(c)
                    .ok_or_else(|| AppError::NonValido("Scegli la proposta dall'elenco.".into()))?,
            ),
        };
        regole::controlla_proposta(proposta, &proposta_testo).map_err(AppError::NonValido)?;
        let a = AvanzamentoView {
            version,
            percentuale,
            valore_effettivo: guard::testo("Valore rilevato", valore_effettivo, 2000)?,
            valore_data,
            valore_fonte: guard::testo("Fonte", valore_fonte, 500)?,
            nota: guard::testo("Nota", nota, 5000)?,
            causa,
            causa_testo: guard::testo("Causa", causa_testo, 2000)?,
            azione_correttiva: guard::testo("Azione correttiva", azione_correttiva, 5000)?,
            proposta,
            proposta_testo: guard::testo("Proposta di rimodulazione", proposta_testo, 5000)?,
            conclusa_il,
        };
        let v = monitoraggio::salva(tx, t.id, obiettivo_id, fase_id, version, &a).await?;
        Ok((v, luce))
    })
    .await
}

/// Submits a struttura's record to the Nucleo: every objective and phase has its progress,
/// every red light its cause. Locked for the responsabile from then on.
#[server(endpoint = "monitoraggio/invia")]
pub async fn invia_rilevazione(
    slug: String,
    anno: i32,
    monitoraggio_id: Uuid,
    struttura_id: Uuid,
) -> Result<(), AppError> {
    use crate::domain::monitoraggio::{self as regole};
    use crate::domain::permessi::Azione;
    use crate::ssr::{monitoraggio, porta, users};
    porta::in_ente(&slug, Azione::CompilareMonitoraggio, async |ctx, tx| {
        let t = guard::aperto(tx, anno, monitoraggio_id).await?;
        let (nome, responsabile) = monitoraggio::struttura(tx, t.piano_id, struttura_id).await?;
        guard::struttura_propria(tx, ctx, &t, struttura_id, responsabile).await?;
        let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
        let v = monitoraggio::carica(tx, &t, p, |_| true).await?;
        let s = v
            .strutture
            .iter()
            .find(|s| s.id == struttura_id)
            .ok_or(AppError::NonTrovato)?;
        let mut righe = Vec::new();
        for o in &s.obiettivi {
            for (r, cosa) in std::iter::once((&o.obiettivo, "obiettivo"))
                .chain(o.fasi.iter().map(|f| (f, "fase")))
            {
                righe.push((
                    format!("{cosa} {}", r.numero),
                    r.avanzamento.percentuale,
                    v.luce(r).map(|l| l.1),
                    r.avanzamento.causa,
                ));
            }
        }
        regole::controlla_invio(&righe).map_err(AppError::NonValido)?;
        monitoraggio::segna_inviata(tx, t.id, struttura_id, true).await?;
        users::audit(
            tx,
            "monitoraggio_inviato",
            serde_json::json!({ "anno": anno, "data": t.scadenze.riferimento, "struttura": nome }),
        )
        .await
    })
    .await
}

/// Reopens a submitted record for its responsabile, with the reason (recorded).
#[server(endpoint = "monitoraggio/riapri")]
pub async fn riapri_rilevazione(
    slug: String,
    anno: i32,
    monitoraggio_id: Uuid,
    struttura_id: Uuid,
    motivo: String,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{monitoraggio, porta, users};
    porta::in_ente(&slug, Azione::ImpostareMonitoraggio, async |_, tx| {
        let t = guard::aperto(tx, anno, monitoraggio_id).await?;
        let (nome, _) = monitoraggio::struttura(tx, t.piano_id, struttura_id).await?;
        let motivo = guard::testo("Motivo", motivo, 1000)?;
        if motivo.trim().is_empty() {
            return Err(AppError::NonValido(
                "Scrivi il motivo della riapertura: resta nel registro attività.".into(),
            ));
        }
        if !monitoraggio::inviata(tx, t.id, struttura_id).await? {
            return Err(AppError::NonValido(
                "La rilevazione di questa struttura non è stata inviata: è già aperta.".into(),
            ));
        }
        monitoraggio::segna_inviata(tx, t.id, struttura_id, false).await?;
        users::audit(
            tx,
            "monitoraggio_riaperto",
            serde_json::json!({ "anno": anno, "data": t.scadenze.riferimento, "struttura": nome, "motivo": motivo.trim() }),
        )
        .await
    })
    .await
}

/// The Nucleo's note on an objective, over its version (0: none yet). Returns the new one.
#[server(endpoint = "monitoraggio/nota")]
pub async fn salva_nota_nucleo(
    slug: String,
    anno: i32,
    monitoraggio_id: Uuid,
    obiettivo_id: Uuid,
    version: i32,
    testo: String,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{monitoraggio, porta};
    porta::in_ente(&slug, Azione::ValutareMonitoraggio, async |_, tx| {
        let t = guard::aperto(tx, anno, monitoraggio_id).await?;
        monitoraggio::collocazione(tx, t.piano_id, obiettivo_id, None).await?;
        let testo = guard::testo("Osservazioni del Nucleo", testo, 5000)?;
        monitoraggio::salva_nota(tx, t.id, obiettivo_id, version, &testo).await
    })
    .await
}

/// An evidence file of an objective's progress (PDF, image or office document, told by
/// its content; at most 10 MB). Multipart: the ente, the year, the checkpoint, the
/// objective, then the file.
#[server(endpoint = "carica/evidenza", input = MultipartFormData)]
pub async fn carica_evidenza(dati: MultipartData) -> Result<EvidenzaView, AppError> {
    use crate::domain::evidenze;
    use crate::domain::permessi::Azione;
    use crate::ssr::{modulo::Modulo, monitoraggio, porta};
    crate::ssr::respond(
        async move {
            let (mut modulo, slug) = Modulo::per_ente(dati, Azione::CompilareMonitoraggio).await?;
            let anno: i32 = modulo.valore("anno").await?;
            let monitoraggio_id: Uuid = modulo.valore("monitoraggio_id").await?;
            let obiettivo_id: Uuid = modulo.valore("obiettivo_id").await?;
            let Some((nome, dati)) = modulo.file("file").await? else {
                return Err(AppError::NonValido("Scegli il file da allegare.".into()));
            };
            let tipo = evidenze::riconosci(&dati)
                .ok_or_else(|| AppError::NonValido(evidenze::RIFIUTATO.into()))?;
            porta::in_ente(&slug, Azione::CompilareMonitoraggio, async |ctx, tx| {
                let t = guard::aperto(tx, anno, monitoraggio_id).await?;
                guard::compilabile(tx, ctx, &t, obiettivo_id, None).await?;
                monitoraggio::aggiungi_evidenza(
                    tx,
                    t.id,
                    obiettivo_id,
                    &evidenze::nome_file(&nome),
                    tipo,
                    &dati,
                )
                .await
            })
            .await
        }
        .await,
    )
}

/// The Nucleo closes the checkpoint: every struttura has submitted; the Referto is made,
/// signed PAdES with the Nucleo member's own PKCS#12 (used for this signature and not
/// kept) and archived with the checkpoint. Multipart: the ente, the year, the checkpoint,
/// the password, then the file.
#[server(endpoint = "carica/referto", input = MultipartFormData)]
pub async fn chiudi_monitoraggio(dati: MultipartData) -> Result<(), AppError> {
    use crate::domain::monitoraggio as regole;
    use crate::domain::permessi::Azione;
    use crate::ssr::allegato::firma;
    use crate::ssr::{modulo::Modulo, monitoraggio, porta, users};
    crate::ssr::respond(
        async move {
            let (mut modulo, slug) = Modulo::per_ente(dati, Azione::ValutareMonitoraggio).await?;
            let anno: i32 = modulo.valore("anno").await?;
            let id: Uuid = modulo.valore("monitoraggio_id").await?;
            let (firmatario, nome) = modulo.firmatario().await?;
            porta::in_ente(&slug, Azione::ValutareMonitoraggio, async |ctx, tx| {
                let t = guard::aperto(tx, anno, id).await?;
                let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
                let v = monitoraggio::carica(tx, &t, p, |_| false).await?;
                let strutture: Vec<(String, bool)> = v
                    .strutture
                    .iter()
                    .map(|s| (s.nome.clone(), s.stato == regole::Stato::Inviata))
                    .collect();
                regole::controlla_chiusura(&strutture).map_err(AppError::NonValido)?;
                let ora = chrono::Utc::now();
                let motivo = format!(
                    "Referto di monitoraggio al {}",
                    crate::domain::plan::data_label(t.scadenze.riferimento)
                );
                let nome_firma = nome.clone();
                // Laying the Referto out and signing it are CPU work: off the async threads.
                let firmato = tokio::task::spawn_blocking(move || {
                    let pdf = monitoraggio::referto::componi(&v, &nome_firma, ora);
                    firma::pades(&firmatario, pdf, &nome_firma, &motivo)
                })
                .await
                .map_err(AppError::interno)?
                .map_err(AppError::from)?;
                monitoraggio::chiudi(tx, t.id, &firmato, &nome, ora).await?;
                users::audit(
                    tx,
                    "monitoraggio_chiuso",
                    serde_json::json!({ "anno": anno, "data": t.scadenze.riferimento, "firmatario": nome, "utente": ctx.caller.email }),
                )
                .await
            })
            .await
        }
        .await,
    )
}
