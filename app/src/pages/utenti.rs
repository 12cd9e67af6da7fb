//! `/e/{slug}/utenti`: the ente's accounts, for its admins and its firm's consultants.

use leptos::prelude::*;
use leptos_meta::Title;

use super::slug_param;
use crate::api::users::{
    elenco_utenti, richiede_2fa, CambiaRuolo, DisattivaUtente, InvitaUtente, NuovoCodiceAccesso,
    Richiedi2fa,
};
use crate::components::{ActionStatus, CasellaDueFattori, ErrorView, OneTimePasswordNotice};
use crate::domain::roles::Role;
use crate::model::Membro;

#[component]
pub fn UtentiPage() -> impl IntoView {
    let slug = slug_param();
    let create = ServerAction::<InvitaUtente>::new();
    let set_role = ServerAction::<CambiaRuolo>::new();
    let set_disabled = ServerAction::<DisattivaUtente>::new();
    let reset = ServerAction::<NuovoCodiceAccesso>::new();
    let members = Resource::new(
        move || {
            (
                slug.get(),
                create.version().get(),
                set_role.version().get(),
                set_disabled.version().get(),
                reset.version().get(),
            )
        },
        |(slug, ..)| elenco_utenti(slug),
    );
    view! {
        <Title text="Utenti dell'ente — Obiettivi"/>
        <nav aria-label="Percorso di navigazione" class="breadcrumb-container">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href="/">"I tuoi enti"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=move || format!("/e/{}", slug.get())>"Ente"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">"Utenti"</li>
            </ol>
        </nav>
        <h1>"Utenti dell'ente"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match members.await {
                    Ok(list) => members_table(slug.get_untracked(), list, set_role, set_disabled, reset).into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
        {move || reset.value().get().and_then(Result::ok).map(|otp| view! { <OneTimePasswordNotice otp/> })}
        {move || reset.value().get().and_then(Result::err).map(|e| view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> })}
        <ActionStatus pending=set_role.pending().into() value=Signal::derive(move || set_role.value().get()) success="Ruolo aggiornato."/>
        <ActionStatus pending=set_disabled.pending().into() value=Signal::derive(move || set_disabled.value().get()) success="Stato dell'utente aggiornato."/>

        <h2 class="h3 mt-5">"Nuovo utente"</h2>
        <ActionForm action=create attr:class="card card-body shadow-sm" attr:id="nuovo-utente">
            <input type="hidden" name="slug" value=move || slug.get()/>
            <div class="row">
                <div class="col-md-4 mb-3">
                    <label for="nu-nome" class="form-label">"Nome e cognome"</label>
                    <input id="nu-nome" name="display_name" type="text" class="form-control" required maxlength="200"/>
                </div>
                <div class="col-md-4 mb-3">
                    <label for="nu-email" class="form-label">"Indirizzo e-mail"</label>
                    <input id="nu-email" name="email" type="email" class="form-control" required/>
                </div>
                <div class="col-md-4 mb-3">
                    <label for="nu-ruolo" class="form-label">"Ruolo"</label>
                    <select id="nu-ruolo" name="role" class="form-select">
                        {Role::MEMBERSHIP.into_iter().map(|r| view! {
                            <option value=r.db_name() selected=r == Role::Dipendente>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <p class="small text-secondary">"Chi hai aggiunto riceve da te un codice: entra nell'ente solo dopo averlo usato. Finché non lo usa, l'elenco lo mostra come «Invito in attesa»."</p>
            <div><button type="submit" class="btn btn-primary">"Aggiungi utente"</button></div>
        </ActionForm>
        <ActionStatus pending=create.pending().into() value=Signal::derive(move || create.value().get()) success="Utente invitato."/>
        {move || create.value().get().and_then(Result::ok).map(|otp| view! { <OneTimePasswordNotice otp/> })}
        <ObbligoDueFattori slug/>
    }
}

/// The ente's choice to require the second factor of all its people.
#[component]
fn ObbligoDueFattori(slug: Memo<String>) -> impl IntoView {
    let salva = ServerAction::<Richiedi2fa>::new();
    let stato = Resource::new(
        move || (slug.get(), salva.version().get()),
        |(s, _)| richiede_2fa(s),
    );
    view! {
        <h2 class="h3 mt-5">"Sicurezza degli accessi"</h2>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                let attivo = stato.await.unwrap_or(false);
                view! {
                    <ActionForm action=salva attr:class="card card-body shadow-sm" attr:id="richiedi-2fa">
                        <input type="hidden" name="slug" value=move || slug.get()/>
                        <CasellaDueFattori id="r2-obbligo" attivo
                            etichetta="Richiedi la verifica in due passaggi a tutte le persone dell'ente"
                            nota="Chi non l'ha ancora attivata, tu compreso, dovrà farlo subito, prima di usare qualsiasi altra pagina."/>
                    </ActionForm>
                }
            })}
        </Suspense>
        <ActionStatus pending=salva.pending().into() value=Signal::derive(move || salva.value().get()) success="Impostazione salvata."/>
    }
}

