//! Checking a signed copy that comes back: a PDF with a PAdES signature or a CAdES `.p7m`.
//! The signature must verify (message digest over exactly the signed bytes, signature over
//! the signed attributes with the signer certificate's key); what was signed is returned so
//! the caller can compare it with the exports it made. Every refusal says why, in Italian.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::OctetString;
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::firma::{
    ECDSA_WITH_SHA256, EC_PUBLIC_KEY, ID_MESSAGE_DIGEST, ID_SHA256, ID_SIGNED_DATA,
    ID_SIGNING_TIME, RSA_ENCRYPTION, SHA256_WITH_RSA,
};

/// PAdES (signed PDF) or CAdES (.p7m envelope): one type with the pages.
pub use crate::model::FormatoFirma as Formato;

/// A signature that verifies, and what it covers.
#[derive(Debug, Clone)]
pub struct Verificata {
    pub formato: Formato,
    pub firmatario: String,
    pub firmato_il: Option<chrono::DateTime<chrono::Utc>>,
    /// PAdES: the bytes the signature covers start with the exported PDF, which ends
    /// at most at `fine_firmato` (the start of /Contents). CAdES: the content itself.
    pub contenuto: Vec<u8>,
    pub fine_firmato: usize,
}

fn rifiuta<T>(m: &str) -> Result<T, String> {
    Err(m.to_string())
}

const NON_VALIDA: &str = "La firma non è valida: il documento è stato modificato dopo la firma oppure la firma è danneggiata.";
const PIU_FIRME: &str = "La busta contiene più firme: è accettata una sola firma per file.";

/// Header length and total length of the DER element at the start of `b`.
pub(super) fn misure_der(b: &[u8]) -> Option<(usize, usize)> {
    let l0 = *b.get(1)? as usize;
    if l0 < 0x80 {
        return Some((2, 2 + l0));
    }
    let n = l0 & 0x7f;
    if n == 0 || n > 4 {
        return None;
    }
    let mut l = 0usize;
    for i in 0..n {
        l = (l << 8) | *b.get(2 + i)? as usize;
    }
    Some((2 + n, 2 + n + l))
}

fn lunghezza_der(b: &[u8]) -> Option<usize> {
    misure_der(b).map(|(_, t)| t)
}

/// The children of a constructed DER element: (tag, whole element bytes).
pub(super) fn figli(elemento: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let (intest, tot) = misure_der(elemento)?;
    let mut corpo = elemento.get(intest..tot)?;
    let mut out = Vec::new();
    while !corpo.is_empty() {
        let l = lunghezza_der(corpo)?;
        out.push((corpo[0], corpo.get(..l)?));
        corpo = &corpo[l..];
    }
    Some(out)
}

/// The signed attributes of the only SignerInfo exactly as they were encoded (re-encoding
/// could reorder them), with the SET tag the signature was computed over.
fn attributi_grezzi(cms: &[u8]) -> Option<Vec<u8>> {
    let ci = figli(cms)?;
    let sd = figli(ci.get(1)?.1)?; // [0] EXPLICIT
    let sd = figli(sd.first()?.1)?; // SignedData SEQUENCE
    let infos = sd.iter().rev().find(|(t, _)| *t == 0x31)?.1; // signerInfos SET (last)
    let info = figli(infos)?;
    if info.len() != 1 {
        return None;
    }
    let campi = figli(info[0].1)?;
    let (_, grezzi) = campi.iter().find(|(t, _)| *t == 0xA0)?;
    let mut v = grezzi.to_vec();
    v[0] = 0x31;
    Some(v)
}

pub fn nome_comune(cert: &Certificate) -> String {
    const CN: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");
    for rdn in cert.tbs_certificate.subject.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == CN {
                if let Ok(s) = der::asn1::Utf8StringRef::try_from(&atv.value) {
                    return s.as_str().to_string();
                }
                if let Ok(s) = der::asn1::PrintableStringRef::try_from(&atv.value) {
                    return s.as_str().to_string();
                }
            }
        }
    }
    cert.tbs_certificate.subject.to_string()
}

