//! `/e/{slug}/piani/{anno}`: the plan editor. The whole plan is rendered on the server;
//! once hydrated, every field is live: running weight totals and the plan's rules are
//! checked as the user types, each row says whether it is saved, and saving names the
//! version it started from, so a concurrent change is a conflict, never overwritten.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use uuid::Uuid;

use super::{anno_param, slug_param};
use crate::api::piani::{
    aggiungi_riga, aggiungi_struttura, approva_piano, elimina_riga, elimina_struttura,
    riapri_piano, riga_attuale, salva_piano, salva_riga, salva_struttura, sposta_riga,
    sposta_struttura,
};
use crate::api::versioni::avvia_rimodulazione;
use crate::components::ErrorView;
use crate::domain::missioni::MISSIONI;
use crate::domain::peso::{totale_esatto, totale_label, Peso};
use crate::domain::plan::{
    data_label, parse_data, violazioni, Campo, Dove, FaseDoc, Livello, ObiettivoDoc, PianoDoc,
    StrutturaDoc, Violazione,
};
use crate::error::AppError;
use crate::model::{ModelloRif, PianoView, RigaView, StrutturaView};

pub mod documento;
mod libreria;

/// Where a row or form stands with the server.
#[derive(Clone, Debug, PartialEq)]
enum Stato {
    Salvato,
    Modificato,
    InCorso,
    Errore(String),
    Conflitto(String),
}

fn stato_view(stato: RwSignal<Stato>) -> impl IntoView {
    move || {
        match stato.get() {
        Stato::Salvato => view! { <span class="badge bg-success stato-riga">"Salvato"</span> }.into_any(),
        Stato::Modificato => view! { <span class="badge bg-warning text-dark stato-riga">"Modifiche non salvate"</span> }.into_any(),
        Stato::InCorso => view! { <span class="badge bg-secondary stato-riga" role="status">"Salvataggio…"</span> }.into_any(),
        Stato::Errore(m) => view! { <div class="alert alert-danger py-1 px-2 mb-0 mt-1" role="alert">{m}</div> }.into_any(),
        Stato::Conflitto(m) => view! { <div class="alert alert-warning py-1 px-2 mb-0 mt-1" role="alert">{m}</div> }.into_any(),
    }
    }
}

/// An objective or a phase, as editable signals.
#[derive(Clone, Copy)]
struct Riga {
    id: Uuid,
    fase: bool,
    version: RwSignal<i32>,
    descrizione: RwSignal<String>,
    peso: RwSignal<String>,
    indicatori: RwSignal<String>,
    valori_attesi: RwSignal<String>,
    data_fine: RwSignal<String>,
    data_confermata: RwSignal<bool>,
    stato: RwSignal<Stato>,
    fasi: RwSignal<Vec<Riga>>,
    /// The library template an objective was adopted from.
    modello: RwSignal<Option<ModelloRif>>,
}

impl Riga {
    fn new(r: RigaView, fase: bool) -> Riga {
        Riga {
            id: r.id,
            fase,
            version: RwSignal::new(r.version),
            descrizione: RwSignal::new(r.campi.descrizione),
            peso: RwSignal::new(r.campi.peso.map(Peso::number).unwrap_or_default()),
            indicatori: RwSignal::new(r.campi.indicatori),
            valori_attesi: RwSignal::new(r.campi.valori_attesi),
            data_fine: RwSignal::new(r.campi.data_fine.map(|d| d.to_string()).unwrap_or_default()),
            data_confermata: RwSignal::new(r.campi.data_confermata),
            stato: RwSignal::new(Stato::Salvato),
            fasi: RwSignal::new(r.fasi.into_iter().map(|f| Riga::new(f, true)).collect()),
            modello: RwSignal::new(r.modello),
        }
    }

    fn set_from(&self, r: RigaView) {
        self.version.set(r.version);
        self.descrizione.set(r.campi.descrizione);
        self.peso
            .set(r.campi.peso.map(Peso::number).unwrap_or_default());
        self.indicatori.set(r.campi.indicatori);
        self.valori_attesi.set(r.campi.valori_attesi);
        self.data_fine
            .set(r.campi.data_fine.map(|d| d.to_string()).unwrap_or_default());
        self.data_confermata.set(r.campi.data_confermata);
    }

    fn peso(&self) -> Option<Peso> {
        Peso::parse(&self.peso.get()).ok()
    }

    fn data(&self) -> Option<NaiveDate> {
        parse_data(&self.data_fine.get()).ok().flatten()
    }

    fn livello(&self) -> Livello {
        if self.fase {
            Livello::Fase
        } else {
            Livello::Obiettivo
        }
    }
}

#[derive(Clone, Copy)]
struct Struttura {
    id: Uuid,
    version: RwSignal<i32>,
    nome: RwSignal<String>,
    responsabile_titolo: RwSignal<String>,
    responsabile_nome: RwSignal<String>,
    responsabile_user_id: RwSignal<String>,
    linea_strategica: RwSignal<String>,
    obiettivo_strategico: RwSignal<String>,
    missioni: RwSignal<Vec<String>>,
    obiettivo_operativo: RwSignal<String>,
    modificabile: bool,
    stato: RwSignal<Stato>,
    obiettivi: RwSignal<Vec<Riga>>,
}

