//! `/account`: change one's own password (forced at the first access with a temporary one),
//! and accept an invitation to an ente or a firm.

use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::hooks::use_query_map;

use crate::api::account::{
    mie_sessioni, stato_2fa, AccettaInvito, CambiaPassword, ChiudiAltreSessioni, Conferma2fa,
    Disattiva2fa, Inizia2fa,
};
use crate::components::{ActionStatus, Tabella};
use crate::domain::validate::MIN_PASSWORD;

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<CambiaPassword>::new();
    let accetta = ServerAction::<AccettaInvito>::new();
    let query = use_query_map();
    let primo = move || query.read().get("primo").is_some();
    let richiesto = move || query.read().get("richiesto").is_some();
    view! {
        <Title text="Il mio account — Obiettivi"/>
        <div class="row justify-content-center">
            <div class="col-12 col-md-8 col-lg-6">
                <h1>"Il mio account"</h1>
                <Show when=richiesto>
                    <div class="alert alert-warning" role="status" id="richiesto-2fa">
                        "Per il tuo account è obbligatoria la verifica in due passaggi: attivala qui sotto per continuare."
                    </div>
                </Show>
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

                <DueFattori/>
                <LeMieSessioni/>

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

/// «Verifica in due passaggi»: state, enrolment (QR code or secret, then a code from the app,
/// then the recovery codes shown once), and turning it off when it is not required.
#[component]
fn DueFattori() -> impl IntoView {
    let inizia = ServerAction::<Inizia2fa>::new();
    let conferma = ServerAction::<Conferma2fa>::new();
    let disattiva = ServerAction::<Disattiva2fa>::new();
    let stato = Resource::new(
        move || (conferma.version().get(), disattiva.version().get()),
        |_| stato_2fa(),
    );
    view! {
        <h2 class="h3 mt-5" id="due-fattori">"Verifica in due passaggi"</h2>
        <p>"Dopo la password, Obiettivi chiede il codice di 6 cifre che un'app di autenticazione sul tuo telefono (per esempio FreeOTP, Google Authenticator, Microsoft Authenticator) cambia ogni 30 secondi."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match stato.await {
                    Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
                    Ok(s) if s.attivo => view! {
                        <div class="alert alert-success" role="status" id="stato-2fa">
                            {format!("La verifica in due passaggi è attiva. Codici di recupero ancora utilizzabili: {}.", s.codici_rimasti)}
                        </div>
                        {(!s.richiesto).then(|| view! {
                            <ActionForm action=disattiva attr:class="card card-body shadow-sm" attr:id="disattiva-2fa">
                                <div class="mb-3">
                                    <label for="d2-password" class="form-label">"Password, per disattivarla"</label>
                                    <input id="d2-password" name="password" type="password" class="form-control" required autocomplete="current-password"/>
                                </div>
                                <div><button type="submit" class="btn btn-outline-danger">"Disattiva la verifica in due passaggi"</button></div>
                            </ActionForm>
                        })}
                    }.into_any(),
                    Ok(s) => view! {
                        {s.richiesto.then(|| view! {
                            <div class="alert alert-warning" role="status" id="richiesta-2fa">
                                "Per il tuo account la verifica in due passaggi è obbligatoria: attivala per continuare."
                            </div>
                        })}
                        <ActionForm action=inizia attr:id="inizia-2fa">
                            <button type="submit" class="btn btn-primary">"Attiva la verifica in due passaggi"</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
        <ActionStatus pending=disattiva.pending().into() value=Signal::derive(move || disattiva.value().get()) success="Verifica in due passaggi disattivata."/>
        {move || inizia.value().get().map(|r| match r {
            Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
            Ok(i) => {
                let fatto = move || matches!(conferma.value().get(), Some(Ok(_)));
                view! {
                    <Show when=move || !fatto()>
                        <div class="card card-body shadow-sm mt-3" id="iscrizione-2fa">
                            <p>"1. Nell'app, aggiungi un account inquadrando questo codice QR:"</p>
                            <div class="qr-2fa" role="img" aria-label="Codice QR da inquadrare con l'app di autenticazione" inner_html=i.qr_svg.clone()></div>
                            <p class="mt-2">"oppure inserisci a mano questa chiave: " <code id="segreto-2fa">{i.segreto.clone()}</code></p>
                            <ActionForm action=conferma attr:id="conferma-2fa">
                                <div class="mb-3">
                                    <label for="c2-codice" class="form-label">"2. Scrivi il codice di 6 cifre che l'app mostra ora"</label>
                                    <input id="c2-codice" name="codice" class="form-control" required inputmode="numeric" autocomplete="one-time-code" maxlength="10"/>
                                </div>
                                <div><button type="submit" class="btn btn-primary">"Conferma e attiva"</button></div>
                            </ActionForm>
                            {move || conferma.value().get().and_then(Result::err).map(|e| view! { <div class="alert alert-danger mt-2" role="alert">{e.to_string()}</div> })}
                        </div>
                    </Show>
                }.into_any()
            }
        })}
        {move || conferma.value().get().and_then(Result::ok).map(|codici| view! {
            <div class="alert alert-success mt-3" role="status" id="codici-recupero">
                <p>"Verifica in due passaggi attiva. Questi sono i tuoi codici di recupero: conservali in un luogo sicuro. Ognuno vale una volta sola, al posto del codice dell'app, se perdi il telefono. Non verranno mostrati di nuovo."</p>
                <ol class="mb-0">{codici.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ol>
            </div>
        })}
    }
}

/// «Le mie sessioni»: where the account is signed in, and ending all the others.
#[component]
fn LeMieSessioni() -> impl IntoView {
    let chiudi = ServerAction::<ChiudiAltreSessioni>::new();
    let elenco = Resource::new(move || chiudi.version().get(), |_| mie_sessioni());
    view! {
        <h2 class="h3 mt-5" id="titolo-sessioni">"Le mie sessioni"</h2>
        <p>"Dove il tuo account è collegato adesso. Se non riconosci una sessione, chiudi le altre e cambia la password."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match elenco.await {
                    Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
                    Ok(list) => view! {
                        <Tabella id="elenco-sessioni" didascalia="Le mie sessioni"
                            colonne=&["Dispositivo", "Indirizzo", "Accesso", "Ultima attività"]>
                            {list.into_iter().map(|s| view! {
                                <tr class:table-active=s.questa>
                                    <td>{s.dispositivo}{s.questa.then(|| view! { " " <span class="badge bg-primary">"questa sessione"</span> })}</td>
                                    <td>{s.indirizzo}</td>
                                    <td>{s.creata}</td>
                                    <td>{s.vista}</td>
                                </tr>
                            }).collect_view()}
                        </Tabella>
                    }.into_any(),
                }
            })}
        </Suspense>
        <ActionForm action=chiudi attr:id="chiudi-sessioni">
            <button type="submit" class="btn btn-outline-danger">"Chiudi tutte le altre sessioni"</button>
        </ActionForm>
        {move || chiudi.value().get().map(|r| match r {
            Ok(n) => view! { <div class="alert alert-success mt-2" role="status">{format!("Sessioni chiuse: {n}.")}</div> }.into_any(),
            Err(e) => view! { <div class="alert alert-danger mt-2" role="alert">{e.to_string()}</div> }.into_any(),
        })}
    }
}
