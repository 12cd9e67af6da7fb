//! The preload links of a page with `crossorigin=""`, not the response's nonce.
//!
//! Leptos writes the response's nonce as the `crossorigin` value of the preload links it
//! puts in a page's head (`HydrationScripts`, and one per wasm chunk of a split route):
//! eighteen of the plan page's 22 nonces. Such a value is invalid HTML, read by browsers as
//! "anonymous", the state `crossorigin=""` names; and, new in every response, it kept the
//! head of a kept page from being kept compressed (`pagine_tenute`): its nonce is now only
//! on its scripts, which need it.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;
use memchr::memmem;

use crate::innesto::sostituiti;

/// A layer's function (`axum::middleware::from_fn`), inside the kept pages' layer: a page's
/// links are rewritten before it is kept.
pub async fn anonimo(req: Request, next: Next) -> Response {
    let risposta = next.run(req).await;
    let h = risposta.headers();
    let html = (h.get(CONTENT_TYPE)).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let Some(nonce) = (h.get(CONTENT_SECURITY_POLICY))
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_della_politica)
        .filter(|_| html)
    else {
        return risposta;
    };
    let (mut parti, corpo) = risposta.into_parts();
    parti.headers.remove(CONTENT_LENGTH);
    let cerca = format!("crossorigin=\"{nonce}\"").into_bytes();
    // The links are in the head, which Leptos sends whole in its first chunk: the chunks up
    // to the end of the head are read, the rest passed on.
    let mut nella_testa = true;
    let corpo = corpo.map_frame(move |frame| {
        frame.map_data(|dati: Bytes| {
            if !nella_testa {
                return dati;
            }
            nella_testa = memmem::find(&dati, b"</head>").is_none();
            senza_nonce(dati, &cerca)
        })
    });
    Response::from_parts(parti, Body::new(corpo))
}

/// The nonce of a Content-Security-Policy (`'nonce-…'`).
pub(crate) fn nonce_della_politica(csp: &str) -> Option<String> {
    let da = csp.find("'nonce-")? + "'nonce-".len();
    let n = &csp[da..];
    let n = &n[..n.find('\'')?];
    (!n.is_empty()).then(|| n.to_string())
}

/// `dati` with every `cerca` (`crossorigin="<nonce>"`) written `crossorigin=""`.
fn senza_nonce(dati: Bytes, cerca: &[u8]) -> Bytes {
    let mut posti = memmem::find_iter(&dati, cerca).peekable();
    if posti.peek().is_none() {
        return dati;
    }
    Bytes::from(sostituiti(&dati, posti, cerca.len(), b"crossorigin=\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_nonce_of_crossorigin_goes() {
        let cerca = b"crossorigin=\"N0n-ce_\"";
        let pagina = Bytes::from_static(
            b"<link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"N0n-ce_\">\
              <link rel=\"preload\" crossorigin=\"N0n-ce_\" as=\"fetch\">\
              <script type=\"module\" nonce=\"N0n-ce_\">x</script>",
        );
        assert_eq!(
            &senza_nonce(pagina, cerca)[..],
            b"<link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"\">\
              <link rel=\"preload\" crossorigin=\"\" as=\"fetch\">\
              <script type=\"module\" nonce=\"N0n-ce_\">x</script>"
        );
        let senza = Bytes::from_static(b"<p>crossorigin=\"altro\"</p>");
        assert_eq!(senza_nonce(senza.clone(), cerca), senza);
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let csp = app::shell::content_security_policy("AbC-_9");
        assert_eq!(nonce_della_politica(&csp).as_deref(), Some("AbC-_9"));
        assert_eq!(nonce_della_politica("default-src 'self'"), None);
        assert_eq!(nonce_della_politica("script-src 'nonce-'"), None);
    }
}
