//! A plan page shown as its document (approved, or opened by a reader), kept per reader.
//!
//! Such a page is the same bytes for the same reader until what it shows changes, yet it was
//! rendered again for every request: the render is the largest part of the server's work
//! for it. Here its plan is read first, through the same door and statement as the render
//! would read it (`documento::precarica`); the page is keyed by everything its render reads
//! (the reader and their header's counts, the ente and the role there, the plan as the page
//! gets it, its document), and kept with the nonce taken out. The next request of the same
//! reader for the same page whose key is the same gets it back with a new nonce, unrendered;
//! any other renders it from what was read (`Precaricato`), and keeps that. Only the page
//! is kept, never the reading: every request still checks its session, the ente and the role
//! in the database, and reads the plan.
//!
//! A browser that takes brotli gets the kept page's body (all but its head and its closing
//! scripts, where the nonces are) compressed as it was kept, the document's part in its
//! place (`innesto`); only the closing scripts, with the request's nonce, are compressed for
//! each request. The head, whose one nonce is its hydration script's (`crossorigin`), is
//! kept compressed too, the nonce put in uncompressed after it. Compressing the whole page
//! for each request was the largest part of what a kept page still cost.

use std::sync::{Arc, LazyLock};

use app::model::DocumentoReso;
use app::pages::piano::documento::{precarica, Precaricato};
use app::ssr::context::Caller;
use app::ssr::documenti::{self, segnaposto, Innesto};
use app::ssr::richiesta::Richiesta;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, VARY,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use memchr::memmem;
use quick_cache::sync::Cache;
use uuid::Uuid;

use crate::crossorigin::nonce_della_politica;
use crate::innesto::{accetta_br, documento_br, dopo_br, in_chiaro, parte, prima_br};
use crate::state::AppState;

/// The pages kept, in bytes: some 13 KB each around the document, which is the one kept
/// by `documenti` and shared: some twenty thousand readers' pages. The least used go first.
const CAPACITA: u64 = 256 * 1024 * 1024;

/// A reader and the page's path: one page kept for each, replaced when its key changes.
type Posto = (Uuid, String);

/// A page kept: its key, its bytes cut where its nonce was, the same for brotli, and its
/// document.
struct Tenuta {
    chiave: documenti::Chiave,
    pezzi: Vec<Box<[u8]>>,
    br: Option<PaginaBr>,
    doc: Arc<DocumentoReso>,
}

/// A kept page for brotli: its pieces before and after the body (the piece with the
/// document, by far the largest), compressed for each request with its nonce, and the body
/// around the document compressed once; the head too, when it is one piece (`testa`).
struct PaginaBr {
    /// The body's index among the page's pieces.
    corpo: usize,
    /// The head up to its nonce, the stream's start left open, when the body is the second
    /// piece: the nonce goes after it uncompressed (`in_chiaro`).
    testa: Option<Box<[u8]>>,
    prima: Box<[u8]>,
    dopo: Box<[u8]>,
}

#[derive(Clone)]
struct Byte;

impl quick_cache::Weighter<Posto, Arc<Tenuta>> for Byte {
    fn weight(&self, posto: &Posto, t: &Arc<Tenuta>) -> u64 {
        let br = (t.br.as_ref()).map_or(0, |b| {
            b.testa.as_ref().map_or(0, |t| t.len()) + b.prima.len() + b.dopo.len()
        });
        (posto.1.len() + t.pezzi.iter().map(|p| p.len() + 16).sum::<usize>() + br + 96) as u64
    }
}

static PAGINE: LazyLock<Cache<Posto, Arc<Tenuta>, Byte>> =
    LazyLock::new(|| Cache::with_weighter(16_384, CAPACITA, Byte));

