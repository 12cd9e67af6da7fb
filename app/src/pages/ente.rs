//! `/e/{slug}`: an ente's workspace.

use leptos::prelude::*;
use leptos_meta::Title;

use super::slug_param;
use crate::api::ente::scheda_ente;
use crate::components::ErrorView;
use crate::domain::monitoraggio::mancano;
use crate::domain::plan::data_label;

#[component]
pub fn EntePage() -> impl IntoView {
    let slug = slug_param();
    let home = Resource::new(move || slug.get(), scheda_ente);
    view! {
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(h) => view! {
                        <Title text=format!("{} — Obiettivi", h.name)/>
                        <nav aria-label="Percorso di navigazione" class="breadcrumb-container">
                            <ol class="breadcrumb">
                                <li class="breadcrumb-item"><a href="/">"I tuoi enti"</a><span class="separator" aria-hidden="true">"/"</span></li>
                                <li class="breadcrumb-item active" aria-current="page">{h.name.clone()}</li>
                            </ol>
                        </nav>
                        <h1>{h.name.clone()}</h1>
                        <p class="lead">{h.provincia.clone()}</p>
                        <p>"Il tuo ruolo: " <strong id="ruolo">{h.role.label()}</strong></p>
                        {match (h.scadenze.is_empty(), h.oggi) {
                            (false, Some(oggi)) => view! {
                                <section aria-labelledby="titolo-scadenze" class="mb-4" id="scadenze">
                                    <h2 class="h4" id="titolo-scadenze">"Da fare"</h2>
                                    <ul class="list-unstyled">
                                        {h.scadenze.iter().map(|s| {
                                            let scaduta = s.scadenza < oggi;
                                            view! {
                                                <li class="mb-2">
                                                    <a href=s.link.clone()>{s.testo.clone()}</a>
                                                    {format!(" — entro il {} ", data_label(s.scadenza))}
                                                    <span class=if scaduta { "badge bg-danger" } else { "badge bg-secondary" }>{mancano(s.scadenza, oggi)}</span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                        {(h.role == crate::domain::roles::Role::Dipendente).then(|| view! {
                            <div class="card-wrapper card-space">
                                <div class="card card-bg">
                                    <div class="card-body">
                                        <h2 class="card-title h5">"I miei obiettivi"</h2>
                                        <p class="card-text">"Gli obiettivi su cui lavori, con il tuo peso e le scadenze."</p>
                                        <a class="btn btn-primary btn-sm" href=format!("/e/{}/miei-obiettivi", h.slug)>"Apri i miei obiettivi"</a>
                                    </div>
                                </div>
                            </div>
                        })}
                        {(h.role != crate::domain::roles::Role::Dipendente).then(|| view! {
                        <div class="card-wrapper card-space">
                            <div class="card card-bg">
                                <div class="card-body">
                                    <h2 class="card-title h5">"Piani degli obiettivi"</h2>
                                    <p class="card-text">"Il Piano degli Obiettivi, delle Attività e della Performance, anno per anno."</p>
                                    <a class="btn btn-primary btn-sm me-2" href=format!("/e/{}/piani", h.slug)>"Apri i piani"</a>
                                    <a class="btn btn-outline-primary btn-sm" id="link-smvp" href=format!("/e/{}/smvp", h.slug)>"Profilo SMVP"</a>
                                </div>
                            </div>
                        </div>
                        })}
                        {h.role.puo(crate::domain::permessi::Azione::GestireUtenti).then(|| view! {
                            <div class="card-wrapper card-space">
                                <div class="card card-bg">
                                    <div class="card-body">
                                        <h2 class="card-title h5">"Utenti dell'ente"</h2>
                                        <p class="card-text">"Crea gli account, assegna i ruoli, disattiva chi non lavora più nell'ente."</p>
                                        <a class="btn btn-primary btn-sm me-2" href=format!("/e/{}/utenti", h.slug)>"Gestisci gli utenti"</a>
                                        <a class="btn btn-outline-primary btn-sm me-2" href=format!("/e/{}/personale", h.slug)>"Personale"</a>
                                        <a class="btn btn-outline-primary btn-sm" href=format!("/e/{}/registro", h.slug)>"Registro attività"</a>
                                    </div>
                                </div>
                            </div>
                        })}
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