fn verifica_firma(
    cert: &Certificate,
    alg: &der::asn1::ObjectIdentifier,
    messaggio: &[u8],
    firma: &[u8],
) -> Result<(), String> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let spki_der = spki.to_der().map_err(|_| NON_VALIDA.to_string())?;
    use pkcs8::DecodePublicKey;
    match spki.algorithm.oid {
        RSA_ENCRYPTION if *alg == RSA_ENCRYPTION || *alg == SHA256_WITH_RSA => {
            let k = rsa::RsaPublicKey::from_public_key_der(&spki_der)
                .map_err(|_| NON_VALIDA.to_string())?;
            let h = Sha256::digest(messaggio);
            k.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &h, firma)
                .map_err(|_| NON_VALIDA.to_string())
        }
        EC_PUBLIC_KEY if *alg == ECDSA_WITH_SHA256 => {
            use p256::ecdsa::signature::Verifier;
            let k = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der).map_err(|_| {
                "La firma usa una curva ellittica non supportata (è supportata P-256).".to_string()
            })?;
            let s = p256::ecdsa::Signature::from_der(firma).map_err(|_| NON_VALIDA.to_string())?;
            k.verify(messaggio, &s).map_err(|_| NON_VALIDA.to_string())
        }
        _ => rifiuta("Algoritmo di firma non supportato: sono accettate firme RSA (PKCS#1 v1.5) ed ECDSA P-256 con SHA-256."),
    }
}

/// Signer's name, signing time if stated, content signed.
pub type CmsVerificato = (String, Option<chrono::DateTime<chrono::Utc>>, Vec<u8>);

