//! `/e/{slug}/piani/{anno}/premi`: the distribution of the year's premi. The parameters'
//! form is a GET form: each change shows the distribution it gives (the simulation is the
//! page's address, nothing is saved); «Salva» keeps the parameters shown, «Rendi
//! definitiva» fixes the distribution once every scheda is final. Then the payroll CSV,
//! the art. 20 tables and the draft determina are downloaded. The Nucleo sees the art. 20
//! aggregates only.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::monitoraggio::esito;
use super::{anno_param, slug_param};
use crate::api::premi::*;
use crate::components::{Aggiorna, ErrorView, Salvato};
use crate::domain::premi::{
    euro, Ccnl, Curva, ModuloPremi, PartTime, Presenza, Ripartizione, SANZIONI,
};
use crate::domain::smvp::{numero, percento};
use crate::model::PremiView;

#[component]
pub fn PremiPage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let query = use_query_map();
    let simulati = Memo::new(move |_| {
        let q = query.read();
        ModuloPremi::da_coppie(|k| q.get(k))
    });
    let aggiorna = Aggiorna::new();
    provide_context(aggiorna);
    let salva = ServerAction::<SalvaParametri>::new();
    let definitiva = ServerAction::<RendiDefinitiva>::new();
    aggiorna.dopo_e_di(salva.value().into(), "Parametri salvati.");
    aggiorna.dopo_e_di(definitiva.value().into(), "La ripartizione è definitiva.");
    let dati = Resource::new(
        move || (slug.get(), anno.get(), simulati.get(), aggiorna.get()),
        |(s, a, m, _)| premi(s, a, m),
    );
    view! {
        <Title text="Premi — Obiettivi"/>
        <Salvato/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match dati.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => view! { <Premi v salva definitiva/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Premi(
    v: PremiView,
    salva: ServerAction<SalvaParametri>,
    definitiva: ServerAction<RendiDefinitiva>,
) -> impl IntoView {
    let slug = slug_param();
    let s = slug.get_untracked();
    let base = format!("/e/{s}/piani/{}", v.anno);
    let m = ModuloPremi::da(&v.parametri);
    let (anno, version, simulazione) = (v.anno, v.version, v.simulazione);
    let errori = v.errori.clone();
    let corpo = if v.definitivo {
        view! {
            <div class="alert alert-success" role="status" id="premi-definitivi">"La ripartizione è definitiva: i parametri e gli importi non si modificano più."</div>
            <Riepilogo v=v.clone()/>
        }
        .into_any()
    } else if v.gestione {
        let senza_errori = errori.is_empty();
        view! {
            <Parametri m=m.clone()/>
            {simulazione.then(|| view! { <div class="alert alert-info" role="status" id="simulazione">"Simulazione: questi parametri non sono salvati."</div> })}
            {(!senza_errori).then(|| view! {
                <div class="alert alert-danger" role="alert" id="errori-parametri">
                    <ul class="mb-0">{errori.iter().map(|(_, e)| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="d-flex flex-wrap gap-3 mb-4">
                <ActionForm action=salva attr:id="salva-parametri">
                    <input type="hidden" name="slug" value=slug.get_untracked()/>
                    <input type="hidden" name="anno" value=anno/>
                    <input type="hidden" name="version" value=version/>
                    {m.coppie().into_iter().map(|(k, x)| view! { <input type="hidden" name=format!("modulo[{k}]") value=x/> }).collect_view()}
                    <button type="submit" class="btn btn-primary" disabled=!senza_errori>"Salva questi parametri"</button>
                </ActionForm>
                {(version > 0 && !simulazione).then(|| view! {
                    <ActionForm action=definitiva attr:id="rendi-definitiva">
                        <input type="hidden" name="slug" value=slug.get_untracked()/>
                        <input type="hidden" name="anno" value=anno/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" class="btn btn-outline-danger">"Rendi definitiva la ripartizione"</button>
                    </ActionForm>
                })}
            </div>
            {esito(salva.pending().into(), salva.value().into(), "")}
            {esito(definitiva.pending().into(), definitiva.value().into(), "")}
            <Riepilogo v=v.clone()/>
        }
        .into_any()
    } else {
        view! { <Riepilogo v=v.clone()/> }.into_any()
    };
    view! {
        {super::valutazioni::percorso(&s, &v.ente_nome, v.anno, vec![(Some(format!("{base}/valutazioni")), "Valutazioni individuali".into()), (None, "Premi".into())])}
        <h1>{format!("Premi {}", v.anno)}</h1>
        <p>{format!("Schede di valutazione: {} di cui {} definitive. {}", v.schede, v.definitive, v.ordine)}</p>
        {corpo}
    }
}

/// The parameters' GET form: changing a field shows its distribution (with the wasm, at
/// once; before it, with «Simula»).
#[component]
fn Parametri(m: ModuloPremi) -> impl IntoView {
    let invia = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("form").ok().flatten())
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        {
            let _ = form.request_submit();
        }
    };
    let testo = move |id: &'static str,
                      etichetta: &'static str,
                      valore: String,
                      aiuto: &'static str| {
        view! {
            <div class="col-md-4">
                <label class="form-label" for=id>{etichetta}</label>
                <input class="form-control" id=id name=id type="text" inputmode="decimal" value=valore on:change=invia aria-describedby=format!("{id}-aiuto")/>
                <small class="form-text" id=format!("{id}-aiuto")>{aiuto}</small>
            </div>
        }
    };
    view! {
        <section aria-labelledby="titolo-parametri" class="card card-body shadow-sm mb-3">
            <h2 class="h4" id="titolo-parametri">"Parametri del contratto integrativo"</h2>
            <Form method="GET" action="" attr:id="parametri-premi">
                <div class="row g-3">
                    <div class="col-md-4">
                        <label class="form-label" for="ccnl">"Contratto"</label>
                        <select class="form-select" id="ccnl" name="ccnl" on:change=invia>
                            {[Ccnl::Cfl2019_2021].into_iter().map(|c| view! { <option value=c.codice() selected=c.codice() == m.ccnl>{c.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    {testo("fondo_personale", "Fondo del personale (€)", m.fondo_personale.clone(), "Risorse per la performance individuale del comparto.")}
                    {testo("fondo_eq", "Fondo delle Elevate Qualificazioni (€)", m.fondo_eq.clone(), "Retribuzione di risultato: un fondo a parte.")}
                    {testo("soglia", "Soglia di accesso (punti)", m.soglia.clone(), "Sotto questo punteggio non si accede al premio.")}
                    <div class="col-md-4">
                        <label class="form-label" for="curva">"Curva"</label>
                        <select class="form-select" id="curva" name="curva" on:change=invia>
                            {[Curva::Fasce, Curva::Proporzionale].into_iter().map(|c| view! { <option value=c.codice() selected=c.codice() == m.curva>{c.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    {testo("piena", "Premio pieno da (punti)", m.piena.clone(), "Con la curva a fasce: da qui il coefficiente è 1.")}
                    {testo("maggiorazione", "Maggiorazione art. 81 (% del premio medio)", m.maggiorazione.clone(), "Almeno il 30%.")}
                    {testo("quota", "Quota di personale con la maggiorazione (%)", m.quota.clone(), "Dei valutati di ogni categoria, arrotondata per difetto.")}
                    <div class="col-md-4">
                        <label class="form-label" for="part_time">"Part-time"</label>
                        <select class="form-select" id="part_time" name="part_time" on:change=invia>
                            {[PartTime::ProRata, PartTime::Pieno, PartTime::Personalizzato].into_iter().map(|c| view! { <option value=c.codice() selected=c.codice() == m.part_time>{c.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    {testo("part_time_quota", "Quota del part-time personalizzata (%)", m.part_time_quota.clone(), "Solo con la regola personalizzata.")}
                    <div class="col-md-4">
                        <label class="form-label" for="presenza">"Presenza"</label>
                        <select class="form-select" id="presenza" name="presenza" on:change=invia>
                            {[Presenza::ProRata, Presenza::Nessuna].into_iter().map(|c| view! { <option value=c.codice() selected=c.codice() == m.presenza>{c.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="col-md-4">
                        <label class="form-label" for="sanzione_esclude">"Esclusione per sanzione da"</label>
                        <select class="form-select" id="sanzione_esclude" name="sanzione_esclude" on:change=invia>
                            {(1..=4u8).map(|i| view! { <option value=i.to_string() selected=i.to_string() == m.sanzione_esclude>{SANZIONI[i as usize]}</option> }).collect_view()}
                            <option value="5" selected=m.sanzione_esclude == "5">"Nessuna esclusione"</option>
                        </select>
                    </div>
                    {testo("fascia_alta", "Art. 20: fascia alta da (punti)", m.fascia_alta.clone(), "Per le tabelle di trasparenza.")}
                    {testo("fascia_bassa", "Art. 20: fascia media da (punti)", m.fascia_bassa.clone(), "Sotto: fascia bassa.")}
                </div>
                <button type="submit" class="btn btn-outline-primary mt-3" id="simula">"Simula"</button>
            </Form>
        </section>
    }
}

/// The distribution's tables: each pool with every person (admins and consultants), the
/// art. 20 aggregates, the downloads.
#[component]
fn Riepilogo(v: PremiView) -> impl IntoView {
    let s = slug_param().get_untracked();
    let base = format!("/e/{s}/piani/{}/premi", v.anno);
    view! {
        {v.ripartizione.iter().map(|r| view! { <Pool r=r.clone()/> }).collect_view()}
        <section aria-labelledby="titolo-art20" class="mb-4" id="art20">
            <h2 class="h4" id="titolo-art20">"Dati sui premi (art. 20 D.Lgs. 33/2013)"</h2>
            <p class="small">"In forma aggregata: le fasce con meno di tre persone sono accorpate."</p>
            {v.art20.iter().map(|a| view! {
                <h3 class="h5">{a.categoria.label()}</h3>
                <p class="small">{format!("Stanziati {}, erogati {}; maggiorazione al {} dei valutati; rapporto massimo/minimo {}; coefficiente di variazione {}.", euro(a.stanziato), euro(a.erogato), percento(a.percentuale_maggiorazione), a.rapporto_max_min.map(numero).unwrap_or_else(|| "—".into()), a.coefficiente_variazione.map(|c| percento(c * 100.0)).unwrap_or_else(|| "—".into()))}</p>
                <table class="table table-sm tabella-art20">
                    <caption class="visually-hidden">{format!("Distribuzione per fascia: {}", a.categoria.label())}</caption>
                    <thead><tr><th scope="col">"Fascia"</th><th scope="col" class="text-end">"Persone"</th><th scope="col" class="text-end">"%"</th><th scope="col" class="text-end">"Minimo"</th><th scope="col" class="text-end">"Medio"</th><th scope="col" class="text-end">"Massimo"</th></tr></thead>
                    <tbody>
                        {a.fasce.iter().map(|f| view! {
                            <tr>
                                <td>{f.etichetta.clone()}</td>
                                <td class="text-end">{f.persone}</td>
                                <td class="text-end">{percento(f.percentuale)}</td>
                                <td class="text-end">{if f.persone == 0 { "—".into() } else { euro(f.minimo) }}</td>
                                <td class="text-end">{if f.persone == 0 { "—".into() } else { euro(f.media) }}</td>
                                <td class="text-end">{if f.persone == 0 { "—".into() } else { euro(f.massimo) }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }).collect_view()}
        </section>
        {v.definitivo.then(|| view! {
            <section aria-labelledby="titolo-scarica" class="mb-4">
                <h2 class="h4" id="titolo-scarica">"Documenti"</h2>
                <ul id="scarica-premi">
                    {v.gestione.then(|| view! {
                        <li><a id="scarica-cedolini" href=format!("{base}/cedolini.csv") download="">"Importi per le paghe (CSV)"</a></li>
                        <li><a id="scarica-determina" href=format!("{base}/determina.odt") download="">"Bozza della determina di liquidazione (ODT)"</a></li>
                    })}
                    <li><a id="scarica-art20-csv" href=format!("{base}/art20.csv") download="">"Dati art. 20 (CSV)"</a></li>
                    <li><a id="scarica-art20-pdf" href=format!("{base}/art20.pdf") download="">"Dati art. 20 (PDF/A)"</a></li>
                </ul>
            </section>
        })}
    }
}

#[component]
fn Pool(r: Ripartizione) -> impl IntoView {
    let id = format!("pool-{}", r.categoria.codice());
    view! {
        <section class="mb-4" aria-labelledby=format!("{id}-titolo") id=id.clone()>
            <h2 class="h4" id=format!("{id}-titolo")>{r.categoria.label()}</h2>
            <p class="totali">{format!("Fondo {}, erogato {}, residuo {}. Valutati {}, ammessi {}; maggiorazione di {} a {} persone (premio medio {}).", euro(r.fondo), euro(r.pagato), euro(r.resto), r.valutati, r.ammessi, euro(r.importo_maggiorazione), r.beneficiari_maggiorazione, euro(r.media_pro_capite))}</p>
            <div class="table-responsive">
                <table class="table table-sm ripartizione">
                    <caption class="visually-hidden">{format!("Premi: {}", r.categoria.label())}</caption>
                    <thead><tr>
                        <th scope="col">"Persona"</th><th scope="col" class="text-end">"Punteggio"</th><th scope="col">"Esito"</th>
                        <th scope="col" class="text-end">"Premio"</th><th scope="col" class="text-end">"Maggiorazione"</th><th scope="col" class="text-end">"Totale"</th>
                    </tr></thead>
                    <tbody>
                        {r.quote.iter().map(|q| view! {
                            <tr>
                                <td>{format!("{} ({})", q.nome, q.chiave)}</td>
                                <td class="text-end">{numero(q.punteggio)}</td>
                                <td>{q.esito.label()}</td>
                                <td class="text-end">{euro(q.base)}</td>
                                <td class="text-end">{euro(q.maggiorazione)}</td>
                                <td class="text-end">{euro(q.totale())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
