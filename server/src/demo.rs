//! Demo data: the firm "Studio Demo", its enti, and one login per role (see the README).
//! Idempotent: loading twice changes nothing. Production never loads it unless asked.

use app::ssr::imposta;
use sqlx::Connection;
use uuid::Uuid;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-obiettivi";

/// (e-mail, name, platform admin, firm consultant, [(ente slug, role)])
type DemoUser = (
    &'static str,
    &'static str,
    bool,
    bool,
    &'static [(&'static str, &'static str)],
);

pub const DEMO_USERS: &[DemoUser] = &[
    (
        "admin@obiettivi.demo",
        "Amministratore Piattaforma",
        true,
        false,
        &[],
    ),
    (
        "consulente@studiodemo.it",
        "Chiara Consulente",
        false,
        true,
        &[],
    ),
    (
        "segretario@esempio.demo",
        "Sergio Segretario",
        false,
        false,
        &[
            ("comune-di-esempio", "ente_admin"),
            ("comune-di-prova", "ente_admin"),
        ],
    ),
    (
        "responsabile@esempio.demo",
        "Rita Responsabile",
        false,
        false,
        &[("comune-di-esempio", "responsabile")],
    ),
    (
        "dipendente@esempio.demo",
        "Dario Dipendente",
        false,
        false,
        &[("comune-di-esempio", "dipendente")],
    ),
    (
        "nucleo@esempio.demo",
        "Nadia Nucleo",
        false,
        false,
        &[("comune-di-esempio", "nucleo")],
    ),
    (
        "admin@prova.demo",
        "Paola Prova",
        false,
        false,
        &[("comune-di-prova", "ente_admin")],
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error("{0}")]
    App(String),
}

