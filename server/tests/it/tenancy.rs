//! Isolation between enti, proven twice: through every endpoint as every role (the attack
//! suite), and in the database itself (Row-Level Security as the runtime role).

use std::collections::BTreeSet;

use axum::http::StatusCode;
use server::testing::TestDb;

use crate::support::{snapshot_of, state, two_tenants, tx_in, Client, Reply, ROLES_A};

/// One attack: a server function called with ente B's identifiers.
struct Attack {
    path: &'static str,
    form: Vec<(&'static str, String)>,
}

/// Every server function, and how it is attacked. A function that takes no id of another
/// ente is listed with the scope check that proves it stays in the caller's own data.
fn attacks(t: &crate::support::Tenants) -> Vec<Attack> {
    let b = || ("slug", "ente-b".to_string());
    let a = || ("slug", "ente-a".to_string());
    let dip_b = || ("user_id", t.dip_b.to_string());
    let admin_b = || ("user_id", t.admin_b.to_string());
    let mk = |path, form: Vec<(&'static str, String)>| Attack { path, form };
    let kv = |k: &'static str, v: &str| (k, v.to_string());
    let mb = t.modello_b.to_string();
    let (sb, ob, fb) = (
        t.struttura_b.to_string(),
        t.obiettivo_b.to_string(),
        t.fase_b.to_string(),
    );
    let mon = t.monitoraggio_b.to_string();
    let mis = t.misura_b.to_string();
    let misura = |slug: fn() -> (&'static str, String), id: &str| {
        vec![
            slug(),
            kv("anno", "2022"),
            kv("obiettivo_id", &ob),
            kv("misura_id", id),
            kv("version", if id.is_empty() { "0" } else { "1" }),
            kv("descrizione", "manomesso"),
            kv("tipo", "numero"),
            kv("atteso", "1"),
            kv("effettivo", "1"),
        ]
    };
    let staff = t.staff_b.to_string();
    let scheda = |slug: fn() -> (&'static str, String)| {
        vec![slug(), kv("anno", "2022"), kv("dipendente", &staff)]
    };
    let passo = |slug: fn() -> (&'static str, String)| {
        let mut f = scheda(slug);
        f.push(kv("version", "1"));
        f
    };
    let compila = |slug: fn() -> (&'static str, String)| {
        let mut f = passo(slug);
        f.extend([
            kv("voti[0]", "5"),
            kv("colloquio_finale", "2023-01-20"),
            kv("proponi", "on"),
        ]);
        f
    };
    let dati_premi = |slug: fn() -> (&'static str, String)| {
        let mut f = passo(slug);
        f.extend([kv("assenze", "0"), kv("congedi", "0"), kv("sanzione", "4")]);
        f
    };
    let premi_modulo = || {
        let m = app::domain::premi::ModuloPremi::da(&app::domain::premi::Parametri {
            fondo_personale: 1.0,
            ..Default::default()
        });
        m.coppie()
            .into_iter()
            .map(|(k, v)| -> (&'static str, String) {
                (Box::leak(format!("modulo[{k}]").into_boxed_str()), v)
            })
            .collect::<Vec<_>>()
    };
    let profilo = |slug: fn() -> (&'static str, String)| {
        vec![
            slug(),
            kv("base", "1"),
            kv("metodo", "fasi"),
            kv("alfa", "50"),
            kv("penalita", "0"),
            kv("soglia", "10"),
            kv("tetto", "120"),
            kv("media", "uguale"),
            kv("raggiunto", "90"),
            kv("parziale", "50"),
            kv("etichetta_1", "A"),
            kv("etichetta_2", "B"),
            kv("etichetta_3", "C"),
        ]
    };
    let date = |slug: fn() -> (&'static str, String)| {
        vec![
            slug(),
            kv("anno", "2022"),
            kv("id", &mon),
            kv("version", "1"),
            kv("data_riferimento", "2022-05-31"),
            kv("scadenza_responsabili", ""),
            kv("scadenza_nucleo", ""),
        ]
    };
    let avanzamento = |slug: fn() -> (&'static str, String), fase: &str| {
        vec![
            slug(),
            kv("anno", "2022"),
            kv("monitoraggio_id", &mon),
            kv("obiettivo_id", &ob),
            kv("fase_id", fase),
            kv("version", "0"),
            kv("percentuale", "100"),
        ]
    };
    let rilevazione = |slug: fn() -> (&'static str, String), extra: Vec<(&'static str, String)>| {
        let mut v = vec![
            slug(),
            kv("anno", "2022"),
            kv("monitoraggio_id", &mon),
            kv("struttura_id", &sb),
        ];
        v.extend(extra);
        v
    };
    let riga = |slug: fn() -> (&'static str, String), livello: &str, id: &str| {
        vec![
            slug(),
            kv("livello", livello),
            kv("id", id),
            kv("version", "1"),
            kv("descrizione", "manomesso"),
            kv("peso", "50"),
            kv("indicatori", ""),
            kv("valori_attesi", ""),
            kv("data_fine", "2022-12-31"),
        ]
    };
    let struttura = |slug: fn() -> (&'static str, String)| {
        vec![
            slug(),
            kv("id", &sb),
            kv("version", "1"),
            kv("nome", "manomessa"),
            kv("responsabile_titolo", ""),
            kv("responsabile_nome", ""),
            kv("responsabile_user_id", ""),
            kv("linea_strategica", ""),
            kv("obiettivo_strategico", ""),
            kv("missioni", ""),
            kv("obiettivo_operativo", ""),
        ]
    };
    vec![
        mk("/api/piani/elenco", vec![b()]),
        mk(
            "/api/piani/crea",
            vec![b(), kv("anno", "2023"), kv("modello", "vuoto")],
        ),
        mk("/api/piani/carica", vec![b(), kv("anno", "2022")]),
        mk(
            "/api/piani/salva",
            vec![
                b(),
                kv("anno", "2022"),
                kv("version", "1"),
                kv("regolamento", "x"),
                kv("riferimenti_normativi", "x"),
                kv("programmazione_strategica", "x"),
                kv("territorio", "x"),
            ],
        ),
        mk("/api/piani/struttura/salva", struttura(b)),
        mk("/api/piani/struttura/salva", struttura(a)),
        mk("/api/piani/riga/salva", riga(b, "obiettivo", &ob)),
        mk("/api/piani/riga/salva", riga(a, "obiettivo", &ob)),
        mk("/api/piani/riga/salva", riga(a, "fase", &fb)),
        mk(
            "/api/piani/riga/attuale",
            vec![a(), kv("livello", "obiettivo"), kv("id", &ob)],
        ),
        mk(
            "/api/piani/riga/attuale",
            vec![b(), kv("livello", "fase"), kv("id", &fb)],
        ),
        mk(
            "/api/piani/riga/aggiungi",
            vec![a(), kv("livello", "obiettivo"), kv("parent", &sb)],
        ),
        mk(
            "/api/piani/riga/aggiungi",
            vec![a(), kv("livello", "fase"), kv("parent", &ob)],
        ),
        mk(
            "/api/piani/riga/elimina",
            vec![
                a(),
                kv("livello", "obiettivo"),
                kv("id", &ob),
                kv("version", "1"),
            ],
        ),
        mk(
            "/api/piani/riga/elimina",
            vec![
                b(),
                kv("livello", "fase"),
                kv("id", &fb),
                kv("version", "1"),
            ],
        ),
        mk(
            "/api/piani/riga/sposta",
            vec![
                a(),
                kv("livello", "obiettivo"),
                kv("id", &ob),
                kv("su", "false"),
            ],
        ),
        mk(
            "/api/piani/struttura/aggiungi",
            vec![b(), kv("anno", "2022")],
        ),
        mk(
            "/api/piani/struttura/sposta",
            vec![a(), kv("id", &sb), kv("su", "false")],
        ),
        mk(
            "/api/piani/struttura/sposta",
            vec![b(), kv("id", &sb), kv("su", "false")],
        ),
        mk("/api/piani/struttura/elimina", vec![a(), kv("id", &sb)]),
        mk("/api/piani/struttura/elimina", vec![b(), kv("id", &sb)]),
        mk(
            "/api/piani/approva",
            vec![
                b(),
                kv("anno", "2022"),
                kv("delibera_numero", "1"),
                kv("delibera_data", "2022-03-01"),
            ],
        ),
        mk("/api/piani/riapri", vec![b(), kv("anno", "2022")]),
        mk("/api/personale/elenco", vec![b()]),
        mk(
            "/api/personale/salva",
            vec![
                b(),
                kv("matricola", "B1"),
                kv("cognome", "Manomesso"),
                kv("nome", "X"),
                kv("area", "Istruttori"),
                kv("profilo", ""),
                kv("struttura", ""),
                kv("email", ""),
                kv("attivo_dal", ""),
            ],
        ),
        mk(
            "/api/carica/personale",
            vec![
                b(),
                kv("file", "matricola;cognome;nome;area\nB1;Manomesso;X;C1\n"),
            ],
        ),
        mk(
            "/api/personale/accessi",
            vec![b(), kv("dipendente_id", &t.staff_b.to_string())],
        ),
        mk(
            "/api/personale/accessi",
            vec![a(), kv("dipendente_id", &t.staff_b.to_string())],
        ),
        mk("/api/personale/assegnazioni", vec![b(), kv("anno", "2022")]),
        mk(
            "/api/personale/assegnazioni/aggiungi",
            vec![
                a(),
                kv("obiettivo_id", &ob),
                kv("dipendente_id", &t.staff_b.to_string()),
                kv("peso", "50"),
            ],
        ),
        mk(
            "/api/personale/assegnazioni/aggiungi",
            vec![
                b(),
                kv("obiettivo_id", &ob),
                kv("dipendente_id", &t.staff_b.to_string()),
                kv("peso", "50"),
            ],
        ),
        mk(
            "/api/personale/assegnazioni/salva",
            vec![
                a(),
                kv("id", &t.assegnazione_b.to_string()),
                kv("version", "1"),
                kv("peso", "10"),
            ],
        ),
        mk(
            "/api/personale/assegnazioni/elimina",
            vec![a(), kv("id", &t.assegnazione_b.to_string())],
        ),
        mk(
            "/api/personale/assegnazioni/elimina",
            vec![b(), kv("id", &t.assegnazione_b.to_string())],
        ),
        mk(
            "/api/personale/miei-obiettivi",
            vec![b(), kv("anno", "2022")],
        ),
        mk(
            "/api/libreria/cerca",
            vec![
                b(),
                kv("testo", ""),
                kv("tipo", ""),
                kv("missione", ""),
                kv("natura", ""),
            ],
        ),
        mk(
            "/api/libreria/modello",
            vec![kv("id", &mb), kv("versione", "0")],
        ),
        mk(
            "/api/libreria/salva",
            vec![
                kv("id", &mb),
                kv("versione", "1"),
                kv("titolo", "Manomesso"),
                kv("descrizione", "Manomesso"),
                kv("peso", "10"),
                kv("indicatori", ""),
                kv("valori_attesi", ""),
                kv("scadenza", "31/12"),
                kv("natura", "sviluppo"),
                kv("tipi", ""),
                kv("missioni", ""),
                kv("fasi", "[]"),
            ],
        ),
        mk("/api/libreria/duplica", vec![kv("id", &mb)]),
        mk(
            "/api/libreria/ritira",
            vec![kv("id", &mb), kv("ritirato", "true")],
        ),
        mk(
            "/api/libreria/da-obiettivo",
            vec![b(), kv("obiettivo_id", &ob)],
        ),
        mk(
            "/api/libreria/da-obiettivo",
            vec![a(), kv("obiettivo_id", &ob)],
        ),
        mk(
            "/api/piani/adotta",
            vec![a(), kv("struttura_id", &sb), kv("modello_id", &mb)],
        ),
        mk(
            "/api/piani/adotta",
            vec![b(), kv("struttura_id", &sb), kv("modello_id", &mb)],
        ),
        mk(
            "/api/piani/aggiornamento",
            vec![a(), kv("obiettivo_id", &ob)],
        ),
        mk(
            "/api/piani/aggiornamento/applica",
            vec![
                a(),
                kv("obiettivo_id", &ob),
                kv("version", "1"),
                kv("a", "1"),
                kv("campi", "descrizione"),
            ],
        ),
        mk(
            "/api/piani/aggiornamento/ignora",
            vec![b(), kv("obiettivo_id", &ob), kv("a", "1")],
        ),
        mk("/api/enti/home", vec![b()]),
        mk("/api/allegato/stato", vec![b(), kv("anno", "2022")]),
        mk(
            "/api/carica/certificato-firma",
            vec![
                b(),
                kv("password", "x"),
                kv("firmatario", "Intruso"),
                kv("ruolo", "Intruso"),
                kv("file", "0\u{0}"),
            ],
        ),
        mk("/api/allegato/firma/rimuovi", vec![b()]),
        mk(
            "/api/allegato/firma/applica",
            vec![b(), kv("anno", "2022"), kv("formato", "pades")],
        ),
        mk(
            "/api/carica/copia-firmata",
            vec![b(), kv("anno", "2022"), kv("file", "%PDF-1.7 manomesso")],
        ),
        mk("/api/utenti/elenco", vec![b()]),
        mk("/api/ente/registro", vec![b()]),
        mk("/api/utenti/2fa", vec![b()]),
        mk(
            "/api/utenti/richiedi-2fa",
            vec![b(), ("richiesto", "on".into())],
        ),
        mk(
            "/api/utenti/crea",
            vec![
                b(),
                ("email", "intruso@test.it".into()),
                ("display_name", "Intruso".into()),
                ("role", "ente_admin".into()),
            ],
        ),
        mk(
            "/api/utenti/ruolo",
            vec![b(), dip_b(), ("role", "ente_admin".into())],
        ),
        mk(
            "/api/utenti/ruolo",
            vec![a(), dip_b(), ("role", "ente_admin".into())],
        ),
        mk(
            "/api/utenti/disattiva",
            vec![b(), admin_b(), ("disabled", "true".into())],
        ),
        mk(
            "/api/utenti/disattiva",
            vec![a(), admin_b(), ("disabled", "true".into())],
        ),
        mk("/api/utenti/reimposta-password", vec![b(), admin_b()]),
        mk("/api/utenti/reimposta-password", vec![a(), admin_b()]),
        mk("/api/monitoraggio/elenco", vec![b(), kv("anno", "2022")]),
        mk("/api/versioni/elenco", vec![b(), kv("anno", "2022")]),
        mk(
            "/api/versioni/carica",
            vec![b(), kv("anno", "2022"), kv("numero", "1")],
        ),
        mk(
            "/api/versioni/confronta",
            vec![b(), kv("anno", "2022"), kv("da", "1"), kv("a", "0")],
        ),
        mk(
            "/api/piani/rimodula",
            vec![b(), kv("anno", "2022"), kv("motivo", "manomissione")],
        ),
        mk(
            "/api/monitoraggio/crea",
            vec![
                b(),
                kv("anno", "2022"),
                kv("data_riferimento", "2022-09-30"),
            ],
        ),
        mk(
            "/api/monitoraggio/predefiniti",
            vec![b(), kv("anno", "2022")],
        ),
        mk("/api/monitoraggio/date", date(b)),
        mk("/api/monitoraggio/date", date(a)),
        mk(
            "/api/monitoraggio/carica",
            vec![b(), kv("anno", "2022"), kv("id", &mon)],
        ),
        mk(
            "/api/monitoraggio/carica",
            vec![a(), kv("anno", "2022"), kv("id", &mon)],
        ),
        mk("/api/monitoraggio/salva", avanzamento(b, "")),
        mk("/api/monitoraggio/salva", avanzamento(a, "")),
        mk("/api/monitoraggio/salva", avanzamento(a, &fb)),
        mk("/api/monitoraggio/invia", rilevazione(b, vec![])),
        mk("/api/monitoraggio/invia", rilevazione(a, vec![])),
        mk(
            "/api/monitoraggio/riapri",
            rilevazione(a, vec![kv("motivo", "manomissione")]),
        ),
        mk(
            "/api/monitoraggio/riapri",
            rilevazione(b, vec![kv("motivo", "manomissione")]),
        ),
        mk(
            "/api/monitoraggio/nota",
            vec![
                b(),
                kv("anno", "2022"),
                kv("monitoraggio_id", &mon),
                kv("obiettivo_id", &ob),
                kv("version", "0"),
                kv("testo", "manomessa"),
            ],
        ),
        mk(
            "/api/carica/evidenza",
            vec![
                b(),
                kv("anno", "2022"),
                kv("monitoraggio_id", &mon),
                kv("obiettivo_id", &ob),
                kv("file", "%PDF-1.7 manomesso"),
            ],
        ),
        mk(
            "/api/carica/evidenza",
            vec![
                a(),
                kv("anno", "2022"),
                kv("monitoraggio_id", &mon),
                kv("obiettivo_id", &ob),
                kv("file", "%PDF-1.7 manomesso"),
            ],
        ),
        mk("/api/chiusura", vec![b(), kv("anno", "2022")]),
        mk("/api/chiusura/avvia", vec![b(), kv("anno", "2022")]),
        mk("/api/chiusura/profilo", vec![b(), kv("anno", "2022")]),
        mk(
            "/api/chiusura/metodo",
            vec![
                b(),
                kv("anno", "2022"),
                kv("obiettivo_id", &ob),
                kv("version", "0"),
                kv("metodo", "indicatori"),
            ],
        ),
        mk(
            "/api/chiusura/metodo",
            vec![
                a(),
                kv("anno", "2022"),
                kv("obiettivo_id", &ob),
                kv("version", "0"),
                kv("metodo", "indicatori"),
            ],
        ),
        mk("/api/chiusura/misura", misura(b, "")),
        mk("/api/chiusura/misura", misura(b, &mis)),
        mk("/api/chiusura/misura", misura(a, "")),
        mk("/api/chiusura/misura", misura(a, &mis)),
        mk(
            "/api/chiusura/misura/elimina",
            vec![
                b(),
                kv("anno", "2022"),
                kv("misura_id", &mis),
                kv("version", "1"),
            ],
        ),
        mk(
            "/api/chiusura/misura/elimina",
            vec![
                a(),
                kv("anno", "2022"),
                kv("misura_id", &mis),
                kv("version", "1"),
            ],
        ),
        mk(
            "/api/chiusura/rettifica",
            vec![
                b(),
                kv("anno", "2022"),
                kv("obiettivo_id", &ob),
                kv("tipo", "non_valutabile"),
                kv("motivo", "manomissione"),
            ],
        ),
        mk("/api/relazione", vec![b(), kv("anno", "2022")]),
        mk(
            "/api/relazione/salva",
            vec![
                b(),
                kv("anno", "2022"),
                kv("version", "0"),
                kv("contesto", "manomesso"),
            ],
        ),
        mk(
            "/api/relazione/adotta",
            vec![
                b(),
                kv("anno", "2022"),
                kv("version", "0"),
                kv("delibera_numero", "1"),
                kv("delibera_data", "2023-04-30"),
            ],
        ),
        mk(
            "/api/relazione/validazione",
            vec![b(), kv("anno", "2022"), kv("componenti", "1")],
        ),
        mk(
            "/api/relazione/esamina",
            vec![b(), kv("anno", "2022"), kv("obiettivo_id", &ob)],
        ),
        mk(
            "/api/relazione/esito",
            vec![
                b(),
                kv("anno", "2022"),
                kv("version", "1"),
                kv("esito", "non_validata"),
                kv("testo", "manomesso"),
            ],
        ),
        mk(
            "/api/carica/validazione",
            vec![
                b(),
                kv("anno", "2022"),
                kv("version", "1"),
                kv("password", "x"),
                kv("file", "0\u{0}"),
            ],
        ),
        mk("/api/smvp/ente", vec![b()]),
        mk("/api/smvp/ente/salva", profilo(b)),
        mk(
            "/api/smvp/ente/adotta",
            vec![
                b(),
                kv("base", "1"),
                kv("studio_numero", "1"),
                kv("campo_soglia", "on"),
            ],
        ),
        mk("/api/valutazioni", vec![b(), kv("anno", "2022")]),
        mk("/api/valutazioni/prepara", vec![b(), kv("anno", "2022")]),
        mk("/api/valutazioni/scheda", scheda(b)),
        mk("/api/valutazioni/scheda", scheda(a)),
        mk("/api/valutazioni/salva", compila(b)),
        mk("/api/valutazioni/salva", compila(a)),
        mk("/api/valutazioni/visione", passo(b)),
        mk("/api/valutazioni/visione", passo(a)),
        mk("/api/valutazioni/risposta", {
            let mut f = passo(a);
            f.extend([kv("revisione", "true"), kv("testo", "manomesso")]);
            f
        }),
        mk("/api/valutazioni/risposta", passo(b)),
        mk("/api/valutazioni/decidi", {
            let mut f = compila(a);
            f.extend([kv("audizione", "2023-02-01"), kv("decisione", "manomessa")]);
            f
        }),
        mk("/api/valutazioni/decidi", {
            let mut f = compila(b);
            f.extend([kv("audizione", "2023-02-01"), kv("decisione", "manomessa")]);
            f
        }),
        mk("/api/valutazioni/chiudi", passo(b)),
        mk("/api/valutazioni/chiudi", passo(a)),
        mk("/api/valutazioni/dati-premi", dati_premi(b)),
        mk("/api/valutazioni/dati-premi", dati_premi(a)),
        mk("/api/carica/scheda", {
            let mut f = passo(b);
            f.extend([kv("password", "x"), kv("file", "0\u{0}")]);
            f
        }),
        mk("/api/premi", vec![b(), kv("anno", "2022")]),
        mk("/api/premi/salva", {
            let mut f = vec![b(), kv("anno", "2022"), kv("version", "1")];
            f.extend(premi_modulo());
            f
        }),
        mk(
            "/api/premi/definitiva",
            vec![b(), kv("anno", "2022"), kv("version", "1")],
        ),
        mk("/api/piani/rinnova", vec![b(), kv("anno", "2022")]),
        mk("/api/scadenze", vec![b(), kv("anno", "2022")]),
        mk(
            "/api/scadenze/sposta",
            vec![
                b(),
                kv("anno", "2022"),
                kv("tipo", "piao"),
                kv("data", "2022-03-01"),
            ],
        ),
        // Any ente not of the caller's firm makes the whole call a 404, nothing is made.
        mk(
            "/api/studio/rinnova",
            vec![kv("anno", "2022"), kv("enti[0]", "ente-b")],
        ),
        mk(
            "/api/studio/rinnova",
            vec![
                kv("anno", "2022"),
                kv("enti[0]", "ente-a"),
                kv("enti[1]", "ente-b"),
            ],
        ),
        // Another firm's template: it does not exist for the caller.
        mk("/api/libreria/proponi", vec![kv("id", &mb)]),
        // The header's menu of another ente's page.
        mk("/api/navigazione", vec![b()]),
        mk(
            "/api/carica/referto",
            vec![
                b(),
                kv("anno", "2022"),
                kv("monitoraggio_id", &mon),
                kv("password", "x"),
                kv("file", "0\u{0}"),
            ],
        ),
    ]
}

/// Server functions that take no id of an ente, firm or user: checked for scope below.
const NO_ID: &[&str] = &[
    "/api/sessione/utente",
    "/api/sessione/stato-accesso",
    "/api/enti/miei",
    "/api/studio/consulenti",
    "/api/studio/nuovo-consulente",
    "/api/studio/nuovo-ente",
    // The caller's own firm, whatever the form says: see `due_fattori.rs`.
    "/api/studio/2fa",
    "/api/studio/richiedi-2fa",
    // Enters each ente of the caller's own firm through the door: see `monitoraggio.rs`.
    "/api/studio/monitoraggi",
    // The caller's own firm's SMVP profile: see `chiusura.rs`.
    "/api/studio/smvp",
    "/api/studio/smvp/salva",
    "/api/admin/studi",
    "/api/admin/accessi",
    "/api/admin/nuovo-studio",
    "/api/account/password",
    // Takes a code, acts on the caller's own account only: see `account.rs`.
    "/api/account/accetta-invito",
    // The caller's own second factor: see `account.rs`.
    "/api/account/2fa/stato",
    "/api/account/2fa/inizia",
    "/api/account/2fa/conferma",
    "/api/account/2fa/disattiva",
    // The caller's own sessions: see `sessions.rs`.
    "/api/account/sessioni",
    "/api/account/sessioni/chiudi-altre",
    // The caller's own firm's enti (the door sets them), deadlines and reminder days: the
    // cockpit's scope is checked below and in `cruscotto.rs`.
    "/api/studio/cruscotto",
    "/api/studio/scadenze",
    "/api/studio/scadenze/salva",
    // The caller's own reminders: see `cruscotto.rs`.
    "/api/promemoria",
    "/api/promemoria/letti",
    "/api/promemoria/email",
    "/api/promemoria/email/imposta",
];

#[test]
fn every_server_function_is_in_the_attack_suite() {
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    let t = crate::support::Tenants::default();
    let covered: BTreeSet<String> = attacks(&t)
        .iter()
        .map(|a| a.path.to_string())
        .chain(NO_ID.iter().map(|p| p.to_string()))
        .collect();
    assert_eq!(
        registered, covered,
        "a server function without an attack test (or a stale entry in the suite)"
    );
}

fn refused(r: &Reply) -> bool {
    matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN)
}

#[tokio::test]
async fn no_role_of_ente_a_reaches_ente_b() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let before = snapshot_of(&db, t.ente_b).await;
    for email in ROLES_A {
        let mut c = Client::logged_in(&st, email).await;
        for attack in attacks(&t) {
            let form: Vec<(&str, &str)> =
                attack.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = c.post(attack.path, &form).await;
            assert!(
                refused(&r),
                "{email} → {} {:?}: {} {}",
                attack.path,
                form,
                r.status,
                r.body
            );
            // Admins of A get exactly "not found": B's ids do not exist for them.
            if form.iter().any(|(k, v)| *k == "slug" && *v == "ente-b")
                || *email == "admin.a@test.it"
                || *email == "consulente.1@test.it"
            {
                assert_eq!(
                    r.status,
                    StatusCode::NOT_FOUND,
                    "{email} → {} {:?}",
                    attack.path,
                    form
                );
            }
            assert!(
                !r.body.contains("ente-b") && !r.body.contains("dip.b@test.it"),
                "{}",
                r.body
            );
        }
        for page in [
            "/e/ente-b",
            "/e/ente-b/utenti",
            "/e/ente-b/piani",
            "/e/ente-b/piani/2022",
        ] {
            let r = c.get(page).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{email} GET {page}");
            assert!(r.body.contains("Pagina non trovata"));
            assert!(
                !r.body.contains("Comune B"),
                "{email} GET {page} leaked B's name"
            );
        }
        for file in [
            "/e/ente-b/piani/2022/allegato.pdf",
            "/e/ente-b/piani/2022/relazione.pdf",
            "/e/ente-b/piani/2022/relazione.odt",
            "/e/ente-b/piani/2022/validazione.pdf",
            "/e/ente-b/piani/2022/pubblicazione.zip",
            "/e/ente-b/piani/2022/premi/cedolini.csv",
            "/e/ente-b/piani/2022/premi/determina.odt",
            "/e/ente-b/piani/2022/premi/art20.csv",
            "/e/ente-b/piani/2022/premi/art20.pdf",
            "/e/ente-b/piani/2022/piano.xlsx",
            &format!("/e/ente-b/piani/2022/valutazioni/{}/scheda.pdf", t.staff_b),
            &format!("/e/ente-b/piani/2022/firmati/{}", uuid::Uuid::new_v4()),
        ] {
            let r = c.get(file).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{email} GET {file}");
            assert_eq!(r.body, "Non trovato.");
        }
        // Functions without ids stay in the caller's own scope.
        let r = c.post("/api/enti/miei", &[]).await;
        assert!(!r.body.contains("ente-b"), "{email}: {}", r.body);
        let r = c.post("/api/studio/consulenti", &[]).await;
        assert!(
            !r.body.contains("consulente.2@test.it"),
            "{email}: {}",
            r.body
        );
        let r = c.post("/api/studio/cruscotto", &[]).await;
        assert!(!r.body.contains("ente-b"), "{email}: {}", r.body);
        let r = c.get("/studio/cruscotto.csv").await;
        assert!(!r.body.contains("Comune B"), "{email}: {}", r.body);
    }
    assert_eq!(
        before,
        snapshot_of(&db, t.ente_b).await,
        "ente B's data changed"
    );
}

