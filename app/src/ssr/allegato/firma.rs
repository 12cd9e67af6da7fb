//! Digital signatures: a small trait (a digest in, a signature and the certificate chain
//! out) so that a remote signing service or a smart card can take the place of the key
//! kept here; the PKCS#12-backed signer; CMS SignedData with the CAdES signed attributes;
//! PAdES by incremental update (SubFilter ETSI.CAdES.detached) and the CAdES envelope
//! (`.p7m`, content attached).

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::{Attribute, AttributeValue};
use x509_cert::Certificate;

pub const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub const ID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
pub const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
pub const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
pub const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ErroreFirma {
    /// Said to the user as it is.
    #[error("{0}")]
    Utente(String),
    #[error("errore interno di firma: {0}")]
    Interno(String),
}

fn interno(e: impl std::fmt::Display) -> ErroreFirma {
    ErroreFirma::Interno(e.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algoritmo {
    /// RSA PKCS#1 v1.5 over SHA-256.
    RsaSha256,
    /// ECDSA P-256 over SHA-256 (DER signature).
    EcdsaP256Sha256,
}

impl Algoritmo {
    fn identificatore(self) -> AlgorithmIdentifierOwned {
        match self {
            Algoritmo::RsaSha256 => AlgorithmIdentifierOwned {
                oid: RSA_ENCRYPTION,
                parameters: Some(Any::null()),
            },
            Algoritmo::EcdsaP256Sha256 => AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
        }
    }
}

/// Whoever holds the key: give it the SHA-256 digest of what is to be signed (the DER of
/// the signed attributes), get the signature back. The chain starts with the signer's
/// own certificate.
pub trait Firmatario: Send + Sync {
    fn catena(&self) -> &[Certificate];
    fn algoritmo(&self) -> Algoritmo;
    fn firma_digest(&self, digest: &[u8; 32]) -> Result<Vec<u8>, ErroreFirma>;
}

enum Chiave {
    Rsa(Box<rsa::RsaPrivateKey>),
    Ec(p256::ecdsa::SigningKey),
}

/// A key and its chain held by this server (from the ente's PKCS#12 file).
pub struct FirmatarioLocale {
    chiave: Chiave,
    catena: Vec<Certificate>,
}

fn spki_der(cert: &Certificate) -> Vec<u8> {
    cert.tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap_or_default()
}

impl FirmatarioLocale {
    /// From a PKCS#8 private key and the certificates that came with it (any order):
    /// the signer's certificate is the one whose public key matches the key.
    pub fn new(pkcs8: &[u8], certificati: &[Vec<u8>]) -> Result<FirmatarioLocale, ErroreFirma> {
        use pkcs8::{DecodePrivateKey, EncodePublicKey};
        let (chiave, pubblica) = if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(pkcs8) {
            let p = k.to_public_key().to_public_key_der().map_err(interno)?;
            (Chiave::Rsa(Box::new(k)), p.as_bytes().to_vec())
        } else if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8) {
            let p = k.verifying_key().to_public_key_der().map_err(interno)?;
            (Chiave::Ec(k), p.as_bytes().to_vec())
        } else {
            return Err(ErroreFirma::Utente(
                "La chiave privata non è supportata: servono chiavi RSA o ECDSA P-256.".into(),
            ));
        };
        let mut catena: Vec<Certificate> = certificati
            .iter()
            .filter_map(|c| Certificate::from_der(c).ok())
            .collect();
        let i = catena
            .iter()
            .position(|c| spki_der(c) == pubblica)
            .ok_or_else(|| {
                ErroreFirma::Utente(
                    "Il file non contiene il certificato corrispondente alla chiave privata."
                        .into(),
                )
            })?;
        let proprio = catena.remove(i);
        catena.insert(0, proprio);
        Ok(FirmatarioLocale { chiave, catena })
    }

    /// The PKCS#8 key and certificates (DER) of a PKCS#12 file. Slow by design (key
    /// derivation from the password): call it off the async threads.
    pub fn da_pkcs12(dati: &[u8], password: &str) -> Result<(Vec<u8>, Vec<Vec<u8>>), ErroreFirma> {
        controlla_iterazioni(dati)?;
        let archivio =
            p12_keystore::Pkcs12Archive::from_pkcs12(dati, password).map_err(|e| {
                tracing::info!(error = %e, "PKCS#12 refused");
                ErroreFirma::Utente(
                    "Impossibile aprire il file PKCS#12: controlla la password e che il file sia un .p12/.pfx valido."
                        .into(),
                )
            })?;
        let chiave = archivio.keys.first().ok_or_else(|| {
            ErroreFirma::Utente("Il file PKCS#12 non contiene una chiave privata.".into())
        })?;
        let certificati: Vec<Vec<u8>> = archivio
            .certs
            .iter()
            .map(|c| c.cert.as_der().to_vec())
            .collect();
        Ok((chiave.key.as_der().to_vec(), certificati))
    }
}

impl Firmatario for FirmatarioLocale {
    fn catena(&self) -> &[Certificate] {
        &self.catena
    }
    fn algoritmo(&self) -> Algoritmo {
        match self.chiave {
            Chiave::Rsa(_) => Algoritmo::RsaSha256,
            Chiave::Ec(_) => Algoritmo::EcdsaP256Sha256,
        }
    }
    fn firma_digest(&self, digest: &[u8; 32]) -> Result<Vec<u8>, ErroreFirma> {
        match &self.chiave {
            // Blinded with fresh randomness, so that timing does not leak the key.
            Chiave::Rsa(k) => k
                .sign_with_rng(
                    &mut rand::rngs::OsRng,
                    rsa::Pkcs1v15Sign::new::<Sha256>(),
                    digest,
                )
                .map_err(interno),
            Chiave::Ec(k) => {
                use p256::ecdsa::signature::hazmat::PrehashSigner;
                let s: p256::ecdsa::Signature = k.sign_prehash(digest).map_err(interno)?;
                Ok(s.to_der().as_bytes().to_vec())
            }
        }
    }
}

/// The most key-derivation rounds a PKCS#12 file may ask for: common tools write 2,048 to
/// 600,000; 2^31 would keep a core busy for hours.
const MAX_ITERAZIONI: u64 = 1_000_000;

const PBKDF2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
/// PKCS#5 v1.5 schemes are 1.2.840.113549.1.5.{1,3,4,6,10,11}; PBES2 (.13) holds PBKDF2.
const PKCS5: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5");
/// PKCS#12 schemes are 1.2.840.113549.1.12.1.{1..6}.
const PKCS12_PBE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1");

/// The content octets of a DER element.
fn valore(el: &[u8]) -> &[u8] {
    super::verifica::misure_der(el)
        .and_then(|(h, n)| el.get(h..n))
        .unwrap_or_default()
}

/// Whether an INTEGER element is a round count in 1..=MAX_ITERAZIONI.
fn iterazioni_ammesse(intero: &[u8]) -> bool {
    let intero = valore(intero);
    let cifre: Vec<u8> = intero.iter().copied().skip_while(|&b| b == 0).collect();
    !intero.is_empty()
        && intero[0] & 0x80 == 0
        && cifre.len() <= 8
        && (1..=MAX_ITERAZIONI).contains(&cifre.iter().fold(0u64, |n, &b| (n << 8) | b as u64))
}

/// Whether some key-derivation parameters inside the DER element `el` ask for more rounds
/// than allowed: an AlgorithmIdentifier of PBKDF2, of a PKCS#5 v1.5 or of a PKCS#12 scheme,
/// whose parameters are (salt, iteration count, ...). OCTET STRINGs holding DER (the
/// authenticated safe, the safe contents) are looked into.
fn troppe_iterazioni(el: &[u8], profondita: u32) -> bool {
    use super::verifica::figli;
    let Some(&tag) = el.first() else { return false };
    if profondita > 32 || (tag & 0x20 == 0 && tag != 0x04) {
        return false;
    }
    let Some(f) = figli(el) else { return false };
    if let [(0x06, oid), (0x30, parametri), ..] = f.as_slice() {
        let oid = valore(oid);
        let schema = |base: ObjectIdentifier| {
            oid.len() == base.as_bytes().len() + 1 && oid.starts_with(base.as_bytes())
        };
        let pbes1 = schema(PKCS5) && [1, 3, 4, 6, 10, 11].contains(&oid[oid.len() - 1]);
        if oid == PBKDF2.as_bytes() || pbes1 || schema(PKCS12_PBE) {
            match figli(parametri).as_deref() {
                Some([_, (0x02, n), ..]) if iterazioni_ammesse(n) => {}
                _ => return true,
            }
        }
    }
    f.iter()
        .any(|(_, figlio)| troppe_iterazioni(figlio, profondita + 1))
}

/// Refuses a PKCS#12 file that asks for too many key-derivation rounds, read from its
/// ASN.1 before any key is derived: the MAC's count and that of every encryption in the
/// clear parts (p12-keystore bounds those inside encrypted parts itself). A file that does
/// not parse is left to p12-keystore to refuse.
pub fn controlla_iterazioni(p12: &[u8]) -> Result<(), ErroreFirma> {
    use super::verifica::{figli, misure_der};
    let troppe = || {
        Err(ErroreFirma::Utente(
            "Il file PKCS#12 chiede troppe iterazioni per ricavare la chiave dalla password (al massimo 1.000.000): esportalo di nuovo con le impostazioni predefinite.".into(),
        ))
    };
    let Some(pfx) = misure_der(p12).and_then(|(_, n)| p12.get(..n)) else {
        return Ok(());
    };
    // PFX: version, authSafe, macData { mac, macSalt, iterations DEFAULT 1 }.
    if let Some((0x30, mac)) = figli(pfx).as_deref().and_then(|p| p.get(2)) {
        if let Some([_, _, (0x02, n), ..]) = figli(mac).as_deref() {
            if !iterazioni_ammesse(n) {
                return troppe();
            }
        }
    }
    if troppe_iterazioni(pfx, 0) {
        return troppe();
    }
    Ok(())
}

/// ESSCertIDv2 with the default hash (SHA-256), no issuerSerial (RFC 5035).
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn attributo(oid: ObjectIdentifier, valore: impl Encode) -> Result<Attribute, ErroreFirma> {
    let v = AttributeValue::from_der(&valore.to_der().map_err(interno)?).map_err(interno)?;
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![v]).map_err(interno)?,
    })
}

