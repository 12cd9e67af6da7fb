//! Small building blocks shared by the pages.

use leptos::prelude::*;

use crate::error::AppError;

/// An error said to the user; `NonTrovato` renders the "not found" page (status 404).
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    match error {
        AppError::NonTrovato => view! { <crate::shell::NotFound/> }.into_any(),
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

/// The name and bytes of the file chosen in a file `input`, or `None` when none is chosen
/// (or it cannot be read).
#[cfg(feature = "hydrate")]
pub async fn file_scelto(input: web_sys::HtmlInputElement) -> Option<(String, Vec<u8>)> {
    let f = input.files().and_then(|f| f.get(0))?;
    let b = wasm_bindgen_futures::JsFuture::from(f.array_buffer())
        .await
        .ok()?;
    Some((f.name(), js_sys::Uint8Array::new(&b).to_vec()))
}
