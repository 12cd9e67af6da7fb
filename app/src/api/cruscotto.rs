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

/// The plans of `anno + 1` for the chosen enti of the firm, each from its approved plan of
/// `anno`, each in its own transaction: what happened, ente by ente.
#[server(endpoint = "studio/rinnova")]
pub async fn rinnova_enti(
    anno: i32,
    #[server(default)] enti: Vec<String>,
) -> Result<Vec<EsitoRinnovo>, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, rinnovo};
    let esiti = porta::negli_enti_scelti(&enti, Azione::ModificarePiano, async move |_, tx| {
        rinnovo::nuovo_anno(tx, anno).await
    })
    .await?;
    Ok(esiti
        .into_iter()
        .map(|(e, r)| {
            let mut esito =
                r.unwrap_or_else(|err| EsitoRinnovo::non_fatto(anno + 1, err.to_string()));
            (esito.slug, esito.ente) = (e.slug, e.name);
            esito
        })
        .collect())
}

/// The plan of `anno + 1` of one ente from its approved plan of `anno` (the plan page's
/// button).
#[server(endpoint = "piani/rinnova")]
pub async fn rinnova(slug: String, anno: i32) -> Result<EsitoRinnovo, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, rinnovo};
    porta::in_ente(&slug, Azione::ModificarePiano, async |ctx, tx| {
        let mut e = rinnovo::nuovo_anno(tx, anno).await?;
        (e.slug, e.ente) = (ctx.slug.clone(), ctx.ente_name.clone());
        Ok(e)
    })
    .await
}

/// The deadlines of the ente's year, with the days left.
#[server(endpoint = "scadenze")]
pub async fn scadenze_ente(slug: String, anno: i32) -> Result<ScadenzeView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::scadenze::{giorni_a, scadenze};
    use crate::model::ScadenzaEnte;
    use crate::ssr::{porta, scadenze as sql};
    let oggi = crate::domain::calendario::oggi();
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        let f = sql::dell_ente(tx, anno).await?;
        let lista = scadenze(&f)
            .into_iter()
            .map(|s| ScadenzaEnte {
                norma: s
                    .tipo
                    .map(|t| t.norma().to_string())
                    .unwrap_or_else(|| "D.Lgs 150/2009 art. 6 (scadenza del monitoraggio)".into()),
                giorni: giorni_a(oggi, s.data),
                spostata: s.tipo.is_some_and(|t| f.spostata(t)),
                titolo: s.titolo,
                data: s.data,
                fatta: s.fatta,
                pagina: format!("/e/{}/{}", ctx.slug, s.pagina),
                tipo: s.tipo,
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
