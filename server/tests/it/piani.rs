//! The plan editor's server side: the reference model reproduced, the approval rules, the
//! read-only approved plan, concurrent edits and the responsabile's limits.

use app::error::AppError;
use app::model::PianoView;
use axum::http::StatusCode;
use server::testing::TestDb;

use crate::support::{state, two_tenants, tx_in, Client, Reply};

const REFERENCE: &str = include_str!("../../../app/modello/piano-degli-obiettivi-modello.txt");

fn error(r: &Reply) -> AppError {
    serde_json::from_str(&r.body)
        .unwrap_or_else(|_| panic!("not an AppError: {} {}", r.status, r.body))
}

async fn load(c: &mut Client, slug: &str, anno: i32) -> PianoView {
    let r = c
        .post(
            "/api/piani/carica",
            &[("slug", slug), ("anno", &anno.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

pub(crate) async fn create(c: &mut Client, anno: i32) -> PianoView {
    let r = c
        .post(
            "/api/piani/crea",
            &[
                ("slug", "ente-a"),
                ("anno", &anno.to_string()),
                ("modello", "riferimento"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    load(c, "ente-a", anno).await
}

/// Cells of the reference read the plainest way: every tab-led line.
fn cells() -> Vec<&'static str> {
    REFERENCE
        .lines()
        .filter_map(|l| l.strip_prefix('\t'))
        .map(str::trim)
        .collect()
}

#[tokio::test]
async fn the_reference_model_is_reproduced_exactly() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let mut c = Client::logged_in(&state(&db), "admin.a@test.it").await;
    for anno in [2022, 2025] {
        let p = create(&mut c, anno).await;
        assert_eq!(p.triennio_da, anno);
        assert_eq!(p.triennio_a, anno + 2);
        assert_eq!(p.strutture.len(), 5);
        // Weights, in document order: objective, its phases, next objective ...
        let ref_weights: Vec<String> = cells()
            .into_iter()
            .filter(|c| {
                let c = c.trim_start_matches('(').trim_end_matches(')');
                c.ends_with('%')
                    && c[..c.len() - 1].chars().all(|d| d.is_ascii_digit())
                    && c.len() > 1
            })
            .map(|c| c.trim_start_matches('(').trim_end_matches(')').to_string())
            .collect();
        let ref_dates: Vec<String> = cells()
            .into_iter()
            .filter(|c| c.len() == 10 && c.as_bytes()[2] == b'.' && c.as_bytes()[5] == b'.')
            .map(|c| format!("{}/{}/{anno}", &c[0..2], &c[3..5]))
            .collect();
        let ref_fasi: Vec<String> = cells()
            .into_iter()
            .filter_map(|c| c.strip_prefix("Fase:"))
            .map(|c| c.trim().to_string())
            .collect();
        let (mut weights, mut dates, mut fasi, mut obiettivi) = (vec![], vec![], vec![], vec![]);
        for s in &p.strutture {
            for o in &s.obiettivi {
                weights.push(o.campi.peso.unwrap().label());
                dates.push(app::domain::plan::data_label(o.campi.data_fine.unwrap()));
                obiettivi.push(o.campi.descrizione.clone());
                for f in &o.fasi {
                    weights.push(f.campi.peso.unwrap().label());
                    dates.push(app::domain::plan::data_label(f.campi.data_fine.unwrap()));
                    fasi.push(f.campi.descrizione.clone());
                }
            }
        }
        assert_eq!(weights, ref_weights, "weights");
        assert_eq!(dates, ref_dates, "dates (moved to {anno})");
        assert_eq!(fasi, ref_fasi, "phase descriptions");
        // Every objective's text stands in the reference verbatim, line by line.
        for o in &obiettivi {
            for line in o.lines() {
                assert!(REFERENCE.contains(line), "not in the reference: {line}");
            }
        }
        let placeholders = obiettivi
            .iter()
            .filter(|o| app::domain::plan::is_segnaposto(o))
            .count();
        assert_eq!(placeholders, 8);
        assert_eq!(p.strutture[0].obiettivi.len(), 6);
        assert!(p
            .riferimenti_normativi
            .contains("D. Lgs. 27 ottobre 2009 n. 150"));
    }
    // One plan per year.
    let r = c
        .post(
            "/api/piani/crea",
            &[("slug", "ente-a"), ("anno", "2022"), ("modello", "vuoto")],
        )
        .await;
    assert_eq!(
        error(&r),
        AppError::NonValido("Esiste già il piano 2022 di questo ente.".into())
    );
}

pub(crate) async fn save_row(
    c: &mut Client,
    livello: &str,
    r: &app::model::RigaView,
    descrizione: &str,
    peso: &str,
    data: &str,
) -> Reply {
    c.post(
        "/api/piani/riga/salva",
        &[
            ("slug", "ente-a"),
            ("livello", livello),
            ("id", &r.id.to_string()),
            ("version", &r.version.to_string()),
            ("descrizione", descrizione),
            ("peso", peso),
            ("indicatori", &r.campi.indicatori),
            ("valori_attesi", &r.campi.valori_attesi),
            ("data_fine", data),
        ],
    )
    .await
}

#[tokio::test]
async fn approval_needs_every_rule_then_the_plan_is_read_only() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    create(&mut c, 2022).await;
    let approve = [
        ("slug", "ente-a"),
        ("anno", "2022"),
        ("delibera_numero", "45"),
        ("delibera_data", "2022-03-30"),
    ];
    // The model's placeholders are still there.
    let r = c.post("/api/piani/approva", &approve).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = error(&r).to_string();
    assert!(
        msg.starts_with("Il piano non può essere approvato: 24 problemi da risolvere."),
        "{msg}"
    );
    assert!(msg.contains("Obiettivo ancora da scrivere"), "{msg}");
    // Write them (a fixture, through the owner: 8 objectives and their 16 phases).
    let mut o = db.owner().await;
    sqlx::query("update obiettivi set descrizione = 'Obiettivo scritto dall''ente' where ente_id = $1 and descrizione like 'Obiettivo di sviluppo%'")
        .bind(t.ente_a).execute(&mut o).await.unwrap();
    sqlx::query("update fasi set descrizione = 'Fase scritta dall''ente' where ente_id = $1 and descrizione = ''")
        .bind(t.ente_a).execute(&mut o).await.unwrap();
    // Segreteria's first objective from 20% to 10%: the struttura sums to 90%.
    let p = load(&mut c, "ente-a", 2022).await;
    let first = p.strutture[0].obiettivi[0].clone();
    let r = save_row(
        &mut c,
        "obiettivo",
        &first,
        &first.campi.descrizione,
        "10",
        "2022-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c.post("/api/piani/approva", &approve).await;
    assert_eq!(
        error(&r).to_string(),
        "Il piano non può essere approvato: 1 problema da risolvere. Il primo: I pesi degli obiettivi sommano a 90%: devono fare 100% (mancano 10%)."
    );
    // Fixed: approved.
    let p = load(&mut c, "ente-a", 2022).await;
    let first = p.strutture[0].obiettivi[0].clone();
    let r = save_row(
        &mut c,
        "obiettivo",
        &first,
        &first.campi.descrizione,
        "20",
        "2022-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .post(
            "/api/piani/approva",
            &[
                ("slug", "ente-a"),
                ("anno", "2022"),
                ("delibera_numero", ""),
                ("delibera_data", "2022-03-30"),
            ],
        )
        .await;
    assert_eq!(
        error(&r).to_string(),
        "Indica il numero della delibera di Giunta."
    );
    let r = c.post("/api/piani/approva", &approve).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = load(&mut c, "ente-a", 2022).await;
    assert!(p.approvato && !p.modificabile && p.strutture.iter().all(|s| !s.modificabile));
    assert_eq!(p.delibera_numero.as_deref(), Some("45"));
    // Read-only: every change is refused, and says why.
    let first = p.strutture[0].obiettivi[0].clone();
    let r = save_row(&mut c, "obiettivo", &first, "cambiato", "20", "2022-12-31").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error(&r).to_string().starts_with("Il piano è approvato"));
    let r = c
        .post(
            "/api/piani/riga/aggiungi",
            &[
                ("slug", "ente-a"),
                ("livello", "obiettivo"),
                ("parent", &p.strutture[0].id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A responsabile cannot reopen; the admin can, and it is recorded.
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let r = resp
        .post("/api/piani/riapri", &[("slug", "ente-a"), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .post("/api/piani/riapri", &[("slug", "ente-a"), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!load(&mut c, "ente-a", 2022).await.approvato);
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where ente_id = $1 order by id")
            .bind(t.ente_a)
            .fetch_all(&mut o)
            .await
            .unwrap();
    assert_eq!(
        actions,
        ["piano_creato", "piano_approvato", "piano_riaperto"]
    );
}

#[tokio::test]
async fn a_stale_edit_is_a_conflict_never_an_overwrite() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut anna = Client::logged_in(&st, "admin.a@test.it").await;
    let mut carlo = Client::logged_in(&st, "consulente.1@test.it").await;
    create(&mut anna, 2022).await;
    let seen_by_anna = load(&mut anna, "ente-a", 2022).await.strutture[1].obiettivi[0].clone();
    let seen_by_carlo = load(&mut carlo, "ente-a", 2022).await.strutture[1].obiettivi[0].clone();
    let r = save_row(
        &mut anna,
        "obiettivo",
        &seen_by_anna,
        "Versione di Anna",
        "10",
        "2022-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = save_row(
        &mut carlo,
        "obiettivo",
        &seen_by_carlo,
        "Versione di Carlo",
        "10",
        "2022-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let msg = error(&r).to_string();
    assert!(
        msg.contains("«Versione di Anna»")
            && msg.contains("peso 10%")
            && msg.contains("31/12/2022"),
        "{msg}"
    );
    let now = load(&mut carlo, "ente-a", 2022).await.strutture[1].obiettivi[0].clone();
    assert_eq!(now.campi.descrizione, "Versione di Anna");
    // Carlo takes the current version and saves his text over it, knowingly.
    let r = save_row(
        &mut carlo,
        "obiettivo",
        &now,
        "Versione di Carlo",
        "10",
        "2022-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // A stale delete is refused the same way.
    let r = anna
        .post(
            "/api/piani/riga/elimina",
            &[
                ("slug", "ente-a"),
                ("livello", "obiettivo"),
                ("id", &now.id.to_string()),
                ("version", &now.version.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_and_changes_nothing() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let mut c = Client::logged_in(&state(&db), "admin.a@test.it").await;
    let p = create(&mut c, 2022).await;
    let o = p.strutture[0].obiettivi[0].clone();
    for (peso, data, descr, msg) in [
        (
            "0,001",
            "2022-12-31",
            "x",
            "Il peso ammette al massimo due decimali.",
        ),
        ("101", "2022-12-31", "x", "Il peso non può superare 100%."),
        (
            "venti",
            "2022-12-31",
            "x",
            "«venti» non è un peso valido: usa un numero, ad esempio 20 o 33,33.",
        ),
        (
            "20",
            "31/02/2022",
            "x",
            "«31/02/2022» non è una data valida: scrivila come 31/12/2022.",
        ),
    ] {
        let r = save_row(&mut c, "obiettivo", &o, descr, peso, data).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error(&r).to_string(), msg);
    }
    let huge = "a".repeat(10_001);
    let r = save_row(&mut c, "obiettivo", &o, &huge, "20", "2022-12-31").await;
    assert_eq!(
        error(&r).to_string(),
        "Il testo di «Descrizione» è troppo lungo: al massimo 10000 caratteri."
    );
    assert_eq!(
        load(&mut c, "ente-a", 2022).await.strutture[0].obiettivi[0],
        o,
        "nothing changed"
    );
    // Moving, adding and deleting keep the numbering gapless.
    let s = &p.strutture[0];
    let r = c
        .post(
            "/api/piani/riga/sposta",
            &[
                ("slug", "ente-a"),
                ("livello", "obiettivo"),
                ("id", &o.id.to_string()),
                ("su", "true"),
            ],
        )
        .await;
    assert_eq!(error(&r).to_string(), "È già la prima.");
    let r = c
        .post(
            "/api/piani/riga/sposta",
            &[
                ("slug", "ente-a"),
                ("livello", "obiettivo"),
                ("id", &o.id.to_string()),
                ("su", "false"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let after = load(&mut c, "ente-a", 2022).await;
    assert_eq!(after.strutture[0].obiettivi[1].id, o.id);
    assert_eq!(after.strutture[0].obiettivi[0].id, s.obiettivi[1].id);
    let r = c
        .post(
            "/api/piani/riga/elimina",
            &[
                ("slug", "ente-a"),
                ("livello", "obiettivo"),
                ("id", &s.obiettivi[1].id.to_string()),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .post(
            "/api/piani/riga/aggiungi",
            &[
                ("slug", "ente-a"),
                ("livello", "obiettivo"),
                ("parent", &s.id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let after = load(&mut c, "ente-a", 2022).await;
    assert_eq!(after.strutture[0].obiettivi.len(), 6);
    assert_eq!(after.strutture[0].obiettivi[0].id, o.id);
    assert!(after.strutture[0].obiettivi[5].campi.descrizione.is_empty());
}

#[tokio::test]
async fn a_responsabile_edits_only_their_own_struttura() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let p = create(&mut admin, 2022).await;
    let resp_id = p
        .responsabili
        .iter()
        .find(|(_, n)| n == "resp.a@test.it")
        .unwrap()
        .0;
    let s = &p.strutture[1];
    let r = admin
        .post(
            "/api/piani/struttura/salva",
            &[
                ("slug", "ente-a"),
                ("id", &s.id.to_string()),
                ("version", &s.version.to_string()),
                ("nome", &s.nome),
                ("responsabile_titolo", &s.responsabile_titolo),
                ("responsabile_nome", "Rita"),
                ("responsabile_user_id", &resp_id.to_string()),
                ("linea_strategica", &s.linea_strategica),
                ("obiettivo_strategico", &s.obiettivo_strategico),
                ("missioni", &s.missioni.join(",")),
                ("obiettivo_operativo", &s.obiettivo_operativo),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let seen = load(&mut resp, "ente-a", 2022).await;
    assert!(!seen.modificabile);
    assert_eq!(
        seen.strutture
            .iter()
            .map(|s| s.modificabile)
            .collect::<Vec<_>>(),
        [false, true, false, false, false]
    );
    let own = seen.strutture[1].obiettivi[0].clone();
    let r = save_row(
        &mut resp,
        "obiettivo",
        &own,
        "Modificato dalla responsabile",
        "10",
        "2022-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let other = seen.strutture[0].obiettivi[0].clone();
    let r = save_row(
        &mut resp,
        "obiettivo",
        &other,
        "Intrusione",
        "20",
        "2022-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = resp
        .post(
            "/api/piani/riga/aggiungi",
            &[
                ("slug", "ente-a"),
                ("livello", "fase"),
                ("parent", &other.id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = resp
        .post(
            "/api/piani/struttura/elimina",
            &[
                ("slug", "ente-a"),
                ("id", &seen.strutture[1].id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = resp
        .post(
            "/api/piani/approva",
            &[
                ("slug", "ente-a"),
                ("anno", "2022"),
                ("delibera_numero", "1"),
                ("delibera_data", "2022-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A dipendente does not even read the plan (only their own objectives).
    let mut dip = Client::logged_in(&st, "dip.a@test.it").await;
    let r = dip
        .post("/api/piani/carica", &[("slug", "ente-a"), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Dipendente and nucleo never write.
    for email in ["nucleo.a@test.it"] {
        let mut c = Client::logged_in(&st, email).await;
        let p = load(&mut c, "ente-a", 2022).await;
        assert!(p.strutture.iter().all(|s| !s.modificabile));
        let o = p.strutture[1].obiettivi[0].clone();
        let r = save_row(&mut c, "obiettivo", &o, "x", "10", "2022-12-31").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
        let r = save_row(&mut dip, "obiettivo", &o, "x", "10", "2022-12-31").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "dipendente");
    }
    let after = load(&mut admin, "ente-a", 2022).await;
    assert_eq!(after.strutture[0].obiettivi[0], other);
    assert_eq!(
        after.strutture[1].obiettivi[0].campi.descrizione,
        "Modificato dalla responsabile"
    );
}

#[tokio::test]
async fn the_plan_page_is_whole_in_the_server_html() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let mut c = Client::logged_in(&state(&db), "admin.a@test.it").await;
    create(&mut c, 2022).await;
    let r = c.get("/e/ente-a/piani/2022").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Struttura: <!>SEGRETERIA") || r.body.contains("SEGRETERIA"));
    assert!(r.body.contains("POLIZIA LOCALE E PROTEZIONE CIVILE"));
    assert!(r.body.contains("Totale pesi: 100%"));
    assert!(r
        .body
        .contains("Monitoraggio del rispetto dei tempi medi di pagamento"));
    let r = c.get("/e/ente-a/piani/2031").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// An approved plan's page carries its document once (not again in the data hydration
/// reads) and shows the plan as it is now: the rendered document is kept per content.
#[tokio::test]
async fn an_approved_plan_page_carries_its_document_once_and_as_it_is() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let mut c = Client::logged_in(&state(&db), "admin.a@test.it").await;
    create(&mut c, 2022).await;
    let mut o = db.owner().await;
    let approva = "update piani set stato = 'approvato', delibera_numero = '7',
                   delibera_data = '2022-03-30', version = version + 1 where ente_id = $1";
    sqlx::query(approva)
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    let prima = "Monitoraggio del rispetto dei tempi medi di pagamento";
    let mut nucleo = Client::logged_in(&state(&db), "nucleo.a@test.it").await;
    for c in [&mut c, &mut nucleo] {
        let r = c.get("/e/ente-a/piani/2022").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body.matches(prima).count(), 1, "{}", r.body);
        assert!(r.body.contains("class=\"documento-piano\""));
        assert!(r.body.contains("Totale pesi: 100%"));
        assert!(!r.body.contains("<textarea"));
    }
    // The same plan reopened, edited and approved again: the next page shows the new
    // text, never the document kept for the old one.
    let riapri = "update piani set stato = 'bozza' where ente_id = $1";
    sqlx::query(riapri)
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    sqlx::query(
        "update obiettivi set descrizione = 'Pagamenti entro trenta giorni' where ente_id = $1 and descrizione like $2",
    )
    .bind(t.ente_a)
    .bind(format!("{prima}%"))
    .execute(&mut o)
    .await
    .unwrap();
    sqlx::query(approva)
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    let r = nucleo.get("/e/ente-a/piani/2022").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains(prima));
    assert_eq!(r.body.matches("Pagamenti entro trenta giorni").count(), 1);
    // Another ente's admin gets no document of it.
    let mut b = Client::logged_in(&state(&db), "admin.b@test.it").await;
    let r = b.get("/e/ente-a/piani/2022").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("Pagamenti entro trenta giorni"));
}

async fn sposta_struttura(c: &mut Client, id: uuid::Uuid, su: bool) -> Reply {
    c.post(
        "/api/piani/struttura/sposta",
        &[
            ("slug", "ente-a"),
            ("id", &id.to_string()),
            ("su", if su { "true" } else { "false" }),
        ],
    )
    .await
}

#[tokio::test]
async fn strutture_move_up_and_down_within_their_plan() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let mut c = Client::logged_in(&state(&db), "admin.a@test.it").await;
    let p = create(&mut c, 2022).await;
    let nomi = |p: &PianoView| {
        p.strutture
            .iter()
            .map(|s| s.nome.clone())
            .collect::<Vec<_>>()
    };
    let prima = nomi(&p);
    let r = sposta_struttura(&mut c, p.strutture[1].id, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let dopo = nomi(&load(&mut c, "ente-a", 2022).await);
    assert_eq!(dopo[0], prima[1]);
    assert_eq!(dopo[1], prima[0]);
    assert_eq!(dopo[2..], prima[2..]);
    // The first cannot go further up; the last not further down.
    let r = sposta_struttura(&mut c, p.strutture[1].id, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&r), AppError::NonValido("È già la prima.".into()));
    let r = sposta_struttura(&mut c, p.strutture[4].id, false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nomi(&load(&mut c, "ente-a", 2022).await), dopo);
    // A responsabile edits their struttura but does not reorder the plan.
    let mut resp = Client::logged_in(&state(&db), "resp.a@test.it").await;
    let r = sposta_struttura(&mut resp, p.strutture[2].id, true).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Attack (or accident): a save racing the approval lands after it. The database refuses
/// any change to an approved plan, and an edit that waited on the approval's lock sees it.
#[tokio::test]
async fn an_edit_racing_the_approval_cannot_land_after_it() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (_, obiettivo, fase) = crate::support::plan_from_reference(&db, t.ente_a, 2022).await;
    // The approval: the plan row locked first (as `piani::blocca` does), then approved.
    let mut approval = tx_in(&db, t.ente_a).await;
    sqlx::query("select 1 from piani where ente_id = $1 and anno = 2022 for update")
        .bind(t.ente_a)
        .execute(&mut *approval)
        .await
        .unwrap();
    // A save of an objective starts meanwhile: it waits for the approval.
    let db_pool = db.pool.clone();
    let ente = t.ente_a;
    let edit = tokio::spawn(async move {
        let mut tx = db_pool.begin().await.unwrap();
        sqlx::query("select set_config('app.ente_id', $1, true), set_config('application_name', 'edit-in-gara', true)")
            .bind(ente.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        let r = sqlx::query(
            "update obiettivi set descrizione = 'cambiata in gara' where ente_id = $1 and id = $2",
        )
        .bind(ente)
        .bind(obiettivo)
        .execute(&mut *tx)
        .await;
        match r {
            Ok(_) => tx.commit().await.map(|_| ()),
            Err(e) => Err(e),
        }
    });
    // Wait until the edit is blocked on the plan row's lock.
    let mut o = db.owner().await;
    let mut waiting = false;
    for _ in 0..2000 {
        waiting = sqlx::query_scalar(
            "select exists (select 1 from pg_stat_activity
                             where application_name = 'edit-in-gara' and wait_event_type = 'Lock')",
        )
        .fetch_one(&mut o)
        .await
        .unwrap();
        if waiting {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(waiting, "the edit waits for the approval");
    sqlx::query(
        "update piani set stato = 'approvato', delibera_numero = '1', delibera_data = '2022-03-30'
          where ente_id = $1 and anno = 2022",
    )
    .bind(t.ente_a)
    .execute(&mut *approval)
    .await
    .unwrap();
    approval.commit().await.unwrap();
    let err = edit.await.unwrap().unwrap_err();
    let sqlx::Error::Database(d) = &err else {
        panic!("{err}")
    };
    assert_eq!(d.constraint(), Some("piano_approvato_immutabile"));
    assert_eq!(
        AppError::from(err).to_string(),
        app::domain::plan::PIANO_APPROVATO
    );
    // Any change, at any level, even straight in SQL as the application's role.
    for sql in [
        "update fasi set descrizione = 'x' where ente_id = $1 and id = $2",
        "delete from fasi where ente_id = $1 and id = $2",
        "update piani set territorio = 'x' where ente_id = $1 and $2::uuid is not null",
        "delete from piani where ente_id = $1 and $2::uuid is not null",
    ] {
        let mut tx = tx_in(&db, t.ente_a).await;
        let r = sqlx::query(sql)
            .bind(t.ente_a)
            .bind(fase)
            .execute(&mut *tx)
            .await;
        assert!(r.is_err(), "{sql}");
    }
    let mut tx = tx_in(&db, t.ente_a).await;
    let r = sqlx::query("insert into obiettivi (ente_id, struttura_id, posizione) select ente_id, struttura_id, 99 from obiettivi where ente_id = $1 and id = $2")
        .bind(t.ente_a)
        .bind(obiettivo)
        .execute(&mut *tx)
        .await;
    assert!(r.is_err());
    drop(tx);
    // Reopening is allowed, and then editing again.
    let mut tx = tx_in(&db, t.ente_a).await;
    sqlx::query("update piani set stato = 'bozza', delibera_numero = null, delibera_data = null where ente_id = $1")
        .bind(t.ente_a)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "update obiettivi set descrizione = 'dopo la riapertura' where ente_id = $1 and id = $2",
    )
    .bind(t.ente_a)
    .bind(obiettivo)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// An approved plan's content is read from the database once per version, then from memory;
/// what can change under it (the ente's name) is read every time, and reopening the plan
/// (a new version) brings what is in the database.
#[tokio::test]
async fn an_approved_plan_is_read_once_per_version() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    crate::allegato::piano_approvato(&db, &t).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    let letto = load(&mut c, "ente-a", 2022).await;
    assert!(letto.approvato);
    // Behind the application's back (the approved plan's guard switched off): a phase's
    // text and the ente's name change.
    let mut o = db.owner().await;
    let fase = letto.strutture[0].obiettivi[0].fasi[0].clone();
    crate::support::senza_guardie(
        &mut o,
        sqlx::query(
            "update fasi set descrizione = 'Cambiata di nascosto' where ente_id = $1 and id = $2",
        )
        .bind(t.ente_a)
        .bind(fase.id),
    )
    .await;
    sqlx::query("update enti set name = 'Comune Rinominato' where id = $1")
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    let di_nuovo = load(&mut c, "ente-a", 2022).await;
    assert_eq!(di_nuovo.ente_nome, "Comune Rinominato");
    assert_eq!(
        di_nuovo.strutture, letto.strutture,
        "the content comes from memory"
    );
    // Reopened: a new version, read from the database.
    let r = c
        .post("/api/piani/riapri", &[("slug", "ente-a"), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let riaperto = load(&mut c, "ente-a", 2022).await;
    assert!(!riaperto.approvato);
    assert_eq!(
        riaperto.strutture[0].obiettivi[0].fasi[0].campi.descrizione,
        "Cambiata di nascosto"
    );
}

/// Only a transaction that has written nothing keeps an approved plan's content: the one
/// that approves it may still roll back, and its version come again with other content.
#[tokio::test]
async fn a_transaction_that_wrote_keeps_no_plan_in_memory() {
    use app::ssr::{approvati, piani, EnteTx};
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    crate::allegato::piano_approvato(&db, &t).await;
    let apri = || async {
        EnteTx::new(tx_in(&db, t.ente_a).await, t.ente_a, uuid::Uuid::nil())
            .await
            .unwrap()
    };
    let mut scrive = apri().await;
    sqlx::query("select txid_current()")
        .execute(&mut *scrive)
        .await
        .unwrap();
    let p = piani::carica(&mut scrive, 2022).await.unwrap().unwrap();
    assert!(p.approvato);
    scrive.tx.rollback().await.unwrap();
    assert!(approvati::cerca(p.id, p.version).is_none());
    // Nor what its objectives adopted: the library's counts it read may come again.
    assert!(approvati::adozioni(t.ente_a, 2022).is_none());
    let mut legge = apri().await;
    piani::carica(&mut legge, 2022).await.unwrap().unwrap();
    legge.commit().await.unwrap();
    assert!(approvati::cerca(p.id, p.version).is_some());
    assert!(approvati::adozioni(t.ente_a, 2022).is_some());
}
