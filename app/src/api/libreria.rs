//! The template library's server functions: consultants search, write, version, duplicate
//! and retire their firm's templates (`/libreria`); people who edit a plan search the
//! library from the editor, adopt a template into a struttura and take or dismiss its
//! updates. Which templates a caller sees is decided by Row-Level Security as well.

// A server function's arguments are the fields of its form.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::domain::plan::Livello;
use crate::error::AppError;
use crate::model::{Aggiornamento, ModelloBreve, ModelloView, RigaView};

/// A phase as the template form sends it (as typed: weight and due date are parsed here).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FaseModulo {
    pub descrizione: String,
    pub peso: String,
    pub indicatori: String,
    pub valori_attesi: String,
    pub scadenza: String,
}

#[cfg(feature = "ssr")]
mod ssr_parts {
    use super::FaseModulo;
    use crate::domain::libreria::{self, ContenutoModello, FaseModello, Natura, Scadenza};
    use crate::domain::peso::Peso;
    use crate::error::{AppError, AppResult};

    fn peso(raw: &str, dove: &str) -> AppResult<Option<Peso>> {
        Peso::parse_opzionale(raw).map_err(|e| AppError::NonValido(format!("{dove}: {e}")))
    }

    fn scadenza(raw: &str, dove: &str) -> AppResult<Option<Scadenza>> {
        Scadenza::parse(raw).map_err(|e| AppError::NonValido(format!("{dove}: {e}")))
    }

