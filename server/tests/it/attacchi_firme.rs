//! Attacks on the signed copies and signing certificates that come back to the server: each
//! test builds the malicious file (a forged "signed elsewhere" copy, a mixed CMS envelope, a
//! decompression bomb, a PKCS#12 that would keep the server deriving keys for hours) and
//! checks that it is refused, with the reason in Italian.

use std::time::{Duration, Instant};

use app::ssr::allegato::firma::{self, FirmatarioLocale};
use app::ssr::allegato::verifica;
use axum::http::StatusCode;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{SignedData, SignerInfos};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use lopdf::{dictionary, Dictionary, Document, IncrementalDocument, Object, Stream};
use server::testing::TestDb;
use sha2::{Digest, Sha256};
use x509_cert::attr::Attribute;

use crate::allegato::{carica, certificato, errore, piano_approvato, salva_certificato, Cartella};
use crate::support::{state, two_tenants, Client};

/// Ente A's approved 2022 plan, its final export (recorded, so that a signed copy of it may
/// be archived) and someone else's key and certificate to sign copies "elsewhere".
struct Scena {
    _db: TestDb,
    admin: Client,
    pdf: Vec<u8>,
    luca: FirmatarioLocale,
    _dir: Cartella,
}

async fn scena() -> Scena {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let (status, _, pdf) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_eq!(status, StatusCode::OK);
    let dir = Cartella::new();
    let (_, _, pkcs8, cert_der) = certificato(&dir, "luca", "Luca Esterno", false);
    let luca = FirmatarioLocale::new(&pkcs8, &[cert_der]).unwrap();
    Scena {
        _db: db,
        admin,
        pdf,
        luca,
        _dir: dir,
    }
}

/// `pdf` with one incremental update made by `cambia`.
fn aggiorna(pdf: &[u8], cambia: impl FnOnce(&mut IncrementalDocument)) -> Vec<u8> {
    let doc = Document::load_mem(pdf).unwrap();
    let mut inc = IncrementalDocument::create_from(pdf.to_vec(), doc);
    cambia(&mut inc);
    let mut out = Vec::new();
    inc.save_to(&mut out).unwrap();
    out
}

fn trova(dati: &[u8], cosa: &[u8], da: usize) -> usize {
    da + dati[da..]
        .windows(cosa.len())
        .position(|w| w == cosa)
        .unwrap_or_else(|| panic!("{} not found", String::from_utf8_lossy(cosa)))
}

fn rifiutato(r: &crate::support::Reply, inizio: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(errore(&r.body).starts_with(inizio), "{}", r.body);
}

const MODIFICA: &str = "Il file firmato modifica il contenuto";

#[tokio::test]
async fn forged_copy_with_root_redirected_by_incremental_update_is_refused() {
    let mut sc = scena().await;
    // After the export, an update with a catalog and page tree of its own: all that a viewer
    // shows. The export's objects stay as they were.
    let falso = aggiorna(&sc.pdf, |inc| {
        let prev = inc.get_prev_documents();
        let prima = *prev.get_pages().values().next().unwrap();
        let risorse = prev
            .get_dictionary(prima)
            .unwrap()
            .get(b"Resources")
            .unwrap()
            .clone();
        let doc = &mut inc.new_document;
        let testo = doc.add_object(Stream::new(
            dictionary! {},
            b"BT /F1 40 Tf 80 300 Td (Piano annullato) Tj ET".to_vec(),
        ));
        let pagine = doc.new_object_id();
        let pagina = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pagine,
            "MediaBox" => vec![0.into(), 0.into(), 842.into(), 595.into()],
            "Resources" => risorse,
            "Contents" => testo,
        });
        doc.objects.insert(
            pagine,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![pagina.into()],
                "Count" => 1,
            }),
        );
        let catalogo = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pagine });
        doc.trailer.set("Root", catalogo);
    });
    let firmato = firma::pades(&sc.luca, falso, "Luca Esterno", "Approvazione").unwrap();
    // The signature is intact and the signed bytes start with the export; what it shows is
    // the new one-page tree.
    assert!(verifica::verifica(&firmato).is_ok());
    assert!(firmato.starts_with(&sc.pdf));
    assert_eq!(Document::load_mem(&firmato).unwrap().get_pages().len(), 1);
    assert!(Document::load_mem(&sc.pdf).unwrap().get_pages().len() > 10);
    let r = carica(&mut sc.admin, "ente-a", "falso.pdf", &firmato).await;
    rifiutato(&r, MODIFICA);
}

