//! The Relazione sulla Performance: its editable chapters and its adoption by the Giunta
//! (ente admins and consultants, once the year's results are complete), then the Nucleo's
//! validation: the random sample of objectives whose evidence it examines, the checklist
//! and the outcome, and the Documento di validazione signed PAdES by each member with their
//! own PKCS#12 (used for that signature and not kept). Every function enters the ente
//! through `porta` with its action.

// A server function's arguments are the fields of its form.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

use crate::domain::modulo::Casella;
use crate::error::AppError;
use crate::model::RelazioneView;

#[cfg(feature = "ssr")]
mod guard {
    use crate::error::{AppError, AppResult};
    use crate::model::PianoView;
    use crate::ssr::{relazione, EnteTx};

    /// The plan of `anno` in force, whose Relazione is adopted (and its delibera).
    pub async fn adottata(tx: &mut EnteTx, anno: i32) -> AppResult<(PianoView, relazione::Riga)> {
        let p = crate::api::monitoraggio::guard::approvato(tx, anno).await?;
        let r = relazione::riga(tx, p.id).await?;
        if r.stato == "bozza" {
            return Err(AppError::NonValido(
                "La validazione riguarda la Relazione adottata dalla Giunta: adottala prima."
                    .into(),
            ));
        }
        Ok((p, r))
    }
}

/// The Relazione of the plan of `anno`, with its validation.
#[server(endpoint = "relazione")]
pub async fn relazione(slug: String, anno: i32) -> Result<RelazioneView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, relazione};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        relazione::vista(tx, ctx, anno).await
    })
    .await
}

/// Saves the editable chapters (context, equal opportunities) of a draft, over `version`.
#[server(endpoint = "relazione/salva")]
pub async fn salva_relazione(
    slug: String,
    anno: i32,
    version: i32,
    #[server(default)] contesto: String,
    #[server(default)] pari_opportunita: String,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, relazione};
    porta::in_ente(&slug, Azione::ImpostareValutazione, async |_, tx| {
        let p = crate::api::monitoraggio::guard::approvato(tx, anno).await?;
        let contesto = crate::api::piani::guard::testo("Il contesto", contesto, 100_000)?;
        let pari = crate::api::piani::guard::testo("Pari opportunità", pari_opportunita, 100_000)?;
        relazione::salva_testi(tx, p.id, version, &contesto, &pari).await
    })
    .await
}

/// Adopts the Relazione with the Giunta's delibera: the year's results must be complete;
/// its PDF/A is made now and kept as it is.
#[server(endpoint = "relazione/adotta")]
pub async fn adotta_relazione(
    slug: String,
    anno: i32,
    version: i32,
    delibera_numero: String,
    delibera_data: String,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::plan::{data_label, parse_data};
    use crate::ssr::{porta, relazione, users};
    porta::in_ente(&slug, Azione::ImpostareValutazione, async |ctx, tx| {
        let p = crate::api::monitoraggio::guard::approvato(tx, anno).await?;
        let numero = delibera_numero.trim().to_string();
        if numero.is_empty() || numero.chars().count() > 50 {
            return Err(AppError::NonValido(
                "Indica il numero della delibera di Giunta (al massimo 50 caratteri).".into(),
            ));
        }
        let data = parse_data(&delibera_data)
            .map_err(AppError::NonValido)?
            .ok_or_else(|| AppError::NonValido("Indica la data della delibera.".into()))?;
        let oggi = crate::domain::calendario::oggi();
        if chrono::Datelike::year(&data) <= anno || data > oggi {
            return Err(AppError::NonValido(format!(
                "La Relazione sul {anno} si adotta dopo la fine dell'anno e non in una data futura: il {} non va bene.",
                data_label(data)
            )));
        }
        let piano = p.id;
        let mut d = relazione::dati(tx, ctx, p).await?;
        if d.chiusura.ente.is_none() {
            return Err(AppError::NonValido(
                "Mancano dei risultati: la Relazione si adotta quando ogni obiettivo ha il suo punteggio (o è non valutabile)."
                    .into(),
            ));
        }
        d.delibera = Some((numero.clone(), data));
        let ora = chrono::Utc::now();
        let pdf = tokio::task::spawn_blocking(move || relazione::documento::relazione(&d, ora))
            .await
            .map_err(AppError::interno)?;
        relazione::adotta(tx, piano, version, (&numero, data), &pdf).await?;
        users::audit(
            tx,
            "relazione_adottata",
            serde_json::json!({ "anno": anno, "delibera": numero, "data": data }),
        )
        .await
    })
    .await
}

/// The Nucleo starts the validation of the adopted Relazione, by one member or a board of
/// three, and the objectives to examine are drawn at random.
#[server(endpoint = "relazione/validazione")]
pub async fn avvia_validazione(slug: String, anno: i32, componenti: i32) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, relazione};
    porta::in_ente(&slug, Azione::ValidareRisultati, async |_, tx| {
        if componenti != 1 && componenti != 3 {
            return Err(AppError::NonValido(
                "Il Nucleo ha un componente unico o tre componenti.".into(),
            ));
        }
        let (p, _) = guard::adottata(tx, anno).await?;
        relazione::avvia_validazione(tx, p.id, componenti).await
    })
    .await
}

