//! `/e/{slug}/piani/{anno}/versioni`: the approved versions of a plan with their delibere
//! and PDFs, one version shown as it was approved (`?versione=n`), and the changes between
//! two versions (`?da=1&a=2`; `a=0`: the draft of a rimodulazione under way). Reading only:
//! the forms are GETs, and work before the wasm arrives.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{anno_param, slug_param};
use crate::api::versioni::{carica_versione, confronta_versioni, elenco_versioni};
use crate::components::{ErrorView, Tabella};
use crate::domain::plan::data_label;
use crate::domain::versioni::Tipo;

#[component]
pub fn VersioniPage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let anno = anno_param();
    let numero = move |k: &str| query.read().get(k).and_then(|v| v.parse::<i32>().ok());
    let dati = Resource::new(
        move || (slug.get(), anno.get()),
        |(s, a)| elenco_versioni(s, a),
    );
    let vista = Resource::new(
        move || (slug.get(), anno.get(), numero("versione")),
        |(s, a, n)| async move {
            match n {
                Some(n) => carica_versione(s, a, n).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let confronto = Resource::new(
        move || (slug.get(), anno.get(), numero("da"), numero("a")),
        |(s, a, da, b)| async move {
            match (da, b) {
                (Some(da), Some(b)) => confronta_versioni(s, a, da, b).await.map(Some),
                _ => Ok(None),
            }
        },
    );
    view! {
        <Title text="Versioni del piano — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                let v = match dati.await {
                    Ok(v) => v,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let s = slug.get_untracked();
                let base = format!("/e/{s}/piani/{}", v.anno);
                let ultima = v.versioni.last().map(|x| x.numero).unwrap_or(0);
                let scelte: Vec<(i32, String)> = v
                    .versioni
                    .iter()
                    .map(|x| (x.numero, format!("Versione {} (delibera n. {} del {})", x.numero, x.delibera_numero, data_label(x.delibera_data))))
                    .collect();
                let mut scelte_a = scelte.clone();
                if v.rimodulazione.is_some() {
                    scelte_a.push((0, "Bozza della rimodulazione in corso".into()));
                }
                let (da0, a0) = (numero("da").unwrap_or((ultima - 1).max(1)), numero("a").unwrap_or(if v.rimodulazione.is_some() { 0 } else { ultima }));
                view! {
                    <nav class="breadcrumb-container" aria-label="Percorso">
                        <ol class="breadcrumb">
                            <li class="breadcrumb-item"><a href=format!("/e/{s}")>{v.ente_nome.clone()}</a><span class="separator" aria-hidden="true">"/"</span></li>
                            <li class="breadcrumb-item"><a href=base.clone()>{format!("Piano {}", v.anno)}</a><span class="separator" aria-hidden="true">"/"</span></li>
                            <li class="breadcrumb-item active" aria-current="page">"Versioni"</li>
                        </ol>
                    </nav>
                    <h1>{format!("Versioni del Piano {}", v.anno)}</h1>
                    <p>"Ogni approvazione della Giunta è una versione del piano: la prima e ogni rimodulazione successiva. Le versioni precedenti restano consultabili e scaricabili come sono state approvate."</p>
                    {v.rimodulazione.clone().map(|m| view! { <div class="alert alert-info" role="status">{format!("Rimodulazione in corso: {m}.")}</div> })}
                    {if v.versioni.is_empty() {
                        view! { <p id="nessuna-versione">"Nessuna versione approvata."</p> }.into_any()
                    } else {
                        view! {
                            <Tabella id="versioni" didascalia="Versioni approvate del piano" colonne=&["Versione", "Delibera di Giunta", "Motivo", "Documento"]>
                                {v.versioni.iter().map(|x| view! {
                                    <tr>
                                        <td>{x.numero}</td>
                                        <td>{format!("n. {} del {}", x.delibera_numero, data_label(x.delibera_data))}</td>
                                        <td>{if x.motivo.is_empty() { "—".to_string() } else { x.motivo.clone() }}</td>
                                        <td>
                                            <a href=format!("{base}/versioni?versione={}", x.numero)>{format!("Vedi la versione {}", x.numero)}</a>
                                            " · "
                                            <a href=format!("{base}/versioni/{}/allegato.pdf", x.numero) download>{format!("PDF della versione {}", x.numero)}</a>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </Tabella>
                        }.into_any()
                    }}
                    {(!v.proposte.is_empty()).then(|| view! {
                        <h2 class="h4 mt-4">"Proposte di rimodulazione dai monitoraggi"</h2>
                        <p>"Le hanno inviate i responsabili con le rilevazioni: si recepiscono modificando il piano durante una rimodulazione."</p>
                        <Tabella id="proposte" didascalia="Proposte di rimodulazione" colonne=&["Monitoraggio", "Struttura", "Obiettivo", "Proposta", "Motivo"]>
                            {v.proposte.iter().map(|p| view! {
                                <tr>
                                    <td>{data_label(p.data)}</td>
                                    <td>{p.struttura.clone()}</td>
                                    <td>{p.obiettivo.clone()}</td>
                                    <td>{p.proposta.label()}</td>
                                    <td>{p.testo.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </Tabella>
                    })}
                    {(!scelte.is_empty()).then(|| view! {
                        <h2 class="h4 mt-4">"Confronta due versioni"</h2>
                        <form method="get" class="row g-2 align-items-end" id="confronta">
                            <div class="col-md-5">
                                <label for="confronta-da" class="form-label">"Dalla"</label>
                                <select id="confronta-da" name="da" class="form-select">
                                    {scelte.iter().map(|(n, l)| view! { <option value=n.to_string() selected=*n == da0>{l.clone()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="col-md-5">
                                <label for="confronta-a" class="form-label">"Alla"</label>
                                <select id="confronta-a" name="a" class="form-select">
                                    {scelte_a.iter().map(|(n, l)| view! { <option value=n.to_string() selected=*n == a0>{l.clone()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="col-md-2"><button type="submit" class="btn btn-primary">"Confronta"</button></div>
                        </form>
                    })}
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            match confronto.await {
                                Ok(None) => ().into_any(),
                                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                                Ok(Some(m)) if m.is_empty() => view! { <p class="mt-3" id="differenze">"Nessuna differenza tra le due versioni."</p> }.into_any(),
                                Ok(Some(m)) => view! {
                                    <h3 class="h5 mt-3">{if m.len() == 1 { "1 modifica".to_string() } else { format!("{} modifiche", m.len()) }}</h3>
                                    <Tabella id="differenze" didascalia="Modifiche tra le due versioni" colonne=&["Dove", "Modifica", "Prima", "Dopo"]>
                                        {m.into_iter().map(|x| {
                                            let tipo = match x.tipo {
                                                Tipo::Aggiunto => "Aggiunto".to_string(),
                                                Tipo::Rimosso => "Rimosso".to_string(),
                                                Tipo::Modificato => x.campo.clone(),
                                            };
                                            view! { <tr><td>{x.dove}</td><td>{tipo}</td><td>{x.prima}</td><td>{x.dopo}</td></tr> }
                                        }).collect_view()}
                                    </Tabella>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            match vista.await {
                                Ok(None) => ().into_any(),
                                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                                Ok(Some(p)) => view! {
                                    <h2 class="h4 mt-5" id="versione-mostrata">{format!("Versione approvata con delibera n. {} del {}", p.delibera_numero.clone().unwrap_or_default(), p.delibera_data.map(data_label).unwrap_or_default())}</h2>
                                    <super::piano::documento::Documento piano=p slug/>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                }.into_any()
            })}
        </Suspense>
    }
}
