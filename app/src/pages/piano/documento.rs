//! A plan nobody on the page may edit (approved, or opened by a reader) as the document it
//! is: the reference's tables, text instead of six hundred read-only fields. A fraction of
//! the HTML, little for the browser to wire up: a consultant's button per objective that
//! saves it as a template of the firm.

use leptos::prelude::*;

use super::libreria::SalvaComeModello;
use crate::domain::missioni;
use crate::domain::peso::{totale_esatto, totale_label, Peso};
use crate::domain::plan::data_label;
use crate::model::{LuceRiga, PianoView, RigaView, StrutturaView};

/// Where a consultant's objectives may go: the firm's library, from this ente's plan.
type Libreria = Option<Memo<String>>;

/// The lights at the latest checkpoint, by objective or phase.
type Luci = std::sync::Arc<std::collections::HashMap<uuid::Uuid, LuceRiga>>;

#[component]
pub(crate) fn Documento(piano: PianoView, slug: Memo<String>) -> impl IntoView {
    if piano.documento_pronto {
        // Rendered on the server (`pronto`). In the browser the copy carries no HTML: it is
        // already on the page, and hydrating `inner_html` leaves it as it is.
        let html: std::sync::Arc<str> = match piano.documento_html {
            // Joined in once the page is made, already compressed (`server::innesto`).
            #[cfg(feature = "ssr")]
            Some(doc) => {
                let parti = use_context::<http::request::Parts>();
                let innesto = parti.as_ref().and_then(|p| p.extensions.get());
                crate::ssr::documenti::nella_pagina(doc, innesto)
            }
            #[cfg(not(feature = "ssr"))]
            Some(doc) => doc.html.clone(),
            None => "".into(),
        };
        return view! { <div class="documento-piano" inner_html=html></div> }.into_any();
    }
    let libreria: Libreria = piano.salva_modelli.then_some(slug);
    view! { <div class="documento-piano"><Corpo piano libreria/></div> }.into_any()
}

/// On the server, the plan as its page loads it: when nobody on the page may edit it and
/// it has no consultant's buttons, its document comes rendered (once per content, then
/// kept), and the copy hydration reads leaves out the strutture, lights and texts it shows.
#[cfg(feature = "ssr")]
pub(crate) fn pronto(piano: PianoView) -> PianoView {
    use crate::ssr::documenti;
    if !piano.documento() || piano.salva_modelli {
        return piano;
    }
    let chiave = if piano.approvato {
        let modelli: Vec<_> = (piano.strutture.iter().flat_map(|s| &s.obiettivi))
            .filter_map(|o| o.modello.as_ref().map(|m| (o.id, m)))
            .collect();
        chiave_approvato(&piano, modelli, &piano.luci)
    } else {
        let testi = [
            &piano.regolamento,
            &piano.riferimenti_normativi,
            &piano.programmazione_strategica,
            &piano.territorio,
        ];
        documenti::chiave(piano.id, &(&piano.strutture, &piano.luci, testi))
    };
    let testa = piano.testa();
    let html = documenti::documento(chiave, || {
        Owner::new().with(|| view! { <Corpo piano libreria=None/> }.to_html())
    });
    con_documento(testa, html)
}

/// `testa` as the page sends it: with its document, rendered.
#[cfg(feature = "ssr")]
fn con_documento(
    mut testa: PianoView,
    html: std::sync::Arc<crate::model::DocumentoReso>,
) -> PianoView {
    testa.documento_pronto = true;
    testa.documento_html = Some(html);
    testa
}

/// The plan page's plan as the server renders it: `carica_piano`'s, with its document
/// ready (`pronto`).
#[cfg(feature = "ssr")]
pub(crate) async fn carica_pronto(
    slug: String,
    anno: i32,
) -> Result<PianoView, crate::error::AppError> {
    use crate::domain::permessi::Azione;
    use crate::ssr::porta;
    let gia_letto = crate::ssr::precaricato::Precaricato::<PianoView>::prendi();
    if let Some(letto) = gia_letto {
        return crate::ssr::context::respond(letto);
    }
    porta::in_ente(&slug, Azione::LeggerePiano, async |ctx, tx| {
        crate::api::piani::guard::pagina(tx, ctx, anno, true).await
    })
    .await
}

