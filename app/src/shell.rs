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
    cruscotto::CruscottoPage,
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
    scadenze::{PromemoriaPage, ScadenzePage},
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

// The way in: signing in, the second factor, and the home page with one's enti. Most
// first visits after the login land elsewhere, and «I miei obiettivi» stays in the main
// bundle.
gruppo_a_parte! {
    Ingresso, pagina_di_ingresso, __preload_pagina_di_ingresso:
    HomeRotta => HomePage,
    LoginRotta => LoginPage,
    CodiceRotta => CodicePage,
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
    CruscottoRotta => CruscottoPage,
    ScadenzeRotta => ScadenzePage,
    PromemoriaRotta => PromemoriaPage,
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
                    <Route path=StaticSegment("") view={Lazy::<HomeRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("login") view={Lazy::<LoginRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("login"), StaticSegment("codice")) view={Lazy::<CodiceRotta>::new()}/>
                    <Route path=StaticSegment("account") view={Lazy::<AccountRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("studio") view={Lazy::<CruscottoRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("studio"), StaticSegment("consulenti")) view={Lazy::<StudioRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("promemoria") view={Lazy::<PromemoriaRotta>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("e"), ParamSegment("slug"), StaticSegment("scadenze")) view={Lazy::<ScadenzeRotta>::new()} ssr=SsrMode::Async/>
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

/// The ente of the page, from its path (`/e/{slug}/...`), for the header's menu.
fn slug_della_pagina(path: &str) -> String {
    let mut parti = path.trim_start_matches('/').split('/');
    match (parti.next(), parti.next()) {
        (Some("e"), Some(slug)) => slug.to_string(),
        _ => String::new(),
    }
}

#[component]
fn Header() -> impl IntoView {
    // What the header shows is part of the key of a kept page (`server::pagine_tenute`):
    // the caller, the ente and the role there, the counts read with the caller.
    let me = Resource::new(|| (), |_| utente_corrente());
    let location = leptos_router::hooks::use_location();
    let slug = Memo::new(move |_| slug_della_pagina(&location.pathname.get()));
    let menu = Resource::new(move || slug.get(), crate::api::promemoria::navigazione);
    view! {
        <a class="visually-hidden-focusable" href="#contenuto">"Vai al contenuto"</a>
        // One Suspense for the whole header: who is signed in and their menu arrive together.
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let utente = me.await.ok().flatten();
                let m = menu.await.unwrap_or_default();
                let n = m.promemoria;
                let vuoto = m.ente.is_none() && m.studio.is_empty();
                view! {
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
                                        {utente.map(|(name, _email)| view! {
                                            <div class="d-flex align-items-center gap-3 text-white" id="utente-corrente">
                                                <Campanella n/>
                                                <span>{name}</span>
                                                <a class="text-white" href="/account">"Il mio account"</a>
                                                <form method="post" action="/logout" class="m-0">
                                                    <button type="submit" class="btn btn-outline-light btn-sm" id="esci">"Esci"</button>
                                                </form>
                                            </div>
                                        })}
                                    </div>
                                </div>
                            </div>
                        </div>
                        {(!vuoto).then(|| view! { <MenuPrincipale m/> })}
                    </header>
                }
            })}
        </Suspense>
    }
}

/// The bell: unread reminders, a link to their page.
#[component]
fn Campanella(n: i64) -> impl IntoView {
    let etichetta = match n {
        0 => "Promemoria: nessuno da leggere".to_string(),
        1 => "Promemoria: 1 da leggere".to_string(),
        n => format!("Promemoria: {n} da leggere"),
    };
    view! {
        <a class="text-white text-decoration-none" href="/promemoria" id="campanella" aria-label=etichetta.clone() title=etichetta>
            <svg class="icon icon-white icon-sm" aria-hidden="true"><use href="/vendor/bootstrap-italia/svg/sprites.svg#it-horn"></use></svg>
            {(n > 0).then(|| view! { <span class="badge bg-danger ms-1" id="promemoria-da-leggere">{n}</span> })}
        </a>
    }
}

/// The sections the caller may open: of the ente of the page (its name always shown), of
/// the firm for a consultant. Bootstrap Italia's header-nav; the toggle on small screens is
/// the one part that needs the wasm.
#[component]
fn MenuPrincipale(m: crate::model::Menu) -> impl IntoView {
    let aperto = RwSignal::new(false);
    let altri = m.altri_enti;
    view! {
        <div class="it-header-navbar-wrapper">
            <div class="container">
                <nav class="navbar navbar-expand-lg has-megamenu" aria-label="Menu principale">
                    <button class="custom-navbar-toggler" type="button" aria-controls="menu-principale"
                        aria-expanded=move || aperto.get().to_string() on:click=move |_| aperto.update(|a| *a = !*a)>
                        <svg class="icon icon-white" aria-hidden="true"><use href="/vendor/bootstrap-italia/svg/sprites.svg#it-burger"></use></svg>
                        <span class="visually-hidden">"Mostra o nascondi il menu"</span>
                    </button>
                    <div class=move || if aperto.get() { "navbar-collapsable expanded" } else { "navbar-collapsable" }
                        id="menu-principale" style=move || if aperto.get() { "display: block" } else { "" }>
                        <div class="menu-wrapper">
                            <ul class="navbar-nav">
                                {m.ente.clone().map(|(slug, nome)| view! {
                                    <li class="nav-item"><a class="nav-link fw-bold" href=format!("/e/{slug}") id="ente-corrente"><span>{nome}</span></a></li>
                                })}
                                {m.sezioni.iter().map(|(t, h)| view! {
                                    <li class="nav-item"><a class="nav-link" href=h.clone()><span>{t.clone()}</span></a></li>
                                }).collect_view()}
                                {(m.ente.is_some() && altri).then(|| view! {
                                    <li class="nav-item"><a class="nav-link" href="/" id="cambia-ente"><span>"Cambia ente"</span></a></li>
                                })}
                                {m.studio.iter().map(|(t, h)| view! {
                                    <li class="nav-item"><a class="nav-link" href=h.clone()><span>{format!("Studio: {t}")}</span></a></li>
                                }).collect_view()}
                            </ul>
                        </div>
                    </div>
                </nav>
            </div>
        </div>
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
