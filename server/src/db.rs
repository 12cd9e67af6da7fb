//! Database start-up: migrations as the owner, the runtime role, and the check that the
//! connections the server serves with cannot bypass Row-Level Security.

use std::str::FromStr;

use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Executor};

/// Name of the runtime role the server creates when it may create roles.
pub const RUNTIME_ROLE: &str = "obiettivi_app";

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("refusing to serve: the runtime database role `{role}` {reason}. The server must connect with a role that is not superuser, has no BYPASSRLS and owns no table, so that Row-Level Security always applies. Give OBIETTIVI_RUNTIME_DATABASE_URL such a role, or let the server create one by giving it a DATABASE_URL that may create roles.")]
    UnsafeRuntimeRole { role: String, reason: String },
    #[error("invalid role name `{0}`: use lower-case letters, digits and underscores")]
    InvalidRoleName(String),
}

/// Connects as the owner, migrates, prepares the runtime role and closes the owner's
/// connections; then connects as the runtime role, checks it, and returns its pool of at
/// most `connessioni` connections.
pub async fn prepare(
    owner_url: &str,
    runtime_url: Option<&str>,
    secret: &[u8; 32],
    connessioni: u32,
) -> Result<PgPool, DbError> {
    let owner_opts = parse(owner_url)?;
    let owner = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(owner_opts.clone())
        .await?;
    let result = async {
        migrate(&owner).await?;
        let runtime_opts = match runtime_url {
            Some(url) => parse(url)?,
            None => {
                let password = derived_password(owner_url, secret);
                let opts = owner_opts
                    .clone()
                    .username(RUNTIME_ROLE)
                    .password(&password);
                // Touch the role only when it cannot log in yet: role DDL is cluster-wide,
                // and servers (or tests) starting together would otherwise race on it.
                if !can_login(&opts).await {
                    ensure_runtime_role(&owner, RUNTIME_ROLE, &password).await?;
                }
                opts
            }
        };
        grant_runtime(&owner, runtime_opts.get_username()).await?;
        grant_runtime(&owner, COCKPIT_ROLE).await?;
        cockpit_membership(&owner, runtime_opts.get_username(), runtime_url.is_none()).await?;
        Ok::<_, DbError>(runtime_opts)
    }
    .await;
    owner.close().await;
    let runtime_opts = result?;
    let pool = PgPoolOptions::new()
        .max_connections(connessioni)
        // sqlx tests every connection when it comes back (a round trip it always makes): a
        // second test before each use was one more round trip per transaction, five of a
        // plan page's. A connection that died in between fails its query, and is dropped.
        .test_before_acquire(false)
        .connect_with(with_generic_plans(runtime_opts))
        .await?;
    check_runtime_role(&pool).await?;
    Ok(pool)
}

/// Every prepared statement planned once per connection, for any ente (its parameters are
/// nearly always the ente and keys, which do not change the best plan). PostgreSQL's default
/// chooses per statement, from its first five runs, between that and planning on every
/// run; with row-level security the choice came out differently from run to run, and one
/// statement of the plan page (the progress at the latest checkpoint) planned on every run
/// cost 1.5 ms against 0.07 ms (7,900 bench database).
pub fn with_generic_plans(opts: PgConnectOptions) -> PgConnectOptions {
    opts.options([("plan_cache_mode", "force_generic_plan")])
}

pub fn parse(url: &str) -> Result<PgConnectOptions, DbError> {
    PgConnectOptions::from_str(url)
        .map(|o| o.disable_statement_logging())
        .map_err(|e| DbError::InvalidUrl(e.to_string()))
}

/// Runs the schema migrations and the session store's own, as the owner.
pub async fn migrate(owner: &PgPool) -> Result<(), DbError> {
    MIGRATOR.run(owner).await?;
    tower_sessions_sqlx_store::PostgresStore::new(owner.clone())
        .migrate()
        .await?;
    Ok(())
}

