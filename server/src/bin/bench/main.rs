//! `cargo run --release -p server --bin bench`: server-side timings on a throwaway cluster.
//! `bench genera N [--monitoraggi]`: a database of N enti for load runs (see `genera.rs`);
//! `bench spiega`:
//! the query plans and the cost of row-level security on it (see `spiega.rs`).
//! Reports medians and percentiles; the machine is shared and noisy, so compare ratios
//! between runs on the same machine rather than absolute figures across machines.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use server::testing::TestDb;
use tower::ServiceExt;

#[global_allocator]
static ALLOCATORE: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod genera;
mod spiega;

fn stats(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{name:<48} n={:<4} median={:>8.2?} p10={:>8.2?} p90={:>8.2?}",
        samples.len(),
        pct(0.5),
        pct(0.1),
        pct(0.9)
    );
}

/// The session's cookie (`name=value`), among the others a login sets.
fn cookie_di_sessione(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("obiettivi_sessione="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// A same-origin form POST, as the site's own pages send it.
fn form_post(path: &str, body: &'static str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::post(path)
        .header("host", "bench")
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    r.body(Body::from(body)).unwrap()
}

/// What brotli costs each approved plan page (`server::innesto`): the page's HTML before
/// and after its kept document, each compressed at quality 0, `runs` × 100 times, as the
/// server does for every page (the document's part is compressed once, when first sent).
async fn intorno_al_documento_approvato<F, R>(send: &F, cookie: &str, runs: usize)
where
    F: Fn(Request<Body>) -> R,
    R: std::future::Future<Output = axum::response::Response>,
{
    use server::innesto::{dopo_br, parte, prima_br};
    let resp = send(
        Request::get("/e/comune-di-esempio/piani/2022")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(resp.status().is_success(), "plan page: {}", resp.status());
    let html = axum::body::to_bytes(resp.into_body(), 50 << 20)
        .await
        .unwrap();
    let (prima, doc, dopo) = parti_della_pagina(&html).expect("the page shows its document");
    // The three parts are one stream that gives the page back, as a browser reads it.
    let unito = [prima_br(prima), parte(doc), dopo_br(dopo)].concat();
    let mut letto = Vec::new();
    brotli::BrotliDecompress(&mut &unito[..], &mut letto).expect("one brotli stream");
    assert_eq!(letto, html, "the parts make the page");
    type Parte = fn(&[u8]) -> Vec<u8>;
    for (nome, parte, comprimi) in [
        ("before", prima, prima_br as Parte),
        ("after", dopo, dopo_br as Parte),
    ] {
        let mut tempi = Vec::new();
        let mut fuori = 0;
        for _ in 0..runs * 100 {
            let t = Instant::now();
            fuori = std::hint::black_box(comprimi(std::hint::black_box(parte))).len();
            tempi.push(t.elapsed());
        }
        stats(
            &format!(
                "brotli q0, approved page {nome} its document: {} → {fuori} B",
                parte.len()
            ),
            tempi,
        );
    }
    println!("(the document itself: {} B, compressed once)", doc.len());
}

/// A plan page's HTML around its document, the content of its `<div
/// class="documento-piano">`: the page's text is escaped, so counting `div`s finds its end.
fn parti_della_pagina(html: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    const APERTURA: &[u8] = b"<div class=\"documento-piano\">";
    let inizio = memchr::memmem::find(html, APERTURA)? + APERTURA.len();
    let (mut aperti, mut i) = (1, inizio);
    while i < html.len() {
        let resto = &html[i..];
        if resto.starts_with(b"<div") {
            aperti += 1;
        } else if resto.starts_with(b"</div>") {
            aperti -= 1;
            if aperti == 0 {
                return Some((&html[..inizio], &html[inizio..i], &html[i..]));
            }
        }
        i += 1;
    }
    None
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let esito = match args.as_slice() {
        ["genera", n, altro @ ..] => Some(match (n.parse(), altro) {
            (Ok(n), []) => genera::genera(n, false).await,
            (Ok(n), ["--monitoraggi"]) => genera::genera(n, true).await,
            _ => Err(anyhow::anyhow!(
                "bench genera N [--monitoraggi]: N è il numero di enti"
            )),
        }),
        ["spiega"] => Some(spiega::spiega().await),
        _ => None,
    };
    if let Some(esito) = esito {
        if let Err(e) = esito {
            eprintln!("errore: {e:#}");
            std::process::exit(1);
        }
        return;
    }
    let runs: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(50);
    let db = TestDb::new().await;
    let mut owner = db.owner().await;
    let hash = app::ssr::password::hash("password-di-prova");
    let ente: uuid::Uuid = sqlx::query_scalar(
        "insert into enti (name, slug) values ('Comune di Misura', 'misura') returning id",
    )
    .fetch_one(&mut owner)
    .await
    .unwrap();
    let user: uuid::Uuid = sqlx::query_scalar("insert into users (email, display_name, password_hash) values ('a@misura.it', 'A', $1) returning id")
        .bind(&hash)
        .fetch_one(&mut owner)
        .await
        .unwrap();
    sqlx::query("insert into memberships (ente_id, user_id, role) values ($1, $2, 'ente_admin')")
        .bind(ente)
        .bind(user)
        .execute(&mut owner)
        .await
        .unwrap();
    let state = db.state();
    let app = server::router(state);
    let send = |req: Request<Body>| {
        let app = app.clone();
        async move { app.oneshot(req).await.unwrap() }
    };
    // The session cookie of a login.
    let login = |body: &'static str| {
        let r = send(form_post("/login", body, None));
        async move { cookie_di_sessione(r.await.headers()).expect("a session cookie: the login failed") }
    };
    let cookie = login("email=a%40misura.it&password=password-di-prova").await;

    // Create the reference-size plan through the API, as a user would.
    let t = Instant::now();
    let r = send(form_post(
        "/api/piani/crea",
        "slug=misura&anno=2022&modello=riferimento",
        Some(&cookie),
    ))
    .await;
    assert!(r.status().is_success(), "create plan: {}", r.status());
    println!(
        "create plan from the reference model (once)       {:>8.2?}",
        t.elapsed()
    );

    let mut page = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let resp = send(
            Request::get("/e/misura/piani/2022")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let body = axum::body::to_bytes(resp.into_body(), 50 << 20)
            .await
            .unwrap();
        page.push(t.elapsed());
        bytes = body.len();
    }
    stats(
        &format!("GET /e/{{slug}}/piani/2022 (SSR, {} KiB)", bytes / 1024),
        page,
    );

    let mut api = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let resp = send(form_post(
            "/api/piani/carica",
            "slug=misura&anno=2022",
            Some(&cookie),
        ))
        .await;
        let _ = axum::body::to_bytes(resp.into_body(), 50 << 20)
            .await
            .unwrap();
        api.push(t.elapsed());
    }
    stats("POST /api/piani/carica (JSON)", api);

    let doc = {
        let resp = send(form_post(
            "/api/piani/carica",
            "slug=misura&anno=2022",
            Some(&cookie),
        ))
        .await;
        let body = axum::body::to_bytes(resp.into_body(), 50 << 20)
            .await
            .unwrap();
        serde_json::from_slice::<app::model::PianoView>(&body)
            .unwrap()
            .doc()
    };
    let mut rules = Vec::new();
    for _ in 0..runs * 20 {
        let t = Instant::now();
        std::hint::black_box(app::domain::plan::violazioni(std::hint::black_box(&doc)));
        rules.push(t.elapsed());
    }
    stats("rules over the whole plan (violazioni)", rules);

    // The template library of a large firm: 2,000 templates (each base objective in 180
    // variants), searched in Italian full text from the library page and from a plan.
    let firm: uuid::Uuid =
        sqlx::query_scalar("insert into firms (name) values ('Studio Misura') returning id")
            .fetch_one(&mut owner)
            .await
            .unwrap();
    {
        // Moving an ente into a firm is the platform administrators' act.
        use sqlx::Connection;
        let mut t = owner.begin().await.unwrap();
        app::ssr::imposta(&mut t, "app.platform_admin", "on")
            .await
            .unwrap();
        sqlx::query("update enti set firm_id = $1 where id = $2")
            .bind(firm)
            .bind(ente)
            .execute(&mut *t)
            .await
            .unwrap();
        t.commit().await.unwrap();
    }
    let consulente: uuid::Uuid = sqlx::query_scalar("insert into users (email, display_name, password_hash) values ('c@misura.it', 'C', $1) returning id")
        .bind(&hash)
        .fetch_one(&mut owner)
        .await
        .unwrap();
    sqlx::query("insert into firm_memberships (firm_id, user_id) values ($1, $2)")
        .bind(firm)
        .bind(consulente)
        .execute(&mut owner)
        .await
        .unwrap();
    sqlx::query(
        "with base as (select row_number() over () as n, v.* from modelli_versioni v),
              nuovi as (insert into modelli (firm_id) select $1 from generate_series(1, 2000) returning id, ambito),
              numerati as (select row_number() over () as i, id, ambito from nuovi)
         insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori,
                valori_attesi, scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura, ambito)
         select m.id, 1, b.titolo || ' — variante ' || m.i, b.descrizione || ' Variante ' || m.i || '.',
                b.peso, b.indicatori, b.valori_attesi, b.scadenza_mese, b.scadenza_giorno, b.fasi,
                b.tipi_struttura, b.missioni, b.natura, m.ambito
           from numerati m join base b on b.n = 1 + (m.i % 11)",
    )
    .bind(firm)
    .execute(&mut owner)
    .await
    .unwrap();
    sqlx::query("analyze modelli, modelli_versioni")
        .execute(&mut owner)
        .await
        .unwrap();
    let cookie_c = login("email=c%40misura.it&password=password-di-prova").await;
    for (name, body, cookie) in [
        (
            "library search 'trasparente' (2,011 templates)",
            "slug=&testo=trasparente&tipo=&missione=&natura=",
            &cookie_c,
        ),
        (
            "library search, filters only (tipo + missione)",
            "slug=&testo=&tipo=tecnica&missione=09&natura=",
            &cookie_c,
        ),
        (
            "library search from a plan 'lavoro agile'",
            "slug=misura&testo=lavoro%20agile&tipo=&missione=&natura=",
            &cookie,
        ),
    ] {
        let mut v = Vec::new();
        let mut n = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let resp = send(form_post("/api/libreria/cerca", body, Some(cookie))).await;
            assert!(resp.status().is_success());
            let b = axum::body::to_bytes(resp.into_body(), 50 << 20)
                .await
                .unwrap();
            v.push(t.elapsed());
            n = serde_json::from_slice::<Vec<serde_json::Value>>(&b)
                .unwrap()
                .len();
        }
        stats(&format!("{name} → {n}"), v);
    }

    // The firm's cockpit at 300 enti: the reference-size plan of `misura` copied into 299
    // more enti of the same firm (set-based: new ids derived from the ente's and the row's).
    for sql in [
        "insert into enti (firm_id, name, provincia, slug)
         select $1, 'Comune M' || lpad(i::text, 3, '0'), 'Provincia ' || (i % 7), 'm-' || i
           from generate_series(1, 299) i",
        "insert into piani (ente_id, id, anno, triennio_da, triennio_a, titolo)
         select e.id, md5(e.id::text || p.id::text)::uuid, p.anno, p.triennio_da, p.triennio_a, p.titolo
           from enti e, piani p where e.slug like 'm-%' and p.ente_id = $2",
        "insert into strutture (ente_id, id, piano_id, posizione, nome)
         select e.id, md5(e.id::text || s.id::text)::uuid, md5(e.id::text || s.piano_id::text)::uuid,
                s.posizione, s.nome
           from enti e, strutture s where e.slug like 'm-%' and s.ente_id = $2",
        "insert into obiettivi (ente_id, id, struttura_id, posizione, descrizione, peso, data_fine)
         select e.id, md5(e.id::text || o.id::text)::uuid, md5(e.id::text || o.struttura_id::text)::uuid,
                o.posizione, o.descrizione, o.peso, o.data_fine
           from enti e, obiettivi o where e.slug like 'm-%' and o.ente_id = $2",
        "insert into fasi (ente_id, obiettivo_id, posizione, descrizione, peso, data_fine)
         select e.id, md5(e.id::text || f.obiettivo_id::text)::uuid, f.posizione, f.descrizione,
                f.peso, f.data_fine
           from enti e, fasi f where e.slug like 'm-%' and f.ente_id = $2",
        "analyze",
    ] {
        sqlx::query(sql)
            .bind(firm)
            .bind(ente)
            .execute(&mut owner)
            .await
            .unwrap();
    }
    for (name, path) in [
        (
            "cockpit, 300 enti, first page of 25",
            "/api/studio/cruscotto",
        ),
        (
            "cockpit, 300 enti, ordered by deadline",
            "/api/studio/cruscotto",
        ),
    ] {
        let body = if name.contains("deadline") {
            "anno=2022&ordine=scadenza"
        } else {
            "anno=2022"
        };
        let mut v = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let resp = send(form_post(path, body, Some(&cookie_c))).await;
            assert!(resp.status().is_success(), "cockpit: {}", resp.status());
            axum::body::to_bytes(resp.into_body(), 50 << 20)
                .await
                .unwrap();
            v.push(t.elapsed());
        }
        stats(name, v);
    }
    let mut v = Vec::new();
    for _ in 0..runs.min(10) {
        let t = Instant::now();
        let resp = send(
            Request::get("/studio/cruscotto.xlsx?anno=2022")
                .header("cookie", &cookie_c)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert!(resp.status().is_success());
        axum::body::to_bytes(resp.into_body(), 50 << 20)
            .await
            .unwrap();
        v.push(t.elapsed());
    }
    stats("cockpit as XLSX, 300 enti (every plan's rules)", v);

    // The PEG attachment of the demo's approved reference plan (5 strutture, 30
    // objectives, 60+ phases, 20 employees), as PDF and signed (ECDSA P-256).
    server::demo::load(
        &db.owner_url,
        &app::ssr::allegato::custodia::ChiaveFirme::di_prova(),
    )
    .await
    .unwrap();
    let segretario = login("email=segretario%40esempio.demo&password=demo-obiettivi").await;
    intorno_al_documento_approvato(&send, &segretario, runs).await;
    let salva = std::env::var_os("OBIETTIVI_BENCH_PDF").map(std::path::PathBuf::from);
    // Downloads: the approved plan's final PDF is kept at approval (its GET sends the
    // stored bytes); a draft is composed on each request.
    for (nome, path) in [
        (
            "allegato.pdf (approved: stored bytes)",
            "/e/comune-di-esempio/piani/2022/allegato.pdf",
        ),
        (
            "allegato.pdf (draft: composed)",
            "/e/comune-di-prova/piani/2022/allegato.pdf",
        ),
    ] {
        let mut tempi = Vec::new();
        let mut ultimo = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let resp = send(
                Request::get(path)
                    .header("cookie", &segretario)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert!(resp.status().is_success(), "{path}: {}", resp.status());
            ultimo = axum::body::to_bytes(resp.into_body(), 50 << 20)
                .await
                .unwrap()
                .to_vec();
            tempi.push(t.elapsed());
        }
        stats(&format!("GET {nome}, {} KiB", ultimo.len() / 1024), tempi);
        if let Some(dir) = &salva {
            std::fs::create_dir_all(dir).unwrap();
            let file = if nome.contains("draft") {
                "bozza.pdf"
            } else {
                "allegato.pdf"
            };
            std::fs::write(dir.join(file), &ultimo).unwrap();
        }
    }
    // «Firma ora»: composed with the signer's name, signed, kept in the archive.
    for (nome, corpo) in [
        ("PAdES", "slug=comune-di-esempio&anno=2022&formato=pades"),
        (
            "CAdES .p7m",
            "slug=comune-di-esempio&anno=2022&formato=cades",
        ),
    ] {
        let mut tempi = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let resp = send(form_post(
                "/api/allegato/firma/applica",
                corpo,
                Some(&segretario),
            ))
            .await;
            assert!(resp.status().is_success(), "{nome}: {}", resp.status());
            tempi.push(t.elapsed());
        }
        stats(
            &format!("POST Firma ora ({nome}): compose + sign + archive"),
            tempi,
        );
    }
    drop(owner);
    db.pool.close().await;
}