    fn codici(raw: &str) -> Vec<String> {
        let mut v: Vec<String> = raw
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The form's fields as a template, or every reason they are not one.
    pub fn contenuto(
        titolo: String,
        descrizione: String,
        peso_raw: String,
        indicatori: String,
        valori_attesi: String,
        scadenza_raw: String,
        natura: String,
        tipi: String,
        missioni: String,
        fasi: String,
    ) -> AppResult<ContenutoModello> {
        let fasi: Vec<FaseModulo> = if fasi.trim().is_empty() {
            Vec::new()
        } else {
            serde_json::from_str(&fasi)
                .map_err(|_| AppError::NonValido("Fasi del modello non leggibili.".into()))?
        };
        let fasi = fasi
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let dove = format!("Fase {}", i + 1);
                Ok(FaseModello {
                    descrizione: f.descrizione.trim().to_string(),
                    peso: peso(&f.peso, &dove)?,
                    indicatori: f.indicatori,
                    valori_attesi: f.valori_attesi,
                    scadenza: scadenza(&f.scadenza, &dove)?,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let c = ContenutoModello {
            titolo: titolo.trim().to_string(),
            descrizione: descrizione.trim().to_string(),
            peso: peso(&peso_raw, "Peso")?,
            indicatori,
            valori_attesi,
            scadenza: scadenza(&scadenza_raw, "Scadenza")?,
            fasi,
            tipi_struttura: codici(&tipi),
            missioni: codici(&missioni),
            natura: Natura::from_db(&natura).ok_or_else(|| {
                AppError::NonValido("Indica se è di mantenimento o di sviluppo.".into())
            })?,
        };
        let problemi = libreria::problemi(&c);
        if problemi.is_empty() {
            Ok(c)
        } else {
            Err(AppError::NonValido(problemi.join(" ")))
        }
    }
}

/// Searches the library. `slug` empty: a consultant's library page (base + their firm,
/// retired ones included); otherwise from an ente's plan (base + the ente's firm, in use).
#[server(endpoint = "libreria/cerca")]
pub async fn cerca_modelli(
    slug: String,
    testo: String,
    tipo: String,
    missione: String,
    natura: String,
) -> Result<Vec<ModelloBreve>, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::libreria::{self, Filtro};
    use crate::ssr::porta;
    if testo.chars().count() > 200 {
        return crate::ssr::respond(Err(AppError::NonValido(
            "Testo di ricerca troppo lungo: al massimo 200 caratteri.".into(),
        )));
    }
    let filtro = Filtro {
        testo,
        tipo,
        missione,
        natura,
        // The library page shows retired templates too; a plan only those in use.
        anche_ritirati: slug.is_empty(),
    };
    if slug.is_empty() {
        porta::nello_studio(async |_, _, tx| libreria::cerca(tx, &filtro).await).await
    } else {
        porta::in_ente(&slug, Azione::UsareLibreria, async |_, tx| {
            libreria::cerca(tx, &filtro).await
        })
        .await
    }
}

/// A template at `versione` (0: the current one), with its history and, for the
/// consultant, which of their enti use which version.
#[server(endpoint = "libreria/modello")]
pub async fn carica_modello(id: Uuid, versione: i32) -> Result<ModelloView, AppError> {
    use crate::ssr::{libreria, porta};
    porta::nella_libreria(async |_, firm, tx| {
        let v = libreria::versione(tx, id, (versione > 0).then_some(versione)).await?;
        let versioni = libreria::versioni(tx, id).await?;
        let enti: Vec<Uuid> = porta::enti_dello_studio(tx, firm)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect();
        let uso = libreria::uso(tx, &enti, id).await?;
        Ok(ModelloView {
            id,
            base: v.firm_id.is_none(),
            ritirato: v.ritirato,
            versione_corrente: v.versione_corrente,
            versione: v.versione,
            contenuto: v.contenuto()?,
            versioni,
            modificabile: v.firm_id == Some(firm),
            uso,
        })
    })
    .await
}

/// Saves a template: `id` empty creates one (version 1); otherwise adds the version after
/// `versione`, which must still be the current one. `fasi` is a JSON list of `FaseModulo`.
#[server(endpoint = "libreria/salva")]
pub async fn salva_modello(
    id: String,
    versione: i32,
    titolo: String,
    descrizione: String,
    peso: String,
    indicatori: String,
    valori_attesi: String,
    scadenza: String,
    natura: String,
    tipi: String,
    missioni: String,
    fasi: String,
) -> Result<(Uuid, i32), AppError> {
    use crate::ssr::{libreria, porta};
    porta::nella_libreria(async |caller, firm, tx| {
        let c = ssr_parts::contenuto(
            titolo,
            descrizione,
            peso,
            indicatori,
            valori_attesi,
            scadenza,
            natura,
            tipi,
            missioni,
            fasi,
        )?;
        if id.trim().is_empty() {
            return Ok((libreria::crea(tx, firm, &c, caller.user_id, None).await?, 1));
        }
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NonTrovato)?;
        // Visible and the firm's own (RLS hides other firms' templates).
        let attuale = libreria::versione(tx, id, None).await?;
        if attuale.firm_id != Some(firm) {
            return Err(AppError::NonAutorizzato);
        }
        Ok((
            id,
            libreria::nuova_versione(tx, id, versione, &c, caller.user_id).await?,
        ))
    })
    .await
}

/// A copy of a template (base or the firm's) into the firm's library, as a new template.
#[server(endpoint = "libreria/duplica")]
pub async fn duplica_modello(id: Uuid) -> Result<Uuid, AppError> {
    use crate::ssr::{libreria, porta};
    porta::nella_libreria(async |caller, firm, tx| {
        let mut c = libreria::versione(tx, id, None).await?.contenuto()?;
        c.titolo = format!("{} (copia)", c.titolo)
            .chars()
            .take(crate::domain::libreria::MAX_TITOLO)
            .collect();
        libreria::crea(tx, firm, &c, caller.user_id, Some(id)).await
    })
    .await
}

/// Retires a firm template (no longer offered for adoption) or brings it back.
#[server(endpoint = "libreria/ritira")]
pub async fn ritira_modello(id: Uuid, ritirato: bool) -> Result<(), AppError> {
    use crate::ssr::{libreria, porta};
    porta::nella_libreria(async |_, firm, tx| {
        if libreria::versione(tx, id, None).await?.firm_id != Some(firm) {
            return Err(AppError::NonAutorizzato);
        }
        libreria::ritira(tx, id, ritirato).await
    })
    .await
}

/// "Salva come modello": an objective of one of the firm's enti, with its phases, becomes a
/// new template of the firm. Returns the template's id.
#[server(endpoint = "libreria/da-obiettivo")]
pub async fn salva_come_modello(slug: String, obiettivo_id: Uuid) -> Result<Uuid, AppError> {
    use crate::domain::libreria::{
        problemi, titolo_da_descrizione, ContenutoModello, FaseModello, Natura, Scadenza,
    };
    use crate::domain::permessi::Azione;
    use crate::ssr::{libreria, piani, porta};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        // An objective of another ente is "not found" before anything else.
        let o = piani::obiettivo_completo(tx, obiettivo_id).await?;
        ctx.puo(Azione::ScrivereLibreria)?;
        let firm = ctx.caller.firm_id.ok_or(AppError::NonAutorizzato)?;
        let missioni = piani::missioni_di_obiettivo(tx, obiettivo_id).await?;
        let c = ContenutoModello {
            titolo: titolo_da_descrizione(&o.campi.descrizione),
            natura: if o.campi.descrizione.to_lowercase().contains("mantenimento") {
                Natura::Mantenimento
            } else {
                Natura::Sviluppo
            },
            descrizione: o.campi.descrizione,
            peso: o.campi.peso,
            indicatori: o.campi.indicatori,
            valori_attesi: o.campi.valori_attesi,
            scadenza: o.campi.data_fine.map(Scadenza::da_data),
            fasi: o
                .fasi
                .into_iter()
                .map(|f| FaseModello {
                    descrizione: f.campi.descrizione,
                    peso: f.campi.peso,
                    indicatori: f.campi.indicatori,
                    valori_attesi: f.campi.valori_attesi,
                    scadenza: f.campi.data_fine.map(Scadenza::da_data),
                })
                .collect(),
            tipi_struttura: Vec::new(),
            missioni,
        };
        let p = problemi(&c);
        if !p.is_empty() {
            return Err(AppError::NonValido(format!(
                "Completa l'obiettivo prima di salvarlo come modello: {}",
                p.join(" ")
            )));
        }
        libreria::crea(tx, firm, &c, ctx.caller.user_id, None).await
    })
    .await
}