#[tokio::test]
async fn forged_copy_adding_objects_besides_the_signature_is_refused() {
    let mut sc = scena().await;
    // A content stream nobody references yet (a later update, or a lenient reader rebuilding
    // the file, could use it): only the signature's own objects may be added.
    let aggiunto = aggiorna(&sc.pdf, |inc| {
        inc.new_document.add_object(Stream::new(
            dictionary! {},
            b"BT /F1 40 Tf 80 300 Td (Piano annullato) Tj ET".to_vec(),
        ));
    });
    let firmato = firma::pades(&sc.luca, aggiunto, "Luca Esterno", "Approvazione").unwrap();
    assert!(verifica::verifica(&firmato).is_ok());
    let r = carica(&mut sc.admin, "ente-a", "aggiunto.pdf", &firmato).await;
    rifiutato(&r, MODIFICA);
}

/// The export with one more signature widget on its last page, carrying what `extra` gives
/// (which may add objects), then signed by Luca.
fn con_widget(
    pdf: &[u8],
    luca: &FirmatarioLocale,
    extra: impl FnOnce(&mut Document) -> Dictionary,
) -> Vec<u8> {
    let aggiornato = aggiorna(pdf, |inc| {
        let ultima = *inc
            .get_prev_documents()
            .get_pages()
            .values()
            .next_back()
            .unwrap();
        inc.opt_clone_object_to_new_document(ultima).unwrap();
        let doc = &mut inc.new_document;
        let mut w = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Widget",
            "FT" => "Sig",
            "T" => Object::string_literal("Firma2"),
            "P" => ultima,
            "Rect" => vec![100.into(), 100.into(), 700.into(), 400.into()],
            "F" => 4,
        };
        for (k, v) in extra(doc).iter() {
            w.set(k.clone(), v.clone());
        }
        let w = doc.add_object(w);
        let pagina = doc.get_object_mut(ultima).unwrap().as_dict_mut().unwrap();
        let mut annots = match pagina.get(b"Annots") {
            Ok(Object::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        annots.push(w.into());
        pagina.set("Annots", annots);
    });
    firma::pades(luca, aggiornato, "Luca Esterno", "Approvazione").unwrap()
}

fn modulo(contenuto: &[u8]) -> Stream {
    Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 600.into(), 300.into()],
        },
        contenuto.to_vec(),
    )
}

