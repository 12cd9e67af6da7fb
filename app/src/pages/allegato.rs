//! The plan page's "Allegato PDF e firma digitale" section: the download (final, or
//! BOZZA), «Firma ora» with the ente's certificate (PAdES or CAdES .p7m, kept in the
//! archive), the certificate itself (admins and consultants), and the archive of signed
//! copies with the upload form for copies signed elsewhere.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
use crate::api::allegato::{carica_firmato, salva_firma};
use crate::api::allegato::{rimuovi_firma, stato_allegato, FirmaAllegato};
use crate::components::ErrorView;
use crate::domain::plan::{data_label, giorno_label};
use crate::error::AppError;
use crate::model::{AllegatoStato, FirmatoView, PianoView};

fn dimensione(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} KB", (n + 1023) / 1024)
    }
}

/// The section's data, and the counter that reloads it after an upload or a change of
/// certificate.
#[derive(Clone, Copy)]
pub struct StatoResource {
    stato: Resource<Result<AllegatoStato, AppError>>,
    versione: RwSignal<u32>,
    /// The outcome of the last upload of a signed copy: kept here, since the upload reloads
    /// the section (and would otherwise lose the message it has just shown).
    esito_carica: RwSignal<Option<Result<String, String>>>,
    /// «Firma ora»: its outcome outlives the reload it causes, like the upload's.
    firma: ServerAction<FirmaAllegato>,
}

/// To be created by the page itself, next to its other resources (not inside a Suspense).
/// The section's first state comes with the plan (`piano`, one call for the page); after
/// an upload, a change of certificate or a signature it is asked for alone.
pub fn stato_resource(
    slug: Memo<String>,
    anno: Memo<i32>,
    ricarica: RwSignal<u32>,
    piano: Resource<Result<PianoView, AppError>>,
) -> StatoResource {
    let versione = RwSignal::new(0u32);
    let firma = ServerAction::<FirmaAllegato>::new();
    let stato = Resource::new(
        move || {
            (
                slug.get(),
                anno.get(),
                ricarica.get(),
                versione.get(),
                firma.version().get(),
            )
        },
        move |(s, a, _, v, f)| async move {
            if (v, f) == (0, 0) {
                let letto = piano
                    .by_ref()
                    .await
                    .as_ref()
                    .ok()
                    .and_then(|p| p.allegato.clone());
                if let Some(stato) = letto {
                    return Ok(stato);
                }
            }
            stato_allegato(s, a).await
        },
    );
    StatoResource {
        stato,
        versione,
        esito_carica: RwSignal::new(None),
        firma,
    }
}