/// A CMS SignedData (DER) over content whose SHA-256 is `digest`; the content travels
/// inside (`allegato`, CAdES .p7m) or not (PAdES). Signed attributes: content-type,
/// message-digest, signing-certificate-v2, and signing-time when given (CAdES only: in
/// PAdES the time is the signature dictionary's /M).
pub fn signed_data(
    firmatario: &dyn Firmatario,
    digest: [u8; 32],
    allegato: Option<&[u8]>,
    ora: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Vec<u8>, ErroreFirma> {
    let proprio = firmatario
        .catena()
        .first()
        .ok_or_else(|| ErroreFirma::Interno("catena vuota".into()))?;
    let hash_cert: [u8; 32] = Sha256::digest(proprio.to_der().map_err(interno)?).into();
    let mut attributi = vec![
        attributo(ID_CONTENT_TYPE, ID_DATA)?,
        attributo(
            ID_MESSAGE_DIGEST,
            OctetString::new(digest.to_vec()).map_err(interno)?,
        )?,
        attributo(
            ID_SIGNING_CERTIFICATE_V2,
            SigningCertificateV2 {
                certs: vec![EssCertIdV2 {
                    cert_hash: OctetString::new(hash_cert.to_vec()).map_err(interno)?,
                }],
            },
        )?,
    ];
    if let Some(t) = ora {
        let t = x509_cert::time::Time::UtcTime(
            der::asn1::UtcTime::from_unix_duration(std::time::Duration::from_secs(
                t.timestamp().max(0) as u64,
            ))
            .map_err(interno)?,
        );
        attributi.push(attributo(ID_SIGNING_TIME, t)?);
    }
    let firmati = SetOfVec::try_from(attributi).map_err(interno)?;
    let da_firmare: [u8; 32] = Sha256::digest(firmati.to_der().map_err(interno)?).into();
    let firma = firmatario.firma_digest(&da_firmare)?;
    let sha256 = AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    };
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: proprio.tbs_certificate.issuer.clone(),
            serial_number: proprio.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256.clone(),
        signed_attrs: Some(firmati),
        signature_algorithm: firmatario.algoritmo().identificatore(),
        signature: OctetString::new(firma).map_err(interno)?,
        unsigned_attrs: None,
    };
    let certificati = SetOfVec::try_from(
        firmatario
            .catena()
            .iter()
            .cloned()
            .map(CertificateChoices::Certificate)
            .collect::<Vec<_>>(),
    )
    .map_err(interno)?;
    let econtent = match allegato {
        Some(c) => Some(
            Any::encode_from(&OctetString::new(c.to_vec()).map_err(interno)?).map_err(interno)?,
        ),
        None => None,
    };
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(interno)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent,
        },
        certificates: Some(CertificateSet(certificati)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![info]).map_err(interno)?),
    };
    let ci = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(interno)?,
    };
    ci.to_der().map_err(interno)
}

