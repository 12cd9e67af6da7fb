//! `/admin`: the platform administrator's list of consultancy firms.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{elenco_studi, CreaStudio};
use crate::components::{ActionStatus, ErrorView, OneTimePasswordNotice, Tabella};
use crate::pages::registro::AccessiRecenti;

#[component]
pub fn AdminPage() -> impl IntoView {
    let create = ServerAction::<CreaStudio>::new();
    let firms = Resource::new(move || create.version().get(), |_| elenco_studi());
    view! {
        <Title text="Studi di consulenza — Obiettivi"/>
        <h1>"Studi di consulenza"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match firms.await {
                    Ok(list) => view! {
                        <Tabella id="elenco-studi" didascalia="Studi di consulenza"
                            colonne=&["Studio", "Enti", "Consulenti"]>
                            {list.into_iter().map(|f| view! {
                                <tr><td>{f.name}</td><td>{f.enti}</td><td>{f.consultants}</td></tr>
                            }).collect_view()}
                        </Tabella>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <h2 class="h3 mt-4">"Nuovo studio"</h2>
        <ActionForm action=create attr:class="card card-body shadow-sm" attr:id="nuovo-studio">
            <div class="row">
                <div class="col-md-4 mb-3">
                    <label for="ns-nome" class="form-label">"Nome dello studio"</label>
                    <input id="ns-nome" name="name" type="text" class="form-control" required maxlength="200"/>
                </div>
                <div class="col-md-4 mb-3">
                    <label for="ns-cnome" class="form-label">"Primo consulente: nome e cognome"</label>
                    <input id="ns-cnome" name="consultant_name" type="text" class="form-control" required maxlength="200"/>
                </div>
                <div class="col-md-4 mb-3">
                    <label for="ns-cemail" class="form-label">"Primo consulente: e-mail"</label>
                    <input id="ns-cemail" name="consultant_email" type="email" class="form-control" required/>
                </div>
            </div>
            <div><button type="submit" class="btn btn-primary">"Crea studio"</button></div>
        </ActionForm>
        <ActionStatus pending=create.pending().into() value=Signal::derive(move || create.value().get()) success="Studio creato."/>
        {move || create.value().get().and_then(Result::ok).map(|otp| view! { <OneTimePasswordNotice otp/> })}
        <AccessiRecenti/>
    }
}
