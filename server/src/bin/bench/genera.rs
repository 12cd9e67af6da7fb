//! `bench genera N`: a national-scale database for load runs. Loads the demo, then copies
//! its Comune di Esempio (the reference-size approved plan: 5 strutture, 30 objectives with
//! their phases, 20 employees with assignments that satisfy the rules, the final PDF) into
//! N enti, one firm per 50 enti, each with its own administrator. Set-based SQL, a handful
//! of statements whatever N is: copies of one ente differ only in their identifiers.
//!
//! Two readers for the load runs, with one membership in every ente (their password is
//! `OBIETTIVI_BENCH_PASSWORD`): `lettore@misura.bench` (Nucleo: reads every plan) and
//! `dipendente@misura.bench` (linked in each ente to the employee the demo's dipendente
//! is, so «I miei obiettivi» shows two objectives). Beside them people as real people
//! are: `uno@misura.bench`, dipendente of `misura-0000` only, linked there to the employee
//! with the most assignments among those without an account, and `nucleo@misura.bench`,
//! Nucleo of `misura-0000` … `misura-0049` (the first firm's enti).
//!
//! With `--monitoraggi` the copies take the demo's monitoring too: its three checkpoints
//! (30/06 closed with its signed Referto, 30/09 and 31/12 open), the strutture's records,
//! the progress of objectives and phases, the Nucleo's notes and the plan's count of
//! changes to its progress. Every plan page then shows its lights, as a comune's does
//! after June. Off by default, so that runs compare with those made before it.

use std::time::Instant;

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

/// Tenant tables copied from the template ente, parents first.
const TABELLE: &[&str] = &[
    "piani",
    "strutture",
    "obiettivi",
    "fasi",
    "dipendenti",
    "assegnazioni",
    "allegati_esportati",
];

/// With `--monitoraggi`: the monitoring tables, copied after the plan's.
const TABELLE_MONITORAGGIO: &[&str] = &[
    "monitoraggi",
    "rilevazioni",
    "avanzamenti",
    "note_nucleo",
    "evidenze",
    "monitoraggio_cambi",
];

/// Identifiers within the ente: mapped to the copy's (same mapping in every table, so the
/// references hold). Other uuid columns point at accounts: left empty. The objectives'
/// templates are their firm's (`modelli_delle_firm`).
const IDENTIFICATIVI: &[&str] = &[
    "id",
    "piano_id",
    "struttura_id",
    "obiettivo_id",
    "dipendente_id",
    "monitoraggio_id",
    "fase_id",
];

