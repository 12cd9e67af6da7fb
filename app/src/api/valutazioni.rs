//! Individual evaluation (D.Lgs 150/2009 art. 9): the year's schede, prepared by the ente's
//! admins and consultants from the plan's assignments; each filled in and proposed by its
//! evaluator (the responsabile for their staff, the Nucleo for an EQ), seen and accepted or
//! contested by the person, a review decided after a hearing. Everyone enters with
//! `Entrare`: which schede a caller reads is decided by Row-Level Security (their own, the
//! ones they evaluate, the EQ's for the Nucleo, all for admins and consultants), and each
//! step checks the caller's part on the scheda.

// A server function's arguments are the fields of its form.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

use crate::domain::modulo::Casella;
use crate::error::AppError;
use crate::model::{SchedaView, ValutazioniView};

#[cfg(feature = "ssr")]
pub(crate) mod guard {
    use crate::error::{AppError, AppResult};
    use crate::model::{ChiusuraView, PianoView};
    use crate::ssr::valutazioni::Compilazione;
    use crate::ssr::{chiusura, EnteCtx, EnteTx};

    /// The approved plan of `anno` in force.
    pub async fn piano(tx: &mut EnteTx, anno: i32) -> AppResult<PianoView> {
        let p = crate::api::piani::guard::in_vigore(tx, anno).await?;
        if !p.approvato {
            return Err(AppError::NonValido(
                "Le valutazioni partono da un piano approvato.".into(),
            ));
        }
        Ok(p)
    }

    /// The approved plan of `anno` in force and its year-end (every score computed: only
    /// for what reads them).
    pub async fn anno(
        tx: &mut EnteTx,
        ctx: &EnteCtx,
        anno: i32,
    ) -> AppResult<(uuid::Uuid, ChiusuraView)> {
        let p = piano(tx, anno).await?;
        let id = p.id;
        Ok((id, chiusura::del_piano(tx, ctx, p).await?))
    }

    fn voto(raw: &str) -> AppResult<Option<u8>> {
        match raw.trim() {
            "" => Ok(None),
            v => v
                .parse::<u8>()
                .ok()
                .filter(|v| (1..=5).contains(v))
                .map(Some)
                .ok_or_else(|| AppError::NonValido("I voti vanno da 1 a 5.".into())),
        }
    }

    fn data(raw: &str, campo: &str) -> AppResult<Option<chrono::NaiveDate>> {
        crate::domain::plan::parse_data(raw)
            .map_err(|e| AppError::NonValido(format!("{campo}: {e}")))
    }

    /// The scheda's form, typed.
    pub fn compilazione(
        voti: &[String],
        differenziazione: &str,
        note: String,
        date: [&str; 3],
    ) -> AppResult<Compilazione> {
        Ok(Compilazione {
            voti: voti.iter().map(|v| voto(v)).collect::<AppResult<_>>()?,
            differenziazione: voto(differenziazione)?,
            note: crate::api::piani::guard::testo("Note", note, 5000)?,
            colloquio_assegnazione: data(date[0], "Colloquio di assegnazione")?,
            colloquio_intermedio: data(date[1], "Colloquio intermedio")?,
            colloquio_finale: data(date[2], "Colloquio finale")?,
        })
    }

    pub fn data_obbligatoria(raw: &str, campo: &str) -> AppResult<chrono::NaiveDate> {
        data(raw, campo)?.ok_or_else(|| AppError::NonValido(format!("Indica la data: {campo}.")))
    }
}

/// The schede of the plan of `anno` the caller may see.
#[server(endpoint = "valutazioni")]
pub async fn valutazioni(slug: String, anno: i32) -> Result<ValutazioniView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, premi, valutazioni};
    porta::in_ente(&slug, Azione::Entrare, async |ctx, tx| {
        let piano = guard::piano(tx, anno).await?.id;
        let parametri = premi::parametri(tx, piano).await?.0;
        valutazioni::elenco(tx, ctx, piano, anno, &parametri).await
    })
    .await
}

/// Creates the schede still missing, one per person assigned to the plan's objectives or
/// leading one of its strutture. Again: only those still missing.
#[server(endpoint = "valutazioni/prepara")]
pub async fn prepara_schede(slug: String, anno: i32) -> Result<usize, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, users, valutazioni};
    porta::in_ente(&slug, Azione::GestirePremi, async |ctx, tx| {
        let (piano, chiusura) = guard::anno(tx, ctx, anno).await?;
        let profilo = valutazioni::profilo(tx, &chiusura).await?;
        let n = valutazioni::prepara(tx, piano, &profilo).await?;
        users::audit(
            tx,
            "schede_preparate",
            serde_json::json!({ "anno": anno, "schede": n }),
        )
        .await?;
        Ok(n)
    })
    .await
}

