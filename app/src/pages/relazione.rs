//! `/e/{slug}/piani/{anno}/relazione`: the Relazione sulla Performance. Its editable
//! chapters and its adoption (ente admins, consultants); its PDF, ODT and the publication
//! bundle; the Nucleo's validation: the sample of objectives to examine on their evidence,
//! the checklist and outcome, the signature of each member.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::monitoraggio::esito;
use super::{anno_param, slug_param};
use crate::api::relazione::*;
use crate::components::{Aggiorna, ErrorView, Salvato};
use crate::domain::plan::{data_label, giorno_label};
use crate::model::{esito_label, RelazioneView, ValidazioneView};

#[component]
pub fn RelazionePage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let aggiorna = Aggiorna::new();
    provide_context(aggiorna);
    let dati = Resource::new(
        move || (slug.get(), anno.get(), aggiorna.get()),
        |(s, a, _)| relazione(s, a),
    );
    view! {
        <Title text="Relazione sulla Performance — Obiettivi"/>
        <Salvato/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(r) => view! { <Relazione r slug=slug.get_untracked()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Relazione(r: RelazioneView, slug: String) -> impl IntoView {
    let base = format!("/e/{slug}/piani/{}", r.anno);
    let stato = match (r.stato.as_str(), &r.delibera_numero, r.delibera_data) {
        ("bozza", ..) => "Bozza".to_string(),
        (s, Some(n), Some(d)) => format!(
            "{}on delibera di Giunta n. {n} del {}",
            if s == "validata" {
                "Validata dal Nucleo; adottata c"
            } else {
                "Adottata c"
            },
            data_label(d)
        ),
        _ => r.stato.clone(),
    };
    let bozza = r.stato == "bozza";
    let validazione_firmata = r
        .validazione
        .as_ref()
        .is_some_and(|v| !v.firmatari.is_empty());
    view! {
        <nav class="breadcrumb-container" aria-label="Percorso">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href=format!("/e/{slug}")>{r.ente_nome.clone()}</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=base.clone()>{format!("Piano {}", r.anno)}</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">"Relazione sulla Performance"</li>
            </ol>
        </nav>
        <h1>{format!("Relazione sulla Performance {}", r.anno)}</h1>
        <p>"La Relazione illustra i risultati dell'anno (D.Lgs 150/2009, art. 10): la adotta la Giunta entro il 30 giugno dell'anno successivo, la valida il Nucleo di Valutazione, poi si pubblica in Amministrazione Trasparente. I capitoli sui risultati, sulle modifiche e sul processo si compongono dai dati; il contesto e le pari opportunità si scrivono qui."</p>
        <p><span class="badge bg-primary" id="stato-relazione">{stato}</span></p>
        {(!r.avviata).then(|| view! {
            <div class="alert alert-info" role="status">
                "Avvia prima la chiusura dell'anno: i risultati vengono da lì. "
                <a href=format!("{base}/chiusura")>"Chiusura dell'anno"</a>
            </div>
        })}
        <ul class="list-inline" id="scarica-relazione">
            <li class="list-inline-item"><a href=format!("{base}/relazione.pdf") download>{if bozza { "Scarica la bozza (PDF)" } else { "Scarica la Relazione adottata (PDF/A)" }}</a></li>
            <li class="list-inline-item"><a href=format!("{base}/relazione.odt") download>"Scarica il testo modificabile (ODT)"</a></li>
            {(!bozza).then(|| view! {
                <li class="list-inline-item"><a id="scarica-pubblicazione" href=format!("{base}/pubblicazione.zip") download>"Pacchetto per Amministrazione Trasparente (ZIP)"</a></li>
            })}
            {validazione_firmata.then(|| view! {
                <li class="list-inline-item"><a href=format!("{base}/validazione.pdf") download>"Documento di validazione (PDF firmato)"</a></li>
            })}
        </ul>
        {(bozza && r.puo_modificare).then(|| view! { <Testi r=r.clone() slug=slug.clone()/> <Adozione r=r.clone() slug=slug.clone()/> })}
        {(!bozza).then(|| view! { <Validazione r=r.clone() slug=slug.clone()/> })}
    }
}

/// The editable chapters.
#[component]
fn Testi(r: RelazioneView, slug: String) -> impl IntoView {
    let salva = ServerAction::<SalvaRelazione>::new();
    expect_context::<Aggiorna>().dopo_e_di(salva.value().into(), "Capitoli salvati.");
    view! {
        <section aria-labelledby="titolo-testi" class="mb-4">
            <h2 class="h4" id="titolo-testi">"I capitoli da scrivere"</h2>
            <ActionForm action=salva attr:id="testi-relazione">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="anno" value=r.anno/>
                <input type="hidden" name="version" value=r.version/>
                <div class="mb-3">
                    <label class="form-label" for="rel-contesto">"1. Il contesto"</label>
                    <textarea class="form-control" id="rel-contesto" name="contesto" rows="6" maxlength="100000">{r.contesto.clone()}</textarea>
                </div>
                <div class="mb-3">
                    <label class="form-label" for="rel-pari">"6. Pari opportunità e bilancio di genere"</label>
                    <textarea class="form-control" id="rel-pari" name="pari_opportunita" rows="4" maxlength="100000">{r.pari_opportunita.clone()}</textarea>
                </div>
                <button type="submit" class="btn btn-primary">"Salva i capitoli"</button>
            </ActionForm>
            {esito(salva.pending().into(), salva.value().into(), "")}
        </section>
    }
}

/// The Giunta's adoption.
#[component]
fn Adozione(r: RelazioneView, slug: String) -> impl IntoView {
    let adotta = ServerAction::<AdottaRelazione>::new();
    expect_context::<Aggiorna>().dopo_e_di(adotta.value().into(), "Relazione adottata.");
    view! {
        <section aria-labelledby="titolo-adozione" class="card card-body shadow-sm mb-4">
            <h2 class="h4" id="titolo-adozione">"Adozione da parte della Giunta"</h2>
            {if r.risultati_completi {
                view! { <p>"All'adozione la Relazione si compone con i risultati di oggi e si conserva così come è (PDF/A): non si modifica più."</p> }.into_any()
            } else {
                view! { <p class="text-secondary" id="risultati-incompleti">"Mancano dei risultati: la Relazione si adotta quando ogni obiettivo ha il suo punteggio nella chiusura dell'anno."</p> }.into_any()
            }}
            <ActionForm action=adotta attr:id="adotta-relazione" attr:class="row g-3 align-items-end">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="anno" value=r.anno/>
                <input type="hidden" name="version" value=r.version/>
                <div class="col-md-3">
                    <label class="form-label" for="rel-numero">"Delibera di Giunta n."</label>
                    <input class="form-control" id="rel-numero" name="delibera_numero" type="text" maxlength="50" required/>
                </div>
                <div class="col-md-3">
                    <label class="form-label" for="rel-data">"Data della delibera"</label>
                    <input class="form-control" id="rel-data" name="delibera_data" type="date" required/>
                </div>
                <div class="col-md-4"><button type="submit" class="btn btn-primary">"Adotta la Relazione"</button></div>
            </ActionForm>
            {esito(adotta.pending().into(), adotta.value().into(), "")}
        </section>
    }
}

/// The Nucleo's validation.
#[component]
fn Validazione(r: RelazioneView, slug: String) -> impl IntoView {
    let avvia = ServerAction::<AvviaValidazione>::new();
    expect_context::<Aggiorna>().dopo_e_di(avvia.value().into(), "Validazione avviata.");
    view! {
        <section aria-labelledby="titolo-validazione" class="mb-4" id="validazione">
            <h2 class="h4" id="titolo-validazione">"Validazione del Nucleo di Valutazione"</h2>
            {match r.validazione.clone() {
                None if r.nucleo => view! {
                    <p>"Il Nucleo verifica la Relazione su un campione di almeno il 10% degli obiettivi, estratto a caso, di cui esamina le evidenze; poi registra le verifiche e l'esito e firma il documento di validazione."</p>
                    <ActionForm action=avvia attr:id="avvia-validazione" attr:class="row g-3 align-items-end">
                        <input type="hidden" name="slug" value=slug.clone()/>
                        <input type="hidden" name="anno" value=r.anno/>
                        <div class="col-md-4">
                            <label class="form-label" for="val-componenti">"Composizione del Nucleo"</label>
                            <select class="form-select" id="val-componenti" name="componenti">
                                <option value="1">"Componente unico"</option>
                                <option value="3">"Collegio di tre componenti"</option>
                            </select>
                        </div>
                        <div class="col-md-4"><button type="submit" class="btn btn-primary">"Avvia la validazione"</button></div>
                    </ActionForm>
                    {esito(avvia.pending().into(), avvia.value().into(), "")}
                }.into_any(),
                None => view! { <p>"La validazione del Nucleo non è ancora iniziata."</p> }.into_any(),
                Some(v) => view! { <Verifiche v r=r.clone() slug=slug.clone()/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Verifiche(v: ValidazioneView, r: RelazioneView, slug: String) -> impl IntoView {
    let esamina = ServerAction::<EsaminaCampione>::new();
    let salva = ServerAction::<EsitoValidazione>::new();
    let aggiorna = expect_context::<Aggiorna>();
    aggiorna.dopo_e_di(esamina.value().into(), "Esame registrato.");
    aggiorna.dopo_e_di(salva.value().into(), "Verifiche ed esito salvati.");
    let base = format!("/e/{slug}/piani/{}", r.anno);
    let modificabile = r.nucleo && v.firmatari.is_empty();
    let si_no = |b: bool| if b { "Sì" } else { "No" };
    view! {
        <h3 class="h5">{format!("Campione da esaminare ({} obiettivi)", v.campione.len())}</h3>
        <ul class="list-group mb-3" id="campione">
            {v.campione.iter().cloned().map(|c| {
                let s = slug.clone();
                view! {
                    <li class="list-group-item campione">
                        <p class="mb-1"><strong>{c.dove.clone()}</strong>{format!(" — {}", c.descrizione.trim())}</p>
                        {if c.evidenze.is_empty() {
                            view! { <p class="small mb-1">"Nessuna evidenza allegata ai monitoraggi."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="small mb-1">
                                    {c.evidenze.iter().map(|(mid, e)| view! {
                                        <li><a href=format!("{base}/monitoraggio/{mid}/evidenze/{}", e.id)>{e.nome_file.clone()}</a></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {match c.esaminato.clone() {
                            Some((chi, quando)) => view! { <p class="small text-success mb-0">{format!("Esaminato da {chi} il {}", giorno_label(quando))}</p> }.into_any(),
                            None if r.nucleo => view! {
                                <ActionForm action=esamina>
                                    <input type="hidden" name="slug" value=s/>
                                    <input type="hidden" name="anno" value=r.anno/>
                                    <input type="hidden" name="obiettivo_id" value=c.obiettivo_id.to_string()/>
                                    <button type="submit" class="btn btn-outline-primary btn-sm">"Segna come esaminato"</button>
                                </ActionForm>
                            }.into_any(),
                            None => view! { <p class="small mb-0">"Non ancora esaminato."</p> }.into_any(),
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
        {esito(esamina.pending().into(), esamina.value().into(), "")}
        <h3 class="h5">"Verifiche ed esito"</h3>
        {if modificabile {
            let e = v.esito.clone().unwrap_or_default();
            let slug = slug.clone();
            view! {
                <ActionForm action=salva attr:id="esito-validazione" attr:class="card card-body shadow-sm mb-3">
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <input type="hidden" name="anno" value=r.anno/>
                    <input type="hidden" name="version" value=v.version/>
                    {[
                        ("conformita", "Conformità alle norme e al SMVP", v.conformita),
                        ("attendibilita", "Attendibilità dei dati", v.attendibilita),
                        ("comprensibilita", "Comprensibilità per i cittadini", v.comprensibilita),
                        ("modifiche_motivate", "Modifiche dell'anno motivate", v.modifiche_motivate),
                    ].into_iter().map(|(nome, label, c)| {
                        let id = format!("val-{nome}");
                        view! {
                            <div class="form-check">
                                <input class="form-check-input" type="checkbox" id=id.clone() name=nome checked=c/>
                                <label class="form-check-label" for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                    <div class="row g-3 mt-1">
                        <div class="col-md-4">
                            <label class="form-label" for="val-esito">"Esito"</label>
                            <select class="form-select" id="val-esito" name="esito">
                                {["validata", "validata_osservazioni", "non_validata"].into_iter().map(|x| view! { <option value=x selected=e == x>{esito_label(x)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="col-md-8">
                            <label class="form-label" for="val-testo">"Osservazioni"</label>
                            <textarea class="form-control" id="val-testo" name="testo" rows="3" maxlength="20000">{v.testo.clone()}</textarea>
                        </div>
                    </div>
                    <div class="mt-3"><button type="submit" class="btn btn-primary">"Salva le verifiche e l'esito"</button></div>
                </ActionForm>
                {esito(salva.pending().into(), salva.value().into(), "")}
            }.into_any()
        } else {
            view! {
                <ul id="verifiche">
                    <li>{format!("Conformità alle norme e al SMVP: {}", si_no(v.conformita))}</li>
                    <li>{format!("Attendibilità dei dati: {}", si_no(v.attendibilita))}</li>
                    <li>{format!("Comprensibilità per i cittadini: {}", si_no(v.comprensibilita))}</li>
                    <li>{format!("Modifiche dell'anno motivate: {}", si_no(v.modifiche_motivate))}</li>
                    <li>{format!("Esito: {}", esito_label(v.esito.as_deref().unwrap_or("")))}</li>
                </ul>
                {(!v.testo.trim().is_empty()).then(|| view! { <p>{v.testo.clone()}</p> })}
            }.into_any()
        }}
        <p id="firme-validazione">{format!(
            "Firme: {} di {}{}",
            v.firmatari.len(),
            v.componenti,
            if v.firmatari.is_empty() { String::new() } else { format!(" ({})", v.firmatari.join(", ")) }
        )}</p>
        {v.completata_il.map(|c| view! { <div class="alert alert-success" role="status" id="validazione-completa">{format!("Validazione completata il {}.", giorno_label(c))}</div> })}
        {(r.nucleo && !v.firmata_da_me && v.completata_il.is_none()).then(|| view! { <Firma slug=slug.clone() anno=r.anno version=v.version/> })}
    }
}

/// A member of the Nucleo signs the validation document with their own certificate.
#[component]
fn Firma(slug: String, anno: i32, version: i32) -> impl IntoView {
    let aggiorna = expect_context::<Aggiorna>();
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
                    ("version", &version.to_string()),
                    ("password", &pw.value()),
                ],
                &input,
                "Scegli il file del tuo certificato di firma (.p12 o .pfx).",
                |dati| firma_validazione(dati.into()),
                move |completa| {
                    let m = if completa {
                        "Documento di validazione firmato: la validazione è completa."
                    } else {
                        "Documento di validazione firmato: mancano le firme degli altri componenti."
                    };
                    aggiorna.segnala(m.to_string());
                    m.to_string()
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, password, &slug, anno, version, aggiorna, c);
    };
    view! {
        <h3 class="h5 mt-4">"Firma il documento di validazione"</h3>
        <p>"Il documento (PDF/A) riporta le verifiche, il campione esaminato e l'esito, ed è firmato digitalmente (PAdES) con il tuo certificato, che serve solo per questa firma e non viene conservato."</p>
        <crate::components::ModuloFirma id="firma-validazione" bottone="Firma la validazione"
            in_corso="Preparazione e firma del documento…" file password c invia/>
    }
}
