//! `/account`: change one's own password (forced at the first access with a temporary one),
//! and accept an invitation to an ente or a firm.

use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::hooks::use_query_map;

use crate::api::account::{AccettaInvito, ChangePassword};
use crate::components::ActionStatus;
use crate::domain::validate::MIN_PASSWORD;

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let accetta = ServerAction::<AccettaInvito>::new();
    let query = use_query_map();
    let primo = move || query.read().get("primo").is_some();
    view! {
        <Title text="Il mio account — Obiettivi"/>
        <div class="row justify-content-center">
            <div class="col-12 col-md-8 col-lg-6">
                <h1>"Il mio account"</h1>
                <Show when=primo>
                    <div class="alert alert-warning" role="status" id="primo-accesso">
                        "Hai effettuato l'accesso con una password temporanea: scegline ora una tua. "
                        "Finché non l'avrai cambiata non potrai usare le altre pagine."
                    </div>
                </Show>
                <h2 class="h3">"Cambia password"</h2>
                <ActionForm action=change attr:class="card card-body shadow-sm" attr:id="cambia-password">
                    <div class="mb-3">
                        <label for="cp-attuale" class="form-label">"Password attuale"</label>
                        <input id="cp-attuale" name="current" type="password" class="form-control" required autocomplete="current-password"/>
                    </div>
                    <div class="mb-3">
                        <label for="cp-nuova" class="form-label">{format!("Nuova password (almeno {MIN_PASSWORD} caratteri)")}</label>
                        <input id="cp-nuova" name="new" type="password" class="form-control" required autocomplete="new-password"/>
                    </div>
                    <div class="mb-3">
                        <label for="cp-conferma" class="form-label">"Conferma la nuova password"</label>
                        <input id="cp-conferma" name="confirm" type="password" class="form-control" required autocomplete="new-password"/>
                    </div>
                    <div><button type="submit" class="btn btn-primary">"Cambia password"</button></div>
                </ActionForm>
                <ActionStatus pending=change.pending().into() value=Signal::derive(move || change.value().get()) success="Password cambiata."/>
                {move || matches!(change.value().get(), Some(Ok(()))).then(|| view! {
                    <p><a href="/" class="btn btn-outline-primary">"Vai ai tuoi enti"</a></p>
                })}

                <h2 class="h3 mt-5">"Accetta un invito"</h2>
                <p>"Se un ente o uno studio ti ha invitato e hai già un account, inserisci qui il codice che ti hanno consegnato."</p>
                <ActionForm action=accetta attr:class="card card-body shadow-sm" attr:id="accetta-invito">
                    <div class="mb-3">
                        <label for="ai-codice" class="form-label">"Codice di invito"</label>
                        <input id="ai-codice" name="codice" type="text" class="form-control" required maxlength="64" autocomplete="off" spellcheck="false"/>
                    </div>
                    <div><button type="submit" class="btn btn-primary">"Accetta l'invito"</button></div>
                </ActionForm>
                {move || accetta.pending().get().then(|| view! { <p class="small" role="status">"Verifica del codice…"</p> })}
                {move || accetta.value().get().map(|r| match r {
                    Ok(nomi) => view! {
                        <div class="alert alert-success" role="status" id="invito-accettato">
                            "Invito accettato: ora fai parte di " {nomi.join(", ")} ". "
                            <a href="/">"Vai ai tuoi enti"</a>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
                })}
            </div>
        </div>
    }
}
