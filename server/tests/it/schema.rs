//! The schema stays distributable by `ente_id` (Citus): each rule is a query on the
//! catalogue, and a planted bad table shows that each query finds what it must.

use server::testing::TestDb;
use sqlx::PgConnection;

/// Tables of `public` with an `ente_id` column: the ente tables.
const ENTE: &str = "select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p')
       and exists (select 1 from pg_attribute a
                    where a.attrelid = c.oid and a.attname = 'ente_id' and not a.attisdropped)";

/// The number of `ente_id` in table `t` (`c.oid`).
const ENTE_ID: &str =
    "(select a.attnum from pg_attribute a where a.attrelid = {t} and a.attname = 'ente_id')";

/// Every way the schema breaks the rules, in words.
async fn violazioni(c: &mut PgConnection) -> Vec<String> {
    let ente_id = |t: &str| ENTE_ID.replace("{t}", t);
    let regole: Vec<(&str, String)> = vec![
        (
            "ente table without RLS enabled and forced",
            format!(
                "select c.relname::text from pg_class c
                  where c.oid in ({ENTE}) and not (c.relrowsecurity and c.relforcerowsecurity)"
            ),
        ),
        (
            "ente table whose primary key lacks ente_id",
            format!(
                "select c.relname::text from pg_class c
                  where c.oid in ({ENTE}) and not exists (
                    select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p'
                       and {} = any (k.conkey))",
                ente_id("c.oid")
            ),
        ),
        (
            "unique constraint or index of an ente table without ente_id",
            format!(
                "select i.indexrelid::regclass::text from pg_index i
                  where i.indrelid in ({ENTE}) and i.indisunique
                    and not ({} = any (i.indkey::int2[]))",
                ente_id("i.indrelid")
            ),
        ),
        (
            "foreign key between ente tables without ente_id on both sides",
            format!(
                "select k.conname::text from pg_constraint k
                  where k.contype = 'f' and k.conrelid in ({ENTE}) and k.confrelid in ({ENTE})
                    and not ({} = any (k.conkey) and {} = any (k.confkey))",
                ente_id("k.conrelid"),
                ente_id("k.confrelid")
            ),
        ),
        (
            // Citus refuses a subquery in the policy of a distributed table and of a
            // reference table alike: every table's policies ask through settings or
            // functions (migration 0037).
            "policy with a subquery",
            "select c.relname || '.' || p.polname from pg_policy p
               join pg_class c on c.oid = p.polrelid
               join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public'
                and (coalesce(p.polqual::text, '') like '%{SUBLINK %'
                     or coalesce(p.polwithcheck::text, '') like '%{SUBLINK %')"
                .to_string(),
        ),
        (
            "global table with a foreign key into an ente table",
            format!(
                "select k.conname::text from pg_constraint k
                  where k.contype = 'f' and k.confrelid in ({ENTE})
                    and k.conrelid not in ({ENTE})
                    and k.conrelid in (select c.oid from pg_class c join pg_namespace n
                                         on n.oid = c.relnamespace where n.nspname = 'public')"
            ),
        ),
    ];
    let mut out = Vec::new();
    for (regola, sql) in regole {
        let nomi: Vec<String> = sqlx::query_scalar(&sql).fetch_all(&mut *c).await.unwrap();
        out.extend(nomi.into_iter().map(|n| format!("{regola}: {n}")));
    }
    out.sort();
    out
}

#[tokio::test]
async fn the_schema_is_ready_to_be_distributed_by_ente() {
    let db = TestDb::new().await;
    let mut c = db.owner().await;
    let v = violazioni(&mut c).await;
    assert!(v.is_empty(), "{v:#?}");
}

#[tokio::test]
async fn the_schema_check_finds_a_planted_bad_table() {
    let db = TestDb::new().await;
    let mut c = db.owner().await;
    for ddl in [
        "create table piantata (id uuid primary key, ente_id uuid not null, codice text unique)",
        "create policy piantata_p on piantata using (ente_id in (select id from enti))",
        "create table piantata_globale (id uuid primary key, rif uuid references piantata (id))",
        "create policy piantata_globale_p on piantata_globale
           using (exists (select 1 from users u where u.id = app_user()))",
    ] {
        sqlx::query(ddl).execute(&mut c).await.unwrap();
    }
    let v = violazioni(&mut c).await;
    for atteso in [
        "ente table without RLS enabled and forced: piantata",
        "ente table whose primary key lacks ente_id: piantata",
        "unique constraint or index of an ente table without ente_id: piantata_pkey",
        "unique constraint or index of an ente table without ente_id: piantata_codice_key",
        "policy with a subquery: piantata.piantata_p",
        "policy with a subquery: piantata_globale.piantata_globale_p",
        "global table with a foreign key into an ente table: piantata_globale_rif_fkey",
    ] {
        assert!(v.iter().any(|x| x == atteso), "not found: {atteso}\n{v:#?}");
    }
}
