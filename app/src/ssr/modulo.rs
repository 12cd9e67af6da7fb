//! Reading a multipart upload as it arrives. Fields come in a fixed order, the file last:
//! a server function reads the ente and checks the caller's role before a single byte of
//! the file is read, and stops reading at the size limit.

use server_fn::codec::MultipartData;

use crate::domain::caricamento::{FILE_MAX, TROPPO_GRANDE};
use crate::domain::permessi::Azione;
use crate::error::{AppError, AppResult};

/// The longest text field (a slug, a year, a password, a name).
const TESTO_MAX: usize = 1024;

pub struct Modulo(multer::Multipart<'static>);

fn non_valido() -> AppError {
    AppError::NonValido("Modulo non valido: ricarica la pagina e riprova.".into())
}

fn interrotto(e: multer::Error) -> AppError {
    tracing::info!(error = %e, "upload interrupted");
    AppError::NonValido("Il file non è arrivato completo: riprova a caricarlo.".into())
}

impl Modulo {
    /// An upload into an ente: the first field names the ente, and the caller's role there
    /// is checked for `azione` before anything else is read. Returns the form and the slug.
    pub async fn per_ente(data: MultipartData, azione: Azione) -> AppResult<(Modulo, String)> {
        let mut modulo = Modulo::new(data)?;
        let slug = modulo.testo("slug").await?;
        super::porta::verifica(&slug, azione).await?;
        Ok((modulo, slug))
    }

    pub fn new(data: MultipartData) -> AppResult<Modulo> {
        data.into_inner()
            .map(Modulo)
            .ok_or_else(|| AppError::interno("multipart data on the server side expected"))
    }

    async fn campo(&mut self, nome: &str) -> AppResult<multer::Field<'static>> {
        let campo = self
            .0
            .next_field()
            .await
            .map_err(interrotto)?
            .ok_or_else(non_valido)?;
        if campo.name() != Some(nome) {
            return Err(non_valido());
        }
        Ok(campo)
    }

    /// Reads the field `nome`, at most `max` bytes; `None` beyond.
    async fn leggi(campo: &mut multer::Field<'static>, max: usize) -> AppResult<Option<Vec<u8>>> {
        let mut dati = Vec::new();
        while let Some(pezzo) = campo.chunk().await.map_err(interrotto)? {
            if dati.len() + pezzo.len() > max {
                return Ok(None);
            }
            dati.extend_from_slice(&pezzo);
        }
        Ok(Some(dati))
    }

    /// The next field, which must be the text field `nome`.
    pub async fn testo(&mut self, nome: &str) -> AppResult<String> {
        let mut campo = self.campo(nome).await?;
        let dati = Self::leggi(&mut campo, TESTO_MAX)
            .await?
            .ok_or_else(non_valido)?;
        String::from_utf8(dati).map_err(|_| non_valido())
    }

    /// The next field, which must be the text field `nome` holding a `T` (a year, an id):
    /// anything else names nothing that exists (`NonTrovato`), as a forged id would.
    pub async fn valore<T: std::str::FromStr>(&mut self, nome: &str) -> AppResult<T> {
        self.testo(nome)
            .await?
            .trim()
            .parse()
            .map_err(|_| AppError::NonTrovato)
    }

    /// The next field, which must be the file `nome`: its name as the browser sent it, and
    /// its bytes (at most `FILE_MAX`; an empty file is `None`, for the caller to say what
    /// is missing).
    pub async fn file(&mut self, nome: &str) -> AppResult<Option<(String, Vec<u8>)>> {
        let mut campo = self.campo(nome).await?;
        let nome_file = campo.file_name().unwrap_or_default().to_string();
        let dati = Self::leggi(&mut campo, FILE_MAX)
            .await?
            .ok_or_else(|| AppError::NonValido(TROPPO_GRANDE.into()))?;
        Ok((!dati.is_empty()).then_some((nome_file, dati)))
    }

    /// The next two fields, `password` then `file`: a signer's own PKCS#12, opened off the
    /// async threads (its key is derived from the password slowly, by design) before any
    /// transaction is opened; with the name on its certificate. Used for one signature
    /// and not kept.
    pub async fn firmatario(
        &mut self,
    ) -> AppResult<(super::allegato::firma::FirmatarioLocale, String)> {
        use super::allegato::{firma, verifica};
        let password = self.testo("password").await?;
        let Some((_, p12)) = self.file("file").await? else {
            return Err(AppError::NonValido(
                "Scegli il file del tuo certificato di firma (.p12 o .pfx).".into(),
            ));
        };
        let firmatario = tokio::task::spawn_blocking(move || {
            let (chiave, certificati) = firma::FirmatarioLocale::da_pkcs12(&p12, &password)?;
            firma::FirmatarioLocale::new(&chiave, &certificati)
        })
        .await
        .map_err(AppError::interno)?
        .map_err(AppError::from)?;
        let nome = {
            use firma::Firmatario;
            verifica::nome_comune(&firmatario.catena()[0])
        };
        Ok((firmatario, nome))
    }
}
