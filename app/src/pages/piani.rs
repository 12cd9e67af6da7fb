//! `/e/{slug}/piani`: the ente's plans, and a new one (from the reference model or empty).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::slug_param;
use crate::api::piani::{crea_piano, elenco_piani};
use crate::components::ErrorView;
use crate::domain::plan::{data_label, Partenza};

#[component]
pub fn PianiPage() -> impl IntoView {
    let slug = slug_param();
    let piani = Resource::new(move || slug.get(), elenco_piani);
    view! {
        <Title text="Piani degli obiettivi — Obiettivi"/>
        <nav aria-label="Percorso di navigazione" class="breadcrumb-container">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href="/">"I tuoi enti"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=move || format!("/e/{}", slug.get())>"Ente"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">"Piani"</li>
            </ol>
        </nav>
        <h1>"Piani degli obiettivi"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match piani.await {
                    Ok((list, can_create)) => view! {
                        {if list.is_empty() {
                            view! { <p>"Nessun piano ancora."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="list-group mb-4" id="elenco-piani">
                                    {list.into_iter().map(|p| {
                                        let href = format!("/e/{}/piani/{}", slug.get_untracked(), p.anno);
                                        view! {
                                            <li class="list-group-item d-flex justify-content-between align-items-center">
                                                <a href=href>{format!("Annualità {} — triennio {}/{}", p.anno, p.triennio_da, p.triennio_a)}</a>
                                                {if p.approvato {
                                                    let d = p.delibera_data.map(data_label).unwrap_or_default();
                                                    view! { <span class="badge bg-success">{format!("Approvato (delibera n. {} del {d})", p.delibera_numero.unwrap_or_default())}</span> }.into_any()
                                                } else {
                                                    view! { <span class="badge bg-warning text-dark">"Bozza"</span> }.into_any()
                                                }}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {can_create.then(|| view! { <NuovoPiano slug/> })}
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NuovoPiano(slug: Memo<String>) -> impl IntoView {
    let anno = RwSignal::new(String::new());
    let modello = RwSignal::new(Partenza::Riferimento);
    let errore = RwSignal::new(None::<String>);
    let in_corso = RwSignal::new(false);
    let navigate = use_navigate();
    let crea = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        in_corso.set(true);
        errore.set(None);
        let (s, a, m) = (
            slug.get_untracked(),
            anno.get_untracked(),
            modello.get_untracked(),
        );
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match crea_piano(s.clone(), a, m).await {
                Ok(anno) => navigate(&format!("/e/{s}/piani/{anno}"), Default::default()),
                Err(e) => errore.set(Some(e.to_string())),
            }
            in_corso.set(false);
        });
    };
    view! {
        <h2 class="h3">"Nuovo piano"</h2>
        <form class="card card-body shadow-sm" id="nuovo-piano" on:submit=crea>
            <div class="row">
                <div class="col-md-3 mb-3">
                    <label for="np-anno" class="form-label">"Annualità"</label>
                    <input id="np-anno" type="number" min="2000" max="2100" class="form-control" required
                        placeholder="2022" prop:value=anno on:input=move |ev| anno.set(event_target_value(&ev))/>
                </div>
                <fieldset class="col-md-9 mb-3">
                    <legend class="form-label fs-6">"Contenuto iniziale"</legend>
                    <div class="form-check">
                        <input class="form-check-input" type="radio" name="modello" id="np-riferimento" value="riferimento"
                            prop:checked=move || modello.get() == Partenza::Riferimento
                            on:change=move |_| modello.set(Partenza::Riferimento)/>
                        <label class="form-check-label" for="np-riferimento">"Dal modello di riferimento (cinque strutture con obiettivi e fasi)"</label>
                    </div>
                    <div class="form-check">
                        <input class="form-check-input" type="radio" name="modello" id="np-vuoto" value="vuoto"
                            prop:checked=move || modello.get() == Partenza::Vuoto
                            on:change=move |_| modello.set(Partenza::Vuoto)/>
                        <label class="form-check-label" for="np-vuoto">"Piano vuoto"</label>
                    </div>
                </fieldset>
            </div>
            <div>
                <button type="submit" class="btn btn-primary" disabled=move || in_corso.get()>"Crea il piano"</button>
            </div>
            <div aria-live="polite" class="mt-2">
                {move || in_corso.get().then(|| view! { <p role="status">"Creazione del piano in corso…"</p> })}
                {move || errore.get().map(|e| view! { <div class="alert alert-danger" role="alert">{e}</div> })}
            </div>
        </form>
    }
}
