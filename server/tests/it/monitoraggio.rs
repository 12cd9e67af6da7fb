//! Monitoring on real PostgreSQL, through the server functions as each role calls them:
//! checkpoints, the responsabile's record on their own struttura only, the light and its
//! cause, conflicts, submission and reopening, evidence files told by content, the
//! Nucleo's notes and the signed Referto (pdfsig, pdftotext), a closed checkpoint refused
//! by the database, the dipendente's view of their own objectives, RLS on every new table.

use axum::http::StatusCode;
use server::testing::TestDb;
use uuid::Uuid;

use crate::allegato::{approva, certificato, errore, esegui, normale, p12, pdftotext, s, Cartella};
use crate::support::{plan_from_reference, state, two_tenants, tx_in, Client, Parte};
use app::domain::monitoraggio::Semaforo;
use app::model::{MonitoraggiPiano, MonitoraggioView};

/// Ente A's 2022 plan from the reference, cut to its first struttura (whose responsabile
/// is resp.a), with dip.a assigned to its first objective; approved on 30/03/2022.
pub(crate) async fn piano_a(db: &TestDb, ente: Uuid) -> (Uuid, Uuid) {
    let (struttura, obiettivo, _) = plan_from_reference(db, ente, 2022).await;
    let mut c = db.owner().await;
    for sql in [
        "delete from strutture where ente_id = $1 and id <> $2",
        "update strutture set responsabile_user_id = (select id from users where email = 'resp.a@test.it'),
                responsabile_nome = 'Rita Responsabile' where ente_id = $1 and id = $2",
    ] {
        sqlx::query(sql)
            .bind(ente)
            .bind(struttura)
            .execute(&mut c)
            .await
            .unwrap();
    }
    sqlx::query(
        "insert into dipendenti (ente_id, matricola, cognome, nome, area, user_id)
         values ($1, 'A1', 'Rossi', 'Dario', 'istruttori', (select id from users where email = 'dip.a@test.it'))",
    )
    .bind(ente)
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::query(
        "insert into assegnazioni (ente_id, obiettivo_id, dipendente_id, peso)
         values ($1, $2, (select id from dipendenti where ente_id = $1 and matricola = 'A1'), 100)",
    )
    .bind(ente)
    .bind(obiettivo)
    .execute(&mut c)
    .await
    .unwrap();
    drop(c);
    approva(db, ente).await;
    (struttura, obiettivo)
}

