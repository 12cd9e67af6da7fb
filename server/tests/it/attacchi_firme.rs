//! Attacks on the signed copies and signing certificates that come back to the server: each
//! test builds the malicious file (a forged "signed elsewhere" copy, a mixed CMS envelope, a
//! decompression bomb, a PKCS#12 that would keep the server deriving keys for hours) and
//! checks that it is refused, with the reason in Italian.

use app::ssr::allegato::firma::{self, FirmatarioLocale};
use app::ssr::allegato::verifica;
use axum::http::StatusCode;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{SignedData, SignerInfos};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use server::testing::TestDb;
use sha2::{Digest, Sha256};
use x509_cert::attr::Attribute;

use crate::allegato::{carica, certificato, errore, piano_approvato, Cartella};
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
