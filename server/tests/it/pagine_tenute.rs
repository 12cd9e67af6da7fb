//! The plan page shown as a document and «I miei obiettivi», kept per reader
//! (`server::pagine_tenute`): the same page again with a new nonce in its scripts and its
//! policy; a new page as soon as anything it shows changes; each reader their own; and
//! nothing kept outlives the checks every request makes (a closed session, a removed
//! membership).

use axum::http::StatusCode;
use server::testing::TestDb;

use crate::allegato::piano_approvato;
use crate::personale;
use crate::support::{body_text, id_utente, state, two_tenants, Client};

const PAGINA: &str = "/e/ente-a/piani/2022";

/// The page's nonce, as its scripts carry it.
fn nonce(html: &str) -> &str {
    let da = html.find("nonce=\"").expect("a script with its nonce") + 7;
    &html[da..da + html[da..].find('"').unwrap()]
}

/// The page with its nonce taken out, and the nonce: the one part of a page that differs
/// per response.
pub(crate) fn senza_nonce(html: &str) -> (String, String) {
    let n = nonce(html).to_string();
    assert!(n.len() >= 16, "{n}");
    (html.replace(&n, ""), n)
}

/// The header's link to the reminders, which says how many are unread.
fn campanella(html: &str) -> &str {
    let da = html
        .find("id=\"campanella\"")
        .expect("the header's reminders");
    &html[da..da + 200]
}

/// A GET of the plan page: its HTML and the Content-Security-Policy of the same response.
async fn pagina(c: &mut Client) -> (String, String) {
    pagina_a(c, PAGINA).await
}

/// Responses of one page for one reader: the same page, each with a new nonce (as many
/// times). The page without its nonce.
fn la_stessa(viste: &[String]) -> String {
    let (prima, n1) = senza_nonce(&viste[0]);
    for v in &viste[1..] {
        let (pagina, n) = senza_nonce(v);
        assert_eq!(pagina, prima, "the kept page is the page rendered");
        assert_ne!(n, n1, "a new nonce for each response");
        assert_eq!(v.matches(&n).count(), viste[0].matches(&n1).count());
    }
    prima
}

/// `utente`'s membership of `ente` disabled, by the owner in the database.
async fn disabilita(db: &TestDb, ente: uuid::Uuid, utente: uuid::Uuid) {
    sqlx::query("update memberships set disabled = true where ente_id = $1 and user_id = $2")
        .bind(ente)
        .bind(utente)
        .execute(&mut db.owner().await)
        .await
        .unwrap();
}

/// Three GETs of `path`: their HTML, each with the nonce its policy names.
async fn tre_volte(c: &mut Client, path: &str) -> Vec<String> {
    let mut viste = Vec::new();
    for _ in 0..3 {
        let (html, csp) = pagina_a(c, path).await;
        assert!(csp.contains(&format!("'nonce-{}'", nonce(&html))), "{csp}");
        viste.push(html);
    }
    viste
}

/// A GET of `path` by a browser that takes brotli: sent in brotli, its HTML.
async fn in_brotli(c: &Client, path: &str) -> String {
    let br = c
        .risposta_con(path, &[("accept-encoding", "br, gzip")])
        .await;
    assert_eq!(br.headers()["content-encoding"], "br");
    let br = axum::body::to_bytes(br.into_body(), 10 << 20)
        .await
        .unwrap();
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut &br[..], &mut html).expect("a valid brotli stream");
    String::from_utf8(html).unwrap()
}

/// A GET of `path`: its HTML and the Content-Security-Policy of the same response.
async fn pagina_a(c: &mut Client, path: &str) -> (String, String) {
    let resp = c.risposta(path).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    (body_text(resp).await, csp)
}

