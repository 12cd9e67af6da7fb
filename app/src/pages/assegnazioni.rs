//! `/e/{slug}/piani/{anno}/dipendenti`: "Dipendenti coinvolti sugli obiettivi", per
//! struttura, with each employee's running total over the whole plan.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use uuid::Uuid;

use super::{anno_param, slug_param};
use crate::api::personale::{
    aggiungi_assegnazione, carica_assegnazioni, elimina_assegnazione, salva_assegnazione,
};
use crate::components::ErrorView;
use crate::domain::personale::incompleti;
use crate::domain::peso::{totale_label, Peso};
use crate::model::{AssegnazioneView, AssegnazioniPiano, StrutturaAssegnazioni};

#[derive(Clone, Copy)]
struct Riga {
    id: Uuid,
    obiettivo_id: Uuid,
    dipendente_id: Uuid,
    peso: RwSignal<String>,
    version: RwSignal<i32>,
    stato: RwSignal<Option<Result<(), String>>>,
}

impl Riga {
    fn new(a: AssegnazioneView) -> Riga {
        Riga {
            id: a.id,
            obiettivo_id: a.obiettivo_id,
            dipendente_id: a.dipendente_id,
            peso: RwSignal::new(a.peso.map(Peso::number).unwrap_or_default()),
            version: RwSignal::new(a.version),
            stato: RwSignal::new(Some(Ok(()))),
        }
    }
}