/// A layer's function, inside the caller's read (`middleware::load_caller`, which puts the
/// caller and the request's reads in it) and inside `innesto::innesta`.
pub async fn servi(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some((slug, anno)) = pagina_del_piano(&req) else {
        return next.run(req).await;
    };
    let ext = req.extensions();
    let (Some(caller), Some(richiesta), Some(innesto)) = (
        ext.get::<Caller>().cloned(),
        ext.get::<Richiesta>().cloned(),
        ext.get::<Innesto>().cloned(),
    ) else {
        return next.run(req).await;
    };
    // The header's reads, made with the caller's: without them the header reads on its own.
    let Some((Some(ente), testata)) = (richiesta.intestazione(&slug)).map(|(e, i)| (e.cloned(), i))
    else {
        return next.run(req).await;
    };
    let letto = precarica(&state.pool, caller.clone(), richiesta, &slug, anno).await;
    let (piano, doc) = match letto {
        Ok(p) if p.documento_pronto => match p.documento_html.clone() {
            Some(doc) => (p, doc),
            None => return rendi(req, next, Ok(p)).await,
        },
        altro => return rendi(req, next, altro).await,
    };
    let percorso = req.uri().path().to_string();
    let lettore = (
        &caller.email,
        &caller.display_name,
        caller.is_platform_admin,
        caller.firm_id,
        caller.password_temporanea,
        caller.deve_attivare_2fa,
        caller.sessione,
    );
    let intestazione = (
        &ente.slug,
        ente.id,
        &ente.nome,
        ente.role,
        testata.promemoria,
        testata.altri_enti,
    );
    let chiave = documenti::chiave(
        caller.user_id,
        &(&percorso, lettore, intestazione, &piano, doc.chiave),
    );
    let posto = (caller.user_id, percorso);
    if let Some(t) = PAGINE.get(&posto).filter(|t| t.chiave == chiave) {
        return servita(&t, &innesto, accetta_br(req.headers()));
    }
    let risposta = rendi(req, next, Ok(piano)).await;
    conserva(posto, chiave, doc, risposta).await
}

/// The page rendered from the plan read here (`letto`), not read again.
async fn rendi(
    mut req: Request,
    next: Next,
    letto: Result<app::model::PianoView, app::error::AppError>,
) -> Response {
    req.extensions_mut().insert(Precaricato::new(letto));
    next.run(req).await
}

/// Whether a page is kept for reader `utente` at `percorso` (for the tests).
pub fn tenuta(utente: Uuid, percorso: &str) -> bool {
    PAGINE.get(&(utente, percorso.to_string())).is_some()
}

/// Whether that page is kept with its body in brotli (for the tests).
pub fn tenuta_in_brotli(utente: Uuid, percorso: &str) -> bool {
    (PAGINE.get(&(utente, percorso.to_string()))).is_some_and(|t| t.br.is_some())
}

/// Whether that page is kept with its head in brotli too (for the tests).
pub fn testa_tenuta_in_brotli(utente: Uuid, percorso: &str) -> bool {
    let t = PAGINE.get(&(utente, percorso.to_string()));
    t.is_some_and(|t| t.br.as_ref().is_some_and(|b| b.testa.is_some()))
}

/// The plan page's ente and year, for a GET of `/e/{slug}/piani/{anno}` with no query.
fn pagina_del_piano(req: &Request) -> Option<(String, i32)> {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return None;
    }
    let mut parti = req.uri().path().strip_prefix("/e/")?.split('/');
    let (slug, piani, anno) = (parti.next()?, parti.next()?, parti.next()?);
    // Slugs as the product makes them: the router's and this reading agree on them.
    let slug_semplice = !slug.is_empty()
        && slug.len() <= 80
        && (slug.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let anno = (anno.len() == 4)
        .then(|| anno.parse::<i32>().ok())
        .flatten()?;
    (parti.next().is_none() && piani == "piani" && slug_semplice).then(|| (slug.to_string(), anno))
}

/// The kept page with a new nonce: in its scripts and in its Content-Security-Policy. In
/// brotli, whole, if the browser takes it (`br`); else with its document's marker, which
/// `innesto` replaces.
fn servita(t: &Tenuta, innesto: &Innesto, br: bool) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    let Ok(csp) = HeaderValue::from_str(&app::shell::content_security_policy(&nonce)) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut r = match (&t.br, br) {
        (Some(parti), true) => {
            let mut r = Response::new(Body::from(in_brotli(&t.pezzi, parti, &t.doc, &nonce)));
            let h = r.headers_mut();
            h.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
            h.insert(VARY, HeaderValue::from_static("accept-encoding"));
            r
        }
        _ => {
            innesto.poni(t.doc.clone());
            Response::new(Body::from(t.pezzi.join(nonce.as_bytes())))
        }
    };
    let h = r.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(CONTENT_SECURITY_POLICY, csp);
    r
}

