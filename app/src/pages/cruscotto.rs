//! `/studio`: the firm's cockpit — every ente for a year at a glance, filtered and sorted
//! by a GET form (it works before the wasm arrives), the next year's plans for the chosen
//! enti in one action, the exports.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::cruscotto::{cruscotto, RinnovaEnti};
use crate::components::ErrorView;
use crate::domain::plan::data_label;
use crate::domain::scadenze::giorni_label;
use crate::model::{CruscottoView, EsitoRinnovo, StatoPiano};

#[component]
pub fn CruscottoPage() -> impl IntoView {
    let query = use_query_map();
    let rinnova = ServerAction::<RinnovaEnti>::new();
    let dati = Resource::new(
        move || {
            let q = query.read();
            let g = |k: &str| q.get(k).unwrap_or_default();
            (
                g("anno"),
                g("stato"),
                g("provincia"),
                g("ritardo"),
                g("ordine"),
                g("pagina"),
                rinnova.version().get(),
            )
        },
        |(a, s, p, r, o, pg, _)| cruscotto(a, s, p, r, o, pg),
    );
    view! {
        <Title text="Cruscotto dello studio — Obiettivi"/>
        <h1>"Cruscotto dello studio"</h1>
        <p>
            <a href="/studio/consulenti">"Consulenti, nuovi enti e scadenze dello studio"</a>
            " — " <a href="/libreria">"Libreria dei modelli"</a>
        </p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Ok(v) => view! { <Cruscotto v rinnova/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The query of the current filters, for the export links and the pages.
fn query_di(v: &CruscottoView, q: &leptos_router::params::ParamsMap) -> String {
    let anno = v.anno.to_string();
    let mut coppie = vec![("anno", anno)];
    for k in ["stato", "provincia", "ritardo", "ordine"] {
        if let Some(x) = q.get(k).filter(|x| !x.is_empty()) {
            coppie.push((k, x));
        }
    }
    serde_urlencoded::to_string(&coppie).unwrap_or_default()
}

#[component]
fn Cruscotto(v: CruscottoView, rinnova: ServerAction<RinnovaEnti>) -> impl IntoView {
    let query = use_query_map();
    let q = query.get_untracked();
    let sel = |k: &str| q.get(k).unwrap_or_default();
    let (stato, provincia, ordine) = (sel("stato"), sel("provincia"), sel("ordine"));
    let ritardo = !sel("ritardo").is_empty();
    let anno = v.anno;
    let base = query_di(&v, &q);
    let righe = v.righe.clone();
    let vuoto = righe.is_empty();
    let (anni, province, per_stato) = (v.anni.clone(), v.province.clone(), v.per_stato.clone());
    let (trovati, totale, in_ritardo) = (v.trovati, v.totale, v.in_ritardo);
    view! {
        <section aria-labelledby="titolo-riepilogo" class="mb-4">
            <h2 class="h4" id="titolo-riepilogo">{format!("Il {anno} in {totale} enti")}</h2>
            <ul class="list-inline" id="riepilogo-stati">
                {per_stato.iter().map(|(s, n)| view! {
                    <li class="list-inline-item me-3"><span class="fw-semibold">{*n}</span>" " {s.label()}</li>
                }).collect_view()}
                <li class="list-inline-item"><span class="fw-semibold text-danger">{in_ritardo}</span>" in ritardo"</li>
            </ul>
        </section>
        <Form method="GET" action="" attr:id="filtri-cruscotto" attr:class="card card-body shadow-sm mb-3">
            <div class="row g-3 align-items-end">
                <div class="col-md-2">
                    <label class="form-label" for="f-anno">"Anno"</label>
                    <select class="form-select" id="f-anno" name="anno">
                        {let mut anni = anni.clone();
                         if !anni.contains(&anno) { anni.insert(0, anno); }
                         anni.into_iter().map(|a| view! { <option value=a.to_string() selected=a == anno>{a}</option> }).collect_view()}
                    </select>
                </div>
                <div class="col-md-2">
                    <label class="form-label" for="f-stato">"Stato del piano"</label>
                    <select class="form-select" id="f-stato" name="stato">
                        <option value="" selected=stato.is_empty()>"Tutti"</option>
                        {StatoPiano::TUTTI.into_iter().map(|s| view! {
                            <option value=s.codice() selected=s.codice() == stato>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="col-md-3">
                    <label class="form-label" for="f-provincia">"Provincia"</label>
                    <select class="form-select" id="f-provincia" name="provincia">
                        <option value="" selected=provincia.is_empty()>"Tutte"</option>
                        {province.iter().map(|p| view! {
                            <option value=p.clone() selected=*p == provincia>{p.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="col-md-2">
                    <label class="form-label" for="f-ordine">"Ordina per"</label>
                    <select class="form-select" id="f-ordine" name="ordine">
                        <option value="nome" selected=ordine.is_empty() || ordine == "nome">"Ente"</option>
                        <option value="scadenza" selected=ordine == "scadenza">"Prossima scadenza"</option>
                        <option value="stato" selected=ordine == "stato">"Stato del piano"</option>
                    </select>
                </div>
                <div class="col-md-2">
                    <div class="form-check">
                        <input class="form-check-input" type="checkbox" id="f-ritardo" name="ritardo" value="1" checked=ritardo/>
                        <label class="form-check-label" for="f-ritardo">"Solo in ritardo"</label>
                    </div>
                </div>
                <div class="col-md-1"><button type="submit" class="btn btn-primary">"Filtra"</button></div>
            </div>
        </Form>
        <p id="esporta">
            {format!("{trovati} enti su {totale}. Scarica: ")}
            <a href=format!("/studio/cruscotto.xlsx?{base}") download id="scarica-xlsx">"Excel (XLSX)"</a>
            " · "
            <a href=format!("/studio/cruscotto.csv?{base}") download id="scarica-csv">"CSV"</a>
        </p>
        {if vuoto {
            view! { <p class="alert alert-info" role="status">"Nessun ente corrisponde ai filtri."</p> }.into_any()
        } else {
            view! { <Tabella righe anno rinnova/> }.into_any()
        }}
        <Pagine v=v.clone() base=base.clone()/>
        <Esiti rinnova/>
    }
}

#[component]
fn Tabella(
    righe: Vec<crate::model::RigaCruscotto>,
    anno: i32,
    rinnova: ServerAction<RinnovaEnti>,
) -> impl IntoView {
    let prossimo = anno + 1;
    view! {
        <ActionForm action=rinnova attr:id="rinnovo-enti">
            <input type="hidden" name="anno" value=anno.to_string()/>
            <div class="table-responsive">
                <table class="table table-sm align-middle" id="tabella-cruscotto">
                    <caption class="visually-hidden">{format!("Enti dello studio e stato del piano {anno}")}</caption>
                    <thead>
                        <tr>
                            <th scope="col"><span class="visually-hidden">"Scegli"</span></th>
                            <th scope="col">"Ente"</th>
                            <th scope="col">"Piano"</th>
                            <th scope="col">"Violazioni"</th>
                            <th scope="col">"Modelli aggiornati"</th>
                            <th scope="col">"Personale al 100%"</th>
                            <th scope="col">"Monitoraggio"</th>
                            <th scope="col">"Prossima scadenza"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {righe.into_iter().enumerate().map(|(i, r)| {
                            let id = format!("scegli-{}", r.slug);
                            let piano = format!("/e/{}/piani/{anno}", r.slug);
                            let tardi = r.prossima.as_ref().is_some_and(|p| p.2 < 0);
                            let scelta = format!("Scegli {}", r.nome);
                            view! {
                                <tr data-ente=r.slug.clone() data-in-ritardo=tardi.to_string()>
                                    <td>
                                        <input class="form-check-input" type="checkbox" id=id.clone() name=format!("enti[{i}]") value=r.slug.clone() aria-label=scelta/>
                                    </td>
                                    <th scope="row">
                                        <a href=format!("/e/{}", r.slug)>{r.nome.clone()}</a>
                                        <div class="small text-muted">{r.provincia.clone()}</div>
                                    </th>
                                    <td>
                                        {if r.stato == StatoPiano::Nessuno {
                                            view! { <span>{r.stato.label()}</span> }.into_any()
                                        } else {
                                            view! { <a href=piano>{r.stato.label()}</a> }.into_any()
                                        }}
                                        {r.piano_successivo.then(|| view! { <div class="small">{format!("{prossimo}: creato")}</div> })}
                                    </td>
                                    <td>{if r.stato == StatoPiano::Nessuno { "—".to_string() } else { r.violazioni.to_string() }}</td>
                                    <td>{r.modelli_nuovi}</td>
                                    <td>{if r.personale_assegnato == 0 { "—".to_string() } else { format!("{} su {}", r.personale_completo, r.personale_assegnato) }}</td>
                                    <td>{r.monitoraggio.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>
                                        {match (r.prossima.clone(), r.pagina_scadenza.clone()) {
                                            (Some((t, d, g)), Some(href)) => view! {
                                                <a href=href>{t}</a>
                                                <div class="small">
                                                    {format!("{} — {}", data_label(d), giorni_label(g))}
                                                    {(g < 0).then(|| view! { " " <span class="badge bg-danger">"in ritardo"</span> })}
                                                </div>
                                            }.into_any(),
                                            _ => view! { <span>"—"</span> }.into_any(),
                                        }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <button type="submit" class="btn btn-primary" id="rinnova-scelti">
                {format!("Nuovo piano per il {prossimo} negli enti scelti")}
            </button>
            <p class="small mt-1">{format!("Copia il piano {anno} approvato di ogni ente scelto: strutture, obiettivi, fasi, modelli e responsabili, con le date spostate di un anno, come bozza. Le assegnazioni del personale solo per chi è ancora in servizio. Se il piano {prossimo} c'è già, non lo cambia.")}</p>
        </ActionForm>
    }
}

#[component]
fn Pagine(v: CruscottoView, base: String) -> impl IntoView {
    (v.pagine > 1).then(|| {
        let base = base.clone();
        view! {
            <nav class="pagination-wrapper" aria-label="Pagine del cruscotto">
                <ul class="pagination">
                    {(1..=v.pagine).map(|p| {
                        let corrente = p == v.pagina;
                        view! {
                            <li class="page-item">
                                <a class="page-link" href=format!("?{base}&pagina={p}") aria-current=corrente.then_some("page")>
                                    <span class="visually-hidden">"Pagina "</span>{p}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    })
}

#[component]
fn Esiti(rinnova: ServerAction<RinnovaEnti>) -> impl IntoView {
    view! {
        <div aria-live="polite" id="esito-rinnovo">
            {move || rinnova.pending().get().then(|| view! { <p role="status">"Preparazione dei piani in corso…"</p> })}
            {move || rinnova.value().get().map(|r| match r {
                Ok(esiti) => view! {
                    <ul class="list-unstyled mt-3">
                        {esiti.into_iter().map(|e| view! { <Esito e/> }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
            })}
        </div>
    }
}

/// What the next year's plan of one ente was made of, and what needs attention.
#[component]
pub fn Esito(e: EsitoRinnovo) -> impl IntoView {
    view! {
        <li class=if e.creato { "callout success mb-2" } else { "callout mb-2" }>
            <div class="callout-title"><strong>{e.ente.clone()}</strong></div>
            <p class="mb-1">{e.messaggio.clone()}</p>
            {(e.creato || e.messaggio.contains("c'era già")).then(|| view! {
                <p class="mb-1"><a href=format!("/e/{}/piani/{}", e.slug, e.anno)>{format!("Apri il piano {} di {}", e.anno, e.ente)}</a></p>
            })}
            {(!e.attenzione.is_empty()).then(|| view! {
                <p class="mb-1 fw-semibold">"Da controllare:"</p>
                <ul>{e.attenzione.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
            })}
        </li>
    }
}
