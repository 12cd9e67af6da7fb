//! Staff registry, assignments and "I miei obiettivi": import, the per-employee rule at
//! approval, and a dipendente who sees only their own objectives.

use app::model::{EsitoImport, MieiObiettivi, OneTimePassword, PianoView};
use axum::http::StatusCode;
use server::testing::TestDb;

use crate::support::{snapshot_of, state, two_tenants, Client, Parte};

pub(crate) const CSV: &str = "Matricola;Cognome;Nome;Area;Struttura;E-mail\n\
                   A1;Rossi;Mario;Istruttori;Segreteria;mario.rossi@a.it\n\
                   A2;Bianchi;Anna;D1;Segreteria;\n";

pub(crate) async fn import(c: &mut Client, csv: &[u8]) -> EsitoImport {
    let r = c
        .post_multipart(
            "/api/carica/personale",
            &[
                ("slug", Parte::Testo("ente-a")),
                ("file", Parte::File("personale.csv", csv)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

pub(crate) async fn plan(c: &mut Client) -> PianoView {
    let r = c
        .post("/api/piani/carica", &[("slug", "ente-a"), ("anno", "2022")])
        .await;
    serde_json::from_str(&r.body).unwrap()
}

pub(crate) async fn add(
    c: &mut Client,
    ob: &str,
    dip: &str,
    peso: &str,
) -> app::model::AssegnazioneView {
    let r = c
        .post(
            "/api/personale/assegnazioni/aggiungi",
            &[
                ("slug", "ente-a"),
                ("obiettivo_id", ob),
                ("dipendente_id", dip),
                ("peso", peso),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

pub(crate) async fn staff_ids(db: &TestDb) -> (String, String) {
    let mut o = db.owner().await;
    let ids: Vec<(uuid::Uuid,)> = sqlx::query_as(
        "select id from dipendenti where matricola in ('A1', 'A2') order by matricola",
    )
    .fetch_all(&mut o)
    .await
    .unwrap();
    (ids[0].0.to_string(), ids[1].0.to_string())
}

/// Mario Rossi (`CSV`'s A1, registry id `mario`) given a login by `admin`, at his first
/// access.
pub(crate) async fn login_di_mario(
    admin: &mut Client,
    st: &server::state::AppState,
    mario: &str,
) -> Client {
    let r = admin
        .post(
            "/api/personale/accessi",
            &[("slug", "ente-a"), ("dipendente_id", mario)],
        )
        .await;
    let otp: Vec<OneTimePassword> = serde_json::from_str(&r.body).unwrap();
    Client::first_access(st, "mario.rossi@a.it", &otp[0].codice).await
}

/// «I miei obiettivi» of the caller of `c` in ente A, for `anno` (0: the newest).
async fn miei_obiettivi(c: &mut Client, anno: &str) -> MieiObiettivi {
    let r = c
        .post(
            "/api/personale/miei-obiettivi",
            &[("slug", "ente-a"), ("anno", anno)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

#[tokio::test]
async fn import_assign_and_approve_only_when_everyone_sums_to_100() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    // A bad file imports nothing, and names each bad row.
    let e = import(
        &mut c,
        b"matricola;cognome;nome;area\nA1;Rossi;Mario;Istruttori\nA1;Verdi;Luca;Boh\n",
    )
    .await;
    assert_eq!(e.errori, vec![(3, "matricola A1 già presente alla riga 2; area «Boh» sconosciuta (Operatori, Operatori esperti, Istruttori, Funzionari ed Elevata Qualificazione)".to_string())]);
    let mut o = db.owner().await;
    let n: i64 = sqlx::query_scalar("select count(*) from dipendenti where ente_id = $1")
        .bind(t.ente_a)
        .fetch_one(&mut o)
        .await
        .unwrap();
    assert_eq!(n, 0, "all or nothing");
    let e = import(&mut c, CSV.as_bytes()).await;
    assert_eq!((e.nuovi, e.aggiornati, e.invariati), (2, 0, 0));
    let e = import(&mut c, CSV.as_bytes()).await;
    assert_eq!(
        (e.nuovi, e.aggiornati, e.invariati),
        (0, 0, 2),
        "re-importing changes nothing"
    );

    crate::support::plan_from_reference(&db, t.ente_a, 2022).await;
    sqlx::query("update obiettivi set descrizione = 'Scritto' where ente_id = $1 and descrizione like 'Obiettivo di sviluppo%'")
        .bind(t.ente_a).execute(&mut o).await.unwrap();
    sqlx::query("update fasi set descrizione = 'Scritta' where ente_id = $1 and descrizione = ''")
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    let p = plan(&mut c).await;
    let (ob1, ob2, ob3) = (
        p.strutture[0].obiettivi[0].id.to_string(),
        p.strutture[0].obiettivi[1].id.to_string(),
        p.strutture[1].obiettivi[0].id.to_string(),
    );
    let (mario, anna) = staff_ids(&db).await;
    add(&mut c, &ob1, &mario, "50").await;
    let second = add(&mut c, &ob2, &mario, "30").await;
    add(&mut c, &ob3, &anna, "100").await;
    let r = c
        .post(
            "/api/personale/assegnazioni/aggiungi",
            &[
                ("slug", "ente-a"),
                ("obiettivo_id", &ob1),
                ("dipendente_id", &mario),
                ("peso", "10"),
            ],
        )
        .await;
    assert!(
        r.body.contains("NonValido"),
        "duplicate assignment: {}",
        r.body
    );
    let approve = [
        ("slug", "ente-a"),
        ("anno", "2022"),
        ("delibera_numero", "7"),
        ("delibera_data", "2022-02-01"),
    ];
    let r = c.post("/api/piani/approva", &approve).await;
    let err: app::error::AppError = serde_json::from_str(&r.body).unwrap();
    assert_eq!(err.to_string(), "Il piano non può essere approvato: 1 problema da risolvere. Il primo: Mario Rossi: i pesi sommano a 80%, mancano 20%.");
    let r = c
        .post(
            "/api/personale/assegnazioni/salva",
            &[
                ("slug", "ente-a"),
                ("id", &second.id.to_string()),
                ("version", "1"),
                ("peso", "50"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c.post("/api/piani/approva", &approve).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Approved: assignments are frozen too.
    let r = c
        .post(
            "/api/personale/assegnazioni/salva",
            &[
                ("slug", "ente-a"),
                ("id", &second.id.to_string()),
                ("version", "2"),
                ("peso", "40"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_dipendente_sees_their_own_objectives_and_nothing_else() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    import(&mut admin, CSV.as_bytes()).await;
    crate::support::plan_from_reference(&db, t.ente_a, 2022).await;
    let p = plan(&mut admin).await;
    let (mario, anna) = staff_ids(&db).await;
    for (ob, dip, peso) in [
        (p.strutture[0].obiettivi[3].id, &mario, "60"),
        (p.strutture[0].obiettivi[0].id, &mario, "40"),
        (p.strutture[0].obiettivi[1].id, &anna, "100"),
    ] {
        let r = admin
            .post(
                "/api/personale/assegnazioni/aggiungi",
                &[
                    ("slug", "ente-a"),
                    ("obiettivo_id", &ob.to_string()),
                    ("dipendente_id", dip),
                    ("peso", peso),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // A login for Mario (he has an e-mail), not for Anna (she has none).
    let r = admin
        .post(
            "/api/personale/accessi",
            &[("slug", "ente-a"), ("dipendente_id", &anna)],
        )
        .await;
    assert!(r.body.contains("non ha un indirizzo e-mail"), "{}", r.body);
    let mut m = login_di_mario(&mut admin, &st, &mario).await;
    assert_eq!(
        m.get("/").await.location.as_deref(),
        Some("/e/ente-a/miei-obiettivi")
    );
    let mine = miei_obiettivi(&mut m, "0").await;
    assert_eq!(mine.nome, "Mario Rossi");
    assert_eq!(mine.anno, Some(2022));
    let got: Vec<(String, String)> = mine
        .obiettivi
        .iter()
        .map(|o| (o.numero.clone(), o.peso_mio.unwrap().label()))
        .collect();
    // Nearest deadline first: objective 4 ends on 31/07, objective 1 on 31/12.
    assert_eq!(
        got,
        [
            ("4".to_string(), "60%".to_string()),
            ("1".to_string(), "40%".to_string())
        ]
    );
    // Each with all its phases, in their order, and nothing of the other objectives.
    for (mio, del_piano) in mine.obiettivi.iter().zip([3, 0]) {
        let fasi = |v: &[app::domain::plan::RigaView]| -> Vec<(uuid::Uuid, String)> {
            v.iter()
                .map(|f| (f.id, f.campi.descrizione.clone()))
                .collect()
        };
        let attese = fasi(&p.strutture[0].obiettivi[del_piano].fasi);
        assert!(!attese.is_empty());
        assert_eq!(fasi(&mio.obiettivo.fasi), attese);
    }
    let page = m.get("/e/ente-a/miei-obiettivi").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("I miei obiettivi") && page.body.contains("60%"));

    // Nothing else of the ente: not the plan, not the registry, not others' assignments.
    let before = snapshot_of(&db, t.ente_a).await;
    let (ob, fa) = (
        p.strutture[0].obiettivi[1].id.to_string(),
        p.strutture[0].obiettivi[1].fasi[0].id.to_string(),
    );
    for (path, form) in [
        ("/api/piani/elenco", vec![("slug", "ente-a")]),
        (
            "/api/piani/carica",
            vec![("slug", "ente-a"), ("anno", "2022")],
        ),
        (
            "/api/piani/riga/attuale",
            vec![("slug", "ente-a"), ("livello", "fase"), ("id", fa.as_str())],
        ),
        ("/api/personale/elenco", vec![("slug", "ente-a")]),
        (
            "/api/personale/assegnazioni",
            vec![("slug", "ente-a"), ("anno", "2022")],
        ),
        (
            "/api/personale/accessi",
            vec![("slug", "ente-a"), ("dipendente_id", anna.as_str())],
        ),
        (
            "/api/personale/assegnazioni/aggiungi",
            vec![
                ("slug", "ente-a"),
                ("obiettivo_id", ob.as_str()),
                ("dipendente_id", mario.as_str()),
                ("peso", "10"),
            ],
        ),
        ("/api/utenti/elenco", vec![("slug", "ente-a")]),
    ] {
        let r = m.post(path, &form).await;
        assert!(
            matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{path}: {} {}",
            r.status,
            r.body
        );
        assert!(!r.body.contains("Bianchi"), "{path} leaked: {}", r.body);
    }
    for page in [
        "/e/ente-a/piani/2022",
        "/e/ente-a/personale",
        "/e/ente-a/piani/2022/dipendenti",
    ] {
        let r = m.get(page).await;
        assert!(
            !r.body.contains("Bianchi") && !r.body.contains("Customer Satisfaction"),
            "{page} leaked"
        );
    }
    assert_eq!(before, snapshot_of(&db, t.ente_a).await);
}

#[tokio::test]
async fn a_responsabile_assigns_staff_only_in_their_own_struttura() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    import(&mut admin, CSV.as_bytes()).await;
    crate::support::plan_from_reference(&db, t.ente_a, 2022).await;
    let mut o = db.owner().await;
    // resp.a becomes the responsabile of the second struttura.
    sqlx::query(
        "update strutture set responsabile_user_id = (select id from users where email = 'resp.a@test.it')
          where ente_id = $1 and posizione = 2",
    )
    .bind(t.ente_a)
    .execute(&mut o)
    .await
    .unwrap();
    let p = plan(&mut admin).await;
    let (mario, _) = staff_ids(&db).await;
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let own = p.strutture[1].obiettivi[0].id.to_string();
    let other = p.strutture[0].obiettivi[0].id.to_string();
    let r = resp
        .post(
            "/api/personale/assegnazioni/aggiungi",
            &[
                ("slug", "ente-a"),
                ("obiettivo_id", &own),
                ("dipendente_id", &mario),
                ("peso", "100"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = resp
        .post(
            "/api/personale/assegnazioni/aggiungi",
            &[
                ("slug", "ente-a"),
                ("obiettivo_id", &other),
                ("dipendente_id", &mario),
                ("peso", "100"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // An admin's assignment in another struttura: the responsabile cannot change or remove it.
    let a = add(&mut admin, &other, &mario, "50").await;
    let r = resp
        .post(
            "/api/personale/assegnazioni/salva",
            &[
                ("slug", "ente-a"),
                ("id", &a.id.to_string()),
                ("version", "1"),
                ("peso", "10"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = resp
        .post(
            "/api/personale/assegnazioni/elimina",
            &[("slug", "ente-a"), ("id", &a.id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The registry is the admins' business.
    let r = resp
        .post("/api/personale/elenco", &[("slug", "ente-a")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn one_employee_from_the_form_with_service_dates() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let mut c = Client::logged_in(&state(&db), "admin.a@test.it").await;
    let salva = |dal: &'static str, al: &'static str| {
        [
            ("slug", "ente-a"),
            ("matricola", "F1"),
            ("cognome", "Fabbri"),
            ("nome", "Franca"),
            ("area", "Istruttori"),
            ("profilo", "Istruttore amministrativo"),
            ("struttura", "Segreteria"),
            ("email", ""),
            ("attivo_dal", dal),
            ("attivo_al", al),
        ]
    };
    // End before start: refused with the reason, nothing saved.
    let r = c
        .post("/api/personale/salva", &salva("2024-03-01", "2023-12-31"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("la data di fine precede quella di inizio"),
        "{}",
        r.body
    );
    let elenco = |r: crate::support::Reply| -> Vec<app::model::DipendenteView> {
        serde_json::from_str(&r.body).unwrap()
    };
    let l = elenco(c.post("/api/personale/elenco", &[("slug", "ente-a")]).await);
    assert!(l.is_empty());
    let r = c
        .post("/api/personale/salva", &salva("2024-03-01", "2026-12-31"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let l = elenco(c.post("/api/personale/elenco", &[("slug", "ente-a")]).await);
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].attivo_al.unwrap().to_string(), "2026-12-31");
    // The same matricola again updates it; the end date may be cleared.
    let r = c
        .post("/api/personale/salva", &salva("2024-03-01", ""))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let l = elenco(c.post("/api/personale/elenco", &[("slug", "ente-a")]).await);
    assert_eq!((l.len(), l[0].attivo_al), (1, None));
}

#[tokio::test]
async fn i_miei_obiettivi_shows_the_year_asked_else_the_newest() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    import(&mut admin, CSV.as_bytes()).await;
    let (_, ob_2022, _) = crate::support::plan_from_reference(&db, t.ente_a, 2022).await;
    let (_, ob_2023, _) = crate::support::plan_from_reference(&db, t.ente_a, 2023).await;
    let (mario, _) = staff_ids(&db).await;
    add(&mut admin, &ob_2022.to_string(), &mario, "30").await;
    add(&mut admin, &ob_2023.to_string(), &mario, "70").await;
    let mut m = login_di_mario(&mut admin, &st, &mario).await;
    // The year asked, if it is one of his; else the newest. His years, newest first.
    for (chiesto, mostrato, obiettivo, peso) in [
        ("0", 2023, ob_2023, "70%"),
        ("2022", 2022, ob_2022, "30%"),
        ("2023", 2023, ob_2023, "70%"),
        ("2019", 2023, ob_2023, "70%"),
    ] {
        let mine = miei_obiettivi(&mut m, chiesto).await;
        assert_eq!(mine.nome, "Mario Rossi");
        assert_eq!(mine.anni, [2023, 2022]);
        assert_eq!(mine.anno, Some(mostrato), "asked {chiesto}");
        let got: Vec<_> = (mine.obiettivi.iter())
            .map(|o| (o.obiettivo.id, o.peso_mio.unwrap().label()))
            .collect();
        assert_eq!(got, [(obiettivo, peso.to_string())], "asked {chiesto}");
        assert!(!mine.obiettivi[0].obiettivo.fasi.is_empty());
    }
    // Someone with no objectives in the ente: their account's name, no year, nothing.
    let none = miei_obiettivi(&mut admin, "0").await;
    assert_eq!(none.nome, "admin.a@test.it");
    assert!(none.anni.is_empty() && none.anno.is_none() && none.obiettivi.is_empty());
}