/// Several app servers given the same DATABASE_URL and server key must agree on the runtime
/// password without storing it anywhere: derive it from the server's secret key and the
/// owner's URL. The secret matters: where the URL holds no password (peer or certificate
/// authentication, `.pgpass`), the URL alone would let anyone who knows host and user compute
/// it, and log in as the role whose settings Row-Level Security trusts. The role is
/// cluster-wide, so the database name is left out: every database of the cluster derives the
/// same password.
fn derived_password(owner_url: &str, secret: &[u8; 32]) -> String {
    let (base, query) = owner_url.split_once('?').unwrap_or((owner_url, ""));
    let server = match base.rfind('/') {
        Some(i) if i > base.find("//").map_or(0, |j| j + 1) => &base[..i],
        _ => base,
    };
    let mut h = Sha256::new();
    h.update(b"obiettivi runtime role v2\0");
    h.update(secret);
    h.update(server.as_bytes());
    h.update(b"?");
    h.update(query.as_bytes());
    hex::encode(h.finalize())
}

async fn can_login(opts: &PgConnectOptions) -> bool {
    use sqlx::Connection;
    match sqlx::PgConnection::connect_with(opts).await {
        Ok(c) => {
            let _ = c.close().await;
            true
        }
        Err(_) => false,
    }
}

fn check_role_name(role: &str) -> Result<(), DbError> {
    let ok = !role.is_empty()
        && role
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !role.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(DbError::InvalidRoleName(role.to_string()))
    }
}

