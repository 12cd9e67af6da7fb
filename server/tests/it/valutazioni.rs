//! Individual evaluation and the premi on the demo's 2022 year, through the server
//! functions as each person calls them: who sees which scheda (Row-Level Security: the
//! person, their evaluator, the Nucleo for the EQ, the admins), the cycle's steps in order
//! with its working-day deadline, a stale scheda refused, the distribution simulated, saved
//! and made final (every cent accounted for), its files and who may download them, and the
//! Relazione's chapters 4 and 5 filled from it.

use axum::http::StatusCode;
use server::testing::TestDb;
use uuid::Uuid;

use crate::support::{state, Client};
use app::domain::scheda::Stato;
use app::model::{PremiView, SchedaView, ValutazioniView};

const ENTE: &str = "comune-di-esempio";

async fn persona(st: &server::state::AppState, email: &str) -> Client {
    let mut c = Client::new(st);
    c.login(email, server::demo::DEMO_PASSWORD).await;
    c
}

async fn elenco(c: &mut Client) -> ValutazioniView {
    let r = c
        .post("/api/valutazioni", &[("slug", ENTE), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn scheda(c: &mut Client, id: Uuid) -> (StatusCode, Option<SchedaView>) {
    let id = id.to_string();
    let r = c
        .post(
            "/api/valutazioni/scheda",
            &[("slug", ENTE), ("anno", "2022"), ("dipendente", &id)],
        )
        .await;
    (r.status, serde_json::from_str(&r.body).ok())
}

/// The evaluator's form for `id`: every behaviour scored `voto`.
fn compilazione(
    id: &str,
    version: &str,
    voti: &[&'static str],
    finale: &'static str,
    proponi: bool,
) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("slug".into(), ENTE.into()),
        ("anno".into(), "2022".into()),
        ("dipendente".into(), id.into()),
        ("version".into(), version.into()),
        ("colloquio_assegnazione".into(), "2022-04-20".into()),
        ("colloquio_finale".into(), finale.into()),
    ];
    for (i, v) in voti.iter().enumerate() {
        f.push((format!("voti[{i}]"), v.to_string()));
    }
    if proponi {
        f.push(("proponi".into(), "on".into()));
    }
    f
}

async fn invia(c: &mut Client, path: &str, form: &[(String, String)]) -> (StatusCode, String) {
    let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.post(path, &f).await;
    (r.status, r.body)
}

async fn passo(
    c: &mut Client,
    path: &str,
    id: &str,
    version: i32,
    extra: &[(&str, &str)],
) -> (StatusCode, String) {
    let v = version.to_string();
    let mut f = vec![
        ("slug", ENTE),
        ("anno", "2022"),
        ("dipendente", id),
        ("version", v.as_str()),
    ];
    f.extend_from_slice(extra);
    let r = c.post(path, &f).await;
    (r.status, r.body)
}

#[tokio::test]
async fn the_demo_year_is_evaluated_reviewed_and_its_premi_distributed() {
    let db = TestDb::new().await;
    server::demo::load(
        &db.owner_url,
        &app::ssr::allegato::custodia::ChiaveFirme::di_prova(),
    )
    .await
    .unwrap();
    let st = state(&db);
    let mut admin = persona(&st, "segretario@esempio.demo").await;
    let mut rita = persona(&st, "responsabile@esempio.demo").await;
    let mut dario = persona(&st, "dipendente@esempio.demo").await;
    let mut nadia = persona(&st, "nucleo@esempio.demo").await;

    // Who sees what: the admin all 20, Rita her staff, the Nucleo the EQ, Dario himself.
    let tutte = elenco(&mut admin).await;
    assert_eq!(tutte.righe.len(), 20);
    assert_eq!(
        tutte
            .righe
            .iter()
            .filter(|r| r.stato == Stato::Definitiva)
            .count(),
        19
    );
    let eq: Vec<_> = tutte
        .righe
        .iter()
        .filter(|r| r.categoria == app::domain::premi::Categoria::Eq)
        .collect();
    assert_eq!(eq.len(), 5, "one EQ per struttura");
    let di_rita = elenco(&mut rita).await;
    assert!(!di_rita.righe.is_empty());
    assert!(di_rita
        .righe
        .iter()
        .all(|r| r.valutatore == "Rita Responsabile"));
    let del_nucleo = elenco(&mut nadia).await;
    assert_eq!(del_nucleo.righe.len(), 5);
    let mio = elenco(&mut dario).await;
    assert_eq!(mio.righe.len(), 1);
    let dario_id = mio.righe[0].dipendente_id;
    assert_eq!(mio.righe[0].stato, Stato::Bozza);
    // Another person's scheda, even by id, does not exist for Dario; nor an EQ's for Rita.
    let altro = tutte
        .righe
        .iter()
        .find(|r| r.dipendente_id != dario_id)
        .unwrap()
        .dipendente_id;
    assert_eq!(scheda(&mut dario, altro).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        scheda(&mut rita, eq[0].dipendente_id).await.0,
        StatusCode::NOT_FOUND
    );
    let r = dario
        .get(&format!(
            "/e/{ENTE}/piani/2022/valutazioni/{altro}/scheda.pdf"
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Rita evaluates Dario: a proposal needs the final colloquio and every behaviour.
    let (_, s) = scheda(&mut rita, dario_id).await;
    let s = s.unwrap();
    assert!(s.valutatore_io && !s.valutato_io);
    let id = dario_id.to_string();
    let n = s.voti.len();
    let quattro: Vec<&'static str> = vec!["4"; n];
    let (st_, body) = invia(
        &mut rita,
        "/api/valutazioni/salva",
        &compilazione(&id, &s.version.to_string(), &quattro, "", true),
    )
    .await;
    assert_eq!(st_, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("colloquio finale"), "{body}");
    let (st_, body) = invia(
        &mut rita,
        "/api/valutazioni/salva",
        &compilazione(&id, &s.version.to_string(), &quattro, "2023-01-24", true),
    )
    .await;
    assert_eq!(st_, StatusCode::OK, "{body}");
    // The same form again is stale: a conflict, not an overwrite.
    let (st_, _) = invia(
        &mut rita,
        "/api/valutazioni/salva",
        &compilazione(&id, &s.version.to_string(), &quattro, "2023-01-24", false),
    )
    .await;
    assert_eq!(st_, StatusCode::CONFLICT);
    let s = scheda(&mut dario, dario_id).await.1.unwrap();
    assert_eq!(s.stato, Stato::Proposta);
    assert!(s.valutato_io);
    // Behaviours all 4 → 80; the total is the profile's weights over the sections.
    assert_eq!(s.calcolo.comportamenti.as_ref().unwrap().valore, 80.0);
    let t = s.calcolo.totale.as_ref().unwrap();
    let atteso = (30.0 * s.calcolo.risultati.as_ref().unwrap().valore
        + 20.0 * s.calcolo.obiettivi.as_ref().unwrap().valore
        + 50.0 * 80.0)
        / 100.0;
    assert!((t.valore - atteso).abs() < 1e-9, "{} vs {atteso}", t.valore);
    assert!(
        t.perche[0].starts_with("Punteggio: (30 × "),
        "{:?}",
        t.perche
    );

    // Dario sees it, then asks for a review (a reason is required); Rita cannot do his part.
    let (c, b) = passo(&mut rita, "/api/valutazioni/visione", &id, s.version, &[]).await;
    assert_eq!(c, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (c, b) = passo(&mut dario, "/api/valutazioni/visione", &id, s.version, &[]).await;
    assert_eq!(c, StatusCode::OK, "{b}");
    let v = s.version + 1;
    let (c, b) = passo(
        &mut dario,
        "/api/valutazioni/risposta",
        &id,
        v,
        &[("revisione", "true"), ("testo", "  ")],
    )
    .await;
    assert_eq!(c, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    // Past the deadline (10 working days after the presa visione) the request is refused.
    let mut o = db.owner().await;
    sqlx::query("update valutazioni set presa_visione_il = '2023-04-20' where dipendente_id = $1")
        .bind(dario_id)
        .execute(&mut o)
        .await
        .unwrap();
    let (c, b) = passo(
        &mut dario,
        "/api/valutazioni/risposta",
        &id,
        v,
        &[("revisione", "true"), ("testo", "Chiedo la revisione.")],
    )
    .await;
    assert_eq!(c, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.contains("scaduto il 08/05/2023"), "{b}");
    sqlx::query("update valutazioni set presa_visione_il = current_date where dipendente_id = $1")
        .bind(dario_id)
        .execute(&mut o)
        .await
        .unwrap();
    let (c, b) = passo(
        &mut dario,
        "/api/valutazioni/risposta",
        &id,
        v,
        &[("revisione", "true"), ("testo", "Chiedo la revisione.")],
    )
    .await;
    assert_eq!(c, StatusCode::OK, "{b}");
    let s = scheda(&mut rita, dario_id).await.1.unwrap();
    assert_eq!(s.stato, Stato::Revisione);
    assert!(s.scadenza_decisione.is_some());
    // Rita decides after the hearing: five everywhere now; the scheda is final and locked.
    let cinque: Vec<&'static str> = vec!["5"; n];
    let mut f = compilazione(&id, &s.version.to_string(), &cinque, "2023-01-24", false);
    // Today in Italy, as the server counts it.
    let oggi = app::domain::calendario::oggi()
        .format("%Y-%m-%d")
        .to_string();
    f.extend([
        ("audizione".to_string(), oggi),
        ("sindacato".to_string(), "on".to_string()),
        ("decisione".to_string(), "Accolta in parte.".to_string()),
    ]);
    let (c, b) = invia(&mut rita, "/api/valutazioni/decidi", &f).await;
    assert_eq!(c, StatusCode::OK, "{b}");
    let s = scheda(&mut dario, dario_id).await.1.unwrap();
    assert_eq!(s.stato, Stato::Definitiva);
    assert_eq!(s.con_sindacato, Some(true));
    assert_eq!(s.calcolo.comportamenti.as_ref().unwrap().valore, 100.0);
    let e = sqlx::query("update valutazioni set note = 'x' where dipendente_id = $1")
        .bind(dario_id)
        .execute(&mut o)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("non si modifica"), "{e}");
    let (stato, tipo, pdf) = dario
        .download(&format!(
            "/e/{ENTE}/piani/2022/valutazioni/{dario_id}/scheda.pdf"
        ))
        .await;
    assert_eq!(stato, StatusCode::OK);
    assert_eq!(tipo, "application/pdf");
    assert!(pdf.starts_with(b"%PDF"));

    // The premi's data of a person without a scheda here (an id from nowhere): not found.
    let ignoto = Uuid::new_v4().to_string();
    let (c, b) = passo(
        &mut admin,
        "/api/valutazioni/dati-premi",
        &ignoto,
        0,
        &[("assenze", "1"), ("congedi", "0"), ("sanzione", "0")],
    )
    .await;
    assert_eq!(c, StatusCode::NOT_FOUND, "{b}");

    // The premi: only admins and consultants (and the Nucleo's aggregates).
    let r = dario
        .post("/api/premi", &[("slug", ENTE), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let premi = |body: &str| -> PremiView { serde_json::from_str(body).unwrap() };
    let r = admin
        .post("/api/premi", &[("slug", ENTE), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let salvati = premi(&r.body);
    assert_eq!(salvati.definitive, 20);
    let pers = &salvati.ripartizione[0];
    assert_eq!(pers.fondo, 3_200_000);
    assert_eq!(pers.pagato + pers.resto, pers.fondo);
    assert_eq!(pers.beneficiari_maggiorazione, 2, "15% of 15 evaluated");
    // A simulation with a higher threshold: fewer admitted; nothing saved.
    let mut m = app::domain::premi::ModuloPremi::da(&salvati.parametri);
    m.soglia = "85".into();
    let mut f: Vec<(String, String)> =
        vec![("slug".into(), ENTE.into()), ("anno".into(), "2022".into())];
    f.extend(
        m.coppie()
            .into_iter()
            .map(|(k, v)| (format!("simulati[{k}]"), v)),
    );
    let (c, b) = invia(&mut admin, "/api/premi", &f).await;
    assert_eq!(c, StatusCode::OK, "{b}");
    let sim = premi(&b);
    assert!(sim.simulazione);
    assert!(sim.ripartizione[0].ammessi < pers.ammessi);
    assert_eq!(
        sim.ripartizione[0].pagato + sim.ripartizione[0].resto,
        3_200_000
    );
    // A bonus under 30% is refused with its reason.
    m.maggiorazione = "20".into();
    let mut f: Vec<(String, String)> = vec![
        ("slug".into(), ENTE.into()),
        ("anno".into(), "2022".into()),
        ("version".into(), salvati.version.to_string()),
    ];
    f.extend(
        m.coppie()
            .into_iter()
            .map(|(k, v)| (format!("modulo[{k}]"), v)),
    );
    let (c, b) = invia(&mut admin, "/api/premi/salva", &f).await;
    assert_eq!(c, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.contains("almeno il 30%"), "{b}");
    // Final with the saved parameters: once only, and then fixed.
    let v = salvati.version.to_string();
    let r = admin
        .post(
            "/api/premi/definitiva",
            &[("slug", ENTE), ("anno", "2022"), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = admin
        .post(
            "/api/premi/definitiva",
            &[("slug", ENTE), ("anno", "2022"), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fin = premi(
        &admin
            .post("/api/premi", &[("slug", ENTE), ("anno", "2022")])
            .await
            .body,
    );
    assert!(fin.definitivo);
    let quote: usize = fin.ripartizione.iter().map(|r| r.quote.len()).sum();
    assert_eq!(quote, 20);
    for r in &fin.ripartizione {
        let somma: i64 = r.quote.iter().map(|q| q.totale()).sum();
        assert_eq!(somma, r.pagato);
        assert_eq!(r.pagato + r.resto, r.fondo);
    }
    // Dario sees his own premio on his scheda.
    let s = scheda(&mut dario, dario_id).await.1.unwrap();
    assert!(s.premio.is_some_and(|(b, _)| b > 0));

    // The files: the payroll by name for the admin only; the art. 20 aggregates also for
    // the Nucleo; nothing for Dario.
    let (c, _, csv) = admin
        .download(&format!("/e/{ENTE}/piani/2022/premi/cedolini.csv"))
        .await;
    assert_eq!(c, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with(
        "matricola;cognome_nome;categoria;punteggio;esito;premio_base;maggiorazione_art81;totale"
    ));
    assert_eq!(csv.lines().count(), 21);
    assert!(csv.contains("Dipendente Dario"));
    let (c, _, _) = nadia
        .download(&format!("/e/{ENTE}/piani/2022/premi/cedolini.csv"))
        .await;
    assert_eq!(c, StatusCode::NOT_FOUND);
    let (c, _, art20) = nadia
        .download(&format!("/e/{ENTE}/piani/2022/premi/art20.csv"))
        .await;
    assert_eq!(c, StatusCode::OK);
    let art20 = String::from_utf8(art20).unwrap();
    assert!(
        art20.contains("stanziato") && !art20.contains("Dario"),
        "{art20}"
    );
    let (c, tipo, pdf) = admin
        .download(&format!("/e/{ENTE}/piani/2022/premi/art20.pdf"))
        .await;
    assert_eq!((c, tipo.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF"));
    let (c, _, odt) = admin
        .download(&format!("/e/{ENTE}/piani/2022/premi/determina.odt"))
        .await;
    assert_eq!(c, StatusCode::OK);
    assert!(odt.starts_with(b"PK"));
    let (c, _, _) = dario
        .download(&format!("/e/{ENTE}/piani/2022/premi/art20.csv"))
        .await;
    assert_eq!(c, StatusCode::NOT_FOUND);

    // The Relazione reports them in chapters 4 and 5.
    let (c, _, odt) = admin
        .download(&format!("/e/{ENTE}/piani/2022/relazione.odt"))
        .await;
    assert_eq!(c, StatusCode::OK);
    let dir = crate::allegato::Cartella::new();
    let f = dir.scrivi("r.odt", &odt);
    let testo = crate::allegato::esegui(
        "python3",
        &[
            "-c",
            "import sys,zipfile;print(zipfile.ZipFile(sys.argv[1]).read('content.xml').decode())",
            crate::allegato::s(&f),
        ],
    );
    assert!(testo.contains("Personale del comparto"), "chapter 5");
    assert!(
        !testo.contains("non è ancora definitiva"),
        "chapters 4 and 5 filled"
    );
}
