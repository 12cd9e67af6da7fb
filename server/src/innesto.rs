//! An approved plan's document compressed once, joined into every page that shows it.
//!
//! The document is most of its page (96 of the demo plan page's 111 KB) and the same for every reader, yet
//! the compression layer compressed it again for each request. Its page's render now
//! leaves a marker where the document goes (`documenti::nella_pagina`), and here, once the
//! page is made, a browser that takes brotli gets one stream of three parts: the page up to
//! the marker compressed now (quality 0, as any page), the document's bytes compressed the
//! first time it was sent, the rest of the page compressed now. Brotli joins such parts: the
//! document's is a "catable" stream (it refers to nothing before itself, starts and ends on
//! a byte boundary, no stream header); the first part's closing meta-block becomes an empty
//! metadata one, which leaves the stream open and byte aligned; the last part closes it.

use std::io::Write;
use std::sync::LazyLock;

use app::model::DocumentoReso;
use app::ssr::documenti::{segnaposto, Innesto};
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, VARY};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use brotli::enc::BrotliEncoderParams;
use memchr::memmem::Finder;

/// The window of every part: the decoder's, set by the first part's header.
const FINESTRA: i32 = 22;

/// The document's quality: made once per document, its bytes are what every page sends.
/// Parts in the middle of a stream need 2 or more (below, the encoder closes the stream).
const QUALITA_DOCUMENTO: i32 = 5;

/// A layer's function (`axum::middleware::from_fn`), inside the compression layer: a page
/// whose render left a document to join in gets it here.
pub async fn innesta(mut req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let br = accetta_br(req.headers());
    let innesto = Innesto::default();
    req.extensions_mut().insert(innesto.clone());
    let risposta = next.run(req).await;
    let Some(doc) = innesto.prendi() else {
        return risposta;
    };
    let (mut parti, corpo) = risposta.into_parts();
    let Ok(html) = axum::body::to_bytes(corpo, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parti.headers.remove(CONTENT_LENGTH);
    let posti = posti(&html);
    match posti[..] {
        [] => Response::from_parts(parti, Body::from(html)),
        // One marker, as a page shows one document: joined in, compressed.
        [i] if br => {
            let (prima, dopo) = (&html[..i], &html[i + segnaposto().len()..]);
            let doc_br = documento_br(&doc);
            parti
                .headers
                .insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
            if !varia_per_codifica(&parti.headers) {
                parti
                    .headers
                    .append(VARY, HeaderValue::from_static("accept-encoding"));
            }
            Response::from_parts(parti, Body::from(pagina_br(prima, doc_br, dopo)))
        }
        // The document written in: the compression layer compresses the page as any other.
        _ => Response::from_parts(parti, Body::from(scritto_dentro(&html, &posti, &doc.html))),
    }
}

/// Where the markers are in `html` (the finder built once).
fn posti(html: &[u8]) -> Vec<usize> {
    static CERCA: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(segnaposto()));
    CERCA.find_iter(html).collect()
}

/// `html` with the document written at each of its markers, at `posti`.
fn scritto_dentro(html: &[u8], posti: &[usize], doc: &str) -> Vec<u8> {
    sostituiti(
        html,
        posti.iter().copied(),
        segnaposto().len(),
        doc.as_bytes(),
    )
}

/// `dati` with the `lunghi` bytes at each of `posti` (in order, not overlapping) replaced
/// by `con`.
pub(crate) fn sostituiti(
    dati: &[u8],
    posti: impl IntoIterator<Item = usize>,
    lunghi: usize,
    con: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(dati.len() + con.len());
    let mut da = 0;
    for i in posti {
        out.extend_from_slice(&dati[da..i]);
        out.extend_from_slice(con);
        da = i + lunghi;
    }
    out.extend_from_slice(&dati[da..]);
    out
}

/// The browser takes brotli (`br`, without `q=0`).
pub(crate) fn accetta_br(h: &HeaderMap) -> bool {
    let voci = h.get_all(ACCEPT_ENCODING).iter();
    let voci = voci
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','));
    voci.into_iter().any(|voce| {
        let mut parti = voce.split(';');
        let nome = parti.next().unwrap_or_default().trim();
        nome.eq_ignore_ascii_case("br")
            && parti.all(|p| match p.trim().strip_prefix("q=") {
                Some(q) => q.trim().parse::<f32>().is_ok_and(|q| q > 0.0),
                None => true,
            })
    })
}

