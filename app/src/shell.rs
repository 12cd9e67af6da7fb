//! The HTML document and the page frame (header, main area, footer) in the Designers Italia style.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    StaticSegment,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="it">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href="/vendor/bootstrap-italia/css/bootstrap-italia.min.css"/>
                <link rel="stylesheet" href="/fonts.css"/>
                <link rel="stylesheet" href="/app.css"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Tells browser tests (and anyone curious) that the page is live.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title text="Obiettivi"/>
        <Router>
            <Header/>
            <main id="contenuto" class="container my-4">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=StaticSegment("") view=Home/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <a class="visually-hidden-focusable" href="#contenuto">"Vai al contenuto"</a>
        <header class="it-header-wrapper">
            <div class="it-header-center-wrapper">
                <div class="container">
                    <div class="it-header-center-content-wrapper">
                        <div class="it-brand-wrapper">
                            <a href="/">
                                <div class="it-brand-text">
                                    <div class="it-brand-title">"Obiettivi"</div>
                                    <div class="it-brand-tagline d-none d-md-block">
                                        "Piano degli Obiettivi e della Performance"
                                    </div>
                                </div>
                            </a>
                        </div>
                    </div>
                </div>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="it-footer">
            <div class="it-footer-small-prints clearfix">
                <div class="container">
                    <p class="text-white py-3 mb-0">
                        "Obiettivi — Piano degli Obiettivi, delle Attività e della Performance (PIAO, sottosezione 2.2)"
                    </p>
                </div>
            </div>
        </footer>
    }
}

#[component]
fn Home() -> impl IntoView {
    let (aperto, set_aperto) = signal(false);
    view! {
        <h1>"Benvenuto in Obiettivi"</h1>
        <p class="lead">
            "Scrivi, assegna, firma e segui il Piano degli Obiettivi del tuo ente."
        </p>
        <button
            class="btn btn-outline-primary"
            id="info-toggle"
            aria-expanded=move || aperto.get().to_string()
            aria-controls="info-piano"
            on:click=move |_| set_aperto.update(|a| *a = !*a)
        >
            {move || if aperto.get() { "Nascondi dettagli" } else { "Mostra dettagli" }}
        </button>
        <div id="info-piano" class="callout mt-3" hidden=move || !aperto.get()>
            <div class="callout-title">"Il Piano degli Obiettivi"</div>
            <p>
                "Allegato al PEG ai sensi dell'art. 169 c. 3-bis del D.Lgs 267/2000 e dell'art. 10 del D.Lgs 150/2009."
            </p>
        </div>
    }
}

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
