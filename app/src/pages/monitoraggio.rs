//! `/e/{slug}/piani/{anno}/monitoraggio`: the checkpoints of an approved plan (set by ente
//! admins and consultants); `/e/{slug}/piani/{anno}/monitoraggio/{id}`: one checkpoint, with
//! the overview of every objective's light, each struttura's record (filled in and
//! submitted by its responsabile, reopened by an admin), the Nucleo's notes and the closing
//! with the signed Referto. The forms are plain forms: they work before the wasm arrives.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::{anno_param, slug_param, uuid_param};
use crate::api::monitoraggio::*;
use crate::components::{ErrorView, Tabella};
use crate::domain::monitoraggio::{Causa, Proposta, Semaforo, Stato};
use crate::domain::plan::{data_label, giorno_label};
use crate::error::AppError;
use crate::model::{
    MonitoraggioBreve, MonitoraggioView, ObiettivoMonitorato, RigaMonitorata, StrutturaMonitorata,
};

pub(crate) fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A light as a badge: the colour and, in words, what it means.
#[component]
pub fn Luce(semaforo: Option<Semaforo>) -> impl IntoView {
    match semaforo {
        Some(s) => {
            let classe = match s {
                Semaforo::Verde => "badge bg-success semaforo semaforo-verde",
                Semaforo::Giallo => "badge bg-warning text-dark semaforo semaforo-giallo",
                Semaforo::Rosso => "badge bg-danger semaforo semaforo-rosso",
            };
            view! { <span class=classe title=s.label()>{format!("{} — {}", s.nome(), s.significato())}</span> }.into_any()
        }
        None => view! { <span class="text-secondary">"—"</span> }.into_any(),
    }
}

/// What happened to a form's last submission.
pub(crate) fn esito<T: Clone + Send + Sync + 'static>(
    pending: Signal<bool>,
    valore: Signal<Option<Result<T, AppError>>>,
    fatto: &'static str,
) -> impl IntoView {
    view! {
        <div aria-live="polite" class="small">
            {move || if pending.get() {
                view! { <span role="status">"Salvataggio…"</span> }.into_any()
            } else {
                match valore.get() {
                    // Said by the page's `Salvato` instead.
                    Some(Ok(_)) if fatto.is_empty() => ().into_any(),
                    Some(Ok(_)) => view! { <span class="text-success esito-ok" role="status">{fatto}</span> }.into_any(),
                    Some(Err(e)) => view! { <div class="alert alert-danger mt-2 mb-0" role="alert">{e.to_string()}</div> }.into_any(),
                    None => ().into_any(),
                }
            }}
        </div>
    }
}