impl Struttura {
    fn new(s: StrutturaView) -> Struttura {
        Struttura {
            id: s.id,
            version: RwSignal::new(s.version),
            nome: RwSignal::new(s.nome),
            responsabile_titolo: RwSignal::new(s.responsabile_titolo),
            responsabile_nome: RwSignal::new(s.responsabile_nome),
            responsabile_user_id: RwSignal::new(
                s.responsabile_user_id
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
            ),
            linea_strategica: RwSignal::new(s.linea_strategica),
            obiettivo_strategico: RwSignal::new(s.obiettivo_strategico),
            missioni: RwSignal::new(s.missioni),
            obiettivo_operativo: RwSignal::new(s.obiettivo_operativo),
            modificabile: s.modificabile,
            stato: RwSignal::new(Stato::Salvato),
            obiettivi: RwSignal::new(
                s.obiettivi
                    .into_iter()
                    .map(|o| Riga::new(o, false))
                    .collect(),
            ),
        }
    }
}

/// Shared by every part of the editor.
#[derive(Clone, Copy)]
struct Editor {
    slug: Memo<String>,
    anno: i32,
    strutture: RwSignal<Vec<Struttura>>,
    violazioni: Memo<Vec<Violazione>>,
    /// Bumped after changes that the server must re-render (strutture added or removed,
    /// approval): reloads the plan.
    ricarica: RwSignal<u32>,
    /// The narrative sections' form.
    narrativa: RwSignal<Stato>,
    /// A consultant: objectives may be saved into the firm's library.
    salva_modelli: bool,
    /// The caller edits the whole plan (strutture added, moved, removed).
    piano_modificabile: bool,
}

fn da_salvare(s: &RwSignal<Stato>) -> usize {
    matches!(
        s.get(),
        Stato::Modificato | Stato::Conflitto(_) | Stato::Errore(_)
    ) as usize
}

impl Editor {
    /// How many rows and forms hold changes not saved yet.
    fn non_salvate(&self) -> usize {
        da_salvare(&self.narrativa)
            + self.strutture.with(|ss| {
                ss.iter()
                    .map(|s| {
                        da_salvare(&s.stato)
                            + s.obiettivi.with(|os| {
                                os.iter()
                                    .map(|o| {
                                        da_salvare(&o.stato)
                                            + o.fasi.with(|fs| {
                                                fs.iter()
                                                    .map(|f| da_salvare(&f.stato))
                                                    .sum::<usize>()
                                            })
                                    })
                                    .sum::<usize>()
                            })
                    })
                    .sum::<usize>()
            })
    }

    /// Reloading the plan would drop what is typed and not saved: say so instead.
    fn blocca_se_non_salvate(&self, stato: RwSignal<Stato>) -> bool {
        let n = self.non_salvate();
        if n > 0 {
            stato.set(Stato::Errore(format!(
                "Ci sono modifiche non salvate ({n}): salvale prima di continuare."
            )));
        }
        n > 0
    }

    fn messaggi(&self, dove: Option<Dove>, campo: Campo) -> Vec<String> {
        let Some(dove) = dove else { return Vec::new() };
        self.violazioni.with(|v| {
            v.iter()
                .filter(|x| x.dove == dove && x.campo == campo)
                .map(|x| x.messaggio.clone())
                .collect()
        })
    }
}

