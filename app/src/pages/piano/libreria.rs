//! The template library inside the plan editor: search and adopt a template into a
//! struttura, see where an objective came from, take or dismiss a newer version of its
//! template field by field, and (consultants) save an objective as a firm template.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::{Editor, Riga, Stato, Struttura};
use crate::api::libreria::{
    adotta_modello, aggiornamento_obiettivo, applica_aggiornamento, cerca_modelli,
    ignora_aggiornamento, salva_come_modello,
};
use crate::error::AppError;
use crate::model::{Aggiornamento, ModelloBreve};
use crate::pages::libreria::{FiltriLibreria, ModelloContenuto, ModelloSintesi};

/// "Aggiungi dalla libreria": a search panel under the struttura's objectives.
#[component]
pub(super) fn AdottaDallaLibreria(s: Struttura, editor: Editor) -> impl IntoView {
    let aperto = RwSignal::new(false);
    let testo = RwSignal::new(String::new());
    // Starts on the kind of struttura its name suggests; "Tutte" is one click away.
    let tipo = RwSignal::new(
        crate::domain::libreria::tipo_da_nome(&s.nome.get_untracked())
            .unwrap_or_default()
            .to_string(),
    );
    let missione = RwSignal::new(String::new());
    let natura = RwSignal::new(String::new());
    let risultati = RwSignal::new(None::<Result<Vec<ModelloBreve>, AppError>>);
    let cercando = RwSignal::new(false);
    let esito = RwSignal::new(None::<Result<String, AppError>>);
    let cerca = move || {
        cercando.set(true);
        spawn_local(async move {
            let r = cerca_modelli(
                editor.slug.get_untracked(),
                testo.get_untracked(),
                tipo.get_untracked(),
                missione.get_untracked(),
                natura.get_untracked(),
            )
            .await;
            cercando.set(false);
            risultati.set(Some(r));
        });
    };
    let apri = move |_| {
        aperto.update(|a| *a = !*a);
        if aperto.get_untracked() && risultati.get_untracked().is_none() {
            cerca();
        }
    };
    let adotta = move |m: ModelloBreve| {
        esito.set(Some(Ok("Aggiunta in corso…".into())));
        spawn_local(async move {
            match adotta_modello(editor.slug.get_untracked(), s.id, m.id).await {
                Ok(r) => {
                    s.obiettivi.update(|v| v.push(Riga::new(r, false)));
                    let n = s.obiettivi.with(Vec::len);
                    esito.set(Some(Ok(format!(
                        "Aggiunto l'obiettivo n. {n} dal modello «{}».",
                        m.contenuto.titolo
                    ))));
                }
                Err(e) => esito.set(Some(Err(e))),
            }
        });
    };
    let pannello = format!("libreria-{}", s.id);
    let prefisso = format!("adotta-{}", s.id);
    view! {
        <button class="btn btn-outline-primary btn-sm" aria-expanded=move || aperto.get().to_string()
            aria-controls=pannello.clone() on:click=apri>
            "Aggiungi dalla libreria"
        </button>
        <div id=pannello class="w-100">
            {move || aperto.get().then(|| {
                let prefisso = prefisso.clone();
                view! {
                    <div class="card card-body bg-light mt-2 pannello-libreria">
                        <h3 class="h5">"Libreria dei modelli"</h3>
                        <form on:submit=move |ev| { ev.prevent_default(); cerca(); } role="search">
                            <FiltriLibreria prefisso testo tipo missione natura/>
                            <button type="submit" class="btn btn-primary btn-sm mt-2">"Cerca"</button>
                        </form>
                        <div aria-live="polite" class="mt-2">
                            {move || cercando.get().then(|| view! { <p role="status" class="text-secondary">"Ricerca in corso…"</p> })}
                            {move || esito.get().map(|r| match r {
                                Ok(m) => view! { <div class="alert alert-success py-1" role="status">{m}</div> }.into_any(),
                                Err(e) => view! { <div class="alert alert-danger py-1" role="alert">{e.to_string()}</div> }.into_any(),
                            })}
                        </div>
                        {move || risultati.get().map(|r| match r {
                            Ok(list) if list.is_empty() => view! { <p>"Nessun modello corrisponde alla ricerca."</p> }.into_any(),
                            Ok(list) => view! {
                                {(list.len() >= crate::domain::libreria::MAX_RISULTATI).then(|| view! {
                                    <p class="small">{format!("Sono mostrati i primi {} modelli: affina la ricerca.", list.len())}</p>
                                })}
                                <ul class="list-unstyled mb-0 risultati-libreria">
                                    {list.into_iter().map(|m| {
                                        let m2 = m.clone();
                                        let titolo = m.contenuto.titolo.clone();
                                        let contenuto = m.contenuto.clone();
                                        view! {
                                            <li class="border-top pt-2 mt-2 modello-risultato">
                                                <h4 class="h6 mb-1">{titolo.clone()}</h4>
                                                <ModelloSintesi m=m.clone()/>
                                                <details class="mb-1">
                                                    <summary class="small">"Testo e fasi"</summary>
                                                    <ModelloContenuto c=contenuto/>
                                                </details>
                                                <button class="btn btn-outline-primary btn-sm"
                                                    aria-label=format!("Aggiungi a questa struttura: {titolo}")
                                                    on:click=move |_| adotta(m2.clone())>
                                                    "Aggiungi a questa struttura"
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
                        })}
                    </div>
                }
            })}
        </div>
    }
}

/// Under an objective: the template it came from, the update it may take, and "salva come
/// modello" for consultants.
#[component]
pub(super) fn OrigineModello(r: Riga, editor: Editor, ro: bool) -> impl IntoView {
    let diff = RwSignal::new(None::<Aggiornamento>);
    let scelti = RwSignal::new(Vec::<&'static str>::new());
    let esito = RwSignal::new(None::<Result<String, AppError>>);
    let lavoro = RwSignal::new(false);
    let non_salvato = move || {
        matches!(
            r.stato.get_untracked(),
            Stato::Modificato | Stato::Conflitto(_) | Stato::Errore(_)
        ) || r.fasi.with_untracked(|fs| {
            fs.iter()
                .any(|f| !matches!(f.stato.get_untracked(), Stato::Salvato))
        })
    };
    let vedi = move |_| {
        lavoro.set(true);
        spawn_local(async move {
            match aggiornamento_obiettivo(editor.slug.get_untracked(), r.id).await {
                Ok(a) => {
                    scelti.set(a.differenze.iter().map(|d| d.campo.key()).collect());
                    diff.set(Some(a));
                    esito.set(None);
                }
                Err(e) => esito.set(Some(Err(e))),
            }
            lavoro.set(false);
        });
    };
    let applica = move |_| {
        let Some(a) = diff.get_untracked() else {
            return;
        };
        if non_salvato() {
            esito.set(Some(Err(AppError::NonValido(
                "Salva prima le modifiche di questo obiettivo e delle sue fasi.".into(),
            ))));
            return;
        }
        lavoro.set(true);
        spawn_local(async move {
            let res = applica_aggiornamento(
                editor.slug.get_untracked(),
                r.id,
                r.version.get_untracked(),
                a.a,
                scelti.get_untracked().join(","),
            )
            .await;
            lavoro.set(false);
            match res {
                Ok(nuova) => {
                    r.fasi.set(
                        nuova
                            .fasi
                            .iter()
                            .cloned()
                            .map(|f| Riga::new(f, true))
                            .collect(),
                    );
                    r.modello.set(nuova.modello.clone());
                    r.set_from(nuova);
                    r.stato.set(Stato::Salvato);
                    diff.set(None);
                    esito.set(Some(Ok(format!(
                        "Aggiornamento applicato: l'obiettivo segue ora la versione {} del modello.",
                        a.a
                    ))));
                }
                Err(e) => esito.set(Some(Err(e))),
            }
        });
    };
    let ignora = move |_| {
        let Some(a) = diff.get_untracked() else {
            return;
        };
        lavoro.set(true);
        spawn_local(async move {
            let res = ignora_aggiornamento(editor.slug.get_untracked(), r.id, a.a).await;
            lavoro.set(false);
            match res {
                Ok(nuova) => {
                    r.modello.set(nuova.modello);
                    diff.set(None);
                    esito.set(Some(Ok(format!(
                        "Aggiornamento alla versione {} ignorato.",
                        a.a
                    ))));
                }
                Err(e) => esito.set(Some(Err(e))),
            }
        });
    };
    let id = r.id;
    view! {
        <div class="origine-modello small mt-1">
            {move || r.modello.get().map(|m| view! {
                <p class="mb-1 text-secondary">
                    {format!("Dal modello «{}», versione {}.", m.titolo, m.versione)}
                </p>
                {(m.aggiornamento && !ro).then(|| view! {
                    <div class="alert alert-info py-1 px-2 d-flex flex-wrap gap-2 align-items-center aggiornamento-disponibile" role="status">
                        <span>{format!("Aggiornamento disponibile: versione {} del modello.", m.ultima)}</span>
                        <button class="btn btn-outline-primary btn-sm" on:click=vedi>"Vedi le differenze"</button>
                    </div>
                })}
            })}
            {move || diff.get().map(|a| view! {
                <div class="card card-body mb-2 differenze-modello">
                    <h4 class="h6">{format!("Differenze tra l'obiettivo e la versione {} di «{}»", a.a, a.titolo)}</h4>
                    {if a.differenze.is_empty() {
                        view! { <p>"Nessuna differenza: l'obiettivo è già uguale alla nuova versione."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-responsive">
                                <table class="table table-sm align-top">
                                    <caption class="visually-hidden">"Campi che la nuova versione cambierebbe"</caption>
                                    <thead><tr>
                                        <th scope="col">"Prendi"</th>
                                        <th scope="col">"Nel piano ora"</th>
                                        <th scope="col">{format!("Nel modello (versione {})", a.a)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {a.differenze.into_iter().map(|d| {
                                            let key = d.campo.key();
                                            let cid = format!("agg-{id}-{key}");
                                            view! {
                                                <tr>
                                                    <td>
                                                        <div class="form-check">
                                                            <input class="form-check-input" type="checkbox" id=cid.clone()
                                                                prop:checked=move || scelti.with(|s| s.contains(&key))
                                                                on:change=move |ev| {
                                                                    let on = event_target_checked(&ev);
                                                                    scelti.update(|s| { s.retain(|k| *k != key); if on { s.push(key); } });
                                                                }/>
                                                            <label class="form-check-label" for=cid>{d.campo.label()}</label>
                                                        </div>
                                                    </td>
                                                    <td style="white-space: pre-line">{d.attuale}</td>
                                                    <td style="white-space: pre-line">{d.nuovo}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                    <div class="d-flex flex-wrap gap-2">
                        <button class="btn btn-primary btn-sm" on:click=applica disabled=move || lavoro.get()>"Applica le modifiche scelte"</button>
                        <button class="btn btn-outline-secondary btn-sm" on:click=ignora disabled=move || lavoro.get()>"Ignora questo aggiornamento"</button>
                        <button class="btn btn-link btn-sm" on:click=move |_| diff.set(None)>"Chiudi"</button>
                    </div>
                </div>
            })}
            {editor.salva_modelli.then(|| view! { <SalvaComeModello slug=editor.slug id=r.id/> })}
            <div aria-live="polite">
                {move || lavoro.get().then(|| view! { <span role="status" class="text-secondary">"Operazione in corso…"</span> })}
                {move || esito.get().map(|e| match e {
                    Ok(m) => view! { <div class="alert alert-success py-1 px-2" role="status">{m}</div> }.into_any(),
                    Err(AppError::Conflitto(m)) => view! { <div class="alert alert-warning py-1 px-2" role="alert">{m}</div> }.into_any(),
                    Err(e) => view! { <div class="alert alert-danger py-1 px-2" role="alert">{e.to_string()}</div> }.into_any(),
                })}
            </div>
        </div>
    }
}

/// «Salva come modello dello studio»: the objective, with its phases, becomes a template of
/// the consultant's firm; the answer links to it.
#[component]
pub(super) fn SalvaComeModello(slug: Memo<String>, id: Uuid) -> impl IntoView {
    let lavoro = RwSignal::new(false);
    let esito = RwSignal::new(None::<Result<Uuid, AppError>>);
    let salva = move |_| {
        lavoro.set(true);
        spawn_local(async move {
            let r = salva_come_modello(slug.get_untracked(), id).await;
            lavoro.set(false);
            esito.set(Some(r));
        });
    };
    view! {
        <span class="d-block">
            <button class="btn btn-link btn-sm px-0" on:click=salva disabled=move || lavoro.get()>
                "Salva come modello dello studio"
            </button>
        </span>
        <span class="d-block small" aria-live="polite">
            {move || lavoro.get().then(|| view! { <span role="status" class="text-secondary">"Operazione in corso…"</span> })}
            {move || esito.get().map(|e| match e {
                Ok(m) => view! {
                    <span class="text-success" role="status">
                        "Modello creato nella libreria dello studio: " <a href=format!("/libreria/{m}")>"aprilo per completarlo"</a>
                    </span>
                }.into_any(),
                Err(e) => view! { <span class="text-danger" role="alert">{e.to_string()}</span> }.into_any(),
            })}
        </span>
    }
}
