//! A plan page, shown as its document (approved, or opened by a reader) or with its
//! editors (a draft, for those who write it), and «I miei obiettivi» (a dipendente's
//! landing page), kept per reader.
//!
//! Such a page is the same bytes for the same reader until what it shows changes, yet it was
//! rendered again for every request: the render is the largest part of the server's work
//! for it. Here what it shows is read first, through the same door and statement as the
//! render would read it (`documento::precarica`, `personale::precarica_miei`); the page is
//! keyed by everything its render reads (the reader and their header's counts, the ente and
//! the role there, the plan or the objectives as the page gets them, the document), and
//! kept with the nonce taken out. The next request of the same reader for the same page
//! whose key is the same gets it back with a new nonce, unrendered; any other renders it
//! from what was read (`Precaricato`), and keeps that. Only the page is kept, never the
//! reading: every request still checks its session, the ente and the role in the database,
//! and reads what the page shows.
//!
//! A browser that takes brotli gets the kept page's body (all but its head and its closing
//! scripts, where the nonces are) compressed as it was kept, the document's part in its
//! place (`innesto`); only the closing scripts, with the request's nonce, are compressed for
//! each request. The head, whose one nonce is its hydration script's (`crossorigin`), is
//! kept compressed too, the nonce put in uncompressed after it. Compressing the whole page
//! for each request was the largest part of what a kept page still cost.

use std::sync::{Arc, LazyLock};

use app::api::personale::precarica_miei;
use app::error::AppError;
use app::model::DocumentoReso;
use app::pages::piano::documento::precarica;
use app::ssr::context::Caller;
use app::ssr::documenti::{self, segnaposto, Innesto};
use app::ssr::precaricato::Precaricato;
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

/// The pages kept, in bytes: a plan page some 13 KB around its document, which is the one
/// kept by `documenti` and shared; «I miei obiettivi» with three objectives some 22 KB (17
/// KB and its body in brotli): ten to twenty thousand readers' pages. The least used go
/// first.
const CAPACITA: u64 = 256 * 1024 * 1024;

/// A reader and the page's path: one page kept for each, replaced when its key changes.
type Posto = (Uuid, String);

/// A page kept: its key, its bytes cut where its nonce was, the same for brotli, and its
/// document (the plan page's; «I miei obiettivi» has none).
struct Tenuta {
    chiave: documenti::Chiave,
    pezzi: Vec<Box<[u8]>>,
    br: Option<PaginaBr>,
    doc: Option<Arc<DocumentoReso>>,
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
    /// The pieces after the body but the last, each compressed once: between them only the
    /// nonce goes, uncompressed. A draft's closing scripts carry its plan as read (some
    /// 60 KB for one of the reference's size), which was compressed again for each request.
    coda: Vec<Box<[u8]>>,
}

#[derive(Clone)]
struct Byte;

impl quick_cache::Weighter<Posto, Arc<Tenuta>> for Byte {
    fn weight(&self, posto: &Posto, t: &Arc<Tenuta>) -> u64 {
        let br = (t.br.as_ref()).map_or(0, |b| {
            let coda: usize = b.coda.iter().map(|c| c.len()).sum();
            b.testa.as_ref().map_or(0, |t| t.len()) + b.prima.len() + b.dopo.len() + coda
        });
        (posto.1.len() + t.pezzi.iter().map(|p| p.len() + 16).sum::<usize>() + br + 96) as u64
    }
}

static PAGINE: LazyLock<Cache<Posto, Arc<Tenuta>, Byte>> =
    LazyLock::new(|| Cache::with_weighter(16_384, CAPACITA, Byte));

/// A page that is kept: the plan page of a year, «I miei obiettivi» of the ente.
#[derive(Debug, PartialEq)]
enum Pagina {
    Piano(i32),
    Miei,
}

