//! `/e/{slug}/miei-obiettivi`: what a dipendente sees: the objectives they work on, with
//! their own weight, nearest deadline first. Read-only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::slug_param;
use crate::api::personale::carica_miei_obiettivi;
use crate::components::ErrorView;
use crate::domain::monitoraggio::luce;
use crate::domain::plan::data_label;
use crate::pages::monitoraggio::Luce;

#[component]
pub fn MieiObiettiviPage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let anno = Memo::new(move |_| {
        query
            .read()
            .get("anno")
            .and_then(|a| a.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let dati = Resource::new(
        move || (slug.get(), anno.get()),
        |(s, a)| carica_miei_obiettivi(s, a),
    );
    view! {
        <Title text="I miei obiettivi — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Ok(m) => view! {
                        <h1>"I miei obiettivi"</h1>
                        <p class="lead">{m.nome.clone()}</p>
                        {(m.anni.len() > 1).then(|| view! {
                            <nav aria-label="Anni" class="mb-3">
                                {m.anni.iter().map(|a| {
                                    let current = Some(*a) == m.anno;
                                    view! { <a class=if current { "btn btn-primary btn-sm me-2" } else { "btn btn-outline-primary btn-sm me-2" }
                                        aria-current=current.then_some("page")
                                        href=format!("/e/{}/miei-obiettivi?anno={a}", slug.get_untracked())>{a.to_string()}</a> }
                                }).collect_view()}
                            </nav>
                        })}
                        {match m.anno {
                            None => view! { <p>"Non hai ancora obiettivi assegnati."</p> }.into_any(),
                            Some(a) => view! {
                                <p>{format!("Piano {a}: {} obiettivi, dalla scadenza più vicina.", m.obiettivi.len())}</p>
                                <p><a id="link-mia-valutazione" href=format!("/e/{}/piani/{a}/valutazioni", slug.get_untracked())>{format!("La mia valutazione {a}")}</a></p>
                                {m.obiettivi.into_iter().map(|o| view! {
                                    <article class="card shadow-sm mb-3 mio-obiettivo">
                                        <div class="card-body">
                                            <p class="small text-secondary mb-1">{format!("{} — obiettivo n. {}", o.struttura, o.numero)}</p>
                                            <h2 class="h5">{o.obiettivo.campi.descrizione.clone()}</h2>
                                            <dl class="row mb-2">
                                                <dt class="col-sm-3">"Il mio peso"</dt><dd class="col-sm-9 peso-mio">{o.peso_mio.map(|p| p.label()).unwrap_or_else(|| "non indicato".into())}</dd>
                                                <dt class="col-sm-3">"Data fine attesa"</dt><dd class="col-sm-9">{o.obiettivo.campi.data_fine.map(data_label).unwrap_or_default()}</dd>
                                                <dt class="col-sm-3">"Indicatori"</dt><dd class="col-sm-9" style="white-space: pre-line">{o.obiettivo.campi.indicatori.clone()}</dd>
                                                <dt class="col-sm-3">"Valori attesi"</dt><dd class="col-sm-9" style="white-space: pre-line">{o.obiettivo.campi.valori_attesi.clone()}</dd>
                                            </dl>
                                            {o.avanzamento.clone().map(|a| {
                                                let l = a.obiettivo.percentuale.and_then(|p| luce(p, a.inizio, o.obiettivo.campi.data_fine, a.data));
                                                view! {
                                                    <p class="avanzamento-mio">
                                                        {format!("Avanzamento al {}: {}", data_label(a.data), a.obiettivo.percentuale.map(|p| p.label()).unwrap_or_else(|| "non indicato".into()))}
                                                        {l.map(|l| format!(" (atteso {}) ", l.0.label()))}
                                                        <Luce semaforo=l.map(|l| l.1)/>
                                                    </p>
                                                }
                                            })}
                                            {(!o.obiettivo.fasi.is_empty()).then(|| view! {
                                                <h3 class="h6">"Fasi"</h3>
                                                <ul class="mb-0">
                                                    {o.obiettivo.fasi.iter().map(|f| {
                                                        let af = o.avanzamento.as_ref().and_then(|a| {
                                                            a.fasi.iter().find(|(id, _)| *id == f.id).and_then(|(_, x)| x.percentuale)
                                                                .map(|p| (p, luce(p, a.inizio, f.campi.data_fine, a.data)))
                                                        });
                                                        view! {
                                                            <li>
                                                                {format!("{} ({}) — entro il {}", f.campi.descrizione, f.campi.peso.map(|p| p.label()).unwrap_or_default(), f.campi.data_fine.map(data_label).unwrap_or_default())}
                                                                {af.map(|(p, l)| view! { {format!(" — avanzamento {} ", p.label())} <Luce semaforo=l.map(|l| l.1)/> })}
                                                            </li>
                                                        }
                                                    }).collect_view()}
                                                </ul>
                                            })}
                                        </div>
                                    </article>
                                }).collect_view()}
                            }.into_any(),
                        }}
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
