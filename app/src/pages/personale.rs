//! `/e/{slug}/personale`: the staff registry, its CSV import, and employees' logins.

use leptos::prelude::*;
use leptos_meta::Title;

use super::slug_param;
#[cfg(feature = "hydrate")]
use crate::api::personale::importa_personale;
use crate::api::personale::{crea_accessi, elenco_personale, SalvaDipendente};
use crate::components::{ActionStatus, ErrorView, OneTimePasswordNotice};
use crate::domain::personale::Area;
use crate::domain::plan::data_label;
use crate::model::{EsitoImport, OneTimePassword};

#[component]
pub fn PersonalePage() -> impl IntoView {
    let slug = slug_param();
    let salva = ServerAction::<SalvaDipendente>::new();
    let versione = RwSignal::new(0u32);
    let lista = Resource::new(
        move || (slug.get(), salva.version().get(), versione.get()),
        |(s, ..)| elenco_personale(s),
    );
    let esito = RwSignal::new(None::<Result<EsitoImport, String>>);
    let in_corso = RwSignal::new(false);
    let file = NodeRef::<leptos::html::Input>::new();
    let accessi = RwSignal::new(Vec::<OneTimePassword>::new());
    let errore_accessi = RwSignal::new(None::<String>);
    let importa = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(input) = file.get() else { return };
            in_corso.set(true);
            esito.set(None);
            let dati = crate::components::modulo_file(
                &[("slug", &slug.get_untracked())],
                &input,
                "Scegli un file CSV.",
            );
            leptos::task::spawn_local(async move {
                match dati {
                    Err(m) => esito.set(Some(Err(m))),
                    Ok(dati) => {
                        let r = importa_personale(dati.into()).await;
                        if matches!(&r, Ok(e) if e.errori.is_empty()) {
                            versione.update(|v| *v += 1);
                        }
                        esito.set(Some(r.map_err(|e| e.to_string())));
                    }
                }
                in_corso.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, slug, esito, in_corso, versione);
    };
    let accesso = move |id: String| {
        errore_accessi.set(None);
        leptos::task::spawn_local(async move {
            match crea_accessi(slug.get_untracked(), id).await {
                Ok(v) => {
                    accessi.set(v);
                    versione.update(|x| *x += 1);
                }
                Err(e) => errore_accessi.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <Title text="Personale — Obiettivi"/>
        <nav aria-label="Percorso di navigazione" class="breadcrumb-container">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href="/">"I tuoi enti"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=move || format!("/e/{}", slug.get())>"Ente"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">"Personale"</li>
            </ol>
        </nav>
        <h1>"Personale"</h1>
        <section class="card card-body shadow-sm mb-4" aria-labelledby="titolo-import">
            <h2 class="h5" id="titolo-import">"Importa da CSV"</h2>
            <p class="small mb-2">
                "Colonne: matricola, cognome, nome, area (Operatori, Operatori esperti, Istruttori, Funzionari ed Elevata Qualificazione, o le vecchie categorie A–D), e facoltative profilo, struttura, e-mail, dal, al. "
                "Separatore punto e virgola o virgola, codifica UTF-8 o Windows-1252 (come salva Excel). Se una riga è sbagliata non si importa nulla; reimportare lo stesso file non cambia nulla."
            </p>
            <form class="d-flex gap-2 align-items-end" on:submit=importa id="importa-csv">
                <div>
                    <label for="file-csv" class="form-label">"File CSV"</label>
                    <input id="file-csv" type="file" accept=".csv,text/csv" class="form-control" node_ref=file/>
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || in_corso.get()>"Importa"</button>
            </form>
            <div aria-live="polite" class="mt-2" id="esito-import">
                {move || in_corso.get().then(|| view! { <p role="status">"Importazione in corso…"</p> })}
                {move || esito.get().map(|e| match e {
                    Ok(e) if e.errori.is_empty() => view! {
                        <div class="alert alert-success" role="status">
                            {format!("Importazione completata: {} nuovi, {} aggiornati, {} invariati.", e.nuovi, e.aggiornati, e.invariati)}
                        </div>
                    }.into_any(),
                    Ok(e) => view! {
                        <div class="alert alert-danger" role="alert">
                            <p class="mb-1">"Nessun dipendente importato: correggi queste righe e riprova."</p>
                            <ul class="mb-0">
                                {e.errori.into_iter().map(|(riga, motivo)| view! { <li>{format!("Riga {riga}: {motivo}")}</li> }).collect_view()}
                            </ul>
                        </div>
                    }.into_any(),
                    Err(m) => view! { <div class="alert alert-danger" role="alert">{m}</div> }.into_any(),
                })}
            </div>
        </section>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match lista.await {
                    Ok(list) => {
                        let senza = list.iter().filter(|d| !d.ha_accesso && d.email.is_some()).count();
                        view! {
                            <div class="d-flex align-items-center gap-3 mb-2">
                                <h2 class="h4 mb-0">{format!("Dipendenti ({})", list.len())}</h2>
                                {(senza > 0).then(|| view! {
                                    <button class="btn btn-outline-primary btn-sm" on:click=move |_| accesso(String::new())>
                                        {format!("Crea l'accesso per tutti ({senza})")}
                                    </button>
                                })}
                            </div>
                            <div class="table-responsive">
                                <table class="table table-sm" id="elenco-personale">
                                    <caption class="visually-hidden">"Dipendenti dell'ente"</caption>
                                    <thead><tr>
                                        <th scope="col">"Matricola"</th><th scope="col">"Cognome e nome"</th><th scope="col">"Area"</th>
                                        <th scope="col">"Struttura"</th><th scope="col">"In servizio"</th><th scope="col">"Accesso"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|d| {
                                            let id = d.id.to_string();
                                            let nome = format!("{} {}", d.cognome, d.nome);
                                            let etichetta = format!("Crea l'accesso per {nome}");
                                            view! {
                                                <tr data-matricola=d.matricola.clone()>
                                                    <td>{d.matricola.clone()}</td>
                                                    <td>{nome}</td>
                                                    <td>{d.area.label()}</td>
                                                    <td>{d.struttura.clone()}</td>
                                                    <td>{match (d.attivo_dal, d.attivo_al) {
                                                        (Some(dal), Some(al)) => format!("dal {} al {}", data_label(dal), data_label(al)),
                                                        (Some(dal), None) => format!("dal {}", data_label(dal)),
                                                        (None, Some(al)) => format!("fino al {}", data_label(al)),
                                                        (None, None) => String::new(),
                                                    }}</td>
                                                    <td>{if d.ha_accesso {
                                                        view! { <span class="badge bg-success">"Attivo"</span> }.into_any()
                                                    } else if d.email.is_some() {
                                                        view! { <button class="btn btn-outline-primary btn-sm" aria-label=etichetta on:click=move |_| accesso(id.clone())>"Crea accesso"</button> }.into_any()
                                                    } else {
                                                        view! { <span class="small text-secondary">"senza e-mail"</span> }.into_any()
                                                    }}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
        {move || errore_accessi.get().map(|e| view! { <div class="alert alert-danger" role="alert">{e}</div> })}
        {move || accessi.get().into_iter().map(|otp| view! { <OneTimePasswordNotice otp/> }).collect_view()}

        <h2 class="h4 mt-4">"Nuovo dipendente (o modifica per matricola)"</h2>
        <ActionForm action=salva attr:class="card card-body shadow-sm" attr:id="nuovo-dipendente">
            <input type="hidden" name="slug" value=move || slug.get()/>
            <div class="row">
                <div class="col-md-2 mb-2"><label for="nd-matricola" class="form-label">"Matricola"</label><input id="nd-matricola" name="matricola" type="text" class="form-control" required maxlength="30"/></div>
                <div class="col-md-3 mb-2"><label for="nd-cognome" class="form-label">"Cognome"</label><input id="nd-cognome" name="cognome" type="text" class="form-control" required maxlength="100"/></div>
                <div class="col-md-3 mb-2"><label for="nd-nome" class="form-label">"Nome"</label><input id="nd-nome" name="nome" type="text" class="form-control" required maxlength="100"/></div>
                <div class="col-md-4 mb-2"><label for="nd-area" class="form-label">"Area (CCNL 2019–2021)"</label>
                    <select id="nd-area" name="area" class="form-select">
                        {Area::TUTTE.into_iter().map(|a| view! { <option value=a.label()>{a.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="col-md-3 mb-2"><label for="nd-profilo" class="form-label">"Profilo"</label><input id="nd-profilo" name="profilo" type="text" class="form-control" maxlength="200"/></div>
                <div class="col-md-3 mb-2"><label for="nd-struttura" class="form-label">"Struttura"</label><input id="nd-struttura" name="struttura" type="text" class="form-control" maxlength="500"/></div>
                <div class="col-md-3 mb-2"><label for="nd-email" class="form-label">"E-mail (per l'accesso)"</label><input id="nd-email" name="email" type="email" class="form-control"/></div>
                <div class="col-md-3 mb-2"><label for="nd-dal" class="form-label">"In servizio dal"</label><input id="nd-dal" name="attivo_dal" type="date" class="form-control"/></div>
                <div class="col-md-3 mb-2"><label for="nd-al" class="form-label">"In servizio fino al (facoltativo)"</label><input id="nd-al" name="attivo_al" type="date" class="form-control"/></div>
            </div>
            <div><button type="submit" class="btn btn-primary">"Salva dipendente"</button></div>
        </ActionForm>
        <ActionStatus pending=salva.pending().into() value=Signal::derive(move || salva.value().get()) success="Dipendente salvato."/>
    }
}