pub(crate) async fn carica(c: &mut Client, id: &str) -> MonitoraggioView {
    let r = c
        .post(
            "/api/monitoraggio/carica",
            &[("slug", "ente-a"), ("anno", "2022"), ("id", id)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// The form that submits struttura `struttura`'s record at checkpoint `m` of ente A's 2022
/// plan (and, with a reason, reopens it).
fn modulo_invia(m: &str, struttura: Uuid) -> Vec<(&'static str, String)> {
    vec![
        ("slug", "ente-a".to_string()),
        ("anno", "2022".into()),
        ("monitoraggio_id", m.to_string()),
        ("struttura_id", struttura.to_string()),
    ]
}

/// Saves progress: (status, body).
pub(crate) async fn salva(
    c: &mut Client,
    m: &str,
    obiettivo: Uuid,
    fase: Option<Uuid>,
    version: i32,
    perc: &str,
    causa: &str,
) -> (StatusCode, String) {
    let (o, f, v) = (
        obiettivo.to_string(),
        fase.map(|f| f.to_string()).unwrap_or_default(),
        version.to_string(),
    );
    let r = c
        .post(
            "/api/monitoraggio/salva",
            &[
                ("slug", "ente-a"),
                ("anno", "2022"),
                ("monitoraggio_id", m),
                ("obiettivo_id", &o),
                ("fase_id", &f),
                ("version", &v),
                ("percentuale", perc),
                ("valore_effettivo", "12 pratiche"),
                ("valore_data", "2022-06-30"),
                ("valore_fonte", "Protocollo"),
                ("nota", ""),
                ("causa", causa),
                ("causa_testo", ""),
                (
                    "azione_correttiva",
                    if causa.is_empty() {
                        ""
                    } else {
                        "Rinforzo dell'ufficio da settembre"
                    },
                ),
            ],
        )
        .await;
    (r.status, r.body)
}

#[tokio::test]
async fn the_monitoring_round_trip_by_role() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (struttura, obiettivo) = piano_a(&db, t.ente_a).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let mut nucleo = Client::logged_in(&st, "nucleo.a@test.it").await;
    let mut dip = Client::logged_in(&st, "dip.a@test.it").await;
    let a = |k: &'static str, v: &'static str| (k, v);

    // Checkpoints: the defaults, then a bad date; the responsabile may not set them.
    let r = admin
        .post(
            "/api/monitoraggio/predefiniti",
            &[a("slug", "ente-a"), a("anno", "2022")],
        )
        .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "2"));
    let r = admin
        .post(
            "/api/monitoraggio/crea",
            &[
                a("slug", "ente-a"),
                a("anno", "2022"),
                a("data_riferimento", "2023-03-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errore(&r.body).contains("annualità 2022"), "{}", r.body);
    let r = admin
        .post(
            "/api/monitoraggio/crea",
            &[
                a("slug", "ente-a"),
                a("anno", "2022"),
                a("data_riferimento", "30/06/2022"),
            ],
        )
        .await;
    assert!(
        errore(&r.body).contains("Esiste già un monitoraggio al 30/06/2022"),
        "{}",
        r.body
    );
    let r = resp
        .post(
            "/api/monitoraggio/predefiniti",
            &[a("slug", "ente-a"), a("anno", "2022")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = resp
        .post(
            "/api/monitoraggio/elenco",
            &[a("slug", "ente-a"), a("anno", "2022")],
        )
        .await;
    let elenco: MonitoraggiPiano = serde_json::from_str(&r.body).unwrap();
    assert_eq!(elenco.elenco.len(), 2);
    assert!(!elenco.puo_impostare);
    let m = elenco.elenco[0].id.to_string();
    assert_eq!(
        elenco.elenco[0].scadenze.responsabili.to_string(),
        "2022-07-15"
    );

    // The responsabile fills in their struttura: bad input first.
    let v = carica(&mut resp, &m).await;
    assert!(v.strutture[0].compilabile);
    assert_eq!(v.inizio.to_string(), "2022-03-30");
    let (st1, b) = salva(&mut resp, &m, obiettivo, None, 0, "150", "").await;
    assert_eq!(st1, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errore(&b).contains("da 0 a 100"), "{b}");
    let (_, b) = salva(&mut resp, &m, obiettivo, None, 0, "33,333", "").await;
    assert!(errore(&b).contains("due decimali"), "{b}");
    // 0% on 30/06 of work running 30/03 → 31/12 is red: a cause is required.
    let (st1, b) = salva(&mut resp, &m, obiettivo, None, 0, "0", "").await;
    assert_eq!(st1, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errore(&b).contains("semaforo è rosso"), "{b}");
    let (st1, b) = salva(&mut resp, &m, obiettivo, None, 0, "0", "personale").await;
    assert_eq!(st1, StatusCode::OK, "{b}");
    let (ver, luce): (
        i32,
        Option<(app::domain::monitoraggio::Percentuale, Semaforo)>,
    ) = serde_json::from_str(&b).unwrap();
    assert_eq!(ver, 1);
    assert_eq!(luce.map(|l| l.1), Some(Semaforo::Rosso));
    // A stale save is a conflict that says what is there now.
    let (st1, b) = salva(&mut resp, &m, obiettivo, None, 0, "20", "").await;
    assert_eq!(st1, StatusCode::CONFLICT);
    assert!(errore(&b).contains("Ora l'avanzamento è 0%"), "{b}");
    // A forged phase of another objective, or of another ente, is not found.
    let (st1, _) = salva(&mut resp, &m, obiettivo, Some(t.fase_b), 0, "20", "").await;
    assert_eq!(st1, StatusCode::NOT_FOUND);

    // Submission needs every objective and phase.
    let invia = modulo_invia(&m, struttura);
    let invia: Vec<(&str, &str)> = invia.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = resp.post("/api/monitoraggio/invia", &invia).await;
    assert!(
        errore(&r.body).starts_with("Indica l'avanzamento di: fase 1.1"),
        "{}",
        r.body
    );
    let v = carica(&mut resp, &m).await;
    for o in &v.strutture[0].obiettivi {
        for r in std::iter::once(&o.obiettivo).chain(&o.fasi) {
            if r.avanzamento.version == 0 {
                let (st1, b) = salva(&mut resp, &m, r.obiettivo_id, r.fase_id, 0, "100", "").await;
                assert_eq!(st1, StatusCode::OK, "{b}");
            }
        }
    }
    // Evidence: told by content; the responsabile's own struttura.
    let pdf = b"%PDF-1.7\n% verbale\n".to_vec();
    let ob = obiettivo.to_string();
    let evidenza = |file: &'static str, dati: &'static [u8]| {
        vec![
            ("slug", Parte::Testo("ente-a")),
            ("anno", Parte::Testo("2022")),
            (
                "monitoraggio_id",
                Parte::Testo(Box::leak(m.clone().into_boxed_str())),
            ),
            (
                "obiettivo_id",
                Parte::Testo(Box::leak(ob.clone().into_boxed_str())),
            ),
            ("file", Parte::File(file, dati)),
        ]
    };
    let r = resp
        .post_multipart(
            "/api/carica/evidenza",
            &evidenza("programma.pdf", b"MZ\x90\0 eseguibile"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errore(&r.body).contains("non è tra i tipi ammessi"),
        "{}",
        r.body
    );
    let r = resp
        .post_multipart(
            "/api/carica/evidenza",
            &evidenza("../verbale giugno.pdf", b"%PDF-1.7\n% verbale\n"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let e: app::model::EvidenzaView = serde_json::from_str(&r.body).unwrap();
    assert_eq!(e.nome_file, "verbale giugno.pdf");
    let (stato, tipo, dati) = nucleo
        .download(&format!(
            "/e/ente-a/piani/2022/monitoraggio/{m}/evidenze/{}",
            e.id
        ))
        .await;
    assert_eq!(
        (stato, tipo.as_str(), dati),
        (StatusCode::OK, "application/pdf", pdf)
    );
    let (stato, _, _) = dip
        .download(&format!(
            "/e/ente-a/piani/2022/monitoraggio/{m}/evidenze/{}",
            e.id
        ))
        .await;
    assert_eq!(stato, StatusCode::FORBIDDEN);

    let r = resp.post("/api/monitoraggio/invia", &invia).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (st1, b) = salva(&mut resp, &m, obiettivo, None, 1, "30", "").await;
    assert_eq!(st1, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errore(&b).contains("inviata al Nucleo"), "{b}");

    // The admin reopens with a reason (recorded); the responsabile corrects and resubmits.
    let mut riapri = invia.clone();
    riapri.push(("motivo", ""));
    let r = admin.post("/api/monitoraggio/riapri", &riapri).await;
    assert!(errore(&r.body).contains("motivo"), "{}", r.body);
    riapri.pop();
    riapri.push(("motivo", "Valore dell'indicatore da correggere"));
    let r = resp.post("/api/monitoraggio/riapri", &riapri).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin.post("/api/monitoraggio/riapri", &riapri).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let proposta = |testo: &'static str, fase: String| {
        [
            ("slug", "ente-a".to_string()),
            ("anno", "2022".into()),
            ("monitoraggio_id", m.clone()),
            ("obiettivo_id", obiettivo.to_string()),
            ("fase_id", fase),
            ("version", "1".into()),
            ("percentuale", "10".into()),
            ("causa", "esterni".into()),
            ("azione_correttiva", "Sollecito".into()),
            ("proposta", "scadenza".into()),
            ("proposta_testo", testo.into()),
        ]
    };
    let form = proposta(" ", String::new());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = resp.post("/api/monitoraggio/salva", &form).await;
    assert!(errore(&r.body).contains("scrivi la proposta"), "{}", r.body);
    let fase = v.strutture[0].obiettivi[0].fasi[0]
        .fase_id
        .unwrap()
        .to_string();
    let form = proposta("Al 30/11", fase);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = resp.post("/api/monitoraggio/salva", &form).await;
    assert!(
        errore(&r.body).contains("non sulla singola fase"),
        "{}",
        r.body
    );
    let form = proposta(
        "Spostare la scadenza al 30/11: dati regionali in ritardo",
        String::new(),
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = resp.post("/api/monitoraggio/salva", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = resp.post("/api/monitoraggio/invia", &invia).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The proposal of a rimodulazione, made with the progress, is listed with the versions.
    let r = admin
        .post(
            "/api/versioni/elenco",
            &[a("slug", "ente-a"), a("anno", "2022")],
        )
        .await;
    let v: app::model::VersioniPiano = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v.proposte.len(), 1, "{:?}", v.proposte);
    assert_eq!(
        v.proposte[0].proposta,
        app::domain::monitoraggio::Proposta::Scadenza
    );
    assert!(v.proposte[0].obiettivo.starts_with("1. "));
    let mut o = db.owner().await;
    let motivo: String = sqlx::query_scalar(
        "select detail->>'motivo' from audit_log where ente_id = $1 and action = 'monitoraggio_riaperto'",
    )
    .bind(t.ente_a)
    .fetch_one(&mut o)
    .await
    .unwrap();
    assert_eq!(motivo, "Valore dell'indicatore da correggere");

    // The Nucleo annotates; nobody else does.
    let nota = [
        ("slug", "ente-a"),
        ("anno", "2022"),
        ("monitoraggio_id", m.as_str()),
        ("obiettivo_id", ob.as_str()),
        ("version", "0"),
        ("testo", "Ritardo giustificato: verificare a settembre."),
    ];
    let r = admin.post("/api/monitoraggio/nota", &nota).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = nucleo.post("/api/monitoraggio/nota", &nota).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "1"));
    let r = nucleo.post("/api/monitoraggio/nota", &nota).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Closing: a wrong password, then the Nucleo member's own certificate.
    let dir = Cartella::new();
    let (cert, key, _, _) = certificato(&dir, "nucleo", "Nadia Nucleo", true);
    let p12 = p12(&dir, &cert, &key, "segreta", &[]);
    let chiudi = |pw: &'static str| {
        vec![
            ("slug", Parte::Testo("ente-a")),
            ("anno", Parte::Testo("2022")),
            (
                "monitoraggio_id",
                Parte::Testo(Box::leak(m.clone().into_boxed_str())),
            ),
            ("password", Parte::Testo(pw)),
            (
                "file",
                Parte::File("nucleo.p12", Box::leak(p12.clone().into_boxed_slice())),
            ),
        ]
    };
    let r = resp
        .post_multipart("/api/carica/referto", &chiudi("segreta"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = nucleo
        .post_multipart("/api/carica/referto", &chiudi("sbagliata"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = nucleo
        .post_multipart("/api/carica/referto", &chiudi("segreta"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (stato, tipo, referto) = admin
        .download(&format!(
            "/e/ente-a/piani/2022/monitoraggio/{m}/referto.pdf"
        ))
        .await;
    assert_eq!((stato, tipo.as_str()), (StatusCode::OK, "application/pdf"));
    let out = esegui("pdfsig", &[s(&dir.scrivi("referto.pdf", &referto))]);
    assert!(out.contains("Signature is Valid."), "{out}");
    assert!(out.contains("Nadia Nucleo"), "{out}");
    let testo = normale(&pdftotext(&dir, &referto, "-raw"));
    for atteso in [
        "REFERTO DI MONITORAGGIO INTERMEDIO",
        "situazione al 30/06/2022",
        "Rita Responsabile",
        "rosso",
        "Fattori esterni",
        "Ritardo giustificato: verificare a settembre.",
        "verbale giugno.pdf",
        "Proposta di rimodulazione – Modificare la scadenza",
        "Nadia Nucleo",
    ] {
        assert!(testo.contains(atteso), "«{atteso}» missing from: {testo}");
    }
    // Closed: nothing changes, by the application or in the database.
    let r = nucleo.post("/api/monitoraggio/nota", &nota).await;
    assert!(errore(&r.body).contains("è chiuso"), "{}", r.body);
    let e = sqlx::query("update avanzamenti set percentuale = 99 where ente_id = $1")
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("chiuso"), "{e}");
    let v = carica(&mut admin, &m).await;
    assert!(v.chiuso_il.is_some());
    assert_eq!(v.referto_firmatario.as_deref(), Some("Nadia Nucleo"));

    // The dipendente sees their own objective's progress, and nothing of the checkpoint.
    let r = dip
        .post(
            "/api/personale/miei-obiettivi",
            &[a("slug", "ente-a"), a("anno", "2022")],
        )
        .await;
    let miei: app::model::MieiObiettivi = serde_json::from_str(&r.body).unwrap();
    let av = miei.obiettivi[0]
        .avanzamento
        .clone()
        .expect("progress shown");
    assert_eq!(av.data.to_string(), "2022-06-30");
    assert_eq!(
        av.obiettivo.percentuale.map(|p| p.label()).as_deref(),
        Some("10%")
    );
    // The plan's page shows the same progress as that objective's light, read in the
    // statement that reads the plan (`piani::leggi_pagina`): the first time from the
    // database, then kept.
    let mio = &miei.obiettivi[0].obiettivo;
    let percentuale = av.obiettivo.percentuale.expect("reported");
    let attesa =
        app::domain::monitoraggio::luce(percentuale, av.inizio, mio.campi.data_fine, av.data)
            .map(|l| l.1);
    for _ in 0..2 {
        let r = admin
            .post(
                "/api/piani/carica",
                &[a("slug", "ente-a"), a("anno", "2022")],
            )
            .await;
        let piano: app::model::PianoView = serde_json::from_str(&r.body).unwrap();
        let luce = (piano.luci.iter())
            .find(|l| l.riga == mio.id)
            .expect("the objective's light on the plan's page");
        assert_eq!(
            (luce.data, luce.percentuale, luce.semaforo),
            (av.data, percentuale, attesa)
        );
        assert!(attesa.is_some());
    }
    let r = dip
        .post(
            "/api/monitoraggio/carica",
            &[
                a("slug", "ente-a"),
                a("anno", "2022"),
                a("id", Box::leak(m.clone().into_boxed_str())),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn monitoring_tables_are_isolated_by_rls() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    // Ente B has a checkpoint (the fixture); add a progress row and a note as the owner.
    let mut c = db.owner().await;
    sqlx::query(
        "insert into avanzamenti (ente_id, monitoraggio_id, obiettivo_id, percentuale) values ($1, $2, $3, 50);
         ",
    )
    .bind(t.ente_b)
    .bind(t.monitoraggio_b)
    .bind(t.obiettivo_b)
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::query(
        "insert into note_nucleo (ente_id, monitoraggio_id, obiettivo_id, testo) values ($1, $2, $3, 'nota')",
    )
    .bind(t.ente_b)
    .bind(t.monitoraggio_b)
    .bind(t.obiettivo_b)
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::query(
        "insert into rettifiche (ente_id, piano_id, obiettivo_id, tipo, motivo)
         select $1, piano_id, $2, 'non_valutabile', 'x' from chiusure where ente_id = $1",
    )
    .bind(t.ente_b)
    .bind(t.obiettivo_b)
    .execute(&mut c)
    .await
    .unwrap();
    // B has its 30/06 checkpoint and its final one (31/12), with the year-end's rows.
    for (tabella, righe) in [
        ("monitoraggi", 2),
        ("avanzamenti", 1),
        ("note_nucleo", 1),
        ("smvp_profili", 1),
        ("chiusure", 1),
        ("misure", 1),
        ("rettifiche", 1),
    ] {
        let sql = format!("select count(*) from {tabella}");
        let mut tx = tx_in(&db, t.ente_a).await;
        let n: i64 = sqlx::query_scalar(&sql).fetch_one(&mut *tx).await.unwrap();
        assert_eq!(n, 0, "{tabella} seen from ente A");
        let mut tx = tx_in(&db, t.ente_b).await;
        let n: i64 = sqlx::query_scalar(&sql).fetch_one(&mut *tx).await.unwrap();
        assert_eq!(n, righe, "{tabella} from ente B");
    }
    // Writing into B from A's transaction is refused by the policy.
    let mut tx = tx_in(&db, t.ente_a).await;
    let e = sqlx::query(
        "insert into evidenze (ente_id, monitoraggio_id, obiettivo_id, nome_file, tipo, sha256, dimensione, contenuto)
         values ($1, $2, $3, 'x.pdf', 'application/pdf', decode(repeat('00', 32), 'hex'), 1, 'x')",
    )
    .bind(t.ente_b)
    .bind(t.monitoraggio_b)
    .bind(t.obiettivo_b)
    .execute(&mut *tx)
    .await
    .unwrap_err();
    assert!(e.to_string().contains("row-level security"), "{e}");
}

#[tokio::test]
async fn the_demo_has_a_closed_june_checkpoint_and_september_waiting_for_rita() {
    let db = TestDb::new().await;
    server::demo::load(
        &db.owner_url,
        &app::ssr::allegato::custodia::ChiaveFirme::di_prova(),
    )
    .await
    .unwrap();
    let st = state(&db);
    let mut c = Client::new(&st);
    c.login("responsabile@esempio.demo", server::demo::DEMO_PASSWORD)
        .await;
    let r = c
        .post(
            "/api/monitoraggio/elenco",
            &[("slug", "comune-di-esempio"), ("anno", "2022")],
        )
        .await;
    let elenco: MonitoraggiPiano = serde_json::from_str(&r.body).unwrap();
    // 30/06, 30/09 and the year-end's final record at 31/12.
    assert_eq!(elenco.elenco.len(), 3);
    let (giugno, settembre) = (&elenco.elenco[0], &elenco.elenco[1]);
    assert_eq!(
        elenco.elenco[2].scadenze.riferimento.to_string(),
        "2022-12-31"
    );
    assert!(giugno.chiuso_il.is_some());
    assert_eq!(giugno.inviate, giugno.strutture);
    assert_eq!(settembre.inviate + 1, settembre.strutture);
    let r = c
        .post(
            "/api/monitoraggio/carica",
            &[
                ("slug", "comune-di-esempio"),
                ("anno", "2022"),
                ("id", &giugno.id.to_string()),
            ],
        )
        .await;
    let v: MonitoraggioView = serde_json::from_str(&r.body).unwrap();
    let mut luci = std::collections::BTreeSet::new();
    for s in &v.strutture {
        for o in &s.obiettivi {
            for r in std::iter::once(&o.obiettivo).chain(&o.fasi) {
                let l = app::domain::monitoraggio::luce(
                    r.avanzamento.percentuale.expect("reported"),
                    v.inizio,
                    r.riga.campi.data_fine,
                    v.scadenze.riferimento,
                )
                .map(|l| l.1);
                if l == Some(Semaforo::Rosso) {
                    assert!(
                        r.avanzamento.causa.is_some(),
                        "red without cause: {}",
                        r.numero
                    );
                }
                luci.insert(format!("{l:?}"));
            }
        }
    }
    assert!(
        ["Some(Verde)", "Some(Giallo)", "Some(Rosso)"]
            .iter()
            .all(|l| luci.contains(*l)),
        "{luci:?}"
    );
    let dir = Cartella::new();
    let (stato, _, pdf) = c
        .download(&format!(
            "/e/comune-di-esempio/piani/2022/monitoraggio/{}/referto.pdf",
            giugno.id
        ))
        .await;
    assert_eq!(stato, StatusCode::OK);
    let out = esegui("pdfsig", &[s(&dir.scrivi("referto.pdf", &pdf))]);
    assert!(
        out.contains("Signature is Valid.") && out.contains("Nadia Nucleo"),
        "{out}"
    );
    // September: Rita's own struttura is the one still to report.
    let r = c
        .post(
            "/api/monitoraggio/carica",
            &[
                ("slug", "comune-di-esempio"),
                ("anno", "2022"),
                ("id", &settembre.id.to_string()),
            ],
        )
        .await;
    let v: MonitoraggioView = serde_json::from_str(&r.body).unwrap();
    let aperte: Vec<_> = v.strutture.iter().filter(|s| s.compilabile).collect();
    assert_eq!(aperte.len(), 1);
    assert_eq!(aperte[0].responsabile, "Rita Responsabile");
    // The rimodulazione of July: version 2, two objectives changed.
    let r = c
        .post(
            "/api/versioni/confronta",
            &[
                ("slug", "comune-di-esempio"),
                ("anno", "2022"),
                ("da", "1"),
                ("a", "2"),
            ],
        )
        .await;
    let d: Vec<app::domain::versioni::Modifica> = serde_json::from_str(&r.body).unwrap();
    let obiettivi: std::collections::BTreeSet<&str> = d
        .iter()
        .map(|m| m.dove.split(" – fase").next().unwrap())
        .collect();
    assert_eq!(obiettivi.len(), 2, "{d:#?}");
    assert!(d.iter().any(|m| m.campo == "Valori attesi"));
    assert!(d
        .iter()
        .any(|m| m.campo == "Data fine attesa" && m.dopo == "30/11/2022"));
    let r = c
        .post(
            "/api/versioni/elenco",
            &[("slug", "comune-di-esempio"), ("anno", "2022")],
        )
        .await;
    let v: app::model::VersioniPiano = serde_json::from_str(&r.body).unwrap();
    let delibere: Vec<(i32, &str)> = v
        .versioni
        .iter()
        .map(|x| (x.numero, x.delibera_numero.as_str()))
        .collect();
    assert_eq!(delibere, [(1, "45"), (2, "85")]);
    assert_eq!(v.proposte.len(), 1, "{:?}", v.proposte);
    assert!(v.proposte[0]
        .testo
        .starts_with("Spostare la scadenza al 30/11/2022"));
}

#[tokio::test]
async fn a_rimodulazione_makes_version_2_and_keeps_version_1() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (_, obiettivo) = piano_a(&db, t.ente_a).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let a = |k: &'static str, v: &'static str| (k, v);
    let base = [a("slug", "ente-a"), a("anno", "2022")];

    // Approved outside the application (the fixture): its version 1 is kept when the
    // rimodulazione starts. A reason is required; a responsabile may not start one.
    let r = admin
        .post("/api/piani/rimodula", &[base[0], base[1], a("motivo", " ")])
        .await;
    assert!(errore(&r.body).contains("motivo"), "{}", r.body);
    let r = resp
        .post("/api/piani/rimodula", &[base[0], base[1], a("motivo", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .post(
            "/api/piani/rimodula",
            &[base[0], base[1], a("motivo", "Nuova scadenza regionale")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = admin.post("/api/versioni/elenco", &base).await;
    let v: app::model::VersioniPiano = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v.versioni.len(), 1);
    assert_eq!(v.rimodulazione.as_deref(), Some("Nuova scadenza regionale"));
    assert!(!v.approvato);

    // The draft changes one objective; version 1 does not.
    let mut o = db.owner().await;
    sqlx::query("update obiettivi set valori_attesi = 'Almeno 95%' where id = $1")
        .bind(obiettivo)
        .execute(&mut o)
        .await
        .unwrap();
    let r = admin
        .post(
            "/api/versioni/confronta",
            &[base[0], base[1], a("da", "1"), a("a", "0")],
        )
        .await;
    let d: Vec<app::domain::versioni::Modifica> = serde_json::from_str(&r.body).unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].campo, "Valori attesi");
    assert_eq!(d[0].dopo, "Almeno 95%");

    // Until the new delibera, the version in force is what the Nucleo reads and what the
    // monitoring measures; those who take part in the rimodulazione see its draft.
    let mut nucleo = Client::logged_in(&st, "nucleo.a@test.it").await;
    // The attachment's section, read with the plan, is of the plan as it is: a draft.
    let valori = |body: &str| {
        let p: app::model::PianoView = serde_json::from_str(body).unwrap();
        (
            p.approvato,
            p.strutture
                .iter()
                .flat_map(|s| &s.obiettivi)
                .any(|o| o.campi.valori_attesi == "Almeno 95%"),
            p.allegato.map(|a| a.approvato),
        )
    };
    let r = nucleo.post("/api/piani/carica", &base).await;
    assert_eq!(valori(&r.body), (true, false, Some(false)));
    let r = resp.post("/api/piani/carica", &base).await;
    assert_eq!(valori(&r.body), (false, true, Some(false)));
    let r = admin
        .post(
            "/api/monitoraggio/crea",
            &[base[0], base[1], a("data_riferimento", "2022-09-30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // After 15 December the Giunta's delibera is refused, with the reason.
    let approva = |data: &'static str| {
        [
            ("slug", "ente-a"),
            ("anno", "2022"),
            ("delibera_numero", "120"),
            ("delibera_data", data),
        ]
    };
    let r = admin
        .post("/api/piani/approva", &approva("2022-12-16"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errore(&r.body).contains("entro il 15/12/2022"),
        "{}",
        r.body
    );
    let r = admin
        .post("/api/piani/approva", &approva("2022-11-30"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let r = resp.post("/api/versioni/elenco", &base).await;
    let v: app::model::VersioniPiano = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v.versioni.len(), 2);
    assert_eq!(v.versioni[1].delibera_numero, "120");
    assert_eq!(v.versioni[1].motivo, "Nuova scadenza regionale");
    assert!(v.rimodulazione.is_none());
    let r = resp
        .post(
            "/api/versioni/carica",
            &[base[0], base[1], a("numero", "1")],
        )
        .await;
    let v1: app::model::PianoView = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v1.delibera_numero.as_deref(), Some("45"));
    assert!(v1
        .strutture
        .iter()
        .flat_map(|s| &s.obiettivi)
        .all(|o| o.campi.valori_attesi != "Almeno 95%"));
    // Each version keeps its own PDF.
    let (s1, _, pdf1) = resp
        .download("/e/ente-a/piani/2022/versioni/1/allegato.pdf")
        .await;
    let (s2, _, pdf2) = resp
        .download("/e/ente-a/piani/2022/versioni/2/allegato.pdf")
        .await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert!(pdf1.starts_with(b"%PDF-") && pdf1 != pdf2);
    let dir = Cartella::new();
    assert!(normale(&pdftotext(&dir, &pdf2, "-raw")).contains("Almeno 95%"));
    assert!(!normale(&pdftotext(&dir, &pdf1, "-raw")).contains("Almeno 95%"));
    // Versions are insert-only for the application.
    let mut tx = tx_in(&db, t.ente_a).await;
    let n = sqlx::query("update piani_versioni set delibera_numero = 'x'")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_consultant_sets_the_same_checkpoint_in_all_the_firms_enti() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_a(&db, t.ente_a).await;
    let st = state(&db);
    let form = [
        ("anno", "2022"),
        ("data_riferimento", "2022-10-31"),
        ("scadenza_responsabili", ""),
        ("scadenza_nucleo", ""),
    ];
    let prima = crate::support::snapshot_of(&db, t.ente_b).await;
    let mut c1 = Client::logged_in(&st, "consulente.1@test.it").await;
    let r = c1.post("/api/studio/monitoraggi", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let esiti: Vec<app::model::EsitoEnte> = serde_json::from_str(&r.body).unwrap();
    assert_eq!(esiti.len(), 1, "{esiti:?}");
    assert_eq!(esiti[0].ente, "Comune A");
    assert!(esiti[0].creato, "{esiti:?}");
    // Again: already there, said per ente.
    let r = c1.post("/api/studio/monitoraggi", &form).await;
    let esiti: Vec<app::model::EsitoEnte> = serde_json::from_str(&r.body).unwrap();
    assert!(
        !esiti[0].creato && esiti[0].messaggio.contains("Esiste già"),
        "{esiti:?}"
    );
    // Firm 2's ente B has a draft plan only; nothing of B changes.
    let mut c2 = Client::logged_in(&st, "consulente.2@test.it").await;
    let r = c2.post("/api/studio/monitoraggi", &form).await;
    let esiti: Vec<app::model::EsitoEnte> = serde_json::from_str(&r.body).unwrap();
    assert_eq!(esiti.len(), 1);
    assert!(
        esiti[0].messaggio.contains("approva prima il piano"),
        "{esiti:?}"
    );
    assert_eq!(prima, crate::support::snapshot_of(&db, t.ente_b).await);
    // Not a consultant: refused; a bad date: said once.
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let r = admin.post("/api/studio/monitoraggi", &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c1
        .post(
            "/api/studio/monitoraggi",
            &[("anno", "2022"), ("data_riferimento", "31/02/2022")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errore(&r.body).contains("non è una data valida"),
        "{}",
        r.body
    );
}

/// The light of `obiettivo` on the plan's page of ente A, as the admin reads it: its
/// percentage, if its struttura's latest record was submitted.
async fn luce_nel_piano(c: &mut Client, obiettivo: Uuid) -> Option<String> {
    let r = c
        .post("/api/piani/carica", &[("slug", "ente-a"), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let piano: app::model::PianoView = serde_json::from_str(&r.body).unwrap();
    luce_di(&piano.luci, obiettivo)
}

/// The percentage of the light of `obiettivo` among `luci`, if it has one.
fn luce_di(luci: &[app::model::LuceRiga], obiettivo: Uuid) -> Option<String> {
    (luci.iter())
        .find(|l| l.riga == obiettivo)
        .map(|l| l.percentuale.label())
}

/// Ente A's 2022 plan (`piano_a`) with its default checkpoints, as the kept progress's
/// tests go through it: the admin, the responsabile, the first checkpoint (`m`).
struct Giro {
    db: TestDb,
    ente: Uuid,
    struttura: Uuid,
    obiettivo: Uuid,
    st: server::state::AppState,
    admin: Client,
    resp: Client,
    m: String,
}

impl Giro {
    async fn nuovo() -> Giro {
        let db = TestDb::new().await;
        let t = two_tenants(&db).await;
        let (struttura, obiettivo) = piano_a(&db, t.ente_a).await;
        let st = state(&db);
        let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
        let resp = Client::logged_in(&st, "resp.a@test.it").await;
        let anno = [("slug", "ente-a"), ("anno", "2022")];
        let r = admin.post("/api/monitoraggio/predefiniti", &anno).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = admin.post("/api/monitoraggio/elenco", &anno).await;
        let elenco: MonitoraggiPiano = serde_json::from_str(&r.body).unwrap();
        let m = elenco.elenco[0].id.to_string();
        Giro {
            db,
            ente: t.ente_a,
            struttura,
            obiettivo,
            st,
            admin,
            resp,
            m,
        }
    }

    /// The form that submits (with a reason, reopens) the struttura's record.
    fn invia(&self) -> Vec<(&'static str, String)> {
        modulo_invia(&self.m, self.struttura)
    }

    async fn posta(c: &mut Client, url: &str, modulo: &[(&'static str, String)]) {
        let modulo: Vec<(&str, &str)> = modulo.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c.post(url, &modulo).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    /// The responsabile reports 100% on every objective and phase and submits: the number
    /// of objectives reported.
    async fn riporta_tutto(&mut self) -> usize {
        let v = carica(&mut self.resp, &self.m).await;
        for o in &v.strutture[0].obiettivi {
            for r in std::iter::once(&o.obiettivo).chain(&o.fasi) {
                let (st1, b) = salva(
                    &mut self.resp,
                    &self.m,
                    r.obiettivo_id,
                    r.fase_id,
                    0,
                    "100",
                    "",
                )
                .await;
                assert_eq!(st1, StatusCode::OK, "{b}");
            }
        }
        let invia = self.invia();
        Self::posta(&mut self.resp, "/api/monitoraggio/invia", &invia).await;
        v.strutture[0].obiettivi.len()
    }

    /// The objective's progress set to `perc` behind the triggers: no count moves.
    async fn cambia_di_nascosto(&self, perc: i32) {
        let mut o = self.db.owner().await;
        crate::support::senza_guardie(
            &mut o,
            sqlx::query(
                "update avanzamenti set percentuale = $3
                  where ente_id = $1 and obiettivo_id = $2 and fase_id is null",
            )
            .bind(self.ente)
            .bind(self.obiettivo)
            .bind(perc),
        )
        .await;
    }

    /// The admin reopens the record.
    async fn riapri(&mut self) {
        let mut riapri = self.invia();
        riapri.push(("motivo", "Valore da correggere".into()));
        Self::posta(&mut self.admin, "/api/monitoraggio/riapri", &riapri).await;
    }

    /// The responsabile corrects the objective to 90% and submits again.
    async fn correggi(&mut self) {
        let (st1, b) = salva(&mut self.resp, &self.m, self.obiettivo, None, 1, "90", "").await;
        assert_eq!(st1, StatusCode::OK, "{b}");
        let invia = self.invia();
        Self::posta(&mut self.resp, "/api/monitoraggio/invia", &invia).await;
    }

    /// A transaction that has set the objective to 80%, not committed.
    async fn scrive(&self) -> app::ssr::EnteTx {
        let tx = tx_in(&self.db, self.ente).await;
        let mut scrive = app::ssr::EnteTx::new(tx, self.ente, Uuid::nil())
            .await
            .unwrap();
        sqlx::query(
            "update avanzamenti set percentuale = 80
              where ente_id = $1 and obiettivo_id = $2 and fase_id is null",
        )
        .bind(self.ente)
        .bind(self.obiettivo)
        .execute(&mut *scrive)
        .await
        .unwrap();
        scrive
    }
}

#[tokio::test]
async fn an_approved_plan_keeps_its_lights_while_its_progress_does_not_change() {
    use app::ssr::{approvati, piani};
    let mut g = Giro::nuovo().await;
    let (ente, obiettivo) = (g.ente, g.obiettivo);
    // No record submitted: no light, and that is kept with the plan's count (migration
    // 0044), which the two checkpoints moved.
    assert_eq!(luce_nel_piano(&mut g.admin, obiettivo).await, None);
    let prima = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert!(prima.per_obiettivo.is_empty());
    assert!(prima.cambi >= 2, "{}", prima.cambi);

    // The responsabile reports and submits: the page shows the light.
    g.riporta_tutto().await;
    assert_eq!(
        luce_nel_piano(&mut g.admin, obiettivo).await.as_deref(),
        Some("100%")
    );
    let tenute = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert!(tenute.cambi > prima.cambi);

    // Progress changed behind the triggers (no count moves) is not read again: the page
    // shows the lights kept, and so proves it does not read them on every request.
    g.cambia_di_nascosto(50).await;
    assert_eq!(
        luce_nel_piano(&mut g.admin, obiettivo).await.as_deref(),
        Some("100%")
    );

    // Reopened, the record is no longer submitted: no light. Corrected and submitted
    // again: the new light.
    g.riapri().await;
    assert_eq!(luce_nel_piano(&mut g.admin, obiettivo).await, None);
    g.correggi().await;
    assert_eq!(
        luce_nel_piano(&mut g.admin, obiettivo).await.as_deref(),
        Some("90%")
    );

    // A transaction that has written reads the progress, with its own writes (whose count
    // moves only when it commits), and keeps nothing: what it read may roll back.
    let prima = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    let mut scrive = g.scrive().await;
    let (_, accanto) = piani::leggi_pagina(&mut scrive, 2022)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        luce_di(&accanto.luci.unwrap(), obiettivo).as_deref(),
        Some("80%")
    );
    scrive.tx.rollback().await.unwrap();
    let dopo = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert!(std::sync::Arc::ptr_eq(&prima, &dopo));
    assert_eq!(
        luce_nel_piano(&mut g.admin, obiettivo).await.as_deref(),
        Some("90%")
    );
    // The count is its trigger's alone: the runtime role may read it, never write it.
    for sql in [
        "update monitoraggio_cambi set cambi = 0",
        "delete from monitoraggio_cambi",
    ] {
        let mut rt = tx_in(&g.db, ente).await;
        let e = sqlx::query(sql).execute(&mut *rt).await.unwrap_err();
        assert!(e.to_string().contains("permission denied"), "{e}");
    }
}

/// The percentage of the progress of dip.a's first objective on their «I miei obiettivi»
/// of ente A's 2022 plan, if its struttura's latest record was submitted.
async fn mio_avanzamento(c: &mut Client) -> Option<String> {
    let r = c
        .post(
            "/api/personale/miei-obiettivi",
            &[("slug", "ente-a"), ("anno", "2022")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let miei: app::model::MieiObiettivi = serde_json::from_str(&r.body).unwrap();
    let av = miei.obiettivi[0].avanzamento.as_ref()?;
    Some(av.obiettivo.percentuale.expect("reported").label())
}

#[tokio::test]
async fn i_miei_obiettivi_keep_the_plans_progress_while_it_does_not_change() {
    use app::ssr::{approvati, personale};
    let mut g = Giro::nuovo().await;
    let (ente, obiettivo) = (g.ente, g.obiettivo);
    let mut dip = Client::logged_in(&g.st, "dip.a@test.it").await;
    // No record submitted: no progress, and that is kept with the plan's count.
    assert_eq!(mio_avanzamento(&mut dip).await, None);
    let prima = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert!(prima.per_obiettivo.is_empty());
    assert!(prima.cambi >= 2, "{}", prima.cambi);

    // The responsabile reports and submits. The plan's page, reading its lights since the
    // count moved, keeps the progress it read for «I miei obiettivi» too: the whole
    // plan's (every objective of the struttura), for each person to find theirs. dip.a's
    // page finds it there and does not read it again.
    let riportati = g.riporta_tutto().await;
    assert_eq!(
        luce_nel_piano(&mut g.admin, obiettivo).await.as_deref(),
        Some("100%")
    );
    let tenuti = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert!(tenuti.cambi > prima.cambi);
    assert!(riportati > 1);
    assert_eq!(tenuti.per_obiettivo.len(), riportati);
    assert_eq!(mio_avanzamento(&mut dip).await.as_deref(), Some("100%"));
    let dopo = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert!(std::sync::Arc::ptr_eq(&tenuti, &dopo));

    // Progress changed behind the triggers (no count moves) is not read again: the page
    // shows what is kept, and so proves it does not read it on every request.
    g.cambia_di_nascosto(50).await;
    assert_eq!(mio_avanzamento(&mut dip).await.as_deref(), Some("100%"));

    // Reopened: no progress. Corrected and submitted again: the new progress, which
    // dip.a's page reads and keeps itself, for the plan's page too.
    g.riapri().await;
    assert_eq!(mio_avanzamento(&mut dip).await, None);
    g.correggi().await;
    assert_eq!(mio_avanzamento(&mut dip).await.as_deref(), Some("90%"));
    // The plan's page finds what dip.a's page kept and makes its lights from it: it does
    // not read the progress again.
    let letti = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert_eq!(
        luce_nel_piano(&mut g.admin, obiettivo).await.as_deref(),
        Some("90%")
    );
    let dopo = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert!(std::sync::Arc::ptr_eq(&letti, &dopo));

    // A transaction that has written reads the progress with its own writes and keeps
    // nothing: what it read may roll back.
    let prima = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    let mut o = g.db.owner().await;
    let (dip_id,): (Uuid,) = sqlx::query_as("select id from users where email = 'dip.a@test.it'")
        .fetch_one(&mut o)
        .await
        .unwrap();
    let mut scrive = g.scrive().await;
    let miei = personale::miei_obiettivi(&mut scrive, dip_id, 2022)
        .await
        .unwrap();
    let av = miei[0].avanzamento.as_ref().expect("progress shown");
    assert_eq!(
        av.obiettivo.percentuale.map(|p| p.label()).as_deref(),
        Some("80%")
    );
    scrive.tx.rollback().await.unwrap();
    let dopo = approvati::avanzamenti(ente, 2022).expect("the progress kept");
    assert!(std::sync::Arc::ptr_eq(&prima, &dopo));
    assert_eq!(mio_avanzamento(&mut dip).await.as_deref(), Some("90%"));
}

/// Each struttura's progress is read at its own latest submitted record (migration 0046
/// reads it struttura by struttura): with two checkpoints, a struttura that submitted both
/// shows the later, one that submitted only the first shows that, one that submitted
/// none shows nothing; asked for some objectives, only theirs.
#[tokio::test]
async fn each_struttura_shows_its_own_latest_submitted_record() {
    use app::ssr::{monitoraggio, EnteTx};
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    plan_from_reference(&db, t.ente_a, 2022).await;
    approva(&db, t.ente_a).await;
    let mut o = db.owner().await;
    let strutture: Vec<Uuid> = sqlx::query_scalar(
        "select s.id from strutture s join piani p on p.ente_id = s.ente_id and p.id = s.piano_id
          where s.ente_id = $1 and p.anno = 2022 order by s.posizione limit 3",
    )
    .bind(t.ente_a)
    .fetch_all(&mut o)
    .await
    .unwrap();
    let [tutte, sola_prima, nessuna] = strutture[..] else {
        panic!("three strutture: {strutture:?}")
    };
    let mut obiettivi = Vec::new();
    for s in &strutture {
        let di: Vec<Uuid> = sqlx::query_scalar(
            "select id from obiettivi where ente_id = $1 and struttura_id = $2 order by posizione",
        )
        .bind(t.ente_a)
        .bind(s)
        .fetch_all(&mut o)
        .await
        .unwrap();
        assert!(!di.is_empty());
        obiettivi.push(di);
    }
    // 30/06 at 10 %, 30/09 at 20 %; records: `tutte` submitted both, `sola_prima` the first
    // (its 30/09 record is open), `nessuna` neither.
    for (data, percentuale) in [("2022-06-30", 10), ("2022-09-30", 20)] {
        let m: Uuid = sqlx::query_scalar(
            "insert into monitoraggi (ente_id, piano_id, data_riferimento, scadenza_responsabili,
                                      scadenza_nucleo)
             select ente_id, id, $2::date, $2::date + 15, $2::date + 30 from piani
              where ente_id = $1 and anno = 2022 returning id",
        )
        .bind(t.ente_a)
        .bind(data)
        .fetch_one(&mut o)
        .await
        .unwrap();
        for (s, inviata) in [
            (tutte, true),
            (sola_prima, data == "2022-06-30"),
            (nessuna, false),
        ] {
            sqlx::query(
                "insert into rilevazioni (ente_id, monitoraggio_id, struttura_id, inviata_il)
                 values ($1, $2, $3, case when $4 then now() end)",
            )
            .bind(t.ente_a)
            .bind(m)
            .bind(s)
            .bind(inviata)
            .execute(&mut o)
            .await
            .unwrap();
        }
        sqlx::query(
            "insert into avanzamenti (ente_id, monitoraggio_id, obiettivo_id, percentuale)
             select $1, $2, id, $3 from obiettivi where ente_id = $1 and struttura_id = any ($4)",
        )
        .bind(t.ente_a)
        .bind(m)
        .bind(percentuale)
        .bind(&strutture)
        .execute(&mut o)
        .await
        .unwrap();
    }
    drop(o);

    // Every objective of the plan, as the plan's page reads them (as the runtime role).
    let mut tx = EnteTx::new(tx_in(&db, t.ente_a).await, t.ente_a, Uuid::nil())
        .await
        .unwrap();
    let json: String = sqlx::query_scalar("select app_avanzamenti($1, 2022, null)")
        .bind(t.ente_a)
        .fetch_one(&mut *tx.tx)
        .await
        .unwrap();
    let righe: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let di = |id: &Uuid| -> Vec<_> {
        righe
            .iter()
            .filter(|r| r["obiettivo_id"] == id.to_string())
            .map(|r| {
                (
                    r["data"].as_str().unwrap().to_string(),
                    r["centesimi"].clone(),
                )
            })
            .collect()
    };
    for id in &obiettivi[0] {
        assert_eq!(di(id), [("2022-09-30".to_string(), 2000.into())]);
    }
    for id in &obiettivi[1] {
        assert_eq!(di(id), [("2022-06-30".to_string(), 1000.into())]);
    }
    for id in &obiettivi[2] {
        assert_eq!(di(id), []);
    }
    assert_eq!(righe.len(), obiettivi[0].len() + obiettivi[1].len());

    // Some objectives, as «I miei obiettivi» reads them.
    let chiesti = [obiettivi[1][0], obiettivi[2][0]];
    let miei = monitoraggio::miei(&mut tx, 2022, &chiesti).await.unwrap();
    assert_eq!(miei.len(), 1, "{:?}", miei.keys());
    let av = &miei[&obiettivi[1][0]];
    assert_eq!(av.data.to_string(), "2022-06-30");
    assert_eq!(
        av.obiettivo.percentuale.map(|p| p.label()).as_deref(),
        Some("10%")
    );
}
