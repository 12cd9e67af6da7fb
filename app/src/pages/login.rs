//! `/login`: a plain form POST to `/login`, so it works before (and without) the wasm.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::session::{login_email, ErroreAccesso};

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let logged_out = move || query.read().get("uscito").is_some();
    let errore = move || {
        query
            .read()
            .get("errore")
            .and_then(|c| ErroreAccesso::da_codice(&c))
    };
    let email = Resource::new(|| (), |_| login_email());
    let (show_password, set_show_password) = signal(false);
    view! {
        <Title text="Accedi — Obiettivi"/>
        <div class="row justify-content-center">
            <div class="col-12 col-md-8 col-lg-5">
                <h1 class="mb-4">"Accedi"</h1>
                <Show when=logged_out>
                    <div class="alert alert-info" role="status">"Sei uscito. A presto!"</div>
                </Show>
                <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
                    {move || Suspend::new(async move {
                        let email = email.await.unwrap_or_default();
                        view! {
                            {errore().map(|e| view! { <div class="alert alert-danger" role="alert" id="errore-accesso">{e.messaggio()}</div> })}
                            <form method="post" action="/login" class="card card-body shadow-sm">
                                <input type="hidden" name="next" value=next()/>
                                <div class="mb-3">
                                    <label for="email" class="form-label">"Indirizzo e-mail"</label>
                                    <input type="email" id="email" name="email" class="form-control"
                                        autocomplete="username" required value=email/>
                                </div>
                                <div class="mb-3">
                                    <label for="password" class="form-label">"Password"</label>
                                    <div class="input-group">
                                        <input id="password" name="password" class="form-control" required
                                            autocomplete="current-password"
                                            type=move || if show_password.get() { "text" } else { "password" }/>
                                        <button type="button" class="btn btn-outline-secondary" id="mostra-password"
                                            aria-controls="password"
                                            aria-pressed=move || show_password.get().to_string()
                                            on:click=move |_| set_show_password.update(|s| *s = !*s)>
                                            {move || if show_password.get() { "Nascondi" } else { "Mostra" }}
                                        </button>
                                    </div>
                                </div>
                                <button type="submit" class="btn btn-primary">"Accedi"</button>
                            </form>
                        }
                    })}
                </Suspense>
            </div>
        </div>
    }
}

/// `/login/codice`: the second step, after the password.
#[component]
pub fn CodicePage() -> impl IntoView {
    let query = use_query_map();
    let errore = move || {
        query.read().get("errore").map(|c| match c.as_str() {
            "tentativi" => ErroreAccesso::Tentativi.messaggio(),
            "servizio" => ErroreAccesso::Servizio.messaggio(),
            _ => "Codice non corretto o già usato: inserisci il codice che l'app mostra ora, oppure un codice di recupero.",
        })
    };
    view! {
        <Title text="Verifica in due passaggi — Obiettivi"/>
        <div class="row justify-content-center">
            <div class="col-12 col-md-8 col-lg-5">
                <h1 class="mb-4">"Verifica in due passaggi"</h1>
                {move || errore().map(|e| view! { <div class="alert alert-danger" role="alert" id="errore-codice">{e}</div> })}
                <form method="post" action="/login/codice" class="card card-body shadow-sm">
                    <div class="mb-3">
                        <label for="codice" class="form-label">"Codice dell'app di autenticazione"</label>
                        <input id="codice" name="codice" class="form-control" required autofocus
                            autocomplete="one-time-code" inputmode="numeric" maxlength="20" spellcheck="false"/>
                        <p class="form-text">"Sei cifre, dall'app in cui hai registrato Obiettivi. Se non hai il telefono, usa uno dei codici di recupero."</p>
                    </div>
                    <button type="submit" class="btn btn-primary">"Verifica"</button>
                </form>
                <p class="mt-3"><a href="/login">"Torna all'accesso"</a></p>
            </div>
        </div>
    }
}
