//! The template library: the base library seeded from the reference, firm templates with
//! versions, adoption into a plan, updates taken or dismissed, and firms kept apart.

use app::domain::libreria::{Campo, Scadenza};
use app::domain::peso::Peso;
use app::model::{Aggiornamento, ModelloBreve, ModelloView, PianoView, RigaView};
use axum::http::StatusCode;
use server::testing::TestDb;
use uuid::Uuid;

use crate::support::{plan_from_reference, state, two_tenants, Client, Reply};

fn ok<T: serde::de::DeserializeOwned>(r: Reply) -> T {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn cerca(c: &mut Client, slug: &str, testo: &str) -> Vec<ModelloBreve> {
    ok(c.post(
        "/api/libreria/cerca",
        &[
            ("slug", slug),
            ("testo", testo),
            ("tipo", ""),
            ("missione", ""),
            ("natura", ""),
        ],
    )
    .await)
}

async fn salva(c: &mut Client, id: &str, versione: i32, descrizione: &str, fase2: &str) -> Reply {
    let titolo = "Riduzione dei tempi dei procedimenti";
    salva_titolo(c, (id, versione), titolo, descrizione, fase2).await
}

async fn salva_titolo(
    c: &mut Client,
    (id, versione): (&str, i32),
    titolo: &str,
    descrizione: &str,
    fase2: &str,
) -> Reply {
    let fasi = serde_json::json!([
        {"descrizione": "Fase: ricognizione dei procedimenti", "peso": "40", "indicatori": "Elenco",
         "valori_attesi": "Elenco pubblicato", "scadenza": "30 giugno"},
        {"descrizione": fase2, "peso": "60", "indicatori": "Tempi medi",
         "valori_attesi": "Entro 30 giorni", "scadenza": "31/12"}
    ])
    .to_string();
    c.post(
        "/api/libreria/salva",
        &[
            ("id", id),
            ("versione", &versione.to_string()),
            ("titolo", titolo),
            ("descrizione", descrizione),
            ("peso", "15"),
            ("indicatori", "Tempi medi di conclusione"),
            ("valori_attesi", "Riduzione del 10%"),
            ("scadenza", "31 dicembre"),
            ("natura", "sviluppo"),
            ("tipi", "amministrativa,tecnica"),
            ("missioni", "01"),
            ("fasi", &fasi),
        ],
    )
    .await
}

async fn piano(c: &mut Client) -> PianoView {
    ok(
        c.post("/api/piani/carica", &[("slug", "ente-a"), ("anno", "2022")])
            .await,
    )
}

/// The page of ente-a's plan of 2022, shown as a document.
async fn documento(c: &mut Client) -> String {
    let r = c.get("/e/ente-a/piani/2022").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("class=\"documento-piano\""));
    assert!(!r.body.contains("<textarea"));
    r.body
}

/// The ente-a admin's «Adotta» of template `modello` into `struttura`.
async fn adotta(c: &mut Client, struttura: Uuid, modello: &str) -> Reply {
    c.post(
        "/api/piani/adotta",
        &[
            ("slug", "ente-a"),
            ("struttura_id", &struttura.to_string()),
            ("modello_id", modello),
        ],
    )
    .await
}

fn adottato(p: &PianoView, id: Uuid) -> RigaView {
    p.strutture
        .iter()
        .flat_map(|s| s.obiettivi.iter())
        .find(|o| o.id == id)
        .cloned()
        .expect("the adopted objective is in the plan")
}