/// The CAdES envelope (.p7m) of `pdf`.
pub fn cades(firmatario: &dyn Firmatario, pdf: &[u8]) -> Result<Vec<u8>, ErroreFirma> {
    let digest: [u8; 32] = Sha256::digest(pdf).into();
    signed_data(firmatario, digest, Some(pdf), Some(chrono::Utc::now()))
}

/// Room for the CMS in /Contents: a chain of a few certificates with 4096-bit keys.
const SPAZIO_FIRMA: usize = 24 * 1024;

fn pdf_string(s: &str) -> lopdf::Object {
    let mut b = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        b.extend_from_slice(&u.to_be_bytes());
    }
    lopdf::Object::String(b, lopdf::StringFormat::Hexadecimal)
}

/// Signs `pdf` (PAdES baseline B): an incremental update adds the signature dictionary,
/// an invisible signature field on the last page (the closing block, where the signer's
/// name already shows) and the AcroForm; then the byte range is hashed and the CMS goes
/// into /Contents.
pub fn pades(
    firmatario: &dyn Firmatario,
    pdf: Vec<u8>,
    nome: &str,
    motivo: &str,
) -> Result<Vec<u8>, ErroreFirma> {
    use lopdf::{dictionary, IncrementalDocument, Object, StringFormat};
    let prev = lopdf::Document::load_mem(&pdf).map_err(interno)?;
    let radice = prev
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(interno)?;
    let pagine = prev.get_pages();
    let (_, &ultima) = pagine
        .iter()
        .next_back()
        .ok_or_else(|| ErroreFirma::Interno("nessuna pagina".into()))?;
    // A document signed before keeps its signature fields: this one is added beside them.
    let precedenti: Vec<Object> = prev
        .get_object(radice)
        .and_then(Object::as_dict)
        .and_then(|c| c.get(b"AcroForm"))
        .and_then(|a| match a {
            Object::Reference(r) => prev.get_object(*r),
            o => Ok(o),
        })
        .and_then(Object::as_dict)
        .and_then(|a| a.get(b"Fields"))
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    let nome_campo = format!("Firma{}", precedenti.len() + 1);
    let mut inc = IncrementalDocument::create_from(pdf, prev);
    let ora = chrono::Utc::now()
        .format("D:%Y%m%d%H%M%S+00'00'")
        .to_string();
    let doc = &mut inc.new_document;
    let firma = doc.add_object(dictionary! {
        "Type" => "Sig",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.CAdES.detached",
        "ByteRange" => vec![
            Object::Integer(0),
            Object::Integer(9_999_999_999),
            Object::Integer(9_999_999_999),
            Object::Integer(9_999_999_999),
        ],
        "Contents" => Object::String(vec![0u8; SPAZIO_FIRMA], StringFormat::Hexadecimal),
        "Name" => pdf_string(nome),
        "Reason" => pdf_string(motivo),
        "M" => Object::String(ora.into_bytes(), StringFormat::Literal),
    });
    let campo = doc.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Widget",
        "FT" => "Sig",
        "T" => Object::String(nome_campo.into_bytes(), StringFormat::Literal),
        "V" => firma,
        "P" => ultima,
        "Rect" => vec![0.into(), 0.into(), 0.into(), 0.into()],
        "F" => 132,
    });
    inc.opt_clone_object_to_new_document(ultima)
        .map_err(interno)?;
    inc.opt_clone_object_to_new_document(radice)
        .map_err(interno)?;
    let doc = &mut inc.new_document;
    let pagina = doc
        .get_object_mut(ultima)
        .and_then(Object::as_dict_mut)
        .map_err(interno)?;
    let mut annots = match pagina.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    annots.push(campo.into());
    pagina.set("Annots", annots);
    let catalogo = doc
        .get_object_mut(radice)
        .and_then(Object::as_dict_mut)
        .map_err(interno)?;
    let mut campi = precedenti;
    campi.push(campo.into());
    catalogo.set(
        "AcroForm",
        dictionary! { "Fields" => campi, "SigFlags" => 3 },
    );
    let mut out = Vec::new();
    inc.save_to(&mut out).map_err(interno)?;
    chiudi_firma(firmatario, out)
}

