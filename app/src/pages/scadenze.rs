//! Deadlines and reminders: `/e/{slug}/scadenze` (an ente's year, its own dates),
//! `/promemoria` (the bell's list), and the firm's defaults on `/studio/consulenti`.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::cruscotto::{scadenze_ente, scadenze_studio, SalvaScadenzeStudio, SpostaScadenza};
use crate::api::promemoria::{
    email_anticipati, miei_promemoria, ImpostaEmailAnticipati, SegnaLetti,
};
use crate::components::{ActionStatus, ErrorView};
use crate::domain::plan::data_label;
use crate::domain::scadenze::{giorni_label, Tipo};
use crate::model::ScadenzeView;
use crate::pages::slug_param;

#[component]
pub fn ScadenzePage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let sposta = ServerAction::<SpostaScadenza>::new();
    let anno = Memo::new(move |_| {
        query
            .read()
            .get("anno")
            .and_then(|a| a.parse::<i32>().ok())
            .filter(|a| (2000..=2100).contains(a))
            .unwrap_or_else(|| crate::domain::calendario::oggi().year())
    });
    let dati = Resource::new(
        move || (slug.get(), anno.get(), sposta.version().get()),
        |(s, a, _)| scadenze_ente(s, a),
    );
    view! {
        <Title text="Scadenze — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Ok(v) => view! { <Scadenze v sposta/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <ActionStatus pending=sposta.pending().into() value=Signal::derive(move || sposta.value().get()) success="Scadenza salvata."/>
    }
}

