//! Small building blocks shared by the pages.

use leptos::prelude::*;

use crate::error::AppError;

/// An error said to the user; `NonTrovato` renders the "not found" page (status 404).
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    match error {
        AppError::NonTrovato => view! { <NotFound/> }.into_any(),
        AppError::NonAutenticato => view! {
            <div class="alert alert-warning" role="alert">
                {AppError::NonAutenticato.to_string()} " "
                <a href="/login">"Accedi"</a>
            </div>
        }
        .into_any(),
        other => view! { <div class="alert alert-danger" role="alert">{other.to_string()}</div> }
            .into_any(),
    }
}

/// What happened to the last submission of a form: working, error, or done.
#[component]
pub fn ActionStatus<T: Clone + Send + Sync + 'static>(
    pending: Signal<bool>,
    value: Signal<Option<Result<T, AppError>>>,
    #[prop(into)] success: String,
) -> impl IntoView {
    view! {
        <div aria-live="polite" class="mt-2">
            {move || {
                if pending.get() {
                    view! {
                        <p class="text-secondary" role="status">
                            <span class="spinner-border spinner-border-sm me-2" aria-hidden="true"></span>
                            "Salvataggio in corso…"
                        </p>
                    }
                        .into_any()
                } else {
                    match value.get() {
                        Some(Ok(_)) => view! { <div class="alert alert-success" role="status">{success.clone()}</div> }.into_any(),
                        Some(Err(e)) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
                        None => ().into_any(),
                    }
                }
            }}
        </div>
    }
}

/// A code shown once, with the instruction to hand it over.
#[component]
pub fn OneTimePasswordNotice(otp: crate::model::OneTimePassword) -> impl IntoView {
    use crate::model::CodiceTipo;
    let ore = crate::domain::validate::TEMPORANEA_ORE;
    let (titolo, istruzioni) = match otp.tipo {
        CodiceTipo::Accesso => (
            "Codice di accesso per ",
            format!(
                "Consegnalo di persona all'interessato: non verrà mostrato di nuovo e vale {ore} ore. \
                 Se non ha ancora un account, lo usa come password al primo accesso e ne sceglie subito una sua; \
                 se ha già un account, entra con la sua password e inserisce il codice in «Il mio account», \
                 alla voce «Accetta un invito»."
            ),
        ),
        CodiceTipo::PasswordTemporanea => (
            "Password temporanea per ",
            format!(
                "Comunicala all'interessato: non verrà mostrata di nuovo, vale {ore} ore e al primo \
                 accesso dovrà sceglierne una sua."
            ),
        ),
    };
    view! {
        <div class="alert alert-success" role="status">
            <p class="mb-1">
                {titolo} <strong>{otp.email}</strong> ": "
                <code class="fs-5 otp">{otp.codice}</code>
            </p>
            <p class="mb-0 small">{istruzioni}</p>
        </div>
    }
}

/// The form an upload sends: its text fields in order, then the file chosen in `input`
/// (as `file`). The file is not read here: the browser streams it. Says why not when no
/// file is chosen or it is too big, before anything is sent.
#[cfg(feature = "hydrate")]
pub fn modulo_file(
    campi: &[(&str, &str)],
    input: &web_sys::HtmlInputElement,
    manca: &str,
) -> Result<web_sys::FormData, String> {
    let f = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or_else(|| manca.to_string())?;
    crate::domain::caricamento::dimensione(f.size() as u64)?;
    let errore = |_| "Il browser non riesce a preparare l'invio del file: riprova.".to_string();
    let dati = web_sys::FormData::new().map_err(errore)?;
    for (nome, valore) in campi {
        dati.append_with_str(nome, valore).map_err(errore)?;
    }
    dati.append_with_blob_and_filename("file", &f, &f.name())
        .map_err(errore)?;
    Ok(dati)
}

/// An upload form's state: sending, and what came of the last sending.
#[derive(Clone, Copy)]
pub struct Caricamento {
    pub in_corso: RwSignal<bool>,
    pub esito: RwSignal<Option<Result<String, String>>>,
}

impl Default for Caricamento {
    fn default() -> Self {
        Self::new()
    }
}

impl Caricamento {
    pub fn new() -> Caricamento {
        Caricamento {
            in_corso: RwSignal::new(false),
            esito: RwSignal::new(None),
        }
    }

    /// Sends `campi` and the file chosen in `input` (see `modulo_file`) with `invia`; `fatto`
    /// turns the answer into what the page says (and does what follows from it).
    #[cfg(feature = "hydrate")]
    pub fn invia<T: 'static, Fut>(
        self,
        campi: &[(&str, &str)],
        input: &web_sys::HtmlInputElement,
        manca: &str,
        invia: impl FnOnce(web_sys::FormData) -> Fut + 'static,
        fatto: impl FnOnce(T) -> String + 'static,
    ) where
        Fut: std::future::Future<Output = Result<T, AppError>> + 'static,
    {
        self.in_corso.set(true);
        self.esito.set(None);
        let dati = modulo_file(campi, input, manca);
        leptos::task::spawn_local(async move {
            let r = match dati {
                Ok(dati) => invia(dati).await.map(fatto).map_err(|e| e.to_string()),
                Err(m) => Err(m),
            };
            self.esito.set(Some(r));
            self.in_corso.set(false);
        });
    }
}

/// The page for what does not exist, or is not the caller's to see (the same answer).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <h1>"Pagina non trovata"</h1>
        <p>"La pagina richiesta non esiste oppure non hai i permessi per vederla."</p>
        <a href="/">"Torna alla pagina iniziale"</a>
    }
}

