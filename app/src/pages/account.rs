//! `/account`: change one's own password.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::ChangePassword;
use crate::components::ActionStatus;
use crate::domain::validate::MIN_PASSWORD;

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <Title text="Cambia password — Obiettivi"/>
        <div class="row justify-content-center">
            <div class="col-12 col-md-8 col-lg-6">
                <h1>"Cambia password"</h1>
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
            </div>
        </div>
    }
}
