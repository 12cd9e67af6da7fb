//! `/e/{slug}/piani/{anno}/valutazioni`: the schede of the year the caller may see (their
//! own, the ones they evaluate, all for the ente's admins), with each evaluator's spread of
//! scores; and `/valutazioni/{dipendente}`: one scheda, its computed sections with their
//! «perché», the behaviours scored 1–5, and the steps of the cycle for whoever has a part
//! in it. Plain forms: they work before the wasm arrives.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::chiusura::Perche;
use super::monitoraggio::{esito, iso};
use super::{anno_param, slug_param, uuid_param};
use crate::api::valutazioni::*;
use crate::components::{Aggiorna, ErrorView, Salvato};
use crate::domain::plan::{data_label, giorno_label};
use crate::domain::premi::{euro, Categoria, SANZIONI};
use crate::domain::scheda::{Scheda, Sezione, Stato, SCALA};
use crate::domain::smvp::{numero, percento, Punteggio};
use crate::model::{SchedaView, ValutazioniView};

/// The trail to a page of the evaluation: the ente, the plan, then `qui`.
pub(crate) fn percorso(
    s: &str,
    nome: &str,
    anno: i32,
    qui: Vec<(Option<String>, String)>,
) -> impl IntoView {
    let n = qui.len();
    view! {
        <nav class="breadcrumb-container" aria-label="Percorso">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href=format!("/e/{s}")>{nome.to_string()}</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=format!("/e/{s}/piani/{anno}")>{format!("Piano {anno}")}</a><span class="separator" aria-hidden="true">"/"</span></li>
                {qui.into_iter().enumerate().map(|(i, (href, t))| match href {
                    Some(h) if i + 1 < n => view! { <li class="breadcrumb-item"><a href=h>{t}</a><span class="separator" aria-hidden="true">"/"</span></li> }.into_any(),
                    _ => view! { <li class="breadcrumb-item active" aria-current="page">{t}</li> }.into_any(),
                }).collect_view()}
            </ol>
        </nav>
    }
}

fn stato_badge(s: Stato) -> impl IntoView {
    let classe = match s {
        Stato::Definitiva => "badge bg-success",
        Stato::Revisione => "badge bg-warning text-dark",
        Stato::Bozza => "badge bg-secondary",
        _ => "badge bg-primary",
    };
    view! { <span class=classe>{s.label()}</span> }
}