#[tokio::test]
async fn an_unknown_ente_and_a_foreign_one_look_the_same() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    let foreign = c.post("/api/enti/home", &[("slug", "ente-b")]).await;
    let missing = c.post("/api/enti/home", &[("slug", "non-esiste")]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        (foreign.status, foreign.body),
        (missing.status, missing.body)
    );
}

#[tokio::test]
async fn roles_lacking_rights_in_their_own_ente_are_refused() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let before = snapshot_of(&db, t.ente_a).await;
    for email in ["resp.a@test.it", "dip.a@test.it", "nucleo.a@test.it"] {
        let mut c = Client::logged_in(&st, email).await;
        let r = c.post("/api/utenti/elenco", &[("slug", "ente-a")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
        let dip_a = t.dip_a.to_string();
        let r = c
            .post(
                "/api/utenti/ruolo",
                &[
                    ("slug", "ente-a"),
                    ("user_id", &dip_a),
                    ("role", "ente_admin"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
        let err: app::error::AppError = serde_json::from_str(&r.body).unwrap();
        assert_eq!(err.to_string(), "Non hai i permessi per questa operazione.");
        let r = c.post("/api/admin/studi", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
        let r = c
            .post(
                "/api/studio/nuovo-ente",
                &[
                    ("name", "X"),
                    ("provincia", ""),
                    ("codice_istat", ""),
                    ("codice_ipa", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
    }
    assert_eq!(before, snapshot_of(&db, t.ente_a).await);
}

#[tokio::test]
async fn admins_and_consultants_manage_users_of_their_ente() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    for (email, new_user) in [
        ("admin.a@test.it", "nuovo1@test.it"),
        ("consulente.1@test.it", "nuovo2@test.it"),
    ] {
        let mut c = Client::logged_in(&st, email).await;
        let r = c
            .post(
                "/api/utenti/crea",
                &[
                    ("slug", "ente-a"),
                    ("email", new_user),
                    ("display_name", "Nuovo Utente"),
                    ("role", "responsabile"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let otp: app::model::OneTimePassword = serde_json::from_str(&r.body).unwrap();
        // The new user signs in with the code, chooses a password, and is in ente A.
        let mut n = Client::first_access(&st, new_user, &otp.codice).await;
        let r = n.get("/e/ente-a").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Responsabile di struttura"));
    }
    // Disable: the membership stops working at once.
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let mut dip = Client::logged_in(&st, "dip.a@test.it").await;
    assert_eq!(dip.get("/e/ente-a").await.status, StatusCode::OK);
    let dip_a = t.dip_a.to_string();
    let r = admin
        .post(
            "/api/utenti/disattiva",
            &[
                ("slug", "ente-a"),
                ("user_id", &dip_a),
                ("disabled", "true"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(dip.get("/e/ente-a").await.status, StatusCode::NOT_FOUND);
    // Bad input: a clear Italian message.
    let r = admin
        .post(
            "/api/utenti/crea",
            &[
                ("slug", "ente-a"),
                ("email", "non-una-mail"),
                ("display_name", "X"),
                ("role", "dipendente"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Indirizzo e-mail non valido."),
        "{}",
        r.body
    );
    let r = admin
        .post(
            "/api/utenti/crea",
            &[
                ("slug", "ente-a"),
                ("email", "x@test.it"),
                ("display_name", "X"),
                ("role", "consultant"),
            ],
        )
        .await;
    let err: app::error::AppError = serde_json::from_str(&r.body).unwrap();
    assert_eq!(err.to_string(), "Ruolo non valido.");
    // What happened is on record.
    let mut o = db.owner().await;
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where ente_id = $1 order by id")
            .bind(t.ente_a)
            .fetch_all(&mut o)
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "utente_invitato",
            "invito_accettato",
            "utente_invitato",
            "invito_accettato",
            "utente_disattivato"
        ]
    );
}

/// The database alone keeps tenants apart, whatever the application does.
#[tokio::test]
async fn rls_as_the_runtime_role() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let tables: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
          join pg_attribute a on a.attrelid = c.oid and a.attname = 'ente_id' and not a.attisdropped
         where n.nspname = 'public' and c.relkind = 'r' order by 1",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(
        tables.contains(&"memberships".to_string()) && tables.contains(&"audit_log".to_string())
    );
    // Enabled and forced on every table with an ente_id (a new table without RLS fails here).
    let unprotected: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relname = any($1)
           and not (c.relrowsecurity and c.relforcerowsecurity)",
    )
    .bind(&tables)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(
        unprotected.is_empty(),
        "without forced RLS: {unprotected:?}"
    );
    // No ente set: nothing, from every ente-owned table and from enti itself.
    for table in tables.iter().chain(std::iter::once(&"enti".to_string())) {
        let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(n, 0, "{table} visible with no ente set");
    }
    // Ente A set: A's rows only; writing a row of B is refused by the database.
    let mut tx = tx_in(&db, t.ente_a).await;
    let seen: Vec<uuid::Uuid> = sqlx::query_scalar("select distinct ente_id from memberships")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, vec![t.ente_a]);
    let err = sqlx::query(
        "insert into memberships (ente_id, user_id, role) values ($1, $2, 'ente_admin')",
    )
    .bind(t.ente_b)
    .bind(t.dip_a)
    .execute(&mut *tx)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(tx);
    let mut tx = tx_in(&db, t.ente_a).await;
    let err = sqlx::query("insert into audit_log (ente_id, action) values ($1, 'x')")
        .bind(t.ente_b)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(tx);
    // Updates of B's rows touch nothing.
    let mut tx = tx_in(&db, t.ente_a).await;
    let n = sqlx::query("update memberships set role = 'nucleo' where ente_id = $1")
        .bind(t.ente_b)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(n, 0);
    tx.commit().await.unwrap();
    // The setting is transaction-local: the pooled connection forgets it.
    let n: i64 = sqlx::query_scalar("select count(*) from memberships")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

/// The cockpit's select-only policies (a firm reading all its enti) belong to the role the
/// cockpit's door sets: outside it, naming an ente in `app.enti_studio` opens nothing, and
/// an ente's own reads do not carry the cockpit's check (which cost every row read).
#[tokio::test]
async fn the_cockpits_policies_apply_only_to_the_cockpits_role() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let studio = format!("{{{}}}", t.ente_b);
    let piani = "select count(*) from piani";
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("select set_config('app.enti_studio', $1, true)")
        .bind(&studio)
        .execute(&mut *tx)
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar(piani).fetch_one(&mut *tx).await.unwrap();
    assert_eq!(n, 0, "ente B's plans read outside the cockpit's role");
    // The same setting with the role set: ente B's plans (the check above can fail).
    sqlx::query(&format!(
        "set local role {}",
        app::ssr::porta::RUOLO_CRUSCOTTO
    ))
    .execute(&mut *tx)
    .await
    .unwrap();
    let n: i64 = sqlx::query_scalar(piani).fetch_one(&mut *tx).await.unwrap();
    assert!(n > 0, "the cockpit's role reads ente B's plans");
    tx.rollback().await.unwrap();
    // An ente's own read, as the runtime role: its comparison only.
    let mut tx = tx_in(&db, t.ente_a).await;
    let piano: Vec<String> = sqlx::query_scalar("explain select * from fasi where ente_id = $1")
        .bind(t.ente_a)
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let piano = piano.join("\n");
    assert!(!piano.contains("enti_studio"), "{piano}");
    assert!(piano.contains("app.ente_id"), "{piano}");
}

#[tokio::test]
async fn an_ente_admin_cannot_take_over_an_account_used_elsewhere() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    // Ente B's admin also works in ente A (as dipendente).
    let mut o = db.owner().await;
    sqlx::query("insert into memberships (ente_id, user_id, role) values ($1, $2, 'dipendente')")
        .bind(t.ente_a)
        .bind(t.admin_b)
        .execute(&mut o)
        .await
        .unwrap();
    let hash_before: String = sqlx::query_scalar("select password_hash from users where id = $1")
        .bind(t.admin_b)
        .fetch_one(&mut o)
        .await
        .unwrap();
    let st = state(&db);
    let mut admin_a = Client::logged_in(&st, "admin.a@test.it").await;
    let r = admin_a
        .post(
            "/api/utenti/reimposta-password",
            &[("slug", "ente-a"), ("user_id", &t.admin_b.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("solo il titolare"), "{}", r.body);
    let hash_after: String = sqlx::query_scalar("select password_hash from users where id = $1")
        .bind(t.admin_b)
        .fetch_one(&mut o)
        .await
        .unwrap();
    assert_eq!(hash_before, hash_after);
    // The list says so, and an account of ente A alone can still be reset.
    let r = admin_a
        .post("/api/utenti/elenco", &[("slug", "ente-a")])
        .await;
    let members: Vec<app::model::Membro> = serde_json::from_str(&r.body).unwrap();
    let condivisi: Vec<&str> = members
        .iter()
        .filter(|m| m.condiviso)
        .map(|m| m.email.as_str())
        .collect();
    assert_eq!(condivisi, vec!["admin.b@test.it"]);
    let r = admin_a
        .post(
            "/api/utenti/reimposta-password",
            &[("slug", "ente-a"), ("user_id", &t.dip_a.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Removing the second membership makes it ente B's alone again.
    sqlx::query("delete from memberships where ente_id = $1 and user_id = $2")
        .bind(t.ente_a)
        .bind(t.admin_b)
        .execute(&mut o)
        .await
        .unwrap();
    let ambiti: i32 = sqlx::query_scalar("select ambiti from users where id = $1")
        .bind(t.admin_b)
        .fetch_one(&mut o)
        .await
        .unwrap();
    assert_eq!(ambiti, 1);
}

/// Least privilege in the database, as the runtime role: the audit log cannot be rewritten,
/// password hashes cannot be read in bulk, a consultant cannot delete their firm, and the firm
/// of an ente cannot be changed from inside it.
#[tokio::test]
async fn least_privilege_in_the_database() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let mut o = db.owner().await;
    sqlx::query("insert into audit_log (ente_id, action) values ($1, 'prova')")
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    let firm: uuid::Uuid = sqlx::query_scalar("select firm_id from enti where id = $1")
        .bind(t.ente_a)
        .fetch_one(&mut o)
        .await
        .unwrap();
    for sql in [
        "update audit_log set action = 'riscritta' where ente_id = $1",
        "delete from audit_log where ente_id = $1",
        "select password_hash from users where $1::uuid is not null",
        "update enti set firm_id = null where id = $1",
    ] {
        let mut tx = tx_in(&db, t.ente_a).await;
        let r = sqlx::query(sql).bind(t.ente_a).execute(&mut *tx).await;
        assert!(r.is_err(), "{sql}: {r:?}");
    }
    // A consultant of the firm (app.firm_id set) deletes nothing.
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("select set_config('app.firm_id', $1, true)")
        .bind(firm.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let r = sqlx::query("delete from firms where id = $1")
        .bind(firm)
        .execute(&mut *tx)
        .await;
    assert!(r.is_err() || r.unwrap().rows_affected() == 0);
    drop(tx);
    let n: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'prova'")
        .fetch_one(&mut o)
        .await
        .unwrap();
    assert_eq!(n, 1);
}
