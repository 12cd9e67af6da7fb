//! The plan's PDF attachment: its state on the plan page, the ente's signing certificate
//! (PKCS#12 upload, removal), signing the approved plan here («Firma ora»), and the archive
//! of signed copies. The files themselves are plain GETs served by the server crate
//! (`/e/{slug}/piani/{anno}/allegato.pdf`, `…/firmati/{id}`), which change nothing.

use leptos::prelude::*;

use crate::error::AppError;
use server_fn::codec::{MultipartData, MultipartFormData};

use crate::model::{AllegatoStato, FirmaInfo, FirmatoView, FormatoFirma};

#[cfg(feature = "ssr")]
fn chiave() -> Result<crate::ssr::allegato::custodia::ChiaveFirme, AppError> {
    use_context::<crate::ssr::allegato::custodia::ChiaveFirme>()
        .ok_or_else(|| AppError::interno("signing key missing from the context"))
}

#[server(endpoint = "allegato/stato")]
pub async fn stato_allegato(slug: String, anno: i32) -> Result<AllegatoStato, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{allegato, porta};
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        allegato::stato(tx, ctx, anno).await
    })
    .await
}

/// The ente's signing certificate and key, from a PKCS#12 file and its password. Replaces
/// the previous one; the key is stored encrypted and never shown again. Multipart: the
/// ente, the password, the signer's name and role, then the file.
#[server(endpoint = "carica/certificato-firma", input = MultipartFormData)]
pub async fn salva_firma(dati: MultipartData) -> Result<FirmaInfo, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{allegato, modulo::Modulo, porta, users};
    crate::ssr::respond(
        async move {
            let (mut modulo, slug) = Modulo::per_ente(dati, Azione::Firmare).await?;
            let password = modulo.testo("password").await?;
            let firmatario = modulo.testo("firmatario").await?;
            let ruolo = modulo.testo("ruolo").await?;
            let Some((_, p12)) = modulo.file("file").await? else {
                return Err(AppError::NonValido(
                    "Scegli il file del certificato (.p12 o .pfx).".into(),
                ));
            };
            let chiave = chiave()?;
            porta::in_ente(&slug, Azione::Firmare, async |_, tx| {
                let info = allegato::salva_firma(tx, &chiave, &p12, &password, &firmatario, &ruolo)
                    .await?;
                users::audit(
                    tx,
                    "certificato_firma_caricato",
                    serde_json::json!({ "soggetto": info.soggetto, "valido_al": info.valido_al }),
                )
                .await?;
                Ok(info)
            })
            .await
        }
        .await,
    )
}

#[server(endpoint = "allegato/firma/rimuovi")]
pub async fn rimuovi_firma(slug: String) -> Result<(), AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{allegato, porta, users};
    porta::in_ente(&slug, Azione::Firmare, async |_, tx| {
        allegato::rimuovi_firma(tx).await?;
        users::audit(tx, "certificato_firma_rimosso", serde_json::json!({})).await
    })
    .await
}

/// A copy of the attachment signed elsewhere (.pdf with PAdES, or .p7m): verified,
/// matched with what this plan exported, archived. Multipart: the ente, the year, then
/// the file.
#[server(endpoint = "carica/copia-firmata", input = MultipartFormData)]
pub async fn carica_firmato(dati: MultipartData) -> Result<FirmatoView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{allegato, modulo::Modulo, porta};
    crate::ssr::respond(
        async move {
            let (mut modulo, slug) = Modulo::per_ente(dati, Azione::Firmare).await?;
            let anno: i32 = modulo.valore("anno").await?;
            let Some((nome_file, dati)) = modulo.file("file").await? else {
                return Err(AppError::NonValido(
                    "Scegli il file firmato da caricare.".into(),
                ));
            };
            porta::in_ente(&slug, Azione::Firmare, async |_, tx| {
                allegato::archivia(tx, anno, &nome_file, dati).await
            })
            .await
        }
        .await,
    )
}

/// Signs the approved plan's PDF with the ente's certificate and keeps the signed file in
/// the archive, from where it is downloaded.
#[server(endpoint = "allegato/firma/applica")]
pub async fn firma_allegato(
    slug: String,
    anno: i32,
    formato: FormatoFirma,
) -> Result<FirmatoView, AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::{allegato, porta};
    let chiave = chiave()?;
    porta::in_ente(&slug, Azione::Firmare, async |ctx, tx| {
        allegato::firma(tx, ctx, &chiave, anno, formato).await
    })
    .await
}