#[component]
pub fn ValutazioniPage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let aggiorna = Aggiorna::new();
    provide_context(aggiorna);
    let prepara = ServerAction::<PreparaSchede>::new();
    aggiorna.dopo_e_di(prepara.value().into(), "Schede preparate.");
    let dati = Resource::new(
        move || (slug.get(), anno.get(), aggiorna.get()),
        |(s, a, _)| valutazioni(s, a),
    );
    view! {
        <Title text="Valutazioni individuali — Obiettivi"/>
        <Salvato/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => view! { <Elenco v prepara/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Elenco(v: ValutazioniView, prepara: ServerAction<PreparaSchede>) -> impl IntoView {
    let s = slug_param().get_untracked();
    let base = format!("/e/{s}/piani/{}", v.anno);
    view! {
        {percorso(&s, &v.ente_nome, v.anno, vec![(None, "Valutazioni individuali".into())])}
        <h1>{format!("Valutazioni individuali {}", v.anno)}</h1>
        <p>"Ogni persona è valutata con la scheda della sua categoria, definita nel profilo SMVP dell'ente: i risultati della struttura e degli obiettivi assegnati si calcolano dai risultati di fine anno, i comportamenti li valuta chi valuta (da 1 a 5). Il responsabile valuta il proprio personale, il Nucleo di Valutazione i titolari di Elevata Qualificazione."</p>
        {(!v.chiusura_avviata).then(|| view! {
            <div class="alert alert-info" role="status">"La chiusura dell'anno non è ancora avviata: i risultati della struttura e degli obiettivi non sono ancora calcolabili."</div>
        })}
        {v.gestione.then(|| view! {
            <div class="card card-body shadow-sm mb-4" id="gestione-valutazioni">
                <p class="mb-2">{match v.da_preparare {
                    0 => "Ogni persona assegnata agli obiettivi del piano ha la sua scheda.".to_string(),
                    1 => "Una persona assegnata agli obiettivi del piano non ha ancora la scheda.".to_string(),
                    n => format!("{n} persone assegnate agli obiettivi del piano non hanno ancora la scheda."),
                }}</p>
                <ActionForm action=prepara attr:id="prepara-schede">
                    <input type="hidden" name="slug" value=s.clone()/>
                    <input type="hidden" name="anno" value=v.anno/>
                    <button type="submit" class="btn btn-primary">"Prepara le schede di valutazione"</button>
                </ActionForm>
                {esito(prepara.pending().into(), prepara.value().into(), "")}
                <p class="mb-0 mt-2"><a id="link-premi" href=format!("{base}/premi")>"Premi: simulazione e ripartizione"</a></p>
            </div>
        })}
        {(v.nucleo && !v.gestione).then(|| view! {
            <p><a id="link-premi" href=format!("{base}/premi")>"Dati aggregati sui premi (art. 20 D.Lgs. 33/2013)"</a></p>
        })}
        {if v.righe.is_empty() {
            view! { <p id="nessuna-scheda">"Nessuna scheda da mostrare."</p> }.into_any()
        } else {
            view! {
                <div class="table-responsive">
                    <table class="table table-sm align-middle" id="schede">
                        <caption class="visually-hidden">"Schede di valutazione"</caption>
                        <thead><tr>
                            <th scope="col">"Persona"</th>
                            <th scope="col">"Categoria"</th>
                            <th scope="col">"Struttura"</th>
                            <th scope="col">"Valutatore"</th>
                            <th scope="col">"Stato"</th>
                            <th scope="col" class="text-end">"Punteggio"</th>
                        </tr></thead>
                        <tbody>
                            {v.righe.iter().map(|r| view! {
                                <tr>
                                    <td><a href=format!("{base}/valutazioni/{}", r.dipendente_id)>{format!("{} ({})", r.nome, r.matricola)}</a></td>
                                    <td>{r.categoria.label()}</td>
                                    <td>{r.struttura.clone()}</td>
                                    <td>{r.valutatore.clone()}</td>
                                    <td>{stato_badge(r.stato)}</td>
                                    <td class="text-end">{r.punteggio.map(numero).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(!v.analisi.is_empty()).then(|| view! {
            <section aria-labelledby="titolo-analisi" class="mt-4" id="analisi">
                <h2 class="h4" id="titolo-analisi">"Differenziazione delle valutazioni"</h2>
                <p class="small">{format!("Per ogni valutatore, i punteggi dati finora (proposti o definitivi). La fascia alta parte da {} punti; il contratto integrativo riconosce la maggiorazione del premio (art. 81 CCNL) al {} del personale: una quota in fascia alta molto più grande, o punteggi tutti uguali, dicono che le valutazioni non distinguono.", numero(v.fascia_alta), percento(v.quota_maggiorazione))}</p>
                <table class="table table-sm">
                    <caption class="visually-hidden">"Dispersione dei punteggi per valutatore"</caption>
                    <thead><tr>
                        <th scope="col">"Valutatore"</th><th scope="col" class="text-end">"Persone"</th>
                        <th scope="col" class="text-end">"Minimo"</th><th scope="col" class="text-end">"Media"</th>
                        <th scope="col" class="text-end">"Massimo"</th><th scope="col" class="text-end">"Scarto"</th>
                        <th scope="col" class="text-end">"In fascia alta"</th><th scope="col">"Avvisi"</th>
                    </tr></thead>
                    <tbody>
                        {v.analisi.iter().map(|a| {
                            let d = &a.dispersione;
                            let mut avvisi = Vec::new();
                            if d.uniforme {
                                avvisi.push("Tutti hanno lo stesso punteggio.".to_string());
                            }
                            if d.quota_alta > v.quota_maggiorazione * 2.0 && d.persone >= 2 {
                                avvisi.push(format!("In fascia alta il {}, oltre il doppio della quota art. 81.", percento(d.quota_alta)));
                            }
                            view! {
                                <tr class=if avvisi.is_empty() { "" } else { "table-warning avviso-differenziazione" }>
                                    <td>{a.valutatore.clone()}</td>
                                    <td class="text-end">{d.persone}</td>
                                    <td class="text-end">{numero(d.minimo)}</td>
                                    <td class="text-end">{numero(d.media)}</td>
                                    <td class="text-end">{numero(d.massimo)}</td>
                                    <td class="text-end">{numero(d.scarto)}</td>
                                    <td class="text-end">{percento(d.quota_alta)}</td>
                                    <td>{avvisi.join(" ")}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
    }
}

#[component]
pub fn SchedaPage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let dipendente = uuid_param("dipendente");
    let aggiorna = Aggiorna::new();
    provide_context(aggiorna);
    let dati = Resource::new(
        move || (slug.get(), anno.get(), dipendente.get(), aggiorna.get()),
        |(s, a, d, _)| async move {
            match d {
                Some(d) => scheda(s, a, d).await,
                None => Err(crate::error::AppError::NonTrovato),
            }
        },
    );
    view! {
        <Title text="Scheda di valutazione — Obiettivi"/>
        <Salvato/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => view! { <SchedaVista v/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A section's line: its weight, its score and why.
fn sezione(s: Sezione, peso: f64, p: &Result<Punteggio, String>) -> impl IntoView {
    view! {
        <tr id=format!("sezione-{}", s.codice())>
            <th scope="row">{s.label()}</th>
            <td class="text-end">{percento(peso)}</td>
            <td>{match p.clone() {
                Ok(p) => view! { <Perche punteggio=p etichetta=String::new()/> }.into_any(),
                Err(m) => view! { <span class="text-secondary">{m}</span> }.into_any(),
            }}</td>
        </tr>
    }
}

#[component]
fn SchedaVista(v: SchedaView) -> impl IntoView {
    let s = slug_param().get_untracked();
    let base = format!("/e/{s}/piani/{}", v.anno);
    let sc: Scheda = v.scheda;
    let c = v.calcolo.clone();
    let compila = v.valutatore_io && v.stato == Stato::Bozza;
    let decide = v.valutatore_io && v.stato == Stato::Revisione;
    view! {
        {percorso(&s, &v.ente_nome, v.anno, vec![(Some(format!("{base}/valutazioni")), "Valutazioni individuali".into()), (None, v.nome.clone())])}
        <h1>{format!("Scheda di valutazione {}: {}", v.anno, v.nome)}</h1>
        <dl class="row mb-3" id="intestazione-scheda">
            <dt class="col-sm-3">"Matricola"</dt><dd class="col-sm-9">{v.matricola.clone()}</dd>
            <dt class="col-sm-3">"Categoria"</dt><dd class="col-sm-9">{v.categoria.label()}</dd>
            <dt class="col-sm-3">"Struttura"</dt><dd class="col-sm-9">{v.struttura.clone()}</dd>
            <dt class="col-sm-3">"Valutatore"</dt><dd class="col-sm-9">{v.valutatore.clone()}</dd>
            <dt class="col-sm-3">"Stato"</dt><dd class="col-sm-9" id="stato-scheda">{stato_badge(v.stato)}</dd>
        </dl>
        <section aria-labelledby="titolo-sezioni" class="mb-4">
            <h2 class="h4" id="titolo-sezioni">"Punteggio"</h2>
            <table class="table table-sm align-top" id="sezioni">
                <caption class="visually-hidden">"Sezioni della scheda"</caption>
                <thead><tr><th scope="col">"Sezione"</th><th scope="col" class="text-end">"Peso"</th><th scope="col">"Punteggio"</th></tr></thead>
                <tbody>
                    {c.sezioni().into_iter().filter(|(s, _)| sc.peso(*s) > 0.0).map(|(s, p)| sezione(s, sc.peso(s), p)).collect_view()}
                </tbody>
            </table>
            <p class="fs-5" id="totale-scheda">
                {match c.totale.clone() {
                    Ok(p) => view! { <span>"Punteggio complessivo: "</span><Perche punteggio=p etichetta=String::new()/> }.into_any(),
                    Err(m) => view! { <span class="text-secondary">{format!("Punteggio complessivo non ancora calcolabile: {m}")}</span> }.into_any(),
                }}
            </p>
            {(!c.assegnati.is_empty()).then(|| view! {
                <details class="small"><summary>"Obiettivi assegnati"</summary>
                    <ul>{c.assegnati.iter().map(|a| view! { <li>{format!("{} — peso {}, raggiungimento {}", a.obiettivo, percento(a.peso), a.raggiungimento.map(percento).unwrap_or_else(|| "non valutabile".into()))}</li> }).collect_view()}</ul>
                </details>
            })}
            {v.dispersione_staff.clone().map(|d| view! {
                <p class="small" id="dispersione-staff">{format!("Punteggi dati al proprio personale: {} persone, da {} a {}, media {}, scarto {}.{}", d.persone, numero(d.minimo), numero(d.massimo), numero(d.media), numero(d.scarto), if d.uniforme { " Tutti uguali." } else { "" })}</p>
            })}
            {v.premio.map(|(b, m)| view! {
                <p class="alert alert-success" id="premio" role="note">{format!("Premio: {}{}", euro(b + m), if m > 0 { format!(" (di cui maggiorazione art. 81: {})", euro(m)) } else { String::new() })}</p>
            })}
        </section>
        {(!compila && !decide).then(|| {
            let voti = v.voti.clone();
            view! {
                <section aria-labelledby="titolo-comportamenti" class="mb-4">
                    <h2 class="h4" id="titolo-comportamenti">"Comportamenti"</h2>
                    <ul id="voti">{voti.into_iter().map(|(n, x)| view! { <li>{format!("{n}: {}", x.map(|x| SCALA[(x - 1) as usize].to_string()).unwrap_or_else(|| "non ancora valutato".into()))}</li> }).collect_view()}</ul>
                    {(!v.note.is_empty()).then(|| view! { <p>{format!("Note del valutatore: {}", v.note)}</p> })}
                </section>
            }
        })}
        <Cronologia v=v.clone()/>
        {compila.then(|| view! { <FormScheda v=v.clone() decisione=false/> })}
        {decide.then(|| view! { <FormScheda v=v.clone() decisione=true/> })}
        <Passi v=v.clone()/>
        {v.gestione_premi.then(|| view! { <DatiPremi v=v.clone()/> })}
        {(v.valutatore_io && v.stato == Stato::Definitiva && v.firmata.is_none()).then(|| view! {
            <Firma anno=v.anno dipendente=v.dipendente_id version=v.version/>
        })}
        {v.firmata.clone().map(|(chi, quando)| view! {
            <p id="scheda-firmata">{format!("Firmata digitalmente da {chi} il {}.", giorno_label(quando))}</p>
        })}
        {(v.stato == Stato::Definitiva).then(|| view! {
            <p><a class="btn btn-outline-primary" id="scarica-scheda" href=format!("/e/{s}/piani/{}/valutazioni/{}/scheda.pdf", v.anno, v.dipendente_id) download="">"Scarica la scheda (PDF)"</a></p>
        })}
    }
}

/// The cycle's dates so far.
#[component]
fn Cronologia(v: SchedaView) -> impl IntoView {
    let righe = v.percorso();
    (!righe.is_empty()).then(|| {
        view! {
            <section aria-labelledby="titolo-cronologia" class="mb-4">
                <h2 class="h4" id="titolo-cronologia">"Il percorso della valutazione"</h2>
                <ol id="cronologia">{righe.into_iter().map(|(passo, cosa)| view! { <li>{format!("{passo}: {cosa}")}</li> }).collect_view()}</ol>
            </section>
        }
    })
}

/// The evaluator's form: the scores and the colloqui; for a review, the hearing and the
/// decision too.
#[component]
fn FormScheda(v: SchedaView, decisione: bool) -> impl IntoView {
    let aggiorna = expect_context::<Aggiorna>();
    let salva = ServerAction::<SalvaScheda>::new();
    let decidi = ServerAction::<DecidiRevisione>::new();
    aggiorna.dopo_e_di(salva.value().into(), "Scheda salvata.");
    aggiorna.dopo_e_di(
        decidi.value().into(),
        "Revisione decisa: la scheda è definitiva.",
    );
    let s = slug_param().get_untracked();
    let campi = move || {
        view! {
            <input type="hidden" name="slug" value=s.clone()/>
            <input type="hidden" name="anno" value=v.anno/>
            <input type="hidden" name="dipendente" value=v.dipendente_id.to_string()/>
            <input type="hidden" name="version" value=v.version/>
            <fieldset class="mb-3">
                <legend class="h5">"Comportamenti (da 1 a 5)"</legend>
                {v.voti.iter().enumerate().map(|(i, (nome, voto))| {
                    let id = format!("voto-{i}");
                    view! {
                        <div class="row g-2 align-items-center mb-2">
                            <div class="col-md-7"><label class="form-label mb-0" for=id.clone()>{nome.clone()}</label></div>
                            <div class="col-md-5">
                                <select class="form-select form-select-sm" id=id name=format!("voti[{i}]")>
                                    <option value="" selected=voto.is_none()>"Non ancora valutato"</option>
                                    {SCALA.iter().enumerate().map(|(k, d)| {
                                        let x = (k + 1) as u8;
                                        view! { <option value=x.to_string() selected=*voto == Some(x)>{*d}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {(v.categoria == Categoria::Eq && v.scheda.differenziazione > 0.0).then(|| view! {
                <div class="mb-3">
                    <label class="form-label" for="differenziazione">"Differenziazione delle valutazioni del proprio personale (da 1 a 5)"</label>
                    <select class="form-select" id="differenziazione" name="differenziazione">
                        <option value="" selected=v.differenziazione.is_none()>"Non ancora valutata"</option>
                        {SCALA.iter().enumerate().map(|(k, d)| {
                            let x = (k + 1) as u8;
                            view! { <option value=x.to_string() selected=v.differenziazione == Some(x)>{*d}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="row g-3 mb-3">
                <div class="col-md-4">
                    <label class="form-label" for="colloquio_assegnazione">"Colloquio di assegnazione"</label>
                    <input class="form-control" type="date" id="colloquio_assegnazione" name="colloquio_assegnazione" value=v.colloquio_assegnazione.map(iso).unwrap_or_default()/>
                </div>
                <div class="col-md-4">
                    <label class="form-label" for="colloquio_intermedio">"Colloquio intermedio"</label>
                    <input class="form-control" type="date" id="colloquio_intermedio" name="colloquio_intermedio" value=v.colloquio_intermedio.map(iso).unwrap_or_default()/>
                </div>
                <div class="col-md-4">
                    <label class="form-label" for="colloquio_finale">"Colloquio finale"</label>
                    <input class="form-control" type="date" id="colloquio_finale" name="colloquio_finale" value=v.colloquio_finale.map(iso).unwrap_or_default()/>
                </div>
            </div>
            <div class="mb-3">
                <label class="form-label" for="note">"Note del valutatore"</label>
                <textarea class="form-control" id="note" name="note" rows="3" maxlength="5000">{v.note.clone()}</textarea>
            </div>
        }
    };
    if decisione {
        view! {
            <section aria-labelledby="titolo-decisione" class="card card-body shadow-sm mb-4">
                <h2 class="h4" id="titolo-decisione">"Decisione sulla revisione"</h2>
                <p class="small">{format!("Dopo aver ascoltato la persona (che può farsi assistere da un rappresentante sindacale), conferma o modifica i voti e motiva la decisione, entro il {}.", v.scadenza_decisione.map(data_label).unwrap_or_default())}</p>
                <ActionForm action=decidi attr:id="form-decisione">
                    {campi()}
                    <div class="row g-3 mb-3">
                        <div class="col-md-4">
                            <label class="form-label" for="audizione">"Data dell'audizione"</label>
                            <input class="form-control" type="date" id="audizione" name="audizione" required/>
                        </div>
                        <div class="col-md-8 d-flex align-items-end">
                            <div class="form-check">
                                <input class="form-check-input" type="checkbox" id="sindacato" name="sindacato"/>
                                <label class="form-check-label" for="sindacato">"Presente un rappresentante sindacale"</label>
                            </div>
                        </div>
                    </div>
                    <div class="mb-3">
                        <label class="form-label" for="decisione">"Motivazione della decisione"</label>
                        <textarea class="form-control" id="decisione" name="decisione" rows="3" maxlength="5000" required></textarea>
                    </div>
                    <button type="submit" class="btn btn-primary">"Decidi e rendi definitiva"</button>
                </ActionForm>
                {esito(decidi.pending().into(), decidi.value().into(), "")}
            </section>
        }
        .into_any()
    } else {
        view! {
            <section aria-labelledby="titolo-compila" class="card card-body shadow-sm mb-4">
                <h2 class="h4" id="titolo-compila">"Valutazione"</h2>
                <ActionForm action=salva attr:id="form-scheda">
                    {campi()}
                    <div class="form-check mb-3">
                        <input class="form-check-input" type="checkbox" id="proponi" name="proponi"/>
                        <label class="form-check-label" for="proponi">"Il colloquio finale si è svolto: proponi la valutazione alla persona"</label>
                    </div>
                    <button type="submit" class="btn btn-primary">"Salva la scheda"</button>
                </ActionForm>
                {esito(salva.pending().into(), salva.value().into(), "")}
            </section>
        }
        .into_any()
    }
}

/// The person's steps (presa visione, accept or ask for a review) and the evaluator's
/// closing one.
#[component]
fn Passi(v: SchedaView) -> impl IntoView {
    let aggiorna = expect_context::<Aggiorna>();
    let visione = ServerAction::<PresaVisione>::new();
    let risposta = ServerAction::<Risposta>::new();
    let chiudi = ServerAction::<ChiudiScheda>::new();
    aggiorna.dopo_e_di(visione.value().into(), "Presa visione registrata.");
    aggiorna.dopo_e_di(risposta.value().into(), "Risposta registrata.");
    aggiorna.dopo_e_di(chiudi.value().into(), "La scheda è definitiva.");
    let slug = slug_param();
    let (anno, dip, version) = (v.anno, v.dipendente_id, v.version);
    let nascosti = move || {
        view! {
            <input type="hidden" name="slug" value=slug.get_untracked()/>
            <input type="hidden" name="anno" value=anno/>
            <input type="hidden" name="dipendente" value=dip.to_string()/>
            <input type="hidden" name="version" value=version/>
        }
    };
    let entro = v.scadenza_richiesta.is_some_and(|f| v.oggi <= f);
    view! {
        {(v.valutato_io && v.stato == Stato::Proposta).then(|| view! {
            <section class="card card-body shadow-sm mb-4" aria-labelledby="titolo-visione">
                <h2 class="h4" id="titolo-visione">"Presa visione"</h2>
                <p>"Il valutatore ti ha proposto questa valutazione dopo il colloquio finale. Confermando dichiari di averla vista: potrai poi accettarla o chiederne la revisione entro 10 giorni lavorativi."</p>
                <ActionForm action=visione attr:id="form-visione">
                    {nascosti()}
                    <button type="submit" class="btn btn-primary">"Confermo la presa visione"</button>
                </ActionForm>
                {esito(visione.pending().into(), visione.value().into(), "")}
            </section>
        })}
        {(v.valutato_io && v.stato == Stato::PresaVisione && entro).then(|| view! {
            <section class="card card-body shadow-sm mb-4" aria-labelledby="titolo-risposta">
                <h2 class="h4" id="titolo-risposta">"Accetti la valutazione?"</h2>
                <p>{format!("Puoi chiedere la revisione fino al {}, spiegando perché: il valutatore ti ascolterà (puoi farti assistere da un rappresentante sindacale) e deciderà entro 15 giorni lavorativi.", v.scadenza_richiesta.map(data_label).unwrap_or_default())}</p>
                <ActionForm action=risposta attr:id="form-accetta" attr:class="mb-3">
                    {nascosti()}
                    <button type="submit" class="btn btn-outline-primary">"Accetto la valutazione"</button>
                </ActionForm>
                <ActionForm action=risposta attr:id="form-revisione">
                    {nascosti()}
                    <input type="hidden" name="revisione" value="true"/>
                    <label class="form-label" for="testo-revisione">"Motivi della richiesta di revisione"</label>
                    <textarea class="form-control mb-2" id="testo-revisione" name="testo" rows="4" maxlength="5000" required></textarea>
                    <button type="submit" class="btn btn-primary">"Chiedi la revisione"</button>
                </ActionForm>
                {esito(risposta.pending().into(), risposta.value().into(), "")}
            </section>
        })}
        {(v.valutatore_io && v.stato == Stato::PresaVisione).then(|| if entro {
            view! { <p class="text-secondary" id="attesa-risposta">{format!("La persona può chiedere la revisione fino al {}: poi potrai rendere definitiva la scheda.", v.scadenza_richiesta.map(data_label).unwrap_or_default())}</p> }.into_any()
        } else {
            view! {
                <ActionForm action=chiudi attr:id="form-chiudi" attr:class="mb-4">
                    {nascosti()}
                    <button type="submit" class="btn btn-primary">"Rendi definitiva la scheda"</button>
                </ActionForm>
                {esito(chiudi.pending().into(), chiudi.value().into(), "")}
            }.into_any()
        })}
        {(v.valutatore_io && v.stato == Stato::Proposta).then(|| view! {
            <p class="text-secondary" id="attesa-visione">"In attesa della presa visione della persona."</p>
        })}
    }
}

/// What the premi read beside the score (admins and consultants).
#[component]
fn DatiPremi(v: SchedaView) -> impl IntoView {
    let aggiorna = expect_context::<Aggiorna>();
    let salva = ServerAction::<SalvaDatiPremi>::new();
    aggiorna.dopo_e_di(salva.value().into(), "Dati per i premi salvati.");
    let s = slug_param().get_untracked();
    let (assenze, congedi, sanzione, version) = v.dati_premi;
    view! {
        <details class="card card-body shadow-sm mb-4" id="dati-premi">
            <summary class="h5">"Dati per i premi"</summary>
            <p class="small">"Le assenze che riducono la presenza utile. I congedi di maternità, paternità e parentali non riducono nulla (art. 9, c. 3, D.Lgs. 150/2009): si registrano a parte."</p>
            <ActionForm action=salva attr:class="row g-3">
                <input type="hidden" name="slug" value=s/>
                <input type="hidden" name="anno" value=v.anno/>
                <input type="hidden" name="dipendente" value=v.dipendente_id.to_string()/>
                <input type="hidden" name="version" value=version/>
                <div class="col-md-3">
                    <label class="form-label" for="assenze">"Giorni di assenza"</label>
                    <input class="form-control" id="assenze" name="assenze" type="number" min="0" max="366" value=assenze/>
                </div>
                <div class="col-md-3">
                    <label class="form-label" for="congedi">"Giorni di congedo (neutri)"</label>
                    <input class="form-control" id="congedi" name="congedi" type="number" min="0" max="366" value=congedi/>
                </div>
                <div class="col-md-6">
                    <label class="form-label" for="sanzione">"Sanzione disciplinare dell'anno"</label>
                    <select class="form-select" id="sanzione" name="sanzione">
                        {SANZIONI.iter().enumerate().map(|(i, l)| view! { <option value=i.to_string() selected=i as i16 == sanzione>{*l}</option> }).collect_view()}
                    </select>
                </div>
                <div class="col-12"><button type="submit" class="btn btn-outline-primary">"Salva i dati per i premi"</button></div>
            </ActionForm>
            {esito(salva.pending().into(), salva.value().into(), "")}
        </details>
    }
}

/// The evaluator signs the final scheda with their own certificate.
#[component]
fn Firma(anno: i32, dipendente: uuid::Uuid, version: i32) -> impl IntoView {
    let aggiorna = expect_context::<Aggiorna>();
    let slug = slug_param();
    let file = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let c = crate::components::Caricamento::new();
    let invia = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let (Some(input), Some(pw)) = (file.get(), password.get()) {
            c.invia(
                &[
                    ("slug", &slug.get_untracked()),
                    ("anno", &anno.to_string()),
                    ("dipendente", &dipendente.to_string()),
                    ("version", &version.to_string()),
                    ("password", &pw.value()),
                ],
                &input,
                "Scegli il file del tuo certificato di firma (.p12 o .pfx).",
                |dati| firma_scheda(dati.into()),
                move |_| {
                    let m = "Scheda firmata.";
                    aggiorna.segnala(m.to_string());
                    m.to_string()
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, password, slug, anno, dipendente, version, aggiorna, c);
    };
    view! {
        <section class="card card-body shadow-sm mb-4" aria-labelledby="titolo-firma">
            <h2 class="h4" id="titolo-firma">"Firma la scheda"</h2>
            <p>"La scheda definitiva (PDF/A) è firmata digitalmente (PAdES) con il tuo certificato, che serve solo per questa firma e non viene conservato."</p>
            <crate::components::ModuloFirma id="firma-scheda" bottone="Firma la scheda"
                in_corso="Preparazione e firma della scheda…" file password c invia/>
        </section>
    }
}