/// Loads the demo through the owner connection; the policies are honoured (the owner may
/// be subject to forced RLS on a managed database), so it sets the ente it writes to.
pub async fn load(
    owner_url: &str,
    chiave: &app::ssr::allegato::custodia::ChiaveFirme,
) -> Result<(), DemoError> {
    let mut conn = sqlx::PgConnection::connect_with(&crate::db::parse(owner_url)?).await?;
    let hash = app::ssr::password::hash_off_thread(DEMO_PASSWORD.to_string())
        .await
        .map_err(|e| DemoError::App(e.to_string()))?;
    let mut tx = conn.begin().await?;
    imposta(&mut tx, "app.platform_admin", "on").await?;
    let firm_id: Uuid = sqlx::query_scalar(
        "insert into firms (name) values ('Studio Demo')
         on conflict (name) do update set name = excluded.name returning id",
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut enti = Vec::new();
    for (name, provincia, slug, istat) in [
        (
            "Comune di Esempio",
            "Provincia di Esempio",
            "comune-di-esempio",
            "099001",
        ),
        (
            "Comune di Prova",
            "Provincia di Prova",
            "comune-di-prova",
            "099002",
        ),
    ] {
        sqlx::query(
            "insert into enti (firm_id, name, provincia, slug, codice_istat) values ($1, $2, $3, $4, $5)
             on conflict (slug) do nothing",
        )
        .bind(firm_id)
        .bind(name)
        .bind(provincia)
        .bind(slug)
        .bind(istat)
        .execute(&mut *tx)
        .await?;
        let id: Uuid = sqlx::query_scalar("select id from enti where slug = $1")
            .bind(slug)
            .fetch_one(&mut *tx)
            .await?;
        enti.push((slug, id));
    }
    for (email, name, platform_admin, consultant, memberships) in DEMO_USERS {
        sqlx::query(
            // Published passwords, for trying the product: exempt from the second factor.
            "insert into users (email, display_name, password_hash, is_platform_admin, totp_esente)
             values ($1, $2, $3, $4, true) on conflict (email) do nothing",
        )
        .bind(email)
        .bind(name)
        .bind(&hash)
        .bind(platform_admin)
        .execute(&mut *tx)
        .await?;
        let user_id: Uuid = sqlx::query_scalar("select id from users where email = $1")
            .bind(email)
            .fetch_one(&mut *tx)
            .await?;
        if *consultant {
            sqlx::query(
                "insert into firm_memberships (firm_id, user_id) values ($1, $2) on conflict do nothing",
            )
            .bind(firm_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        for (slug, role) in memberships.iter() {
            let ente_id = enti.iter().find(|(s, _)| s == slug).map(|(_, id)| *id);
            let Some(ente_id) = ente_id else { continue };
            imposta(&mut tx, "app.ente_id", &ente_id.to_string()).await?;
            sqlx::query(
                "insert into memberships (ente_id, user_id, role) values ($1, $2, $3)
                 on conflict do nothing",
            )
            .bind(ente_id)
            .bind(user_id)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
    }
    load_library(&mut tx, firm_id).await?;
    tx.commit().await?;
    conn.close().await?;
    load_plans(owner_url, chiave).await
}

/// Studio Demo's own templates: three of the development objectives its comuni write (one
/// already at its second version), so the library is not only the base one.
async fn load_library(tx: &mut sqlx::PgConnection, firm_id: Uuid) -> Result<(), DemoError> {
    use app::domain::libreria::{ContenutoModello, FaseModello, Natura, Scadenza};
    use app::domain::peso::Peso;
    imposta(tx, "app.firm_id", &firm_id.to_string()).await?;
    // The firm's SMVP profile, which its enti adopt: a 5-point penalty per 30 days late.
    let profilo = app::domain::smvp::Profilo {
        penalita: 5.0,
        ..Default::default()
    };
    sqlx::query(
        "insert into smvp_studio (firm_id, numero, parametri, nota) values ($1, 1, $2, $3)
         on conflict do nothing",
    )
    .bind(firm_id)
    .bind(sqlx::types::Json(&profilo))
    .bind("Profilo di riferimento dello studio")
    .execute(&mut *tx)
    .await?;
    let some: bool = sqlx::query_scalar("select exists(select 1 from modelli where firm_id = $1)")
        .bind(firm_id)
        .fetch_one(&mut *tx)
        .await?;
    if some {
        return Ok(());
    }
    let autore: Uuid =
        sqlx::query_scalar("select id from users where email = 'consulente@studiodemo.it'")
            .fetch_one(&mut *tx)
            .await?;
    let err = |e: app::error::AppError| DemoError::App(e.to_string());
    for (i, (titolo, tipo, missione)) in [
        (
            "Anagrafe digitale e certificati online",
            "amministrativa",
            "01",
        ),
        ("Sportello sociale su appuntamento", "servizi_sociali", "12"),
        (
            "Recupero dell’evasione IMU e TARI",
            "economico_finanziaria",
            "01",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let (descrizione, indicatori, valori, fasi) = SVILUPPO[i];
        let mut c = ContenutoModello {
            titolo: titolo.into(),
            descrizione: descrizione.into(),
            peso: Some(Peso(3000)),
            indicatori: indicatori.into(),
            valori_attesi: valori.into(),
            scadenza: Scadenza::new(12, 31).ok(),
            fasi: fasi
                .iter()
                .zip([(6, 30), (12, 31)])
                .map(|(f, (m, g))| FaseModello {
                    descrizione: format!("Fase: {f}"),
                    peso: Some(Peso(5000)),
                    indicatori: String::new(),
                    valori_attesi: String::new(),
                    scadenza: Scadenza::new(m, g).ok(),
                })
                .collect(),
            tipi_struttura: vec![tipo.into()],
            missioni: vec![missione.into()],
            natura: Natura::Sviluppo,
        };
        let id = app::ssr::libreria::crea(tx, firm_id, &c, autore, None)
            .await
            .map_err(err)?;
        if i == 0 {
            c.valori_attesi
                .push_str("\nTempo medio di rilascio inferiore a 2 giorni.");
            app::ssr::libreria::nuova_versione(tx, id, 1, &c, autore)
                .await
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The placeholders of the reference ("Obiettivo di sviluppo specifico dell'area") written
/// out as a comune would: (objective, indicators, expected values, [phase, phase]).
const SVILUPPO: [(&str, &str, &str, [&str; 2]); 8] = [
    ("Digitalizzazione dell’archivio dei servizi demografici e rilascio online dei certificati anagrafici tramite ANPR.",
     "Registri digitalizzati.\nCertificati rilasciati online.", "Digitalizzazione di almeno l’80% dei registri.\nAlmeno il 50% dei certificati rilasciati online.",
     ["ricognizione e scansione dei registri cartacei dello stato civile.", "attivazione del rilascio online dei certificati e comunicazione ai cittadini."]),
    ("Riorganizzazione dello sportello dei servizi sociali con accesso su appuntamento e presa in carico entro 10 giorni.",
     "Tempo medio di presa in carico.", "Presa in carico entro 10 giorni per almeno il 90% delle richieste.",
     ["attivazione dell’agenda degli appuntamenti online.", "monitoraggio semestrale dei tempi di presa in carico."]),
    ("Recupero dell’evasione IMU e TARI degli anni pregressi mediante incrocio delle banche dati catastali e anagrafiche.",
     "Avvisi di accertamento emessi.\nSomme riscosse.", "Emissione di almeno 300 avvisi di accertamento.",
     ["incrocio delle banche dati e individuazione delle posizioni irregolari.", "emissione e notifica degli avvisi di accertamento."]),
    ("Avvio della contabilità economico-patrimoniale e formazione del personale sul nuovo piano dei conti.",
     "Ore di formazione erogate.", "Formazione di tutto il personale dell’area.",
     ["analisi delle scritture e configurazione del gestionale.", "formazione del personale e prima chiusura infrannuale."]),
    ("Progettazione e avvio dei lavori finanziati dal PNRR per l’efficientamento energetico degli edifici scolastici.",
     "Progetti approvati.\nLavori consegnati.", "Approvazione del progetto esecutivo e consegna dei lavori entro i termini del finanziamento.",
     ["approvazione del progetto esecutivo.", "aggiudicazione e consegna dei lavori."]),
    ("Censimento e georeferenziazione del patrimonio stradale e della segnaletica comunale.",
     "Chilometri di strade censiti.", "Censimento di tutte le strade comunali nel sistema informativo territoriale.",
     ["rilievo delle strade e della segnaletica.", "caricamento dei dati nel sistema informativo territoriale."]),
    ("Potenziamento dei controlli sulla sicurezza stradale nei pressi dei plessi scolastici.",
     "Servizi di controllo svolti.", "Almeno due servizi settimanali durante l’anno scolastico.",
     ["programmazione dei servizi con le scuole.", "svolgimento dei controlli e relazione finale."]),
    ("Educazione stradale nelle scuole primarie e secondarie del territorio.",
     "Incontri svolti nelle classi.", "Almeno un incontro per ciascuna classe quinta e prima media.",
     ["predisposizione del programma didattico con gli istituti.", "svolgimento degli incontri e verifica di gradimento."]),
];

/// "Comune di Esempio": the 2022 plan from the reference, completed and approved, and a
/// demo signing certificate (self-signed, made now) so that the signed export works.
/// "Comune di Prova": a draft with a struttura whose weights sum to 90%.
pub async fn load_plans(
    owner_url: &str,
    chiave: &app::ssr::allegato::custodia::ChiaveFirme,
) -> Result<(), DemoError> {
    use app::ssr::piani;
    use app::ssr::EnteTx;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(crate::db::parse(owner_url)?)
        .await?;
    for slug in ["comune-di-esempio", "comune-di-prova"] {
        let mut tx = pool.begin().await?;
        imposta(&mut tx, "app.platform_admin", "on").await?;
        let ente_id: Uuid = sqlx::query_scalar("select id from enti where slug = $1")
            .bind(slug)
            .fetch_one(&mut *tx)
            .await?;
        imposta(&mut tx, "app.ente_id", &ente_id.to_string()).await?;
        let exists: bool = sqlx::query_scalar(
            "select exists(select 1 from piani where ente_id = $1 and anno = 2022)",
        )
        .bind(ente_id)
        .fetch_one(&mut *tx)
        .await?;
        if exists {
            continue;
        }
        let mut etx = EnteTx::new(tx, ente_id, Uuid::nil())
            .await
            .map_err(|e| DemoError::App(e.to_string()))?;
        let piano = piani::crea(&mut etx, 2022, true)
            .await
            .map_err(|e| DemoError::App(e.to_string()))?;
        let mut tx = etx.tx;
        if slug == "comune-di-esempio" {
            // Fill the placeholders, in document order.
            let rows: Vec<(Uuid,)> = sqlx::query_as(
                "select o.id from obiettivi o join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
                  where o.ente_id = $1 and s.piano_id = $2 and o.descrizione like 'Obiettivo di sviluppo specifico%'
                  order by s.posizione, o.posizione",
            )
            .bind(ente_id)
            .bind(piano)
            .fetch_all(&mut *tx)
            .await?;
            for ((id,), (descr, ind, val, fasi)) in rows.into_iter().zip(SVILUPPO) {
                sqlx::query("update obiettivi set descrizione = $3, indicatori = $4, valori_attesi = $5 where ente_id = $1 and id = $2")
                    .bind(ente_id).bind(id).bind(descr).bind(ind).bind(val)
                    .execute(&mut *tx).await?;
                for (i, f) in fasi.iter().enumerate() {
                    sqlx::query("update fasi set descrizione = $4, indicatori = $5, valori_attesi = $6 where ente_id = $1 and obiettivo_id = $2 and posizione = $3")
                        .bind(ente_id).bind(id).bind(i as i32 + 1).bind(f).bind(ind).bind(val)
                        .execute(&mut *tx).await?;
                }
            }
            // The responsabile demo account edits the second area.
            sqlx::query(
                "update strutture set responsabile_user_id = (select id from users where email = 'responsabile@esempio.demo'),
                        responsabile_nome = 'Rita Responsabile'
                  where ente_id = $1 and piano_id = $2 and posizione = 2",
            )
            .bind(ente_id).bind(piano).execute(&mut *tx).await?;
            sqlx::query("update strutture set responsabile_nome = 'Sergio Segretario' where ente_id = $1 and piano_id = $2 and posizione = 1")
                .bind(ente_id).bind(piano).execute(&mut *tx).await?;
            load_staff(&mut tx, ente_id, piano).await?;
            sqlx::query("update piani set stato = 'approvato', delibera_numero = '45', delibera_data = '2022-03-30', regolamento = 'delibera di Giunta n. 12 del 15/03/2021' where ente_id = $1 and id = $2")
                .bind(ente_id).bind(piano).execute(&mut *tx).await?;
            let (pkcs8, cert) = app::ssr::allegato::firma::certificato_dimostrativo(
                "Sergio Segretario",
                "Comune di Esempio",
            )
            .map_err(|e| DemoError::App(e.to_string()))?;
            let mut etx = EnteTx::new(tx, ente_id, Uuid::nil())
                .await
                .map_err(|e| DemoError::App(e.to_string()))?;
            app::ssr::allegato::salva_chiave(
                &mut etx,
                chiave,
                &pkcs8,
                &[cert],
                "Sergio Segretario",
                "Segretario Generale",
            )
            .await
            .map_err(|e| DemoError::App(e.to_string()))?;
            app::ssr::allegato::produci_finale(&mut etx, 2022)
                .await
                .map_err(|e| DemoError::App(e.to_string()))?;
            load_versions(&mut etx)
                .await
                .map_err(|e| DemoError::App(e.to_string()))?;
            load_chiusura(&mut etx)
                .await
                .map_err(|e| DemoError::App(e.to_string()))?;
            load_valutazioni(&mut etx)
                .await
                .map_err(|e| DemoError::App(e.to_string()))?;
            tx = etx.tx;
        } else {
            // One rule broken on purpose: the Segreteria's first objective weighs 10% instead of 20%.
            sqlx::query(
                "update obiettivi set peso = 10 where ente_id = $1 and posizione = 1
                   and struttura_id = (select id from strutture where ente_id = $1 and piano_id = $2 and posizione = 1)",
            )
            .bind(ente_id).bind(piano).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    pool.close().await;
    Ok(())
}

/// 20 employees of "Comune di Esempio", four per struttura, each on two or three objectives
/// of their struttura with weights summing to 100%. Dario Dipendente has the demo login.
async fn load_staff(
    tx: &mut sqlx::PgConnection,
    ente_id: Uuid,
    piano: Uuid,
) -> Result<(), DemoError> {
    const NOMI: [(&str, &str, &str); 20] = [
        ("Esposito", "Giulia", "funzionari_eq"),
        ("Romano", "Marco", "istruttori"),
        ("Colombo", "Elena", "istruttori"),
        ("Ricci", "Paolo", "operatori_esperti"),
        ("Dipendente", "Dario", "istruttori"),
        ("Marino", "Francesca", "funzionari_eq"),
        ("Greco", "Nicolò", "operatori_esperti"),
        ("Bruno", "Chiara", "operatori"),
        ("Gallo", "Andrea", "funzionari_eq"),
        ("Conti", "Sara", "istruttori"),
        ("De Luca", "Matteo", "istruttori"),
        ("Mancini", "Laura", "operatori_esperti"),
        ("Costa", "Luca", "funzionari_eq"),
        ("Giordano", "Martina", "istruttori"),
        ("Rizzo", "Davide", "operatori_esperti"),
        ("Lombardi", "Alessia", "operatori"),
        ("Moretti", "Simone", "funzionari_eq"),
        ("Barbieri", "Valentina", "istruttori"),
        ("Fontana", "Stefano", "istruttori"),
        ("Santoro", "Federica", "operatori_esperti"),
    ];
    let strutture: Vec<(Uuid, String)> = sqlx::query_as(
        "select id, nome from strutture where ente_id = $1 and piano_id = $2 order by posizione",
    )
    .bind(ente_id)
    .bind(piano)
    .fetch_all(&mut *tx)
    .await?;
    let dario: Option<Uuid> =
        sqlx::query_scalar("select id from users where email = 'dipendente@esempio.demo'")
            .fetch_optional(&mut *tx)
            .await?;
    for (i, (cognome, nome, area)) in NOMI.iter().enumerate() {
        let (sid, snome) = &strutture[(i / 4) % strutture.len()];
        let is_dario = *cognome == "Dipendente";
        let id: Uuid = sqlx::query_scalar(
            "insert into dipendenti (ente_id, matricola, cognome, nome, area, struttura, email, attivo_dal, user_id)
             values ($1, $2, $3, $4, $5, $6, $7, '2015-04-01', $8) returning id",
        )
        .bind(ente_id)
        .bind(format!("{:04}", 101 + i))
        .bind(cognome)
        .bind(nome)
        .bind(area)
        .bind(snome)
        .bind(is_dario.then_some("dipendente@esempio.demo"))
        .bind(if is_dario { dario } else { None })
        .fetch_one(&mut *tx)
        .await?;
        let obiettivi: Vec<Uuid> = sqlx::query_scalar(
            "select id from obiettivi where ente_id = $1 and struttura_id = $2 order by posizione",
        )
        .bind(ente_id)
        .bind(sid)
        .fetch_all(&mut *tx)
        .await?;
        // Two or three objectives, starting at a different one for each colleague.
        let quote: &[i32] = if i % 2 == 0 { &[50, 50] } else { &[40, 30, 30] };
        for (k, q) in quote.iter().enumerate() {
            let o = obiettivi[(i % 4 + k * 2) % obiettivi.len()];
            sqlx::query("insert into assegnazioni (ente_id, obiettivo_id, dipendente_id, peso) values ($1, $2, $3, $4) on conflict do nothing")
                .bind(ente_id).bind(o).bind(id).bind(*q)
                .execute(&mut *tx).await?;
        }
    }
    Ok(())
}

/// The demo's monitoring of Comune di Esempio's 2022 plan: at 30/06 every struttura
/// reported (mostly green, some yellow, some red with their causes and corrective actions)
/// and the Nucleo closed the checkpoint with its Referto, signed with a demo certificate of
/// Nadia Nucleo; at 30/09 every struttura but Rita Responsabile's has reported.
async fn load_monitoring(etx: &mut app::ssr::EnteTx) -> Result<(), app::error::AppError> {
    use app::domain::monitoraggio::{attesa, inizio, Causa, Percentuale, Scadenze, COMPLETO};
    use app::model::AvanzamentoView;
    use app::ssr::allegato::firma;
    use app::ssr::monitoraggio as m;
    let utente =
        async |etx: &mut app::ssr::EnteTx, email: &str| -> Result<Uuid, app::error::AppError> {
            Ok(sqlx::query_scalar("select id from users where email = $1")
                .bind(email)
                .fetch_one(&mut **etx)
                .await?)
        };
    let (segretario, rita, nadia) = (
        utente(etx, "segretario@esempio.demo").await?,
        utente(etx, "responsabile@esempio.demo").await?,
        utente(etx, "nucleo@esempio.demo").await?,
    );
    let piano = app::ssr::piani::carica(etx, 2022)
        .await?
        .ok_or(app::error::AppError::NonTrovato)?;
    let avvio = inizio(2022, piano.delibera_data);
    let cause = [
        (
            Causa::Personale,
            "Un istruttore in congedo da aprile, sostituito a luglio.",
            "Redistribuzione delle pratiche nell'ufficio e affiancamento del nuovo istruttore.",
        ),
        (
            Causa::Dipendenza,
            "In attesa dei dati della Regione.",
            "Sollecito formale alla Regione; avvio delle fasi che non dipendono dai dati.",
        ),
        (
            Causa::Finanziarie,
            "Variazione di bilancio approvata solo a giugno.",
            "Affidamento con procedura semplificata entro settembre.",
        ),
    ];
    for (k, s) in Scadenze::predefinite(2022).into_iter().enumerate() {
        let id = m::crea(etx, piano.id, &s)
            .await?
            .ok_or(app::error::AppError::Interno)?;
        let t = m::testata(etx, 2022, id).await?;
        let mut n = 0usize;
        for (i, st) in piano.strutture.iter().enumerate() {
            let propria = st.responsabile_user_id == Some(rita);
            // At 30/09 Rita's struttura has not reported yet.
            if k == 1 && propria {
                continue;
            }
            etx.user_id = if propria { rita } else { segretario };
            for o in &st.obiettivi {
                let righe =
                    std::iter::once((o, None)).chain(o.fasi.iter().map(|f| (f, Some(f.id))));
                for (r, fase) in righe {
                    n += 1;
                    // At 30/06 the third struttura asks to move its second objective's deadline,
                    // which the rimodulazione of July does.
                    let proposta = (k == 0
                        && i == 2
                        && fase.is_none()
                        && o.id == st.obiettivi.get(1).map(|x| x.id).unwrap_or_default())
                    .then_some(app::domain::monitoraggio::Proposta::Scadenza);
                    let atteso = r
                        .campi
                        .data_fine
                        .map_or(Percentuale(5000), |d| attesa(avvio, d, s.riferimento));
                    // One row in seven is red (with its cause), one in five yellow, the rest
                    // on time or ahead; a phase past its due date is finished.
                    let scaduta = r.campi.data_fine.is_some_and(|d| d < s.riferimento);
                    let (valore, causa) = if n % 7 == 3 {
                        (
                            atteso.0.saturating_sub(3500).min(COMPLETO.0 - 1000),
                            Some(cause[n % 3]),
                        )
                    } else if n % 5 == 1 && !scaduta {
                        (atteso.0.saturating_sub(1800), None)
                    } else {
                        ((atteso.0 + 500).min(COMPLETO.0), None)
                    };
                    let a = AvanzamentoView {
                        version: 0,
                        percentuale: Some(Percentuale(valore / 100 * 100)),
                        valore_effettivo: format!("{}% delle attività previste", valore / 100),
                        valore_data: Some(s.riferimento),
                        valore_fonte: "Relazione del responsabile".into(),
                        nota: String::new(),
                        causa: causa.map(|c| c.0),
                        causa_testo: causa.map(|c| c.1.to_string()).unwrap_or_default(),
                        azione_correttiva: causa.map(|c| c.2.to_string()).unwrap_or_default(),
                        proposta,
                        proposta_testo: if proposta.is_some() {
                            "Spostare la scadenza al 30/11/2022: i dati regionali arrivano solo a settembre.".into()
                        } else {
                            String::new()
                        },
                        conclusa_il: None,
                    };
                    m::salva(etx, id, o.id, fase, 0, &a).await?;
                    if causa.is_some() && fase.is_none() && k == 0 {
                        etx.user_id = nadia;
                        m::salva_nota(etx, id, o.id, 0, "Scostamento motivato: il Nucleo verificherà l'efficacia dell'azione correttiva al 30/09.").await?;
                        etx.user_id = if propria { rita } else { segretario };
                    }
                }
            }
            m::inviata(etx, id, st.id).await?;
            m::segna_inviata(etx, id, st.id, true).await?;
        }
        if k == 0 {
            etx.user_id = nadia;
            let vista = m::carica(etx, &t, piano.clone(), |_| false).await?;
            let (pkcs8, cert) =
                firma::certificato_dimostrativo("Nadia Nucleo", "Comune di Esempio")?;
            let firmatario = firma::FirmatarioLocale::new(&pkcs8, &[cert])?;
            let creato = chrono::NaiveDate::from_ymd_opt(2022, 7, 28)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .map(|d| d.and_utc())
                .unwrap_or_else(chrono::Utc::now);
            let pdf = m::referto::componi(&vista, "Nadia Nucleo", creato);
            let firmato = firma::pades(
                &firmatario,
                pdf,
                "Nadia Nucleo",
                "Referto di monitoraggio al 30/06/2022",
            )?;
            m::chiudi(etx, id, &firmato, "Nadia Nucleo", creato).await?;
        }
    }
    etx.user_id = Uuid::nil();
    Ok(())
}

/// The versions of Comune di Esempio's 2022 plan: version 1 as approved on 30/03/2022, the
/// monitoring at 30/06, then a rimodulazione approved with delibera n. 85 of 15/07/2022
/// (version 2) that changes two objectives of the third struttura.
async fn load_versions(etx: &mut app::ssr::EnteTx) -> Result<(), app::error::AppError> {
    use app::ssr::{allegato, piani, versioni};
    let piano = piani::carica(etx, 2022)
        .await?
        .ok_or(app::error::AppError::NonTrovato)?;
    versioni::registra(etx, &piano).await?;
    load_monitoring(etx).await?;
    versioni::avvia(
        etx,
        piano.id,
        "Riorganizzazione dei servizi sociali: nuovo valore atteso e nuova scadenza per due obiettivi",
    )
    .await?;
    let terza = &piano.strutture[2];
    sqlx::query("update obiettivi set valori_attesi = $3 where ente_id = $1 and id = $2")
        .bind(etx.ente_id)
        .bind(terza.obiettivi[0].id)
        .bind("Almeno il 90% delle istanze evase entro 30 giorni")
        .execute(&mut **etx)
        .await?;
    sqlx::query(
        "update obiettivi set indicatori = $3, data_fine = '2022-11-30' where ente_id = $1 and id = $2",
    )
    .bind(etx.ente_id)
    .bind(terza.obiettivi[1].id)
    .bind("Numero di utenti presi in carico con il nuovo sportello unico")
    .execute(&mut **etx)
    .await?;
    // Its phases end by the objective's new date.
    sqlx::query(
        "update fasi set data_fine = least(data_fine, '2022-11-30') where ente_id = $1 and obiettivo_id = $2",
    )
    .bind(etx.ente_id)
    .bind(terza.obiettivi[1].id)
    .execute(&mut **etx)
    .await?;
    let data = chrono::NaiveDate::from_ymd_opt(2022, 7, 15).ok_or(app::error::AppError::Interno)?;
    piani::imposta_stato(etx, piano.id, true, Some(("85", data))).await?;
    allegato::produci_finale(etx, 2022).await?;
    let approvato = piani::carica(etx, 2022)
        .await?
        .ok_or(app::error::AppError::NonTrovato)?;
    versioni::registra(etx, &approvato).await?;
    Ok(())
}

/// The year-end of Comune di Esempio's 2022 plan: the ente adopted the firm's SMVP profile;
/// the final record at 31/12 is filled in by every struttura (all submitted but Rita
/// Responsabile's); the Segreteria's first objective reaches 72,5%; the second struttura's
/// first objective is measured by two indicators; the Nucleo marked the objective moved by
/// the rimodulazione not evaluable, for an external cause.
async fn load_chiusura(etx: &mut app::ssr::EnteTx) -> Result<(), app::error::AppError> {
    use app::domain::monitoraggio::{Percentuale, Scadenze};
    use app::domain::smvp::{Metodo, Misura};
    use app::error::AppError;
    use app::model::AvanzamentoView;
    use app::ssr::{chiusura, monitoraggio as m, smvp};
    let utente = async |etx: &mut app::ssr::EnteTx, email: &str| -> Result<Uuid, AppError> {
        Ok(sqlx::query_scalar("select id from users where email = $1")
            .bind(email)
            .fetch_one(&mut **etx)
            .await?)
    };
    let (segretario, rita, nadia) = (
        utente(etx, "segretario@esempio.demo").await?,
        utente(etx, "responsabile@esempio.demo").await?,
        utente(etx, "nucleo@esempio.demo").await?,
    );
    let ente = etx.ente_id;
    let piano = app::ssr::piani::carica(etx, 2022)
        .await?
        .ok_or(AppError::NonTrovato)?;
    let (firm, _, offerta) = smvp::offerta(etx, ente).await?.ok_or(AppError::Interno)?;
    etx.user_id = segretario;
    let profilo = smvp::aggiungi_ente(
        etx,
        ente,
        0,
        &offerta.profilo,
        Some((firm, offerta.numero)),
        "Adottati dal profilo dello studio (versione 1): tutti i parametri",
        Some(segretario),
    )
    .await?;
    let fine = chrono::NaiveDate::from_ymd_opt(2022, 12, 31).ok_or(AppError::Interno)?;
    let mid = m::crea(etx, piano.id, &Scadenze::da(fine))
        .await?
        .ok_or(AppError::Interno)?;
    chiusura::avvia(etx, piano.id, mid, profilo).await?;
    // Completion by phase, in a fixed pattern; finished phases on their due date.
    let giro = [100u32, 100, 90, 100, 75, 100, 60, 100];
    let mut n = 0usize;
    for (i, st) in piano.strutture.iter().enumerate() {
        let propria = st.responsabile_user_id == Some(rita);
        etx.user_id = if propria { rita } else { segretario };
        for (j, o) in st.obiettivi.iter().enumerate() {
            let mut valori: Vec<f64> = o
                .fasi
                .iter()
                .map(|_| {
                    n += 1;
                    giro[n % giro.len()] as f64
                })
                .collect();
            if i == 0 && j == 0 && valori.len() > 1 {
                // 72,5% in all: the first phase done, the others at the same share.
                let pesi: Vec<f64> = o
                    .fasi
                    .iter()
                    .map(|f| f.campi.peso.map_or(1.0, |p| p.0 as f64 / 100.0))
                    .collect();
                let totale: f64 = pesi.iter().sum();
                let resto = (72.5 * totale - 100.0 * pesi[0]) / (totale - pesi[0]);
                valori = std::iter::once(100.0)
                    .chain(std::iter::repeat_n(
                        (resto * 100.0).round() / 100.0,
                        valori.len() - 1,
                    ))
                    .collect();
            }
            let riga = |p: f64, concl: Option<chrono::NaiveDate>| AvanzamentoView {
                percentuale: Some(Percentuale((p * 100.0).round() as u32)),
                valore_effettivo: format!("{}% delle attività previste", p.round()),
                valore_data: Some(fine),
                valore_fonte: "Relazione finale del responsabile".into(),
                conclusa_il: concl,
                ..Default::default()
            };
            for (f, v) in o.fasi.iter().zip(&valori) {
                let concl = (*v >= 100.0).then(|| f.campi.data_fine.unwrap_or(fine).min(fine));
                m::salva(etx, mid, o.id, Some(f.id), 0, &riga(*v, concl)).await?;
            }
            let media = if valori.is_empty() {
                100.0
            } else {
                valori.iter().sum::<f64>() / valori.len() as f64
            };
            let media = (media * 100.0).round() / 100.0;
            let concl = (media >= 100.0).then(|| o.campi.data_fine.unwrap_or(fine).min(fine));
            m::salva(etx, mid, o.id, None, 0, &riga(media, concl)).await?;
        }
        if !propria {
            m::inviata(etx, mid, st.id).await?;
            m::segna_inviata(etx, mid, st.id, true).await?;
        }
    }
    // The second struttura's first objective: two indicators.
    if let Some(o) = piano.strutture.get(1).and_then(|s| s.obiettivi.first()) {
        etx.user_id = segretario;
        chiusura::salva_metodo(etx, mid, o.id, 0, Metodo::Indicatori).await?;
        let misure = [
            (
                "Pratiche evase entro 30 giorni",
                Misura::Numero {
                    atteso: 400.0,
                    effettivo: Some(372.0),
                    decrescente: false,
                },
                "Gestionale del protocollo",
            ),
            (
                "Tempo medio di risposta (giorni)",
                Misura::Numero {
                    atteso: 20.0,
                    effettivo: Some(25.0),
                    decrescente: true,
                },
                "Gestionale del protocollo",
            ),
        ];
        for (nome, misura, fonte) in misure {
            chiusura::salva_misura(etx, mid, o.id, None, 0, nome, &misura, fonte).await?;
        }
    }
    // The Nucleo: the objective moved by the rimodulazione is not evaluable.
    if let Some(o) = piano.strutture.get(2).and_then(|s| s.obiettivi.get(1)) {
        etx.user_id = nadia;
        chiusura::rettifica(
            etx,
            piano.id,
            o.id,
            "non_valutabile",
            None,
            "I dati regionali necessari sono arrivati solo a dicembre: causa esterna all'ente, documentata nel referto al 30/06.",
        )
        .await?;
    }
    load_relazione(etx, segretario).await?;
    etx.user_id = Uuid::nil();
    Ok(())
}

/// The Relazione sulla Performance 2022 of Comune di Esempio: its chapters to write are
/// written; the Giunta's adoption and the Nucleo's validation are left to do.
async fn load_relazione(
    etx: &mut app::ssr::EnteTx,
    segretario: Uuid,
) -> Result<(), app::error::AppError> {
    let piano = app::ssr::piani::carica(etx, 2022)
        .await?
        .ok_or(app::error::AppError::NonTrovato)?;
    etx.user_id = segretario;
    app::ssr::relazione::salva_testi(
        etx,
        piano.id,
        0,
        "Il Comune di Esempio conta 12.400 abitanti. Nel 2022 l'ente ha lavorato con 38 dipendenti in cinque aree; la riorganizzazione dei servizi sociali di luglio ha portato alla rimodulazione del piano.\n\nIl 2022 è il primo anno del Piano Integrato di Attività e Organizzazione (PIAO).",
        "Il personale dell'ente è composto in prevalenza da donne, anche tra i titolari di Elevata Qualificazione. Nel 2022 sono stati attivati il lavoro agile per 11 dipendenti e due percorsi di formazione sulla parità di genere.",
    )
    .await?;
    Ok(())
}

/// The demo's 2022 evaluations: every scheda prepared; all final but Dario Dipendente's,
/// which Rita Responsabile has still to write; Marco Romano asked for a review, decided
/// after a hearing with a union representative. Absences, a part-timer and a reprimand
/// for the premi, whose parameters are saved (€32.000 for the staff, €8.000 for the EQ:
/// €40.000, the bonus to 2 people) as a simulation: the distribution becomes final once
/// Dario's scheda is.
async fn load_valutazioni(etx: &mut app::ssr::EnteTx) -> Result<(), app::error::AppError> {
    use app::domain::premi::Parametri;
    use app::domain::roles::Role;
    use app::ssr::valutazioni::{self as v, Compilazione};
    use chrono::NaiveDate;
    imposta(&mut etx.tx, "app.ruolo", Role::Consulente.db_name()).await?;
    let piano = app::ssr::piani::carica(etx, 2022)
        .await?
        .ok_or(app::error::AppError::NonTrovato)?;
    let piano_id = piano.id;
    let ctx = app::ssr::EnteCtx {
        caller: app::ssr::Caller {
            user_id: etx.user_id,
            email: String::new(),
            display_name: String::new(),
            is_platform_admin: false,
            firm_id: None,
            password_temporanea: false,
            deve_attivare_2fa: false,
            sessione: None,
        },
        ente_id: etx.ente_id,
        slug: "comune-di-esempio".into(),
        ente_name: "Comune di Esempio".into(),
        role: Role::Consulente,
    };
    let chiusura = app::ssr::chiusura::del_piano(etx, &ctx, piano).await?;
    let profilo = v::profilo(etx, &chiusura).await?;
    v::prepara(etx, piano_id, &profilo).await?;
    let persone: Vec<(Uuid, String, String)> = sqlx::query_as(
        "select d.id, d.cognome, v.categoria from valutazioni v
           join dipendenti d on d.ente_id = v.ente_id and d.id = v.dipendente_id
          where v.ente_id = $1 and v.piano_id = $2 order by d.matricola",
    )
    .bind(etx.ente_id)
    .bind(piano_id)
    .fetch_all(&mut **etx)
    .await?;
    let d = |m: u32, g: u32, anno: i32| NaiveDate::from_ymd_opt(anno, m, g);
    let n = profilo.comportamenti.len();
    for (i, (id, cognome, categoria)) in persone.iter().enumerate() {
        if cognome == "Dipendente" {
            continue;
        }
        // Scores that differ: a pattern over 2..=5, higher for some.
        let voti = (0..n)
            .map(|k| Some((2 + (i * 3 + k * 2) % 4) as u8))
            .collect();
        let c = Compilazione {
            voti,
            differenziazione: (categoria == "eq").then_some(3 + (i % 3) as u8),
            note: String::new(),
            colloquio_assegnazione: d(4, 20, 2022),
            colloquio_intermedio: d(7, 18, 2022),
            colloquio_finale: d(1, 23, 2023),
        };
        v::proponi_come_importata(etx, piano_id, &chiusura, *id, &c).await?;
        let revisione = cognome == "Romano";
        sqlx::query(
            "update valutazioni set stato = 'definitiva', proposta_il = '2023-01-23 10:00+01',
                    presa_visione_il = '2023-01-25',
                    revisione_il = case when $3 then date '2023-01-30' end,
                    revisione_testo = case when $3 then 'Chiedo che sia considerato il carico di lavoro straordinario del secondo semestre, per le pratiche PNRR.' end,
                    audizione_il = case when $3 then date '2023-02-06' end,
                    con_sindacato = case when $3 then true end,
                    decisione_testo = case when $3 then 'Sentito il dipendente, assistito da un rappresentante sindacale, si conferma la valutazione: il carico straordinario è già considerato nei risultati della struttura.' end,
                    decisa_il = case when $3 then date '2023-02-08' end,
                    definitiva_il = case when $3 then timestamptz '2023-02-08 12:00+01'
                                         else timestamptz '2023-02-10 12:00+01' end,
                    version = version + 1
              where ente_id = $1 and dipendente_id = $2 and piano_id = $4",
        )
        .bind(etx.ente_id)
        .bind(id)
        .bind(revisione)
        .bind(piano_id)
        .execute(&mut **etx)
        .await?;
    }
    // Part-time, absences and a reprimand, for the premi.
    sqlx::query("update dipendenti set tempo = 50 where ente_id = $1 and cognome = 'Colombo'")
        .bind(etx.ente_id)
        .execute(&mut **etx)
        .await?;
    for (cognome, assenze, congedi, sanzione) in [
        ("Ricci", 60, 0, 0),
        ("Greco", 0, 120, 0),
        ("Bruno", 0, 0, 1),
    ] {
        sqlx::query(
            "insert into dati_premi (ente_id, piano_id, dipendente_id, assenze, congedi, sanzione)
             select $1, $2, d.id, $4, $5, $6 from dipendenti d where d.ente_id = $1 and d.cognome = $3",
        )
        .bind(etx.ente_id)
        .bind(piano_id)
        .bind(cognome)
        .bind(assenze)
        .bind(congedi)
        .bind(sanzione as i16)
        .execute(&mut **etx)
        .await?;
    }
    let parametri = Parametri {
        fondo_personale: 32_000.0,
        fondo_eq: 8_000.0,
        quota: 15.0,
        ..Default::default()
    };
    app::ssr::premi::salva(etx, piano_id, 0, &parametri).await?;
    Ok(())
}