/// Verifies a CMS SignedData over `contenuto` (detached) or over its own content (attached,
/// `contenuto` None). Returns the signer's name, the signing time if stated, and the
/// content signed.
pub fn verifica_cms(cms: &[u8], contenuto: Option<&[u8]>) -> Result<CmsVerificato, String> {
    let illeggibile = "La firma non è leggibile: il file non contiene una busta CMS/PKCS#7 valida.";
    let cms = cms
        .get(..lunghezza_der(cms).ok_or(illeggibile)?)
        .ok_or(illeggibile)?;
    let ci = ContentInfo::from_der(cms).map_err(|_| illeggibile.to_string())?;
    if ci.content_type != ID_SIGNED_DATA {
        return rifiuta(illeggibile);
    }
    let sd: SignedData = ci
        .content
        .decode_as()
        .map_err(|_| illeggibile.to_string())?;
    let dati = match (contenuto, &sd.encap_content_info.econtent) {
        (Some(c), _) => c.to_vec(),
        (None, Some(e)) => e
            .decode_as::<OctetString>()
            .map_err(|_| illeggibile.to_string())?
            .into_bytes(),
        (None, None) => return rifiuta("La busta firmata non contiene il documento."),
    };
    // Exactly one SignerInfo: decoding sorts a SET OF, so with two the one decoded first
    // need not be the one first in the bytes (where the signed attributes are read).
    let info = match sd.signer_infos.0.as_slice() {
        [] => return rifiuta("La busta non contiene alcuna firma."),
        [info] => info,
        _ => return rifiuta(PIU_FIRME),
    };
    if info.digest_alg.oid != ID_SHA256 {
        return rifiuta("La firma usa un algoritmo di hash non supportato: è richiesto SHA-256.");
    }
    let certificati: Vec<&Certificate> = sd
        .certificates
        .as_ref()
        .map(|s| {
            s.0.iter()
                .filter_map(|c| match c {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut del_firmatario = certificati.into_iter().filter(|c| match &info.sid {
        SignerIdentifier::IssuerAndSerialNumber(i) => {
            c.tbs_certificate.issuer == i.issuer
                && c.tbs_certificate.serial_number == i.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate
            .get::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, k)| k.0 == ski.0),
    });
    let cert = del_firmatario
        .next()
        .ok_or("La busta non contiene il certificato del firmatario.")?;
    if del_firmatario.next().is_some() {
        return rifiuta("La busta contiene più certificati che corrispondono al firmatario.");
    }
    let attributi = info
        .signed_attrs
        .as_ref()
        .ok_or("La firma non ha attributi firmati (richiesti da CAdES e PAdES).")?;
    // One message-digest attribute with one value (RFC 5652, 11.2).
    let digest_dichiarato = match attributi
        .iter()
        .filter(|a| a.oid == ID_MESSAGE_DIGEST)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [a] if a.values.len() == 1 => a
            .values
            .iter()
            .next()
            .and_then(|v| v.decode_as::<OctetString>().ok())
            .map(|o| o.into_bytes()),
        _ => return rifiuta(NON_VALIDA),
    };
    let mut ora = None;
    for a in attributi.iter() {
        if a.oid == ID_SIGNING_TIME {
            ora = a
                .values
                .iter()
                .next()
                .and_then(|v| v.to_der().ok())
                .and_then(|d| x509_cert::time::Time::from_der(&d).ok())
                .and_then(|t| {
                    chrono::DateTime::from_timestamp(t.to_unix_duration().as_secs() as i64, 0)
                });
        }
    }
    let digest = Sha256::digest(&dati);
    if digest_dichiarato.as_deref() != Some(digest.as_slice()) {
        return rifiuta(NON_VALIDA);
    }
    // The bytes signed are those attributes, as decoded above (so the digest and the
    // signature come from the same SignerInfo).
    let grezzi = attributi_grezzi(cms).ok_or(illeggibile)?;
    if cms::signed_data::SignedAttributes::from_der(&grezzi)
        .ok()
        .as_ref()
        != Some(attributi)
    {
        return rifiuta(NON_VALIDA);
    }
    verifica_firma(
        cert,
        &info.signature_algorithm.oid,
        &grezzi,
        info.signature.as_bytes(),
    )?;
    Ok((nome_comune(cert), ora, dati))
}

/// "D:20221231120000+01'00'" → UTC.
fn data_pdf(s: &[u8]) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = std::str::from_utf8(s).ok()?.strip_prefix("D:")?;
    let base = chrono::NaiveDateTime::parse_from_str(s.get(..14)?, "%Y%m%d%H%M%S").ok()?;
    let resto = s.get(14..).unwrap_or("");
    let offset = match resto.chars().next() {
        Some(segno @ ('+' | '-')) => {
            let h: i64 = resto.get(1..3)?.parse().ok()?;
            let m: i64 = resto.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(0);
            let o = h * 3600 + m * 60;
            if segno == '+' {
                o
            } else {
                -o
            }
        }
        _ => 0,
    };
    Some(base.and_utc() - chrono::Duration::seconds(offset))
}

/// An uploaded copy is at most this big: the upload limit (checked here too, for callers
/// other than the upload).
pub use crate::domain::caricamento::FILE_MAX as MAX_FILE;
/// lopdf decodes object streams and cross-reference streams while it loads a file (other
/// streams only when asked): all together at most this much,
const MAX_DECOMPRESSO: usize = 64 * 1024 * 1024;
/// each at most this much (the cross-reference stream of MAX_OGGETTI objects is under 2 MB),
const MAX_FLUSSO: usize = 4 * 1024 * 1024;
/// in at most this many cross-reference sections (the export, the signature, a few more).
const MAX_SEZIONI: usize = 8;
const MAX_OGGETTI: usize = 200_000;

use crate::domain::caricamento::TROPPO_GRANDE;
const TROPPI_DATI: &str = "Il PDF contiene troppi dati compressi (oltre 64 MB una volta decompressi): non è una copia dell'allegato.";
const TROPPI_OGGETTI: &str =
    "Il PDF contiene troppi oggetti (oltre 200.000): non è una copia dell'allegato.";
const TROPPE_SEZIONI: &str =
    "Il PDF contiene troppe revisioni (aggiornamenti incrementali): non è una copia dell'allegato.";
const ILLEGGIBILE: &str = "Il file non è un PDF leggibile.";

/// What lopdf has loaded so far on this thread (it loads on the calling thread: lopdf is
/// built without rayon).
#[derive(Clone, Copy, Default)]
struct Conto {
    oggetti: usize,
    decompressi: usize,
    budget: usize,
    superato: Option<&'static str>,
}

thread_local! {
    static CONTO: std::cell::Cell<Conto> = std::cell::Cell::new(Conto::default());
}

/// lopdf's filter, called for every object it reads (object-stream members too): counts
/// them, and decodes each object stream within what is left of the budget before lopdf
/// does. Past a limit nothing more is kept, so nothing more is decoded.
fn conta(id: lopdf::ObjectId, o: &mut lopdf::Object) -> Option<(lopdf::ObjectId, lopdf::Object)> {
    let mut c = CONTO.get();
    if c.superato.is_none() {
        c.oggetti += 1;
        if c.oggetti > MAX_OGGETTI {
            c.superato = Some(TROPPI_OGGETTI);
        } else if let lopdf::Object::Stream(s) = o {
            if s.dict.has_type(b"ObjStm") {
                let mut copia = s.clone();
                let resto = c.budget.saturating_sub(c.decompressi).min(MAX_FLUSSO);
                match copia.decompress_with_limit(resto) {
                    Ok(()) => c.decompressi += copia.content.len(),
                    Err(lopdf::Error::Decompress(
                        lopdf::DecompressError::MemoryLimitExceeded { .. },
                    )) => c.superato = Some(TROPPI_DATI),
                    // Undecodable: lopdf skips it too.
                    Err(_) => {}
                }
            }
        }
        CONTO.set(c);
    }
    c.superato.is_none().then(|| (id, o.clone()))
}

/// The names in the raw bytes (#xx escapes decoded), wherever they are: read before lopdf
/// parses anything. A name-like run in binary data counts too, so this may over-count.
fn nomi(dati: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let fine = |c: u8| c.is_ascii_whitespace() || c == 0 || b"()<>[]{}/%".contains(&c);
    dati.iter()
        .enumerate()
        .filter(|(_, &c)| c == b'/')
        .map(move |(i, _)| {
            let mut nome = Vec::new();
            let mut j = i + 1;
            while j < dati.len() && !fine(dati[j]) && nome.len() < 16 {
                let escape = (dati[j] == b'#')
                    .then(|| dati.get(j + 1..j + 3))
                    .flatten()
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match escape {
                    Some(v) => {
                        nome.push(v);
                        j += 3;
                    }
                    None => {
                        nome.push(dati[j]);
                        j += 1;
                    }
                }
            }
            nome
        })
}

/// Loads an uploaded PDF within the limits above, so that a small file cannot make the
/// server inflate gigabytes or build millions of objects.
pub fn carica_pdf(dati: &[u8]) -> Result<lopdf::Document, String> {
    if dati.len() > MAX_FILE {
        return rifiuta(TROPPO_GRANDE);
    }
    let mut sezioni = 1;
    for n in nomi(dati) {
        match n.as_slice() {
            b"Prev" | b"XRefStm" => sezioni += 1,
            // An encrypted file is loaded by lopdf without the filter: not ours anyway.
            b"Encrypt" => return rifiuta("Il PDF è cifrato: carica una copia non protetta."),
            _ => {}
        }
    }
    if sezioni > MAX_SEZIONI {
        return rifiuta(TROPPE_SEZIONI);
    }
    // Cross-reference streams are decoded before any object, at most MAX_FLUSSO each: what
    // they may take is set aside, the rest is for object streams.
    CONTO.set(Conto {
        budget: MAX_DECOMPRESSO - sezioni * MAX_FLUSSO,
        ..Conto::default()
    });
    let opzioni = lopdf::LoadOptions {
        filter: Some(conta),
        max_decompressed_size: Some(MAX_FLUSSO),
        ..Default::default()
    };
    let letto = lopdf::Document::load_mem_with_options(dati, opzioni);
    if let Some(m) = CONTO.take().superato {
        return rifiuta(m);
    }
    let doc = match letto {
        Ok(d) => d,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return rifiuta(TROPPI_DATI)
        }
        Err(_) => return rifiuta(ILLEGGIBILE),
    };
    if doc.reference_table.entries.len() > MAX_OGGETTI {
        return rifiuta(TROPPI_OGGETTI);
    }
    Ok(doc)
}

