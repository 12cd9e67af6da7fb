//! `/`: where a user lands after login — their enti, their firm, the platform tools.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::ente::miei_enti;
use crate::components::ErrorView;
use crate::model::AreaPersonale;

#[component]
pub fn HomePage() -> impl IntoView {
    let ws = Resource::new(|| (), |_| miei_enti());
    view! {
        <Title text="I tuoi enti — Obiettivi"/>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match ws.await {
                    Ok(ws) => workspace_view(ws),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn workspace_view(ws: AreaPersonale) -> AnyView {
    // One ente and nothing else to do: go straight in.
    if ws.enti.len() == 1 && ws.firm_name.is_none() && !ws.is_platform_admin {
        let e = &ws.enti[0];
        let path = if e.role == crate::domain::roles::Role::Dipendente {
            format!("/e/{}/miei-obiettivi", e.slug)
        } else {
            format!("/e/{}", e.slug)
        };
        return view! { <Redirect path=path/> }.into_any();
    }
    let empty = ws.enti.is_empty();
    view! {
        <h1>"Benvenuto, " {ws.display_name.clone()}</h1>
        {ws.is_platform_admin.then(|| view! {
            <div class="callout">
                <div class="callout-title">"Amministrazione della piattaforma"</div>
                <p><a href="/admin">"Gestisci gli studi di consulenza"</a></p>
            </div>
        })}
        {ws.firm_name.clone().map(|firm| view! {
            <p class="lead">"Studio: " <strong>{firm}</strong> " — "
                <a href="/studio">"cruscotto degli enti"</a> " — "
                <a href="/studio/consulenti">"consulenti e nuovi enti"</a> " — "
                <a href="/libreria">"libreria dei modelli"</a></p>
        })}
        <h2 class="h3 mt-4">"I tuoi enti"</h2>
        {if empty {
            view! { <p>"Non hai accesso ad alcun ente."</p> }.into_any()
        } else {
            view! {
                <div class="table-responsive">
                    <table class="table table-hover" id="elenco-enti">
                        <caption class="visually-hidden">"Enti in cui puoi lavorare"</caption>
                        <thead><tr><th scope="col">"Ente"</th><th scope="col">"Provincia"</th><th scope="col">"Il tuo ruolo"</th></tr></thead>
                        <tbody>
                            {ws.enti.into_iter().map(|e| view! {
                                <tr>
                                    <td><a href=format!("/e/{}", e.slug)>{e.name}</a></td>
                                    <td>{e.provincia}</td>
                                    <td>{e.role.label()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
    .into_any()
}
