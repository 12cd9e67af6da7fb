//! The firm's cockpit over 300 generated enti, the next year's plan, the deadlines and the
//! reminders (delivered to an SMTP server on loopback started here).

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use server::testing::TestDb;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::support::{state, two_tenants, Client};

fn d(a: i32, m: u32, g: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(a, m, g).unwrap()
}

/// 299 more enti for firm 1 (ente A's), `i % 5` deciding their plan of `anno`: none, draft,
/// approved, in rimodulazione, approved with a weight off (one rule broken). The first 7
/// without a plan have their PIAO deadline moved to the past: late.
async fn genera(db: &TestDb, anno: i32) {
    let mut c = db.owner().await;
    sqlx::query(
        "insert into enti (firm_id, name, provincia, slug)
         select e.firm_id, 'Comune G' || lpad(i::text, 3, '0'),
                case when i % 2 = 0 then 'Provincia Pari' else 'Provincia Dispari' end,
                'gen-' || i
           from enti e, generate_series(1, 299) i where e.slug = 'ente-a'",
    )
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::query(
        "insert into piani (ente_id, anno, triennio_da, triennio_a, titolo, stato, delibera_numero,
                            delibera_data, rimodulazione_motivo)
         select e.id, $1, $1, $1 + 2, 'Piano',
                'bozza', '1', make_date($1, 1, 20),
                case when n % 5 = 3 then 'riorganizzazione' end
           from (select id, substr(slug, 5)::int n from enti where slug like 'gen-%') e
          where e.n % 5 <> 0",
    )
    .bind(anno)
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::query(
        "insert into strutture (ente_id, piano_id, posizione, nome)
         select ente_id, id, 1, 'Area amministrativa' from piani where anno = $1",
    )
    .bind(anno)
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::query(
        "insert into obiettivi (ente_id, struttura_id, posizione, descrizione, peso, data_fine)
         select s.ente_id, s.id, 1, 'Digitalizzare il protocollo',
                case when substr(e.slug, 5)::int % 5 = 4 then 90 else 100 end, make_date($1, 12, 31)
           from strutture s join piani p on p.ente_id = s.ente_id and p.id = s.piano_id
           join enti e on e.id = s.ente_id
          where p.anno = $1",
    )
    .bind(anno)
    .execute(&mut c)
    .await
    .unwrap();
    // Approved last: an approved plan does not change.
    sqlx::query(
        "update piani set stato = 'approvato'
          where anno = $1 and substr((select slug from enti e where e.id = ente_id), 5)::int % 5 in (2, 4)",
    )
    .bind(anno)
    .execute(&mut c)
    .await
    .unwrap();
    // Three days ago in Rome, as the cockpit counts days (`calendario::oggi`): the
    // database's `current_date` is a day behind from 23:00 or 22:00 UTC.
    sqlx::query(
        "insert into scadenze_ente (ente_id, anno, tipo, data)
         select id, $1, 'piao', $2 from enti
          where slug like 'gen-%' and substr(slug, 5)::int % 5 = 0 and substr(slug, 5)::int <= 35",
    )
    .bind(anno)
    .bind(app::domain::calendario::oggi() - chrono::Days::new(3))
    .execute(&mut c)
    .await
    .unwrap();
}

fn conta(v: &serde_json::Value, stato: &str) -> i64 {
    v["per_stato"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x[0] == stato)
        .map(|x| x[1].as_i64().unwrap())
        .unwrap()
}