/// `carica_pronto` of the plan page at `slug` and `anno`, outside its render: through the
/// same door, for the caller the middleware read, in its request (`richiesta`).
#[cfg(feature = "ssr")]
pub async fn precarica(
    pool: &sqlx::PgPool,
    caller: crate::ssr::context::Caller,
    richiesta: crate::ssr::richiesta::Richiesta,
    slug: &str,
    anno: i32,
) -> Result<PianoView, crate::error::AppError> {
    use crate::domain::permessi::Azione;
    crate::ssr::porta::in_ente_in_lettura(
        pool,
        caller,
        slug,
        Azione::LeggerePiano,
        Some(richiesta),
        async |ctx, tx| crate::api::piani::guard::pagina(tx, ctx, anno, true).await,
    )
    .await
}

/// `pronto` of an approved plan kept in memory (`ssr::piani::Conservato`), whose head
/// `testa` the caller has filled in for the page: the kept content is copied only when its
/// document is rendered, not for every page.
#[cfg(feature = "ssr")]
pub(crate) fn pronto_conservato(
    testa: PianoView,
    piano: crate::ssr::piani::Conservato,
    luci: Vec<LuceRiga>,
) -> PianoView {
    let chiave = chiave_approvato(piano.contenuto(), piano.modelli(), &luci);
    let html = crate::ssr::documenti::documento(chiave, || {
        let mut p = piano.intero();
        p.luci = luci;
        Owner::new().with(|| view! { <Corpo piano=p libreria=None/> }.to_html())
    });
    con_documento(testa, html)
}

/// An approved plan's document, by what can change under it: its texts and tables are
/// those of its version (`ssr::approvati`), the templates' titles and the lights are not.
#[cfg(feature = "ssr")]
fn chiave_approvato(
    piano: &PianoView,
    modelli: Vec<(uuid::Uuid, &crate::model::ModelloRif)>,
    luci: &[LuceRiga],
) -> crate::ssr::documenti::Chiave {
    crate::ssr::documenti::chiave_dei_valori(piano.id, &("approvato", piano.version, modelli, luci))
}

/// The narrative sections and the strutture's tables.
#[component]
fn Corpo(piano: PianoView, libreria: Libreria) -> impl IntoView {
    let luci: Luci = std::sync::Arc::new(piano.luci.iter().map(|l| (l.riga, l.clone())).collect());
    let narrativa = [
        (
            "Regolamento per la misurazione e valutazione della performance, approvato con",
            piano.regolamento.clone(),
        ),
        (
            "I riferimenti normativi",
            piano.riferimenti_normativi.clone(),
        ),
        (
            "La programmazione strategica e gli obiettivi",
            piano.programmazione_strategica.clone(),
        ),
        (
            "Il territorio e la struttura organizzativa",
            piano.territorio.clone(),
        ),
    ];
    view! {
        <details class="mb-4" id="sezioni-narrative">
            <summary class="h5">"Sezioni del documento (riferimenti normativi, programmazione, territorio)"</summary>
            <div class="mt-3 testo-piano">
                {narrativa.into_iter().map(|(titolo, testo)| view! {
                    <h2 class="h6 fw-semibold">{titolo}</h2>
                    <p class="testo-lungo">{if testo.trim().is_empty() { "—".to_string() } else { testo }}</p>
                }).collect_view()}
            </div>
        </details>
        {piano.strutture.into_iter().map(|s| view! { <Struttura s libreria luci=luci.clone()/> }).collect_view()}
    }
}