#[tokio::test]
async fn a_kept_page_comes_back_with_a_new_nonce_and_changes_with_what_it_shows() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    let mut nucleo = Client::logged_in(&st, "nucleo.a@test.it").await;

    // Three requests: the first rendered, the others kept. The same page, each with its
    // own nonce, the one its policy names, on every script.
    let mut viste = Vec::new();
    for _ in 0..3 {
        let (html, csp) = pagina(&mut nucleo).await;
        let n = nonce(&html);
        assert!(csp.contains(&format!("'nonce-{n}'")), "{csp}");
        // The nonce only on scripts: the preload links say `crossorigin=""`, not the nonce
        // as Leptos writes them (`server::crossorigin`).
        let sugli_script = html.matches(&format!("nonce=\"{n}\"")).count();
        assert_eq!(html.matches(n).count(), sugli_script, "the nonce elsewhere");
        assert!(
            html.matches("crossorigin=\"\"").count() >= 2,
            "the preload links"
        );
        viste.push(html);
    }
    let id_nucleo = id_utente(&mut db.owner().await, "nucleo.a@test.it").await;
    assert!(server::pagine_tenute::tenuta(id_nucleo, PAGINA));
    let prima = la_stessa(&viste);
    assert!(prima.contains("class=\"documento-piano\""));

    // What the page shows changes: the ente's name (in the header and the plan's heading),
    // a reminder for this reader (the header's count). Each shows on the next request.
    let mut owner = db.owner().await;
    sqlx::query("update enti set name = 'Comune A Rinominato' where id = $1")
        .bind(t.ente_a)
        .execute(&mut owner)
        .await
        .unwrap();
    let (html, _) = pagina(&mut nucleo).await;
    assert!(html.contains("Comune A Rinominato"), "the new name shows");
    assert!(campanella(&html).contains("Promemoria: nessuno da leggere"));
    sqlx::query(
        "insert into promemoria (ente_id, user_id, chiave, scadenza, titolo, testo, percorso,
                                 sollecito)
         select $1, id, 'prova', date '2023-01-31', 'Prova', 'Prova', '/', false
           from users where email = 'nucleo.a@test.it'",
    )
    .bind(t.ente_a)
    .execute(&mut owner)
    .await
    .unwrap();
    let (html, _) = pagina(&mut nucleo).await;
    assert!(
        campanella(&html).contains("Promemoria: 1 da leggere"),
        "the reminder shows: {}",
        campanella(&html)
    );

    // Another reader of the same page gets their own header, not the kept one.
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let (html, _) = pagina(&mut admin).await;
    assert!(html.contains("admin.a@test.it") && !html.contains("nucleo.a@test.it"));
    let (html, _) = pagina(&mut nucleo).await;
    assert!(html.contains("nucleo.a@test.it") && !html.contains("admin.a@test.it"));
}

#[tokio::test]
async fn nothing_kept_outlives_the_checks_of_each_request() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);

    // A closed session: the next request signs in again, kept page or not.
    let mut nucleo = Client::logged_in(&st, "nucleo.a@test.it").await;
    pagina(&mut nucleo).await;
    pagina(&mut nucleo).await;
    let cookie = nucleo.cookie.clone();
    nucleo.post("/logout", &[]).await;
    nucleo.cookie = cookie;
    let r = nucleo.get(PAGINA).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.unwrap().starts_with("/login"));

    // A membership removed: the page is not found, kept or not.
    let mut nucleo = Client::logged_in(&st, "nucleo.a@test.it").await;
    pagina(&mut nucleo).await;
    pagina(&mut nucleo).await;
    sqlx::query(
        "update memberships set disabled = true
          where ente_id = $1 and user_id = (select id from users where email = 'nucleo.a@test.it')",
    )
    .bind(t.ente_a)
    .execute(&mut db.owner().await)
    .await
    .unwrap();
    let r = nucleo.get(PAGINA).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(!r.body.contains("class=\"documento-piano\""));

    // Another ente's reader never gets this page.
    let mut altro = Client::logged_in(&st, "admin.b@test.it").await;
    let r = altro.get(PAGINA).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("class=\"documento-piano\""));
}

const MIEI: &str = "/e/ente-a/miei-obiettivi";