async fn ensure_runtime_role(owner: &PgPool, role: &str, password: &str) -> Result<(), DbError> {
    check_role_name(role)?;
    let exists: bool =
        sqlx::query_scalar("select exists(select 1 from pg_roles where rolname = $1)")
            .bind(role)
            .fetch_one(owner)
            .await?;
    // Role name checked above; the password is hex.
    let attrs = format!(
        "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD '{password}'"
    );
    let sql = if exists {
        format!("ALTER ROLE {role} {attrs}")
    } else {
        format!("CREATE ROLE {role} {attrs}")
    };
    match owner.execute(sql.as_str()).await {
        Ok(_) => Ok(()),
        // Two servers starting at once may race to create it.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42710") => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The role the cockpit's door sets for its transactions (migration 0036), with the same
/// data privileges as the runtime role: only the cockpit's policies tell them apart.
const COCKPIT_ROLE: &str = app::ssr::porta::RUOLO_CRUSCOTTO;

/// Makes the runtime role `role` a member of the cockpit's role, able to set it but not
/// holding its privileges (nor its policies) without setting it: NOINHERIT, which the
/// server sets on a role it manages (`managed`) and checks on one it was given.
async fn cockpit_membership(owner: &PgPool, role: &str, managed: bool) -> Result<(), DbError> {
    check_role_name(role)?;
    let (inherit, member): (bool, bool) = sqlx::query_as(
        "select r.rolinherit, pg_has_role(r.oid, $2, 'MEMBER') from pg_roles r where r.rolname = $1",
    )
    .bind(role)
    .bind(COCKPIT_ROLE)
    .fetch_one(owner)
    .await?;
    // A role given by the operator is theirs to change (`check_runtime_role` says how).
    // Role DDL is the cluster's: only when something is missing, so that servers (or
    // tests) starting together do not race on it.
    if !managed {
        return Ok(());
    }
    if inherit {
        owner
            .execute(format!("ALTER ROLE {role} NOINHERIT").as_str())
            .await?;
    }
    if !member {
        owner
            .execute(format!("GRANT {COCKPIT_ROLE} TO {role}").as_str())
            .await?;
    }
    Ok(())
}

/// The columns of `users` the runtime role may read: all but `password_hash`.
const USERS_READABLE: &str = "id, email, display_name, is_platform_admin, disabled, created_at, \
     password_changed_at, ambiti, password_temporanea, password_scade_at, totp_segreto, totp_attivo, \
     totp_ultimo_passo, totp_esente, promemoria_email";

/// Data privileges only: the runtime role reads and writes rows, never the schema.
async fn grant_runtime(owner: &PgPool, role: &str) -> Result<(), DbError> {
    check_role_name(role)?;
    let db: String = sqlx::query_scalar("select current_database()")
        .fetch_one(owner)
        .await?;
    let statements = [
        format!("GRANT CONNECT ON DATABASE \"{db}\" TO {role}"),
        format!("GRANT USAGE ON SCHEMA public, tower_sessions TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, tower_sessions TO {role}"),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        format!("REVOKE ALL ON public._sqlx_migrations FROM {role}"),
        // The audit log is insert-only.
        format!("REVOKE UPDATE, DELETE ON public.audit_log, public.registro_accessi FROM {role}"),
        // The library's change counts are written by their trigger alone (migration 0042).
        format!("REVOKE INSERT, UPDATE, DELETE ON public.modelli_cambi FROM {role}"),
        // So are the plans' counts of progress (migration 0044).
        format!("REVOKE INSERT, UPDATE, DELETE ON public.monitoraggio_cambi FROM {role}"),
        // Password hashes are written, never read back in bulk: every column of `users` but
        // the hash (the login path reads one through `credenziali_accesso`).
        format!("REVOKE SELECT ON public.users FROM {role}"),
        format!(
            "GRANT SELECT ({USERS_READABLE}) ON public.users TO {role}"
        ),
    ];
    for s in statements {
        owner.execute(s.as_str()).await?;
    }
    Ok(())
}

/// Refuses a runtime connection that could see past Row-Level Security: itself, or a role
/// it may set, a superuser, with BYPASSRLS or owning tables; or holding the cockpit role's
/// privileges, and so its policies, without setting it (or unable to set it).
pub async fn check_runtime_role(pool: &PgPool) -> Result<(), DbError> {
    // Per role: itself first, then the roles it may set.
    let roles: Vec<(String, bool, bool, i64)> = sqlx::query_as(
        "select r.rolname::text, r.rolsuper, r.rolbypassrls,
                (select count(*) from pg_class c where c.relowner = r.oid
                   and c.relnamespace not in (select oid from pg_namespace
                                               where nspname in ('pg_catalog', 'information_schema')))
                + (select count(*) from pg_namespace n where n.nspowner = r.oid
                   and n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
                   and n.nspname <> 'public')
           from pg_roles r where pg_has_role(current_user, r.oid, 'MEMBER')
          order by r.rolname <> current_user",
    )
    .fetch_all(pool)
    .await?;
    let (inherits, member): (bool, bool) = sqlx::query_as(
        "select pg_has_role(current_user, $1, 'USAGE'), pg_has_role(current_user, $1, 'MEMBER')",
    )
    .bind(COCKPIT_ROLE)
    .fetch_one(pool)
    .await?;
    let role = roles.first().map(|r| r.0.clone()).unwrap_or_default();
    let mut reason = None;
    for (i, (name, superuser, bypass, owned)) in roles.iter().enumerate() {
        let what = if *superuser {
            "is a superuser"
        } else if *bypass {
            "has BYPASSRLS"
        } else if *owned > 0 {
            "owns tables or schemas"
        } else {
            continue;
        };
        reason = Some(if i == 0 {
            what.to_string()
        } else {
            format!("may set role `{name}`, which {what}")
        });
        break;
    }
    if reason.is_none() && inherits {
        reason = Some(format!(
            "holds the privileges of the cockpit's role `{COCKPIT_ROLE}` without setting it \
             (ALTER ROLE {role} NOINHERIT)"
        ));
    } else if reason.is_none() && !member {
        reason = Some(format!(
            "is not a member of the cockpit's role (GRANT {COCKPIT_ROLE} TO {role})"
        ));
    }
    match reason {
        Some(reason) => Err(DbError::UnsafeRuntimeRole { role, reason }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::derived_password;
    use sha2::{Digest, Sha256};

    const K: [u8; 32] = [1; 32];

    #[test]
    fn runtime_password_ignores_the_database_but_not_the_server() {
        let a = derived_password("postgres://o:pw@db.example:5432/uno?sslmode=require", &K);
        assert_eq!(
            a,
            derived_password("postgres://o:pw@db.example:5432/due?sslmode=require", &K)
        );
        assert_ne!(
            a,
            derived_password("postgres://o:altra@db.example:5432/uno?sslmode=require", &K)
        );
        assert_ne!(
            a,
            derived_password("postgres://o:pw@altro.example:5432/uno?sslmode=require", &K)
        );
    }

    /// Attack: with peer or certificate authentication the owner's URL holds no password,
    /// so anyone who knows host and user could compute a password derived from it alone.
    #[test]
    fn runtime_password_is_not_computable_from_the_url_alone() {
        let url = "postgres://obiettivi@db.example/obiettivi?sslmode=verify-full";
        assert_ne!(derived_password(url, &K), derived_password(url, &[2; 32]));
        // Not the password of the previous derivation (URL only) either.
        let mut h = Sha256::new();
        h.update(b"obiettivi runtime role v1\0");
        h.update(b"postgres://obiettivi@db.example?sslmode=verify-full");
        assert_ne!(derived_password(url, &K), hex::encode(h.finalize()));
    }
}