pub async fn genera(n: usize, monitoraggi: bool) -> anyhow::Result<()> {
    let password = std::env::var("OBIETTIVI_BENCH_PASSWORD")
        .map_err(|_| anyhow::anyhow!("OBIETTIVI_BENCH_PASSWORD non impostata"))?;
    let config = server::config::Config::from_env();
    let t = Instant::now();
    let mut db = server::open_database(&config, true).await?;
    db.pool.close().await;
    println!("demo caricata in {:.1?}", t.elapsed());
    let mut conn = PgConnection::connect_with(&server::db::parse(&db.owner_url)?).await?;
    // As the owner of the embedded cluster (a superuser): an error, not an empty copy,
    // if the policies applied.
    sqlx::query("set row_security = off")
        .execute(&mut conn)
        .await?;
    let t = Instant::now();
    let mut tx = conn.begin().await?;
    // The copies are of an approved plan, which its triggers keep immutable: they are off
    // while copying (with the foreign-key checks: the copy is consistent by construction).
    sqlx::query("set local session_replication_role = replica")
        .execute(&mut *tx)
        .await?;
    let esistenti: i64 = sqlx::query_scalar("select count(*) from enti where slug like 'misura-%'")
        .fetch_one(&mut *tx)
        .await?;
    anyhow::ensure!(esistenti == 0, "il database contiene già enti generati");
    let modello: Uuid = sqlx::query_scalar("select id from enti where slug = 'comune-di-esempio'")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "create temp table nuovi on commit drop as
         select i, md5('ente:' || i)::uuid as id, format('misura-%s', lpad(i::text, 4, '0')) as slug
           from generate_series(0, $1 - 1) i",
    )
    .bind(n as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into firms (id, name)
         select md5('studio:' || k)::uuid, 'Studio Misura ' || k
           from generate_series(0, ($1 - 1) / 50) k",
    )
    .bind(n as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into enti (id, firm_id, name, provincia, slug)
         select n.id, md5('studio:' || (n.i / 50))::uuid, 'Comune di Misura ' || n.i,
                'Provincia ' || (n.i % 107), n.slug
           from nuovi n",
    )
    .execute(&mut *tx)
    .await?;
    modelli_delle_firm(&mut tx, n, modello).await?;
    let monitoraggio = if monitoraggi {
        TABELLE_MONITORAGGIO
    } else {
        &[]
    };
    for tabella in TABELLE.iter().chain(monitoraggio) {
        let colonne: Vec<(String, String)> = sqlx::query_as(
            "select column_name::text, data_type::text from information_schema.columns
              where table_schema = 'public' and table_name = $1 order by ordinal_position",
        )
        .bind(tabella)
        .fetch_all(&mut *tx)
        .await?;
        let nomi = colonne
            .iter()
            .map(|(c, _)| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let valori = colonne
            .iter()
            .map(|(c, tipo)| match (*tabella, c.as_str(), tipo.as_str()) {
                (_, "ente_id", _) => "n.id".to_string(),
                ("obiettivi", "modello_id", _) => {
                    "md5('modello:' || (n.i / 50) || ':' || t.id)::uuid".to_string()
                }
                ("obiettivi", "modello_versione", _) => "1".to_string(),
                (_, c, "uuid") if IDENTIFICATIVI.contains(&c) => {
                    format!("md5(t.\"{c}\"::text || ':' || n.i)::uuid")
                }
                (_, _, "uuid") => "null".to_string(),
                (_, c, _) => format!("t.\"{c}\""),
            })
            .collect::<Vec<_>>()
            .join(", ");
        // Only the final PDF of the approval travels (the signed copies name their signer).
        let filtro = if *tabella == "allegati_esportati" {
            " and t.tipo = 'pdf' and t.contenuto is not null"
        } else {
            ""
        };
        let t1 = Instant::now();
        let righe = sqlx::query(&format!(
            "insert into {tabella} ({nomi}) select {valori} from {tabella} t cross join nuovi n
              where t.ente_id = $1{filtro}"
        ))
        .bind(modello)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        println!("  {tabella:<20} {righe:>9} righe in {:.1?}", t1.elapsed());
    }
    let hash = app::ssr::password::hash(&password);
    // Each ente's administrator (one shared hash: the load runs never sign them in).
    sqlx::query(
        "insert into users (id, email, display_name, password_hash, totp_esente)
         select md5('admin:' || n.i)::uuid, 'admin-' || n.slug || '@misura.bench',
                'Amministratore ' || n.i, $1, true
           from nuovi n",
    )
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into memberships (ente_id, user_id, role)
         select n.id, md5('admin:' || n.i)::uuid, 'ente_admin' from nuovi n",
    )
    .execute(&mut *tx)
    .await?;
    for (email, nome, ruolo) in [
        ("lettore@misura.bench", "Lettore Misura", "nucleo"),
        ("dipendente@misura.bench", "Dipendente Misura", "dipendente"),
    ] {
        let id: Uuid = sqlx::query_scalar(
            "insert into users (email, display_name, password_hash, totp_esente)
             values ($1, $2, $3, true) returning id",
        )
        .bind(email)
        .bind(nome)
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "insert into memberships (ente_id, user_id, role) select n.id, $1, $2 from nuovi n",
        )
        .bind(id)
        .bind(ruolo)
        .execute(&mut *tx)
        .await?;
        if ruolo == "dipendente" {
            sqlx::query(
                "update dipendenti d set user_id = $1
                   from dipendenti t join users u on u.id = t.user_id, nuovi n
                  where t.ente_id = $2 and u.email = 'dipendente@esempio.demo'
                    and d.ente_id = n.id and d.id = md5(t.id::text || ':' || n.i)::uuid",
            )
            .bind(id)
            .bind(modello)
            .execute(&mut *tx)
            .await?;
        }
    }
    // A Nucleo member of the first firm's 50 enti (all of them below 50), as one who sits
    // on several comuni's Nuclei is: the plan page read by a person with memberships in a
    // few dozen enti, beside the bench's reader who has one in every ente.
    sqlx::query(
        "with u as (
             insert into users (email, display_name, password_hash, totp_esente)
             values ('nucleo@misura.bench', 'Nucleo di cinquanta enti', $1, true) returning id)
         insert into memberships (ente_id, user_id, role)
         select n.id, u.id, 'nucleo' from nuovi n, u where n.i < 50",
    )
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    // One membership, as a real dipendente has: what the header and the door read for a
    // person in every ente is then measured apart from what the ente's size costs.
    let uno: Uuid = sqlx::query_scalar(
        "insert into users (email, display_name, password_hash, totp_esente)
         values ('uno@misura.bench', 'Dipendente di un ente', $1, true) returning id",
    )
    .bind(&hash)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "insert into memberships (ente_id, user_id, role)
         select id, $1, 'dipendente' from enti where slug = 'misura-0000'",
    )
    .bind(uno)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update dipendenti set user_id = $1
          where (ente_id, id) = (
                select a.ente_id, a.dipendente_id
                  from assegnazioni a
                  join enti e on e.id = a.ente_id and e.slug = 'misura-0000'
                  join dipendenti d on d.ente_id = a.ente_id and d.id = a.dipendente_id
                 where d.user_id is null
                 group by a.ente_id, a.dipendente_id
                 order by count(*) desc, a.dipendente_id
                 limit 1)",
    )
    .bind(uno)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    println!("{n} enti generati in {:.1?}", t.elapsed());
    let t = Instant::now();
    sqlx::query("vacuum analyze").execute(&mut conn).await?;
    println!("vacuum analyze in {:.1?}", t.elapsed());
    memoria_condivisa(&mut conn).await?;
    conn.close().await?;
    if let Some(mut c) = db.cluster.take() {
        tokio::task::spawn_blocking(move || c.stop()).await?;
    }
    Ok(())
}

