//! One module per page.

pub mod account;
pub mod admin;
pub mod allegato;
pub mod assegnazioni;
pub mod chiusura;
pub mod cruscotto;
pub mod ente;
pub mod home;
pub mod libreria;
pub mod login;
pub mod miei_obiettivi;
pub mod monitoraggio;
pub mod personale;
pub mod piani;
pub mod piano;
pub mod premi;
pub mod registro;
pub mod relazione;
pub mod scadenze;
pub mod smvp;
pub mod studio;
pub mod utenti;
pub mod valutazioni;
pub mod versioni;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `slug` of an `/e/{slug}/...` route.
pub fn slug_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("slug").unwrap_or_default())
}

/// The `anno` of an `/e/{slug}/piani/{anno}/...` route (0 when it is not a year).
pub fn anno_param() -> Memo<i32> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("anno")
            .and_then(|a| a.parse().ok())
            .unwrap_or(0)
    })
}

/// The id named `nome` in the route (`/…/monitoraggio/{id}`): None when it is not an id.
pub fn uuid_param(nome: &'static str) -> Memo<Option<uuid::Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(nome).and_then(|v| v.parse().ok()))
}
