//! The firm's cockpit: its enti for a year, the next year's plans in one action, the
//! deadlines (the firm's defaults and each ente's own).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CruscottoView, EsitoRinnovo, ScadenzeView};

/// The cockpit's page of enti, filtered and sorted as asked (every value as typed in the
/// page's query; an unreadable one is no filter).
#[server(endpoint = "studio/cruscotto")]
pub async fn cruscotto(
    #[server(default)] anno: String,
    #[server(default)] stato: String,
    #[server(default)] provincia: String,
    #[server(default)] ritardo: String,
    #[server(default)] ordine: String,
    #[server(default)] pagina: String,
) -> Result<CruscottoView, AppError> {
    use crate::domain::calendario;
    use crate::ssr::{cruscotto, porta};
    let filtri = cruscotto::Filtri::da_testo(&anno, &stato, &provincia, &ritardo, &ordine, &pagina);
    porta::nel_cruscotto(async |_, enti, tx| {
        cruscotto::vista(tx, enti, &filtri, calendario::oggi()).await
    })
    .await
}

/// At most this many enti in one go: each is a transaction of its own.
pub const MASSIMO_RINNOVI: usize = 100;

/// The plans of `anno + 1` for the chosen enti of the firm, each from its approved plan of
/// `anno`, each in its own transaction: what happened, ente by ente.
#[server(endpoint = "studio/rinnova")]
pub async fn rinnova_enti(
    anno: i32,
    #[server(default)] enti: Vec<String>,
) -> Result<Vec<EsitoRinnovo>, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{caller, pool, porta, rinnovo};
    // Only the firm's own enti: any other makes the whole call a 404 (to anyone but a
    // consultant, none exists), before anything is made. The door of each checks again.
    porta::nella_libreria(async |_, firm, tx| {
        if enti.is_empty() {
            return Err(AppError::NonValido("Scegli almeno un ente.".into()));
        }
        if enti.len() > MASSIMO_RINNOVI {
            return Err(AppError::NonValido(format!(
                "Al massimo {MASSIMO_RINNOVI} enti alla volta."
            )));
        }
        let propri = crate::ssr::enti::dello_studio(tx, firm).await?;
        match enti.iter().all(|s| propri.iter().any(|e| &e.slug == s)) {
            true => Ok(()),
            false => Err(AppError::NonTrovato),
        }
    })
    .await?;
    let (caller, pool) = (caller()?, pool()?);
    let mut out = Vec::with_capacity(enti.len());
    for slug in enti {
        let r = porta::in_ente_di(
            &pool,
            caller.clone(),
            &slug,
            Azione::ModificarePiano,
            async |ctx, tx| {
                let mut e = rinnovo::nuovo_anno(tx, anno).await?;
                e.ente = ctx.ente_name.clone();
                Ok(e)
            },
        )
        .await;
        out.push(match r {
            Ok(mut e) => {
                e.slug = slug;
                e
            }
            Err(err) => EsitoRinnovo {
                ente: slug.clone(),
                slug,
                anno: anno + 1,
                creato: false,
                messaggio: err.to_string(),
                strutture: 0,
                obiettivi: 0,
                fasi: 0,
                assegnazioni: 0,
                attenzione: Vec::new(),
            },
        });
    }
    Ok(out)
}

/// The plan of `anno + 1` of one ente from its approved plan of `anno` (the plan page's
/// button).
#[server(endpoint = "piani/rinnova")]
pub async fn rinnova(slug: String, anno: i32) -> Result<EsitoRinnovo, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, rinnovo};
    porta::in_ente(&slug, Azione::ModificarePiano, async |ctx, tx| {
        let mut e = rinnovo::nuovo_anno(tx, anno).await?;
        e.slug = ctx.slug.clone();
        e.ente = ctx.ente_name.clone();
        Ok(e)
    })
    .await
}

