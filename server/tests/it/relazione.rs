//! The Relazione sulla Performance on the demo's 2022 year (adopted, its validation
//! started): the adopted PDF/A holds every objective with its score and stays the same
//! bytes, the ODT is a valid OpenDocument, roles, the Nucleo's validation (the sample
//! examined, the checklist, the signature checked with pdfsig), the publication bundle
//! whose manifest matches its files, and a board's document signed by two members.

use axum::http::StatusCode;
use server::testing::TestDb;

use crate::allegato::{certificato, errore, esegui, normale, p12, pdftotext, s, Cartella};
use crate::support::{state, Client, Parte};
use app::model::{ChiusuraView, RelazioneView};

const ENTE: &str = "comune-di-esempio";

async fn persona(st: &server::state::AppState, email: &str) -> Client {
    let mut c = Client::new(st);
    c.login(email, server::demo::DEMO_PASSWORD).await;
    c
}

async fn vista(c: &mut Client) -> RelazioneView {
    let r = c
        .post("/api/relazione", &[("slug", ENTE), ("anno", "2022")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// Runs a Python snippet on a file: the tests read zips with the standard library's zipfile.
fn python(codice: &str, file: &std::path::Path) -> String {
    esegui("python3", &["-c", codice, s(file)])
}

#[tokio::test]
async fn the_demo_relazione_is_adopted_validated_and_published() {
    let db = TestDb::new().await;
    server::demo::load(
        &db.owner_url,
        &app::ssr::allegato::custodia::ChiaveFirme::di_prova(),
    )
    .await
    .unwrap();
    let st = state(&db);
    let mut admin = persona(&st, "segretario@esempio.demo").await;
    let mut nadia = persona(&st, "nucleo@esempio.demo").await;
    let mut rita = persona(&st, "responsabile@esempio.demo").await;
    let dir = Cartella::new();

    // The Giunta adopts it (the demo leaves that to do), the Nucleo starts the validation.
    let r = vista(&mut admin).await;
    assert_eq!(r.stato, "bozza");
    assert!(r.risultati_completi && r.contesto.contains("12.400 abitanti"));
    let version = r.version.to_string();
    let r = admin
        .post(
            "/api/relazione/adotta",
            &[
                ("slug", ENTE),
                ("anno", "2022"),
                ("version", &version),
                ("delibera_numero", "58"),
                ("delibera_data", "2023-04-27"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let avvia = [("slug", ENTE), ("anno", "2022"), ("componenti", "1")];
    let r = admin.post("/api/relazione/validazione", &avvia).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = nadia.post("/api/relazione/validazione", &avvia).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The adopted Relazione: the same bytes at every download, every objective with its score.
    let r = vista(&mut admin).await;
    assert_eq!(r.stato, "adottata");
    let url = format!("/e/{ENTE}/piani/2022/relazione.pdf");
    let (stato, tipo, pdf) = admin.download(&url).await;
    assert_eq!((stato, tipo.as_str()), (StatusCode::OK, "application/pdf"));
    assert_eq!(pdf, admin.download(&url).await.2);
    let testo = normale(&pdftotext(&dir, &pdf, "-raw"));
    for atteso in [
        "RELAZIONE SULLA PERFORMANCE",
        "adottata con delibera di Giunta n. 58 del 27/04/2023",
        "1. Il contesto",
        "12.400 abitanti",
        "2. I risultati",
        "Risultato complessivo dell’ente:",
        "3. Le modifiche nel corso dell’anno",
        "Versione 2: delibera di Giunta n. 85 del 15/07/2022",
        "4. La performance individuale",
        "6. Pari opportunità",
        "7. Il processo",
        "Monitoraggio al 30/06/2022: chiuso",
    ] {
        assert!(testo.contains(atteso), "«{atteso}» missing from: {testo}");
    }
    let c = admin
        .post("/api/chiusura", &[("slug", ENTE), ("anno", "2022")])
        .await;
    let c: ChiusuraView = serde_json::from_str(&c.body).unwrap();
    for st in &c.strutture {
        for o in &st.obiettivi {
            let inizio: String = normale(&o.descrizione).chars().take(30).collect();
            assert!(testo.contains(&inizio), "«{inizio}» missing");
            let punteggio = if o.non_valutabile {
                "non valutabile".to_string()
            } else {
                app::domain::smvp::percento(o.finale.unwrap())
            };
            assert!(testo.contains(&punteggio), "{punteggio} missing");
        }
    }
    assert!(testo.contains("72,5%"));
    assert!(
        testo.contains("Nucleo (Nadia Nucleo,"),
        "who decided, in the Relazione"
    );
    // From now on the results do not change: they are what the Relazione says.
    let c0 = c.strutture[0].obiettivi[0].id.to_string();
    let r = nadia
        .post(
            "/api/chiusura/rettifica",
            &[
                ("slug", ENTE),
                ("anno", "2022"),
                ("obiettivo_id", &c0),
                ("tipo", "non_valutabile"),
                ("motivo", "Dopo l'adozione"),
            ],
        )
        .await;
    assert!(errore(&r.body).contains("adottata"), "{}", r.body);

    // The ODT: a zip with `mimetype` first, and the chapters in content.xml.
    let (stato, tipo, odt) = admin
        .download(&format!("/e/{ENTE}/piani/2022/relazione.odt"))
        .await;
    assert_eq!(stato, StatusCode::OK);
    assert_eq!(tipo, "application/vnd.oasis.opendocument.text");
    let out = python(
        "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(z.namelist()[0]); print(z.read('mimetype').decode()); print(z.read('content.xml').decode())",
        &dir.scrivi("r.odt", &odt),
    );
    assert!(
        out.starts_with("mimetype\napplication/vnd.oasis.opendocument.text"),
        "{out}"
    );
    assert!(out.contains("7. Il processo") && out.contains("72,5%"));

    // Roles: a responsabile neither writes nor adopts it, nor validates; an admin does not
    // examine.
    let r = rita
        .post(
            "/api/relazione/salva",
            &[
                ("slug", ENTE),
                ("anno", "2022"),
                ("version", "2"),
                ("contesto", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .post(
            "/api/relazione/salva",
            &[
                ("slug", ENTE),
                ("anno", "2022"),
                ("version", "2"),
                ("contesto", "x"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "adopted: {}",
        r.body
    );
    assert!(errore(&r.body).contains("adottata"), "{}", r.body);
    let v = vista(&mut nadia).await.validazione.unwrap();
    assert!(
        v.campione.len() >= 3,
        "10% of the objectives: {}",
        v.campione.len()
    );
    let primo = v.campione[0].obiettivo_id.to_string();
    let esamina = |o: &str| {
        vec![
            ("slug", ENTE.to_string()),
            ("anno", "2022".into()),
            ("obiettivo_id", o.to_string()),
        ]
    };
    let form = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, x)| (*k, x.clone())).collect::<Vec<_>>()
    };
    let f = form(&esamina(&primo));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = admin.post("/api/relazione/esamina", &f).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The validation: the outcome first, every sampled objective examined, then the signature.
    let (cert, key, _, _) = certificato(&dir, "nucleo", "Nadia Nucleo", true);
    let p12 = p12(&dir, &cert, &key, "segreta", &[]);
    let firma = async |c: &mut Client, version: i32| {
        let v = version.to_string();
        c.post_multipart(
            "/api/carica/validazione",
            &[
                ("slug", Parte::Testo(ENTE)),
                ("anno", Parte::Testo("2022")),
                ("version", Parte::Testo(&v)),
                ("password", Parte::Testo("segreta")),
                ("file", Parte::File("nucleo.p12", &p12)),
            ],
        )
        .await
    };
    let r = firma(&mut nadia, v.version).await;
    assert!(errore(&r.body).contains("Registra prima"), "{}", r.body);
    let esito = |version: String, esito: &'static str, testo: &'static str, tutte: bool| {
        let mut f = vec![
            ("slug", ENTE.to_string()),
            ("anno", "2022".into()),
            ("version", version),
            ("conformita", "on".into()),
            ("attendibilita", "on".into()),
            ("comprensibilita", "on".into()),
            ("esito", esito.into()),
            ("testo", testo.into()),
        ];
        if tutte {
            f.push(("modifiche_motivate", "on".into()));
        }
        f
    };
    for (e, t, tutte, messaggio) in [
        ("validata", "", false, "tutte le verifiche positive"),
        (
            "validata_osservazioni",
            " ",
            false,
            "Scrivi le osservazioni",
        ),
    ] {
        let f = esito(v.version.to_string(), e, t, tutte);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = nadia.post("/api/relazione/esito", &f).await;
        assert!(errore(&r.body).contains(messaggio), "{}", r.body);
    }
    let f = esito(v.version.to_string(), "validata", "", true);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = nadia.post("/api/relazione/esito", &f).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = vista(&mut nadia).await.validazione.unwrap();
    let r = firma(&mut nadia, v.version).await;
    assert!(errore(&r.body).contains("Esamina prima"), "{}", r.body);
    for c in &v.campione {
        let o = c.obiettivo_id.to_string();
        let f = form(&esamina(&o));
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = nadia.post("/api/relazione/esamina", &f).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let v = vista(&mut nadia).await.validazione.unwrap();
    let r = firma(&mut nadia, v.version).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "true"));
    let r = vista(&mut admin).await;
    assert_eq!(r.stato, "validata");
    let v = r.validazione.unwrap();
    assert_eq!(v.firmatari, vec!["Nadia Nucleo".to_string()]);
    let r = firma(&mut nadia, v.version).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "signed twice: {}",
        r.body
    );
    let f = esito(v.version.to_string(), "non_validata", "Ripensamento", true);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = nadia.post("/api/relazione/esito", &f).await;
    assert!(
        matches!(
            r.status,
            StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
        ),
        "{}",
        r.body
    );
    let (stato, _, doc) = admin
        .download(&format!("/e/{ENTE}/piani/2022/validazione.pdf"))
        .await;
    assert_eq!(stato, StatusCode::OK);
    let out = esegui("pdfsig", &[s(&dir.scrivi("validazione.pdf", &doc))]);
    assert!(out.contains("Signature is Valid."), "{out}");
    assert!(out.contains("Nadia Nucleo"), "{out}");
    let testo = normale(&pdftotext(&dir, &doc, "-raw"));
    for atteso in [
        "DOCUMENTO DI VALIDAZIONE DELLA RELAZIONE SULLA PERFORMANCE",
        "delibera di Giunta n. 58 del 27/04/2023",
        "Esito: Validata",
        &v.campione[0].dove,
    ] {
        assert!(testo.contains(atteso), "«{atteso}» missing from: {testo}");
    }

    // The bundle: every file's SHA-256 in the manifest, the CSV's documented columns.
    let (stato, tipo, zip) = admin
        .download(&format!("/e/{ENTE}/piani/2022/pubblicazione.zip"))
        .await;
    assert_eq!((stato, tipo.as_str()), (StatusCode::OK, "application/zip"));
    let out = python(
        "import zipfile,hashlib,sys\n\
z=zipfile.ZipFile(sys.argv[1]); nomi=z.namelist()\n\
somme={l.split('  ',1)[1]: l.split('  ',1)[0] for l in z.read('SHA256SUMS').decode().splitlines()}\n\
print(all(hashlib.sha256(z.read(n)).hexdigest()==somme[n] for n in nomi if n!='SHA256SUMS'), sorted(somme)==sorted(n for n in nomi if n!='SHA256SUMS'))\n\
print(' '.join(nomi))\n\
print(z.read([n for n in nomi if n.endswith('.csv')][0]).decode('utf-8').splitlines()[0])",
        &dir.scrivi("p.zip", &zip),
    );
    let righe: Vec<&str> = out.lines().collect();
    assert_eq!(righe[0], "True True", "{out}");
    for f in [
        "piano-obiettivi-comune-di-esempio-2022.pdf",
        "relazione-performance-comune-di-esempio-2022.pdf",
        "validazione-relazione-comune-di-esempio-2022.pdf",
        "risultati-comune-di-esempio-2022.csv",
        "LEGGIMI.txt",
        "SHA256SUMS",
    ] {
        assert!(
            righe[1].split(' ').any(|n| n == f),
            "{f} missing: {}",
            righe[1]
        );
    }
    let colonne: Vec<&str> = app::ssr::relazione::pubblicazione::COLONNE
        .iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(righe[2], colonne.join(","));
    // A dipendente reads none of it.
    let mut dip = persona(&st, "dipendente@esempio.demo").await;
    let (stato, _, _) = dip
        .download(&format!("/e/{ENTE}/piani/2022/pubblicazione.zip"))
        .await;
    assert_eq!(stato, StatusCode::FORBIDDEN);
}

#[test]
fn a_board_signs_one_after_the_other_and_every_signature_holds() {
    use app::ssr::allegato::firma;
    let dir = Cartella::new();
    use app::ssr::allegato::pdf::{Allinea, Impaginato, Metadati};
    let mut imp = Impaginato::new();
    imp.paragrafo(
        "Documento di prova",
        10.0,
        app::ssr::allegato::font::Stile::Normale,
        Allinea::Sinistra,
    );
    let pdf = imp.pdf(&Metadati {
        titolo: "Prova".into(),
        autore: "Nucleo".into(),
        soggetto: "Prova".into(),
        testata: "Prova".into(),
        piede: "Prova".into(),
        bozza: false,
        creato: chrono::Utc::now(),
        id: [7; 16],
    });
    let mut doc = pdf;
    for nome in ["Anna Prima", "Bruno Secondo", "Carla Terza"] {
        let (pkcs8, cert) = firma::certificato_dimostrativo(nome, "Comune di Prova").unwrap();
        let f = firma::FirmatarioLocale::new(&pkcs8, &[cert]).unwrap();
        doc = firma::pades(&f, doc, nome, "Validazione").unwrap();
    }
    let out = esegui("pdfsig", &[s(&dir.scrivi("collegio.pdf", &doc))]);
    assert_eq!(out.matches("Signature is Valid.").count(), 3, "{out}");
    for nome in ["Anna Prima", "Bruno Secondo", "Carla Terza"] {
        assert!(out.contains(nome), "{out}");
    }
}