const INTERVALLO: &str = "La firma non copre tutto il file: l'intervallo firmato (/ByteRange) deve escludere soltanto il valore della firma (/Contents).";

/// The bytes a signature leaves out must be exactly the /Contents hex string of its own
/// dictionary (ISO 32000-1, 12.8.1): anything else left out could change after signing.
fn solo_contents(
    pdf: &[u8],
    doc: &lopdf::Document,
    id: lopdf::ObjectId,
    (b, c): (usize, usize),
    cms: &[u8],
) -> Result<(), String> {
    let buco = &pdf[b..c];
    let stringa = buco.len() >= 2
        && buco[0] == b'<'
        && buco[buco.len() - 1] == b'>'
        && hex::decode(&buco[1..buco.len() - 1]).ok().as_deref() == Some(cms);
    let chiave = pdf[..b].trim_ascii_end().ends_with(b"/Contents");
    let nel_dizionario = match doc.reference_table.get(id.0) {
        Some(lopdf::xref::XrefEntry::Normal { offset, generation }) => {
            let inizio = *offset as usize;
            *generation == id.1 && inizio < b && !pdf[inizio..b].windows(6).any(|w| w == b"endobj")
        }
        _ => false,
    };
    if stringa && chiave && nel_dizionario {
        Ok(())
    } else {
        rifiuta(INTERVALLO)
    }
}