#[tokio::test]
async fn the_cockpit_counts_300_enti_exactly_and_only_the_firms() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let anno = app::domain::calendario::oggi().year() + 1;
    genera(&db, anno).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "consulente.1@test.it").await;
    let a = anno.to_string();
    let r = c.post("/api/studio/cruscotto", &[("anno", &a)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    // 299 generated (59 + 60 × 4) and ente A (no plan of that year).
    assert_eq!(v["totale"], 300);
    assert_eq!(conta(&v, "Nessuno"), 60);
    assert_eq!(conta(&v, "Bozza"), 60);
    assert_eq!(conta(&v, "Rimodulazione"), 60);
    assert_eq!(conta(&v, "Approvato"), 120);
    assert_eq!(conta(&v, "Firmato"), 0);
    assert_eq!(v["in_ritardo"], 7);
    assert_eq!(v["pagine"], 12);
    assert_eq!(v["righe"].as_array().unwrap().len(), 25);
    assert!(!r.body.contains("ente-b"));
    // Filters: a state, a provincia, the late ones, a page; the rules broken per plan.
    let r = c
        .post(
            "/api/studio/cruscotto",
            &[
                ("anno", &a),
                ("stato", "approvato"),
                ("provincia", "Provincia Pari"),
            ],
        )
        .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["trovati"], 60);
    for riga in v["righe"].as_array().unwrap() {
        let n: i64 = riga["slug"].as_str().unwrap()[4..].parse().unwrap();
        assert_eq!(riga["violazioni"], if n % 5 == 4 { 1 } else { 0 }, "{riga}");
    }
    let r = c
        .post(
            "/api/studio/cruscotto",
            &[("anno", &a), ("ritardo", "1"), ("ordine", "scadenza")],
        )
        .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let late: Vec<&str> = v["righe"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["slug"].as_str().unwrap())
        .collect();
    assert_eq!(late.len(), 7);
    assert!(v["righe"][0]["prossima"][2].as_i64().unwrap() == -3);
    let r = c
        .post("/api/studio/cruscotto", &[("anno", &a), ("pagina", "12")])
        .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (v["pagina"].as_i64(), v["righe"].as_array().unwrap().len()),
        (Some(12), 25)
    );
    // The XLSX reads back with every ente of the filter.
    let (status, tipo, xlsx) = c
        .download(&format!("/studio/cruscotto.xlsx?anno={a}&stato=bozza"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(tipo.contains("spreadsheetml"), "{tipo}");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let foglio = wb.worksheet_range(&format!("Cruscotto {anno}")).unwrap();
    assert_eq!(foglio.height(), 61);
    assert_eq!(foglio.get((0, 0)).unwrap().to_string(), "Ente");
    assert_eq!(foglio.get((1, 2)).unwrap().to_string(), "bozza");
    // Another firm's consultant sees none of them, and reaches none by name.
    let mut altro = Client::logged_in(&st, "consulente.2@test.it").await;
    let r = altro.post("/api/studio/cruscotto", &[("anno", &a)]).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["totale"], 1);
    assert!(!r.body.contains("gen-") && !r.body.contains("ente-a"));
    let r = altro
        .post("/api/studio/rinnova", &[("anno", &a), ("enti[0]", "gen-2")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = altro
        .post("/api/scadenze", &[("slug", "gen-2"), ("anno", &a)])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let (status, _, _) = altro
        .download(&format!("/e/gen-2/piani/{a}/piano.xlsx"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn next_year_copies_the_approved_plan_once() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let mut o = db.owner().await;
    // Ente A's 2024: approved; a phase due 29/02/2024, an objective confirmed in 2025, a
    // template with a newer version, one person leaving on 31/12/2024 and one staying.
    let sql = format!(
        "with p as (insert into piani (ente_id, anno, triennio_da, triennio_a, titolo, stato, delibera_numero, delibera_data)
                    values ('{e}'::uuid, 2024, 2024, 2026, 'Piano', 'bozza', '5', '2024-01-25') returning id),
              s as (insert into strutture (ente_id, piano_id, posizione, nome, responsabile_nome)
                    select '{e}'::uuid, id, 1, 'Area tecnica', 'Ing. Bianchi' from p returning id),
              m as (insert into modelli (firm_id, versione_corrente) select firm_id, 2 from enti where id = '{e}'::uuid returning id),
              o as (insert into obiettivi (ente_id, struttura_id, posizione, descrizione, peso, data_fine, data_confermata, modello_id, modello_versione)
                    select '{e}'::uuid, s.id, 1, 'Manutenzione strade', 60, '2024-12-31', false, m.id, 1 from s, m returning id),
              o2 as (insert into obiettivi (ente_id, struttura_id, posizione, descrizione, peso, data_fine, data_confermata)
                    select '{e}'::uuid, id, 2, 'Piano neve', 40, '2025-03-31', true from s returning id),
              f as (insert into fasi (ente_id, obiettivo_id, posizione, descrizione, peso, data_fine)
                    select '{e}'::uuid, id, 1, 'Rilievo', 100, '2024-02-29' from o returning id),
              d1 as (insert into dipendenti (ente_id, matricola, cognome, nome, area, attivo_al)
                    values ('{e}'::uuid, 'M1', 'Verdi', 'Anna', 'istruttori', '2024-12-31') returning id),
              d2 as (insert into dipendenti (ente_id, matricola, cognome, nome, area)
                    values ('{e}'::uuid, 'M2', 'Neri', 'Luca', 'istruttori') returning id)
         insert into assegnazioni (ente_id, obiettivo_id, dipendente_id, peso)
         select '{e}'::uuid, o.id, d1.id, 100 from o, d1
         union all select '{e}'::uuid, o.id, d2.id, 100 from o, d2",
        e = t.ente_a
    );
    sqlx::query(&sql).execute(&mut o).await.unwrap();
    sqlx::query("update piani set stato = 'approvato' where anno = 2024")
        .execute(&mut o)
        .await
        .unwrap();
    sqlx::query(
        "insert into modelli_versioni (modello_id, versione, titolo, descrizione, natura, ambito)
                 select o.modello_id, v, 'Strade sicure', 'Manutenzione', 'mantenimento', m.ambito
                   from obiettivi o join modelli m on m.id = o.modello_id, generate_series(1, 2) v",
    )
    .execute(&mut o)
    .await
    .unwrap();
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    let r = c
        .post(
            "/api/piani/rinnova",
            &[("slug", "ente-a"), ("anno", "2024")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let e: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(e["creato"], true);
    assert_eq!(
        (
            e["strutture"].as_i64(),
            e["obiettivi"].as_i64(),
            e["fasi"].as_i64(),
            e["assegnazioni"].as_i64()
        ),
        (Some(1), Some(2), Some(1), Some(1))
    );
    let attenzione = e["attenzione"].to_string();
    assert!(attenzione.contains("Strade sicure"), "{attenzione}");
    assert!(
        attenzione.contains("Verdi Anna non è più in servizio"),
        "{attenzione}"
    );
    assert!(attenzione.contains("Piano neve"), "{attenzione}");
    let righe: Vec<(String, Option<NaiveDate>, bool, Option<i32>)> = sqlx::query_as(
        "select o.descrizione, o.data_fine, o.data_confermata, o.modello_versione
           from obiettivi o join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
           join piani p on p.ente_id = s.ente_id and p.id = s.piano_id
          where p.anno = 2025 order by o.posizione",
    )
    .fetch_all(&mut o)
    .await
    .unwrap();
    assert_eq!(
        righe,
        vec![
            (
                "Manutenzione strade".into(),
                Some(d(2025, 12, 31)),
                false,
                Some(1)
            ),
            ("Piano neve".into(), Some(d(2026, 3, 31)), false, None),
        ]
    );
    let (stato, fase, resp, tri): (String, NaiveDate, String, i32) = sqlx::query_as(
        "select p.stato, f.data_fine, s.responsabile_nome, p.triennio_da from piani p
           join strutture s on s.ente_id = p.ente_id and s.piano_id = p.id
           join obiettivi o on o.ente_id = s.ente_id and o.struttura_id = s.id
           join fasi f on f.ente_id = o.ente_id and f.obiettivo_id = o.id
          where p.anno = 2025",
    )
    .fetch_one(&mut o)
    .await
    .unwrap();
    assert_eq!(
        (stato.as_str(), fase, resp.as_str(), tri),
        ("bozza", d(2025, 2, 28), "Ing. Bianchi", 2025)
    );
    // Again: nothing new, nothing changed.
    let prima = crate::support::snapshot_of(&db, t.ente_a).await;
    let r = c
        .post(
            "/api/piani/rinnova",
            &[("slug", "ente-a"), ("anno", "2024")],
        )
        .await;
    let e: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(e["creato"], false);
    assert!(e["messaggio"].as_str().unwrap().contains("c'era già"));
    assert_eq!(prima, crate::support::snapshot_of(&db, t.ente_a).await);
    // A draft is no starting point.
    let r = c
        .post(
            "/api/piani/rinnova",
            &[("slug", "ente-a"), ("anno", "2025")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("non è approvato"), "{}", r.body);
    // The firm's consultant, for several enti at once: made, already there, refused.
    let mut k = Client::logged_in(&st, "consulente.1@test.it").await;
    let r = k
        .post(
            "/api/studio/rinnova",
            &[("anno", "2024"), ("enti[0]", "ente-a")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("c'era già"), "{}", r.body);
}

/// An SMTP server on loopback that accepts every message: (recipients, data) of each.
async fn smtp() -> (u16, Arc<Mutex<Vec<(Vec<String>, String)>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let ricevuti = Arc::new(Mutex::new(Vec::new()));
    let r = ricevuti.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let r = r.clone();
            tokio::spawn(async move {
                let (rd, mut wr) = sock.into_split();
                let mut rd = BufReader::new(rd);
                wr.write_all(b"220 prova ESMTP\r\n").await.unwrap();
                let (mut rcpt, mut line) = (Vec::new(), String::new());
                loop {
                    line.clear();
                    if rd.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250 prova\r\n"
                    } else if cmd.starts_with("RCPT TO:") {
                        rcpt.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        b"250 OK\r\n"
                    } else if cmd.starts_with("DATA") {
                        wr.write_all(b"354 avanti\r\n").await.unwrap();
                        let mut data = String::new();
                        loop {
                            line.clear();
                            rd.read_line(&mut line).await.unwrap();
                            if line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        // Quoted-printable: the soft line breaks undone, as a reader would.
                        let data = data.replace("=\r\n", "");
                        r.lock().unwrap().push((std::mem::take(&mut rcpt), data));
                        b"250 OK\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = wr.write_all(b"221 ciao\r\n").await;
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    wr.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, ricevuti)
}

#[tokio::test]
async fn reminders_are_made_once_and_emailed_once_to_who_must_act() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let (port, ricevuti) = smtp().await;
    let posta = app::ssr::promemoria::Posta::nuova(
        &format!("smtp://127.0.0.1:{port}"),
        "Obiettivi <promemoria@obiettivi.test>",
        "https://obiettivi.test",
    )
    .unwrap();
    // Ente A has no plan for 2024: its PIAO is due 31/01/2024, 7 days after 24/01.
    let g = app::ssr::promemoria::giro(&db.pool, d(2024, 1, 24), Some(&posta))
        .await
        .unwrap();
    let mail = ricevuti.lock().unwrap().clone();
    // Ente A's admin and ente B's (whose 2024 plan is missing too), once each.
    assert_eq!((g.creati, g.inviati, g.non_inviati), (2, 2, 0), "{mail:#?}");
    let (a, testo) = mail
        .iter()
        .find(|(r, _)| r == &["admin.a@test.it"])
        .expect("to admin A");
    assert_eq!(a.len(), 1);
    assert!(testo.contains("Subject: "), "{testo}");
    assert!(
        testo.contains("31/01/2024") && testo.contains("Comune A"),
        "{testo}"
    );
    assert!(
        testo.contains("https://obiettivi.test/e/ente-a/piani/2024"),
        "{testo}"
    );
    assert!(testo.contains("text/html"), "{testo}");
    // The same day again: nothing made, nothing sent.
    let g = app::ssr::promemoria::giro(&db.pool, d(2024, 1, 26), Some(&posta))
        .await
        .unwrap();
    assert_eq!((g.creati, g.inviati), (0, 0));
    // Admin B turns the early ones off; past the deadline the reminder escalates to the
    // firm's consultants, and goes to everyone anyway.
    let mut o = db.owner().await;
    sqlx::query("update users set promemoria_email = false where email = 'admin.b@test.it'")
        .execute(&mut o)
        .await
        .unwrap();
    let g = app::ssr::promemoria::giro(&db.pool, d(2024, 1, 30), Some(&posta))
        .await
        .unwrap();
    assert_eq!(
        (g.creati, g.inviati),
        (2, 1),
        "the 1-day step: B's admin gets it in the bell only"
    );
    let g = app::ssr::promemoria::giro(&db.pool, d(2024, 2, 1), Some(&posta))
        .await
        .unwrap();
    assert_eq!((g.creati, g.inviati), (4, 4));
    let mail = ricevuti.lock().unwrap().clone();
    let a_chi: Vec<&str> = mail.iter().skip(3).map(|(r, _)| r[0].as_str()).collect();
    for atteso in [
        "admin.a@test.it",
        "consulente.1@test.it",
        "admin.b@test.it",
        "consulente.2@test.it",
    ] {
        assert!(a_chi.contains(&atteso), "{atteso}: {a_chi:?}");
    }
    assert!(mail.last().unwrap().1.contains("Scaduto"));
    // In the product: admin A's bell, then read.
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    let r = c.post("/api/navigazione", &[]).await;
    let m: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(m["promemoria"], 3);
    // The same bell on a page rendered on the server (read with the caller, no door).
    for pagina in ["/", "/e/ente-a"] {
        let r = c.get(pagina).await;
        assert!(
            r.body.contains("Promemoria: 3 da leggere"),
            "{pagina}: {}",
            r.body
        );
    }
    let r = c.post("/api/promemoria", &[]).await;
    assert!(r.body.contains("Approvazione del PIAO 2024"), "{}", r.body);
    assert!(!r.body.contains("Comune B"), "{}", r.body);
    c.post("/api/promemoria/letti", &[]).await;
    let r = c.post("/api/navigazione", &[("slug", "ente-a")]).await;
    let m: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(m["promemoria"], 0);
    assert_eq!(m["ente"][1], "Comune A");
    let r = c.get("/e/ente-a").await;
    assert!(
        r.body.contains("Promemoria: nessuno da leggere"),
        "{}",
        r.body
    );
    // No server to send to: made in the bell, no error.
    let g = app::ssr::promemoria::giro(&db.pool, d(2024, 2, 4), None)
        .await
        .unwrap();
    assert_eq!((g.creati, g.inviati), (4, 0));
}

#[tokio::test]
async fn an_entes_deadline_moves_and_comes_back() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    let mut c = Client::logged_in(&st, "admin.a@test.it").await;
    let r = c
        .post("/api/scadenze", &[("slug", "ente-a"), ("anno", "2030")])
        .await;
    assert!(r.body.contains("2030-01-31"), "{}", r.body);
    let r = c
        .post(
            "/api/scadenze/sposta",
            &[
                ("slug", "ente-a"),
                ("anno", "2030"),
                ("tipo", "piao"),
                ("data", "28/02/2030"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .post("/api/scadenze", &[("slug", "ente-a"), ("anno", "2030")])
        .await;
    assert!(
        r.body.contains("2030-02-28") && r.body.contains("\"spostata\":true"),
        "{}",
        r.body
    );
    let r = c
        .post(
            "/api/scadenze/sposta",
            &[
                ("slug", "ente-a"),
                ("anno", "2030"),
                ("tipo", "piao"),
                ("data", "31/02/2030"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("non è una data valida"), "{}", r.body);
    c.post(
        "/api/scadenze/sposta",
        &[
            ("slug", "ente-a"),
            ("anno", "2030"),
            ("tipo", "piao"),
            ("data", ""),
        ],
    )
    .await;
    let r = c
        .post("/api/scadenze", &[("slug", "ente-a"), ("anno", "2030")])
        .await;
    assert!(r.body.contains("2030-01-31"), "{}", r.body);
    // The firm's day for all its enti; a day that does not exist is refused.
    let mut k = Client::logged_in(&st, "consulente.1@test.it").await;
    let giorni = [
        ("piao", "15/01"),
        ("relazione", "15/06"),
        ("validazione", "30/06"),
        ("pubblicazione", "31/07"),
        ("prima", "10, 3"),
        ("ogni", "2"),
    ];
    let r = k.post("/api/studio/scadenze/salva", &giorni).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .post("/api/scadenze", &[("slug", "ente-a"), ("anno", "2030")])
        .await;
    assert!(r.body.contains("2030-01-15"), "{}", r.body);
    let mut male = giorni;
    male[0].1 = "30/02";
    let r = k.post("/api/studio/scadenze/salva", &male).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A dipendente reads the deadlines, may not move them.
    let mut dip = Client::logged_in(&st, "dip.a@test.it").await;
    let r = dip
        .post(
            "/api/scadenze/sposta",
            &[
                ("slug", "ente-a"),
                ("anno", "2030"),
                ("tipo", "piao"),
                ("data", "2030-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_template_update_set_aside_is_offered_again_and_the_cockpit_counts_it() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let mut o = db.owner().await;
    // Ente A's 2031 draft uses firm 1's template at version 1 and set version 2 aside.
    let modello: uuid::Uuid = sqlx::query_scalar(&format!(
        "with m as (insert into modelli (firm_id, versione_corrente)
                    select firm_id, 2 from enti where id = '{e}' returning id, ambito),
              v as (insert into modelli_versioni (modello_id, versione, titolo, descrizione, natura, ambito)
                    select id, g, 'Sportello unico', 'Sportello', 'sviluppo', ambito from m, generate_series(1, 2) g),
              p as (insert into piani (ente_id, anno, triennio_da, triennio_a, titolo)
                    values ('{e}', 2031, 2031, 2033, 'Piano') returning id),
              s as (insert into strutture (ente_id, piano_id, posizione, nome)
                    select '{e}'::uuid, id, 1, 'Area' from p returning id)
         insert into obiettivi (ente_id, struttura_id, posizione, descrizione, peso, modello_id,
                                modello_versione, modello_ignorata)
         select '{e}'::uuid, s.id, 1, 'Sportello unico', 100, m.id, 1, 2 from s, m returning modello_id",
        e = t.ente_a
    ))
    .fetch_one(&mut o)
    .await
    .unwrap();
    let st = state(&db);
    let mut k = Client::logged_in(&st, "consulente.1@test.it").await;
    let conta_nuovi = async |k: &mut Client| {
        let r = k.post("/api/studio/cruscotto", &[("anno", "2031")]).await;
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["righe"][0]["modelli_nuovi"].as_i64().unwrap()
    };
    assert_eq!(conta_nuovi(&mut k).await, 0);
    let id = modello.to_string();
    let r = k
        .post("/api/libreria/modello", &[("id", &id), ("versione", "0")])
        .await;
    let m: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(m["uso"][0]["slug"], "ente-a");
    assert_eq!(
        (
            m["uso"][0]["versione"].as_i64(),
            m["uso"][0]["messi_da_parte"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let r = k.post("/api/libreria/proponi", &[("id", &id)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("proposto in 1 obiettivo"), "{}", r.body);
    assert_eq!(conta_nuovi(&mut k).await, 1);
    let ignorata: Option<i32> =
        sqlx::query_scalar("select modello_ignorata from obiettivi where modello_id = $1")
            .bind(modello)
            .fetch_one(&mut o)
            .await
            .unwrap();
    assert_eq!(ignorata, None);
    // Not a consultant: the template does not exist.
    let mut a = Client::logged_in(&st, "admin.a@test.it").await;
    let r = a.post("/api/libreria/proponi", &[("id", &id)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_menu_offers_another_ente_only_when_there_is_one_to_enter() {
    let db = TestDb::new().await;
    two_tenants(&db).await;
    let st = state(&db);
    // Asked from the browser (the header's door), and on the page rendered on the server
    // (read with the caller): the same answer.
    async fn altri_enti(c: &mut Client) -> bool {
        let r = c.post("/api/navigazione", &[("slug", "ente-a")]).await;
        let m: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(m["ente"][1], "Comune A", "{}", r.body);
        let altri = m["altri_enti"].as_bool().unwrap();
        let pagina = c.get("/e/ente-a/piani").await;
        assert!(
            pagina.body.contains("id=\"ente-corrente\""),
            "{}",
            pagina.body
        );
        assert_eq!(
            pagina.body.contains("id=\"cambia-ente\""),
            altri,
            "{}",
            pagina.body
        );
        altri
    }
    let mut o = db.owner().await;
    let mut dip = Client::logged_in(&st, "dip.a@test.it").await;
    assert!(!altri_enti(&mut dip).await, "one membership");
    // Invited to ente B, not yet accepted: not an ente to enter.
    sqlx::query(
        "insert into memberships (ente_id, user_id, role, invito_hash, invito_scade_at)
         select e.id, u.id, 'dipendente', repeat('a', 64), now() + interval '1 day'
           from enti e, users u where e.slug = 'ente-b' and u.email = 'dip.a@test.it'",
    )
    .execute(&mut o)
    .await
    .unwrap();
    assert!(!altri_enti(&mut dip).await, "a pending invitation");
    let accetta = "update memberships set invito_hash = null, invito_scade_at = null
                    where user_id = (select id from users where email = 'dip.a@test.it')";
    sqlx::query(accetta).execute(&mut o).await.unwrap();
    assert!(altri_enti(&mut dip).await, "accepted");
    sqlx::query(
        "update memberships set disabled = true
          where user_id = (select id from users where email = 'dip.a@test.it')
            and ente_id = (select id from enti where slug = 'ente-b')",
    )
    .execute(&mut o)
    .await
    .unwrap();
    assert!(!altri_enti(&mut dip).await, "disabled in ente B");
    // A consultant: the firm's enti.
    let mut cons = Client::logged_in(&st, "consulente.1@test.it").await;
    assert!(!altri_enti(&mut cons).await, "the firm follows one ente");
    crate::support::secondo_ente_dello_studio_a(&mut o).await;
    assert!(altri_enti(&mut cons).await, "the firm follows two");
}
