//! `/e/{slug}/piani/{anno}/chiusura`: the year's results. Each objective's achievement by
//! its method, with the formula and the figures («perché 72,5%?»), each struttura's and
//! the ente's; the indicators measured by the responsabili; the Nucleo's overrides with
//! their reasons. The forms are plain forms: they work before the wasm arrives.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::monitoraggio::{esito, iso};
use super::{anno_param, slug_param};
use crate::api::chiusura::*;
use crate::components::{Aggiorna, ErrorView, Salvato};
use crate::domain::plan::{data_label, giorno_label, giorno_ora_label};
use crate::domain::smvp::{percento, Metodo, Misura, Profilo, Punteggio};
use crate::model::{EsitoObiettivo, EsitoStruttura, MisuraView};

/// A score, its band (none when `etichetta` is empty), and why: the formula and the
/// figures, line by line.
#[component]
pub fn Perche(punteggio: Punteggio, etichetta: String) -> impl IntoView {
    let v = percento(punteggio.valore);
    view! {
        <span class="punteggio fw-bold">{v.clone()}</span>
        {(!etichetta.is_empty()).then(|| view! { <span class="ms-2 badge bg-secondary">{etichetta}</span> })}
        <details class="perche mt-1">
            <summary>{format!("perché {v}?")}</summary>
            <ol class="small mb-0">
                {punteggio.perche.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ol>
        </details>
    }
}

#[component]
pub fn ChiusuraPage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let aggiorna = Aggiorna::new();
    provide_context(aggiorna);
    let avvia = ServerAction::<AvviaChiusura>::new();
    let recente = ServerAction::<UsaProfiloRecente>::new();
    aggiorna.dopo_e_di(avvia.value().into(), "Chiusura avviata.");
    aggiorna.dopo_e_di(recente.value().into(), "Profilo aggiornato.");
    let dati = Resource::new(
        move || (slug.get(), anno.get(), aggiorna.get()),
        |(s, a, _)| chiusura_anno(s, a),
    );
    view! {
        <Title text="Chiusura dell'anno — Obiettivi"/>
        <Salvato/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(c) => {
                        let s = slug.get_untracked();
                        let base = format!("/e/{s}/piani/{}", c.anno);
                        let testata = c.testata.clone();
                        view! {
                            <nav class="breadcrumb-container" aria-label="Percorso">
                                <ol class="breadcrumb">
                                    <li class="breadcrumb-item"><a href=format!("/e/{s}")>{c.ente_nome.clone()}</a><span class="separator" aria-hidden="true">"/"</span></li>
                                    <li class="breadcrumb-item"><a href=base.clone()>{format!("Piano {}", c.anno)}</a><span class="separator" aria-hidden="true">"/"</span></li>
                                    <li class="breadcrumb-item active" aria-current="page">"Chiusura dell'anno"</li>
                                </ol>
                            </nav>
                            <h1>{format!("Chiusura dell'anno {}", c.anno)}</h1>
                            <p>"A fine anno si misura quanto ogni obiettivo è stato raggiunto, con il metodo del Sistema di Misurazione e Valutazione della Performance (SMVP) dell'ente: per fasi, per indicatori o misto. Il risultato di ogni struttura è la media pesata dei suoi obiettivi; quello dell'ente, la media delle strutture."</p>
                            {match testata {
                                None => {
                                    let s1 = s.clone();
                                    view! {
                                        {(!c.approvato).then(|| view! { <div class="alert alert-info" role="status">"La chiusura dell'anno riguarda il piano approvato: approva prima il piano."</div> })}
                                        <p id="chiusura-non-avviata">"La chiusura dell'anno non è ancora stata avviata."</p>
                                        {(c.puo_impostare && c.approvato).then(move || view! {
                                            <ActionForm action=avvia attr:id="avvia-chiusura">
                                                <input type="hidden" name="slug" value=s1/>
                                                <input type="hidden" name="anno" value=c.anno/>
                                                <p class="small text-secondary">{format!("Si aggiunge la rilevazione finale al 31/12/{} (se non c'è già), in cui i responsabili indicano il completamento di obiettivi e fasi; i punteggi si calcolano con la versione attuale del profilo SMVP dell'ente, che resta quella dell'anno.", c.anno)}</p>
                                                <button type="submit" class="btn btn-primary">"Avvia la chiusura dell'anno"</button>
                                            </ActionForm>
                                        })}
                                        {esito(avvia.pending().into(), avvia.value().into(), "")}
                                    }.into_any()
                                }
                                Some(t) => {
                                    let profilo = t.profilo.clone();
                                    let s2 = s.clone();
                                    let chiuso = t.chiuso;
                                    view! {
                                        <div class="card card-body shadow-sm mb-4" id="testata-chiusura">
                                            <p class="mb-1">
                                                {format!("Punteggi calcolati con il profilo SMVP versione {} dell'ente ", t.profilo_numero)}
                                                <a href=format!("/e/{s}/smvp")>"(vedi il profilo)"</a>"."
                                            </p>
                                            <p class="mb-1">
                                                "I responsabili indicano il completamento di obiettivi e fasi, e quando sono stati conclusi, nella "
                                                <a id="rilevazione-finale" href=format!("{base}/monitoraggio/{}", t.monitoraggio_id)>{format!("rilevazione finale al {}", data_label(t.data))}</a>
                                                "; qui misurano gli indicatori."
                                            </p>
                                            {chiuso.then(|| view! { <p class="mb-0 text-secondary">"La rilevazione finale è chiusa: i dati non si modificano più."</p> })}
                                            {c.relazione_adottata.then(|| view! { <p class="mb-0 text-secondary" id="risultati-congelati">"La Relazione sulla Performance dell'anno è stata adottata: i risultati non si modificano più."</p> })}
                                            <p class="mb-0">"Con i risultati si scrive e si adotta la "<a id="link-relazione" href=format!("{base}/relazione")>"Relazione sulla Performance"</a>"."</p>
                                            {t.profilo_piu_recente.filter(|_| c.puo_impostare && !chiuso).map(move |n| view! {
                                                <ActionForm action=recente attr:id="profilo-recente" attr:class="mt-2">
                                                    <input type="hidden" name="slug" value=s2/>
                                                    <input type="hidden" name="anno" value=c.anno/>
                                                    <button type="submit" class="btn btn-outline-primary btn-sm">{format!("Usa la versione {n} del profilo")}</button>
                                                </ActionForm>
                                            })}
                                            {esito(recente.pending().into(), recente.value().into(), "")}
                                        </div>
                                        <section aria-labelledby="titolo-ente" class="mb-4" id="risultato-ente">
                                            <h2 class="h3" id="titolo-ente">"Risultato dell'ente"</h2>
                                            {match c.ente.clone() {
                                                Some(p) => {
                                                    let e = profilo.etichetta(p.valore).to_string();
                                                    view! { <Perche punteggio=p etichetta=e/> }.into_any()
                                                }
                                                None => view! { <p>"Si calcola quando ogni struttura ha il suo risultato."</p> }.into_any(),
                                            }}
                                        </section>
                                        {c.strutture.clone().into_iter().map(|st| view! {
                                            <Struttura st profilo=profilo.clone() slug=s.clone() anno=c.anno
                                                chiuso impostare=c.puo_impostare nucleo=c.nucleo/>
                                        }).collect_view()}
                                    }.into_any()
                                }
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Struttura(
    st: EsitoStruttura,
    profilo: Profilo,
    slug: String,
    anno: i32,
    chiuso: bool,
    impostare: bool,
    nucleo: bool,
) -> impl IntoView {
    let compilabile = st.compilabile && !chiuso;
    view! {
        <section class="struttura-esito mb-5" aria-label=st.nome.clone()>
            <h2 class="h4">{st.nome.clone()}</h2>
            <p class="small text-secondary">{format!("Responsabile: {}", if st.responsabile.is_empty() { "non indicato" } else { &st.responsabile })}</p>
            <div class="mb-3">
                {match st.risultato.clone() {
                    Some(p) => {
                        let e = profilo.etichetta(p.valore).to_string();
                        view! { <span>"Risultato della struttura: "</span><Perche punteggio=p etichetta=e/> }.into_any()
                    }
                    None => view! { <p>"Risultato della struttura: si calcola quando ogni obiettivo ha il suo punteggio."</p> }.into_any(),
                }}
            </div>
            {st.obiettivi.into_iter().map(|o| view! {
                <Obiettivo o profilo=profilo.clone() slug=slug.clone() anno chiuso impostare nucleo compilabile/>
            }).collect_view()}
        </section>
    }
}

#[component]
fn Obiettivo(
    o: EsitoObiettivo,
    profilo: Profilo,
    slug: String,
    anno: i32,
    chiuso: bool,
    impostare: bool,
    nucleo: bool,
    compilabile: bool,
) -> impl IntoView {
    let aggiorna = expect_context::<Aggiorna>();
    let metodo = ServerAction::<MetodoObiettivo>::new();
    let rettifica = ServerAction::<RettificaObiettivo>::new();
    aggiorna.dopo_e_di(metodo.value().into(), "Metodo salvato.");
    aggiorna.dopo_e_di(rettifica.value().into(), "Rettifica registrata.");
    let id = o.id.to_string();
    let peso = o
        .peso
        .map(|p| format!(" (peso {})", p.label()))
        .unwrap_or_default();
    let usa_misure = o.metodo != Metodo::Fasi || !o.misure.is_empty();
    let ultima = o.rettifiche.last().cloned();
    view! {
        <article class="card card-body shadow-sm mb-3 obiettivo-esito" aria-label=format!("Obiettivo {}", o.numero)>
            <h3 class="h6">{format!("Obiettivo {}{peso}", o.numero)}</h3>
            <p class="mb-2">{o.descrizione.clone()}</p>
            {(!o.valori_attesi.trim().is_empty()).then(|| view! { <p class="small mb-2">{format!("Valori attesi: {}", o.valori_attesi)}</p> })}
            <p class="small mb-2">{format!("Metodo: {}", o.metodo.label())}</p>
            {(impostare && !chiuso).then(|| {
                let (s, i) = (slug.clone(), id.clone());
                let sel = format!("metodo-{i}");
                view! {
                    <ActionForm action=metodo attr:class="row g-2 align-items-end mb-2 form-metodo">
                        <input type="hidden" name="slug" value=s/>
                        <input type="hidden" name="anno" value=anno/>
                        <input type="hidden" name="obiettivo_id" value=i/>
                        <input type="hidden" name="version" value=o.metodo_version/>
                        <div class="col-auto">
                            <label class="form-label small" for=sel.clone()>"Metodo di misurazione"</label>
                            <select class="form-select form-select-sm" id=sel name="metodo">
                                {Metodo::TUTTI.into_iter().map(|m| view! { <option value=m.codice() selected=m == o.metodo>{m.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="col-auto"><button type="submit" class="btn btn-outline-primary btn-sm">"Salva il metodo"</button></div>
                    </ActionForm>
                    {esito(metodo.pending().into(), metodo.value().into(), "")}
                }
            })}
            <div class="mb-2 risultato-obiettivo">
                <span>"Punteggio calcolato: "</span>
                {match o.calcolato.clone() {
                    Ok(p) => {
                        let e = profilo.etichetta(p.valore).to_string();
                        view! { <Perche punteggio=p etichetta=e/> }.into_any()
                    }
                    Err(m) => view! { <span class="text-secondary non-calcolabile">{format!("non calcolabile: {m}.")}</span> }.into_any(),
                }}
            </div>
            {ultima.filter(|r| r.tipo != "annullata").map(|r| view! {
                <div class="alert alert-warning py-2 rettifica-attiva" role="note">
                    <strong>{r.descrizione()}</strong>
                    {format!(" dal Nucleo ({}, {}): {}", r.autore, giorno_label(r.quando), r.motivo)}
                </div>
            })}
            {(o.rettifiche.len() > 1).then(|| view! {
                <details class="small mb-2"><summary>"Tutte le rettifiche del Nucleo"</summary>
                    <ul>{o.rettifiche.iter().map(|r| view! { <li>{format!("{} — {}, {}: {}", giorno_ora_label(r.quando), r.autore, r.descrizione(), r.motivo)}</li> }).collect_view()}</ul>
                </details>
            })}
            {usa_misure.then(|| view! {
                <h4 class="h6 mt-2">"Indicatori misurati"</h4>
                {if o.misure.is_empty() {
                    view! { <p class="small">"Nessun indicatore misurato."</p> }.into_any()
                } else {
                    view! {
                        <ul class="small">
                            {o.misure.iter().map(|m| view! { <li class="misura">{descrivi(m)}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            })}
            {compilabile.then(|| view! {
                <details class="mb-2 misure-modifica">
                    <summary>"Misura gli indicatori"</summary>
                    {o.misure.iter().cloned().map(|m| view! { <FormMisura slug=slug.clone() anno obiettivo=o.id misura=Some(m)/> }).collect_view()}
                    <FormMisura slug=slug.clone() anno obiettivo=o.id misura=None/>
                </details>
            })}
            {nucleo.then(|| {
                let (s, i) = (slug.clone(), id.clone());
                let oid = o.id;
                let k = move |c: &str| format!("{c}-{oid}");
                view! {
                    <details class="mb-0 rettifica-form">
                        <summary>"Rettifica del Nucleo"</summary>
                        <ActionForm action=rettifica attr:class="row g-2 mt-1">
                            <input type="hidden" name="slug" value=s/>
                            <input type="hidden" name="anno" value=anno/>
                            <input type="hidden" name="obiettivo_id" value=i/>
                            <div class="col-md-4">
                                <label class="form-label small" for=k("rtipo")>"Decisione"</label>
                                <select class="form-select form-select-sm" id=k("rtipo") name="tipo">
                                    <option value="punteggio">"Rettifica il punteggio"</option>
                                    <option value="non_valutabile">"Non valutabile (causa esterna)"</option>
                                    <option value="annullata">"Annulla la rettifica precedente"</option>
                                </select>
                            </div>
                            <div class="col-md-2">
                                <label class="form-label small" for=k("rpunt")>"Punteggio %"</label>
                                <input class="form-control form-control-sm" id=k("rpunt") name="punteggio" type="text" inputmode="decimal"/>
                            </div>
                            <div class="col-md-6">
                                <label class="form-label small" for=k("rmot")>"Motivazione (obbligatoria)"</label>
                                <textarea class="form-control form-control-sm" id=k("rmot") name="motivo" rows="2" maxlength="5000" required></textarea>
                            </div>
                            <div class="col-12"><button type="submit" class="btn btn-primary btn-sm">"Registra la rettifica"</button></div>
                        </ActionForm>
                        {esito(rettifica.pending().into(), rettifica.value().into(), "")}
                    </details>
                }
            })}
        </article>
    }
}

/// An indicator as a sentence.
fn descrivi(m: &MisuraView) -> String {
    if m.fonte.trim().is_empty() {
        m.testo()
    } else {
        format!("{} — fonte: {}", m.testo(), m.fonte)
    }
}

/// The form of an indicator: a new one (`misura` None) or one to update or remove.
#[component]
fn FormMisura(
    slug: String,
    anno: i32,
    obiettivo: uuid::Uuid,
    misura: Option<MisuraView>,
) -> impl IntoView {
    let aggiorna = expect_context::<Aggiorna>();
    let salva = ServerAction::<SalvaMisura>::new();
    let elimina = ServerAction::<EliminaMisura>::new();
    aggiorna.dopo_e_di(salva.value().into(), "Indicatore salvato.");
    aggiorna.dopo_e_di(elimina.value().into(), "Indicatore eliminato.");
    let k = format!(
        "{obiettivo}-{}",
        misura
            .as_ref()
            .map(|m| m.id.to_string())
            .unwrap_or_else(|| "nuova".into())
    );
    let id = move |c: &str| format!("{c}-{k}");
    let m = misura.clone();
    let tipo = m.as_ref().map(|m| m.misura.tipo()).unwrap_or("numero");
    let (
        mut atteso,
        mut effettivo,
        mut decrescente,
        mut realizzato,
        mut atteso_data,
        mut effettivo_data,
    ) = (
        String::new(),
        String::new(),
        false,
        String::new(),
        String::new(),
        String::new(),
    );
    match m.as_ref().map(|m| &m.misura) {
        Some(Misura::Numero {
            atteso: a,
            effettivo: e,
            decrescente: d,
        }) => {
            atteso = crate::domain::smvp::numero(*a);
            effettivo = e.map(crate::domain::smvp::numero).unwrap_or_default();
            decrescente = *d;
        }
        Some(Misura::SiNo { effettivo: e }) => {
            realizzato = match e {
                Some(true) => "si".into(),
                Some(false) => "no".into(),
                None => String::new(),
            };
        }
        Some(Misura::Data {
            atteso: a,
            effettivo: e,
        }) => {
            atteso_data = iso(*a);
            effettivo_data = e.map(iso).unwrap_or_default();
        }
        None => {}
    }
    let titolo = if m.is_some() {
        "Modifica l'indicatore"
    } else {
        "Nuovo indicatore"
    };
    let (s2, mid) = (slug.clone(), m.as_ref().map(|m| (m.id, m.version)));
    view! {
        <div class="border rounded p-2 mb-2 form-misura">
            <p class="small fw-bold mb-1">{titolo}</p>
            <ActionForm action=salva attr:class="row g-2">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="anno" value=anno/>
                <input type="hidden" name="obiettivo_id" value=obiettivo.to_string()/>
                <input type="hidden" name="misura_id" value=m.as_ref().map(|m| m.id.to_string()).unwrap_or_default()/>
                <input type="hidden" name="version" value=m.as_ref().map(|m| m.version).unwrap_or(0)/>
                <div class="col-md-6">
                    <label class="form-label small" for=id("desc")>"Indicatore"</label>
                    <input class="form-control form-control-sm" id=id("desc") name="descrizione" type="text" maxlength="500" required value=m.as_ref().map(|m| m.descrizione.clone()).unwrap_or_default()/>
                </div>
                <div class="col-md-3">
                    <label class="form-label small" for=id("tipo")>"Tipo"</label>
                    <select class="form-select form-select-sm" id=id("tipo") name="tipo">
                        <option value="numero" selected=tipo == "numero">"Numero"</option>
                        <option value="si_no" selected=tipo == "si_no">"Sì / no"</option>
                        <option value="data" selected=tipo == "data">"Entro una data"</option>
                    </select>
                </div>
                <div class="col-md-3">
                    <label class="form-label small" for=id("fonte")>"Fonte"</label>
                    <input class="form-control form-control-sm" id=id("fonte") name="fonte" type="text" maxlength="500" value=m.as_ref().map(|m| m.fonte.clone()).unwrap_or_default()/>
                </div>
                <div class="col-md-3">
                    <label class="form-label small" for=id("att")>"Valore atteso (numero)"</label>
                    <input class="form-control form-control-sm" id=id("att") name="atteso" type="text" inputmode="decimal" value=atteso/>
                </div>
                <div class="col-md-3">
                    <label class="form-label small" for=id("eff")>"Valore effettivo (numero)"</label>
                    <input class="form-control form-control-sm" id=id("eff") name="effettivo" type="text" inputmode="decimal" value=effettivo/>
                </div>
                <div class="col-md-6 d-flex align-items-end">
                    <div class="form-check">
                        <input class="form-check-input" type="checkbox" id=id("dec") name="decrescente" checked=decrescente/>
                        <label class="form-check-label small" for=id("dec")>"Meno è meglio (tempi, reclami)"</label>
                    </div>
                </div>
                <div class="col-md-4">
                    <label class="form-label small" for=id("real")>"Realizzato (sì / no)"</label>
                    <select class="form-select form-select-sm" id=id("real") name="realizzato">
                        <option value="" selected=realizzato.is_empty()>"Non indicato"</option>
                        <option value="si" selected=realizzato == "si">"Sì"</option>
                        <option value="no" selected=realizzato == "no">"No"</option>
                    </select>
                </div>
                <div class="col-md-4">
                    <label class="form-label small" for=id("adata")>"Da realizzare entro il"</label>
                    <input class="form-control form-control-sm" id=id("adata") name="atteso_data" type="date" value=atteso_data/>
                </div>
                <div class="col-md-4">
                    <label class="form-label small" for=id("edata")>"Realizzato il"</label>
                    <input class="form-control form-control-sm" id=id("edata") name="effettivo_data" type="date" value=effettivo_data/>
                </div>
                <div class="col-12"><button type="submit" class="btn btn-primary btn-sm">"Salva l'indicatore"</button></div>
            </ActionForm>
            {esito(salva.pending().into(), salva.value().into(), "")}
            {mid.map(|(mid, v)| view! {
                <ActionForm action=elimina attr:class="mt-1">
                    <input type="hidden" name="slug" value=s2/>
                    <input type="hidden" name="anno" value=anno/>
                    <input type="hidden" name="misura_id" value=mid.to_string()/>
                    <input type="hidden" name="version" value=v/>
                    <button type="submit" class="btn btn-outline-danger btn-sm">"Elimina l'indicatore"</button>
                </ActionForm>
                {esito(elimina.pending().into(), elimina.value().into(), "")}
            })}
        </div>
    }
}