/// The deadlines of the ente's year, with the days left.
#[server(endpoint = "scadenze")]
pub async fn scadenze_ente(slug: String, anno: i32) -> Result<ScadenzeView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::scadenze::{giorni_a, scadenze, Tipo};
    use crate::model::ScadenzaEnte;
    use crate::ssr::{porta, scadenze as sql};
    let oggi = crate::domain::calendario::oggi();
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        let f = sql::dell_ente(tx, anno).await?;
        let lista = scadenze(&f)
            .into_iter()
            .map(|s| {
                let tipo = Tipo::from_db(s.chiave.split(':').next().unwrap_or_default());
                ScadenzaEnte {
                    norma: tipo.map(|t| t.norma().to_string()).unwrap_or_else(|| {
                        "D.Lgs 150/2009 art. 6 (scadenza del monitoraggio)".into()
                    }),
                    giorni: giorni_a(oggi, s.data),
                    spostata: tipo.is_some_and(|t| f.spostata(t)),
                    titolo: s.titolo,
                    data: s.data,
                    fatta: s.fatta,
                    pagina: format!("/e/{}/{}", ctx.slug, s.pagina),
                    tipo,
                }
            })
            .collect();
        Ok(ScadenzeView {
            anno,
            scadenze: lista,
            modificabili: ctx.puo(Azione::ModificarePiano).is_ok(),
        })
    })
    .await
}

/// Moves one of the ente's deadlines for the year; an empty date brings back the firm's.
#[server(endpoint = "scadenze/sposta")]
pub async fn sposta_scadenza(
    slug: String,
    anno: i32,
    tipo: String,
    #[server(default)] data: String,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::plan::parse_data;
    use crate::domain::scadenze::Tipo;
    use crate::ssr::{porta, scadenze, users};
    porta::in_ente(&slug, Azione::ModificarePiano, async |_, tx| {
        let tipo = Tipo::from_db(&tipo).ok_or(AppError::NonTrovato)?;
        let data = parse_data(&data).map_err(AppError::NonValido)?;
        if data.is_some_and(|d| !(2000..=2101).contains(&chrono::Datelike::year(&d))) {
            return Err(AppError::NonValido(
                "La data è fuori dagli anni ammessi.".into(),
            ));
        }
        scadenze::sposta(tx, anno, tipo, data).await?;
        users::audit(
            tx,
            "scadenza_spostata",
            serde_json::json!({ "anno": anno, "tipo": tipo.db_name(), "data": data }),
        )
        .await
    })
    .await
}

/// The firm's deadline days (for all its enti) and its reminder days.
#[server(endpoint = "studio/scadenze")]
pub async fn scadenze_studio() -> Result<crate::model::ScadenzeStudio, AppError> {
    use crate::ssr::{porta, scadenze};
    porta::nello_studio(async |_, firm, tx| {
        let (giorni, regole) = scadenze::dello_studio(tx, firm).await?;
        Ok(crate::model::ScadenzeStudio { giorni, regole })
    })
    .await
}

/// Saves the firm's deadline days (`giorno_<tipo>`, `mese_<tipo>`) and reminder days.
#[server(endpoint = "studio/scadenze/salva")]
pub async fn salva_scadenze_studio(
    #[server(default)] piao: String,
    #[server(default)] relazione: String,
    #[server(default)] validazione: String,
    #[server(default)] pubblicazione: String,
    #[server(default)] prima: String,
    #[server(default)] ogni: String,
) -> Result<(), AppError> {
    use crate::domain::scadenze::{giorno_mese, regole_da, Tipo};
    use crate::ssr::{porta, scadenze};
    porta::nello_studio(async |caller, firm, tx| {
        let mut giorni = Vec::new();
        for (t, v) in [
            (Tipo::Piao, &piao),
            (Tipo::Relazione, &relazione),
            (Tipo::Validazione, &validazione),
            (Tipo::Pubblicazione, &pubblicazione),
        ] {
            let (g, m) =
                giorno_mese(v).map_err(|e| AppError::NonValido(format!("{}: {e}", t.label())))?;
            giorni.push((t, g, m));
        }
        let regole = regole_da(&prima, &ogni).map_err(AppError::NonValido)?;
        scadenze::salva_studio(tx, firm, caller.user_id, &giorni, &regole).await
    })
    .await
}