/// Adopts a template's current version into a struttura of a draft plan: the new
/// objective (with its phases) is returned for the editor.
#[server(endpoint = "piani/adotta")]
pub async fn adotta_modello(
    slug: String,
    struttura_id: Uuid,
    modello_id: Uuid,
) -> Result<RigaView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{libreria, piani, porta};
    porta::in_ente(&slug, Azione::UsareLibreria, async |ctx, tx| {
        crate::api::piani::guard::struttura(tx, ctx, struttura_id).await?;
        let v = libreria::versione(tx, modello_id, None).await?;
        if v.ritirato {
            return Err(AppError::NonValido(
                "Questo modello è stato ritirato e non si può più adottare.".into(),
            ));
        }
        let anno = piani::anno_di_struttura(tx, struttura_id).await?;
        let id = piani::adotta(
            tx,
            struttura_id,
            modello_id,
            v.versione,
            &v.contenuto()?,
            anno,
        )
        .await?;
        piani::obiettivo_completo(tx, id).await
    })
    .await
}

/// What the newest version of its template would change in an adopted objective.
#[server(endpoint = "piani/aggiornamento")]
pub async fn aggiornamento_obiettivo(
    slug: String,
    obiettivo_id: Uuid,
) -> Result<Aggiornamento, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{libreria, piani, porta};
    porta::in_ente(&slug, Azione::UsareLibreria, async |ctx, tx| {
        crate::api::piani::guard::riga(tx, ctx, Livello::Obiettivo, obiettivo_id).await?;
        let (modello, da, anno) = piani::adozione(tx, obiettivo_id).await?;
        let v = libreria::versione(tx, modello, None).await?;
        let o = piani::obiettivo_completo(tx, obiettivo_id).await?;
        let c = v.contenuto()?;
        Ok(Aggiornamento {
            obiettivo_id,
            obiettivo_version: o.version,
            titolo: c.titolo.clone(),
            da,
            a: v.versione,
            differenze: crate::domain::libreria::differenze(&o, &c, anno),
        })
    })
    .await
}