#[component]
fn Scadenze(v: ScadenzeView, sposta: ServerAction<SpostaScadenza>) -> impl IntoView {
    let slug = slug_param().get_untracked();
    let anno = v.anno;
    view! {
        <h1>{format!("Scadenze del {anno}")}</h1>
        <p>
            <a href=format!("?anno={}", anno - 1)>{format!("← {}", anno - 1)}</a>
            " · "
            <a href=format!("?anno={}", anno + 1)>{format!("{} →", anno + 1)}</a>
        </p>
        <div class="table-responsive">
            <table class="table" id="scadenze">
                <caption class="visually-hidden">{format!("Scadenze del piano {anno}")}</caption>
                <thead><tr>
                    <th scope="col">"Adempimento"</th>
                    <th scope="col">"Entro il"</th>
                    <th scope="col">"Stato"</th>
                    {v.modificabili.then(|| view! { <th scope="col">"Sposta per questo ente"</th> })}
                </tr></thead>
                <tbody>
                    {v.scadenze.into_iter().map(|s| {
                        let stato = if s.fatta { "fatto".to_string() } else { giorni_label(s.giorni) };
                        let tardi = !s.fatta && s.giorni < 0;
                        let slug = slug.clone();
                        view! {
                            <tr data-in-ritardo=tardi.to_string()>
                                <th scope="row">
                                    <a href=s.pagina.clone()>{s.titolo.clone()}</a>
                                    <div class="small text-muted">{s.norma.clone()}</div>
                                </th>
                                <td>{data_label(s.data)}{s.spostata.then(|| view! { <span class="small">" (dell'ente)"</span> })}</td>
                                <td>{stato}{tardi.then(|| view! { " " <span class="badge bg-danger">"in ritardo"</span> })}</td>
                                {v.modificabili.then(|| match s.tipo {
                                    Some(t) => {
                                        let id = format!("data-{}", t.db_name());
                                        view! {
                                            <td>
                                                <ActionForm action=sposta attr:class="d-flex gap-2 align-items-end">
                                                    <input type="hidden" name="slug" value=slug.clone()/>
                                                    <input type="hidden" name="anno" value=anno.to_string()/>
                                                    <input type="hidden" name="tipo" value=t.db_name()/>
                                                    <div>
                                                        <label class="form-label small" for=id.clone()>{format!("Nuova data: {}", t.label())}</label>
                                                        <input class="form-control form-control-sm" type="date" id=id name="data" value=s.data.format("%Y-%m-%d").to_string()/>
                                                    </div>
                                                    <button type="submit" class="btn btn-sm btn-outline-primary">"Salva"</button>
                                                </ActionForm>
                                            </td>
                                        }.into_any()
                                    }
                                    None => view! { <td class="small">"Si imposta con il monitoraggio."</td> }.into_any(),
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="small">"Una data lasciata vuota torna quella dello studio (o quella di legge)."</p>
    }
}

/// `/promemoria`: the caller's reminders across their enti.
#[component]
pub fn PromemoriaPage() -> impl IntoView {
    let letti = ServerAction::<SegnaLetti>::new();
    let imposta = ServerAction::<ImpostaEmailAnticipati>::new();
    let lista = Resource::new(move || letti.version().get(), |_| miei_promemoria());
    let email = Resource::new(move || imposta.version().get(), |_| email_anticipati());
    view! {
        <Title text="Promemoria — Obiettivi"/>
        <h1>"Promemoria"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match lista.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) if v.is_empty() => view! { <p id="nessun-promemoria">"Nessun promemoria."</p> }.into_any(),
                    Ok(v) => view! {
                        <ul class="list-group mb-3" id="elenco-promemoria">
                            {v.into_iter().map(|p| view! {
                                <li class="list-group-item">
                                    <a href=p.percorso.clone() class=if p.letto { "" } else { "fw-semibold" }>{p.titolo.clone()}</a>
                                    {p.sollecito.then(|| view! { <span class="badge bg-danger ms-2">"scaduto"</span> })}
                                    {(!p.letto).then(|| view! { <span class="badge bg-primary ms-2">"nuovo"</span> })}
                                    <div class="small">{p.testo.clone()}</div>
                                </li>
                            }).collect_view()}
                        </ul>
                        <ActionForm action=letti attr:id="segna-letti">
                            <button type="submit" class="btn btn-outline-primary">"Segna tutti come letti"</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
        <h2 class="h4 mt-4">"Promemoria per e-mail"</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let attivi = email.await.unwrap_or(true);
                view! {
                    <ActionForm action=imposta attr:class="card card-body shadow-sm" attr:id="email-anticipati">
                        <div class="form-check mb-2">
                            <input class="form-check-input" type="checkbox" id="pe-attivi" name="attivi" checked=attivi/>
                            <label class="form-check-label" for="pe-attivi">"Ricevi per e-mail anche i promemoria prima delle scadenze"</label>
                        </div>
                        <p class="small">"I solleciti dopo una scadenza arrivano sempre; tutti i promemoria restano in questa pagina."</p>
                        <div><button type="submit" class="btn btn-outline-primary">"Salva"</button></div>
                    </ActionForm>
                }
            })}
        </Suspense>
        <ActionStatus pending=imposta.pending().into() value=Signal::derive(move || imposta.value().get()) success="Preferenza salvata."/>
    }
}

/// The firm's deadline days for all its enti and when reminders go out.
#[component]
pub fn ScadenzeStudio() -> impl IntoView {
    let salva = ServerAction::<SalvaScadenzeStudio>::new();
    let dati = Resource::new(move || salva.version().get(), |_| scadenze_studio());
    view! {
        <h2 class="h3 mt-5">"Scadenze e promemoria dello studio"</h2>
        <p>"I giorni valgono per tutti gli enti dello studio; ogni ente può spostare i propri dalla sua pagina «Scadenze»."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(s) => {
                        let prima = s.regole.prima.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                        view! {
                        <ActionForm action=salva attr:class="card card-body shadow-sm" attr:id="scadenze-studio">
                            <div class="row g-3">
                                {s.giorni.iter().map(|(t, g, m)| {
                                    let id = format!("ss-{}", t.db_name());
                                    let dopo = if *t == Tipo::Piao { "dell'anno del piano" } else { "dell'anno dopo" };
                                    view! {
                                        <div class="col-md-3">
                                            <label class="form-label" for=id.clone()>{format!("{} (gg/mm {dopo})", t.label())}</label>
                                            <input class="form-control" type="text" id=id name=t.db_name() value=format!("{g:02}/{m:02}") required/>
                                        </div>
                                    }
                                }).collect_view()}
                                <div class="col-md-6">
                                    <label class="form-label" for="ss-prima">"Promemoria: giorni prima della scadenza"</label>
                                    <input class="form-control" type="text" id="ss-prima" name="prima" value=prima/>
                                </div>
                                <div class="col-md-6">
                                    <label class="form-label" for="ss-ogni">"Solleciti dopo la scadenza: ogni quanti giorni"</label>
                                    <input class="form-control" type="text" inputmode="numeric" id="ss-ogni" name="ogni" value=s.regole.ogni.to_string()/>
                                </div>
                            </div>
                            <div class="mt-3"><button type="submit" class="btn btn-primary">"Salva le scadenze"</button></div>
                        </ActionForm>
                    }.into_any()
                    }
                }
            })}
        </Suspense>
        <ActionStatus pending=salva.pending().into() value=Signal::derive(move || salva.value().get()) success="Scadenze dello studio salvate."/>
    }
}