/// Every objective adopted from its firm's library, as a plan written from the library is:
/// for each firm and each objective of the template ente, a template of two versions, the
/// objective at the first (so the plan offers the second). Their text is the base
/// library's, in turn. The plan's read then reads each objective's template, as the
/// runtime role, through the templates' policies.
async fn modelli_delle_firm(tx: &mut PgConnection, n: usize, modello: Uuid) -> anyhow::Result<()> {
    let t = Instant::now();
    sqlx::query(
        "insert into modelli (id, firm_id, versione_corrente)
         select md5('modello:' || k || ':' || o.id)::uuid, md5('studio:' || k)::uuid, 2
           from generate_series(0, ($1 - 1) / 50) k, obiettivi o where o.ente_id = $2",
    )
    .bind(n as i64)
    .bind(modello)
    .execute(&mut *tx)
    .await?;
    let righe = sqlx::query(
        "with base as (
             select row_number() over (order by v.modello_id, v.versione) - 1 as r, v.*
               from modelli_versioni v join modelli m on m.id = v.modello_id
              where m.firm_id is null),
              obiettivi_numerati as (
             select row_number() over (order by o.id) as r, o.id from obiettivi o
              where o.ente_id = $2)
         insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso,
                indicatori, valori_attesi, scadenza_mese, scadenza_giorno, fasi,
                tipi_struttura, missioni, natura, ambito)
         select md5('modello:' || k || ':' || o.id)::uuid, ver, b.titolo, b.descrizione, b.peso,
                b.indicatori, b.valori_attesi, b.scadenza_mese, b.scadenza_giorno, b.fasi,
                b.tipi_struttura, b.missioni, b.natura, md5('studio:' || k)::uuid
           from generate_series(0, ($1 - 1) / 50) k, generate_series(1, 2) ver,
                obiettivi_numerati o, base b
          where b.r = o.r % (select count(*) from base)",
    )
    .bind(n as i64)
    .bind(modello)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // The copy runs with triggers off (`session_replication_role`): the current version's
    // title, which a version's insert gives its template (migration 0041), is written here,
    // for every template whose title is not its current version's (as 0041's backfill).
    sqlx::query(
        "update modelli m set titolo = v.titolo from modelli_versioni v
          where v.modello_id = m.id and v.versione = m.versione_corrente
            and m.titolo is distinct from v.titolo",
    )
    .execute(&mut *tx)
    .await?;
    println!(
        "  {:<20} {righe:>9} righe in {:.1?}",
        "modelli_versioni",
        t.elapsed()
    );
    Ok(())
}

/// PostgreSQL's shared buffers sized for the database, as a server holding every comune
/// would be set up: the database and a quarter more, within a quarter of the machine's
/// memory, never below PostgreSQL's default of 128 MB (what the embedded cluster keeps for
/// one ente). With the default, 2.5 GB at 7,900 enti went through the kernel's page cache
/// on every read, and the runs compared a cold database with a cached one.
async fn memoria_condivisa(conn: &mut PgConnection) -> anyhow::Result<()> {
    const MB: i64 = 1024 * 1024;
    let dimensione: i64 = sqlx::query_scalar("select pg_database_size(current_database())")
        .fetch_one(&mut *conn)
        .await?;
    let memoria = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let riga = m.lines().find(|l| l.starts_with("MemTotal:"))?;
            riga.split_whitespace().nth(1)?.parse::<i64>().ok()
        })
        .map(|kb| kb * 1024)
        .unwrap_or(4096 * MB);
    let mb = (dimensione + dimensione / 4).min(memoria / 4).max(128 * MB) / MB;
    // A setting's value, from numbers: ALTER SYSTEM takes no parameters.
    sqlx::query(&format!("alter system set shared_buffers = '{mb}MB'"))
        .execute(&mut *conn)
        .await?;
    println!(
        "database: {} MB; shared_buffers: {mb} MB (al prossimo avvio)",
        dimensione / MB
    );
    Ok(())
}