/// A layer's function, inside the caller's read (`middleware::load_caller`, which puts the
/// caller and the request's reads in it) and inside `innesto::innesta`.
pub async fn servi(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some((slug, pagina)) = pagina_tenibile(&req) else {
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
    let (chiave, doc, req) = match pagina {
        Pagina::Piano(anno) => {
            let letto = precarica(&state.pool, caller.clone(), richiesta, &slug, anno).await;
            let piano = match letto {
                Ok(p) => p,
                altro => return rendi(req, next, altro).await,
            };
            match (piano.documento_pronto, piano.documento_html.clone()) {
                // Shown as its document: the page by its head, the document by its key.
                (true, Some(doc)) => {
                    let chiave = documenti::chiave(
                        caller.user_id,
                        &(&percorso, lettore, intestazione, &piano, doc.chiave),
                    );
                    (chiave, Some(doc), con(req, Ok(piano)))
                }
                (true, None) => return rendi(req, next, Ok(piano)).await,
                // With its editors (a draft, for those who write it): by the whole plan as
                // read, every row's text and version, the attachment's state, the
                // responsabili one may pick. Its render reads nothing else, and it was the
                // dearest page to render (some 8 ms of the server for a plan of the
                // reference's size); an edit changes a row's version, and so the key.
                (false, _) => {
                    let chiave = documenti::chiave(
                        caller.user_id,
                        &(&percorso, lettore, intestazione, &piano),
                    );
                    (chiave, None, con(req, Ok(piano)))
                }
            }
        }
        Pagina::Miei => {
            let letto = precarica_miei(&state.pool, caller.clone(), richiesta, &slug).await;
            let miei = match letto {
                Ok(m) => m,
                altro => return rendi(req, next, altro).await,
            };
            let chiave =
                documenti::chiave(caller.user_id, &(&percorso, lettore, intestazione, &miei));
            (chiave, None, con(req, Ok(miei)))
        }
    };
    let posto = (caller.user_id, percorso);
    if let Some(t) = PAGINE.get(&posto).filter(|t| t.chiave == chiave) {
        return servita(&t, &innesto, accetta_br(req.headers()));
    }
    let risposta = next.run(req).await;
    conserva(posto, chiave, doc, risposta).await
}

/// The request with what its page's render reads, read here (`letto`): not read again.
fn con<T: Send + Sync + 'static>(mut req: Request, letto: Result<T, AppError>) -> Request {
    req.extensions_mut().insert(Precaricato::new(letto));
    req
}