/// The scheda of `dipendente` (a scheda the caller may not see does not exist).
#[server(endpoint = "valutazioni/scheda")]
pub async fn scheda(slug: String, anno: i32, dipendente: Uuid) -> Result<SchedaView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, valutazioni};
    porta::in_ente(&slug, Azione::Entrare, async |ctx, tx| {
        let (piano, chiusura) = guard::anno(tx, ctx, anno).await?;
        valutazioni::scheda(tx, ctx, piano, &chiusura, dipendente).await
    })
    .await
}

/// A step of the cycle, for every step's server function.
#[cfg(feature = "ssr")]
async fn passo(
    slug: &str,
    anno: i32,
    dipendente: Uuid,
    version: i32,
    codice: &'static str,
    azione: crate::error::AppResult<crate::ssr::valutazioni::Azioni>,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, users, valutazioni};
    porta::in_ente(slug, Azione::Entrare, async move |ctx, tx| {
        let azione = azione?;
        let (piano, chiusura) = guard::anno(tx, ctx, anno).await?;
        valutazioni::passo(tx, ctx, piano, &chiusura, dipendente, version, azione).await?;
        users::audit(
            tx,
            codice,
            serde_json::json!({ "anno": anno, "dipendente": dipendente }),
        )
        .await
    })
    .await
}

/// The evaluator saves the scheda (still a draft); with `proponi`, proposes it after the
/// final colloquio: every section must then be there.
#[server(endpoint = "valutazioni/salva")]
pub async fn salva_scheda(
    slug: String,
    anno: i32,
    dipendente: Uuid,
    version: i32,
    #[server(default)] voti: Vec<String>,
    #[server(default)] differenziazione: String,
    #[server(default)] note: String,
    #[server(default)] colloquio_assegnazione: String,
    #[server(default)] colloquio_intermedio: String,
    #[server(default)] colloquio_finale: String,
    #[server(default)] proponi: Casella,
) -> Result<(), AppError> {
    use crate::ssr::valutazioni::Azioni;
    let c = guard::compilazione(
        &voti,
        &differenziazione,
        note,
        [
            &colloquio_assegnazione,
            &colloquio_intermedio,
            &colloquio_finale,
        ],
    );
    let (codice, azione) = if proponi.0 {
        ("valutazione_proposta", c.map(Azioni::Proponi))
    } else {
        ("valutazione_salvata", c.map(Azioni::Salva))
    };
    passo(&slug, anno, dipendente, version, codice, azione).await
}

/// The person confirms they have seen the proposed scheda.
#[server(endpoint = "valutazioni/visione")]
pub async fn presa_visione(
    slug: String,
    anno: i32,
    dipendente: Uuid,
    version: i32,
) -> Result<(), AppError> {
    use crate::ssr::valutazioni::Azioni;
    passo(
        &slug,
        anno,
        dipendente,
        version,
        "valutazione_vista",
        Ok(Azioni::PresaVisione),
    )
    .await
}

/// The person accepts the scheda (it becomes final), or asks for a review with `testo`.
#[server(endpoint = "valutazioni/risposta")]
pub async fn risposta(
    slug: String,
    anno: i32,
    dipendente: Uuid,
    version: i32,
    #[server(default)] revisione: Casella,
    #[server(default)] testo: String,
) -> Result<(), AppError> {
    use crate::ssr::valutazioni::Azioni;
    let (codice, azione) = if revisione.0 {
        ("revisione_richiesta", Ok(Azioni::ChiediRevisione(testo)))
    } else {
        ("valutazione_accettata", Ok(Azioni::Accetta))
    };
    passo(&slug, anno, dipendente, version, codice, azione).await
}

/// The evaluator decides a review after the hearing: the scores as decided, the hearing's
/// date, whether a union representative attended, the reasons. The scheda is then final.
#[server(endpoint = "valutazioni/decidi")]
pub async fn decidi_revisione(
    slug: String,
    anno: i32,
    dipendente: Uuid,
    version: i32,
    #[server(default)] voti: Vec<String>,
    #[server(default)] differenziazione: String,
    #[server(default)] note: String,
    #[server(default)] colloquio_assegnazione: String,
    #[server(default)] colloquio_intermedio: String,
    #[server(default)] colloquio_finale: String,
    #[server(default)] audizione: String,
    #[server(default)] sindacato: Casella,
    #[server(default)] decisione: String,
) -> Result<(), AppError> {
    use crate::ssr::valutazioni::Azioni;
    let r = (|| {
        let c = guard::compilazione(
            &voti,
            &differenziazione,
            note,
            [
                &colloquio_assegnazione,
                &colloquio_intermedio,
                &colloquio_finale,
            ],
        )?;
        let audizione = guard::data_obbligatoria(&audizione, "audizione")?;
        Ok(Azioni::Decidi {
            compilazione: c,
            audizione,
            sindacato: sindacato.0,
            testo: decisione,
        })
    })();
    passo(&slug, anno, dipendente, version, "revisione_decisa", r).await
}

