//! The HTML document and the page frame (header, main area, footer) in the Designers Italia style.

use leptos::lazy;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    Lazy, LazyRoute, ParamSegment, SsrMode, StaticSegment,
};

use crate::api::session::utente_corrente;
use crate::components::NotFound;
use crate::pages::{
    account::AccountPage,
    admin::AdminPage,
    assegnazioni::AssegnazioniPage,
    chiusura::ChiusuraPage,
    ente::EntePage,
    home::HomePage,
    libreria::{LibreriaPage, ModelloPage},
    login::{CodicePage, LoginPage},
    miei_obiettivi::MieiObiettiviPage,
    monitoraggio::{MonitoraggiPage, MonitoraggioPage},
    personale::PersonalePage,
    piani::PianiPage,
    piano::PianoPage,
    premi::PremiPage,
    registro::RegistroPage,
    relazione::RelazionePage,
    smvp::{SmvpEntePage, SmvpStudioPage},
    studio::StudioPage,
    utenti::UtentiPage,
    valutazioni::{SchedaPage, ValutazioniPage},
    versioni::VersioniPage,
};

/// The Content-Security-Policy of a page: scripts only from this site or inline with this
/// response's nonce (Leptos puts it on its hydration scripts), WebAssembly allowed to compile,
/// nothing framed, no plugins, forms and fetches to this site only. Inline `style`
/// attributes stay allowed: they cannot run code.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(v) = http::HeaderValue::from_str(&content_security_policy(&nonce.to_string())) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
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

/// Pages whose code travels in a wasm chunk of their own, fetched when one of them is first
/// opened (or before hydration, when the server rendered it): a dipendente's browser never
/// downloads the plan editor, a reader never the administration. A few groups, not one per
/// page: each split point multiplies the small chunks of shared code, each one more request.
macro_rules! gruppo_a_parte {
    ($gruppo:ident, $carica:ident, $preload:ident: $($rotta:ident => $pagina:ident),* $(,)?) => {
        // Named after the routes, which all end in the same word.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        #[repr(u8)]
        enum $gruppo {
            $($rotta),*
        }

        #[lazy]
        fn $carica(pagina: $gruppo) -> AnyView {
            match pagina {
                $($gruppo::$rotta => view! { <$pagina/> }.into_any()),*
            }
        }

        $(
            /// The page loads its own data: `data()` has nothing to start.
            struct $rotta;

            impl LazyRoute for $rotta {
                fn data() -> Self {
                    $rotta
                }

                async fn view(_this: Self) -> AnyView {
                    $carica($gruppo::$rotta).await
                }

                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

// The plan editor with its attachment, signing and template sections, and the staff's
// assignments to its objectives.
gruppo_a_parte! {
    SulPiano, pagina_sul_piano, __preload_pagina_sul_piano:
    PianoRotta => PianoPage,
    AssegnazioniRotta => AssegnazioniPage,
}

// The year after the plan: monitoring checkpoints and records, the plan's versions, the
// year-end results and the SMVP profile they are scored with.
gruppo_a_parte! {
    Ciclo, pagina_del_ciclo, __preload_pagina_del_ciclo:
    MonitoraggiRotta => MonitoraggiPage,
    MonitoraggioRotta => MonitoraggioPage,
    VersioniRotta => VersioniPage,
    ChiusuraRotta => ChiusuraPage,
    RelazioneRotta => RelazionePage,
    SmvpEnteRotta => SmvpEntePage,
    SmvpStudioRotta => SmvpStudioPage,
}

// Individual evaluation and the premi: a dipendente opens their own scheda without the
// year-end's code.
gruppo_a_parte! {
    Valutazione, pagina_di_valutazione, __preload_pagina_di_valutazione:
    ValutazioniRotta => ValutazioniPage,
    SchedaRotta => SchedaPage,
    PremiRotta => PremiPage,
}

// Administration: of the ente, the firm, the platform and one's own account.
gruppo_a_parte! {
    Gestione, pagina_di_gestione, __preload_pagina_di_gestione:
    AccountRotta => AccountPage,
    AdminRotta => AdminPage,
    EnteRotta => EntePage,
    LibreriaRotta => LibreriaPage,
    ModelloRotta => ModelloPage,
    PersonaleRotta => PersonalePage,
    PianiRotta => PianiPage,
    RegistroRotta => RegistroPage,
    StudioRotta => StudioPage,
    UtentiRotta => UtentiPage,
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Obiettivi"/>
        <Router>
            <Header/>
            <main id="contenuto" class="container my-4">
                // Async: the whole page, data included, is in the HTML (and its status is
                // final, e.g. 404) before anything is sent.
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("login"), StaticSegment("codice")) view=CodicePage/>
                    <Route path=StaticSegment("account") view={Lazy::<AccountRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("studio") view={Lazy::<StudioRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("admin") view={Lazy::<AdminRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("libreria") view={Lazy::<LibreriaRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("libreria"), ParamSegment("id")) view={Lazy::<ModelloRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("e"), ParamSegment("slug")) view={Lazy::<EnteRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("registro")) view={Lazy::<RegistroRotta>::new()} ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"))
                        view={Lazy::<PianiRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"))
                        view={Lazy::<PianoRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("dipendenti"))
                        view={Lazy::<AssegnazioniRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("versioni"))
                        view={Lazy::<VersioniRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("monitoraggio"))
                        view={Lazy::<MonitoraggiRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("monitoraggio"), ParamSegment("id"))
                        view={Lazy::<MonitoraggioRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("chiusura"))
                        view={Lazy::<ChiusuraRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("relazione"))
                        view={Lazy::<RelazioneRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("valutazioni"))
                        view={Lazy::<ValutazioniRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("valutazioni"), ParamSegment("dipendente"))
                        view={Lazy::<SchedaRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("piani"), ParamSegment("anno"), StaticSegment("premi"))
                        view={Lazy::<PremiRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("smvp"))
                        view={Lazy::<SmvpEnteRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=(StaticSegment("studio"), StaticSegment("smvp")) view={Lazy::<SmvpStudioRotta>::new()} ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("personale"))
                        view={Lazy::<PersonaleRotta>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("miei-obiettivi"))
                        view=MieiObiettiviPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("utenti"))
                        view={Lazy::<UtentiRotta>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let me = Resource::new(|| (), |_| utente_corrente());
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
                        <div class="it-right-zone">
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    me.await.ok().flatten().map(|(name, _email)| view! {
                                        <div class="d-flex align-items-center gap-3 text-white" id="utente-corrente">
                                            <span>{name}</span>
                                            <a class="text-white" href="/account">"Il mio account"</a>
                                            <form method="post" action="/logout" class="m-0">
                                                <button type="submit" class="btn btn-outline-light btn-sm" id="esci">"Esci"</button>
                                            </form>
                                        </div>
                                    })
                                })}
                            </Suspense>
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