/// A PDF with a PAdES (or adbe.pkcs7.detached) signature: the last signature must cover
/// the whole file but its own value.
pub fn verifica_pades(pdf: &[u8]) -> Result<Verificata, String> {
    use lopdf::Object;
    let doc = carica_pdf(pdf)?;
    // (dictionary, ByteRange, CMS, /M)
    type Firma = (lopdf::ObjectId, Vec<i64>, Vec<u8>, Option<Vec<u8>>);
    let mut firme: Vec<Firma> = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(d) = obj.as_dict() else { continue };
        let (Ok(Object::Array(br)), Ok(Object::String(contenuto, _))) =
            (d.get(b"ByteRange"), d.get(b"Contents"))
        else {
            continue;
        };
        let br: Vec<i64> = br
            .iter()
            .map(|o| o.as_i64().ok())
            .collect::<Option<_>>()
            .unwrap_or_default();
        let m = d
            .get(b"M")
            .ok()
            .and_then(|m| m.as_str().ok())
            .map(<[u8]>::to_vec);
        firme.push((*id, br, contenuto.clone(), m));
    }
    let (id, br, cms, m) = firme
        .into_iter()
        .max_by_key(|(_, br, ..)| br.get(2).copied().unwrap_or(0) + br.get(3).copied().unwrap_or(0))
        .ok_or("Il PDF non contiene firme digitali: firmalo in formato PAdES, oppure carica il file .p7m.")?;
    let br: Vec<usize> = br.iter().filter_map(|&v| usize::try_from(v).ok()).collect();
    let [a, b, c, d] = br[..] else {
        return rifiuta(NON_VALIDA);
    };
    if a != 0 || b >= c || c > pdf.len() {
        return rifiuta(NON_VALIDA);
    }
    if c.checked_add(d) != Some(pdf.len()) {
        return rifiuta(
            "Il file è stato modificato dopo la firma (contiene aggiunte non firmate).",
        );
    }
    solo_contents(pdf, &doc, id, (b, c), &cms)?;
    let mut firmato = pdf[..b].to_vec();
    firmato.extend_from_slice(&pdf[c..]);
    let (firmatario, ora, _) = verifica_cms(&cms, Some(&firmato))?;
    Ok(Verificata {
        formato: Formato::Pades,
        firmatario,
        firmato_il: ora.or_else(|| m.as_deref().and_then(data_pdf)),
        contenuto: firmato,
        fine_firmato: b,
    })
}

const CONTENUTO_MODIFICATO: &str = "Il file firmato modifica il contenuto del documento esportato (oltre ad aggiungere la firma): firma il PDF scaricato da questa pagina senza modificarlo.";
const CAMPO_ATTIVO: &str = "Il campo della firma contiene azioni (/A, /AA) o un disegno sulla pagina (/AP): è accettata solo la firma, senza elementi che cambiano ciò che il documento mostra o fa.";

fn modificato<T>() -> Result<T, String> {
    rifiuta(CONTENUTO_MODIFICATO)
}

