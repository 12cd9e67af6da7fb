//! `/e/{slug}/registro`: the ente's activity log, for its admins and its firm's consultants;
//! and the access log table of the platform administrator's page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::slug_param;
use crate::api::registro::{registro_accessi, registro_attivita};
use crate::components::{ErrorView, Tabella};
use crate::domain::registro::{azione, evento};

#[component]
pub fn RegistroPage() -> impl IntoView {
    let slug = slug_param();
    let voci = Resource::new(move || slug.get(), registro_attivita);
    view! {
        <Title text="Registro attività — Obiettivi"/>
        <nav aria-label="Percorso di navigazione" class="breadcrumb-container">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href="/">"I tuoi enti"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=move || format!("/e/{}", slug.get())>"Ente"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">"Registro attività"</li>
            </ol>
        </nav>
        <h1>"Registro attività"</h1>
        <p>"Ciò che è stato fatto nell'ente e da chi, dal più recente (ultime 200 voci). Il registro non si può modificare né cancellare."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match voci.await {
                    Ok(list) if list.is_empty() => view! { <p id="registro-vuoto">"Nessuna attività registrata."</p> }.into_any(),
                    Ok(list) => view! {
                        <Tabella id="registro-attivita" didascalia="Registro attività dell'ente"
                            colonne=&["Quando", "Chi", "Attività", "Dettagli"]>
                            {list.into_iter().map(|v| view! {
                                <tr>
                                    <td>{v.quando}</td>
                                    <td>{v.chi}</td>
                                    <td>{azione(&v.azione).to_string()}</td>
                                    <td class="small">{v.dettaglio}</td>
                                </tr>
                            }).collect_view()}
                        </Tabella>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The access log, for the platform administrator's page.
#[component]
pub fn AccessiRecenti() -> impl IntoView {
    let voci = Resource::new(|| (), |_| registro_accessi());
    view! {
        <h2 class="h3 mt-5">"Accessi recenti"</h2>
        <p>"Accessi, tentativi non riusciti e cambi di credenziali di tutti gli account, dal più recente (ultime 200 voci)."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match voci.await {
                    Ok(list) => view! {
                        <Tabella id="accessi-recenti" didascalia="Accessi recenti" compatta=true
                            colonne=&["Quando", "E-mail", "Evento", "Indirizzo"]>
                            {list.into_iter().map(|v| view! {
                                <tr>
                                    <td>{v.quando}</td>
                                    <td>{v.email}</td>
                                    <td>{evento(&v.evento).to_string()}</td>
                                    <td>{v.indirizzo}</td>
                                </tr>
                            }).collect_view()}
                        </Tabella>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