fn trova(dati: &[u8], cosa: &[u8], da: usize) -> Option<usize> {
    dati.get(da..)?
        .windows(cosa.len())
        .position(|w| w == cosa)
        .map(|p| p + da)
}

/// Fills /ByteRange and /Contents of the signature placeholder written last.
fn chiudi_firma(firmatario: &dyn Firmatario, mut out: Vec<u8>) -> Result<Vec<u8>, ErroreFirma> {
    let segnaposto = b"[0 9999999999 9999999999 9999999999]";
    let br = {
        let mut ultimo = None;
        let mut da = 0;
        while let Some(p) = trova(&out, segnaposto, da) {
            ultimo = Some(p);
            da = p + 1;
        }
        ultimo.ok_or_else(|| ErroreFirma::Interno("ByteRange non trovato".into()))?
    };
    // The /Contents hex string of the same dictionary: the zeros we wrote.
    let zeri = vec![b'0'; SPAZIO_FIRMA * 2];
    let inizio = {
        let mut da = br.saturating_sub(SPAZIO_FIRMA * 2 + 4096);
        let mut trovato = None;
        while let Some(p) = trova(&out, &zeri, da) {
            if out.get(p - 1) == Some(&b'<') {
                trovato = Some(p - 1);
                break;
            }
            da = p + 1;
        }
        trovato.ok_or_else(|| ErroreFirma::Interno("Contents non trovato".into()))?
    };
    let fine = inizio + SPAZIO_FIRMA * 2 + 2; // after '>'
    let intervallo = [0, inizio, fine, out.len() - fine];
    let testo = format!(
        "[{} {} {} {}]",
        intervallo[0], intervallo[1], intervallo[2], intervallo[3]
    );
    let testo = format!("{testo:<width$}", width = segnaposto.len());
    out[br..br + segnaposto.len()].copy_from_slice(testo.as_bytes());
    let mut h = Sha256::new();
    h.update(&out[..inizio]);
    h.update(&out[fine..]);
    let digest: [u8; 32] = h.finalize().into();
    let cms = signed_data(firmatario, digest, None, None)?;
    if cms.len() > SPAZIO_FIRMA {
        return Err(ErroreFirma::Interno("firma più grande dello spazio".into()));
    }
    let hex = hex::encode_upper(&cms);
    out[inizio + 1..inizio + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// A self-signed signing certificate (ECDSA P-256, key usage digital signature and
/// non-repudiation) with its PKCS#8 key: the demo's "Comune di Esempio" signs with it.
pub fn certificato_dimostrativo(nome: &str, ente: &str) -> Result<(Vec<u8>, Vec<u8>), ErroreFirma> {
    use pkcs8::EncodePrivateKey;
    use std::str::FromStr;
    use x509_cert::builder::{Builder, CertificateBuilder, Profile};
    let chiave = p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng);
    let soggetto = x509_cert::name::Name::from_str(&format!(
        "CN={},O={},C=IT",
        nome.replace(',', " "),
        ente.replace(',', " ")
    ))
    .map_err(interno)?;
    let spki =
        spki::SubjectPublicKeyInfoOwned::from_key(*chiave.verifying_key()).map_err(interno)?;
    let seriale: [u8; 16] = rand::random();
    let mut seriale = seriale.to_vec();
    seriale[0] &= 0x7f;
    let validita =
        x509_cert::time::Validity::from_now(std::time::Duration::from_secs(5 * 365 * 24 * 3600))
            .map_err(interno)?;
    let builder = CertificateBuilder::new(
        Profile::Leaf {
            issuer: soggetto.clone(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
        x509_cert::serial_number::SerialNumber::new(&seriale).map_err(interno)?,
        validita,
        soggetto,
        spki,
        &chiave,
    )
    .map_err(interno)?;
    let cert = builder
        .build::<p256::ecdsa::DerSignature>()
        .map_err(interno)?;
    let pkcs8 = chiave.to_pkcs8_der().map_err(interno)?;
    Ok((pkcs8.as_bytes().to_vec(), cert.to_der().map_err(interno)?))
}