/// The evaluator makes the scheda final once the time to ask for a review has passed.
#[server(endpoint = "valutazioni/chiudi")]
pub async fn chiudi_scheda(
    slug: String,
    anno: i32,
    dipendente: Uuid,
    version: i32,
) -> Result<(), AppError> {
    use crate::ssr::valutazioni::Azioni;
    passo(
        &slug,
        anno,
        dipendente,
        version,
        "valutazione_definitiva",
        Ok(Azioni::Chiudi),
    )
    .await
}

/// What the premi read beside a person's score: absences that count, neutral leave (shown
/// only: art. 9 c.3), the heaviest disciplinary sanction.
#[server(endpoint = "valutazioni/dati-premi")]
pub async fn salva_dati_premi(
    slug: String,
    anno: i32,
    dipendente: Uuid,
    version: i32,
    assenze: String,
    congedi: String,
    sanzione: String,
) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{porta, users, valutazioni};
    porta::in_ente(&slug, Azione::GestirePremi, async |_, tx| {
        let piano = guard::piano(tx, anno).await?.id;
        crate::ssr::premi::modificabile(tx, piano).await?;
        let giorni = |raw: &str, campo: &str| {
            raw.trim()
                .parse::<i32>()
                .ok()
                .filter(|g| (0..=366).contains(g))
                .ok_or_else(|| {
                    AppError::NonValido(format!("{campo}: un numero di giorni da 0 a 366."))
                })
        };
        let assenze = giorni(&assenze, "Assenze")?;
        let congedi = giorni(&congedi, "Congedi")?;
        let sanzione = sanzione
            .trim()
            .parse::<i16>()
            .ok()
            .filter(|s| (0..=4).contains(s))
            .ok_or_else(|| AppError::NonValido("Scegli la sanzione dall'elenco.".into()))?;
        valutazioni::salva_dati_premi(tx, piano, dipendente, version, (assenze, congedi, sanzione))
            .await?;
        users::audit(
            tx,
            "dati_premi",
            serde_json::json!({ "anno": anno, "dipendente": dipendente }),
        )
        .await
    })
    .await
}

/// The evaluator signs the final scheda with their own certificate (PAdES; the PKCS#12 is
/// used for this signature only). Multipart: the ente, the year, the person, the version
/// seen, the password, then the file.
#[server(endpoint = "carica/scheda", input = MultipartFormData)]
pub async fn firma_scheda(dati: MultipartData) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::allegato::firma;
    use crate::ssr::{modulo::Modulo, porta, users, valutazioni};
    crate::ssr::respond(
        async move {
            let (mut modulo, slug) = Modulo::per_ente(dati, Azione::Entrare).await?;
            let anno: i32 = modulo.valore("anno").await?;
            let dipendente: Uuid = modulo.valore("dipendente").await?;
            let version: i32 = modulo.valore("version").await?;
            let (firmatario, nome) = modulo.firmatario().await?;
            porta::in_ente(&slug, Azione::Entrare, async |ctx, tx| {
                let (piano, chiusura) = guard::anno(tx, ctx, anno).await?;
                let v = valutazioni::da_firmare(tx, ctx, piano, &chiusura, dipendente).await?;
                let motivo = format!("Scheda di valutazione {anno} di {}", v.nome);
                let nome_firma = nome.clone();
                let firmata = tokio::task::spawn_blocking(move || {
                    firma::pades(&firmatario, valutazioni::scheda_pdf(&v), &nome_firma, &motivo)
                })
                .await
                .map_err(AppError::interno)?
                .map_err(AppError::from)?;
                valutazioni::salva_firmata(tx, piano, dipendente, version, &firmata, &nome).await?;
                users::audit(
                    tx,
                    "scheda_firmata",
                    serde_json::json!({ "anno": anno, "dipendente": dipendente, "firmatario": nome }),
                )
                .await
            })
            .await
        }
        .await,
    )
}