#[component]
fn Struttura(s: StrutturaView, libreria: Libreria, luci: Luci) -> impl IntoView {
    let pesi: Vec<Peso> = s.obiettivi.iter().filter_map(|o| o.campi.peso).collect();
    let totale_ok = totale_esatto(&pesi);
    let missioni = if s.missioni.is_empty() {
        "nessuna".to_string()
    } else {
        missioni::etichette(&s.missioni)
    };
    let intestazione = [
        ("Linea Strategica", s.linea_strategica),
        ("Obiettivo Strategico", s.obiettivo_strategico),
        ("Missione", missioni),
        ("Obiettivo Operativo", s.obiettivo_operativo),
    ];
    let titolo = format!(
        "Struttura: {} – {}: {}",
        s.nome, s.responsabile_titolo, s.responsabile_nome
    );
    let obiettivi = s.obiettivi;
    view! {
        <section class="struttura card shadow-sm mb-5" data-struttura=s.id.to_string()>
            <div class="card-body">
                <h2 class="h4 text-primary">{titolo.clone()}</h2>
                <dl class="row small mb-2">
                    {intestazione.into_iter().map(|(k, v)| view! {
                        <dt class="col-md-3">{k}</dt>
                        <dd class="col-md-9 testo-lungo">{v}</dd>
                    }).collect_view()}
                </dl>
                <p class=if totale_ok { "totale-pesi text-success fw-semibold" } else { "totale-pesi text-danger fw-semibold" }>
                    {totale_label(&pesi)}
                </p>
                <div class="table-responsive">
                    <table class="table table-sm align-top obiettivi-documento">
                        <caption class="visually-hidden">{format!("Obiettivi e fasi — {titolo}")}</caption>
                        <thead><tr>
                            <th scope="col">"N."</th>
                            <th scope="col">"Obiettivo / fase"</th>
                            <th scope="col">"Peso"</th>
                            <th scope="col">"Data fine attesa"</th>
                            <th scope="col">"Indicatori di misurazione"</th>
                            <th scope="col">"Valori attesi"</th>
                        </tr></thead>
                        <tbody>
                            {obiettivi.into_iter().enumerate().map(|(i, o)| {
                                let n = format!("{}", i + 1);
                                let fasi = o.fasi.clone();
                                let luce = luci.get(&o.id).cloned();
                                let luci = luci.clone();
                                view! {
                                    <Riga r=o numero=n.clone() fase=false libreria luce/>
                                    {fasi.into_iter().enumerate().map(|(j, f)| {
                                        let luce = luci.get(&f.id).cloned();
                                        view! { <Riga r=f numero=format!("{n}.{}", j + 1) fase=true libreria=None luce/> }
                                    }).collect_view()}
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        </section>
    }
}

/// An objective or a phase; a consultant's objectives (`libreria`) can become templates.
#[component]
fn Riga(
    r: RigaView,
    numero: String,
    fase: bool,
    libreria: Libreria,
    luce: Option<LuceRiga>,
) -> impl IntoView {
    let c = r.campi;
    let modello = r
        .modello
        .map(|m| format!("Dal modello «{}», versione {}.", m.titolo, m.versione));
    view! {
        <tr class=if fase { "riga fase" } else { "riga obiettivo table-light" } data-riga=r.id.to_string()>
            <th scope="row" class="numero">{numero}</th>
            <td class="testo-lungo campo-descrizione" class:ps-4=fase>
                {c.descrizione}
                {modello.map(|m| view! { <span class="d-block small text-secondary mt-1">{m}</span> })}
                {luce.map(|l| view! {
                    <span class="d-block small mt-1 avanzamento-riga">
                        {format!("Avanzamento al {}: {} ", data_label(l.data), l.percentuale.label())}
                        <crate::pages::monitoraggio::Luce semaforo=l.semaforo/>
                    </span>
                })}
                {libreria.map(|slug| view! { <SalvaComeModello slug id=r.id/> })}
            </td>
            <td class="campo-peso text-nowrap">{c.peso.map(Peso::label).unwrap_or_default()}</td>
            <td class="campo-data text-nowrap">{c.data_fine.map(data_label).unwrap_or_default()}</td>
            <td class="testo-lungo">{c.indicatori}</td>
            <td class="testo-lungo">{c.valori_attesi}</td>
        </tr>
    }
}
