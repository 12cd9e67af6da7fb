//! `/studio/consulenti`: a consultancy firm's consultants, new enti for the firm, and what
//! the firm sets for all its enti.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::studio::{
    elenco_consulenti, studio_richiede_2fa, CreaEnte, NuovoConsulente, StudioRichiedi2fa,
};
use crate::components::{ActionStatus, CasellaDueFattori, ErrorView, OneTimePasswordNotice};

#[component]
pub fn StudioPage() -> impl IntoView {
    let nuovo_consulente = ServerAction::<NuovoConsulente>::new();
    let crea_ente = ServerAction::<CreaEnte>::new();
    let consultants = Resource::new(
        move || nuovo_consulente.version().get(),
        |_| elenco_consulenti(),
    );
    view! {
        <Title text="Lo studio — Obiettivi"/>
        <h1>"Lo studio"</h1>
        <p><a href="/studio">"Torna al cruscotto"</a></p>
        <h2 class="h3 mt-4">"Nuovo ente"</h2>
        <ActionForm action=crea_ente attr:class="card card-body shadow-sm" attr:id="nuovo-ente">
            <div class="row">
                <div class="col-md-6 mb-3">
                    <label for="ne-nome" class="form-label">"Denominazione (es. Comune di Esempio)"</label>
                    <input id="ne-nome" name="name" type="text" class="form-control" required maxlength="200"/>
                </div>
                <div class="col-md-6 mb-3">
                    <label for="ne-provincia" class="form-label">"Provincia (es. Provincia di Esempio)"</label>
                    <input id="ne-provincia" name="provincia" type="text" class="form-control" maxlength="100"/>
                </div>
                <div class="col-md-6 mb-3">
                    <label for="ne-istat" class="form-label">"Codice ISTAT (facoltativo)"</label>
                    <input id="ne-istat" name="codice_istat" type="text" class="form-control" inputmode="numeric" maxlength="6"/>
                </div>
                <div class="col-md-6 mb-3">
                    <label for="ne-ipa" class="form-label">"Codice IPA (facoltativo)"</label>
                    <input id="ne-ipa" name="codice_ipa" type="text" class="form-control" maxlength="20"/>
                </div>
            </div>
            <div><button type="submit" class="btn btn-primary">"Crea ente"</button></div>
        </ActionForm>
        <ActionStatus pending=crea_ente.pending().into() value=Signal::derive(move || crea_ente.value().get()) success="Ente creato."/>
        {move || crea_ente.value().get().and_then(Result::ok).map(|slug| view! {
            <p><a href=format!("/e/{slug}")>"Entra nel nuovo ente"</a></p>
        })}

        <h2 class="h3 mt-5">"Consulenti"</h2>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match consultants.await {
                    Ok(list) => view! {
                        <ul class="list-group mb-3" id="elenco-consulenti">
                            {list.into_iter().map(|c| view! {
                                <li class="list-group-item">{c.display_name} " — " {c.email}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <ActionForm action=nuovo_consulente attr:class="card card-body shadow-sm" attr:id="nuovo-consulente">
            <div class="row">
                <div class="col-md-6 mb-3">
                    <label for="nc-nome" class="form-label">"Nome e cognome"</label>
                    <input id="nc-nome" name="display_name" type="text" class="form-control" required maxlength="200"/>
                </div>
                <div class="col-md-6 mb-3">
                    <label for="nc-email" class="form-label">"Indirizzo e-mail"</label>
                    <input id="nc-email" name="email" type="email" class="form-control" required/>
                </div>
            </div>
            <div><button type="submit" class="btn btn-primary">"Aggiungi consulente"</button></div>
        </ActionForm>
        <ActionStatus pending=nuovo_consulente.pending().into() value=Signal::derive(move || nuovo_consulente.value().get()) success="Consulente aggiunto."/>
        {move || nuovo_consulente.value().get().and_then(Result::ok).map(|otp| view! { <OneTimePasswordNotice otp/> })}
        <MonitoraggiStudio/>
        <crate::pages::scadenze::ScadenzeStudio/>
        <ObbligoDueFattoriStudio/>
    }
}

/// The same monitoring checkpoint in every ente of the firm at once.
#[component]
fn MonitoraggiStudio() -> impl IntoView {
    let imposta = ServerAction::<crate::api::monitoraggio::MonitoraggiStudio>::new();
    view! {
        <h2 class="h3 mt-5">"Profilo SMVP dello studio"</h2>
        <p>"Il Sistema di Misurazione e Valutazione della Performance che lo studio propone ai suoi enti: ogni ente lo adotta, tutto o in parte. " <a id="link-smvp-studio" href="/studio/smvp">"Apri il profilo dello studio"</a></p>
        <h2 class="h3 mt-5">"Monitoraggi per tutti gli enti"</h2>
        <p>"Aggiunge lo stesso monitoraggio al piano approvato di ogni ente dello studio. Se lasci vuote le scadenze: 15 giorni per i responsabili e 30 per il Nucleo dopo la data del monitoraggio."</p>
        <ActionForm action=imposta attr:class="card card-body shadow-sm" attr:id="monitoraggi-studio">
            <div class="row g-3 align-items-end">
                <div class="col-md-2">
                    <label for="ms-anno" class="form-label">"Annualità"</label>
                    <input id="ms-anno" name="anno" type="number" min="2000" max="2100" class="form-control" required/>
                </div>
                <div class="col-md-3">
                    <label for="ms-data" class="form-label">"Data del monitoraggio"</label>
                    <input id="ms-data" name="data_riferimento" type="date" class="form-control" required/>
                </div>
                <div class="col-md-3">
                    <label for="ms-resp" class="form-label">"Scadenza responsabili"</label>
                    <input id="ms-resp" name="scadenza_responsabili" type="date" class="form-control"/>
                </div>
                <div class="col-md-2">
                    <label for="ms-nucleo" class="form-label">"Scadenza Nucleo"</label>
                    <input id="ms-nucleo" name="scadenza_nucleo" type="date" class="form-control"/>
                </div>
                <div class="col-md-2"><button type="submit" class="btn btn-primary">"Aggiungi a tutti"</button></div>
            </div>
        </ActionForm>
        <div aria-live="polite" id="esito-monitoraggi-studio">
            {move || imposta.pending().get().then(|| view! { <p role="status">"Operazione in corso…"</p> })}
            {move || imposta.value().get().map(|r| match r {
                Ok(esiti) => view! {
                    <ul class="mt-2">
                        {esiti.into_iter().map(|e| view! {
                            <li class=if e.creato { "text-success" } else { "" }><strong>{e.ente}</strong>{format!(": {}", e.messaggio)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
            })}
        </div>
    }
}

/// The firm's choice to require the second factor of all its consultants.
#[component]
fn ObbligoDueFattoriStudio() -> impl IntoView {
    let salva = ServerAction::<StudioRichiedi2fa>::new();
    let stato = Resource::new(move || salva.version().get(), |_| studio_richiede_2fa());
    view! {
        <h2 class="h3 mt-5">"Sicurezza degli accessi"</h2>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                let attivo = stato.await.unwrap_or(false);
                view! {
                    <ActionForm action=salva attr:class="card card-body shadow-sm" attr:id="richiedi-2fa-studio">
                        <CasellaDueFattori id="r2s-obbligo" attivo
                            etichetta="Richiedi la verifica in due passaggi a tutti i consulenti dello studio"
                            nota="Chi non l'ha ancora attivata, tu compreso, dovrà farlo subito, prima di usare qualsiasi altra pagina. I consulenti lavorano negli enti di tutti i clienti dello studio: è la scelta consigliata."/>
                    </ActionForm>
                }
            })}
        </Suspense>
        <ActionStatus pending=salva.pending().into() value=Signal::derive(move || salva.value().get()) success="Impostazione salvata."/>
    }
}
