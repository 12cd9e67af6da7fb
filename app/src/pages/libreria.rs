//! `/libreria` and `/libreria/{id}`: the consultant's template library — the shared base
//! library (from the reference document, read-only) and the firm's own templates, with
//! search, versions, duplication, retirement, and which enti use which version.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::api::libreria::{
    carica_modello, cerca_modelli, duplica_modello, ritira_modello, salva_modello, FaseModulo,
};
use crate::components::ErrorView;
use crate::domain::libreria::{
    problemi, tipo_label, ContenutoModello, FaseModello, Natura, Scadenza, TIPI_STRUTTURA,
};
use crate::domain::missioni::MISSIONI;
use crate::domain::peso::{totale_label, Peso};
use crate::error::AppError;
use crate::model::{ModelloBreve, ModelloView};

/// Title, badges and tags of a template, as the list and the editor's search show it.
#[component]
pub fn ModelloSintesi(m: ModelloBreve) -> impl IntoView {
    let c = m.contenuto;
    let tipi = c
        .tipi_struttura
        .iter()
        .filter_map(|t| tipo_label(t))
        .collect::<Vec<_>>()
        .join(", ");
    let missioni = c.missioni.join(", ");
    view! {
        <p class="mb-1">
            {if m.base {
                view! { <span class="badge bg-primary me-1">"Libreria di base"</span> }.into_any()
            } else {
                view! { <span class="badge bg-secondary me-1">"Studio"</span> }.into_any()
            }}
            <span class="badge bg-light text-dark border me-1">{c.natura.label()}</span>
            <span class="badge bg-light text-dark border me-1">{format!("versione {}", m.versione)}</span>
            {m.ritirato.then(|| view! { <span class="badge bg-danger me-1">"Ritirato"</span> })}
        </p>
        <p class="small mb-1 text-secondary">
            {(!tipi.is_empty()).then(|| format!("Strutture: {tipi}. "))}
            {(!missioni.is_empty()).then(|| format!("Missioni: {missioni}. "))}
            {format!(
                "Peso {}; scadenza {}; {} fasi.",
                c.peso.map(Peso::label).unwrap_or_else(|| "—".into()),
                c.scadenza.map(Scadenza::label).unwrap_or_else(|| "—".into()),
                c.fasi.len()
            )}
        </p>
    }
}