#[component]
pub fn AssegnazioniPage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let dati = Resource::new(
        move || (slug.get(), anno.get()),
        |(s, a)| carica_assegnazioni(s, a),
    );
    view! {
        <Title text="Dipendenti coinvolti sugli obiettivi — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Ok(d) => view! { <Editor dati=d slug/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(dati: AssegnazioniPiano, slug: Memo<String>) -> AnyView {
    let righe = RwSignal::new(dati.righe.into_iter().map(Riga::new).collect::<Vec<_>>());
    let nomi = StoredValue::new(dati.dipendenti.clone());
    let nome = move |id: Uuid| {
        nomi.with_value(|n| {
            n.iter()
                .find(|(d, _)| *d == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        })
    };
    let totali = Memo::new(move |_| {
        let v: Vec<(Uuid, String, Option<Peso>)> = righe.with(|r| {
            r.iter()
                .map(|r| {
                    (
                        r.dipendente_id,
                        nome(r.dipendente_id),
                        Peso::parse(&r.peso.get()).ok(),
                    )
                })
                .collect()
        });
        v
    });
    let problemi = Memo::new(move |_| incompleti(&totali.get()));
    let anno = dati.anno;
    view! {
        <nav aria-label="Percorso di navigazione" class="breadcrumb-container">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href="/">"I tuoi enti"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=format!("/e/{}/piani/{anno}", slug.get_untracked())>{format!("Piano {anno}")}</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">"Dipendenti coinvolti"</li>
            </ol>
        </nav>
        <h1>"Dipendenti coinvolti sugli obiettivi"</h1>
        <p>"I pesi di ciascun dipendente sugli obiettivi del piano devono sommare a 100%: il piano non si approva finché non è così."</p>
        <div aria-live="polite" id="riepilogo-dipendenti" class="mb-4">
            {move || {
                let p = problemi.get();
                if p.is_empty() {
                    view! { <p class="text-success fw-semibold">"Tutti i dipendenti assegnati sommano a 100%."</p> }.into_any()
                } else {
                    view! {
                        <div class="alert alert-warning" role="status">
                            <p class="mb-1">{if p.len() == 1 { "1 dipendente da completare: ".to_string() } else { format!("{} dipendenti da completare: ", p.len()) }}</p>
                            <ul class="mb-0">{p.into_iter().map(|d| view! { <li class="dipendente-incompleto">{d.messaggio}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any()
                }
            }}
        </div>
        {dati.strutture.into_iter().map(|s| view! { <Struttura s righe slug nomi=nomi.get_value() totali/> }).collect_view()}
    }
    .into_any()
}

#[component]
fn Struttura(
    s: StrutturaAssegnazioni,
    righe: RwSignal<Vec<Riga>>,
    slug: Memo<String>,
    nomi: Vec<(Uuid, String)>,
    totali: Memo<Vec<(Uuid, String, Option<Peso>)>>,
) -> impl IntoView {
    let obiettivi = StoredValue::new(s.obiettivi.clone());
    let ids: Vec<Uuid> = s.obiettivi.iter().map(|o| o.id).collect();
    let mie = move || {
        righe
            .get()
            .into_iter()
            .filter(|r| ids.contains(&r.obiettivo_id))
            .collect::<Vec<_>>()
    };
    let ro = !s.modificabile;
    let nuovo_dip = RwSignal::new(String::new());
    let nuovo_ob = RwSignal::new(
        s.obiettivi
            .first()
            .map(|o| o.id.to_string())
            .unwrap_or_default(),
    );
    let nuovo_peso = RwSignal::new(String::new());
    let errore = RwSignal::new(None::<String>);
    let aggiungi = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errore.set(None);
        let (Ok(d), Ok(o)) = (
            nuovo_dip.get_untracked().parse::<Uuid>(),
            nuovo_ob.get_untracked().parse::<Uuid>(),
        ) else {
            errore.set(Some("Scegli il dipendente e l'obiettivo.".into()));
            return;
        };
        // The field is emptied now, not when the server answers: by then the user may have
        // typed the next weight. A refused weight comes back if the field is still empty.
        let peso = nuovo_peso.get_untracked();
        nuovo_peso.set(String::new());
        spawn_local(async move {
            match aggiungi_assegnazione(slug.get_untracked(), o, d, peso.clone()).await {
                Ok(a) => righe.update(|r| r.push(Riga::new(a))),
                Err(e) => {
                    if nuovo_peso.get_untracked().is_empty() {
                        nuovo_peso.set(peso);
                    }
                    errore.set(Some(e.to_string()));
                }
            }
        });
    };
    let sid = s.id;
    let numero_di = move |id: Uuid| {
        obiettivi.with_value(|o| {
            o.iter()
                .find(|x| x.id == id)
                .map(|x| x.numero.clone())
                .unwrap_or_default()
        })
    };
    let nomi2 = nomi.clone();
    let nome_di = move |id: Uuid| {
        nomi2
            .iter()
            .find(|(d, _)| *d == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let totale_di = move |id: Uuid| {
        let pesi: Vec<Peso> = totali.with(|t| {
            t.iter()
                .filter(|(d, ..)| *d == id)
                .filter_map(|(_, _, p)| *p)
                .collect()
        });
        totale_label(&pesi).replace("Totale pesi", "Totale")
    };
    view! {
        <section class="card shadow-sm mb-4 struttura-assegnazioni" data-struttura=sid.to_string()>
            <div class="card-body">
                <h2 class="h5 text-primary">{format!("Struttura: {}", s.nome)}</h2>
                <div class="table-responsive">
                    <table class="table table-sm align-middle">
                        <caption class="visually-hidden">{format!("Dipendenti coinvolti: {}", s.nome)}</caption>
                        <thead><tr><th scope="col">"N."</th><th scope="col">"Dipendente"</th><th scope="col">"Obiettivo"</th><th scope="col">"Peso %"</th><th scope="col"><span class="visually-hidden">"Azioni"</span></th></tr></thead>
                        <tbody>
                            <For each=mie key=|r| r.id let:r>
                                {
                                    let n = nome_di(r.dipendente_id);
                                    let label = format!("Peso di {n} sull'obiettivo {}", numero_di(r.obiettivo_id));
                                    let pid = format!("pa-{}", r.id);
                                    let salva = move |_| {
                                        r.stato.set(None);
                                        spawn_local(async move {
                                            match salva_assegnazione(slug.get_untracked(), r.id, r.version.get_untracked(), r.peso.get_untracked()).await {
                                                Ok(v) => { r.version.set(v); r.stato.set(Some(Ok(()))); }
                                                Err(e) => r.stato.set(Some(Err(e.to_string()))),
                                            }
                                        });
                                    };
                                    let elimina = move |_| {
                                        if !window().confirm_with_message("Togliere il dipendente da questo obiettivo?").unwrap_or(false) { return; }
                                        spawn_local(async move {
                                            match elimina_assegnazione(slug.get_untracked(), r.id).await {
                                                Ok(()) => righe.update(|v| v.retain(|x| x.id != r.id)),
                                                Err(e) => r.stato.set(Some(Err(e.to_string()))),
                                            }
                                        });
                                    };
                                    let dip = r.dipendente_id;
                                    view! {
                                        <tr class="assegnazione">
                                            <td>{numero_di(r.obiettivo_id)}</td>
                                            <td>{n.clone()}<br/><span class="small text-secondary totale-dipendente">{move || totale_di(dip)}</span></td>
                                            <td class="small">{obiettivi.with_value(|o| o.iter().find(|x| x.id == r.obiettivo_id).map(|x| x.descrizione.chars().take(90).collect::<String>()).unwrap_or_default())}</td>
                                            <td style="max-width: 8rem">
                                                <label class="visually-hidden" for=pid.clone()>{label}</label>
                                                <input id=pid type="text" inputmode="decimal" class="form-control form-control-sm peso-assegnazione" readonly=ro
                                                    value=r.peso.get_untracked() prop:value=r.peso
                                                    on:input=move |ev| { r.peso.set(event_target_value(&ev)); r.stato.set(Some(Err("Modifiche non salvate".into()))); }/>
                                            </td>
                                            <td>
                                                {(!ro).then(|| view! {
                                                    <button class="btn btn-primary btn-sm me-1" on:click=salva>"Salva"</button>
                                                    <button class="btn btn-outline-danger btn-sm" on:click=elimina>"Togli"</button>
                                                })}
                                                {move || match r.stato.get() {
                                                    None => view! { <span class="badge bg-secondary" role="status">"Salvataggio…"</span> }.into_any(),
                                                    Some(Ok(())) => view! { <span class="badge bg-success stato-assegnazione">"Salvato"</span> }.into_any(),
                                                    Some(Err(m)) => view! { <span class="small text-danger stato-assegnazione" role="alert">{m}</span> }.into_any(),
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </div>
                {(!ro && !s.obiettivi.is_empty()).then(|| {
                    let (d_id, o_id, p_id) = (format!("ad-{sid}"), format!("ao-{sid}"), format!("ap-{sid}"));
                    view! {
                        <form class="row g-2 align-items-end nuova-assegnazione" on:submit=aggiungi>
                            <div class="col-md-4">
                                <label for=d_id.clone() class="form-label small">"Dipendente"</label>
                                <select id=d_id class="form-select form-select-sm" on:change=move |ev| nuovo_dip.set(event_target_value(&ev))>
                                    <option value="">"Scegli…"</option>
                                    {nomi.iter().map(|(id, n)| view! { <option value=id.to_string()>{n.clone()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="col-md-5">
                                <label for=o_id.clone() class="form-label small">"Obiettivo"</label>
                                <select id=o_id class="form-select form-select-sm" on:change=move |ev| nuovo_ob.set(event_target_value(&ev))>
                                    {obiettivi.get_value().into_iter().map(|o| view! {
                                        <option value=o.id.to_string()>{format!("{} — {}", o.numero, o.descrizione.chars().take(70).collect::<String>())}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="col-md-1">
                                <label for=p_id.clone() class="form-label small">"Peso %"</label>
                                <input id=p_id type="text" inputmode="decimal" class="form-control form-control-sm" prop:value=nuovo_peso on:input=move |ev| nuovo_peso.set(event_target_value(&ev))/>
                            </div>
                            <div class="col-md-2"><button type="submit" class="btn btn-outline-primary btn-sm">"Aggiungi"</button></div>
                        </form>
                        {move || errore.get().map(|e| view! { <div class="alert alert-danger mt-2" role="alert">{e}</div> })}
                    }
                })}
            </div>
        </section>
    }
}