#[tokio::test]
async fn the_base_library_holds_every_distinct_objective_of_the_reference_verbatim() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let mut c = Client::logged_in(&state(&db), "consulente.1@test.it").await;
    let base: Vec<ModelloBreve> = cerca(&mut c, "", "")
        .await
        .into_iter()
        .filter(|m| m.base)
        .collect();
    let tipi = [
        "segreteria",
        "amministrativa",
        "economico_finanziaria",
        "tecnica",
        "polizia_locale",
    ];
    let mut distinti: Vec<&app::ssr::modello::Obiettivo> = Vec::new();
    let m = app::ssr::modello::modello();
    for (si, s) in m.strutture.iter().enumerate() {
        for o in &s.obiettivi {
            if !distinti.contains(&o) {
                distinti.push(o);
            }
            let t = base
                .iter()
                .map(|b| &b.contenuto)
                .find(|b| {
                    b.descrizione == o.descrizione
                        && b.peso == Some(o.peso)
                        && b.indicatori == o.indicatori
                        && b.valori_attesi == o.valori_attesi
                        && b.scadenza == Some(Scadenza::da_data(o.data_fine))
                        && b.fasi.len() == o.fasi.len()
                        && b.fasi.iter().zip(&o.fasi).all(|(bf, of)| {
                            bf.descrizione == of.descrizione
                                && bf.peso == Some(of.peso)
                                && bf.indicatori == of.indicatori
                                && bf.valori_attesi == of.valori_attesi
                                && bf.scadenza == Some(Scadenza::da_data(of.data_fine))
                        })
                })
                .unwrap_or_else(|| panic!("no base template for «{}»", o.descrizione));
            assert!(
                t.tipi_struttura.iter().any(|x| x == tipi[si]),
                "«{}» not tagged {}",
                t.titolo,
                tipi[si]
            );
            for mi in &s.missioni {
                assert!(t.missioni.contains(mi), "«{}» lacks mission {mi}", t.titolo);
            }
        }
    }
    // One template per distinct objective: the repeated ones (trasparenza, corruzione,
    // trasformazione digitale, mantenimento ...) are not duplicated.
    assert_eq!(base.len(), distinti.len());
    assert_eq!(base.len(), 11);
    // Italian full-text search: stems and accents as Italians type them.
    let trasparenza = cerca(&mut c, "", "trasparente").await;
    assert!(trasparenza
        .iter()
        .any(|m| m.contenuto.titolo.starts_with("Trasparenza")));
    assert!(trasparenza.len() < base.len());
    let agile = cerca(&mut c, "", "lavoro agile").await;
    assert_eq!(agile[0].contenuto.titolo, "Lavoro agile (smart working)");
    // Filters by tag and mission.
    let r: Vec<ModelloBreve> = ok(c
        .post(
            "/api/libreria/cerca",
            &[
                ("slug", ""),
                ("testo", ""),
                ("tipo", "polizia_locale"),
                ("missione", "03"),
                ("natura", "mantenimento"),
            ],
        )
        .await);
    assert!(!r.is_empty() && r.len() < base.len());
    assert!(r.iter().all(|m| m.contenuto.missioni.contains(&"03".into())
        && m.contenuto.natura == app::domain::libreria::Natura::Mantenimento));
}