#[tokio::test]
async fn i_miei_obiettivi_is_kept_for_its_reader_until_what_it_shows_changes() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    personale::import(&mut admin, personale::CSV.as_bytes()).await;
    crate::support::plan_from_reference(&db, t.ente_a, 2022).await;
    let p = personale::plan(&mut admin).await;
    let (mario, _) = personale::staff_ids(&db).await;
    let (quarto, primo) = (
        p.strutture[0].obiettivi[3].id,
        p.strutture[0].obiettivi[0].id,
    );
    personale::add(&mut admin, &quarto.to_string(), &mario, "60").await;
    personale::add(&mut admin, &primo.to_string(), &mario, "40").await;
    let mut m = personale::login_di_mario(&mut admin, &st, &mario).await;

    // Three requests: the first rendered, the others kept, each with its own nonce.
    let viste = tre_volte(&mut m, MIEI).await;
    let id_mario = id_utente(&mut db.owner().await, "mario.rossi@a.it").await;
    assert!(server::pagine_tenute::tenuta(id_mario, MIEI));
    let prima = la_stessa(&viste);
    assert!(prima.contains("Mario Rossi") && prima.contains("60%") && prima.contains("40%"));
    assert_eq!(
        prima
            .matches("class=\"card shadow-sm mb-3 mio-obiettivo\"")
            .count(),
        2
    );

    // A browser that takes brotli gets the kept page in brotli: the same page.
    assert_eq!(senza_nonce(&in_brotli(&m, MIEI).await).0, prima);
    assert!(server::pagine_tenute::tenuta_in_brotli(id_mario, MIEI));

    // His weights change: the next request shows them.
    sqlx::query(
        "update assegnazioni set peso = case obiettivo_id when $1 then 70 else 30 end
          where ente_id = $2 and dipendente_id = $3::uuid",
    )
    .bind(quarto)
    .bind(t.ente_a)
    .bind(&mario)
    .execute(&mut db.owner().await)
    .await
    .unwrap();
    let html = m.get(MIEI).await.body;
    assert!(html.contains("70%") && html.contains("30%") && !html.contains("60%"));

    // Another year asked for, not kept: rendered as any page, for the same reader.
    let r = m.get(&format!("{MIEI}?anno=2022")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("70%"));

    // His membership removed: not found, kept page or not, and nothing of his objectives.
    disabilita(&db, t.ente_a, id_mario).await;
    let r = m.get(MIEI).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(!r.body.contains("mio-obiettivo") && !r.body.contains("70%"));
}

const BOZZA: &str = "/e/ente-a/piani/2023";

#[tokio::test]
async fn a_draft_with_its_editors_is_kept_for_its_writer_until_a_row_changes() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let p = crate::piani::create(&mut admin, 2023).await;
    assert!(!p.approvato && p.modificabile);

    // The editors' page of the reference's size: rendered once, then kept, each response
    // with its own nonce.
    let viste = tre_volte(&mut admin, BOZZA).await;
    let id_admin = id_utente(&mut db.owner().await, "admin.a@test.it").await;
    assert!(server::pagine_tenute::tenuta(id_admin, BOZZA));
    let prima = la_stessa(&viste);
    assert!(prima.matches("<textarea").count() > 100, "the editors");
    assert!(!prima.contains("class=\"documento-piano\""));

    // In brotli, the same page.
    assert_eq!(senza_nonce(&in_brotli(&admin, BOZZA).await).0, prima);

    // A row saved: the next request shows it, with the row's new version (which the next
    // save names: a kept page with the old one would make every save a conflict).
    let primo = p.strutture[0].obiettivi[0].clone();
    let r = crate::piani::save_row(
        &mut admin,
        "obiettivo",
        &primo,
        "Obiettivo riscritto nel frattempo",
        "20",
        "2023-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let nuova: i32 = r.body.trim().parse().unwrap();
    assert!(!prima.contains("Obiettivo riscritto nel frattempo"));
    let (dopo, _) = pagina_a(&mut admin, BOZZA).await;
    assert!(dopo.contains("Obiettivo riscritto nel frattempo"));
    let (ancora, _) = pagina_a(&mut admin, BOZZA).await;
    assert_eq!(senza_nonce(&ancora).0, senza_nonce(&dopo).0);
    let r = crate::piani::save_row(
        &mut admin,
        "obiettivo",
        &app::model::RigaView {
            version: nuova,
            ..primo.clone()
        },
        "Obiettivo riscritto due volte",
        "20",
        "2023-12-31",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(pagina_a(&mut admin, BOZZA)
        .await
        .0
        .contains("Obiettivo riscritto due volte"));

    // The Nucleo reads the same draft as a document: their own page, without editors.
    let mut nucleo = Client::logged_in(&st, "nucleo.a@test.it").await;
    let (html, _) = pagina_a(&mut nucleo, BOZZA).await;
    assert!(html.contains("class=\"documento-piano\"") && !html.contains("<textarea"));
    assert!(pagina_a(&mut admin, BOZZA).await.0.contains("<textarea"));

    // The writer's membership removed: not found, kept page or not.
    disabilita(&db, t.ente_a, id_admin).await;
    let r = admin.get(BOZZA).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(!r.body.contains("<textarea"));
}
