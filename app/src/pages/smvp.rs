//! `/e/{slug}/smvp`: the ente's SMVP profile (its versions; a new one saved by ente admins
//! and consultants; the firm's newest version adopted field by field). `/studio/smvp`: the
//! firm's own profile, the template its enti adopt, and which version each ente took.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::monitoraggio::esito;
use super::slug_param;
use crate::api::smvp::*;
use crate::components::{Aggiorna, ErrorView, Tabella};
use crate::domain::plan::giorno_label;
use crate::domain::smvp::{numero, Campo, Media, Metodo, Profilo};
use crate::model::VersioneProfilo;

/// The fields of a profile's form, filled in with `p`.
#[component]
fn CampiProfilo(p: Profilo) -> impl IntoView {
    let testo = |id: &'static str,
                 nome: &'static str,
                 campo: Campo,
                 valore: f64,
                 aiuto: &'static str| {
        view! {
            <div class="col-md-4">
                <label class="form-label" for=id>{campo.label()}</label>
                <input class="form-control" id=id name=nome type="text" inputmode="decimal" value=numero(valore) aria-describedby=format!("{id}-aiuto")/>
                <small class="form-text" id=format!("{id}-aiuto")>{aiuto}</small>
            </div>
        }
    };
    view! {
        <div class="row g-3">
            <div class="col-md-4">
                <label class="form-label" for="p-metodo">{Campo::Metodo.label()}</label>
                <select class="form-select" id="p-metodo" name="metodo">
                    {Metodo::TUTTI.into_iter().map(|m| view! { <option value=m.codice() selected=m == p.metodo>{m.label()}</option> }).collect_view()}
                </select>
            </div>
            {testo("p-alfa", "alfa", Campo::Alfa, p.alfa, "In %: 50 vuol dire metà fasi e metà indicatori.")}
            {testo("p-penalita", "penalita", Campo::Penalita, p.penalita, "0: nessuna penalità. Ogni 30 giorni di ritardo (o frazione) di una fase.")}
            {testo("p-soglia", "soglia", Campo::Soglia, p.soglia, "In % del valore atteso: sotto, l'indicatore vale 0.")}
            {testo("p-tetto", "tetto", Campo::Tetto, p.tetto, "In %: oltre il 100% l'indicatore si mostra fino a qui ma conta 100.")}
            <div class="col-md-4">
                <label class="form-label" for="p-media">{Campo::Media.label()}</label>
                <select class="form-select" id="p-media" name="media">
                    {[Media::Uguale, Media::Fte].into_iter().map(|m| view! { <option value=m.codice() selected=m == p.media>{m.label()}</option> }).collect_view()}
                </select>
            </div>
            {testo("p-raggiunto", "raggiunto", Campo::Raggiunto, p.raggiunto, "In %: da qui l'obiettivo è nella prima fascia.")}
            {testo("p-parziale", "parziale", Campo::Parziale, p.parziale, "In %: da qui nella seconda fascia; sotto, nella terza.")}
            {[("p-e1", "etichetta_1", "Etichetta della prima fascia"), ("p-e2", "etichetta_2", "Etichetta della seconda fascia"), ("p-e3", "etichetta_3", "Etichetta della terza fascia")]
                .into_iter()
                .zip(p.etichette.clone())
                .map(|((id, nome, label), v)| view! {
                    <div class="col-md-4">
                        <label class="form-label" for=id>{label}</label>
                        <input class="form-control" id=id name=nome type="text" maxlength="60" required value=v/>
                    </div>
                })
                .collect_view()}
            <fieldset class="col-12 mt-3">
                <legend class="h5">"Schede di valutazione individuale (pesi delle sezioni in %, somma 100)"</legend>
                <div class="row g-3">
                    {[("p-eq-r", "eq_risultati", "EQ: risultati della struttura", p.scheda_eq.risultati),
                      ("p-eq-o", "eq_obiettivi", "EQ: obiettivi individuali", p.scheda_eq.obiettivi),
                      ("p-eq-c", "eq_comportamenti", "EQ: comportamenti e competenze", p.scheda_eq.comportamenti),
                      ("p-eq-d", "eq_differenziazione", "EQ: differenziazione dei giudizi", p.scheda_eq.differenziazione),
                      ("p-pe-r", "pe_risultati", "Personale: risultati della struttura", p.scheda_personale.risultati),
                      ("p-pe-o", "pe_obiettivi", "Personale: obiettivi assegnati", p.scheda_personale.obiettivi),
                      ("p-pe-c", "pe_comportamenti", "Personale: comportamenti", p.scheda_personale.comportamenti)]
                        .into_iter()
                        .map(|(id, nome, label, v)| view! {
                            <div class="col-md-3">
                                <label class="form-label" for=id>{label}</label>
                                <input class="form-control" id=id name=nome type="text" inputmode="decimal" value=numero(v)/>
                            </div>
                        })
                        .collect_view()}
                    <div class="col-12">
                        <label class="form-label" for="p-comportamenti">"Dizionario dei comportamenti (uno per riga, votati da 1 a 5)"</label>
                        <textarea class="form-control" id="p-comportamenti" name="comportamenti" rows="5">{p.comportamenti.join("\n")}</textarea>
                    </div>
                </div>
            </fieldset>
            <div class="col-12">
                <label class="form-label" for="p-nota">"Nota sulla nuova versione"</label>
                <input class="form-control" id="p-nota" name="nota" type="text" maxlength="2000"/>
            </div>
        </div>
    }
}