#[component]
pub fn MonitoraggiPage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let crea = ServerAction::<CreaMonitoraggio>::new();
    let predefiniti = ServerAction::<MonitoraggiPredefiniti>::new();
    let date = ServerAction::<DateMonitoraggio>::new();
    let dati = Resource::new(
        move || {
            (
                slug.get(),
                anno.get(),
                crea.version().get(),
                predefiniti.version().get(),
                date.version().get(),
            )
        },
        |(s, a, ..)| elenco_monitoraggi(s, a),
    );
    view! {
        <Title text="Monitoraggio — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(m) => {
                        let s = slug.get_untracked();
                        let base = format!("/e/{s}/piani/{}", m.anno);
                        view! {
                            <nav class="breadcrumb-container" aria-label="Percorso">
                                <ol class="breadcrumb">
                                    <li class="breadcrumb-item"><a href=format!("/e/{s}")>{m.ente_nome.clone()}</a><span class="separator" aria-hidden="true">"/"</span></li>
                                    <li class="breadcrumb-item"><a href=base.clone()>{format!("Piano {}", m.anno)}</a><span class="separator" aria-hidden="true">"/"</span></li>
                                    <li class="breadcrumb-item active" aria-current="page">"Monitoraggio"</li>
                                </ol>
                            </nav>
                            <h1>{format!("Monitoraggio del Piano {}", m.anno)}</h1>
                            <p>"A ogni monitoraggio i responsabili indicano l'avanzamento degli obiettivi della propria struttura e lo inviano; il Nucleo di Valutazione lo verifica, annota e chiude il monitoraggio con il referto firmato."</p>
                            {(!m.approvato).then(|| view! { <div class="alert alert-info" role="status">"Il monitoraggio riguarda il piano approvato: approva prima il piano."</div> })}
                            {if m.elenco.is_empty() {
                                view! { <p id="nessun-monitoraggio">"Nessun monitoraggio impostato."</p> }.into_any()
                            } else {
                                let righe = m.elenco.clone();
                                view! {
                                    <Tabella id="monitoraggi" didascalia="Monitoraggi del piano" colonne=&["Data del monitoraggio", "Scadenza responsabili", "Scadenza Nucleo", "Stato", ""]>
                                        {righe.into_iter().map(|r| view! { <RigaMonitoraggio r base=base.clone()/> }).collect_view()}
                                    </Tabella>
                                }.into_any()
                            }}
                            {(m.puo_impostare && m.approvato).then(|| {
                                let n = m.elenco.len();
                                let elenco = m.elenco.clone();
                                let (s1, s2, s3) = (s.clone(), s.clone(), s.clone());
                                view! {
                                    <h2 class="h4 mt-4">"Imposta i monitoraggi"</h2>
                                    <p class="small text-secondary">"Da uno a quattro nell'anno. Se lasci vuote le scadenze: 15 giorni per i responsabili e 30 per il Nucleo dopo la data del monitoraggio."</p>
                                    {(n == 0).then(move || view! {
                                        <ActionForm action=predefiniti attr:id="monitoraggi-predefiniti" attr:class="mb-3">
                                            <input type="hidden" name="slug" value=s1/>
                                            <input type="hidden" name="anno" value=m.anno/>
                                            <button type="submit" class="btn btn-primary">"Aggiungi i monitoraggi al 30/06 e al 30/09"</button>
                                        </ActionForm>
                                    })}
                                    {esito(predefiniti.pending().into(), predefiniti.value().into(), "Monitoraggi aggiunti.")}
                                    <ActionForm action=crea attr:id="nuovo-monitoraggio" attr:class="card card-body shadow-sm">
                                        <input type="hidden" name="slug" value=s2/>
                                        <input type="hidden" name="anno" value=m.anno/>
                                        <div class="row g-3 align-items-end">
                                            <div class="col-md-4">
                                                <label for="nm-data" class="form-label">"Data del monitoraggio"</label>
                                                <input id="nm-data" name="data_riferimento" type="date" class="form-control" required/>
                                            </div>
                                            <div class="col-md-3">
                                                <label for="nm-resp" class="form-label">"Scadenza responsabili"</label>
                                                <input id="nm-resp" name="scadenza_responsabili" type="date" class="form-control"/>
                                            </div>
                                            <div class="col-md-3">
                                                <label for="nm-nucleo" class="form-label">"Scadenza Nucleo"</label>
                                                <input id="nm-nucleo" name="scadenza_nucleo" type="date" class="form-control"/>
                                            </div>
                                            <div class="col-md-2"><button type="submit" class="btn btn-outline-primary">"Aggiungi"</button></div>
                                        </div>
                                    </ActionForm>
                                    {esito(crea.pending().into(), crea.value().into(), "Monitoraggio aggiunto.")}
                                    {(!elenco.is_empty()).then(move || view! {
                                        <h3 class="h5 mt-4">"Cambia le date"</h3>
                                        {elenco.into_iter().filter(|r| r.chiuso_il.is_none()).map(|r| { let s3 = s3.clone(); view! {
                                            <ActionForm action=date attr:class="row g-2 align-items-end mb-2 cambia-date">
                                                <input type="hidden" name="slug" value=s3/>
                                                <input type="hidden" name="anno" value=m.anno/>
                                                <input type="hidden" name="id" value=r.id.to_string()/>
                                                <input type="hidden" name="version" value=r.version/>
                                                <div class="col-md-4">
                                                    <label class="form-label" for=format!("cd-{}", r.id)>{format!("Monitoraggio al {}", data_label(r.scadenze.riferimento))}</label>
                                                    <input id=format!("cd-{}", r.id) name="data_riferimento" type="date" class="form-control" value=iso(r.scadenze.riferimento)/>
                                                </div>
                                                <div class="col-md-3">
                                                    <label class="form-label" for=format!("cdr-{}", r.id)>"Scadenza responsabili"</label>
                                                    <input id=format!("cdr-{}", r.id) name="scadenza_responsabili" type="date" class="form-control" value=iso(r.scadenze.responsabili)/>
                                                </div>
                                                <div class="col-md-3">
                                                    <label class="form-label" for=format!("cdn-{}", r.id)>"Scadenza Nucleo"</label>
                                                    <input id=format!("cdn-{}", r.id) name="scadenza_nucleo" type="date" class="form-control" value=iso(r.scadenze.nucleo)/>
                                                </div>
                                                <div class="col-md-2"><button type="submit" class="btn btn-outline-secondary btn-sm">"Salva le date"</button></div>
                                            </ActionForm>
                                        }}).collect_view()}
                                        {esito(date.pending().into(), date.value().into(), "Date salvate.")}
                                    })}
                                }
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn RigaMonitoraggio(r: MonitoraggioBreve, base: String) -> impl IntoView {
    let stato = match (&r.chiuso_il, &r.referto_firmatario) {
        (Some(c), f) => format!(
            "Chiuso il {} — referto firmato da {}",
            giorno_label(*c),
            f.clone().unwrap_or_default()
        ),
        _ => format!(
            "Aperto: {} strutture su {} hanno inviato",
            r.inviate, r.strutture
        ),
    };
    view! {
        <tr>
            <td>{data_label(r.scadenze.riferimento)}</td>
            <td>{data_label(r.scadenze.responsabili)}</td>
            <td>{data_label(r.scadenze.nucleo)}</td>
            <td>{stato}</td>
            <td><a href=format!("{base}/monitoraggio/{}", r.id)>{format!("Apri il monitoraggio al {}", data_label(r.scadenze.riferimento))}</a></td>
        </tr>
    }
}

#[component]
pub fn MonitoraggioPage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let id = uuid_param("id");
    // Bumped by whatever changes a record's state (submit, reopen, close): reloads the page's data.
    let ricarica = RwSignal::new(0u32);
    let dati = Resource::new(
        move || {
            (
                slug.get(),
                anno.get(),
                id.get().unwrap_or_default(),
                ricarica.get(),
            )
        },
        |(s, a, i, _)| carica_monitoraggio(s, a, i),
    );
    view! {
        <Title text="Monitoraggio — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => view! { <Monitoraggio v slug=slug.get_untracked() ricarica/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Monitoraggio(v: MonitoraggioView, slug: String, ricarica: RwSignal<u32>) -> impl IntoView {
    let base = format!("/e/{slug}/piani/{}", v.anno);
    let data = data_label(v.scadenze.riferimento);
    let chiuso = v.chiuso_il.is_some();
    let v = StoredValue::new(v);
    let vv = v.get_value();
    let quadro = vv.strutture.iter().flat_map(|s| {
                s.obiettivi.iter().map(move |o| {
                    let l = v.with_value(|x| x.luce(&o.obiettivo));
                    view! {
                        <tr>
                            <td>{s.nome.clone()}</td>
                            <td>{format!("{}. {}", o.obiettivo.numero, breve(&o.obiettivo.riga.campi.descrizione))}</td>
                            <td>{l.map(|x| x.0.label()).unwrap_or_default()}</td>
                            <td>{o.obiettivo.avanzamento.percentuale.map(|p| p.label()).unwrap_or_else(|| "—".into())}</td>
                            <td><Luce semaforo=l.map(|x| x.1)/></td>
                            <td>{s.stato.label()}</td>
                        </tr>
                    }
                }).collect::<Vec<_>>()
            }).collect_view();
    let strutture = vv
        .strutture
        .iter()
        .cloned()
        .map(|s| view! { <StrutturaRilevazione s v slug=slug.clone() ricarica/> })
        .collect_view();
    view! {
        <nav class="breadcrumb-container" aria-label="Percorso">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href=format!("/e/{slug}")>{vv.ente_nome.clone()}</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=base.clone()>{format!("Piano {}", vv.anno)}</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=format!("{base}/monitoraggio")>"Monitoraggio"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">{data.clone()}</li>
            </ol>
        </nav>
        <h1>{format!("Monitoraggio al {data}")}</h1>
        <p class="lead">{format!(
            "Scadenza per i responsabili: {} — per il Nucleo: {}. Avanzamento atteso calcolato dal {}.",
            data_label(vv.scadenze.responsabili), data_label(vv.scadenze.nucleo), data_label(vv.inizio)
        )}</p>
        {if chiuso {
            view! {
                <div class="alert alert-success" role="status" id="referto">
                    {format!("Monitoraggio chiuso il {} con il referto firmato da {}. ",
                        vv.chiuso_il.map(giorno_label).unwrap_or_default(),
                        vv.referto_firmatario.clone().unwrap_or_default())}
                    <a href=format!("{base}/monitoraggio/{}/referto.pdf", vv.id) download>"Scarica il referto firmato (PDF)"</a>
                </div>
            }.into_any()
        } else { ().into_any() }}
        <h2 class="h4">"Quadro d'insieme"</h2>
        <Tabella id="quadro" didascalia="Avanzamento degli obiettivi per struttura" colonne=&["Struttura", "Obiettivo", "Atteso", "Effettivo", "Semaforo", "Rilevazione"] compatta=true>
            {quadro}
        </Tabella>
        {strutture}
        {(vv.nucleo && !chiuso).then(|| view! { <Chiusura v slug=slug.clone() ricarica/> })}
    }
}

fn breve(s: &str) -> String {
    let t: String = s.trim().chars().take(90).collect();
    if s.trim().chars().count() > 90 {
        format!("{t}…")
    } else {
        t
    }
}

#[component]
fn StrutturaRilevazione(
    s: StrutturaMonitorata,
    v: StoredValue<MonitoraggioView>,
    slug: String,
    ricarica: RwSignal<u32>,
) -> impl IntoView {
    // The few facts of the checkpoint each part needs, not a copy of it per struttura.
    let (anno, mid, puo_riaprire) = v.with_value(|x| (x.anno, x.id, x.puo_riaprire));
    let invia = ServerAction::<InviaRilevazione>::new();
    let riapri = ServerAction::<RiapriRilevazione>::new();
    Effect::new(move |_| {
        if matches!(invia.value().get(), Some(Ok(_))) || matches!(riapri.value().get(), Some(Ok(_)))
        {
            ricarica.update(|n| *n += 1);
        }
    });
    let badge = match s.stato {
        Stato::Aperta => "badge bg-secondary",
        Stato::Inviata => "badge bg-primary",
        Stato::Chiusa => "badge bg-success",
    };
    let (slug1, slug2) = (slug.clone(), slug.clone());
    view! {
        <section class="mt-5 rilevazione" aria-labelledby=format!("s-{}", s.id)>
            <h2 class="h4" id=format!("s-{}", s.id)>{s.nome.clone()} " " <span class=badge>{s.stato.label()}</span></h2>
            <p class="small text-secondary">{format!("Responsabile: {}", s.responsabile)}</p>
            {s.obiettivi.iter().cloned().map(|o| view! { <ObiettivoRilevazione o v compilabile=s.compilabile slug=slug.clone()/> }).collect_view()}
            {s.compilabile.then(move || view! {
                <ActionForm action=invia attr:class="mt-3 invia-rilevazione">
                    <input type="hidden" name="slug" value=slug1/>
                    <input type="hidden" name="anno" value=anno/>
                    <input type="hidden" name="monitoraggio_id" value=mid.to_string()/>
                    <input type="hidden" name="struttura_id" value=s.id.to_string()/>
                    <button type="submit" class="btn btn-primary">{format!("Invia al Nucleo la rilevazione di «{}»", s.nome)}</button>
                </ActionForm>
                {esito(invia.pending().into(), invia.value().into(), "Rilevazione inviata.")}
            })}
            {(puo_riaprire && s.stato == Stato::Inviata).then(move || view! {
                <ActionForm action=riapri attr:class="row g-2 align-items-end mt-3 riapri-rilevazione">
                    <input type="hidden" name="slug" value=slug2/>
                    <input type="hidden" name="anno" value=anno/>
                    <input type="hidden" name="monitoraggio_id" value=mid.to_string()/>
                    <input type="hidden" name="struttura_id" value=s.id.to_string()/>
                    <div class="col-md-8">
                        <label class="form-label" for=format!("motivo-{}", s.id)>"Motivo della riapertura"</label>
                        <input class="form-control" id=format!("motivo-{}", s.id) name="motivo" type="text" maxlength="1000" required/>
                    </div>
                    <div class="col-md-4"><button type="submit" class="btn btn-outline-primary">"Riapri la rilevazione"</button></div>
                </ActionForm>
                {esito(riapri.pending().into(), riapri.value().into(), "Rilevazione riaperta.")}
            })}
        </section>
    }
}

#[component]
fn ObiettivoRilevazione(
    o: ObiettivoMonitorato,
    v: StoredValue<MonitoraggioView>,
    compilabile: bool,
    slug: String,
) -> impl IntoView {
    let (anno, mid, annotabile) =
        v.with_value(|x| (x.anno, x.id, x.nucleo && x.chiuso_il.is_none()));
    let nota = ServerAction::<SalvaNotaNucleo>::new();
    let nota_version = RwSignal::new(o.nota_nucleo.as_ref().map(|n| n.version).unwrap_or(0));
    Effect::new(move |_| {
        if let Some(Ok(v)) = nota.value().get() {
            nota_version.set(v);
        }
    });
    let evidenze = RwSignal::new(o.evidenze.clone());
    let base = format!("/e/{slug}/piani/{anno}/monitoraggio/{mid}");
    view! {
        <article class="card shadow-sm mb-3 obiettivo-monitorato">
            <div class="card-body">
                <h3 class="h5">{format!("Obiettivo {}: {}", o.obiettivo.numero, breve(&o.obiettivo.riga.campi.descrizione))}</h3>
                <RigaRilevazione r=o.obiettivo.clone() v compilabile slug=slug.clone()/>
                {o.fasi.iter().cloned().map(|f| view! { <RigaRilevazione r=f v compilabile slug=slug.clone()/> }).collect_view()}
                <h4 class="h6 mt-3">"Evidenze"</h4>
                <ul class="evidenze">
                    {move || evidenze.get().into_iter().map(|e| view! {
                        <li><a href=format!("{base}/evidenze/{}", e.id) download>{e.nome_file.clone()}</a>
                            <span class="small text-secondary">{format!(" ({} KB, SHA-256 {}…)", (e.dimensione + 1023) / 1024, &e.sha256[..12])}</span></li>
                    }).collect_view()}
                </ul>
                {compilabile.then(|| view! { <CaricaEvidenza v obiettivo=o.obiettivo.obiettivo_id slug=slug.clone() evidenze/> })}
                {match (annotabile, o.nota_nucleo.clone()) {
                    (true, n) => view! {
                        <ActionForm action=nota attr:class="mt-3 nota-nucleo">
                            <input type="hidden" name="slug" value=slug.clone()/>
                            <input type="hidden" name="anno" value=anno/>
                            <input type="hidden" name="monitoraggio_id" value=mid.to_string()/>
                            <input type="hidden" name="obiettivo_id" value=o.obiettivo.obiettivo_id.to_string()/>
                            <input type="hidden" name="version" value=move || nota_version.get().to_string()/>
                            <label class="form-label" for=format!("nota-{}", o.obiettivo.obiettivo_id)>"Osservazioni del Nucleo"</label>
                            <textarea class="form-control" rows="2" name="testo" id=format!("nota-{}", o.obiettivo.obiettivo_id) maxlength="5000">{n.map(|n| n.testo).unwrap_or_default()}</textarea>
                            <button type="submit" class="btn btn-outline-primary btn-sm mt-2">"Salva le osservazioni"</button>
                        </ActionForm>
                        {esito(nota.pending().into(), nota.value().into(), "Osservazioni salvate.")}
                    }.into_any(),
                    (false, Some(n)) => view! {
                        <p class="mt-3 mb-0"><strong>"Osservazioni del Nucleo: "</strong>{n.testo}</p>
                    }.into_any(),
                    (false, None) => ().into_any(),
                }}
            </div>
        </article>
    }
}

/// One objective's or phase's progress: a form while the record is the caller's to fill
/// in, else what was reported.
#[component]
fn RigaRilevazione(
    r: RigaMonitorata,
    v: StoredValue<MonitoraggioView>,
    compilabile: bool,
    slug: String,
) -> impl IntoView {
    let (anno, mid, luce0) = v.with_value(|x| (x.anno, x.id, x.luce(&r)));
    let a = r.avanzamento.clone();
    let fase = r.fase_id.is_some();
    let titolo = if fase {
        format!("Fase {}: {}", r.numero, breve(&r.riga.campi.descrizione))
    } else {
        format!("Obiettivo {}", r.numero)
    };
    let scadenza = r
        .riga
        .campi
        .data_fine
        .map(data_label)
        .unwrap_or_else(|| "non indicata".into());
    let luce_s = RwSignal::new(luce0);
    if !compilabile {
        let mut valore = a.valore_effettivo.clone();
        if let Some(d) = a.valore_data {
            valore.push_str(&format!(" (al {})", data_label(d)));
        }
        if !a.valore_fonte.trim().is_empty() {
            valore.push_str(&format!(" — fonte: {}", a.valore_fonte));
        }
        return view! {
            <div class=if fase { "ms-4 border-start ps-3 mb-2 riga-monitorata" } else { "mb-2 riga-monitorata" }>
                <p class="mb-1"><strong>{titolo}</strong>{format!(" — fine {scadenza}")}</p>
                <p class="mb-1">
                    {format!("Avanzamento: {}", a.percentuale.map(|p| p.label()).unwrap_or_else(|| "non indicato".into()))}
                    {luce0.map(|l| format!(" (atteso {}) ", l.0.label()))}
                    <Luce semaforo=luce0.map(|l| l.1)/>
                </p>
                {(!valore.trim().is_empty()).then(|| view! { <p class="small mb-1">{format!("Valore rilevato: {valore}")}</p> })}
                {a.causa.map(|c| view! { <p class="small mb-1">{format!("Causa dello scostamento: {}{}", c.label(), if a.causa_testo.trim().is_empty() { String::new() } else { format!(" — {}", a.causa_testo) })}</p> })}
                {(!a.azione_correttiva.trim().is_empty()).then(|| view! { <p class="small mb-1">{format!("Azione correttiva: {}", a.azione_correttiva)}</p> })}
                {a.conclusa_il.map(|d| view! { <p class="small mb-1">{format!("Conclusa il {}", data_label(d))}</p> })}
                {(!a.nota.trim().is_empty()).then(|| view! { <p class="small mb-1">{format!("Nota: {}", a.nota)}</p> })}
                {a.proposta.map(|p| view! { <p class="small mb-1 proposta">{format!("Proposta di rimodulazione – {}: {}", p.label(), a.proposta_testo)}</p> })}
            </div>
        }
        .into_any();
    }
    let salva = ServerAction::<SalvaAvanzamento>::new();
    let version = RwSignal::new(a.version);
    Effect::new(move |_| {
        if let Some(Ok((v, l))) = salva.value().get() {
            version.set(v);
            luce_s.set(l);
        }
    });
    let k = format!(
        "{}-{}",
        r.obiettivo_id,
        r.fase_id.map(|f| f.to_string()).unwrap_or_default()
    );
    let id = move |c: &str| format!("{c}-{k}");
    view! {
        <ActionForm action=salva attr:class=if fase { "ms-4 border-start ps-3 mb-3 riga-monitorata" } else { "mb-3 riga-monitorata" }>
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="anno" value=anno/>
            <input type="hidden" name="monitoraggio_id" value=mid.to_string()/>
            <input type="hidden" name="obiettivo_id" value=r.obiettivo_id.to_string()/>
            <input type="hidden" name="fase_id" value=r.fase_id.map(|f| f.to_string()).unwrap_or_default()/>
            <input type="hidden" name="version" value=move || version.get().to_string()/>
            <p class="mb-2"><strong>{titolo}</strong>{format!(" — fine {scadenza} ")}
                {move || luce_s.get().map(|l| format!("(atteso {}) ", l.0.label()))}
                {move || view! { <Luce semaforo=luce_s.get().map(|l| l.1)/> }}
            </p>
            <div class="row g-2">
                <div class="col-md-2">
                    <label class="form-label" for=id("perc")>"Avanzamento %"</label>
                    <input class="form-control campo-percentuale" id=id("perc") name="percentuale" type="text" inputmode="decimal" value=a.percentuale.map(|p| p.numero()).unwrap_or_default()/>
                </div>
                <div class="col-md-4">
                    <label class="form-label" for=id("val")>"Valore rilevato dell'indicatore"</label>
                    <input class="form-control" id=id("val") name="valore_effettivo" type="text" maxlength="2000" value=a.valore_effettivo.clone()/>
                </div>
                <div class="col-md-3">
                    <label class="form-label" for=id("vdata")>"Data del valore"</label>
                    <input class="form-control" id=id("vdata") name="valore_data" type="date" value=a.valore_data.map(iso).unwrap_or_default()/>
                </div>
                <div class="col-md-3">
                    <label class="form-label" for=id("fonte")>"Fonte"</label>
                    <input class="form-control" id=id("fonte") name="valore_fonte" type="text" maxlength="500" value=a.valore_fonte.clone()/>
                </div>
                <div class="col-md-3">
                    <label class="form-label" for=id("concl")>"Conclusa il"</label>
                    <input class="form-control" id=id("concl") name="conclusa_il" type="date" value=a.conclusa_il.map(iso).unwrap_or_default()/>
                </div>
                <div class="col-md-4">
                    <label class="form-label" for=id("causa")>"Causa dello scostamento"</label>
                    <select class="form-select campo-causa" id=id("causa") name="causa">
                        <option value="" selected=a.causa.is_none()>"Nessuno scostamento"</option>
                        {Causa::TUTTE.into_iter().map(|c| view! { <option value=c.codice() selected=a.causa == Some(c)>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="col-md-8">
                    <label class="form-label" for=id("ctesto")>"Descrizione della causa"</label>
                    <input class="form-control" id=id("ctesto") name="causa_testo" type="text" maxlength="2000" value=a.causa_testo.clone()/>
                </div>
                <div class="col-md-6">
                    <label class="form-label" for=id("azione")>"Azione correttiva"</label>
                    <textarea class="form-control" id=id("azione") name="azione_correttiva" rows="2" maxlength="5000">{a.azione_correttiva.clone()}</textarea>
                </div>
                <div class="col-md-6">
                    <label class="form-label" for=id("nota")>"Nota"</label>
                    <textarea class="form-control" id=id("nota") name="nota" rows="2" maxlength="5000">{a.nota.clone()}</textarea>
                </div>
                {(!fase).then(|| view! {
                    <div class="col-md-4">
                        <label class="form-label" for=id("proposta")>"Proposta di rimodulazione"</label>
                        <select class="form-select campo-proposta" id=id("proposta") name="proposta">
                            <option value="" selected=a.proposta.is_none()>"Nessuna proposta"</option>
                            {Proposta::TUTTE.into_iter().map(|p| view! { <option value=p.codice() selected=a.proposta == Some(p)>{p.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="col-md-8">
                        <label class="form-label" for=id("ptesto")>"Proposta e motivo"</label>
                        <textarea class="form-control" id=id("ptesto") name="proposta_testo" rows="2" maxlength="5000">{a.proposta_testo.clone()}</textarea>
                    </div>
                })}
            </div>
            <button type="submit" class="btn btn-outline-primary btn-sm mt-2">"Salva"</button>
            {esito(salva.pending().into(), salva.value().into(), "Salvato.")}
        </ActionForm>
    }
    .into_any()
}

/// Upload of an evidence file (the browser refuses a file over 10 MB before sending it).
#[component]
fn CaricaEvidenza(
    v: StoredValue<MonitoraggioView>,
    obiettivo: Uuid,
    slug: String,
    evidenze: RwSignal<Vec<crate::model::EvidenzaView>>,
) -> impl IntoView {
    let (anno, mid) = v.with_value(|x| (x.anno, x.id));
    let file = NodeRef::<leptos::html::Input>::new();
    let c = crate::components::Caricamento::new();
    let (esito, in_corso) = (c.esito, c.in_corso);
    let campo = format!("evidenza-{obiettivo}");
    let invia = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(input) = file.get() {
            c.invia(
                &[
                    ("slug", &slug),
                    ("anno", &anno.to_string()),
                    ("monitoraggio_id", &mid.to_string()),
                    ("obiettivo_id", &obiettivo.to_string()),
                ],
                &input,
                "Scegli il file da allegare.",
                |dati| carica_evidenza(dati.into()),
                move |e| {
                    let m = format!("Evidenza allegata: {}", e.nome_file);
                    evidenze.update(|l| l.push(e));
                    m
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, &slug, anno, mid, obiettivo, evidenze, c);
    };
    view! {
        <form class="d-flex flex-wrap gap-2 align-items-end carica-evidenza" on:submit=invia>
            <div>
                <label for=campo.clone() class="form-label">"Allega un'evidenza (PDF, immagine o documento d'ufficio, al massimo 10 MB)"</label>
                <input id=campo type="file" class="form-control" node_ref=file/>
            </div>
            <button type="submit" class="btn btn-outline-primary btn-sm" disabled=move || in_corso.get()>"Allega"</button>
        </form>
        <div aria-live="polite">
            {move || in_corso.get().then(|| view! { <p role="status" class="small">"Caricamento del file…"</p> })}
            {move || esito.get().map(|e| match e {
                Ok(m) => view! { <p class="small text-success" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <div class="alert alert-danger" role="alert">{m}</div> }.into_any(),
            })}
        </div>
    }
}

/// The Nucleo closes the checkpoint, signing the Referto with their own certificate.
#[component]
fn Chiusura(
    v: StoredValue<MonitoraggioView>,
    slug: String,
    ricarica: RwSignal<u32>,
) -> impl IntoView {
    let (anno, mid) = v.with_value(|x| (x.anno, x.id));
    let file = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let c = crate::components::Caricamento::new();
    let invia = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let (Some(input), Some(pw)) = (file.get(), password.get()) {
            c.invia(
                &[
                    ("slug", &slug),
                    ("anno", &anno.to_string()),
                    ("monitoraggio_id", &mid.to_string()),
                    ("password", &pw.value()),
                ],
                &input,
                "Scegli il file del tuo certificato di firma (.p12 o .pfx).",
                |dati| chiudi_monitoraggio(dati.into()),
                move |()| {
                    ricarica.update(|n| *n += 1);
                    "Monitoraggio chiuso: il referto è firmato e archiviato.".to_string()
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, password, &slug, anno, mid, ricarica, c);
    };
    view! {
        <section class="mt-5" aria-labelledby="chiusura-titolo">
            <h2 class="h4" id="chiusura-titolo">"Chiudi il monitoraggio e firma il referto"</h2>
            <p>"Quando tutte le strutture hanno inviato la rilevazione, il Nucleo chiude il monitoraggio: il referto (PDF/A) riporta per ogni struttura l'avanzamento atteso ed effettivo, il semaforo, le cause, le azioni correttive e le osservazioni del Nucleo, ed è firmato digitalmente (PAdES) con il tuo certificato. Il certificato serve solo per questa firma e non viene conservato."</p>
            <crate::components::ModuloFirma id="chiudi-monitoraggio" bottone="Chiudi e firma il referto"
                in_corso="Preparazione e firma del referto…" file password c invia/>
        </section>
    }
}