fn members_table(
    slug: String,
    list: Vec<Membro>,
    set_role: ServerAction<CambiaRuolo>,
    set_disabled: ServerAction<DisattivaUtente>,
    reset: ServerAction<NuovoCodiceAccesso>,
) -> impl IntoView {
    view! {
        <div class="table-responsive">
            <table class="table" id="elenco-utenti">
                <caption class="visually-hidden">"Utenti dell'ente"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Nome"</th>
                        <th scope="col">"E-mail"</th>
                        <th scope="col">"Ruolo"</th>
                        <th scope="col">"Stato"</th>
                        <th scope="col">"Password"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|m| {
                        let uid = m.user_id.to_string();
                        let role_id = format!("ruolo-{uid}");
                        // Each form's children are re-runnable closures: give each its own copies.
                        let (slug1, slug2, slug3) = (slug.clone(), slug.clone(), slug.clone());
                        let (uid1, uid2, uid3) = (uid.clone(), uid.clone(), uid);
                        let role_label = format!("Ruolo di {}", m.display_name);
                        view! {
                            <tr data-email=m.email.clone()>
                                <td>{m.display_name.clone()}</td>
                                <td>{m.email.clone()}</td>
                                <td>
                                    <ActionForm action=set_role attr:class="d-flex gap-2">
                                        <input type="hidden" name="slug" value=slug1.clone()/>
                                        <input type="hidden" name="user_id" value=uid1.clone()/>
                                        <label class="visually-hidden" for=role_id.clone()>{role_label.clone()}</label>
                                        <select id=role_id.clone() name="role" class="form-select form-select-sm">
                                            {Role::MEMBERSHIP.into_iter().map(|r| view! {
                                                <option value=r.db_name() selected=r == m.role>{r.label()}</option>
                                            }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn btn-outline-primary btn-sm">"Salva"</button>
                                    </ActionForm>
                                </td>
                                <td>
                                    <ActionForm action=set_disabled attr:class="d-flex gap-2 align-items-center">
                                        <input type="hidden" name="slug" value=slug2.clone()/>
                                        <input type="hidden" name="user_id" value=uid2.clone()/>
                                        <input type="hidden" name="disabled" value=(!m.disabled).to_string()/>
                                        <span class=if m.disabled { "badge bg-secondary" } else if m.in_attesa { "badge bg-warning text-dark" } else { "badge bg-success" }>
                                            {if m.disabled { "Disattivato" } else if m.in_attesa { "Invito in attesa" } else { "Attivo" }}
                                        </span>
                                        <button type="submit" class="btn btn-outline-secondary btn-sm">
                                            {if m.disabled { "Riattiva" } else { "Disattiva" }}
                                        </button>
                                    </ActionForm>
                                </td>
                                <td>
                                    {if m.condiviso {
                                        view! { <span class="small">"Account usato anche altrove: la cambia solo il titolare"</span> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=reset>
                                                <input type="hidden" name="slug" value=slug3.clone()/>
                                                <input type="hidden" name="user_id" value=uid3.clone()/>
                                                <button type="submit" class="btn btn-outline-secondary btn-sm">
                                                    {if m.in_attesa { "Nuovo codice" } else { "Reimposta" }}
                                                </button>
                                            </ActionForm>
                                        }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