/// The Nucleo records that it examined the evidence of a sampled objective.
#[server(endpoint = "relazione/esamina")]
pub async fn esamina_campione(slug: String, anno: i32, obiettivo_id: Uuid) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, relazione};
    porta::in_ente(&slug, Azione::ValidareRisultati, async |_, tx| {
        let (p, _) = guard::adottata(tx, anno).await?;
        relazione::esamina(tx, p.id, obiettivo_id).await
    })
    .await
}

/// The checklist, the outcome and its text, over `version`, before anyone signs.
#[server(endpoint = "relazione/esito")]
pub async fn esito_validazione(
    slug: String,
    anno: i32,
    version: i32,
    #[server(default)] conformita: Casella,
    #[server(default)] attendibilita: Casella,
    #[server(default)] comprensibilita: Casella,
    #[server(default)] modifiche_motivate: Casella,
    esito: String,
    #[server(default)] testo: String,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, relazione};
    porta::in_ente(&slug, Azione::ValidareRisultati, async |_, tx| {
        let (p, _) = guard::adottata(tx, anno).await?;
        let lista = [
            conformita.0,
            attendibilita.0,
            comprensibilita.0,
            modifiche_motivate.0,
        ];
        let testo = crate::api::piani::guard::testo("Osservazioni", testo, 20_000)?;
        match esito.trim() {
            "validata" if lista.iter().all(|x| *x) => {}
            "validata" => {
                return Err(AppError::NonValido(
                    "Una Relazione «validata» ha tutte le verifiche positive: altrimenti scegli «validata con osservazioni» e scrivile.".into(),
                ))
            }
            "validata_osservazioni" | "non_validata" if testo.trim().is_empty() => {
                return Err(AppError::NonValido(
                    "Scrivi le osservazioni o i motivi della mancata validazione.".into(),
                ))
            }
            "validata_osservazioni" | "non_validata" => {}
            _ => return Err(AppError::NonValido("Scegli l'esito dall'elenco.".into())),
        }
        let e = relazione::Esito {
            lista,
            esito: esito.trim(),
            testo: testo.trim(),
        };
        relazione::salva_esito(tx, p.id, version, &e).await
    })
    .await
}

/// A member of the Nucleo signs the Documento di validazione: the first one's signature
/// makes it (from the outcome and the sample, every sampled objective examined); each
/// next one adds theirs; the last completes the validation. Multipart: the ente, the year,
/// the version seen, the password, then the file.
#[server(endpoint = "carica/validazione", input = MultipartFormData)]
pub async fn firma_validazione(dati: MultipartData) -> Result<bool, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::allegato::firma;
    use crate::ssr::{modulo::Modulo, porta, relazione, users};
    crate::ssr::respond(
        async move {
            let (mut modulo, slug) = Modulo::per_ente(dati, Azione::ValidareRisultati).await?;
            let anno: i32 = modulo.valore("anno").await?;
            let version: i32 = modulo.valore("version").await?;
            let (firmatario, nome) = modulo.firmatario().await?;
            porta::in_ente(&slug, Azione::ValidareRisultati, async |ctx, tx| {
                let (p, r) = guard::adottata(tx, anno).await?;
                let v = relazione::validazione(tx, p.id, ctx.caller.user_id)
                    .await?
                    .ok_or_else(|| AppError::NonValido("Avvia prima la validazione.".into()))?;
                if v.firmata_da_me {
                    return Err(AppError::NonValido(
                        "Hai già firmato questo documento di validazione.".into(),
                    ));
                }
                if v.esito.is_none() {
                    return Err(AppError::NonValido(
                        "Registra prima le verifiche e l'esito della validazione.".into(),
                    ));
                }
                if let Some(c) = v.campione.iter().find(|c| c.esaminato.is_none()) {
                    return Err(AppError::NonValido(format!(
                        "Esamina prima le evidenze dell'obiettivo del campione «{}».",
                        c.dove
                    )));
                }
                let documento = match relazione::documento_validazione(tx, p.id).await? {
                    Some((d, _)) => d,
                    None => {
                        let pdf = relazione::pdf_adottato(tx, p.id)
                            .await?
                            .ok_or(AppError::Interno)?;
                        let (numero, data) = r
                            .delibera_numero
                            .clone()
                            .zip(r.delibera_data)
                            .ok_or(AppError::Interno)?;
                        let ente = ctx.ente_name.clone();
                        let v = v.clone();
                        let ora = chrono::Utc::now();
                        tokio::task::spawn_blocking(move || {
                            relazione::documento::validazione(
                                &ente,
                                anno,
                                (&numero, data, &pdf),
                                &v,
                                ora,
                            )
                        })
                        .await
                        .map_err(AppError::interno)?
                    }
                };
                let nome_firma = nome.clone();
                let motivo = format!("Validazione della Relazione sulla Performance {anno}");
                let firmato = tokio::task::spawn_blocking(move || {
                    firma::pades(&firmatario, documento, &nome_firma, &motivo)
                })
                .await
                .map_err(AppError::interno)?
                .map_err(AppError::from)?;
                let completa = relazione::firma(tx, p.id, version, &firmato, &nome).await?;
                users::audit(
                    tx,
                    "validazione_firmata",
                    serde_json::json!({ "anno": anno, "firmatario": nome, "completa": completa }),
                )
                .await?;
                Ok(completa)
            })
            .await
        }
        .await,
    )
}