/// The page rendered from what was read here (`letto`).
async fn rendi<T: Send + Sync + 'static>(
    req: Request,
    next: Next,
    letto: Result<T, AppError>,
) -> Response {
    next.run(con(req, letto)).await
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

/// The page kept at a GET with no query: `/e/{slug}/piani/{anno}`, the plan of a year;
/// `/e/{slug}/miei-obiettivi`, the reader's objectives of the most recent year; with its
/// ente's slug.
fn pagina_tenibile(req: &Request) -> Option<(String, Pagina)> {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return None;
    }
    let mut parti = req.uri().path().strip_prefix("/e/")?.split('/');
    let (slug, pagina) = (parti.next()?, parti.next()?);
    // Slugs as the product makes them: the router's and this reading agree on them.
    let slug_semplice = !slug.is_empty()
        && slug.len() <= 80
        && (slug.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_semplice {
        return None;
    }
    let slug = slug.to_string();
    match (pagina, parti.next(), parti.next()) {
        ("miei-obiettivi", None, _) => Some((slug, Pagina::Miei)),
        ("piani", Some(anno), None) if anno.len() == 4 => {
            Some((slug, Pagina::Piano(anno.parse().ok()?)))
        }
        _ => None,
    }
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
            let doc = t.doc.as_deref();
            let mut r = Response::new(Body::from(in_brotli(&t.pezzi, parti, doc, &nonce)));
            let h = r.headers_mut();
            h.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
            h.insert(VARY, HeaderValue::from_static("accept-encoding"));
            r
        }
        _ => {
            if let Some(doc) = &t.doc {
                innesto.poni(doc.clone());
            }
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
fn in_brotli(
    pezzi: &[Box<[u8]>],
    br: &PaginaBr,
    doc: Option<&DocumentoReso>,
    nonce: &str,
) -> Vec<u8> {
    let doc_br = doc.map_or(&[][..], documento_br);
    let chiaro = in_chiaro(nonce.as_bytes());
    let nonce = nonce.as_bytes();
    let mut out = match (&br.testa, &chiaro) {
        (Some(testa), Some(chiaro)) => [&testa[..], chiaro].concat(),
        _ => {
            let mut testa = pezzi[..br.corpo].join(nonce);
            testa.extend_from_slice(nonce);
            prima_br(&testa)
        }
    };
    let coda: usize = br.coda.iter().map(|c| c.len() + nonce.len() + 3).sum();
    out.reserve(br.prima.len() + doc_br.len() + br.dopo.len() + coda + 64);
    out.extend_from_slice(&br.prima);
    out.extend_from_slice(doc_br);
    out.extend_from_slice(&br.dopo);
    // The pieces after the body: those kept compressed with the nonce before each, as it
    // is; the last one (a few bytes) compressed now, which closes the stream.
    // `parti_br` made them from these same pieces: all those after the body but the last.
    let dopo_il_corpo = match &chiaro {
        Some(chiaro) => {
            for parte in &br.coda {
                out.extend_from_slice(chiaro);
                out.extend_from_slice(parte);
            }
            &pezzi[pezzi.len() - 1..]
        }
        None => &pezzi[br.corpo + 1..],
    };
    let mut fine = nonce.to_vec();
    fine.extend_from_slice(&dopo_il_corpo.join(nonce));
    out.extend_from_slice(&dopo_br(&fine));
    out
}

/// The body of a page cut at its nonces (`pezzi`) compressed around its document (if
/// `documento`), once for every request that gets it. The body is the largest piece, which
/// holds the document's marker (the page holds it once: `conserva` keeps no other), with
/// pieces before and after it; else `None`, and the page is compressed around its document
/// for each request, as a rendered one (`innesto`). A page without a document is its body
/// compressed whole.
fn parti_br(pezzi: &[Box<[u8]>], documento: bool) -> Option<PaginaBr> {
    let corpo = (0..pezzi.len()).max_by_key(|&i| pezzi[i].len())?;
    let p = &pezzi[corpo];
    let mut posti = memmem::find_iter(&p[..], segnaposto());
    let (d, fine) = match (posti.next(), posti.next(), documento) {
        (Some(d), None, true) => (d, d + segnaposto().len()),
        (None, _, false) => (p.len(), p.len()),
        _ => return None,
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
        dopo: compressa(&p[fine..]),
        coda: (pezzi[corpo + 1..pezzi.len() - 1].iter())
            .map(|c| compressa(c))
            .collect(),
    })
}

/// `risposta`, the page rendered, passed on; kept if it is a page as a render makes one for
/// a document: 200, only its type and policy among its headers, its nonce found, the
/// document's marker in it once.
async fn conserva(
    posto: Posto,
    chiave: documenti::Chiave,
    doc: Option<Arc<DocumentoReso>>,
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
    let documenti = memmem::find_iter(&html, segnaposto()).count();
    let suoi = documenti == usize::from(doc.is_some());
    if let (true, true, true, Some(nonce)) = (intestazioni_di_pagina, html_, suoi, nonce) {
        let pezzi = tagliata(&html, nonce.as_bytes());
        // A page without its nonce is not one of Leptos': nothing to put back.
        if pezzi.len() > 1 {
            let br = parti_br(&pezzi, doc.is_some());
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
    fn only_the_plan_page_of_a_year_and_my_objectives_are_kept() {
        let p = |uri| pagina_tenibile(&richiesta(Method::GET, uri));
        assert_eq!(
            p("/e/comune-di-x/piani/2022"),
            Some(("comune-di-x".into(), Pagina::Piano(2022)))
        );
        assert_eq!(
            p("/e/comune-di-x/miei-obiettivi"),
            Some(("comune-di-x".into(), Pagina::Miei))
        );
        assert_eq!(p("/e/comune-di-x/piani/2022?a=1"), None);
        assert_eq!(p("/e/comune-di-x/piani/2022/allegato.pdf"), None);
        assert_eq!(p("/e/comune-di-x/piani"), None);
        assert_eq!(p("/e/comune-di-x/piani/22"), None);
        assert_eq!(p("/e/comune-di-x/piani/20x2"), None);
        assert_eq!(p("/e/Comune%20X/piani/2022"), None);
        assert_eq!(p("/e//piani/2022"), None);
        assert_eq!(p("/e/comune-di-x/scadenze/2022"), None);
        // Another year's objectives, or what is under the page, are rendered as any page.
        assert_eq!(p("/e/comune-di-x/miei-obiettivi?anno=2022"), None);
        assert_eq!(p("/e/comune-di-x/miei-obiettivi/2022"), None);
        assert_eq!(p("/e/Comune-X/miei-obiettivi"), None);
        for metodo in [Method::POST, Method::HEAD] {
            for uri in ["/e/comune-di-x/piani/2022", "/e/comune-di-x/miei-obiettivi"] {
                assert_eq!(pagina_tenibile(&richiesta(metodo.clone(), uri)), None);
            }
        }
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
            let parti = parti_br(&pezzi, true).expect("one document, in the body");
            assert_eq!(parti.testa.is_some(), tenuta, "{testa}");
            let br = in_brotli(&pezzi, &parti, Some(&doc), "Nuov0-n0nce_");
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
        let no = |pagina: String| parti_br(&tagliata(pagina.as_bytes(), b"N0nce"), true).is_none();
        assert!(no(format!("<p>N0nce</p>{corpo}N0nce")));
        assert!(no(format!("<p>N0nce{corpo}{m}{m}N0nce")));
        assert!(no(format!("<p>{m}N0nce{corpo}N0nce")));
        assert!(no(format!("{corpo}{m}N0nce<p>")));
        assert!(no(format!("<p>N0nce{corpo}{m}")));
        assert!(!no(format!("<p>N0nce{corpo}{m}N0nce")));
    }

    #[test]
    fn a_kept_page_without_a_document_in_brotli_is_the_page_with_its_nonce() {
        let pagina = format!(
            "<head><script nonce=\"N0nce\">a()</script></head><main>{}</main><script nonce=\"N0nce\">b()</script>",
            "<article>obiettivo</article>".repeat(100)
        );
        let pezzi = tagliata(pagina.as_bytes(), b"N0nce");
        let parti = parti_br(&pezzi, false).expect("a body between the scripts");
        assert!(parti.testa.is_some() && parti.dopo.is_empty());
        let br = in_brotli(&pezzi, &parti, None, "Nuov0-n0nce_");
        let mut html = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut html).expect("a valid brotli stream");
        let atteso = pagina.replace("N0nce", "Nuov0-n0nce_");
        assert_eq!(String::from_utf8(html).unwrap(), atteso);
        // Several closing scripts, one of them the plan as read: each piece between two
        // nonces kept compressed, the nonces put in between as they are.
        let pagina = pagina.replace("</main>", &format!("{}</main>", "<p>fase</p>".repeat(900)));
        let pagina = format!(
            "{pagina}<script nonce=\"N0nce\">r = {};</script><script nonce=\"N0nce\"></script><script nonce=\"N0nce\">c()</script>",
            "{\"riga\":\"testo\"}".repeat(400)
        );
        let pezzi = tagliata(pagina.as_bytes(), b"N0nce");
        let parti = parti_br(&pezzi, false).expect("a body between the scripts");
        assert_eq!(parti.coda.len(), pezzi.len() - parti.corpo - 2);
        assert!(parti.coda.len() >= 3);
        for nonce in ["Nuov0-n0nce_", "un-altro-nonce-piu-lungo-1234"] {
            let br = in_brotli(&pezzi, &parti, None, nonce);
            let mut html = Vec::new();
            brotli::BrotliDecompress(&mut &br[..], &mut html).expect("a valid brotli stream");
            assert_eq!(
                String::from_utf8(html).unwrap(),
                pagina.replace("N0nce", nonce)
            );
        }
        // A document's marker where none is joined in: compressed for each request.
        let m = segnaposto();
        let con_segno = pagina.replace("</main>", &format!("{m}</main>"));
        assert!(parti_br(&tagliata(con_segno.as_bytes(), b"N0nce"), false).is_none());
    }
}