#[tokio::test]
async fn adopt_edit_update_take_and_dismiss() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (struttura_a, _, _) = plan_from_reference(&db, t.ente_a, 2022).await;
    let st = state(&db);
    let mut cons = Client::logged_in(&st, "consulente.1@test.it").await;
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;

    // The consultant writes a firm template; bad input is refused with the reason.
    let r = salva(&mut cons, "", 0, "", "Fase: riduzione").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("descrizione"), "{}", r.body);
    let (id, v): (Uuid, i32) = ok(salva(
        &mut cons,
        "",
        0,
        "Riduzione dei tempi medi di conclusione dei procedimenti",
        "Fase: riduzione dei tempi",
    )
    .await);
    assert_eq!(v, 1);

    // The ente admin finds it from the plan and adopts it into a struttura.
    let found = cerca(&mut admin, "ente-a", "procedimento").await;
    assert!(found.iter().any(|m| m.id == id && !m.base));
    let copia: RigaView = ok(adotta(&mut admin, struttura_a, &id.to_string()).await);
    assert_eq!(
        copia.campi.descrizione,
        "Riduzione dei tempi medi di conclusione dei procedimenti"
    );
    assert_eq!(copia.campi.peso, Some(Peso(1500)));
    assert_eq!(copia.campi.data_fine.unwrap().to_string(), "2022-12-31");
    assert_eq!(copia.fasi.len(), 2);
    assert_eq!(
        copia.fasi[0].campi.data_fine.unwrap().to_string(),
        "2022-06-30"
    );
    let rif = copia.modello.clone().unwrap();
    assert_eq!((rif.id, rif.versione, rif.aggiornamento), (id, 1, false));

    // Editing the copy leaves the template as it was.
    let r = admin
        .post(
            "/api/piani/riga/salva",
            &[
                ("slug", "ente-a"),
                ("livello", "obiettivo"),
                ("id", &copia.id.to_string()),
                ("version", &copia.version.to_string()),
                ("descrizione", "Testo nostro, cambiato dall'ente"),
                ("peso", "15"),
                ("indicatori", "Tempi medi di conclusione"),
                ("valori_attesi", "Riduzione del 10%"),
                ("data_fine", "2022-12-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m: ModelloView = ok(cons
        .post(
            "/api/libreria/modello",
            &[("id", &id.to_string()), ("versione", "0")],
        )
        .await);
    assert_eq!(
        m.contenuto.descrizione,
        "Riduzione dei tempi medi di conclusione dei procedimenti"
    );
    assert_eq!((m.versione_corrente, m.modificabile), (1, true));
    assert_eq!(m.uso.len(), 1);
    assert_eq!(
        (
            m.uso[0].ente.as_str(),
            m.uso[0].versione,
            m.uso[0].obiettivi
        ),
        ("Comune A", 1, 1)
    );

    // A new version; a second save from the old version is a conflict.
    let (_, v2): (Uuid, i32) = ok(salva(
        &mut cons,
        &id.to_string(),
        1,
        "Riduzione dei tempi medi dei procedimenti, con monitoraggio trimestrale",
        "Fase: monitoraggio trimestrale dei tempi",
    )
    .await);
    assert_eq!(v2, 2);
    let stale = salva(&mut cons, &id.to_string(), 1, "Altro testo", "Fase: x").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("versione 2"), "{}", stale.body);
    // Old versions stay readable.
    let v1: ModelloView = ok(cons
        .post(
            "/api/libreria/modello",
            &[("id", &id.to_string()), ("versione", "1")],
        )
        .await);
    assert_eq!(v1.versione, 1);
    assert_eq!(v1.versioni.len(), 2);
    assert_eq!(
        v1.contenuto.descrizione,
        "Riduzione dei tempi medi di conclusione dei procedimenti"
    );

    // The adopted copy now offers the update, field by field.
    let o = adottato(&piano(&mut admin).await, copia.id);
    let rif = o.modello.clone().unwrap();
    assert_eq!((rif.versione, rif.ultima, rif.aggiornamento), (1, 2, true));
    let agg: Aggiornamento = ok(admin
        .post(
            "/api/piani/aggiornamento",
            &[("slug", "ente-a"), ("obiettivo_id", &o.id.to_string())],
        )
        .await);
    assert_eq!((agg.da, agg.a), (1, 2));
    let campi: Vec<Campo> = agg.differenze.iter().map(|d| d.campo).collect();
    assert_eq!(campi, vec![Campo::Descrizione, Campo::Fasi]);
    assert_eq!(
        agg.differenze[0].attuale,
        "Testo nostro, cambiato dall'ente"
    );

    // Taking it: the chosen fields change, the version is recorded.
    let preso: RigaView = ok(admin
        .post(
            "/api/piani/aggiornamento/applica",
            &[
                ("slug", "ente-a"),
                ("obiettivo_id", &o.id.to_string()),
                ("version", &o.version.to_string()),
                ("a", "2"),
                ("campi", "descrizione,fasi"),
            ],
        )
        .await);
    assert_eq!(
        preso.campi.descrizione,
        "Riduzione dei tempi medi dei procedimenti, con monitoraggio trimestrale"
    );
    assert_eq!(
        preso.fasi[1].campi.descrizione,
        "Fase: monitoraggio trimestrale dei tempi"
    );
    let rif = preso.modello.clone().unwrap();
    assert_eq!((rif.versione, rif.aggiornamento), (2, false));
    // Taking it again from the old row version is a conflict, not an overwrite.
    let r = admin
        .post(
            "/api/piani/aggiornamento/applica",
            &[
                ("slug", "ente-a"),
                ("obiettivo_id", &o.id.to_string()),
                ("version", &o.version.to_string()),
                ("a", "2"),
                ("campi", "descrizione"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let m: ModelloView = ok(cons
        .post(
            "/api/libreria/modello",
            &[("id", &id.to_string()), ("versione", "0")],
        )
        .await);
    assert_eq!(m.uso[0].versione, 2);

    // Version 3, dismissed: no longer offered.
    let _: (Uuid, i32) = ok(salva(&mut cons, &id.to_string(), 2, "Terza stesura", "Fase: y").await);
    let o = adottato(&piano(&mut admin).await, copia.id);
    assert!(o.modello.as_ref().unwrap().aggiornamento);
    let ignorato: RigaView = ok(admin
        .post(
            "/api/piani/aggiornamento/ignora",
            &[
                ("slug", "ente-a"),
                ("obiettivo_id", &o.id.to_string()),
                ("a", "3"),
            ],
        )
        .await);
    assert!(!ignorato.modello.as_ref().unwrap().aggiornamento);
    assert_eq!(ignorato.campi.descrizione, preso.campi.descrizione);
    let o = adottato(&piano(&mut admin).await, copia.id);
    assert!(!o.modello.unwrap().aggiornamento);

    // Retired templates are no longer offered for adoption.
    let r = cons
        .post(
            "/api/libreria/ritira",
            &[("id", &id.to_string()), ("ritirato", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!cerca(&mut admin, "ente-a", "procedimento")
        .await
        .iter()
        .any(|m| m.id == id));
}

#[tokio::test]
async fn firms_never_see_each_others_templates() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (struttura_a, _, _) = plan_from_reference(&db, t.ente_a, 2022).await;
    let st = state(&db);
    let mut uno = Client::logged_in(&st, "consulente.1@test.it").await;
    let mut admin_a = Client::logged_in(&st, "admin.a@test.it").await;
    let mb = t.modello_b.to_string();
    // Firm 1's consultant: not in search, not by id, cannot duplicate or edit it.
    assert!(!cerca(&mut uno, "", "")
        .await
        .iter()
        .any(|m| m.id == t.modello_b));
    assert!(!cerca(&mut uno, "", "Studio Due")
        .await
        .iter()
        .any(|m| !m.base));
    for (path, form) in [
        (
            "/api/libreria/modello",
            vec![("id", mb.as_str()), ("versione", "0")],
        ),
        ("/api/libreria/duplica", vec![("id", mb.as_str())]),
        (
            "/api/libreria/ritira",
            vec![("id", mb.as_str()), ("ritirato", "true")],
        ),
    ] {
        let r = uno.post(path, &form).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
    }
    // Ente A (firm 1) cannot adopt firm 2's template into its own plan.
    assert!(!cerca(&mut admin_a, "ente-a", "")
        .await
        .iter()
        .any(|m| m.id == t.modello_b));
    let r = adotta(&mut admin_a, struttura_a, &mb).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // And firm 2's own consultant does see it.
    let mut due = Client::logged_in(&st, "consulente.2@test.it").await;
    assert!(cerca(&mut due, "", "")
        .await
        .iter()
        .any(|m| m.id == t.modello_b));

    // Row-Level Security alone: as the runtime role, firm 1's settings see none of firm 2's
    // templates or versions, and cannot write into firm 2's library.
    let mut tx = db.pool.begin().await.unwrap();
    let firm1: Uuid = sqlx::query_scalar("select firm_id from enti where slug = 'ente-a'")
        .fetch_optional(&mut *tx)
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(firm1, Uuid::nil(), "enti are invisible without settings");
    let firm1 = t.firm_a;
    sqlx::query("select set_config('app.firm_id', $1, true)")
        .bind(firm1.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("select count(*) from modelli where id = $1")
        .bind(t.modello_b)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let nv: i64 = sqlx::query_scalar("select count(*) from modelli_versioni where modello_id = $1")
        .bind(t.modello_b)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!((n, nv), (0, 0));
    // A version says whose template it is (`ambito`): firm 2's is refused by the policy,
    // firm 1's (a lie) by the key to the template.
    let mut rifiuti = Vec::new();
    for ambito in [t.firm_b, firm1] {
        sqlx::query("savepoint prova")
            .execute(&mut *tx)
            .await
            .unwrap();
        let w = sqlx::query(
            "insert into modelli_versioni (modello_id, versione, titolo, descrizione, natura, ambito)
             values ($1, 2, 'x', 'x', 'sviluppo', $2)",
        )
        .bind(t.modello_b)
        .bind(ambito)
        .execute(&mut *tx)
        .await;
        let codice = w.err().and_then(|e| {
            e.as_database_error()
                .and_then(|d| d.code().map(|c| c.to_string()))
        });
        rifiuti.push(codice);
        sqlx::query("rollback to savepoint prova")
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    assert_eq!(
        rifiuti,
        [Some("42501".to_string()), Some("23503".to_string())],
        "firm 1 wrote into firm 2's template"
    );
}

/// An approved plan's content is kept in memory (`ssr/approvati.rs`), its templates are
/// not: a template's new version shows on the approved plan at its next read, as it does
/// on a draft.
#[tokio::test]
async fn an_approved_plan_kept_in_memory_shows_its_templates_as_they_are_now() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (struttura_a, _, _) = plan_from_reference(&db, t.ente_a, 2022).await;
    let st = state(&db);
    let mut cons = Client::logged_in(&st, "consulente.1@test.it").await;
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let (id, _): (Uuid, i32) = ok(salva(
        &mut cons,
        "",
        0,
        "Riduzione dei tempi medi di conclusione dei procedimenti",
        "Fase: riduzione dei tempi",
    )
    .await);
    let copia: RigaView = ok(adotta(&mut admin, struttura_a, &id.to_string()).await);
    crate::allegato::con_provincia(&db, t.ente_a).await;
    crate::allegato::approva(&db, t.ente_a).await;
    let rif = |p: &PianoView| {
        let m = adottato(p, copia.id).modello.expect("the template adopted");
        (m.id, m.versione, m.ultima, m.aggiornamento)
    };
    // Read from the database, then from memory: the template as adopted.
    let letto = piano(&mut admin).await;
    assert!(letto.approvato);
    assert_eq!(rif(&letto), (id, 1, 1, false));
    assert!(app::ssr::approvati::cerca(letto.id, letto.version).is_some());
    assert_eq!(rif(&piano(&mut admin).await), (id, 1, 1, false));
    // What its objectives adopted is kept too, with the library's change counts (migration
    // 0042): a title changed behind the triggers, which moves no count, is not read again.
    let tenute = app::ssr::approvati::adozioni(t.ente_a, 2022).expect("the adoptions kept");
    assert_eq!((tenute.piano, tenute.version), (letto.id, letto.version));
    assert!(tenute.modelli.contains_key(&copia.id));
    let mut o = db.owner().await;
    crate::support::senza_guardie(
        &mut o,
        sqlx::query("update modelli set titolo = 'Scritto di nascosto' where id = $1").bind(id),
    )
    .await;
    let titolo = |p: &PianoView| adottato(p, copia.id).modello.unwrap().titolo;
    assert_eq!(
        titolo(&piano(&mut admin).await),
        "Riduzione dei tempi dei procedimenti"
    );
    // Its page shows it as a document made from the plan kept, with the template it came
    // from and the ente's name as they are now.
    let dal_modello = "Dal modello «Riduzione dei tempi dei procedimenti», versione 1.";
    let d = documento(&mut admin).await;
    assert_eq!(d.matches(dal_modello).count(), 1, "{d}");
    assert!(
        d.contains(&format!("{} — Triennio", letto.ente_nome)),
        "{d}"
    );
    sqlx::query("update enti set name = 'Comune di Nuovo Nome' where id = $1")
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    let d = documento(&mut admin).await;
    assert!(d.contains("Comune di Nuovo Nome — Triennio"), "{d}");
    assert_eq!(d.matches(dal_modello).count(), 1);
    // The firm writes a new version, with a new title: the kept plan offers it, under the
    // template's title as it is now (the template's copy, migration 0041).
    let (_, v2): (Uuid, i32) = ok(salva_titolo(
        &mut cons,
        (&id.to_string(), 1),
        "Tempi dei procedimenti e monitoraggio trimestrale",
        "Riduzione dei tempi medi dei procedimenti, con monitoraggio trimestrale",
        "Fase: monitoraggio trimestrale dei tempi",
    )
    .await);
    assert_eq!(v2, 2);
    let dopo = piano(&mut admin).await;
    assert_eq!(dopo.version, letto.version);
    assert_eq!(rif(&dopo), (id, 1, 2, true));
    assert_eq!(
        titolo(&dopo),
        "Tempi dei procedimenti e monitoraggio trimestrale"
    );
    let d = documento(&mut admin).await;
    assert_eq!(d.matches(dal_modello).count(), 0, "{d}");
    let ora = "Dal modello «Tempi dei procedimenti e monitoraggio trimestrale», versione 1.";
    assert_eq!(d.matches(ora).count(), 1, "{d}");
    // Only the current version's insert writes the title: a version 3 written before the
    // template moves to it leaves the title of version 2.
    sqlx::query(
        "insert into modelli_versioni (modello_id, versione, titolo, descrizione, fasi, natura, ambito)
         select modello_id, 3, 'Titolo di una versione non corrente', descrizione, fasi, natura, ambito
           from modelli_versioni where modello_id = $1 and versione = 1",
    )
    .bind(id)
    .execute(&mut o)
    .await
    .unwrap();
    assert_eq!(
        titolo(&piano(&mut admin).await),
        "Tempi dei procedimenti e monitoraggio trimestrale"
    );
    // The other objectives adopted nothing.
    let senza = dopo
        .strutture
        .iter()
        .flat_map(|s| &s.obiettivi)
        .filter(|o| o.id != copia.id);
    assert!(senza.clone().count() > 0);
    assert!(senza.clone().all(|o| o.modello.is_none()));
}

/// Inside an ente, its firm's templates are visible. `app_entra` writes the firm beside the
/// ente's id (`app.firm_ente`), and the policies take it from there only while it names
/// the ente entered: one left from another ente, or none, and no firm's template shows.
#[tokio::test]
async fn the_firm_written_beside_another_ente_opens_none_of_its_templates() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (ente_a, ente_b) = (t.ente_a.to_string(), t.ente_b.to_string());
    let firm2 = t.firm_b.to_string();
    // (app.ente_id, app.firm_ente) → versions of firm 2's template seen.
    let casi = [
        (ente_b.clone(), format!("{ente_b}/{firm2}"), 1),
        (ente_b.clone(), String::new(), 0),
        (ente_a.clone(), format!("{ente_b}/{firm2}"), 0),
        (ente_a.clone(), String::new(), 0),
        (String::new(), format!("{ente_b}/{firm2}"), 0),
    ];
    for (ente, firm_ente, attese) in casi {
        let mut tx = db.pool.begin().await.unwrap();
        sqlx::query(
            "select set_config('app.user_id', $1, true), set_config('app.ente_id', $2, true),
                    set_config('app.firm_ente', $3, true)",
        )
        .bind(t.admin_b.to_string())
        .bind(&ente)
        .bind(&firm_ente)
        .execute(&mut *tx)
        .await
        .unwrap();
        let (n, nv): (i64, i64) = sqlx::query_as(
            "select (select count(*) from modelli where id = $1),
                    (select count(*) from modelli_versioni where modello_id = $1)",
        )
        .bind(t.modello_b)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        assert_eq!(
            (n, nv),
            (attese, attese),
            "ente {ente:?}, firm_ente {firm_ente:?}"
        );
    }
    // `app_imposta` writes the firm beside the ente it sets (one read of `enti`).
    let mut tx = db.pool.begin().await.unwrap();
    let mut scritte = Vec::new();
    for ente in [&ente_b, ""] {
        sqlx::query("select app_imposta('app.ente_id', $1)")
            .bind(ente)
            .execute(&mut *tx)
            .await
            .unwrap();
        let firm_ente: String = sqlx::query_scalar("select current_setting('app.firm_ente')")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        scritte.push(firm_ente);
    }
    assert_eq!(scritte, [format!("{ente_b}/{firm2}"), "/".to_string()]);
    // Through the door: ente B's administrator finds firm 2's template in the library.
    let st = state(&db);
    let mut b = Client::logged_in(&st, "admin.b@test.it").await;
    assert!(cerca(&mut b, "ente-b", "")
        .await
        .iter()
        .any(|m| m.id == t.modello_b));
}