/// The objective and its phases, read-only.
#[component]
pub fn ModelloContenuto(c: ContenutoModello) -> impl IntoView {
    view! {
        <dl class="row mb-2">
            <dt class="col-md-3">"Descrizione"</dt>
            <dd class="col-md-9 testo-modello" style="white-space: pre-line">{c.descrizione}</dd>
            <dt class="col-md-3">"Indicatori di misurazione"</dt>
            <dd class="col-md-9" style="white-space: pre-line">{c.indicatori}</dd>
            <dt class="col-md-3">"Valori attesi"</dt>
            <dd class="col-md-9" style="white-space: pre-line">{c.valori_attesi}</dd>
        </dl>
        {(!c.fasi.is_empty()).then(|| view! {
            <div class="table-responsive">
                <table class="table table-sm">
                    <caption>"Fasi"</caption>
                    <thead><tr>
                        <th scope="col">"N°"</th><th scope="col">"Fase"</th><th scope="col">"Peso"</th>
                        <th scope="col">"Indicatori"</th><th scope="col">"Valori attesi"</th><th scope="col">"Scadenza"</th>
                    </tr></thead>
                    <tbody>
                        {c.fasi.into_iter().enumerate().map(|(i, f)| view! {
                            <tr>
                                <td>{i + 1}</td>
                                <td style="white-space: pre-line">{f.descrizione}</td>
                                <td>{f.peso.map(Peso::label).unwrap_or_default()}</td>
                                <td style="white-space: pre-line">{f.indicatori}</td>
                                <td style="white-space: pre-line">{f.valori_attesi}</td>
                                <td>{f.scadenza.map(Scadenza::label).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

/// The search filters (text, kind of struttura, mission, mantenimento/sviluppo).
#[component]
pub fn FiltriLibreria(
    prefisso: String,
    testo: RwSignal<String>,
    tipo: RwSignal<String>,
    missione: RwSignal<String>,
    natura: RwSignal<String>,
) -> impl IntoView {
    let id = move |k: &str| format!("{prefisso}-{k}");
    view! {
        <div class="row g-2 align-items-end">
            <div class="col-md-4">
                <label for=id("q") class="form-label small fw-semibold mb-0">"Cerca nel testo"</label>
                <input id=id("q") name="q" type="search" class="form-control form-control-sm" maxlength="200"
                    placeholder="es. trasparenza, pagamenti, lavoro agile"
                    value=testo.get_untracked() prop:value=testo on:input=move |ev| testo.set(event_target_value(&ev))/>
            </div>
            <div class="col-md-3">
                <label for=id("tipo") class="form-label small fw-semibold mb-0">"Struttura"</label>
                <select id=id("tipo") name="tipo" class="form-select form-select-sm" on:change=move |ev| tipo.set(event_target_value(&ev))>
                    <option value="" selected=move || tipo.get().is_empty()>"Tutte"</option>
                    {TIPI_STRUTTURA.iter().map(|(c, l)| view! {
                        <option value=*c selected=move || tipo.get() == *c>{*l}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="col-md-3">
                <label for=id("missione") class="form-label small fw-semibold mb-0">"Missione"</label>
                <select id=id("missione") name="missione" class="form-select form-select-sm" on:change=move |ev| missione.set(event_target_value(&ev))>
                    <option value="" selected=move || missione.get().is_empty()>"Tutte"</option>
                    {MISSIONI.iter().map(|(c, l)| view! {
                        <option value=*c selected=move || missione.get() == *c>{format!("{c} {l}")}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="col-md-2">
                <label for=id("natura") class="form-label small fw-semibold mb-0">"Tipo"</label>
                <select id=id("natura") name="natura" class="form-select form-select-sm" on:change=move |ev| natura.set(event_target_value(&ev))>
                    <option value="" selected=move || natura.get().is_empty()>"Tutti"</option>
                    {Natura::TUTTE.iter().map(|n| view! {
                        <option value=n.db_name() selected=move || natura.get() == n.db_name()>{n.label()}</option>
                    }).collect_view()}
                </select>
            </div>
        </div>
    }
}

#[component]
pub fn LibreriaPage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.read().get(k).unwrap_or_default();
    let testo = RwSignal::new(q("q"));
    let tipo = RwSignal::new(q("tipo"));
    let missione = RwSignal::new(q("missione"));
    let natura = RwSignal::new(q("natura"));
    let risultati = Resource::new(
        move || (q("q"), q("tipo"), q("missione"), q("natura")),
        |(t, ti, m, n)| cerca_modelli(String::new(), t, ti, m, n),
    );
    view! {
        <Title text="Libreria dei modelli — Obiettivi"/>
        <h1>"Libreria dei modelli di obiettivo"</h1>
        <p class="lead">
            "La libreria di base riprende gli obiettivi del modello di riferimento; i modelli dello studio "
            "si creano, si modificano (ogni modifica è una nuova versione) e si offrono agli enti."
        </p>
        <p><a class="btn btn-primary" href="/libreria/nuovo">"Nuovo modello"</a></p>
        // A plain GET form: searching works before the page is live, and the URL can be shared.
        <form method="get" action="/libreria" class="card card-body shadow-sm mb-3" id="cerca-modelli" role="search">
            <FiltriLibreria prefisso="lib".to_string() testo tipo missione natura/>
            <div class="mt-2"><button type="submit" class="btn btn-outline-primary btn-sm">"Cerca"</button></div>
        </form>
        <Suspense fallback=|| view! { <p role="status">"Ricerca in corso…"</p> }>
            {move || Suspend::new(async move {
                match risultati.await {
                    Ok(list) if list.is_empty() => view! { <p id="nessun-modello">"Nessun modello corrisponde alla ricerca."</p> }.into_any(),
                    Ok(list) => view! {
                        <p class="small text-secondary" aria-live="polite">
                            {if list.len() >= crate::domain::libreria::MAX_RISULTATI {
                                format!("Sono mostrati i primi {} modelli: affina la ricerca.", list.len())
                            } else {
                                format!("{} modelli", list.len())
                            }}
                        </p>
                        <ul class="list-unstyled" id="elenco-modelli">
                            {list.into_iter().map(|m| {
                                let href = format!("/libreria/{}", m.id);
                                let titolo = m.contenuto.titolo.clone();
                                let estratto: String = m.contenuto.descrizione.chars().take(220).collect();
                                view! {
                                    <li class="card card-body shadow-sm mb-2 modello">
                                        <h2 class="h5 mb-1"><a href=href>{titolo}</a></h2>
                                        <ModelloSintesi m/>
                                        <p class="small mb-0">{estratto}"…"</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ModelloPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let versione = Memo::new(move |_| {
        query
            .read()
            .get("versione")
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let ricarica = RwSignal::new(0u32);
    // Survives the reload after a save, so the page says what happened.
    let avviso = RwSignal::new(None::<String>);
    let modello = Resource::new(
        move || (id.get(), versione.get(), ricarica.get()),
        |(id, v, _)| async move {
            if id == "nuovo" {
                return Ok(None);
            }
            let id: Uuid = id.parse().map_err(|_| AppError::NonTrovato)?;
            carica_modello(id, v).await.map(Some)
        },
    );
    view! {
        <nav aria-label="Percorso di navigazione" class="breadcrumb-container">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href="/">"Home"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href="/libreria">"Libreria dei modelli"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">"Modello"</li>
            </ol>
        </nav>
        <Suspense fallback=|| view! { <p role="status">"Caricamento del modello…"</p> }>
            {move || Suspend::new(async move {
                match modello.await {
                    Ok(None) => view! {
                        <Title text="Nuovo modello — Obiettivi"/>
                        <h1>"Nuovo modello"</h1>
                        <ModelloForm m=None ricarica avviso/>
                    }.into_any(),
                    Ok(Some(m)) => view! { <ModelloDettaglio m ricarica avviso/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ModelloDettaglio(
    m: ModelloView,
    ricarica: RwSignal<u32>,
    avviso: RwSignal<Option<String>>,
) -> impl IntoView {
    let modifica = RwSignal::new(false);
    let esito = RwSignal::new(None::<Result<String, AppError>>);
    let id = m.id;
    let navigate = use_navigate();
    let duplica = move |_| {
        let navigate = navigate.clone();
        esito.set(Some(Ok("Copia in corso…".into())));
        spawn_local(async move {
            match duplica_modello(id).await {
                Ok(nuovo) => navigate(&format!("/libreria/{nuovo}"), Default::default()),
                Err(e) => esito.set(Some(Err(e))),
            }
        });
    };
    let ritirato = m.ritirato;
    let ritira = move |_| {
        spawn_local(async move {
            match ritira_modello(id, !ritirato).await {
                Ok(()) => ricarica.update(|r| *r += 1),
                Err(e) => esito.set(Some(Err(e))),
            }
        });
    };
    let corrente = m.versione == m.versione_corrente;
    let breve = ModelloBreve {
        id: m.id,
        base: m.base,
        ritirato: m.ritirato,
        versione: m.versione,
        contenuto: m.contenuto.clone(),
    };
    let titolo = m.contenuto.titolo.clone();
    let puo_modificare = m.modificabile && corrente;
    let mv = StoredValue::new(m.clone());
    view! {
        <Title text=format!("{titolo} — Libreria dei modelli")/>
        <h1 class="h2" id="titolo-modello">{titolo.clone()}</h1>
        <ModelloSintesi m=breve/>
        {move || avviso.get().map(|a| view! { <div class="alert alert-success" role="status" id="avviso-modello">{a}</div> })}
        {(!corrente).then(|| view! {
            <div class="alert alert-info" role="status">
                {format!("Stai leggendo la versione {} (quella in uso è la {}). ", m.versione, m.versione_corrente)}
                <a href=format!("/libreria/{id}")>"Vai alla versione attuale"</a>
            </div>
        })}
        <div class="d-flex flex-wrap gap-2 my-3">
            {puo_modificare.then(|| view! {
                <button class="btn btn-primary" on:click=move |_| modifica.update(|v| *v = !*v)>
                    {move || if modifica.get() { "Chiudi la modifica" } else { "Modifica (nuova versione)" }}
                </button>
            })}
            <button class="btn btn-outline-primary" on:click=duplica>"Duplica nella libreria dello studio"</button>
            {m.modificabile.then(|| view! {
                <button class="btn btn-outline-danger" on:click=ritira>
                    {if ritirato { "Rimetti a disposizione degli enti" } else { "Ritira (non più adottabile)" }}
                </button>
            })}
        </div>
        {move || esito.get().map(|r| match r {
            Ok(m) => view! { <p role="status">{m}</p> }.into_any(),
            Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
        })}
        {move || if modifica.get() {
            view! { <ModelloForm m=Some(mv.get_value()) ricarica avviso/> }.into_any()
        } else {
            view! { <ModelloContenuto c=mv.get_value().contenuto/> }.into_any()
        }}
        <h2 class="h4 mt-4">"Versioni"</h2>
        <ul id="versioni-modello">
            {m.versioni.iter().map(|(v, data, autore)| {
                let testo = format!("Versione {v} — {data} — {autore}");
                if *v == m.versione {
                    view! { <li><strong>{testo}</strong></li> }.into_any()
                } else {
                    view! { <li><a href=format!("/libreria/{id}?versione={v}")>{testo}</a></li> }.into_any()
                }
            }).collect_view()}
        </ul>
        <h2 class="h4 mt-4">"Enti dello studio che lo usano"</h2>
        {if m.uso.is_empty() {
            view! { <p id="uso-modello">"Nessun ente ha ancora adottato questo modello."</p> }.into_any()
        } else {
            view! {
                <div class="table-responsive">
                    <table class="table table-sm" id="uso-modello">
                        <caption class="visually-hidden">"Enti che usano il modello, per versione"</caption>
                        <thead><tr><th scope="col">"Ente"</th><th scope="col">"Versione adottata"</th><th scope="col">"Obiettivi"</th><th scope="col">"Aggiornamento messo da parte"</th></tr></thead>
                        <tbody>
                            {m.uso.iter().map(|u| view! {
                                <tr>
                                    <td><a href=format!("/e/{}", u.slug)>{u.ente.clone()}</a></td>
                                    <td>{if u.versione == m.versione_corrente { format!("{} (attuale)", u.versione) } else { format!("{} (non aggiornata)", u.versione) }}</td>
                                    <td>{u.obiettivi}</td>
                                    <td>{u.messi_da_parte}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(m.modificabile && m.uso.iter().any(|u| u.versione < m.versione_corrente)).then(|| view! { <ProponiATutti id=m.id/> })}
    }
}

/// Offers the current version again in every ente of the firm whose drafts set it aside.
#[component]
fn ProponiATutti(id: uuid::Uuid) -> impl IntoView {
    let proponi = ServerAction::<crate::api::libreria::ProponiATutti>::new();
    view! {
        <ActionForm action=proponi attr:id="proponi-a-tutti">
            <input type="hidden" name="id" value=id.to_string()/>
            <button type="submit" class="btn btn-outline-primary">"Proponi l'aggiornamento a tutti gli enti"</button>
            <p class="small mt-1">"Nei piani in bozza l'aggiornamento torna proposto anche dove era stato messo da parte; ogni ente decide se applicarlo. Un piano approvato non cambia."</p>
        </ActionForm>
        <div aria-live="polite" id="esito-proponi">
            {move || proponi.pending().get().then(|| view! { <p role="status">"Operazione in corso…"</p> })}
            {move || proponi.value().get().map(|r| match r {
                Ok(esiti) => view! {
                    <ul class="mt-2">
                        {esiti.into_iter().map(|e| view! {
                            <li><strong>{e.ente}</strong>{format!(": {}", e.messaggio)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
            })}
        </div>
    }
}

/// A phase of the form, as typed.
#[derive(Clone, Copy)]
struct FaseCampi {
    key: usize,
    descrizione: RwSignal<String>,
    peso: RwSignal<String>,
    indicatori: RwSignal<String>,
    valori_attesi: RwSignal<String>,
    scadenza: RwSignal<String>,
}

impl FaseCampi {
    fn new(key: usize, f: Option<FaseModello>) -> FaseCampi {
        let f = f.unwrap_or(FaseModello {
            descrizione: String::new(),
            peso: None,
            indicatori: String::new(),
            valori_attesi: String::new(),
            scadenza: None,
        });
        FaseCampi {
            key,
            descrizione: RwSignal::new(f.descrizione),
            peso: RwSignal::new(f.peso.map(Peso::number).unwrap_or_default()),
            indicatori: RwSignal::new(f.indicatori),
            valori_attesi: RwSignal::new(f.valori_attesi),
            scadenza: RwSignal::new(f.scadenza.map(Scadenza::label).unwrap_or_default()),
        }
    }
}

/// Creates a template (`m` = None) or its next version. The template's rules run as the
/// consultant types (the same function the server applies).
#[component]
fn ModelloForm(
    m: Option<ModelloView>,
    ricarica: RwSignal<u32>,
    avviso: RwSignal<Option<String>>,
) -> impl IntoView {
    let (id, versione, c) = match m {
        Some(m) => (Some(m.id), m.versione_corrente, Some(m.contenuto)),
        None => (None, 0, None),
    };
    let c = c.unwrap_or(ContenutoModello {
        titolo: String::new(),
        descrizione: String::new(),
        peso: None,
        indicatori: String::new(),
        valori_attesi: String::new(),
        scadenza: Scadenza::new(12, 31).ok(),
        fasi: Vec::new(),
        tipi_struttura: Vec::new(),
        missioni: Vec::new(),
        natura: Natura::Sviluppo,
    });
    let titolo = RwSignal::new(c.titolo);
    let descrizione = RwSignal::new(c.descrizione);
    let peso = RwSignal::new(c.peso.map(Peso::number).unwrap_or_default());
    let indicatori = RwSignal::new(c.indicatori);
    let valori_attesi = RwSignal::new(c.valori_attesi);
    let scadenza = RwSignal::new(c.scadenza.map(Scadenza::label).unwrap_or_default());
    let natura = RwSignal::new(c.natura.db_name().to_string());
    let tipi = RwSignal::new(c.tipi_struttura);
    let missioni = RwSignal::new(c.missioni);
    let n_fasi = c.fasi.len();
    let fasi = RwSignal::new(
        c.fasi
            .into_iter()
            .enumerate()
            .map(|(i, f)| FaseCampi::new(i, Some(f)))
            .collect::<Vec<_>>(),
    );
    let prossima = StoredValue::new(n_fasi);
    let stato = RwSignal::new(None::<Result<(), AppError>>);
    let in_corso = RwSignal::new(false);
    // What the form says, checked by the shared rules (weights, dates, lengths) as typed.
    let controlli = Memo::new(move |_| {
        let mut out = Vec::new();
        let parse_peso = |raw: String, dove: &str, out: &mut Vec<String>| match raw.trim() {
            "" => None,
            p => Peso::parse(p)
                .map_err(|e| out.push(format!("{dove}: {e}")))
                .ok(),
        };
        let parse_scad = |raw: String, dove: &str, out: &mut Vec<String>| {
            Scadenza::parse(&raw)
                .map_err(|e| out.push(format!("{dove}: {e}")))
                .ok()
                .flatten()
        };
        let c = ContenutoModello {
            titolo: titolo.get(),
            descrizione: descrizione.get(),
            peso: parse_peso(peso.get(), "Peso", &mut out),
            indicatori: indicatori.get(),
            valori_attesi: valori_attesi.get(),
            scadenza: parse_scad(scadenza.get(), "Scadenza", &mut out),
            fasi: fasi.with(|fs| {
                fs.iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let dove = format!("Fase {}", i + 1);
                        FaseModello {
                            descrizione: f.descrizione.get(),
                            peso: parse_peso(f.peso.get(), &dove, &mut out),
                            indicatori: f.indicatori.get(),
                            valori_attesi: f.valori_attesi.get(),
                            scadenza: parse_scad(f.scadenza.get(), &dove, &mut out),
                        }
                    })
                    .collect()
            }),
            tipi_struttura: tipi.get(),
            missioni: missioni.get(),
            natura: Natura::from_db(&natura.get()).unwrap_or(Natura::Sviluppo),
        };
        out.extend(problemi(&c));
        out
    });
    let pesi_fasi = move || {
        fasi.with(|fs| {
            fs.iter()
                .filter_map(|f| Peso::parse(&f.peso.get()).ok())
                .collect::<Vec<_>>()
        })
    };
    let navigate = use_navigate();
    let salva = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        in_corso.set(true);
        stato.set(None);
        let fasi_json = serde_json::to_string(
            &fasi
                .get_untracked()
                .iter()
                .map(|f| FaseModulo {
                    descrizione: f.descrizione.get_untracked(),
                    peso: f.peso.get_untracked(),
                    indicatori: f.indicatori.get_untracked(),
                    valori_attesi: f.valori_attesi.get_untracked(),
                    scadenza: f.scadenza.get_untracked(),
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default();
        spawn_local(async move {
            let r = salva_modello(
                id.map(|i| i.to_string()).unwrap_or_default(),
                versione,
                titolo.get_untracked(),
                descrizione.get_untracked(),
                peso.get_untracked(),
                indicatori.get_untracked(),
                valori_attesi.get_untracked(),
                scadenza.get_untracked(),
                natura.get_untracked(),
                tipi.get_untracked().join(","),
                missioni.get_untracked().join(","),
                fasi_json,
            )
            .await;
            in_corso.set(false);
            match r {
                Ok((nuovo, v)) if id.is_none() => {
                    avviso.set(Some(format!("Modello creato (versione {v}).")));
                    navigate(&format!("/libreria/{nuovo}"), Default::default());
                }
                Ok((_, v)) => {
                    avviso.set(Some(format!("Modello salvato come versione {v}.")));
                    ricarica.update(|r| *r += 1);
                }
                Err(e) => stato.set(Some(Err(e))),
            }
        });
    };
    let testo = |key: &'static str,
                 label: &'static str,
                 sig: RwSignal<String>,
                 righe: &'static str| {
        let fid = format!("mod-{key}");
        view! {
            <div class="col-12 mb-2">
                <label for=fid.clone() class="form-label small fw-semibold mb-0">{label}</label>
                <textarea id=fid class="form-control form-control-sm" rows=righe
                    prop:value=sig on:input=move |ev| sig.set(event_target_value(&ev))>{sig.get_untracked()}</textarea>
            </div>
        }
    };
    let aggiungi_fase = move |_| {
        let k = prossima.get_value();
        prossima.set_value(k + 1);
        fasi.update(|v| v.push(FaseCampi::new(k, None)));
    };
    view! {
        <form class="card card-body shadow-sm" id="modulo-modello" on:submit=salva novalidate>
            <div class="row">
                <div class="col-12 mb-2">
                    <label for="mod-titolo" class="form-label small fw-semibold mb-0">"Titolo del modello"</label>
                    <input id="mod-titolo" type="text" class="form-control form-control-sm" maxlength="300"
                        value=titolo.get_untracked() prop:value=titolo on:input=move |ev| titolo.set(event_target_value(&ev))/>
                </div>
                {testo("descrizione", "Descrizione dell'obiettivo", descrizione, "4")}
                <div class="col-md-3 mb-2">
                    <label for="mod-peso" class="form-label small fw-semibold mb-0">"Peso proposto %"</label>
                    <input id="mod-peso" type="text" inputmode="decimal" class="form-control form-control-sm"
                        value=peso.get_untracked() prop:value=peso on:input=move |ev| peso.set(event_target_value(&ev))/>
                </div>
                <div class="col-md-3 mb-2">
                    <label for="mod-scadenza" class="form-label small fw-semibold mb-0">"Scadenza (giorno e mese)"</label>
                    <input id="mod-scadenza" type="text" class="form-control form-control-sm" placeholder="31 dicembre"
                        value=scadenza.get_untracked() prop:value=scadenza on:input=move |ev| scadenza.set(event_target_value(&ev))/>
                </div>
                <div class="col-md-3 mb-2">
                    <label for="mod-natura" class="form-label small fw-semibold mb-0">"Tipo di obiettivo"</label>
                    <select id="mod-natura" class="form-select form-select-sm" on:change=move |ev| natura.set(event_target_value(&ev))>
                        {Natura::TUTTE.iter().map(|n| view! {
                            <option value=n.db_name() selected=move || natura.get() == n.db_name()>{n.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {testo("indicatori", "Indicatori di misurazione", indicatori, "2")}
                {testo("valori", "Valori attesi", valori_attesi, "2")}
                <fieldset class="col-md-6 mb-2">
                    <legend class="small fw-semibold">"Strutture a cui si adatta"</legend>
                    {TIPI_STRUTTURA.iter().map(|(code, label)| {
                        let cid = format!("mod-tipo-{code}");
                        let code = code.to_string();
                        let c2 = code.clone();
                        view! {
                            <div class="form-check">
                                <input class="form-check-input" type="checkbox" id=cid.clone()
                                    prop:checked=move || tipi.with(|t| t.contains(&code))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        tipi.update(|t| { t.retain(|x| *x != c2); if on { t.push(c2.clone()); t.sort(); } });
                                    }/>
                                <label class="form-check-label small" for=cid>{*label}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="col-md-6 mb-2">
                    <details>
                        <summary class="small fw-semibold">{move || format!("Missioni del DUP ({} scelte)", missioni.with(Vec::len))}</summary>
                        <fieldset class="mt-2">
                            <legend class="visually-hidden">"Missioni del DUP"</legend>
                            {MISSIONI.iter().map(|(codice, nome)| {
                                let cid = format!("mod-m{codice}");
                                let c = codice.to_string();
                                let c2 = c.clone();
                                view! {
                                    <div class="form-check">
                                        <input class="form-check-input" type="checkbox" id=cid.clone()
                                            prop:checked=move || missioni.with(|m| m.contains(&c))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                missioni.update(|m| { m.retain(|x| *x != c2); if on { m.push(c2.clone()); m.sort(); } });
                                            }/>
                                        <label class="form-check-label small" for=cid>{format!("{codice} {nome}")}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    </details>
                </div>
            </div>
            <h2 class="h5 mt-3">"Fasi"</h2>
            {move || (!fasi.with(Vec::is_empty)).then(|| view! {
                <p class="small totale-fasi" aria-live="polite">{format!("Fasi — {}", totale_label(&pesi_fasi()))}</p>
            })}
            <For each=move || fasi.get() key=|f| f.key let:f>
                {
                    let n = move || fasi.with(|v| v.iter().position(|x| x.key == f.key).map(|i| i + 1).unwrap_or(0));
                    let k = f.key;
                    let campo = move |nome: &'static str, label: &'static str, sig: RwSignal<String>, col: &'static str| {
                        let fid = format!("fase-{k}-{nome}");
                        view! {
                            <div class=col>
                                <label for=fid.clone() class="form-label small mb-0">{label}</label>
                                <textarea id=fid class="form-control form-control-sm" rows="2"
                                    prop:value=sig on:input=move |ev| sig.set(event_target_value(&ev))>{sig.get_untracked()}</textarea>
                            </div>
                        }
                    };
                    let corto = move |nome: &'static str, label: &'static str, sig: RwSignal<String>| {
                        let fid = format!("fase-{k}-{nome}");
                        view! {
                            <div class="col-md-2">
                                <label for=fid.clone() class="form-label small mb-0">{label}</label>
                                <input id=fid type="text" class="form-control form-control-sm"
                                    value=sig.get_untracked() prop:value=sig on:input=move |ev| sig.set(event_target_value(&ev))/>
                            </div>
                        }
                    };
                    view! {
                        <fieldset class="border-start border-3 ps-3 mb-3 fase-modello">
                            <legend class="small fw-semibold">{move || format!("Fase {}", n())}</legend>
                            <div class="row g-2">
                                {campo("descrizione", "Descrizione della fase", f.descrizione, "col-md-8")}
                                {corto("peso", "Peso %", f.peso)}
                                {corto("scadenza", "Scadenza", f.scadenza)}
                                {campo("indicatori", "Indicatori", f.indicatori, "col-md-6")}
                                {campo("valori", "Valori attesi", f.valori_attesi, "col-md-6")}
                            </div>
                            <button type="button" class="btn btn-link btn-sm text-danger px-0"
                                on:click=move |_| fasi.update(|v| v.retain(|x| x.key != k))>
                                {move || format!("Togli la fase {}", n())}
                            </button>
                        </fieldset>
                    }
                }
            </For>
            <div><button type="button" class="btn btn-outline-primary btn-sm" on:click=aggiungi_fase>"Aggiungi fase"</button></div>
            <div aria-live="polite" class="mt-3">
                {move || {
                    let c = controlli.get();
                    (!c.is_empty()).then(|| view! {
                        <ul class="text-danger small mb-2 controlli-modello">
                            {c.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                        </ul>
                    })
                }}
            </div>
            <div class="d-flex gap-2 align-items-center mt-2">
                <button type="submit" class="btn btn-primary" disabled=move || in_corso.get()>
                    {if id.is_some() { "Salva come nuova versione" } else { "Crea il modello" }}
                </button>
                {move || in_corso.get().then(|| view! {
                    <span role="status" class="text-secondary"><span class="spinner-border spinner-border-sm me-2" aria-hidden="true"></span>"Salvataggio…"</span>
                })}
            </div>
            <div aria-live="polite" class="mt-2">
                {move || stato.get().map(|r| match r {
                    Ok(()) => ().into_any(),
                    Err(AppError::Conflitto(m)) => view! { <div class="alert alert-warning" role="alert">{m}</div> }.into_any(),
                    Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
                })}
            </div>
        </form>
    }
}
