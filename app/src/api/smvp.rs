//! The SMVP profile: an ente's versions (read by whoever reads the plan, written by ente
//! admins and consultants), the firm's own versions (its consultants), and an ente adopting
//! the firm's newest version field by field. Each save is a new version over the one the
//! user started from: a newer one is a conflict, never an overwrite.

// A server function's arguments are the fields of its form.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::modulo::Casella;
use crate::error::AppError;
use crate::model::{SmvpEnte, SmvpStudio};

#[cfg(feature = "ssr")]
mod guard {
    use crate::domain::smvp::Profilo;
    use crate::error::{AppError, AppResult};

    /// The schede's fields of the form: the EQ's four weights, the staff's three, the
    /// behaviours one per line. All empty: the form did not show them.
    pub struct Schede<'a>(pub [&'a str; 4], pub [&'a str; 3], pub &'a str);

    impl Schede<'_> {
        fn vuote(&self) -> bool {
            self.0
                .iter()
                .chain(self.1.iter())
                .all(|x| x.trim().is_empty())
                && self.2.trim().is_empty()
        }
    }

    /// The profile of the form, checked, over `base` (whose schede it keeps when the form
    /// has none); and its note.
    pub fn profilo(
        campi: [&str; 8],
        etichette: [String; 3],
        schede: Schede,
        base: &Profilo,
        nota: String,
    ) -> AppResult<(Profilo, String)> {
        let [metodo, alfa, penalita, soglia, tetto, media, raggiunto, parziale] = campi;
        let p = Profilo::da_modulo(
            metodo, alfa, penalita, soglia, tetto, media, raggiunto, parziale, etichette,
        )
        .map_err(AppError::NonValido)?;
        let p = if schede.vuote() {
            p.con_schede_di(base)
        } else {
            p.con_schede(schede.0, schede.1, schede.2)
                .map_err(AppError::NonValido)?
        };
        let nota = crate::api::piani::guard::testo("Nota", nota, 2000)?;
        Ok((p, nota))
    }
}

/// The ente's profile: its versions, and the firm's newest one with what differs.
#[server(endpoint = "smvp/ente")]
pub async fn profilo_ente(slug: String) -> Result<SmvpEnte, AppError> {
    use crate::domain::permessi::Azione;
    use crate::model::OffertaStudio;
    use crate::ssr::{porta, smvp};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        let versioni = smvp::versioni_ente(tx, ctx.ente_id).await?;
        let attuale = versioni
            .first()
            .map(|v| v.profilo.clone())
            .unwrap_or_default();
        let studio = smvp::offerta(tx, ctx.ente_id)
            .await?
            .map(|(_, studio, versione)| OffertaStudio {
                differenze: attuale.differenze(&versione.profilo),
                studio,
                versione,
            });
        Ok(SmvpEnte {
            ente_nome: ctx.ente_name.clone(),
            versioni,
            studio,
            puo_modificare: ctx.role.puo(Azione::ImpostareValutazione),
        })
    })
    .await
}

/// Saves a new version of the ente's profile over `base` (the newest the user saw; 0: none).
#[server(endpoint = "smvp/ente/salva")]
pub async fn salva_profilo_ente(
    slug: String,
    base: i32,
    metodo: String,
    alfa: String,
    penalita: String,
    soglia: String,
    tetto: String,
    media: String,
    raggiunto: String,
    parziale: String,
    etichetta_1: String,
    etichetta_2: String,
    etichetta_3: String,
    #[server(default)] nota: String,
    #[server(default)] eq_risultati: String,
    #[server(default)] eq_obiettivi: String,
    #[server(default)] eq_comportamenti: String,
    #[server(default)] eq_differenziazione: String,
    #[server(default)] pe_risultati: String,
    #[server(default)] pe_obiettivi: String,
    #[server(default)] pe_comportamenti: String,
    #[server(default)] comportamenti: String,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, smvp, users};
    porta::in_ente(&slug, Azione::ImpostareValutazione, async |ctx, tx| {
        let attuale = match base {
            n if n > 0 => smvp::profilo_ente(tx, ctx.ente_id, n).await?,
            _ => Default::default(),
        };
        let (p, nota) = guard::profilo(
            [
                &metodo, &alfa, &penalita, &soglia, &tetto, &media, &raggiunto, &parziale,
            ],
            [etichetta_1, etichetta_2, etichetta_3],
            guard::Schede(
                [
                    &eq_risultati,
                    &eq_obiettivi,
                    &eq_comportamenti,
                    &eq_differenziazione,
                ],
                [&pe_risultati, &pe_obiettivi, &pe_comportamenti],
                &comportamenti,
            ),
            &attuale,
            nota,
        )?;
        let autore = Some(ctx.caller.user_id);
        let n = smvp::aggiungi_ente(tx, ctx.ente_id, base, &p, None, &nota, autore).await?;
        users::audit(tx, "smvp_versione", serde_json::json!({ "numero": n })).await?;
        Ok(n)
    })
    .await
}