/// The brotli stream of a kept page (`pezzi`, `br`) with `nonce` and its document `doc`:
/// the pieces before the body with their nonces (the stream's start, left open: the head as
/// kept and the nonce in the clear, or all compressed now), the body's parts and the
/// document's as kept, the rest compressed now (its end).
fn in_brotli(pezzi: &[Box<[u8]>], br: &PaginaBr, doc: &DocumentoReso, nonce: &str) -> Vec<u8> {
    let doc_br = documento_br(doc);
    let nonce = nonce.as_bytes();
    let mut coda = nonce.to_vec();
    coda.extend_from_slice(&pezzi[br.corpo + 1..].join(nonce));
    let mut out = match (&br.testa, in_chiaro(nonce)) {
        (Some(testa), Some(chiaro)) => [&testa[..], &chiaro].concat(),
        _ => {
            let mut testa = pezzi[..br.corpo].join(nonce);
            testa.extend_from_slice(nonce);
            prima_br(&testa)
        }
    };
    out.reserve(br.prima.len() + doc_br.len() + br.dopo.len() + coda.len() / 2);
    out.extend_from_slice(&br.prima);
    out.extend_from_slice(doc_br);
    out.extend_from_slice(&br.dopo);
    out.extend_from_slice(&dopo_br(&coda));
    out
}

/// The body of a page cut at its nonces (`pezzi`) compressed around its document, once for
/// every request that gets it. The body is the largest piece, which holds the document's
/// marker (the page holds it once: `conserva` keeps no other), with pieces before and after
/// it; else `None`, and the page is compressed around its document for each request, as a
/// rendered one (`innesto`).
fn parti_br(pezzi: &[Box<[u8]>]) -> Option<PaginaBr> {
    let corpo = (0..pezzi.len()).max_by_key(|&i| pezzi[i].len())?;
    let p = &pezzi[corpo];
    let mut posti = memmem::find_iter(&p[..], segnaposto());
    let (Some(d), None) = (posti.next(), posti.next()) else {
        return None;
    };
    if corpo == 0 || corpo + 1 == pezzi.len() {
        return None;
    }
    // Parts in the middle of a stream: an empty one would be a meta-block for nothing.
    let compressa = |dati: &[u8]| -> Box<[u8]> {
        if dati.is_empty() {
            Box::default()
        } else {
            parte(dati).into()
        }
    };
    // The head's first byte opens the stream (at quality 0, the only one whose stream
    // `prima_br` leaves open); the rest is a part at the document's quality.
    let testa = (corpo == 1 && !pezzi[0].is_empty()).then(|| {
        let (primo, resto) = pezzi[0].split_at(1);
        [prima_br(primo), compressa(resto).into()].concat().into()
    });
    Some(PaginaBr {
        corpo,
        testa,
        prima: compressa(&p[..d]),
        dopo: compressa(&p[d + segnaposto().len()..]),
    })
}

/// `risposta`, the page rendered, passed on; kept if it is a page as a render makes one for
/// a document: 200, only its type and policy among its headers, its nonce found, the
/// document's marker in it once.
async fn conserva(
    posto: Posto,
    chiave: documenti::Chiave,
    doc: Arc<DocumentoReso>,
    risposta: Response,
) -> Response {
    if risposta.status() != StatusCode::OK {
        return risposta;
    }
    let (parti, corpo) = risposta.into_parts();
    let Ok(html) = axum::body::to_bytes(corpo, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let intestazioni_di_pagina = (parti.headers.keys())
        .all(|k| [CONTENT_TYPE, CONTENT_SECURITY_POLICY, CONTENT_LENGTH].contains(k));
    let html_ =
        (parti.headers.get(CONTENT_TYPE)).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let nonce = (parti.headers.get(CONTENT_SECURITY_POLICY))
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_della_politica);
    let un_documento = memmem::find_iter(&html, segnaposto()).count() == 1;
    if let (true, true, true, Some(nonce)) = (intestazioni_di_pagina, html_, un_documento, nonce) {
        let pezzi = tagliata(&html, nonce.as_bytes());
        // A page without its nonce is not one of Leptos': nothing to put back.
        if pezzi.len() > 1 {
            let br = parti_br(&pezzi);
            PAGINE.insert(
                posto,
                Arc::new(Tenuta {
                    chiave,
                    pezzi,
                    br,
                    doc,
                }),
            );
        }
    }
    Response::from_parts(parti, Body::from(html))
}

