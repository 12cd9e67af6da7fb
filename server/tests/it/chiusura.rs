//! Closing the year on real PostgreSQL, through the server functions as each role calls
//! them: starting the year-end, the final record's progress and indicators (the
//! responsabile's own struttura), each method's score, the Nucleo's overrides with their
//! reasons and the renormalised struttura, the profile version a year keeps, a firm's
//! profile adopted field by field, and the demo's 2022 results.

use axum::http::StatusCode;
use server::testing::TestDb;
use uuid::Uuid;

use crate::allegato::errore;
use crate::monitoraggio::{carica, piano_a, salva};
use crate::support::{state, two_tenants, Client};
use app::model::{ChiusuraView, EsitoObiettivo, SmvpEnte, SmvpStudio};

async fn vista(c: &mut Client, slug: &str) -> ChiusuraView {
    let r = c
        .post("/api/chiusura", &[("slug", slug), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn obiettivo(v: &ChiusuraView, id: Uuid) -> &EsitoObiettivo {
    v.strutture
        .iter()
        .flat_map(|s| &s.obiettivi)
        .find(|o| o.id == id)
        .unwrap()
}

/// A profile's form: the defaults but for `soglia`.
fn profilo<'a>(slug: &'a str, base: &'a str, soglia: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("base", base),
        ("metodo", "fasi"),
        ("alfa", "50"),
        ("penalita", "0"),
        ("soglia", soglia),
        ("tetto", "120"),
        ("media", "uguale"),
        ("raggiunto", "90"),
        ("parziale", "50"),
        ("etichetta_1", "Raggiunto"),
        ("etichetta_2", "Parzialmente raggiunto"),
        ("etichetta_3", "Non raggiunto"),
    ]
}

async fn rettifica(
    c: &mut Client,
    o: &str,
    tipo: &str,
    punteggio: &str,
    motivo: &str,
) -> (StatusCode, String) {
    let r = c
        .post(
            "/api/chiusura/rettifica",
            &[
                ("slug", "ente-a"),
                ("anno", "2022"),
                ("obiettivo_id", o),
                ("tipo", tipo),
                ("punteggio", punteggio),
                ("motivo", motivo),
            ],
        )
        .await;
    (r.status, r.body)
}

async fn misura(
    c: &mut Client,
    o: &str,
    id: &str,
    version: &str,
    atteso: &str,
    effettivo: &str,
) -> (StatusCode, String) {
    let r = c
        .post(
            "/api/chiusura/misura",
            &[
                ("slug", "ente-a"),
                ("anno", "2022"),
                ("obiettivo_id", o),
                ("misura_id", id),
                ("version", version),
                ("descrizione", "Pratiche evase"),
                ("tipo", "numero"),
                ("atteso", atteso),
                ("effettivo", effettivo),
                ("fonte", "Protocollo"),
            ],
        )
        .await;
    (r.status, r.body)
}

#[tokio::test]
async fn the_year_end_by_role() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (_, ob) = piano_a(&db, t.ente_a).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let mut nucleo = Client::logged_in(&st, "nucleo.a@test.it").await;
    let o = ob.to_string();
    let anno = [("slug", "ente-a"), ("anno", "2022")];

    // Not started; only ente admins and consultants start it, twice is once.
    assert!(vista(&mut admin, "ente-a").await.testata.is_none());
    let r = resp.post("/api/chiusura/avvia", &anno).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for _ in 0..2 {
        let r = admin.post("/api/chiusura/avvia", &anno).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let v = vista(&mut admin, "ente-a").await;
    let testata = v.testata.clone().unwrap();
    assert_eq!(testata.profilo_numero, 1);
    assert_eq!(testata.data.to_string(), "2022-12-31");
    let mid = testata.monitoraggio_id.to_string();
    let r = admin.post("/api/monitoraggio/elenco", &anno).await;
    assert_eq!(r.body.matches("2022-12-31").count(), 1, "{}", r.body);

    // The responsabile reports 80% on every phase of the first objective: FASI gives 80.
    let m = carica(&mut resp, &mid).await;
    let fasi: Vec<Uuid> = m.strutture[0].obiettivi[0]
        .fasi
        .iter()
        .filter_map(|f| f.fase_id)
        .collect();
    assert!(!fasi.is_empty());
    for f in &fasi {
        let (s, b) = salva(&mut resp, &mid, ob, Some(*f), 0, "80", "esterni").await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let v = vista(&mut resp, "ente-a").await;
    let e = obiettivo(&v, ob);
    assert_eq!(e.calcolato.as_ref().unwrap().valore, 80.0);
    assert_eq!(e.finale, Some(80.0));
    assert!(v.strutture[0].compilabile);
    assert!(
        v.strutture[0].risultato.is_none(),
        "other objectives lack their progress"
    );

    // The method: the ente's admin chooses it, over the version seen.
    let metodo = |v: &'static str| {
        vec![
            ("slug", "ente-a"),
            ("anno", "2022"),
            ("obiettivo_id", o.as_str()),
            ("version", v),
            ("metodo", "indicatori"),
        ]
    };
    let r = resp.post("/api/chiusura/metodo", &metodo("0")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin.post("/api/chiusura/metodo", &metodo("0")).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "1"));
    let r = admin.post("/api/chiusura/metodo", &metodo("0")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let v = vista(&mut admin, "ente-a").await;
    assert!(obiettivo(&v, ob)
        .calcolato
        .as_ref()
        .unwrap_err()
        .contains("indicatori"));

    // Indicators: the responsabile's, checked; 150 of 200 is 75%.
    let (s, _) = misura(&mut nucleo, &o, "", "0", "200", "150").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, b) = misura(&mut resp, &o, "", "0", "duecento", "150").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errore(&b).starts_with("Valore atteso"), "{b}");
    let (s, b) = misura(&mut resp, &o, "", "0", "200", "150").await;
    assert_eq!((s, b.as_str()), (StatusCode::OK, "1"));
    let v = vista(&mut resp, "ente-a").await;
    let e = obiettivo(&v, ob);
    assert_eq!(e.calcolato.as_ref().unwrap().valore, 75.0);
    let id = e.misure[0].id.to_string();
    let (s, _) = misura(&mut resp, &o, &id, "0", "200", "190").await;
    assert_eq!(s, StatusCode::CONFLICT, "a stale save is a conflict");

    // The Nucleo alone overrides, always with a reason; the last decision counts.
    let (s, _) = rettifica(&mut admin, &o, "punteggio", "90", "Motivo").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Another ente's objective does not exist here (the Nucleo's forged id).
    let (s, _) = rettifica(
        &mut nucleo,
        &t.obiettivo_b.to_string(),
        "punteggio",
        "90",
        "x",
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, b) = rettifica(&mut nucleo, &o, "punteggio", "90", " ").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errore(&b).contains("motivazione"), "{b}");
    let (s, b) = rettifica(&mut nucleo, &o, "punteggio", "120", "Troppo").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (s, b) = rettifica(
        &mut nucleo,
        &o,
        "punteggio",
        "90",
        "Dati verificati sul protocollo",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let v = vista(&mut nucleo, "ente-a").await;
    assert!(v.nucleo);
    let e = obiettivo(&v, ob);
    assert_eq!(
        (e.calcolato.as_ref().unwrap().valore, e.finale),
        (75.0, Some(90.0))
    );
    let (s, _) = rettifica(
        &mut nucleo,
        &o,
        "non_valutabile",
        "",
        "Sentenza del TAR che ha sospeso la procedura",
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    // Every other objective and phase at 100%: the struttura without the first objective.
    let m = carica(&mut resp, &mid).await;
    for x in &m.strutture[0].obiettivi {
        if x.obiettivo.obiettivo_id == ob {
            continue;
        }
        for r in std::iter::once(&x.obiettivo).chain(&x.fasi) {
            let (s, b) = salva(
                &mut resp,
                &mid,
                r.obiettivo_id,
                r.fase_id,
                r.avanzamento.version,
                "100",
                "",
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
    }
    let v = vista(&mut admin, "ente-a").await;
    let e = obiettivo(&v, ob);
    assert!(e.non_valutabile && e.finale.is_none());
    assert_eq!(e.rettifiche.len(), 2);
    assert_eq!(e.rettifiche[0].autore, "nucleo.a@test.it");
    assert_eq!(
        e.rettifiche[1].descrizione(),
        "Non valutabile (causa esterna)"
    );
    let s0 = v.strutture[0].risultato.clone().unwrap();
    assert_eq!(s0.valore, 100.0);
    assert!(
        s0.perche.iter().any(|l| l.contains("non valutabile")),
        "{:?}",
        s0.perche
    );
    assert_eq!(v.ente.unwrap().valore, 100.0);

    // A new profile version changes nothing until the year is moved to it.
    let r = admin
        .post("/api/smvp/ente/salva", &profilo("ente-a", "1", "80"))
        .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "2"));
    let r = admin
        .post("/api/smvp/ente/salva", &profilo("ente-a", "1", "70"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "saved over an old version");
    let (s, _) = rettifica(&mut nucleo, &o, "annullata", "", "Sentenza revocata").await;
    assert_eq!(s, StatusCode::OK);
    let v = vista(&mut admin, "ente-a").await;
    let testata = v.testata.clone().unwrap();
    assert_eq!(
        (testata.profilo_numero, testata.profilo_piu_recente),
        (1, Some(2))
    );
    assert_eq!(obiettivo(&v, ob).finale, Some(75.0));
    let r = resp.post("/api/chiusura/profilo", &anno).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin.post("/api/chiusura/profilo", &anno).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "2"));
    // 75% is now under the 80% threshold: the indicator scores 0.
    let v = vista(&mut admin, "ente-a").await;
    assert_eq!(obiettivo(&v, ob).finale, Some(0.0));

    // The Relazione: adopted by the ente's admin with a delibera after the year, once.
    let adotta = |data: &'static str| {
        vec![
            ("slug", "ente-a"),
            ("anno", "2022"),
            ("version", "0"),
            ("delibera_numero", "12"),
            ("delibera_data", data),
        ]
    };
    let r = resp
        .post("/api/relazione/adotta", &adotta("2023-04-20"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .post("/api/relazione/adotta", &adotta("2022-12-01"))
        .await;
    assert!(
        errore(&r.body).contains("dopo la fine dell'anno"),
        "{}",
        r.body
    );
    let r = admin
        .post("/api/relazione/adotta", &adotta("2023-04-20"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = admin
        .post("/api/relazione/adotta", &adotta("2023-04-21"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let (s, tipo, pdf) = admin.download("/e/ente-a/piani/2022/relazione.pdf").await;
    assert_eq!((s, tipo.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF"));
    // Adopted: the results are frozen, for the method, the indicators and the final record.
    let r = admin.post("/api/chiusura/metodo", &metodo("2")).await;
    assert!(errore(&r.body).contains("è stata adottata"), "{}", r.body);
    let (s, b) = misura(&mut resp, &o, "", "0", "10", "10").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let fase = fasi[0];
    let (s, b) = salva(&mut resp, &mid, ob, Some(fase), 1, "90", "esterni").await;
    assert!(errore(&b).contains("è stata adottata"), "{s} {b}");
    let v = vista(&mut admin, "ente-a").await;
    assert!(v.relazione_adottata && !v.puo_impostare && !v.strutture[0].compilabile);
}

#[tokio::test]
async fn a_firm_profile_is_adopted_field_by_field() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut cons = Client::logged_in(&st, "consulente.1@test.it").await;
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let mut altro = Client::logged_in(&st, "consulente.2@test.it").await;

    // The firm's profile: a consultant's; an ente's admin may not write it.
    let mut studio = profilo("", "0", "60");
    studio.retain(|(k, _)| *k != "slug");
    studio.retain(|(k, _)| *k != "penalita");
    studio.push(("penalita", "5"));
    let r = admin.post("/api/studio/smvp/salva", &studio).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = cons.post("/api/studio/smvp/salva", &studio).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "1"));
    let r = altro.post("/api/studio/smvp", &[]).await;
    let d: SmvpStudio = serde_json::from_str(&r.body).unwrap();
    assert!(
        d.versioni.iter().all(|v| v.profilo.soglia != 60.0),
        "another firm's profile"
    );

    // The ente sees what differs and takes the threshold only.
    let r = admin.post("/api/smvp/ente", &[("slug", "ente-a")]).await;
    let d: SmvpEnte = serde_json::from_str(&r.body).unwrap();
    assert!(d.versioni.is_empty() && d.puo_modificare);
    let offerta = d.studio.unwrap();
    use app::domain::smvp::Campo;
    assert_eq!(offerta.differenze, vec![Campo::Penalita, Campo::Soglia]);
    let adotta = |campi: Vec<(&'static str, &'static str)>| {
        let mut f = vec![("slug", "ente-a"), ("base", "0"), ("studio_numero", "1")];
        f.extend(campi);
        f
    };
    let r = admin.post("/api/smvp/ente/adotta", &adotta(vec![])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post(
            "/api/smvp/ente/adotta",
            &adotta(vec![("campo_soglia", "on")]),
        )
        .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "1"));
    let r = admin.post("/api/smvp/ente", &[("slug", "ente-a")]).await;
    let d: SmvpEnte = serde_json::from_str(&r.body).unwrap();
    let v = &d.versioni[0];
    assert_eq!(
        (v.profilo.soglia, v.profilo.penalita, v.da_studio),
        (60.0, 0.0, Some(1))
    );
    assert!(v.nota.contains("Soglia minima"), "{}", v.nota);
    assert_eq!(d.studio.unwrap().differenze, vec![Campo::Penalita]);
    // A responsabile reads the profile but does not change it.
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let r = resp
        .post("/api/smvp/ente/salva", &profilo("ente-a", "1", "70"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The firm sees which version its ente took.
    let r = cons.post("/api/studio/smvp", &[]).await;
    let d: SmvpStudio = serde_json::from_str(&r.body).unwrap();
    assert!(
        d.enti
            .iter()
            .any(|(_, slug, da)| slug == "ente-a" && *da == Some(1)),
        "{:?}",
        d.enti
    );
}

#[tokio::test]
async fn the_demo_closes_2022_with_a_result_of_72_5_on_the_first_objective() {
    let db = TestDb::new().await;
    server::demo::load(
        &db.owner_url,
        &app::ssr::allegato::custodia::ChiaveFirme::di_prova(),
    )
    .await
    .unwrap();
    let st = state(&db);
    let mut c = Client::new(&st);
    c.login("segretario@esempio.demo", server::demo::DEMO_PASSWORD)
        .await;
    let v = vista(&mut c, "comune-di-esempio").await;
    let t = v.testata.clone().unwrap();
    assert_eq!(t.profilo.penalita, 5.0, "the firm's profile, adopted");
    let primo = &v.strutture[0].obiettivi[0];
    assert_eq!(primo.finale, Some(72.5));
    let perche = &primo.calcolato.as_ref().unwrap().perche;
    assert_eq!(
        perche.last().unwrap(),
        "Risultato: (50 × 100 + 50 × 45) / 100 = 72,5%.",
        "{perche:?}"
    );
    let misurato = &v.strutture[1].obiettivi[0];
    // (372 / 400 = 93% + 20 / 25 = 80%) / 2 = 86,5%.
    assert_eq!(misurato.finale, Some(86.5));
    assert!(v.strutture[2].obiettivi[1].non_valutabile);
    assert!(
        v.ente.is_some(),
        "{:?}",
        v.strutture.iter().map(|s| &s.risultato).collect::<Vec<_>>()
    );
}