fn uguali(a: &lopdf::Object, b: &lopdf::Object) -> bool {
    match (a, b) {
        (lopdf::Object::Stream(x), lopdf::Object::Stream(y)) => {
            x.dict == y.dict && x.content == y.content
        }
        _ => a == b,
    }
}

fn tipo(o: &lopdf::Object) -> Option<&[u8]> {
    let d = match o {
        lopdf::Object::Dictionary(d) => d,
        lopdf::Object::Stream(s) => &s.dict,
        _ => return None,
    };
    d.get(b"Type").and_then(lopdf::Object::as_name).ok()
}

fn senza_azioni(d: &lopdf::Dictionary) -> Result<(), String> {
    if d.has(b"A") || d.has(b"AA") {
        return rifiuta(CAMPO_ATTIVO);
    }
    Ok(())
}

/// An appearance stream that draws nothing: blanks and comments only (decoded within a
/// small limit: such a stream is a few bytes).
fn vuoto(s: &lopdf::Stream) -> Result<(), String> {
    let mut s = s.clone();
    if s.decompress_with_limit(64 * 1024).is_err() {
        return rifiuta(CAMPO_ATTIVO);
    }
    let mut commento = false;
    for &c in &s.content {
        match c {
            b'\r' | b'\n' => commento = false,
            b'%' => commento = true,
            c if commento || c.is_ascii_whitespace() || c == 0 => {}
            _ => return rifiuta(CAMPO_ATTIVO),
        }
    }
    Ok(())
}

/// The objects that a signing tool's update may add to the export, found by following the
/// references from the catalog and pages it changed, each checked to be a piece of a
/// signature: the form, signature fields and widgets, their empty appearances, the
/// signature dictionary, the form's fonts.
struct Aggiunte<'a> {
    esportato: &'a lopdf::Document,
    firmato: &'a lopdf::Document,
    ammessi: std::collections::BTreeSet<lopdf::ObjectId>,
}