fn varia_per_codifica(h: &HeaderMap) -> bool {
    let voci = h.get_all(VARY).iter().filter_map(|v| v.to_str().ok());
    voci.flat_map(|v| v.split(','))
        .any(|v| v.trim().eq_ignore_ascii_case("accept-encoding") || v.trim() == "*")
}

fn comprimi(dati: &[u8], qualita: i32, nel_mezzo: bool) -> Vec<u8> {
    let params = BrotliEncoderParams {
        quality: qualita,
        lgwin: FINESTRA,
        catable: nel_mezzo,
        bare_stream: nel_mezzo,
        ..BrotliEncoderParams::default()
    };
    let mut out = Vec::with_capacity(dati.len() / 4 + 64);
    {
        let mut w = brotli::CompressorWriter::with_params(&mut out, 4096, &params);
        // Writing into memory cannot fail.
        let _ = w.write_all(dati);
    }
    out
}

/// A document's part of every page that shows it, made the first time it is sent.
pub fn documento_br(doc: &DocumentoReso) -> &[u8] {
    doc.br.get_or_init(|| parte(doc.html.as_bytes()))
}

/// A part for the middle of a stream, made once and sent many times (at the document's
/// quality): no header, no end, nothing referred to before it, on byte boundaries. Public
/// for `bench`, which joins the three parts as a page does.
pub fn parte(dati: &[u8]) -> Vec<u8> {
    comprimi(dati, QUALITA_DOCUMENTO, true)
}

/// One brotli stream of `prima`, the document's part `doc_br` and `dopo`.
fn pagina_br(prima: &[u8], doc_br: &[u8], dopo: &[u8]) -> Vec<u8> {
    let mut out = prima_br(prima);
    out.extend_from_slice(doc_br);
    out.extend_from_slice(&dopo_br(dopo));
    out
}

/// The page up to its document, compressed for each request (quality 0), its stream left
/// open. Public for `bench`, which times it.
pub fn prima_br(prima: &[u8]) -> Vec<u8> {
    apri(comprimi(prima, 0, false))
}

/// The page after its document, compressed for each request: quality 0 and "catable", a
/// last part, which closes the stream. Public for `bench`, which times it.
pub fn dopo_br(dopo: &[u8]) -> Vec<u8> {
    comprimi(dopo, 0, true)
}

/// `dati` (1 to 65,536 bytes) as an uncompressed meta-block, for the middle of a stream
/// between two parts on byte boundaries: a request's nonce between the parts of a kept page.
/// Its header, lowest bit first: ISLAST 0, MNIBBLES 4 (written 00), MLEN - 1 in 16 bits,
/// ISUNCOMPRESSED 1, then padding to the byte.
pub fn in_chiaro(dati: &[u8]) -> Option<Vec<u8>> {
    let mlen = u32::try_from(dati.len().checked_sub(1)?).ok()?;
    if mlen > 0xffff {
        return None;
    }
    let testa = (mlen << 3) | (1 << 19);
    let mut out = Vec::with_capacity(3 + dati.len());
    out.extend_from_slice(&testa.to_le_bytes()[..3]);
    out.extend_from_slice(dati);
    Some(out)
}