/// The box and button of «Sicurezza degli accessi» (an ente's people, a firm's consultants):
/// the form around them is the caller's, with its own action.
#[component]
pub fn CasellaDueFattori(
    id: &'static str,
    etichetta: &'static str,
    nota: &'static str,
    attivo: bool,
) -> impl IntoView {
    view! {
        <div class="form-check mb-3">
            <input class="form-check-input" type="checkbox" id=id name="richiesto" checked=attivo/>
            <label class="form-check-label" for=id>{etichetta}</label>
        </div>
        <p class="small text-secondary">{nota}</p>
        <div><button type="submit" class="btn btn-outline-primary">"Salva"</button></div>
    }
}

/// A data table as the product draws them: scrollable on small screens, a caption for
/// screen readers, one header cell per column; the rows are the children.
#[component]
pub fn Tabella(
    id: &'static str,
    didascalia: &'static str,
    colonne: &'static [&'static str],
    /// The compact style (`table-sm`).
    #[prop(optional)]
    compatta: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-responsive">
            <table class=if compatta { "table table-sm" } else { "table" } id=id>
                <caption class="visually-hidden">{didascalia}</caption>
                <thead><tr>
                    {colonne.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}
                </tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// A page's data refreshes after a successful save only: after a refused one the form
/// keeps what was typed (the page is not rendered again). What was saved is said by
/// `Salvato`, which stays while the forms are rendered again.
#[derive(Clone, Copy)]
pub struct Aggiorna {
    n: RwSignal<u32>,
    detto: RwSignal<Option<String>>,
}

impl Aggiorna {
    pub fn new() -> Aggiorna {
        Aggiorna {
            n: RwSignal::new(0),
            detto: RwSignal::new(None),
        }
    }

    /// For a resource's source: changes after each successful save.
    pub fn get(self) -> u32 {
        self.n.get()
    }

    /// Refreshes now and says `messaggio` (after a save that is not a server action's, such
    /// as an upload).
    pub fn segnala(self, messaggio: String) {
        self.detto.set(Some(messaggio));
        self.n.update(|n| *n += 1);
    }

    /// Refreshes when `valore` becomes a success.
    pub fn dopo<T: Clone + Send + Sync + 'static>(
        self,
        valore: Signal<Option<Result<T, crate::error::AppError>>>,
    ) {
        Effect::new(move |_| {
            if let Some(Ok(_)) = valore.get() {
                self.n.update(|n| *n += 1);
            }
        });
    }

    /// `dopo`, saying `fatto` in `Salvato`: for forms that are rendered again with the data.
    pub fn dopo_e_di<T: Clone + Send + Sync + 'static>(
        self,
        valore: Signal<Option<Result<T, crate::error::AppError>>>,
        fatto: &'static str,
    ) {
        Effect::new(move |_| {
            if let Some(Ok(_)) = valore.get() {
                self.detto.set(Some(fatto.to_string()));
                self.n.update(|n| *n += 1);
            }
        });
    }
}

/// What the last save did, for the page's `Aggiorna` (in the context): outside the parts
/// that are rendered again.
#[component]
pub fn Salvato() -> impl IntoView {
    let a = expect_context::<Aggiorna>();
    view! {
        <div aria-live="polite" class="salvato sticky-top">
            {move || a.detto.get().map(|m| view! { <div class="alert alert-success py-2" role="status" id="salvato">{m}</div> })}
        </div>
    }
}

impl Default for Aggiorna {
    fn default() -> Self {
        Aggiorna::new()
    }
}

/// The form with which a person signs with their own certificate (the .p12 file and its
/// password, used for this signature only), and how it went: `invia` sends it with `c`.
#[component]
pub fn ModuloFirma(
    /// The form's id; its fields' and outcome's ids start with it.
    id: &'static str,
    bottone: &'static str,
    /// What the status says while the document is made and signed.
    in_corso: &'static str,
    file: NodeRef<leptos::html::Input>,
    password: NodeRef<leptos::html::Input>,
    c: Caricamento,
    invia: impl Fn(leptos::ev::SubmitEvent) + 'static,
) -> impl IntoView {
    let (esito, pendente) = (c.esito, c.in_corso);
    view! {
        <form class="row g-2 align-items-end" id=id on:submit=invia>
            <div class="col-md-5">
                <label for=format!("{id}-file") class="form-label">"Il tuo certificato di firma (.p12 o .pfx)"</label>
                <input id=format!("{id}-file") type="file" accept=".p12,.pfx,application/x-pkcs12" class="form-control" node_ref=file/>
            </div>
            <div class="col-md-4">
                <label for=format!("{id}-password") class="form-label">"Password del certificato"</label>
                <input id=format!("{id}-password") type="password" class="form-control" autocomplete="off" node_ref=password/>
            </div>
            <div class="col-md-3"><button type="submit" class="btn btn-primary" disabled=move || pendente.get()>{bottone}</button></div>
        </form>
        <div aria-live="polite" id=format!("esito-{id}")>
            {move || pendente.get().then(|| view! { <p role="status">{in_corso}</p> })}
            {move || esito.get().map(|e| match e {
                Ok(m) => view! { <div class="alert alert-success" role="status">{m}</div> }.into_any(),
                Err(m) => view! { <div class="alert alert-danger" role="alert">{m}</div> }.into_any(),
            })}
        </div>
    }
}
