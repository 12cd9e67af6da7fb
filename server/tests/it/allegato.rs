//! The PEG attachment: the PDF of the reference plan read back with pdftotext, signatures
//! checked with pdfsig and openssl, copies signed elsewhere verified and archived (or
//! refused), and the roles and enti that may do each.

use std::path::{Path, PathBuf};
use std::process::Command;

use app::ssr::allegato::firma::{self, FirmatarioLocale};
use app::ssr::modello::modello;
use axum::http::StatusCode;
use server::testing::TestDb;
use uuid::Uuid;

use crate::support::{plan_from_reference, state, two_tenants, Client, Parte, Reply, Tenants};

pub(crate) struct Cartella(PathBuf);

impl Cartella {
    pub(crate) fn new() -> Cartella {
        let d = std::env::temp_dir().join(format!("allegato-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&d).unwrap();
        Cartella(d)
    }
    pub(crate) fn p(&self, nome: &str) -> PathBuf {
        self.0.join(nome)
    }
    pub(crate) fn scrivi(&self, nome: &str, dati: &[u8]) -> PathBuf {
        let p = self.p(nome);
        std::fs::write(&p, dati).unwrap();
        p
    }
}

impl Drop for Cartella {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn esegui(programma: &str, args: &[&str]) -> String {
    let out = Command::new(programma)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{programma}: {e}"));
    assert!(
        out.status.success(),
        "{programma} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A self-signed certificate and key made with openssl: (cert.pem, key.pem, key PKCS#8 DER,
/// cert DER).
pub(crate) fn certificato(
    dir: &Cartella,
    nome: &str,
    cn: &str,
    rsa: bool,
) -> (PathBuf, PathBuf, Vec<u8>, Vec<u8>) {
    let (cert, key) = (dir.p(&format!("{nome}.pem")), dir.p(&format!("{nome}.key")));
    let mut args = vec!["req", "-x509", "-newkey"];
    if rsa {
        args.push("rsa:2048");
    } else {
        args.extend(["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    }
    let subj = format!("/CN={cn}/O=Comune di Prova/C=IT");
    args.extend([
        "-keyout",
        s(&key),
        "-out",
        s(&cert),
        "-days",
        "30",
        "-nodes",
        "-subj",
        &subj,
    ]);
    esegui("openssl", &args);
    let key_der = dir.p(&format!("{nome}.key.der"));
    esegui(
        "openssl",
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            s(&key),
            "-outform",
            "DER",
            "-out",
            s(&key_der),
        ],
    );
    let cert_der = dir.p(&format!("{nome}.der"));
    esegui(
        "openssl",
        &[
            "x509",
            "-in",
            s(&cert),
            "-outform",
            "DER",
            "-out",
            s(&cert_der),
        ],
    );
    (
        cert,
        key,
        std::fs::read(key_der).unwrap(),
        std::fs::read(cert_der).unwrap(),
    )
}

/// A PKCS#12 file of `cert` and `key` under `password`, as openssl exports it, with `extra`
/// options (e.g. the iteration count).
pub(crate) fn p12(
    dir: &Cartella,
    cert: &Path,
    key: &Path,
    password: &str,
    extra: &[&str],
) -> Vec<u8> {
    let out = dir.p(&format!("{}.p12", Uuid::new_v4()));
    let pass = format!("pass:{password}");
    let mut args = vec!["pkcs12", "-export"];
    args.extend_from_slice(extra);
    args.extend([
        "-inkey",
        s(key),
        "-in",
        s(cert),
        "-out",
        s(&out),
        "-passout",
        &pass,
    ]);
    esegui("openssl", &args);
    std::fs::read(out).unwrap()
}

pub(crate) fn pdftotext(dir: &Cartella, pdf: &[u8], modo: &str) -> String {
    let f = dir.scrivi(&format!("{}.pdf", Uuid::new_v4()), pdf);
    esegui("pdftotext", &[modo, s(&f), "-"])
}

pub(crate) fn normale(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Ente A with the reference plan for 2022, approved with delibera 45 of 30/03/2022.
pub(crate) async fn piano_approvato(db: &TestDb, t: &Tenants) {
    plan_from_reference(db, t.ente_a, 2022).await;
    con_provincia(db, t.ente_a).await;
    approva(db, t.ente_a).await;
}

/// Gives `ente` the provincia its documents' heading names.
pub(crate) async fn con_provincia(db: &TestDb, ente: Uuid) {
    sqlx::query("update enti set provincia = 'Provincia di Prova' where id = $1")
        .bind(ente)
        .execute(&mut db.owner().await)
        .await
        .unwrap();
}

/// Approves the 2022 plan of `ente` (reopening it first if it is approved).
pub(crate) async fn approva(db: &TestDb, ente: Uuid) {
    let mut c = db.owner().await;
    sqlx::query(
        "update piani set stato = 'bozza', delibera_numero = null, delibera_data = null,
                version = version + 1 where ente_id = $1 and anno = 2022 and stato = 'approvato'",
    )
    .bind(ente)
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::query(
        "update piani set stato = 'approvato', delibera_numero = '45', delibera_data = '2022-03-30',
                version = version + 1 where ente_id = $1 and anno = 2022",
    )
    .bind(ente)
    .execute(&mut c)
    .await
    .unwrap();
    // Approved outside the application: its final PDF is made as at start-up.
    assert_eq!(
        app::ssr::allegato::completa_finali(&db.pool).await.unwrap(),
        1
    );
}

/// Signs the approved 2022 plan here, through the plan page's «Firma ora».
pub(crate) async fn firma_ora(c: &mut Client, slug: &str, formato: &str) -> Reply {
    c.post(
        "/api/allegato/firma/applica",
        &[("slug", slug), ("anno", "2022"), ("formato", formato)],
    )
    .await
}

/// The bytes of an archived signed copy.
async fn scarica_copia(c: &mut Client, slug: &str, f: &app::model::FirmatoView) -> Vec<u8> {
    let (status, _, dati) = c
        .download(&format!("/e/{slug}/piani/2022/firmati/{}", f.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    dati
}

pub(crate) fn errore(body: &str) -> String {
    serde_json::from_str::<app::error::AppError>(body)
        .map(|e| e.to_string())
        .unwrap_or_else(|_| body.to_string())
}

#[tokio::test]
async fn the_reference_plan_prints_every_objective_and_phase_in_order() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    let dir = Cartella::new();
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let (status, tipo, pdf) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_eq!(tipo, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-1.7"));

    // Content stream order: each cell's lines in sequence.
    let testo = normale(&pdftotext(&dir, &pdf, "-raw"));
    for atteso in [
        "COMUNE A",
        "Provincia di Prova",
        "PIANO DEGLI OBIETTIVI, DELLE ATTIVITA’ E DELLA PERFORMANCE",
        "AI SENSI DELL’ART. 169 C. 3-BIS DEL DLGS 267/2000 E ART. 10 DEL DLGS 150/2009",
        "TRIENNIO 2022/2024 – ANNUALITA’ 2022",
        "ALLEGATO AL PIANO ESECUTIVO DI GESTIONE, APPROVATO CON DELIBERA DI GIUNTA N. 45 DEL 30/03/2022",
        "I RIFERIMENTI NORMATIVI",
        "Il Ciclo della Performance risulta disciplinato dal D. Lgs. 27 ottobre 2009 n. 150 “Attuazione della legge",
        "STRUTTURA: SEGRETERIA – SEGRETARIO GENERALE:",
        "Linea Strategica",
        "Dipendenti coinvolti sugli obiettivi:",
        "pag. 1 di",
    ] {
        assert!(testo.contains(atteso), "manca «{atteso}»");
    }
    assert!(!testo.contains("BOZZA"));
    let mut pos = 0;
    let mut trova = |cosa: String| {
        let cosa = normale(&cosa);
        match testo[pos..].find(&cosa) {
            Some(i) => pos += i + cosa.len(),
            None => panic!(
                "«{cosa}» non compare dopo: …{}",
                &testo[pos.saturating_sub(200)..pos]
            ),
        }
    };
    let mut n = 0;
    for s in &modello().strutture {
        trova(format!("STRUTTURA: {}", s.nome));
        trova("Data Fine Attesa".into());
        for o in &s.obiettivi {
            trova(o.descrizione.clone());
            trova(o.peso.label());
            trova(o.data_fine.format("%d.%m.%Y").to_string());
            for f in &o.fasi {
                trova(format!("Fase: {}", f.descrizione));
                trova(format!("({})", f.peso.label()));
                trova(f.data_fine.format("%d.%m.%Y").to_string());
                n += 1;
            }
            n += 1;
        }
    }
    assert!(n > 80, "{n} rows checked");
    // The accented letters and typographic quotes of the reference come out as they are.
    for c in ["à", "è", "é", "ù", "ò", "ì", "’", "“", "”", "–"] {
        assert!(testo.contains(c), "manca {c}");
    }
    // Every page numbered, in landscape A4.
    let pagine = pdftotext(&dir, &pdf, "-layout");
    let tot = pagine
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .count();
    assert!(tot > 10, "{tot} pages");
    assert!(normale(&pagine).contains(&format!("pag. {tot} di {tot}")));
    let f = dir.scrivi("info.pdf", &pdf);
    let info = esegui("pdfinfo", &[s(&f)]);
    assert!(info.contains("841.89 x 595.28 pts (A4)"), "{info}");
    let fonts = esegui("pdffonts", &[s(&f)]);
    assert!(fonts.contains("TitilliumWeb-Regular") && fonts.contains("TitilliumWeb-Bold"));
    for riga in fonts.lines().skip(2) {
        assert!(riga.contains(" yes "), "font not embedded: {riga}");
    }
    let meta = esegui("pdfinfo", &["-meta", s(&f)]);
    assert!(
        meta.contains("<pdfaid:part>2</pdfaid:part>")
            && meta.contains("<pdfaid:conformance>B</pdfaid:conformance>")
    );

    // Ente B's plan is a draft: BOZZA on every page, no delibera.
    let mut admin_b = Client::logged_in(&st, "admin.b@test.it").await;
    let (status, _, bozza) = admin_b.download("/e/ente-b/piani/2022/allegato.pdf").await;
    assert_eq!(status, StatusCode::OK);
    let pagine = pdftotext(&dir, &bozza, "-raw");
    let pagine: Vec<&str> = pagine
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pagine.len() > 10);
    for p in &pagine {
        assert!(p.contains("BOZZA"), "page without BOZZA: {p}");
    }
    assert!(pagine[0].contains("DELIBERA DI GIUNTA N. _______ DEL _________"));
}

/// How many rows each table that records exports, signatures and actions holds.
async fn righe(db: &TestDb) -> (i64, i64, i64) {
    let mut o = db.owner().await;
    sqlx::query_as(
        "select (select count(*) from allegati_esportati), (select count(*) from allegati_firmati),
                (select count(*) from audit_log)",
    )
    .fetch_one(&mut o)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_final_pdf_is_made_once_at_approval_and_downloads_change_nothing() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let prima = righe(&db).await;
    let (status, _, uno) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, due) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    // The same bytes each time, and nothing written: a GET changes nothing.
    assert_eq!(uno, due);
    assert_eq!(righe(&db).await, prima);
    // Start-up finds nothing left to make.
    assert_eq!(
        app::ssr::allegato::completa_finali(&db.pool).await.unwrap(),
        0
    );
    // A draft is made on each request, and not recorded either.
    let mut admin_b = Client::logged_in(&st, "admin.b@test.it").await;
    let (status, _, _) = admin_b.download("/e/ente-b/piani/2022/allegato.pdf").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(righe(&db).await, prima);

    // Reopened and approved again through the application: a new final PDF, made by the
    // approval, with the new delibera; the old one stays recorded for copies signed before.
    let r = admin
        .post("/api/piani/riapri", &[("slug", "ente-a"), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The reference's placeholders, written as the ente would.
    let mut o = db.owner().await;
    sqlx::query(
        "update obiettivi set descrizione = 'Obiettivo dell''area n. ' || posizione
          where ente_id = $1 and descrizione like 'Obiettivo di sviluppo specifico%'",
    )
    .bind(t.ente_a)
    .execute(&mut o)
    .await
    .unwrap();
    sqlx::query("update fasi set descrizione = 'Fase n. ' || posizione where ente_id = $1 and descrizione = ''")
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    let r = admin
        .post(
            "/api/piani/approva",
            &[
                ("slug", "ente-a"),
                ("anno", "2022"),
                ("delibera_numero", "77"),
                ("delibera_data", "15/04/2022"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let finali: i64 = sqlx::query_scalar(
        "select count(*) from allegati_esportati where ente_id = $1 and contenuto is not null",
    )
    .bind(t.ente_a)
    .fetch_one(&mut o)
    .await
    .unwrap();
    assert_eq!(finali, 2);
    let (_, _, nuovo) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_ne!(nuovo, uno);
    let dir = Cartella::new();
    let testo = normale(&pdftotext(&dir, &nuovo, "-raw"));
    assert!(testo.contains("N. 77 DEL 15/04/2022"), "{}", &testo[..600]);
    // The kept bytes cannot be swapped for others' eyes: one final PDF per version.
    let e = sqlx::query(
        "insert into allegati_esportati (ente_id, piano_id, piano_version, tipo, sha256, dimensione, contenuto)
         select ente_id, piano_id, piano_version, 'pdf', sha256(contenuto || 'x'::bytea), dimensione + 1, contenuto || 'x'::bytea
           from allegati_esportati where ente_id = $1 and contenuto is not null limit 1",
    )
    .bind(t.ente_a)
    .execute(&mut o)
    .await
    .unwrap_err();
    assert!(e.to_string().contains("allegati_esportati_finale"), "{e}");
}

#[tokio::test]
async fn signed_here_pades_and_cades_verify_with_standard_tools() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    let dir = Cartella::new();
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;

    // No certificate yet: a clear message.
    let r = firma_ora(&mut admin, "ente-a", "pades").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nessun certificato di firma"), "{}", r.body);

    let (cert, key, pkcs8, _) = certificato(&dir, "anna", "Anna Firmataria", true);
    let p12 = p12(&dir, &cert, &key, "segreta", &[]);
    let r = salva_certificato(&mut admin, "ente-a", &p12, "sbagliata", "", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errore(&r.body).starts_with("Impossibile aprire il file PKCS#12"),
        "{}",
        r.body
    );
    let r = salva_certificato(
        &mut admin,
        "ente-a",
        &p12,
        "segreta",
        "",
        "Segretario Generale",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let info: app::model::FirmaInfo = serde_json::from_str(&r.body).unwrap();
    assert_eq!(info.firmatario, "Anna Firmataria");
    // At rest the key is encrypted.
    let mut o = db.owner().await;
    let cifrata: Vec<u8> =
        sqlx::query_scalar("select chiave_cifrata from firme_ente where ente_id = $1")
            .bind(t.ente_a)
            .fetch_one(&mut o)
            .await
            .unwrap();
    assert!(!cifrata
        .windows(64)
        .any(|w| pkcs8.windows(64).any(|k| k == w)));
    // Only admins and consultants configure it.
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let r = resp
        .post("/api/allegato/firma/rimuovi", &[("slug", "ente-a")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Signed here: a POST, the signed file goes to the archive and downloads from there.
    let r = firma_ora(&mut admin, "ente-a", "pades").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let copia: app::model::FirmatoView = serde_json::from_str(&r.body).unwrap();
    assert_eq!(copia.nome_file, "piano-obiettivi-ente-a-2022-firmato.pdf");
    assert_eq!(copia.formato, "pades");
    assert_eq!(copia.firmatario, "Anna Firmataria");
    let firmato = scarica_copia(&mut admin, "ente-a", &copia).await;
    assert_eq!(copia.dimensione as usize, firmato.len());
    let f = dir.scrivi("firmato.pdf", &firmato);
    let out = esegui("pdfsig", &[s(&f)]);
    assert!(out.contains("Signature is Valid."), "{out}");
    assert!(out.contains("Anna Firmataria"), "{out}");
    assert!(
        out.contains("ETSI.CAdES.detached") || out.contains("PAdES"),
        "{out}"
    );
    // The signer's name and role are in the closing block.
    let testo = normale(&pdftotext(&dir, &firmato, "-raw"));
    assert!(
        testo.contains("Il Segretario Generale Anna Firmataria"),
        "{}",
        &testo[testo.len() - 600..]
    );
    // Our own verifier agrees; the copy is in the archive already, once.
    let v = app::ssr::allegato::verifica::verifica(&firmato).unwrap();
    assert_eq!(v.firmatario, "Anna Firmataria");
    let r = carica(&mut admin, "ente-a", "firmato.pdf", &firmato).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errore(&r.body).contains("già nell'archivio"), "{}", r.body);

    let r = firma_ora(&mut admin, "ente-a", "cades").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let busta: app::model::FirmatoView = serde_json::from_str(&r.body).unwrap();
    assert_eq!(busta.nome_file, "piano-obiettivi-ente-a-2022.pdf.p7m");
    let (status, tipo, p7m) = admin
        .download(&format!("/e/ente-a/piani/2022/firmati/{}", busta.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tipo, "application/pkcs7-mime");
    let f = dir.scrivi("allegato.pdf.p7m", &p7m);
    let contenuto = dir.p("contenuto.pdf");
    let out = Command::new("openssl")
        .args([
            "cms",
            "-verify",
            "-cades",
            "-binary",
            "-inform",
            "DER",
            "-in",
            s(&f),
            "-CAfile",
            s(&cert),
            "-purpose",
            "any",
            "-out",
            s(&contenuto),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Verification successful"));
    assert!(std::fs::read(&contenuto).unwrap().starts_with(b"%PDF"));

    // Readers export the PDF but do not sign; a dipendente does neither.
    let mut nucleo = Client::logged_in(&st, "nucleo.a@test.it").await;
    assert_eq!(
        nucleo.download("/e/ente-a/piani/2022/allegato.pdf").await.0,
        StatusCode::OK
    );
    assert_eq!(
        firma_ora(&mut nucleo, "ente-a", "pades").await.status,
        StatusCode::FORBIDDEN
    );
    // The signing routes that were GETs are gone: a link can no longer sign.
    for vecchio in ["allegato-firmato.pdf", "allegato.pdf.p7m"] {
        let r = admin.get(&format!("/e/ente-a/piani/2022/{vecchio}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{vecchio}");
    }
    let mut dip = Client::logged_in(&st, "dip.a@test.it").await;
    assert_eq!(
        dip.download("/e/ente-a/piani/2022/allegato.pdf").await.0,
        StatusCode::FORBIDDEN
    );
    // Without a session: to the login page.
    let mut anonimo = Client::new(&st);
    let r = anonimo.get("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A draft is not signed.
    let mut o = db.owner().await;
    sqlx::query("update piani set stato = 'bozza' where ente_id = $1")
        .bind(t.ente_a)
        .execute(&mut o)
        .await
        .unwrap();
    let r = firma_ora(&mut admin, "ente-a", "cades").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errore(&r.body).contains("Solo un piano approvato"),
        "{}",
        r.body
    );
    // Removed: gone.
    let r = admin
        .post("/api/allegato/firma/rimuovi", &[("slug", "ente-a")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let n: i64 = sqlx::query_scalar("select count(*) from firme_ente")
        .fetch_one(&mut o)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

pub(crate) async fn carica(
    c: &mut Client,
    slug: &str,
    nome: &str,
    dati: &[u8],
) -> crate::support::Reply {
    c.post_multipart(
        "/api/carica/copia-firmata",
        &[
            ("slug", Parte::Testo(slug)),
            ("anno", Parte::Testo("2022")),
            ("file", Parte::File(nome, dati)),
        ],
    )
    .await
}

/// The ente's signing certificate, uploaded as the page does.
pub(crate) async fn salva_certificato(
    c: &mut Client,
    slug: &str,
    p12: &[u8],
    password: &str,
    firmatario: &str,
    ruolo: &str,
) -> Reply {
    c.post_multipart(
        "/api/carica/certificato-firma",
        &[
            ("slug", Parte::Testo(slug)),
            ("password", Parte::Testo(password)),
            ("firmatario", Parte::Testo(firmatario)),
            ("ruolo", Parte::Testo(ruolo)),
            ("file", Parte::File("firma.p12", p12)),
        ],
    )
    .await
}

#[tokio::test]
async fn copies_signed_elsewhere_are_verified_then_archived_or_refused() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    approva(&db, t.ente_b).await;
    let st = state(&db);
    let dir = Cartella::new();
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let (_, _, pdf) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    let pdf_path = dir.scrivi("a.pdf", &pdf);

    // CAdES with openssl, by someone else's certificate.
    let (cert, key, pkcs8, cert_der) = certificato(&dir, "luca", "Luca Esterno", false);
    let p7m = dir.p("a.pdf.p7m");
    esegui(
        "openssl",
        &[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-cades",
            "-md",
            "sha256",
            "-outform",
            "DER",
            "-in",
            s(&pdf_path),
            "-signer",
            s(&cert),
            "-inkey",
            s(&key),
            "-out",
            s(&p7m),
        ],
    );
    let p7m = std::fs::read(&p7m).unwrap();
    let r = carica(&mut admin, "ente-a", "a.pdf.p7m", &p7m).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f: app::model::FirmatoView = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (f.firmatario.as_str(), f.formato.as_str()),
        ("Luca Esterno", "cades")
    );
    assert!(f.firmato_il.is_some());
    // The same file again: already there.
    let r = carica(&mut admin, "ente-a", "a.pdf.p7m", &p7m).await;
    assert!(errore(&r.body).contains("già nell'archivio"), "{}", r.body);

    // PAdES by another signer (our signer with Luca's certificate, as a smart-card tool would).
    let luca = FirmatarioLocale::new(&pkcs8, &[cert_der]).unwrap();
    let pades = firma::pades(&luca, pdf.clone(), "Luca Esterno", "Approvazione").unwrap();
    let out = esegui("pdfsig", &[s(&dir.scrivi("pades.pdf", &pades))]);
    assert!(out.contains("Signature is Valid."), "{out}");
    let r = carica(&mut admin, "ente-a", "piano firmato.pdf", &pades).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let fp: app::model::FirmatoView = serde_json::from_str(&r.body).unwrap();
    assert_eq!(fp.formato, "pades");

    // Both listed, both downloadable as they were.
    let r = admin
        .post(
            "/api/allegato/stato",
            &[("slug", "ente-a"), ("anno", "2022")],
        )
        .await;
    let stato: app::model::AllegatoStato = serde_json::from_str(&r.body).unwrap();
    assert_eq!(stato.firmati.len(), 2);
    // The plan page reads the same state with the plan, in one call.
    let r = admin
        .post("/api/piani/carica", &[("slug", "ente-a"), ("anno", "2022")])
        .await;
    let piano: app::model::PianoView = serde_json::from_str(&r.body).unwrap();
    assert_eq!(piano.allegato.as_ref(), Some(&stato));
    let (status, tipo, copia) = admin
        .download(&format!("/e/ente-a/piani/2022/firmati/{}", fp.id))
        .await;
    assert_eq!((status, tipo.as_str()), (StatusCode::OK, "application/pdf"));
    assert_eq!(copia, pades);
    let (_, tipo, copia) = admin
        .download(&format!("/e/ente-a/piani/2022/firmati/{}", f.id))
        .await;
    assert_eq!(
        (tipo.as_str(), copia),
        ("application/pkcs7-mime", p7m.clone())
    );

    // Tampered inside the signed bytes: the signature no longer verifies.
    let mut manomesso = pades.clone();
    let i = manomesso
        .windows(11)
        .position(|w| w == b"(Obiettivi)")
        .unwrap();
    manomesso[i + 9] = b'o';
    let r = carica(&mut admin, "ente-a", "x.pdf", &manomesso).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errore(&r.body).starts_with("La firma non è valida"),
        "{}",
        r.body
    );
    // Something added after the signature.
    let mut aggiunto = pades.clone();
    aggiunto.extend_from_slice(b"\n% aggiunta\n");
    let r = carica(&mut admin, "ente-a", "x.pdf", &aggiunto).await;
    assert!(
        errore(&r.body).contains("modificato dopo la firma"),
        "{}",
        r.body
    );
    // The export with its content changed by an update before signing: refused.
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pagina = *doc.get_pages().values().next().unwrap();
    let mut inc = lopdf::IncrementalDocument::create_from(pdf.clone(), doc.clone());
    inc.opt_clone_object_to_new_document(pagina).unwrap();
    let nuovo = inc
        .new_document
        .add_object(lopdf::Stream::new(lopdf::dictionary! {}, b"BT ET".to_vec()));
    inc.new_document
        .get_object_mut(pagina)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Contents", nuovo);
    let mut cambiato = Vec::new();
    inc.save_to(&mut cambiato).unwrap();
    let estraneo = firma::pades(&luca, cambiato, "Luca", "x").unwrap();
    let r = carica(&mut admin, "ente-a", "x.pdf", &estraneo).await;
    assert!(
        errore(&r.body).starts_with("Il file firmato modifica il contenuto"),
        "{}",
        r.body
    );
    // Not signed at all.
    let r = carica(&mut admin, "ente-a", "x.pdf", &pdf).await;
    assert!(
        errore(&r.body).starts_with("Il PDF non contiene firme digitali"),
        "{}",
        r.body
    );

    // Another ente's attachment, validly signed: refused in ente A.
    let mut admin_b = Client::logged_in(&st, "admin.b@test.it").await;
    let (_, _, pdf_b) = admin_b.download("/e/ente-b/piani/2022/allegato.pdf").await;
    let pades_b = firma::pades(&luca, pdf_b, "Luca Esterno", "x").unwrap();
    let r = carica(&mut admin, "ente-a", "b.pdf", &pades_b).await;
    assert!(
        errore(&r.body).starts_with("Il documento firmato non corrisponde"),
        "{}",
        r.body
    );
    // ... and B's archive cannot be read through A.
    let r = admin_b
        .get(&format!("/e/ente-b/piani/2022/firmati/{}", fp.id))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The plan reopened and approved again: a copy of the old export is out of date.
    approva(&db, t.ente_a).await;
    let vecchio = firma::pades(&luca, pdf.clone(), "Luca Esterno", "ancora").unwrap();
    let r = carica(&mut admin, "ente-a", "vecchio.pdf", &vecchio).await;
    assert!(
        errore(&r.body).contains("versione precedente"),
        "{}",
        r.body
    );

    // A responsabile may not archive.
    let mut resp = Client::logged_in(&st, "resp.a@test.it").await;
    let r = carica(&mut resp, "ente-a", "x.pdf", &pades).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The archive is immutable, even for the runtime role in its own ente.
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("select set_config('app.ente_id', $1, true)")
        .bind(t.ente_a.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let e = sqlx::query("delete from allegati_firmati where ente_id = $1")
        .bind(t.ente_a)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("non si modifica"), "{e}");
}

#[tokio::test]
async fn the_demo_signs_out_of_the_box() {
    let db = TestDb::new().await;
    server::demo::load(
        &db.owner_url,
        &app::ssr::allegato::custodia::ChiaveFirme::di_prova(),
    )
    .await
    .unwrap();
    let st = state(&db);
    let dir = Cartella::new();
    let mut c = Client::new(&st);
    let r = c
        .login("segretario@esempio.demo", server::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(r.location.as_deref(), Some("/"));
    let r = firma_ora(&mut c, "comune-di-esempio", "pades").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let copia: app::model::FirmatoView = serde_json::from_str(&r.body).unwrap();
    let pdf = scarica_copia(&mut c, "comune-di-esempio", &copia).await;
    let out = esegui("pdfsig", &[s(&dir.scrivi("demo.pdf", &pdf))]);
    assert!(
        out.contains("Signature is Valid.") && out.contains("Sergio Segretario"),
        "{out}"
    );
    let testo = normale(&pdftotext(&dir, &pdf, "-raw"));
    // Staff of the demo are listed under their struttura.
    assert!(
        testo.contains("Dipendente Dario (0105)"),
        "{}",
        &testo[..2000]
    );
}

/// The final PDF is read from the database once per version of the plan, then from memory
/// (its bytes never change); reopening and approving again brings the new one.
#[tokio::test]
async fn the_final_pdf_is_read_once_per_version() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    piano_approvato(&db, &t).await;
    let st = state(&db);
    let mut admin = Client::logged_in(&st, "admin.a@test.it").await;
    let (status, _, uno) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_eq!(status, StatusCode::OK);
    // Behind the application's back (the archive's guard switched off): other bytes.
    let mut o = db.owner().await;
    crate::support::senza_guardie(
        &mut o,
        sqlx::query(
            "update allegati_esportati set contenuto = '\\x00', dimensione = 1
              where ente_id = $1 and contenuto is not null",
        )
        .bind(t.ente_a),
    )
    .await;
    let (_, _, due) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_eq!(due, uno, "the bytes come from memory");
    // A new version, made and read afresh.
    approva(&db, t.ente_a).await;
    let (status, _, tre) = admin.download("/e/ente-a/piani/2022/allegato.pdf").await;
    assert_eq!(status, StatusCode::OK);
    let nuovo: Vec<u8> = sqlx::query_scalar(
        "select a.contenuto from allegati_esportati a
           join piani p on p.ente_id = a.ente_id and p.id = a.piano_id and p.version = a.piano_version
          where a.ente_id = $1 and p.anno = 2022",
    )
    .bind(t.ente_a)
    .fetch_one(&mut o)
    .await
    .unwrap();
    assert!(nuovo.starts_with(b"%PDF"));
    assert_eq!(tre, nuovo);
}