/// Takes the chosen fields (comma-separated keys) of template version `a` into the
/// adopted objective saved at `version`; returns the objective as it is now.
#[server(endpoint = "piani/aggiornamento/applica")]
pub async fn applica_aggiornamento(
    slug: String,
    obiettivo_id: Uuid,
    version: i32,
    a: i32,
    campi: String,
) -> Result<RigaView, AppError> {
    use crate::domain::libreria::Campo;
    use crate::domain::permessi::Azione;
    use crate::ssr::{libreria, piani, porta};
    porta::in_ente(&slug, Azione::UsareLibreria, async |ctx, tx| {
        let campi = campi
            .split(',')
            .filter(|k| !k.trim().is_empty())
            .map(|k| {
                Campo::from_key(k.trim())
                    .ok_or_else(|| AppError::NonValido("Campo da aggiornare non valido.".into()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        crate::api::piani::guard::riga(tx, ctx, Livello::Obiettivo, obiettivo_id).await?;
        let (modello, _, anno) = piani::adozione(tx, obiettivo_id).await?;
        let v = libreria::versione(tx, modello, Some(a)).await?;
        piani::applica_modello(
            tx,
            obiettivo_id,
            version,
            &campi,
            &v.contenuto()?,
            v.versione,
            anno,
        )
        .await?;
        piani::obiettivo_completo(tx, obiettivo_id).await
    })
    .await
}

/// Dismisses the update to version `a`: the objective no longer offers it.
#[server(endpoint = "piani/aggiornamento/ignora")]
pub async fn ignora_aggiornamento(
    slug: String,
    obiettivo_id: Uuid,
    a: i32,
) -> Result<RigaView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{piani, porta};
    porta::in_ente(&slug, Azione::UsareLibreria, async |ctx, tx| {
        crate::api::piani::guard::riga(tx, ctx, Livello::Obiettivo, obiettivo_id).await?;
        piani::adozione(tx, obiettivo_id).await?;
        piani::ignora_modello(tx, obiettivo_id, a).await?;
        piani::obiettivo_completo(tx, obiettivo_id).await
    })
    .await
}

/// "Proponi l'aggiornamento a tutti gli enti": in every ente of the firm, through its own
/// door, the draft plans that set the current version of template `id` aside see it
/// offered again. What happened, ente by ente.
#[server(endpoint = "libreria/proponi")]
pub async fn proponi_a_tutti(id: Uuid) -> Result<Vec<crate::model::EsitoEnte>, AppError> {
    use crate::domain::permessi::Azione;
    use crate::model::EsitoEnte;
    use crate::ssr::{libreria, porta};
    // The firm's own template, current version: another's does not exist.
    porta::nella_libreria(async |_, firm, tx| {
        let v = libreria::versione(tx, id, None).await?;
        match v.firm_id == Some(firm) {
            true => Ok(()),
            false => Err(AppError::NonTrovato),
        }
    })
    .await?;
    let esiti = porta::in_ogni_ente_dello_studio(Azione::UsareLibreria, async move |_, tx| {
        libreria::riproponi(tx, id).await
    })
    .await?;
    Ok(esiti
        .into_iter()
        .map(|(e, r)| EsitoEnte {
            creato: matches!(r, Ok(n) if n > 0),
            messaggio: match r {
                Ok(0) => "nessun obiettivo in bozza da aggiornare.".into(),
                Ok(1) => "l'aggiornamento è proposto in 1 obiettivo.".into(),
                Ok(n) => format!("l'aggiornamento è proposto in {n} obiettivi."),
                Err(err) => err.to_string(),
            },
            ente: e.name,
        })
        .collect())
}