#[component]
pub fn PianoPage() -> impl IntoView {
    let slug = slug_param();
    let anno = anno_param();
    let ricarica = RwSignal::new(0u32);
    // A page shown as a document is kept per reader by what its render reads: this plan,
    // the caller and the header's reads (`server::pagine_tenute`). Another input of this
    // page's render belongs in that key too.
    let piano = Resource::new(
        move || (slug.get(), anno.get(), ricarica.get()),
        |(s, a, _)| async move {
            // What the server renders: a document comes ready (in the browser, a reload
            // brings the whole plan).
            #[cfg(feature = "ssr")]
            let piano = documento::carica_pronto(s, a).await;
            #[cfg(not(feature = "ssr"))]
            let piano = crate::api::piani::carica_piano(s, a).await;
            piano
        },
    );
    // Created here, beside the plan's, not inside the plan's Suspense: resources created
    // while a Suspense resolves can be numbered differently on the server and in the
    // browser, and hydration then reads one resource's data for another.
    let allegato = super::allegato::stato_resource(slug, anno, ricarica, piano);
    view! {
        <Suspense fallback=|| view! { <p role="status">"Caricamento del piano…"</p> }>
            {move || Suspend::new(async move {
                match piano.await {
                    Ok(p) => view! { <PianoEditor piano=p slug ricarica allegato/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PianoEditor(
    piano: PianoView,
    slug: Memo<String>,
    ricarica: RwSignal<u32>,
    allegato: super::allegato::StatoResource,
) -> AnyView {
    let anno = piano.anno;
    // Nothing on the page is editable by the caller: the plan is shown as a document, and
    // no field needs its signals.
    let documento = piano.documento();
    let strutture = RwSignal::new(if documento {
        Vec::new()
    } else {
        piano
            .strutture
            .iter()
            .cloned()
            .map(Struttura::new)
            .collect::<Vec<_>>()
    });
    let doc = Memo::new(move |_| PianoDoc {
        anno,
        strutture: strutture.with(|ss| {
            ss.iter()
                .map(|s| StrutturaDoc {
                    nome: s.nome.get(),
                    obiettivi: s.obiettivi.with(|os| {
                        os.iter()
                            .map(|o| ObiettivoDoc {
                                descrizione: o.descrizione.get(),
                                peso: o.peso(),
                                data_fine: o.data(),
                                data_confermata: o.data_confermata.get(),
                                fasi: o.fasi.with(|fs| {
                                    fs.iter()
                                        .map(|f| FaseDoc {
                                            descrizione: f.descrizione.get(),
                                            peso: f.peso(),
                                            data_fine: f.data(),
                                            data_confermata: f.data_confermata.get(),
                                        })
                                        .collect()
                                }),
                            })
                            .collect()
                    }),
                })
                .collect()
        }),
    });
    let editor = Editor {
        slug,
        anno,
        strutture,
        violazioni: Memo::new(move |_| violazioni(&doc.get())),
        ricarica,
        narrativa: RwSignal::new(Stato::Salvato),
        salva_modelli: piano.salva_modelli,
        piano_modificabile: piano.modificabile,
    };
    // Leaving the page with unsaved changes asks first.
    let handle = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if editor.non_salvate() > 0 {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    on_cleanup(move || handle.remove());
    let struttura_stato = RwSignal::new(Stato::Salvato);
    let titolo = format!("{} {} — {}", piano.titolo, piano.anno, piano.ente_nome);
    let responsabili = StoredValue::new(piano.responsabili.clone());
    let modificabile = piano.modificabile;
    view! {
        <Title text=titolo/>
        <nav aria-label="Percorso di navigazione" class="breadcrumb-container">
            <ol class="breadcrumb">
                <li class="breadcrumb-item"><a href="/">"I tuoi enti"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=format!("/e/{}", slug.get_untracked())>{piano.ente_nome.clone()}</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item"><a href=format!("/e/{}/piani", slug.get_untracked())>"Piani"</a><span class="separator" aria-hidden="true">"/"</span></li>
                <li class="breadcrumb-item active" aria-current="page">{piano.anno}</li>
            </ol>
        </nav>
        <h1 class="h2">{piano.titolo.clone()}</h1>
        <p class="lead mb-1">{format!("{} — Triennio {}/{} – Annualità {}", piano.ente_nome, piano.triennio_da, piano.triennio_a, piano.anno)}</p>
        <p id="stato-piano">
            {if piano.approvato {
                let d = piano.delibera_data.map(data_label).unwrap_or_default();
                view! { <span class="badge bg-success">{format!("Approvato con delibera di Giunta n. {} del {d}", piano.delibera_numero.clone().unwrap_or_default())}</span> }.into_any()
            } else {
                view! { <span class="badge bg-warning text-dark">"Bozza"</span> }.into_any()
            }}
        </p>
        <p>
            <a href=format!("/e/{}/piani/{}/dipendenti", slug.get_untracked(), piano.anno)>"Dipendenti coinvolti sugli obiettivi"</a>
            {piano.approvato.then(|| view! {
                " · " <a id="link-monitoraggio" href=format!("/e/{}/piani/{}/monitoraggio", slug.get_untracked(), piano.anno)>"Monitoraggio dell'avanzamento"</a>
                " · " <a id="link-chiusura" href=format!("/e/{}/piani/{}/chiusura", slug.get_untracked(), piano.anno)>"Chiusura dell'anno e risultati"</a>
                " · " <a id="link-relazione" href=format!("/e/{}/piani/{}/relazione", slug.get_untracked(), piano.anno)>"Relazione sulla Performance"</a>
                " · " <a id="link-valutazioni" href=format!("/e/{}/piani/{}/valutazioni", slug.get_untracked(), piano.anno)>"Valutazioni individuali e premi"</a>
            })}
            " · " <a id="link-versioni" href=format!("/e/{}/piani/{}/versioni", slug.get_untracked(), piano.anno)>"Versioni e modifiche"</a>
            " · " <a id="link-xlsx" download href=format!("/e/{}/piani/{}/piano.xlsx", slug.get_untracked(), piano.anno)>"Scarica in Excel (XLSX)"</a>
        </p>
        {(piano.approvato && piano.approvabile_da_me).then(|| view! { <RinnovaPiano anno=piano.anno/> })}
        <Approvazione piano=piano.clone() editor/>
        <super::allegato::AllegatoSezione slug anno=piano.anno stato=allegato/>
        {if documento {
            view! { <documento::Documento piano=piano.clone() slug/> }.into_any()
        } else {
            view! {
                <Narrativa piano=piano.clone() editor/>
                <For each=move || strutture.get() key=|s| s.id let:s>
                    <StrutturaEditor s editor responsabili=responsabili.get_value()/>
                </For>
            }
            .into_any()
        }}
        {modificabile.then(|| {
            let aggiungi = move |_| {
                if editor.blocca_se_non_salvate(struttura_stato) {
                    return;
                }
                let s = slug.get_untracked();
                struttura_stato.set(Stato::InCorso);
                spawn_local(async move {
                    match aggiungi_struttura(s, anno).await {
                        Ok(()) => ricarica.update(|r| *r += 1),
                        Err(e) => struttura_stato.set(Stato::Errore(e.to_string())),
                    }
                });
            };
            view! {
                <button class="btn btn-outline-primary mt-3" on:click=aggiungi>"Aggiungi una struttura"</button>
                {stato_view_errors(struttura_stato)}
            }
        })}
    }
    .into_any()
}

#[component]
fn Approvazione(piano: PianoView, editor: Editor) -> impl IntoView {
    let numero = RwSignal::new(String::new());
    let data = RwSignal::new(String::new());
    let stato = RwSignal::new(Stato::Salvato);
    let slug = editor.slug;
    let anno = editor.anno;
    if !piano.approvabile_da_me {
        return ().into_any();
    }
    if piano.approvato {
        let riapri = move |_| {
            if editor.blocca_se_non_salvate(stato) {
                return;
            }
            if !window()
                .confirm_with_message(
                    "Riaprire il piano come bozza? L'operazione viene registrata.",
                )
                .unwrap_or(false)
            {
                return;
            }
            stato.set(Stato::InCorso);
            spawn_local(async move {
                match riapri_piano(slug.get_untracked(), anno).await {
                    Ok(()) => editor.ricarica.update(|r| *r += 1),
                    Err(e) => stato.set(Stato::Errore(e.to_string())),
                }
            });
        };
        let motivo = RwSignal::new(String::new());
        let rimodula = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            stato.set(Stato::InCorso);
            spawn_local(async move {
                match avvia_rimodulazione(slug.get_untracked(), anno, motivo.get_untracked()).await
                {
                    Ok(()) => editor.ricarica.update(|r| *r += 1),
                    Err(e) => stato.set(Stato::Errore(e.to_string())),
                }
            });
        };
        return view! {
            <div class="callout note">
                <div class="callout-title">"Piano approvato: sola lettura"</div>
                <p>"Per cambiare obiettivi, pesi o scadenze durante l'anno avvia una rimodulazione: la versione approvata resta consultabile com'è, le modifiche diventano una nuova versione con la nuova delibera di Giunta (entro il 15 dicembre). Per correggere un errore materiale riaprilo come bozza: l'operazione viene registrata."</p>
                <form class="row g-2 align-items-end mb-2" id="avvia-rimodulazione" on:submit=rimodula>
                    <div class="col-md-8">
                        <label for="motivo-rimodulazione" class="form-label">"Motivo della rimodulazione"</label>
                        <input id="motivo-rimodulazione" type="text" class="form-control" required maxlength="2000"
                            prop:value=motivo on:input=move |ev| motivo.set(event_target_value(&ev))/>
                    </div>
                    <div class="col-md-4"><button type="submit" class="btn btn-primary btn-sm">"Avvia la rimodulazione"</button></div>
                </form>
                <button class="btn btn-outline-primary btn-sm" on:click=riapri>"Riapri come bozza"</button>
                {stato_view_errors(stato)}
            </div>
        }
        .into_any();
    }
    let approva = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if editor.blocca_se_non_salvate(stato) {
            return;
        }
        stato.set(Stato::InCorso);
        spawn_local(async move {
            match approva_piano(
                slug.get_untracked(),
                anno,
                numero.get_untracked(),
                data.get_untracked(),
            )
            .await
            {
                Ok(()) => editor.ricarica.update(|r| *r += 1),
                Err(e) => stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let problemi = move || editor.violazioni.with(|v| v.len());
    let rimodulazione = piano.rimodulazione.clone();
    view! {
        <section class="card card-body shadow-sm mb-4" aria-labelledby="titolo-approvazione">
            <h2 class="h5" id="titolo-approvazione">"Approvazione"</h2>
            {rimodulazione.map(|m| view! {
                <div class="alert alert-info" id="rimodulazione-in-corso" role="status">
                    {format!("Rimodulazione in corso: {m}. La versione approvata resta consultabile in «Versioni e modifiche»; le modifiche diventano la nuova versione con la delibera di Giunta, entro il 15/12/{anno}.")}
                </div>
            })}
            <p id="riepilogo-regole" aria-live="polite">
                {move || match problemi() {
                    0 => "Il piano rispetta tutte le regole: può essere approvato.".to_string(),
                    1 => "1 problema da risolvere prima dell'approvazione (vedi i messaggi accanto ai campi).".to_string(),
                    n => format!("{n} problemi da risolvere prima dell'approvazione (vedi i messaggi accanto ai campi)."),
                }}
            </p>
            <form class="row g-2 align-items-end" on:submit=approva id="approva-piano">
                <div class="col-md-3">
                    <label for="delibera-numero" class="form-label">"Delibera di Giunta n."</label>
                    <input id="delibera-numero" type="text" class="form-control" required maxlength="50"
                        value=numero.get_untracked() prop:value=numero on:input=move |ev| numero.set(event_target_value(&ev))/>
                </div>
                <div class="col-md-3">
                    <label for="delibera-data" class="form-label">"del"</label>
                    <input id="delibera-data" type="date" class="form-control" required
                        value=data.get_untracked() prop:value=data on:input=move |ev| data.set(event_target_value(&ev))/>
                </div>
                <div class="col-md-3">
                    <button type="submit" class="btn btn-primary">"Approva il piano"</button>
                </div>
            </form>
            {stato_view_errors(stato)}
        </section>
    }
    .into_any()
}

fn stato_view_errors(stato: RwSignal<Stato>) -> impl IntoView {
    move || match stato.get() {
        Stato::InCorso => {
            view! { <p role="status" class="mt-2">"Operazione in corso…"</p> }.into_any()
        }
        Stato::Errore(m) | Stato::Conflitto(m) => {
            view! { <div class="alert alert-danger mt-2" role="alert">{m}</div> }.into_any()
        }
        _ => ().into_any(),
    }
}

#[component]
fn Narrativa(piano: PianoView, editor: Editor) -> impl IntoView {
    let version = RwSignal::new(piano.version);
    let regolamento = RwSignal::new(piano.regolamento.clone());
    let riferimenti = RwSignal::new(piano.riferimenti_normativi.clone());
    let programmazione = RwSignal::new(piano.programmazione_strategica.clone());
    let territorio = RwSignal::new(piano.territorio.clone());
    let stato = editor.narrativa;
    let ro = !piano.modificabile;
    let modifica = move || stato.set(Stato::Modificato);
    let salva = move |_| {
        stato.set(Stato::InCorso);
        spawn_local(async move {
            let r = salva_piano(
                editor.slug.get_untracked(),
                editor.anno,
                version.get_untracked(),
                regolamento.get_untracked(),
                riferimenti.get_untracked(),
                programmazione.get_untracked(),
                territorio.get_untracked(),
            )
            .await;
            match r {
                Ok(v) => {
                    version.set(v);
                    stato.set(Stato::Salvato);
                }
                Err(e) => stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let area = move |id: &'static str, label: &'static str, sig: RwSignal<String>, rows: u32| {
        view! {
            <div class="mb-3">
                <label for=id class="form-label fw-semibold">{label}</label>
                <textarea id=id class="form-control" rows=rows readonly=ro
                    prop:value=sig on:input=move |ev| { sig.set(event_target_value(&ev)); modifica(); }>{sig.get_untracked()}</textarea>
            </div>
        }
    };
    view! {
        <details class="mb-4" id="sezioni-narrative">
            <summary class="h5">"Sezioni del documento (riferimenti normativi, programmazione, territorio)"</summary>
            <div class="mt-3">
                <div class="mb-3">
                    <label for="regolamento" class="form-label fw-semibold">"Regolamento per la misurazione e valutazione della performance, approvato con"</label>
                    <input id="regolamento" type="text" class="form-control" readonly=ro placeholder="es. delibera di Giunta n. 12 del 15/03/2021"
                        value=regolamento.get_untracked() prop:value=regolamento on:input=move |ev| { regolamento.set(event_target_value(&ev)); modifica(); }/>
                </div>
                {area("riferimenti", "I riferimenti normativi", riferimenti, 10)}
                {area("programmazione", "La programmazione strategica e gli obiettivi", programmazione, 8)}
                {area("territorio", "Il territorio e la struttura organizzativa", territorio, 4)}
                {(!ro).then(|| view! { <button class="btn btn-primary btn-sm me-2" on:click=salva>"Salva le sezioni"</button> })}
                {stato_view(stato)}
            </div>
        </details>
    }
}

#[component]
fn StrutturaEditor(s: Struttura, editor: Editor, responsabili: Vec<(Uuid, String)>) -> AnyView {
    let idx = move || {
        editor
            .strutture
            .with(|v| v.iter().position(|x| x.id == s.id))
    };
    let dove = move || idx().map(Dove::Struttura);
    let ro = !s.modificabile;
    let modifica = move || s.stato.set(Stato::Modificato);
    let pesi = move || {
        s.obiettivi
            .with(|os| os.iter().filter_map(|o| o.peso()).collect::<Vec<_>>())
    };
    let totale_ok = move || totale_esatto(&pesi());
    let salva = move |_| {
        s.stato.set(Stato::InCorso);
        spawn_local(async move {
            let r = salva_struttura(
                editor.slug.get_untracked(),
                s.id,
                s.version.get_untracked(),
                s.nome.get_untracked(),
                s.responsabile_titolo.get_untracked(),
                s.responsabile_nome.get_untracked(),
                s.responsabile_user_id.get_untracked(),
                s.linea_strategica.get_untracked(),
                s.obiettivo_strategico.get_untracked(),
                s.missioni.get_untracked().join(","),
                s.obiettivo_operativo.get_untracked(),
            )
            .await;
            match r {
                Ok(v) => {
                    s.version.set(v);
                    s.stato.set(Stato::Salvato);
                }
                Err(AppError::Conflitto(m)) => s.stato.set(Stato::Conflitto(m)),
                Err(e) => s.stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let elimina = move |_| {
        if !window()
            .confirm_with_message("Eliminare la struttura con tutti i suoi obiettivi e fasi?")
            .unwrap_or(false)
        {
            return;
        }
        spawn_local(async move {
            match elimina_struttura(editor.slug.get_untracked(), s.id).await {
                Ok(()) => editor.strutture.update(|v| v.retain(|x| x.id != s.id)),
                Err(e) => s.stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let sposta = move |su: bool| {
        spawn_local(async move {
            match sposta_struttura(editor.slug.get_untracked(), s.id, su).await {
                Ok(()) => editor.strutture.update(|v| {
                    if let Some(i) = v.iter().position(|x| x.id == s.id) {
                        let j = if su { i.wrapping_sub(1) } else { i + 1 };
                        if j < v.len() {
                            v.swap(i, j);
                        }
                    }
                }),
                Err(e) => s.stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let aggiungi = move |_| {
        spawn_local(async move {
            match aggiungi_riga(editor.slug.get_untracked(), Livello::Obiettivo, s.id).await {
                Ok(r) => s.obiettivi.update(|v| v.push(Riga::new(r, false))),
                Err(e) => s.stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let pid = s.id.to_string();
    let field = move |key: &str, label: &'static str, sig: RwSignal<String>| {
        let id = format!("s-{key}-{pid}");
        view! {
            <div class="col-md-6 mb-2">
                <label for=id.clone() class="form-label small fw-semibold mb-0">{label}</label>
                <textarea id=id class="form-control form-control-sm" rows="2" readonly=ro
                    prop:value=sig on:input=move |ev| { sig.set(event_target_value(&ev)); modifica(); }>{sig.get_untracked()}</textarea>
            </div>
        }
    };
    let sel_id = format!("s-respacc-{}", s.id);
    let miss_summary = move || {
        let m = s.missioni.get();
        if m.is_empty() {
            "Missione: nessuna selezionata".to_string()
        } else {
            format!("Missione: {}", crate::domain::missioni::etichette(&m))
        }
    };
    view! {
        <section class="struttura card shadow-sm mb-5" data-struttura=s.id.to_string()>
            <div class="card-body">
                <h2 class="h4 text-primary">
                    "Struttura: " {move || s.nome.get()}
                    " – " {move || s.responsabile_titolo.get()} ": " {move || s.responsabile_nome.get()}
                </h2>
                <div class="row">
                    {field("nome", "Struttura", s.nome)}
                    <div class="col-md-3 mb-2">
                        <label for=format!("s-titolo-{}", s.id) class="form-label small fw-semibold mb-0">"Titolo del responsabile"</label>
                        <input id=format!("s-titolo-{}", s.id) type="text" class="form-control form-control-sm" readonly=ro
                            value=s.responsabile_titolo.get_untracked() prop:value=s.responsabile_titolo on:input=move |ev| { s.responsabile_titolo.set(event_target_value(&ev)); modifica(); }/>
                    </div>
                    <div class="col-md-3 mb-2">
                        <label for=format!("s-resp-{}", s.id) class="form-label small fw-semibold mb-0">"Nome del responsabile"</label>
                        <input id=format!("s-resp-{}", s.id) type="text" class="form-control form-control-sm" readonly=ro
                            value=s.responsabile_nome.get_untracked() prop:value=s.responsabile_nome on:input=move |ev| { s.responsabile_nome.set(event_target_value(&ev)); modifica(); }/>
                    </div>
                    {(!responsabili.is_empty()).then(|| view! {
                        <div class="col-md-6 mb-2">
                            <label for=sel_id.clone() class="form-label small fw-semibold mb-0">"Account del responsabile (può modificare questa struttura)"</label>
                            <select id=sel_id.clone() class="form-select form-select-sm" disabled=ro
                                on:change=move |ev| { s.responsabile_user_id.set(event_target_value(&ev)); modifica(); }>
                                <option value="" selected=move || s.responsabile_user_id.get().is_empty()>"Nessuno"</option>
                                {responsabili.iter().map(|(u, n)| {
                                    let u = u.to_string();
                                    let u2 = u.clone();
                                    view! { <option value=u selected=move || s.responsabile_user_id.get() == u2>{n.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    })}
                    {field("linea", "Linea Strategica", s.linea_strategica)}
                    {field("strategico", "Obiettivo Strategico", s.obiettivo_strategico)}
                    {field("operativo", "Obiettivo Operativo", s.obiettivo_operativo)}
                    <div class="col-12 mb-2">
                        <details>
                            <summary class="small fw-semibold">{miss_summary}</summary>
                            <fieldset class="mt-2" disabled=ro>
                                <legend class="visually-hidden">"Missioni del DUP"</legend>
                                <div class="row">
                                    {MISSIONI.iter().map(|(codice, nome)| {
                                        let id = format!("s-m{codice}-{}", s.id);
                                        let c = codice.to_string();
                                        let c2 = c.clone();
                                        view! {
                                            <div class="col-md-6 form-check">
                                                <input class="form-check-input" type="checkbox" id=id.clone()
                                                    prop:checked=move || s.missioni.with(|m| m.contains(&c))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        s.missioni.update(|m| { m.retain(|x| *x != c2); if on { m.push(c2.clone()); m.sort(); } });
                                                        modifica();
                                                    }/>
                                                <label class="form-check-label small" for=id>{format!("{codice} {nome}")}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </div>
                            </fieldset>
                        </details>
                    </div>
                </div>
                {(!ro).then(|| view! {
                    <div class="d-flex gap-2 align-items-center mb-3">
                        <button class="btn btn-primary btn-sm" on:click=salva>"Salva intestazione"</button>
                        {stato_view(s.stato)}
                        {editor.piano_modificabile.then(|| view! {
                            <div class="btn-group btn-group-sm ms-auto" role="group" aria-label="Ordine delle strutture">
                                <button class="btn btn-outline-secondary" aria-label=move || format!("Sposta su la struttura {}", s.nome.get())
                                    on:click=move |_| sposta(true)>"↑ Sposta su"</button>
                                <button class="btn btn-outline-secondary" aria-label=move || format!("Sposta giù la struttura {}", s.nome.get())
                                    on:click=move |_| sposta(false)>"↓ Sposta giù"</button>
                            </div>
                            <button class="btn btn-outline-danger btn-sm" on:click=elimina>"Elimina struttura"</button>
                        })}
                    </div>
                })}
                <p class=move || if totale_ok() { "totale-pesi text-success fw-semibold" } else { "totale-pesi text-danger fw-semibold" } aria-live="polite">
                    {move || totale_label(&pesi())}
                </p>
                {move || editor.messaggi(dove(), Campo::Pesi).into_iter().chain(editor.messaggi(dove(), Campo::Descrizione)).map(|m| view! { <p class="text-danger small mb-1 violazione">{m}</p> }).collect_view()}
                <div class="obiettivi">
                    <For each=move || s.obiettivi.get() key=|o| o.id let:o>
                        <RigaEditor riga=o fratelli=s.obiettivi editor struttura=s padre=None/>
                    </For>
                </div>
                {(!ro).then(|| view! {
                    <div class="d-flex gap-2">
                        <button class="btn btn-outline-primary btn-sm" on:click=aggiungi>"Aggiungi obiettivo"</button>
                        <libreria::AdottaDallaLibreria s editor/>
                    </div>
                })}
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn RigaEditor(
    riga: Riga,
    fratelli: RwSignal<Vec<Riga>>,
    editor: Editor,
    struttura: Struttura,
    padre: Option<Riga>,
) -> AnyView {
    let r = riga;
    let ro = !struttura.modificabile;
    let pos = move || fratelli.with(|v| v.iter().position(|x| x.id == r.id));
    let s_idx = move || {
        editor
            .strutture
            .with(|v| v.iter().position(|x| x.id == struttura.id))
    };
    let o_idx = move || match padre {
        Some(p) => struttura
            .obiettivi
            .with(|v| v.iter().position(|x| x.id == p.id)),
        None => pos(),
    };
    let numero = move || match padre {
        Some(_) => format!(
            "{}.{}",
            o_idx().map(|i| i + 1).unwrap_or(0),
            pos().map(|i| i + 1).unwrap_or(0)
        ),
        None => format!("{}", pos().map(|i| i + 1).unwrap_or(0)),
    };
    let dove = move || match (s_idx(), o_idx(), padre.is_some(), pos()) {
        (Some(s), Some(o), true, Some(f)) => Some(Dove::Fase(s, o, f)),
        (Some(s), Some(o), false, _) => Some(Dove::Obiettivo(s, o)),
        _ => None,
    };
    let modifica = move || r.stato.set(Stato::Modificato);
    let salva = move || {
        r.stato.set(Stato::InCorso);
        spawn_local(async move {
            let res = salva_riga(
                editor.slug.get_untracked(),
                r.livello(),
                r.id,
                r.version.get_untracked(),
                r.descrizione.get_untracked(),
                r.peso.get_untracked(),
                r.indicatori.get_untracked(),
                r.valori_attesi.get_untracked(),
                r.data_fine.get_untracked(),
                crate::domain::modulo::Casella(r.data_confermata.get_untracked()),
            )
            .await;
            match res {
                Ok(v) => {
                    r.version.set(v);
                    r.stato.set(Stato::Salvato);
                }
                Err(AppError::Conflitto(m)) => r.stato.set(Stato::Conflitto(m)),
                Err(e) => r.stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    // After a conflict: keep what I typed (and save over the current version), or take theirs.
    let risolvi = move |tieni_mie: bool| {
        spawn_local(async move {
            if let Ok(attuale) = riga_attuale(editor.slug.get_untracked(), r.livello(), r.id).await
            {
                if tieni_mie {
                    r.version.set(attuale.version);
                    r.stato.set(Stato::Modificato);
                } else {
                    r.set_from(attuale);
                    r.stato.set(Stato::Salvato);
                }
            }
        });
    };
    let elimina = move |_| {
        let cosa = if r.fase {
            "la fase"
        } else {
            "l'obiettivo con le sue fasi"
        };
        if !window()
            .confirm_with_message(&format!("Eliminare {cosa} n. {}?", numero()))
            .unwrap_or(false)
        {
            return;
        }
        spawn_local(async move {
            match elimina_riga(
                editor.slug.get_untracked(),
                r.livello(),
                r.id,
                r.version.get_untracked(),
            )
            .await
            {
                Ok(()) => fratelli.update(|v| v.retain(|x| x.id != r.id)),
                Err(AppError::Conflitto(m)) => r.stato.set(Stato::Conflitto(m)),
                Err(e) => r.stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let sposta = move |su: bool| {
        spawn_local(async move {
            match sposta_riga(editor.slug.get_untracked(), r.livello(), r.id, su).await {
                Ok(()) => fratelli.update(|v| {
                    if let Some(i) = v.iter().position(|x| x.id == r.id) {
                        let j = if su { i.wrapping_sub(1) } else { i + 1 };
                        if j < v.len() {
                            v.swap(i, j);
                        }
                    }
                }),
                Err(e) => r.stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let aggiungi_fase = move |_| {
        spawn_local(async move {
            match aggiungi_riga(editor.slug.get_untracked(), Livello::Fase, r.id).await {
                Ok(f) => r.fasi.update(|v| v.push(Riga::new(f, true))),
                Err(e) => r.stato.set(Stato::Errore(e.to_string())),
            }
        });
    };
    let msgs = move |campo: Campo| {
        move || {
            editor
                .messaggi(dove(), campo)
                .into_iter()
                .map(|m| view! { <p class="text-danger small mb-0 violazione">{m}</p> })
                .collect_view()
        }
    };
    let fuori_anno = move || {
        r.data()
            .is_some_and(|d| chrono::Datelike::year(&d) != editor.anno)
    };
    let id = r.id;
    let etichetta = if r.fase { "Fase" } else { "Obiettivo" };
    let fasi_pesi = move || {
        r.fasi
            .with(|fs| fs.iter().filter_map(|f| f.peso()).collect::<Vec<_>>())
    };
    view! {
        <div class=if r.fase { "riga fase border-start border-3 ps-3 ms-4 mb-3" } else { "riga obiettivo border-top pt-3 mb-3" } data-riga=id.to_string()>
            <div class="row g-2">
                <div class="col-md-1">
                    <span class="fw-bold numero" aria-label=move || format!("{etichetta} numero {}", numero())>{numero}</span>
                </div>
                <div class="col-md-5">
                    <label for=format!("d-{id}") class="form-label small fw-semibold mb-0">{if r.fase { "Fase" } else { "Descrizione" }}</label>
                    <textarea id=format!("d-{id}") class="form-control form-control-sm campo-descrizione" rows="3" readonly=ro
                        prop:value=r.descrizione on:input=move |ev| { r.descrizione.set(event_target_value(&ev)); modifica(); }>{r.descrizione.get_untracked()}</textarea>
                    {msgs(Campo::Descrizione)}
                </div>
                <div class="col-md-2">
                    <label for=format!("p-{id}") class="form-label small fw-semibold mb-0">"Peso %"</label>
                    <input id=format!("p-{id}") type="text" inputmode="decimal" class="form-control form-control-sm campo-peso" readonly=ro
                        value=r.peso.get_untracked() prop:value=r.peso on:input=move |ev| { r.peso.set(event_target_value(&ev)); modifica(); }/>
                    {move || {
                        let raw = r.peso.get();
                        (!raw.trim().is_empty()).then(|| Peso::parse(&raw).err()).flatten()
                            .map(|e| view! { <p class="text-danger small mb-0 violazione">{e}</p> })
                    }}
                    {msgs(Campo::Peso)}
                </div>
                <div class="col-md-2">
                    <label for=format!("f-{id}") class="form-label small fw-semibold mb-0">"Data fine attesa"</label>
                    <input id=format!("f-{id}") type="date" class="form-control form-control-sm campo-data" readonly=ro
                        value=r.data_fine.get_untracked() prop:value=r.data_fine on:input=move |ev| { r.data_fine.set(event_target_value(&ev)); modifica(); }/>
                    {move || fuori_anno().then(|| {
                        let cid = format!("c-{id}");
                        view! {
                            <div class="form-check small">
                                <input class="form-check-input" type="checkbox" id=cid.clone() disabled=ro
                                    checked=r.data_confermata.get_untracked() prop:checked=r.data_confermata
                                    on:change=move |ev| { r.data_confermata.set(event_target_checked(&ev)); modifica(); }/>
                                <label class="form-check-label" for=cid>"Confermo la data fuori annualità"</label>
                            </div>
                        }
                    })}
                    {msgs(Campo::DataFine)}
                </div>
                <div class="col-md-2 d-flex flex-column gap-1">
                    {(!ro).then(|| view! {
                        <button class="btn btn-primary btn-sm salva-riga" on:click=move |_| salva()>"Salva"</button>
                        <div class="btn-group btn-group-sm" role="group" aria-label="Ordine">
                            <button class="btn btn-outline-secondary" title="Sposta su" aria-label=move || format!("Sposta su {etichetta} {}", numero()) on:click=move |_| sposta(true)>"↑"</button>
                            <button class="btn btn-outline-secondary" title="Sposta giù" aria-label=move || format!("Sposta giù {etichetta} {}", numero()) on:click=move |_| sposta(false)>"↓"</button>
                            <button class="btn btn-outline-danger" aria-label=move || format!("Elimina {etichetta} {}", numero()) on:click=elimina>"Elimina"</button>
                        </div>
                    })}
                    {stato_view(r.stato)}
                    {move || matches!(r.stato.get(), Stato::Conflitto(_)).then(|| view! {
                        <button class="btn btn-outline-primary btn-sm" on:click=move |_| risolvi(true)>"Tieni le mie modifiche"</button>
                        <button class="btn btn-outline-secondary btn-sm" on:click=move |_| risolvi(false)>"Carica la versione attuale"</button>
                    })}
                </div>
                <div class="col-md-5 offset-md-1">
                    <label for=format!("i-{id}") class="form-label small fw-semibold mb-0">"Indicatori di misurazione"</label>
                    <textarea id=format!("i-{id}") class="form-control form-control-sm" rows="2" readonly=ro
                        prop:value=r.indicatori on:input=move |ev| { r.indicatori.set(event_target_value(&ev)); modifica(); }>{r.indicatori.get_untracked()}</textarea>
                </div>
                <div class="col-md-6">
                    <label for=format!("v-{id}") class="form-label small fw-semibold mb-0">"Valori attesi"</label>
                    <textarea id=format!("v-{id}") class="form-control form-control-sm" rows="2" readonly=ro
                        prop:value=r.valori_attesi on:input=move |ev| { r.valori_attesi.set(event_target_value(&ev)); modifica(); }>{r.valori_attesi.get_untracked()}</textarea>
                </div>
            </div>
            {(!r.fase).then(|| view! { <libreria::OrigineModello r editor ro/> })}
            {(!r.fase).then(|| view! {
                <div class="fasi mt-2">
                    {move || (!r.fasi.with(Vec::is_empty)).then(|| {
                        let ok = totale_esatto(&fasi_pesi());
                        view! {
                            <p class=if ok { "totale-fasi small text-success ms-4 mb-1" } else { "totale-fasi small text-danger ms-4 mb-1" } aria-live="polite">
                                {format!("Fasi — {}", totale_label(&fasi_pesi()))}
                            </p>
                        }
                    })}
                    {msgs(Campo::Pesi)}
                    <For each=move || r.fasi.get() key=|f| f.id let:f>
                        <RigaEditor riga=f fratelli=r.fasi editor struttura padre=Some(r)/>
                    </For>
                    {(!ro).then(|| view! { <button class="btn btn-link btn-sm ms-4" on:click=aggiungi_fase>"Aggiungi fase"</button> })}
                </div>
            })}
        </div>
    }
    .into_any()
}

/// "Nuovo piano per il {anno+1}": the next year's draft from this approved plan.
#[component]
fn RinnovaPiano(anno: i32) -> impl IntoView {
    let slug = slug_param();
    let rinnova = ServerAction::<crate::api::cruscotto::Rinnova>::new();
    view! {
        <ActionForm action=rinnova attr:id="rinnova-piano" attr:class="mb-3">
            <input type="hidden" name="slug" value=slug.get_untracked()/>
            <input type="hidden" name="anno" value=anno.to_string()/>
            <button type="submit" class="btn btn-outline-primary btn-sm">{format!("Nuovo piano per il {}", anno + 1)}</button>
        </ActionForm>
        <div aria-live="polite">
            {move || rinnova.pending().get().then(|| view! { <p role="status">"Preparazione del piano in corso…"</p> })}
            {move || rinnova.value().get().map(|r| match r {
                Ok(e) => view! { <ul class="list-unstyled"><crate::pages::cruscotto::Esito e/></ul> }.into_any(),
                Err(e) => view! { <div class="alert alert-danger" role="alert">{e.to_string()}</div> }.into_any(),
            })}
        </div>
    }
}