/// A whole stream left open: its last two bits before the closing padding (ISLAST and
/// ISLASTEMPTY, the empty meta-block that ends every stream) become an empty metadata
/// meta-block (ISLAST 0, MNIBBLES 3, a reserved 0, MSKIPBYTES 0), then padding to the byte.
fn apri(mut s: Vec<u8>) -> Vec<u8> {
    let n = s.len();
    // The encoder's stream of a non-empty input has at least its header, a meta-block
    // and the closing one: more than two bytes.
    assert!(n >= 2, "a brotli stream");
    let fine = u32::from(u16::from_le_bytes([s[n - 2], s[n - 1]]));
    let alto = 31 - fine.leading_zeros();
    assert!(
        alto >= 1 && fine >> (alto - 1) == 0b11,
        "a closed brotli stream"
    );
    let dove = alto - 1;
    // Lowest bit first: ISLAST 0, MNIBBLES 3 (binary 11), reserved 0, MSKIPBYTES 00.
    const METADATI_VUOTI: u64 = 0b000110;
    let bit = u64::from(fine & ((1 << dove) - 1)) | (METADATI_VUOTI << dove);
    s.truncate(n - 2);
    s.extend_from_slice(&bit.to_le_bytes()[..(dove as usize + 6).div_ceil(8)]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decomprimi(br: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).expect("a valid brotli stream");
        out
    }

    /// Pseudo-random bytes (xorshift): incompressible parts, stored uncompressed.
    fn casuali(n: usize, mut seme: u64) -> Vec<u8> {
        (0..n)
            .map(|_| {
                seme ^= seme << 13;
                seme ^= seme >> 7;
                seme ^= seme << 17;
                seme as u8
            })
            .collect()
    }

    fn html(n: usize) -> Vec<u8> {
        let riga = "<tr class=\"riga fase\"><th scope=\"row\">1.2</th><td>Ridurre i tempi medi \
                    di pagamento delle fatture</td><td>20%</td><td>31/12/2022</td></tr>\n";
        riga.repeat(n / riga.len() + 1).into_bytes()[..n].to_vec()
    }

    #[test]
    fn the_joined_stream_is_the_page() {
        let mut giri = 0;
        for (i, (a, b, c)) in [(1, 0, 1), (1, 1, 1), (7, 300, 2), (15_000, 70_000, 20_000)]
            .into_iter()
            .chain((0..40).map(|k| (1 + k * 997 % 30_000, k * 7_919 % 90_000, 1 + k * 3_571)))
            .enumerate()
        {
            for casuale in [false, true] {
                let fonte = if casuale {
                    casuali(a + b + c, i as u64 + 1)
                } else {
                    html(a + b + c)
                };
                let (prima, resto) = fonte.split_at(a);
                let (doc, dopo) = resto.split_at(b);
                let br = pagina_br(prima, &parte(doc), dopo);
                assert_eq!(decomprimi(&br), fonte, "parts of {a}, {b} and {c} bytes");
                giri += 1;
            }
        }
        assert_eq!(giri, 88);
    }

    #[test]
    fn bytes_in_the_clear_join_the_parts_around_them() {
        for (a, n, b) in [
            (1, 1, 1),
            (1, 22, 4_000),
            (9_000, 65_536, 1),
            (300, 7, 70_000),
        ] {
            let fonte = html(a + n + b);
            let (prima, resto) = fonte.split_at(a);
            let (chiaro, dopo) = resto.split_at(n);
            let mut br = prima_br(prima);
            br.extend_from_slice(&in_chiaro(chiaro).expect("1 to 65,536 bytes"));
            br.extend_from_slice(&parte(dopo));
            br.extend_from_slice(&in_chiaro(chiaro).expect("1 to 65,536 bytes"));
            br.extend_from_slice(&dopo_br(prima));
            let mut atteso = fonte.clone();
            atteso.extend_from_slice(chiaro);
            atteso.extend_from_slice(prima);
            assert_eq!(decomprimi(&br), atteso, "{a}, {n} and {b} bytes");
        }
        assert_eq!(in_chiaro(b""), None);
        assert_eq!(in_chiaro(&[b'x'; 65_537]), None);
    }

    #[test]
    fn the_document_is_written_where_each_marker_is() {
        let m = segnaposto();
        let pagina = format!("<main>{m}</main><aside>{m}</aside>");
        let pagina = pagina.as_bytes();
        assert_eq!(
            scritto_dentro(pagina, &posti(pagina), "<p>doc</p>"),
            b"<main><p>doc</p></main><aside><p>doc</p></aside>"
        );
        assert!(posti(b"<p>nessuno</p>").is_empty());
    }

    #[test]
    fn brotli_is_taken_unless_refused() {
        let con = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(ACCEPT_ENCODING, HeaderValue::from_static(v));
            accetta_br(&h)
        };
        assert!(con("gzip, deflate, br, zstd"));
        assert!(con("br;q=0.5, gzip"));
        assert!(con("BR"));
        assert!(!con("gzip, deflate"));
        assert!(!con("br;q=0, gzip"));
        assert!(!con("brotli"));
        assert!(!accetta_br(&HeaderMap::new()));
    }
}