#[component]
pub fn AllegatoSezione(slug: Memo<String>, anno: i32, stato: StatoResource) -> impl IntoView {
    let StatoResource {
        stato,
        versione,
        esito_carica,
        firma,
    } = stato;
    view! {
        <section class="card card-body shadow-sm mb-4" aria-labelledby="titolo-allegato" id="allegato">
            <h2 class="h5" id="titolo-allegato">"Allegato PDF e firma digitale"</h2>
            <Suspense fallback=|| view! { <p role="status">"Caricamento…"</p> }>
                {move || Suspend::new(async move {
                    match stato.await {
                        Ok(s) => view! { <Allegato s slug anno versione esito_carica firma/> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Allegato(
    s: AllegatoStato,
    slug: Memo<String>,
    anno: i32,
    versione: RwSignal<u32>,
    esito_carica: RwSignal<Option<Result<String, String>>>,
    firma: ServerAction<FirmaAllegato>,
) -> impl IntoView {
    let base = format!("/e/{}/piani/{anno}", slug.get_untracked());
    let firmabile = s.approvato && s.gestione && s.firma.is_some();
    view! {
        <p class="mb-2">
            {if s.approvato {
                "Il piano è approvato: l'allegato si esporta come versione finale (PDF/A), da firmare qui con il certificato dell'ente o con il proprio dispositivo di firma."
            } else {
                "Il piano è una bozza: l'allegato si esporta con la dicitura «BOZZA» su ogni pagina."
            }}
        </p>
        <div class="d-flex flex-wrap gap-2 mb-3" id="scarica-allegato">
            <a class="btn btn-primary btn-sm" href=format!("{base}/allegato.pdf") download>
                {if s.approvato { "Scarica il PDF" } else { "Scarica il PDF (bozza)" }}
            </a>
        </div>
        {firmabile.then(|| view! { <FirmaOra slug anno firma/> })}
        {s.gestione.then(|| view! { <Certificato s=s.clone() slug versione/> })}
        <h3 class="h6 mt-3">"Copie firmate archiviate"</h3>
        {if s.firmati.is_empty() {
            view! { <p class="small text-secondary" id="nessun-firmato">"Nessuna copia firmata archiviata."</p> }.into_any()
        } else {
            view! { <Archivio firmati=s.firmati.clone() base=base.clone()/> }.into_any()
        }}
        {(s.gestione && s.approvato).then(|| view! { <Carica slug anno versione esito=esito_carica/> })}
    }
}

/// «Firma ora»: one form per format, plain POSTs (they work before the wasm arrives).
#[component]
fn FirmaOra(slug: Memo<String>, anno: i32, firma: ServerAction<FirmaAllegato>) -> impl IntoView {
    let in_corso = firma.pending();
    let pulsante = move |formato: &'static str, testo: &'static str| {
        view! {
            <ActionForm action=firma>
                <input type="hidden" name="slug" prop:value=move || slug.get()/>
                <input type="hidden" name="anno" value=anno/>
                <input type="hidden" name="formato" value=formato/>
                <button type="submit" class="btn btn-outline-primary btn-sm" disabled=move || in_corso.get()>{testo}</button>
            </ActionForm>
        }
    };
    view! {
        <div class="d-flex flex-wrap gap-2 mb-2" id="firma-ora">
            {pulsante("pades", "Firma ora (PDF firmato, PAdES)")}
            {pulsante("cades", "Firma ora (busta .p7m, CAdES)")}
        </div>
        <p class="small text-secondary">"La copia firmata con il certificato dell'ente entra nell'archivio qui sotto, da cui si scarica."</p>
        <div aria-live="polite" id="esito-firma" class="mb-3">
            {move || in_corso.get().then(|| view! { <p role="status">"Firma in corso…"</p> })}
            {move || firma.value().get().map(|r| match r {
                Ok(f) => view! {
                    <div class="alert alert-success" role="status">
                        {format!("Allegato firmato con il certificato di {}: «{}» è nell'archivio delle copie firmate.", f.firmatario, f.nome_file)}
                    </div>
                }.into_any(),
                Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn Archivio(firmati: Vec<FirmatoView>, base: String) -> impl IntoView {
    view! {
        <div class="table-responsive">
            <table class="table table-sm" id="archivio-firmati">
                <caption class="visually-hidden">"Copie firmate dell'allegato"</caption>
                <thead><tr>
                    <th scope="col">"File"</th><th scope="col">"Formato"</th><th scope="col">"Firmatario"</th>
                    <th scope="col">"Firmato il"</th><th scope="col">"Caricato il"</th><th scope="col">"SHA-256"</th>
                </tr></thead>
                <tbody>
                    {firmati.into_iter().map(|f| view! {
                        <tr>
                            <td><a href=format!("{base}/firmati/{}", f.id) download>{f.nome_file.clone()}</a>
                                <span class="small text-secondary">{format!(" ({})", dimensione(f.dimensione))}</span></td>
                            <td>{if f.formato == "cades" { "CAdES (.p7m)" } else { "PAdES (PDF)" }}</td>
                            <td>{f.firmatario.clone()}</td>
                            <td>{f.firmato_il.map(giorno_label).unwrap_or_else(|| "non indicata".into())}</td>
                            <td>{giorno_label(f.caricato_il)}</td>
                            <td><code class="small" title=f.sha256.clone()>{f.sha256.chars().take(16).collect::<String>()}"…"</code></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        // Integrity is checked; whose certificate it is, is not (no trust list here).
        <p class="small text-secondary" id="nota-firmati">"Firma integra: il documento non è cambiato dopo la firma. Certificato del firmatario non verificato con un elenco di fiducia."</p>
    }
}

#[component]
fn Carica(
    slug: Memo<String>,
    anno: i32,
    versione: RwSignal<u32>,
    esito: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let file = NodeRef::<leptos::html::Input>::new();
    let c = crate::components::Caricamento {
        in_corso: RwSignal::new(false),
        esito,
    };
    let in_corso = c.in_corso;
    let invia = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(input) = file.get() {
            c.invia(
                &[("slug", &slug.get_untracked()), ("anno", &anno.to_string())],
                &input,
                "Scegli il file firmato (.pdf o .p7m).",
                |dati| carica_firmato(dati.into()),
                move |f| {
                    versione.update(|v| *v += 1);
                    format!(
                        "Copia archiviata: la firma di {} è integra (il certificato del firmatario non è stato verificato con un elenco di fiducia).",
                        f.firmatario
                    )
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, slug, anno, versione, c);
    };
    view! {
        <form class="d-flex flex-wrap gap-2 align-items-end mt-2" on:submit=invia id="carica-firmato">
            <div>
                <label for="file-firmato" class="form-label">"Carica una copia firmata (.pdf PAdES o .p7m)"</label>
                <input id="file-firmato" type="file" accept=".pdf,.p7m,application/pdf,application/pkcs7-mime" class="form-control" node_ref=file/>
            </div>
            <button type="submit" class="btn btn-primary btn-sm" disabled=move || in_corso.get()>"Controlla e archivia"</button>
        </form>
        <p class="small text-secondary mt-1">"Il file deve essere il PDF scaricato da questa pagina, firmato senza modifiche: si controlla che la firma sia integra e che il contenuto sia quello esportato. Il certificato del firmatario non viene verificato con un elenco di fiducia."</p>
        <div aria-live="polite" id="esito-firmato">
            {move || in_corso.get().then(|| view! { <p role="status">"Controllo in corso…"</p> })}
            {move || esito.get().map(|e| match e {
                Ok(m) => view! { <div class="alert alert-success" role="status">{m}</div> }.into_any(),
                Err(m) => view! { <div class="alert alert-danger" role="alert">{m}</div> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn Certificato(s: AllegatoStato, slug: Memo<String>, versione: RwSignal<u32>) -> impl IntoView {
    let file = NodeRef::<leptos::html::Input>::new();
    let password = RwSignal::new(String::new());
    let firmatario = RwSignal::new(
        s.firma
            .as_ref()
            .map(|f| f.firmatario.clone())
            .unwrap_or_default(),
    );
    let ruolo = RwSignal::new(
        s.firma
            .as_ref()
            .map(|f| f.ruolo.clone())
            .unwrap_or_else(|| "Segretario Generale".into()),
    );
    let c = crate::components::Caricamento::new();
    let (esito, in_corso) = (c.esito, c.in_corso);
    let invia = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(input) = file.get() {
            c.invia(
                &[
                    ("slug", &slug.get_untracked()),
                    ("password", &password.get_untracked()),
                    ("firmatario", &firmatario.get_untracked()),
                    ("ruolo", &ruolo.get_untracked()),
                ],
                &input,
                "Scegli il file del certificato (.p12 o .pfx).",
                |dati| salva_firma(dati.into()),
                move |f| {
                    versione.update(|v| *v += 1);
                    format!("Certificato di {} salvato.", f.firmatario)
                },
            );
            // The password is not kept in the page once sent.
            password.set(String::new());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, slug, versione, password, firmatario, ruolo, c);
    };
    let rimuovi = move |_| {
        if !window()
            .confirm_with_message("Rimuovere il certificato di firma dell'ente?")
            .unwrap_or(false)
        {
            return;
        }
        leptos::task::spawn_local(async move {
            match rimuovi_firma(slug.get_untracked()).await {
                Ok(()) => versione.update(|v| *v += 1),
                Err(e) => esito.set(Some(Err(e.to_string()))),
            }
        });
    };
    view! {
        <details class="mb-2" id="certificato-firma">
            <summary class="fw-semibold">
                {match &s.firma {
                    Some(f) => format!("Certificato di firma dell'ente: {} ({}), valido fino al {}", f.firmatario, f.ruolo, data_label(f.valido_al)),
                    None => "Certificato di firma dell'ente: non configurato".to_string(),
                }}
            </summary>
            <div class="mt-2">
                {s.firma.clone().map(|f| view! {
                    <p class="small mb-1">{format!("Titolare: {}", f.soggetto)}</p>
                    <p class="small mb-2">{format!("Emesso da: {}", f.emittente)}</p>
                    <button class="btn btn-outline-danger btn-sm mb-2" on:click=rimuovi>"Rimuovi il certificato"</button>
                })}
                <p class="small">"Carica il file PKCS#12 (.p12 o .pfx) con il certificato e la chiave di chi firma. La chiave viene conservata cifrata e non viene più mostrata; un nuovo file sostituisce il precedente."</p>
                <form class="row g-2 align-items-end" on:submit=invia id="carica-certificato">
                    <div class="col-md-4">
                        <label for="file-p12" class="form-label">"File .p12 / .pfx"</label>
                        <input id="file-p12" type="file" accept=".p12,.pfx,application/x-pkcs12" class="form-control" node_ref=file/>
                    </div>
                    <div class="col-md-2">
                        <label for="password-p12" class="form-label">"Password del file"</label>
                        <input id="password-p12" type="password" autocomplete="off" class="form-control"
                            prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                    </div>
                    <div class="col-md-3">
                        <label for="firmatario" class="form-label">"Nome del firmatario"</label>
                        <input id="firmatario" type="text" class="form-control" maxlength="200" placeholder="dal certificato"
                            prop:value=firmatario on:input=move |ev| firmatario.set(event_target_value(&ev))/>
                    </div>
                    <div class="col-md-3">
                        <label for="ruolo-firmatario" class="form-label">"Ruolo"</label>
                        <input id="ruolo-firmatario" type="text" class="form-control" maxlength="200"
                            prop:value=ruolo on:input=move |ev| ruolo.set(event_target_value(&ev))/>
                    </div>
                    <div class="col-12">
                        <button type="submit" class="btn btn-primary btn-sm" disabled=move || in_corso.get()>"Salva il certificato"</button>
                    </div>
                </form>
                <div aria-live="polite" class="mt-2">
                    {move || esito.get().map(|e| match e {
                        Ok(m) => view! { <div class="alert alert-success" role="status">{m}</div> }.into_any(),
                        Err(m) => view! { <div class="alert alert-danger" role="alert">{m}</div> }.into_any(),
                    })}
                </div>
            </div>
        </details>
    }
}