/// Adopts the chosen fields of the firm's version `studio_numero` as the ente's new version
/// over `base`: the other fields keep the ente's values.
#[server(endpoint = "smvp/ente/adotta")]
pub async fn adotta_profilo_studio(
    slug: String,
    base: i32,
    studio_numero: i32,
    #[server(default)] campo_metodo: Casella,
    #[server(default)] campo_alfa: Casella,
    #[server(default)] campo_penalita: Casella,
    #[server(default)] campo_soglia: Casella,
    #[server(default)] campo_tetto: Casella,
    #[server(default)] campo_media: Casella,
    #[server(default)] campo_raggiunto: Casella,
    #[server(default)] campo_parziale: Casella,
    #[server(default)] campo_etichette: Casella,
    #[server(default)] campo_scheda_eq: Casella,
    #[server(default)] campo_scheda_personale: Casella,
    #[server(default)] campo_comportamenti: Casella,
) -> Result<i32, AppError> {
    use crate::domain::permessi::Azione;
    use crate::domain::smvp::Campo;
    use crate::ssr::{porta, smvp, users};
    let scelti: Vec<Campo> = Campo::TUTTI
        .into_iter()
        .zip([
            campo_metodo,
            campo_alfa,
            campo_penalita,
            campo_soglia,
            campo_tetto,
            campo_media,
            campo_raggiunto,
            campo_parziale,
            campo_etichette,
            campo_scheda_eq,
            campo_scheda_personale,
            campo_comportamenti,
        ])
        .filter(|(_, c)| c.0)
        .map(|(campo, _)| campo)
        .collect();
    porta::in_ente(&slug, Azione::ImpostareValutazione, async |ctx, tx| {
        if scelti.is_empty() {
            return Err(AppError::NonValido(
                "Scegli almeno un parametro da adottare.".into(),
            ));
        }
        let (firm, _, offerta) = smvp::offerta(tx, ctx.ente_id)
            .await?
            .ok_or(AppError::NonTrovato)?;
        if offerta.numero != studio_numero {
            return Err(AppError::Conflitto(
                "Lo studio ha pubblicato una nuova versione del profilo: ricarica la pagina per vederla."
                    .into(),
            ));
        }
        let attuale = match base {
            0 => Default::default(),
            n => smvp::profilo_ente(tx, ctx.ente_id, n).await?,
        };
        let nuovo = attuale.con(&offerta.profilo, &scelti);
        let nota = format!(
            "Adottati dal profilo dello studio (versione {studio_numero}): {}",
            scelti.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ")
        );
        let n = smvp::aggiungi_ente(
            tx,
            ctx.ente_id,
            base,
            &nuovo,
            Some((firm, studio_numero)),
            &nota,
            Some(ctx.caller.user_id),
        )
        .await?;
        users::audit(
            tx,
            "smvp_adottato",
            serde_json::json!({ "numero": n, "studio_numero": studio_numero }),
        )
        .await?;
        Ok(n)
    })
    .await
}

/// The firm's profile: its versions and, for each of its enti, the firm version its
/// current profile came from.
#[server(endpoint = "studio/smvp")]
pub async fn profilo_studio() -> Result<SmvpStudio, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, smvp};
    let versioni =
        porta::nello_studio(async |_, firm, tx| smvp::versioni_studio(tx, firm).await).await?;
    let enti = porta::in_ogni_ente_dello_studio(Azione::LeggerePiano, async |ctx, tx| {
        Ok(smvp::versioni_ente(tx, ctx.ente_id)
            .await?
            .first()
            .and_then(|v| v.da_studio))
    })
    .await?
    .into_iter()
    .map(|(e, da)| (e.name, e.slug, da.ok().flatten()))
    .collect();
    Ok(SmvpStudio { versioni, enti })
}

/// Saves a new version of the firm's profile over `base`.
#[server(endpoint = "studio/smvp/salva")]
pub async fn salva_profilo_studio(
    base: i32,
    metodo: String,
    alfa: String,
    penalita: String,
    soglia: String,
    tetto: String,
    media: String,
    raggiunto: String,
    parziale: String,
    etichetta_1: String,
    etichetta_2: String,
    etichetta_3: String,
    #[server(default)] nota: String,
    #[server(default)] eq_risultati: String,
    #[server(default)] eq_obiettivi: String,
    #[server(default)] eq_comportamenti: String,
    #[server(default)] eq_differenziazione: String,
    #[server(default)] pe_risultati: String,
    #[server(default)] pe_obiettivi: String,
    #[server(default)] pe_comportamenti: String,
    #[server(default)] comportamenti: String,
) -> Result<i32, AppError> {
    use crate::ssr::{porta, smvp};
    porta::nello_studio(async |caller, firm, tx| {
        let attuale = smvp::versioni_studio(tx, firm)
            .await?
            .into_iter()
            .find(|v| v.numero == base)
            .map(|v| v.profilo)
            .unwrap_or_default();
        let (p, nota) = guard::profilo(
            [
                &metodo, &alfa, &penalita, &soglia, &tetto, &media, &raggiunto, &parziale,
            ],
            [etichetta_1, etichetta_2, etichetta_3],
            guard::Schede(
                [
                    &eq_risultati,
                    &eq_obiettivi,
                    &eq_comportamenti,
                    &eq_differenziazione,
                ],
                [&pe_risultati, &pe_obiettivi, &pe_comportamenti],
                &comportamenti,
            ),
            &attuale,
            nota,
        )?;
        smvp::aggiungi_studio(tx, firm, base, &p, &nota, caller.user_id).await
    })
    .await
}