/// `html` cut at each occurrence of `nonce`, which the cuts leave out.
fn tagliata(html: &[u8], nonce: &[u8]) -> Vec<Box<[u8]>> {
    let mut pezzi = Vec::new();
    let mut da = 0;
    for i in memmem::find_iter(html, nonce) {
        pezzi.push(html[da..i].into());
        da = i + nonce.len();
    }
    pezzi.push(html[da..].into());
    pezzi
}

#[cfg(test)]
mod tests {
    use super::*;

    fn richiesta(metodo: Method, uri: &str) -> Request {
        Request::builder()
            .method(metodo)
            .uri(uri)
            .body(Body::empty())
            .unwrap()
    }

    #[test]
    fn only_the_plan_page_of_a_year_is_kept() {
        let p = |uri| pagina_del_piano(&richiesta(Method::GET, uri));
        assert_eq!(
            p("/e/comune-di-x/piani/2022"),
            Some(("comune-di-x".into(), 2022))
        );
        assert_eq!(p("/e/comune-di-x/piani/2022?a=1"), None);
        assert_eq!(p("/e/comune-di-x/piani/2022/allegato.pdf"), None);
        assert_eq!(p("/e/comune-di-x/piani"), None);
        assert_eq!(p("/e/comune-di-x/piani/22"), None);
        assert_eq!(p("/e/Comune%20X/piani/2022"), None);
        assert_eq!(p("/e//piani/2022"), None);
        assert_eq!(p("/e/comune-di-x/scadenze/2022"), None);
        assert_eq!(
            pagina_del_piano(&richiesta(Method::POST, "/e/comune-di-x/piani/2022")),
            None
        );
    }

    #[test]
    fn the_nonce_is_cut_out_and_put_back() {
        let html = b"<script nonce=\"AbC-_9\">x</script><link crossorigin=\"AbC-_9\">";
        let pezzi = tagliata(html, b"AbC-_9");
        assert_eq!(pezzi.len(), 3);
        assert_eq!(pezzi.join(&b"AbC-_9"[..]), html.to_vec());
        assert_eq!(tagliata(b"senza", b"AbC-_9").len(), 1);
    }

    #[test]
    fn a_kept_page_in_brotli_is_the_page_with_its_nonce_and_document() {
        let m = segnaposto();
        let doc = DocumentoReso {
            html: "<table><tr><td>1.1</td></tr></table>".repeat(500).into(),
            br: Default::default(),
            chiave: (Uuid::nil(), 0),
        };
        // A head with one nonce is kept compressed; with two, compressed for each request.
        for (testa, tenuta) in [
            ("<head><script nonce=\"N0nce\">a()</script></head>", true),
            (
                "<head><link crossorigin=\"N0nce\"><script nonce=\"N0nce\"></script></head>",
                false,
            ),
        ] {
            let pagina = format!(
                "{testa}<main>{}{m}{}</main><script nonce=\"N0nce\">b()</script>N0nce",
                "<p>prima</p>".repeat(300),
                "<p>dopo</p>".repeat(200)
            );
            let pezzi = tagliata(pagina.as_bytes(), b"N0nce");
            let parti = parti_br(&pezzi).expect("one document, in the body");
            assert_eq!(parti.testa.is_some(), tenuta, "{testa}");
            let br = in_brotli(&pezzi, &parti, &doc, "Nuov0-n0nce_");
            let mut html = Vec::new();
            brotli::BrotliDecompress(&mut &br[..], &mut html).expect("a valid brotli stream");
            let atteso = pagina
                .replace("N0nce", "Nuov0-n0nce_")
                .replace(m, &doc.html);
            assert_eq!(String::from_utf8(html).unwrap(), atteso);
        }
        // Without the document's marker in the body, or with two, or without a head and
        // closing scripts around the body, the page is compressed for each request.
        let corpo = "<p>corpo</p>".repeat(50);
        let no = |pagina: String| parti_br(&tagliata(pagina.as_bytes(), b"N0nce")).is_none();
        assert!(no(format!("<p>N0nce</p>{corpo}N0nce")));
        assert!(no(format!("<p>N0nce{corpo}{m}{m}N0nce")));
        assert!(no(format!("<p>{m}N0nce{corpo}N0nce")));
        assert!(no(format!("{corpo}{m}N0nce<p>")));
        assert!(no(format!("<p>N0nce{corpo}{m}")));
        assert!(!no(format!("<p>N0nce{corpo}{m}N0nce")));
    }
}