impl<'a> Aggiunte<'a> {
    /// `o`, or the object it refers to in the signed file, which may then be there (the
    /// caller checks what it is).
    fn segui(&mut self, o: &'a lopdf::Object) -> Result<&'a lopdf::Object, String> {
        match o {
            lopdf::Object::Reference(r) => {
                self.ammessi.insert(*r);
                self.firmato
                    .get_object(*r)
                    .map_err(|_| CONTENUTO_MODIFICATO.to_string())
            }
            o => Ok(o),
        }
    }

    fn dizionario(&mut self, o: &'a lopdf::Object) -> Result<&'a lopdf::Dictionary, String> {
        self.segui(o)?
            .as_dict()
            .map_err(|_| CONTENUTO_MODIFICATO.to_string())
    }

    fn array(&mut self, o: &'a lopdf::Object) -> Result<&'a Vec<lopdf::Object>, String> {
        self.segui(o)?
            .as_array()
            .map_err(|_| CONTENUTO_MODIFICATO.to_string())
    }

    /// An array of the export (as it was there), empty if absent.
    fn array_esportato(&self, o: Option<&'a lopdf::Object>) -> Vec<lopdf::Object> {
        o.and_then(|o| self.esportato.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok())
            .cloned()
            .unwrap_or_default()
    }

    /// The catalog may gain the form with the signature fields (/AcroForm) and the
    /// certification permissions (/Perms), nothing else.
    fn catalogo(
        &mut self,
        prima: &'a lopdf::Dictionary,
        dopo: &'a lopdf::Dictionary,
    ) -> Result<(), String> {
        use lopdf::Object;
        if let Ok(form) = dopo.get(b"AcroForm") {
            if prima.get(b"AcroForm").ok() != Some(form) {
                let vecchio = prima
                    .get(b"AcroForm")
                    .ok()
                    .and_then(|f| self.esportato.dereference(f).ok())
                    .and_then(|(_, f)| f.as_dict().ok())
                    .and_then(|f| f.get(b"Fields").ok());
                let vecchi = self.array_esportato(vecchio);
                for (k, v) in self.dizionario(form)?.iter() {
                    match k.as_slice() {
                        b"Fields" => {
                            for f in self.array(v)? {
                                if !vecchi.contains(f) {
                                    self.campo(f)?;
                                }
                            }
                        }
                        b"SigFlags" | b"DA" => {}
                        b"DR" => {
                            for (_, gruppo) in self.dizionario(v)?.iter() {
                                for (_, r) in self.dizionario(gruppo)?.iter() {
                                    let r = self.segui(r)?;
                                    if !matches!(tipo(r), Some(b"Font" | b"Encoding"))
                                        || matches!(r, Object::Stream(_))
                                    {
                                        return modificato();
                                    }
                                }
                            }
                        }
                        // XFA above all: some viewers show its form instead of the pages.
                        _ => return modificato(),
                    }
                }
            }
        }
        if let Ok(perms) = dopo.get(b"Perms") {
            if prima.get(b"Perms").ok() != Some(perms) {
                for (k, v) in self.dizionario(perms)?.iter() {
                    if k.as_slice() != b"DocMDP" {
                        return modificato();
                    }
                    self.firma(v)?;
                }
            }
        }
        Ok(())
    }

    /// A page may gain signature widgets in /Annots, and keeps those it had.
    fn pagina(
        &mut self,
        prima: &'a lopdf::Dictionary,
        dopo: &'a lopdf::Dictionary,
    ) -> Result<(), String> {
        let vecchie = self.array_esportato(prima.get(b"Annots").ok());
        let nuove = match dopo.get(b"Annots") {
            Ok(a) => self.array(a)?,
            Err(_) if vecchie.is_empty() => return Ok(()),
            Err(_) => return modificato(),
        };
        if !vecchie.iter().all(|a| nuove.contains(a)) {
            return modificato();
        }
        for a in nuove {
            if !vecchie.contains(a) {
                self.widget(a)?;
            }
        }
        Ok(())
    }

    /// A field of the form: a signature field with its widgets.
    fn campo(&mut self, o: &'a lopdf::Object) -> Result<(), String> {
        let d = self.dizionario(o)?;
        if d.get(b"FT").and_then(lopdf::Object::as_name).ok() != Some(b"Sig".as_slice()) {
            return modificato();
        }
        senza_azioni(d)?;
        if let Ok(v) = d.get(b"V") {
            self.firma(v)?;
        }
        if let Ok(figli) = d.get(b"Kids") {
            for w in self.array(figli)? {
                self.widget(w)?;
            }
        }
        if d.has(b"Subtype") {
            // Field and widget in one dictionary.
            self.widget(o)?;
        }
        Ok(())
    }

    /// A widget of a signature field, which does nothing and draws nothing.
    fn widget(&mut self, o: &'a lopdf::Object) -> Result<(), String> {
        use lopdf::Object;
        let d = self.dizionario(o)?;
        if d.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Widget".as_slice()) {
            return modificato();
        }
        let campo = match d.get(b"Parent") {
            Ok(p) => self.dizionario(p)?,
            Err(_) => d,
        };
        if campo.get(b"FT").and_then(Object::as_name).ok() != Some(b"Sig".as_slice()) {
            return modificato();
        }
        senza_azioni(d)?;
        senza_azioni(campo)?;
        if let Ok(v) = campo.get(b"V") {
            self.firma(v)?;
        }
        if let Ok(ap) = d.get(b"AP") {
            // /N, /R, /D: a stream, or one per state.
            for (_, aspetto) in self.dizionario(ap)?.iter() {
                match self.segui(aspetto)? {
                    Object::Stream(s) => vuoto(s)?,
                    Object::Dictionary(stati) => {
                        for (_, s) in stati.iter() {
                            match self.segui(s)? {
                                Object::Stream(s) => vuoto(s)?,
                                _ => return rifiuta(CAMPO_ATTIVO),
                            }
                        }
                    }
                    _ => return rifiuta(CAMPO_ATTIVO),
                }
            }
        }
        Ok(())
    }

    /// The signature dictionary a field points to.
    fn firma(&mut self, o: &'a lopdf::Object) -> Result<(), String> {
        let d = self.dizionario(o)?;
        let tipo = d.get(b"Type").and_then(lopdf::Object::as_name).ok();
        if d.has(b"ByteRange") && d.has(b"Contents") && matches!(tipo, None | Some(b"Sig")) {
            Ok(())
        } else {
            modificato()
        }
    }
}

/// A signing tool appends an incremental update to the exported PDF: the signature
/// dictionary, a signature field and widget on a page, the form in the catalog. It must not
/// change what the document shows or does: the same catalog (so the same page tree), every
/// object of the export still there and unchanged but the catalog (which may gain /AcroForm
/// and /Perms) and pages (which may gain signature widgets in /Annots), and no new object
/// but those pieces of the signature (and the update's cross-reference and object streams).
pub fn solo_firma_aggiunta(esportato: &[u8], firmato: &[u8]) -> Result<(), String> {
    use lopdf::Object;
    let a = carica_pdf(esportato)?;
    let b = carica_pdf(firmato)?;
    let radice = |d: &lopdf::Document| d.trailer.get(b"Root").and_then(Object::as_reference).ok();
    let Some(catalogo) = radice(&a) else {
        return rifiuta(ILLEGGIBILE);
    };
    if radice(&b) != Some(catalogo) {
        return modificato();
    }
    let mut aggiunte = Aggiunte {
        esportato: &a,
        firmato: &b,
        ammessi: Default::default(),
    };
    for (id, prima) in &a.objects {
        let dopo = b.objects.get(id).ok_or(CONTENUTO_MODIFICATO)?;
        if uguali(prima, dopo) {
            continue;
        }
        let (Ok(pd), Ok(dd)) = (prima.as_dict(), dopo.as_dict()) else {
            return modificato();
        };
        let pagina = tipo(prima) == Some(b"Page") && tipo(dopo) == Some(b"Page");
        let ammesse: &[&[u8]] = if *id == catalogo {
            &[b"AcroForm", b"Perms"]
        } else if pagina {
            &[b"Annots"]
        } else {
            return modificato();
        };
        let chiavi: std::collections::BTreeSet<&[u8]> = pd
            .iter()
            .chain(dd.iter())
            .map(|(k, _)| k.as_slice())
            .collect();
        for k in chiavi {
            if !ammesse.contains(&k) && pd.get(k).ok() != dd.get(k).ok() {
                return modificato();
            }
        }
        if *id == catalogo {
            aggiunte.catalogo(pd, dd)?;
        } else {
            aggiunte.pagina(pd, dd)?;
        }
    }
    for (id, o) in &b.objects {
        let contenitore =
            matches!(o, Object::Stream(_)) && matches!(tipo(o), Some(b"XRef" | b"ObjStm"));
        if !a.objects.contains_key(id) && !aggiunte.ammessi.contains(id) && !contenitore {
            return modificato();
        }
    }
    Ok(())
}

/// A `.p7m` (DER, or Base64 as some tools write it).
pub fn verifica_p7m(dati: &[u8]) -> Result<Verificata, String> {
    let der: Vec<u8> = if dati.first() == Some(&0x30) {
        dati.to_vec()
    } else {
        let testo: String = String::from_utf8_lossy(dati)
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("");
        base64_decode(testo.trim()).ok_or("Il file non è una busta .p7m valida.")?
    };
    let (firmatario, ora, contenuto) = verifica_cms(&der, None)?;
    if !contenuto.starts_with(b"%PDF") {
        return rifiuta("La busta .p7m non contiene un PDF.");
    }
    let n = contenuto.len();
    Ok(Verificata {
        formato: Formato::Cades,
        firmatario,
        firmato_il: ora,
        contenuto,
        fine_firmato: n,
    })
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b'\r' | b'\n' | b' ' => continue,
            _ => return None,
        } as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Either kind, told apart by content.
pub fn verifica(dati: &[u8]) -> Result<Verificata, String> {
    if dati.len() > MAX_FILE {
        return rifiuta(TROPPO_GRANDE);
    }
    if dati.starts_with(b"%PDF") {
        verifica_pades(dati)
    } else {
        verifica_p7m(dati)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates() {
        let d = data_pdf(b"D:20221231120000+01'00'").unwrap();
        assert_eq!(d.to_rfc3339(), "2022-12-31T11:00:00+00:00");
        assert!(data_pdf(b"D:2022").is_none());
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
    }
}
