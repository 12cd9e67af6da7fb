//! Uploads: multipart, read as they arrive, with one size limit said in Italian; the
//! caller's role is checked before a byte of the file is read; a malformed request is
//! refused, never a crash. And the other way: how responses travel back (compression).

use app::domain::caricamento::{FILE_MAX, RICHIESTA_MAX};
use app::error::AppError;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use server::testing::TestDb;

use crate::allegato::{carica, errore, piano_approvato};
use crate::support::{id_utente, send, state, two_tenants, Client, Parte, COOKIE, HOST};

#[tokio::test]
async fn files_up_to_ten_megabytes_arrive_larger_ones_are_refused_in_italian() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;

    // 9 MB: more than a form-encoded request could carry; it arrives and is checked.
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(9 << 20, b' ');
    let r = carica(&mut admin, "ente-a", "grande.pdf", &pdf).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let m = errore(&r.body);
    assert!(
        !m.contains("troppo grande") && m != AppError::Interno.to_string(),
        "{m}"
    );

    // Exactly the limit passes the size check; one byte more is refused with the limit.
    pdf.resize(FILE_MAX, b' ');
    let r = carica(&mut admin, "ente-a", "limite.pdf", &pdf).await;
    assert!(!errore(&r.body).contains("troppo grande"), "{}", r.body);
    pdf.push(b' ');
    let r = carica(&mut admin, "ente-a", "oltre.pdf", &pdf).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        errore(&r.body),
        "Il file è troppo grande: al massimo 10 MB."
    );

    // A request announcing more than the limit is refused before its body is read.
    let mut req = Request::post("/api/carica/copia-firmata")
        .header("host", HOST)
        .header("origin", format!("http://{HOST}"))
        .header(
            "cookie",
            format!("{COOKIE}={}", admin.cookie.clone().unwrap()),
        )
        .header("content-type", "multipart/form-data; boundary=x")
        .header("content-length", (RICHIESTA_MAX + 1).to_string());
    let resp = send(&st, req.body(Body::from("--x--\r\n")).unwrap()).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = crate::support::body_text(resp).await;
    assert_eq!(errore(&body), "Il file è troppo grande: al massimo 10 MB.");

    // Not multipart: refused with a message, not a crash of the request.
    for tipo in [
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "text/plain",
    ] {
        req = Request::post("/api/carica/personale")
            .header("host", HOST)
            .header("origin", format!("http://{HOST}"))
            .header(
                "cookie",
                format!("{COOKIE}={}", admin.cookie.clone().unwrap()),
            )
            .header("content-type", tipo);
        let resp = send(&st, req.body(Body::from("slug=ente-a")).unwrap()).await;
        assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{tipo}");
        let body = crate::support::body_text(resp).await;
        assert!(errore(&body).starts_with("Modulo non valido"), "{body}");
    }
    // Fields out of order (the file before the ente) are refused.
    let r = admin
        .post_multipart(
            "/api/carica/personale",
            &[
                (
                    "file",
                    Parte::File("p.csv", b"matricola;cognome;nome;area\n"),
                ),
                ("slug", Parte::Testo("ente-a")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errore(&r.body).starts_with("Modulo non valido"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_role_is_checked_before_the_file_is_read() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    // A file part that never ends properly: reading it would fail as an interrupted upload.
    let troncato = |cookie: &str| {
        let body = "--x\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\nente-a\r\n\
                    --x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n\r\nmatricola;cog";
        Request::post("/api/carica/personale")
            .header("host", HOST)
            .header("origin", format!("http://{HOST}"))
            .header("cookie", format!("{COOKIE}={cookie}"))
            .header("content-type", "multipart/form-data; boundary=x")
            .body(Body::from(body))
            .unwrap()
    };
    // A responsabile may not import staff: refused as such, the file never read.
    let resp_a = Client::logged_in(&st, "resp.a@test.it").await;
    let resp = send(&st, troncato(resp_a.cookie.as_deref().unwrap())).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // The admin may: only then is the file read, and found cut short.
    let admin = Client::logged_in(&st, "admin.a@test.it").await;
    let resp = send(&st, troncato(admin.cookie.as_deref().unwrap())).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = crate::support::body_text(resp).await;
    assert!(
        errore(&body).starts_with("Il file non è arrivato completo"),
        "{body}"
    );
    // Another ente's admin: not found, before reading.
    let admin_b = Client::logged_in(&st, "admin.b@test.it").await;
    let resp = send(&st, troncato(admin_b.cookie.as_deref().unwrap())).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

/// What travels back: pages compressed for a browser that accepts brotli, never cached;
/// PDFs sent as they are (compressed inside already, and kept byte for byte).
#[tokio::test]
async fn pages_travel_compressed_and_pdfs_as_they_are() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    let admin = Client::logged_in(&st, "admin.a@test.it").await;
    let admin = &admin;
    let get = move |path: &'static str, codifica: &'static str| async move {
        admin
            .risposta_con(path, &[("accept-encoding", codifica)])
            .await
    };
    let pagina = "/e/ente-a/piani/2022";
    let chiara = get(pagina, "identity").await;
    assert_eq!(chiara.status(), StatusCode::OK);
    assert!(chiara.headers().get("content-encoding").is_none());
    let chiara = axum::body::to_bytes(chiara.into_body(), 10 << 20)
        .await
        .unwrap();
    let compressa = get(pagina, "br, gzip").await;
    assert_eq!(compressa.headers()["content-encoding"], "br");
    assert_eq!(compressa.headers()["cache-control"], "no-store");
    assert!(compressa.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("accept-encoding"));
    let compressa = axum::body::to_bytes(compressa.into_body(), 10 << 20)
        .await
        .unwrap();
    assert!(
        compressa.len() * 4 < chiara.len(),
        "{} bytes compressed, {} plain",
        compressa.len(),
        chiara.len()
    );

    // The approved plan's document is compressed once and joined into each page's brotli
    // stream (`server::innesto`): the same page, in fewer bytes than compressed whole (as
    // the compression layer would, at its quality 0), for any browser that takes brotli.
    let mut unite = Vec::new();
    for _ in 0..4 {
        let unita = get(pagina, "gzip, deflate, br;q=0.9, zstd").await;
        assert_eq!(unita.headers()["content-encoding"], "br");
        assert_eq!(unita.headers()["cache-control"], "no-store");
        assert_eq!(unita.headers().get_all("vary").iter().count(), 1);
        let unita = axum::body::to_bytes(unita.into_body(), 10 << 20)
            .await
            .unwrap();
        unite.push(unita);
    }
    let intera = {
        let q0 = brotli::enc::BrotliEncoderParams {
            quality: 0,
            ..Default::default()
        };
        let mut out = Vec::new();
        brotli::BrotliCompress(&mut &chiara[..], &mut out, &q0).unwrap();
        out
    };
    // The page is kept for this reader with its body in brotli (`server::pagine_tenute`):
    // the streams after the first are made from it.
    let id_admin = id_utente(&mut db.owner().await, "admin.a@test.it").await;
    assert!(server::pagine_tenute::tenuta_in_brotli(id_admin, pagina));
    assert!(server::pagine_tenute::testa_tenuta_in_brotli(
        id_admin, pagina
    ));
    for br in std::iter::once(&compressa).chain(&unite) {
        assert!(
            br.len() < intera.len(),
            "{} bytes joined, {} compressed whole",
            br.len(),
            intera.len()
        );
        let mut html = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut html).unwrap();
        assert_eq!(senza_nonce(&html), senza_nonce(&chiara));
    }

    // A browser that takes only gzip gets gzip (brotli and gzip are two layers).
    let gzip = get(pagina, "gzip").await;
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let gzip = axum::body::to_bytes(gzip.into_body(), 10 << 20)
        .await
        .unwrap();
    assert!(
        gzip.starts_with(&[0x1f, 0x8b]) && gzip.len() * 3 < chiara.len(),
        "{} bytes gzipped, {} plain",
        gzip.len(),
        chiara.len()
    );

    // The final PDF is not compressed again; the second download, from memory, sends the
    // same bytes with their whole length known.
    let mut scaricati = Vec::new();
    for _ in 0..2 {
        let pdf = get("/e/ente-a/piani/2022/allegato.pdf", "br, gzip").await;
        assert_eq!(pdf.status(), StatusCode::OK);
        assert!(pdf.headers().get("content-encoding").is_none());
        // The length hyper writes as `Content-Length`.
        let lunghezza = axum::body::HttpBody::size_hint(pdf.body()).exact();
        let pdf = axum::body::to_bytes(pdf.into_body(), 10 << 20)
            .await
            .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(lunghezza, Some(pdf.len() as u64));
        scaricati.push(pdf);
    }
    assert_eq!(scaricati[0], scaricati[1]);
}

/// A page without its response's nonce, its document joined in.
fn senza_nonce(html: &[u8]) -> String {
    let (out, _) = crate::pagine_tenute::senza_nonce(std::str::from_utf8(html).unwrap());
    assert!(out.contains("class=\"documento-piano\"") && !out.contains("<!--documento-"));
    out
}