#[tokio::test]
async fn signature_widget_with_actions_or_drawn_appearance_is_refused() {
    let mut sc = scena().await;
    let azione = con_widget(&sc.pdf, &sc.luca, |_| {
        dictionary! {
            "A" => dictionary! {
                "S" => "JavaScript",
                "JS" => Object::string_literal("app.alert('Piano annullato')"),
            },
        }
    });
    let azione_aggiuntiva = con_widget(&sc.pdf, &sc.luca, |_| {
        dictionary! {
            "AA" => dictionary! {
                "PO" => dictionary! {
                    "S" => "URI",
                    "URI" => Object::string_literal("https://example.invalid/"),
                },
            },
        }
    });
    // A blue box over the page, drawn by the widget's appearance.
    let disegno = con_widget(&sc.pdf, &sc.luca, |doc| {
        let n = doc.add_object(modulo(b"0 0 1 rg 0 0 600 300 re f"));
        dictionary! { "AP" => dictionary! { "N" => n } }
    });
    for (nome, file) in [
        ("azione.pdf", &azione),
        ("azione-aggiuntiva.pdf", &azione_aggiuntiva),
        ("disegno.pdf", &disegno),
    ] {
        assert!(verifica::verifica(file).is_ok(), "{nome}");
        let r = carica(&mut sc.admin, "ente-a", nome, file).await;
        rifiutato(&r, "Il campo della firma contiene");
    }
    // An appearance that draws nothing (as some signing tools write for an invisible
    // signature) is fine.
    let vuoto = con_widget(&sc.pdf, &sc.luca, |doc| {
        let n = doc.add_object(modulo(b""));
        dictionary! { "AP" => dictionary! { "N" => n } }
    });
    let r = carica(&mut sc.admin, "ente-a", "vuoto.pdf", &vuoto).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

fn attributo(oid: der::asn1::ObjectIdentifier, valore: impl Encode) -> Attribute {
    Attribute {
        oid,
        values: SetOfVec::try_from(vec![Any::from_der(&valore.to_der().unwrap()).unwrap()])
            .unwrap(),
    }
}

#[tokio::test]
async fn cms_with_two_signer_infos_mixing_digest_and_attributes_is_refused() {
    let mut sc = scena().await;
    // Luca's genuine signature over another document.
    let genuino = firma::cades(&sc.luca, b"%PDF-1.7 un altro documento").unwrap();
    let mut sd: SignedData = ContentInfo::from_der(&genuino)
        .unwrap()
        .content
        .decode_as()
        .unwrap();
    let vero = sd.signer_infos.0.iter().next().unwrap().clone();
    // A second SignerInfo with the same signer and signature value, but signed attributes
    // claiming the digest of the export.
    let mut falso = vero.clone();
    falso.version = CmsVersion::V0;
    falso.signed_attrs = Some(
        SetOfVec::try_from(vec![
            attributo(firma::ID_CONTENT_TYPE, firma::ID_DATA),
            attributo(
                firma::ID_MESSAGE_DIGEST,
                OctetString::new(Sha256::digest(&sc.pdf).to_vec()).unwrap(),
            ),
        ])
        .unwrap(),
    );
    // Decoding a SET OF sorts it: the forged one comes first there, while the bytes put the
    // genuine one first.
    let ordinati = SetOfVec::try_from(vec![vero.clone(), falso.clone()]).unwrap();
    assert_eq!(ordinati.iter().next(), Some(&falso));
    let (f, v) = (falso.to_der().unwrap(), vero.to_der().unwrap());
    sd.encap_content_info.econtent =
        Some(Any::encode_from(&OctetString::new(sc.pdf.clone()).unwrap()).unwrap());
    sd.signer_infos = SignerInfos(ordinati);
    let mut busta = ContentInfo {
        content_type: firma::ID_SIGNED_DATA,
        content: Any::encode_from(&sd).unwrap(),
    }
    .to_der()
    .unwrap();
    let coppia = [f.clone(), v.clone()].concat();
    let i = trova(&busta, &coppia, 0);
    busta.splice(i..i + coppia.len(), [v, f].concat());

    let e = verifica::verifica(&busta).unwrap_err();
    assert!(e.starts_with("La busta contiene più firme"), "{e}");
    let r = carica(&mut sc.admin, "ente-a", "misto.pdf.p7m", &busta).await;
    rifiutato(&r, "La busta contiene più firme");
}

#[tokio::test]
async fn byte_range_gap_wider_than_the_contents_string_is_refused() {
    let mut sc = scena().await;
    let mut pades = firma::pades(&sc.luca, sc.pdf.clone(), "Luca Esterno", "Approvazione").unwrap();
    let doc = Document::load_mem(&pades).unwrap();
    let br: Vec<i64> = doc
        .objects
        .values()
        .find_map(|o| {
            o.as_dict()
                .ok()?
                .get(b"ByteRange")
                .ok()?
                .as_array()
                .ok()
                .map(|a| a.iter().map(|x| x.as_i64().unwrap()).collect())
        })
        .unwrap();
    let (b, c) = (br[1] as usize, br[2] as usize);
    // Signed again, leaving out the bytes from /Contents up to the end of /M, the signing
    // time in the signature dictionary (after /Contents in what our signer writes).
    let data = trova(&pades, b"(D:", c) + 1;
    let fine = trova(&pades, b")", data) + 1;
    let vecchio = format!("[0 {b} {c} {}]", pades.len() - c);
    let p = trova(&pades, vecchio.as_bytes(), 0);
    let larghezza = b"[0 9999999999 9999999999 9999999999]".len();
    let nuovo = format!("[0 {b} {fine} {}]", pades.len() - fine);
    pades[p..p + larghezza].copy_from_slice(format!("{nuovo:<larghezza$}").as_bytes());
    pades[b + 1..c - 1].fill(b'0');
    let mut h = Sha256::new();
    h.update(&pades[..b]);
    h.update(&pades[fine..]);
    let cms = firma::signed_data(&sc.luca, h.finalize().into(), None, None).unwrap();
    let hex = hex::encode_upper(&cms);
    pades[b + 1..b + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    // Then the signing time is backdated, in bytes the signature does not cover.
    let falsa = b"D:20220330120000+00'00'";
    assert_eq!(fine - 1 - data, falsa.len());
    pades[data..fine - 1].copy_from_slice(falsa);

    let e = verifica::verifica(&pades).unwrap_err();
    assert!(e.starts_with("La firma non copre tutto il file"), "{e}");
    let r = carica(&mut sc.admin, "ente-a", "retrodatato.pdf", &pades).await;
    rifiutato(&r, "La firma non copre tutto il file");
}

/// zlib data that inflates to `n` zero bytes: one fixed-Huffman block with a literal zero,
/// then copies of 258 bytes at distance 1 (13 bits each, about 1:160).
fn zeri_compressi(n: usize) -> Vec<u8> {
    struct Bit {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bit {
        fn metti(&mut self, v: u32, len: u32) {
            self.acc |= (v as u64) << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn codice(&mut self, c: u32, len: u32) {
            let r = (0..len).fold(0, |r, i| r | (((c >> i) & 1) << (len - 1 - i)));
            self.metti(r, len);
        }
    }
    let mut b = Bit {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    b.metti(1, 1); // last block
    b.metti(1, 2); // fixed Huffman codes
    b.codice(0x30, 8); // literal 0
    let mut resto = n - 1;
    while resto >= 258 {
        b.codice(0b1100_0101, 8); // length 258 (code 285)
        b.codice(0, 5); // distance 1
        resto -= 258;
    }
    for _ in 0..resto {
        b.codice(0x30, 8);
    }
    b.codice(0, 7); // end of block
    if b.n > 0 {
        b.metti(0, 8 - b.n);
    }
    let adler = (((n % 65521) as u32) << 16) | 1;
    b.out.extend_from_slice(&adler.to_be_bytes());
    b.out
}

/// `pdf` with an incremental update adding these streams (dictionary entries without
/// /Length, content), written by hand: lopdf's writer leaves out object streams.
fn accoda(pdf: &[u8], flussi: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let doc = Document::load_mem(pdf).unwrap();
    let radice = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let primo = doc.max_id + 1;
    let fine = String::from_utf8_lossy(&pdf[pdf.len() - 40..]).into_owned();
    let prev: usize = fine
        .split("startxref")
        .nth(1)
        .unwrap()
        .split("%%EOF")
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let mut out = pdf.to_vec();
    out.push(b'\n');
    let mut posizioni = Vec::new();
    for (i, (dizionario, contenuto)) in flussi.iter().enumerate() {
        posizioni.push(out.len());
        out.extend_from_slice(
            format!(
                "{} 0 obj\n<<{dizionario} /Length {}>>\nstream\n",
                primo + i as u32,
                contenuto.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(contenuto);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    let xref = out.len();
    let mut tabella = format!("xref\n0 1\n0000000000 65535 f \n{primo} {}\n", flussi.len());
    for p in posizioni {
        tabella += &format!("{p:010} 00000 n \n");
    }
    tabella += &format!(
        "trailer\n<</Size {} /Root {} {} R /Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
        primo + flussi.len() as u32,
        radice.0,
        radice.1
    );
    out.extend_from_slice(tabella.as_bytes());
    out
}

#[tokio::test]
async fn pdf_decompression_bomb_is_refused() {
    let mut sc = scena().await;
    // 24 object streams of 3 MiB each, 20 KB compressed: 72 MiB once inflated.
    let oggetto = "/Type /ObjStm /N 1 /First 0 /Filter /FlateDecode".to_string();
    let bomba = accoda(
        &sc.pdf,
        vec![(oggetto.clone(), zeri_compressi(3 << 20)); 24],
    );
    assert!(bomba.len() < sc.pdf.len() + 500_000);
    let e = verifica::verifica(&bomba).unwrap_err();
    assert!(
        e.starts_with("Il PDF contiene troppi dati compressi"),
        "{e}"
    );
    let r = carica(&mut sc.admin, "ente-a", "bomba.pdf", &bomba).await;
    rifiutato(&r, "Il PDF contiene troppi dati compressi");
    // One stream alone that inflates past the limit.
    let una = accoda(&sc.pdf, vec![(oggetto, zeri_compressi(100 << 20))]);
    let e = verifica::verifica(&una).unwrap_err();
    assert!(
        e.starts_with("Il PDF contiene troppi dati compressi"),
        "{e}"
    );
}

#[tokio::test]
async fn pdf_with_too_many_objects_is_refused() {
    let sc = scena().await;
    // 250,000 tiny objects in five object streams (uncompressed, 1 MB each). Checked with
    // the verifier the upload calls first: the file is too big for a request body.
    let mut id = 1_000_000;
    let flussi = (0..5)
        .map(|_| {
            let (mut testa, mut corpo) = (String::new(), String::new());
            for _ in 0..50_000 {
                testa += &format!("{id} {} ", corpo.len());
                corpo += "null ";
                id += 1;
            }
            let dizionario = format!("/Type /ObjStm /N 50000 /First {}", testa.len());
            (dizionario, (testa + &corpo).into_bytes())
        })
        .collect();
    let molti = accoda(&sc.pdf, flussi);
    assert!(molti.len() < 10 * 1024 * 1024);
    let e = verifica::verifica(&molti).unwrap_err();
    assert!(e.starts_with("Il PDF contiene troppi oggetti"), "{e}");
}

#[test]
fn oversized_copy_is_refused_before_parsing() {
    let mut grande = b"%PDF-1.7\n".to_vec();
    grande.resize(11 << 20, b' ');
    assert_eq!(
        verifica::verifica(&grande).unwrap_err(),
        "Il file è troppo grande: al massimo 10 MB."
    );
    let mut p7m = vec![0x30];
    p7m.resize(11 << 20, 0);
    assert_eq!(
        verifica::verifica(&p7m).unwrap_err(),
        "Il file è troppo grande: al massimo 10 MB."
    );
}

/// A DER tree, to change an INTEGER and encode the rest as it was; OCTET STRINGs that hold a
/// SEQUENCE (the PKCS#12 authenticated safe and safe contents) are opened too.
enum Der {
    Primitivo(u8, Vec<u8>),
    Costruito(u8, Vec<Der>),
    Incapsulato(Vec<Der>),
}

fn elementi(mut b: &[u8]) -> Option<Vec<Der>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let tag = b[0];
        let l0 = *b.get(1)? as usize;
        let (h, l) = if l0 < 0x80 {
            (2, l0)
        } else {
            let n = l0 & 0x7f;
            if n == 0 || n > 4 {
                return None;
            }
            let l = (0..n).try_fold(0usize, |l, i| Some((l << 8) | *b.get(2 + i)? as usize))?;
            (2 + n, l)
        };
        let contenuto = b.get(h..h + l)?;
        out.push(if tag & 0x20 != 0 {
            match elementi(contenuto) {
                Some(f) => Der::Costruito(tag, f),
                None => Der::Primitivo(tag, contenuto.to_vec()),
            }
        } else {
            match elementi(contenuto) {
                Some(f)
                    if tag == 0x04 && f.len() == 1 && matches!(f[0], Der::Costruito(0x30, _)) =>
                {
                    Der::Incapsulato(f)
                }
                _ => Der::Primitivo(tag, contenuto.to_vec()),
            }
        });
        b = &b[h + l..];
    }
    Some(out)
}

fn codifica(d: &Der) -> Vec<u8> {
    let (tag, c) = match d {
        Der::Primitivo(t, c) => (*t, c.clone()),
        Der::Costruito(t, f) => (*t, f.iter().flat_map(codifica).collect()),
        Der::Incapsulato(f) => (0x04, f.iter().flat_map(codifica).collect()),
    };
    let mut out = vec![tag];
    if c.len() < 0x80 {
        out.push(c.len() as u8);
    } else {
        let l = c.len().to_be_bytes();
        let l: Vec<u8> = l.into_iter().skip_while(|&x| x == 0).collect();
        out.push(0x80 | l.len() as u8);
        out.extend(l);
    }
    out.extend(c);
    out
}

fn sostituisci(d: &mut Der, da: &[u8], a: &[u8]) {
    match d {
        Der::Primitivo(0x02, c) if c == da => *c = a.to_vec(),
        Der::Costruito(_, f) | Der::Incapsulato(f) => {
            f.iter_mut().for_each(|x| sostituisci(x, da, a))
        }
        _ => {}
    }
}

/// The PKCS#12 with the iteration count 2048 replaced by `nuovo` (an INTEGER's content
/// octets) in the MAC data (`nel_mac`) or in the encrypted contents' parameters.
fn iterazioni(p12: &[u8], nel_mac: bool, nuovo: &[u8]) -> Vec<u8> {
    let mut pfx = elementi(p12).unwrap();
    assert_eq!(codifica(&pfx[0]), p12, "re-encoding is faithful");
    let Der::Costruito(_, parti) = &mut pfx[0] else {
        panic!("not a SEQUENCE")
    };
    let i = if nel_mac { 2 } else { 1 };
    sostituisci(&mut parti[i], &[0x08, 0x00], nuovo);
    let out = codifica(&pfx[0]);
    assert_ne!(out, p12);
    out
}

#[tokio::test]
async fn pkcs12_with_huge_iteration_count_is_refused_before_key_derivation() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let dir = Cartella::new();
    let (cert, key, _, _) = certificato(&dir, "anna", "Anna Firmataria", true);
    let p12 = crate::allegato::p12(&dir, &cert, &key, "segreta", &["-iter", "2048"]);
    assert!(FirmatarioLocale::da_pkcs12(&p12, "segreta").is_ok());
    let due_alla_31 = [0x00, 0x80, 0x00, 0x00, 0x00];
    let un_milione_e_uno = [0x0f, 0x42, 0x41];
    for (nel_mac, n) in [
        (true, &due_alla_31[..]),
        (false, &due_alla_31[..]),
        (true, &un_milione_e_uno[..]),
        (false, &un_milione_e_uno[..]),
    ] {
        let falso = iterazioni(&p12, nel_mac, n);
        let t = Instant::now();
        let e = FirmatarioLocale::da_pkcs12(&falso, "segreta").unwrap_err();
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        assert!(
            e.to_string()
                .starts_with("Il file PKCS#12 chiede troppe iterazioni"),
            "{e}"
        );
        let r = salva_certificato(&mut admin, "ente-a", &falso, "segreta", "", "").await;
        rifiutato(&r, "Il file PKCS#12 chiede troppe iterazioni");
    }
}