/// A profile's values, one row per parameter.
#[component]
fn ValoriProfilo(p: Profilo, id: &'static str) -> impl IntoView {
    view! {
        <Tabella id didascalia="Parametri del profilo" colonne=&["Parametro", "Valore"] compatta=true>
            {Campo::TUTTI.into_iter().map(|c| view! { <tr><td>{c.label()}</td><td>{p.valore(c)}</td></tr> }).collect_view()}
        </Tabella>
    }
}

/// The versions of a profile, newest first.
#[component]
fn Versioni(versioni: Vec<VersioneProfilo>) -> impl IntoView {
    view! {
        <Tabella id="versioni-profilo" didascalia="Versioni del profilo" colonne=&["Versione", "Data", "Autore", "Nota"] compatta=true>
            {versioni.into_iter().map(|v| view! {
                <tr>
                    <td>{v.numero}</td>
                    <td>{giorno_label(v.creato_il)}</td>
                    <td>{v.autore}</td>
                    <td>{v.nota}</td>
                </tr>
            }).collect_view()}
        </Tabella>
    }
}

#[component]
pub fn SmvpEntePage() -> impl IntoView {
    let slug = slug_param();
    let salva = ServerAction::<SalvaProfiloEnte>::new();
    let adotta = ServerAction::<AdottaProfiloStudio>::new();
    let aggiorna = Aggiorna::new();
    aggiorna.dopo(salva.value().into());
    aggiorna.dopo(adotta.value().into());
    let dati = Resource::new(
        move || (slug.get(), aggiorna.get()),
        |(s, _)| profilo_ente(s),
    );
    view! {
        <Title text="Profilo SMVP — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(d) => {
                        let s = slug.get_untracked();
                        let attuale = d.versioni.first().cloned();
                        let base = attuale.as_ref().map(|v| v.numero).unwrap_or(0);
                        let profilo = attuale.as_ref().map(|v| v.profilo.clone()).unwrap_or_default();
                        view! {
                            <nav class="breadcrumb-container" aria-label="Percorso">
                                <ol class="breadcrumb">
                                    <li class="breadcrumb-item"><a href=format!("/e/{s}")>{d.ente_nome.clone()}</a><span class="separator" aria-hidden="true">"/"</span></li>
                                    <li class="breadcrumb-item active" aria-current="page">"Profilo SMVP"</li>
                                </ol>
                            </nav>
                            <h1>"Sistema di Misurazione e Valutazione della Performance"</h1>
                            <p>"Il profilo dice come si misura a fine anno il raggiungimento degli obiettivi (D.Lgs 150/2009, art. 7). Ogni modifica è una nuova versione: i risultati di un anno restano calcolati con la versione con cui è stato chiuso."</p>
                            <h2 class="h4">{match &attuale { Some(v) => format!("Versione in uso: {}", v.numero), None => "Valori predefiniti (nessuna versione salvata)".into() }}</h2>
                            <ValoriProfilo p=profilo.clone() id="profilo-attuale"/>
                            {d.studio.clone().map(|o| {
                                let s1 = s.clone();
                                let profilo = profilo.clone();
                                let puo = d.puo_modificare;
                                view! {
                                    <section class="card card-body shadow-sm my-4" id="offerta-studio" aria-labelledby="titolo-offerta">
                                        <h2 class="h5" id="titolo-offerta">{format!("Profilo dello studio {} — versione {}", o.studio, o.versione.numero)}</h2>
                                        {if o.differenze.is_empty() {
                                            view! { <p class="mb-0">"Il profilo dell'ente coincide con quello dello studio."</p> }.into_any()
                                        } else if puo {
                                            view! {
                                                <p>"Scegli i parametri da adottare: gli altri restano quelli dell'ente."</p>
                                                <ActionForm action=adotta attr:id="adotta-studio">
                                                    <input type="hidden" name="slug" value=s1/>
                                                    <input type="hidden" name="base" value=base/>
                                                    <input type="hidden" name="studio_numero" value=o.versione.numero/>
                                                    <Tabella id="differenze-studio" didascalia="Parametri diversi da quelli dello studio" colonne=&["Adotta", "Parametro", "Ente", "Studio"] compatta=true>
                                                        {o.differenze.iter().map(|c| {
                                                            let cid = format!("adotta-{}", c.codice());
                                                            view! {
                                                                <tr>
                                                                    <td><input class="form-check-input" type="checkbox" id=cid.clone() name=format!("campo_{}", c.codice()) checked=true/></td>
                                                                    <td><label for=cid>{c.label()}</label></td>
                                                                    <td>{profilo.valore(*c)}</td>
                                                                    <td>{o.versione.profilo.valore(*c)}</td>
                                                                </tr>
                                                            }
                                                        }).collect_view()}
                                                    </Tabella>
                                                    <button type="submit" class="btn btn-primary">"Adotta i parametri scelti"</button>
                                                </ActionForm>
                                            }.into_any()
                                        } else {
                                            view! { <p class="mb-0">{format!("{} parametri diversi da quelli dell'ente.", o.differenze.len())}</p> }.into_any()
                                        }}
                                    </section>
                                }
                            })}
                            // Outside the offer: after adopting, the offer has nothing left to show.
                            {esito(adotta.pending().into(), adotta.value().into(), "Profilo dello studio adottato: nuova versione salvata.")}
                            {d.puo_modificare.then(|| view! {
                                <h2 class="h4 mt-4">"Nuova versione del profilo"</h2>
                                <ActionForm action=salva attr:id="salva-profilo" attr:class="card card-body shadow-sm">
                                    <input type="hidden" name="slug" value=s.clone()/>
                                    <input type="hidden" name="base" value=base/>
                                    <CampiProfilo p=profilo.clone()/>
                                    <div class="mt-3"><button type="submit" class="btn btn-primary">"Salva una nuova versione"</button></div>
                                </ActionForm>
                                {esito(salva.pending().into(), salva.value().into(), "Nuova versione del profilo salvata.")}
                            })}
                            {(!d.versioni.is_empty()).then(|| view! {
                                <h2 class="h4 mt-4">"Versioni"</h2>
                                <Versioni versioni=d.versioni.clone()/>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SmvpStudioPage() -> impl IntoView {
    let salva = ServerAction::<SalvaProfiloStudio>::new();
    let aggiorna = Aggiorna::new();
    aggiorna.dopo(salva.value().into());
    let dati = Resource::new(move || aggiorna.get(), |_| profilo_studio());
    view! {
        <Title text="Profilo SMVP dello studio — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(d) => {
                        let attuale = d.versioni.first().cloned();
                        let base = attuale.as_ref().map(|v| v.numero).unwrap_or(0);
                        let profilo = attuale.as_ref().map(|v| v.profilo.clone()).unwrap_or_default();
                        view! {
                            <nav class="breadcrumb-container" aria-label="Percorso">
                                <ol class="breadcrumb">
                                    <li class="breadcrumb-item"><a href="/studio">"Studio"</a><span class="separator" aria-hidden="true">"/"</span></li>
                                    <li class="breadcrumb-item active" aria-current="page">"Profilo SMVP"</li>
                                </ol>
                            </nav>
                            <h1>"Profilo SMVP dello studio"</h1>
                            <p>"Il profilo che lo studio propone ai suoi enti: ogni ente lo adotta, tutto o in parte, dalla pagina del proprio profilo. Ogni modifica è una nuova versione, offerta agli enti."</p>
                            <h2 class="h4">{match &attuale { Some(v) => format!("Versione attuale: {}", v.numero), None => "Nessuna versione salvata: i valori sotto sono quelli predefiniti".into() }}</h2>
                            <h2 class="h4 mt-4">"Nuova versione"</h2>
                            <ActionForm action=salva attr:id="salva-profilo-studio" attr:class="card card-body shadow-sm">
                                <input type="hidden" name="base" value=base/>
                                <CampiProfilo p=profilo/>
                                <div class="mt-3"><button type="submit" class="btn btn-primary">"Salva una nuova versione"</button></div>
                            </ActionForm>
                            {esito(salva.pending().into(), salva.value().into(), "Nuova versione del profilo dello studio salvata.")}
                            <h2 class="h4 mt-4">"Gli enti dello studio"</h2>
                            <Tabella id="enti-profilo" didascalia="Versione del profilo dello studio adottata da ogni ente" colonne=&["Ente", "Versione dello studio adottata"] compatta=true>
                                {d.enti.iter().map(|(nome, slug, da)| view! {
                                    <tr>
                                        <td><a href=format!("/e/{slug}/smvp")>{nome.clone()}</a></td>
                                        <td>{match da { Some(n) if Some(*n) == attuale.as_ref().map(|v| v.numero) => format!("{n} (la più recente)"), Some(n) => format!("{n} (ce n'è una più recente)"), None => "Nessuna: profilo proprio".into() }}</td>
                                    </tr>
                                }).collect_view()}
                            </Tabella>
                            {(!d.versioni.is_empty()).then(|| view! {
                                <h2 class="h4 mt-4">"Versioni"</h2>
                                <Versioni versioni=d.versioni.clone()/>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
