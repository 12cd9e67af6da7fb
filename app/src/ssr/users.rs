//! SQL on `users`, `memberships` and `firm_memberships`.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::context::{Caller, EnteTx, UserTx};
use super::one_row;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::model::{Consultant, Member};

/// What login needs: the account with this e-mail, if any.
pub struct LoginRow {
    pub id: Uuid,
    pub password_hash: String,
    pub disabled: bool,
    pub password_changed_at: DateTime<Utc>,
}

pub async fn for_login(pool: &PgPool, email: &str) -> AppResult<Option<LoginRow>> {
    let row: Option<(Uuid, String, bool, DateTime<Utc>)> = sqlx::query_as(
        "select id, password_hash, disabled, password_changed_at from users where email = $1",
    )
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(id, password_hash, disabled, password_changed_at)| LoginRow {
            id,
            password_hash,
            disabled,
            password_changed_at,
        },
    ))
}

/// The caller behind a session: `None` if the account is gone or disabled.
pub async fn load_caller(
    pool: &PgPool,
    user_id: Uuid,
) -> AppResult<Option<(Caller, DateTime<Utc>)>> {
    let mut tx = pool.begin().await?;
    sqlx::query("select set_config('app.user_id', $1, true)")
        .bind(user_id.to_string())
        .execute(&mut *tx)
        .await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        email: String,
        display_name: String,
        is_platform_admin: bool,
        password_changed_at: DateTime<Utc>,
        firm_id: Option<Uuid>,
    }
    let row: Option<Row> = sqlx::query_as(
        "select u.email, u.display_name, u.is_platform_admin, u.password_changed_at,
                (select fm.firm_id from firm_memberships fm where fm.user_id = u.id) as firm_id
           from users u where u.id = $1 and not u.disabled",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row.map(|r| {
        (
            Caller {
                user_id,
                email: r.email,
                display_name: r.display_name,
                is_platform_admin: r.is_platform_admin,
                firm_id: r.firm_id,
            },
            r.password_changed_at,
        )
    }))
}

pub async fn own_role_in(tx: &mut UserTx, user_id: Uuid, ente_id: Uuid) -> AppResult<Option<Role>> {
    let role: Option<String> = sqlx::query_scalar(
        "select role from memberships where user_id = $1 and ente_id = $2 and not disabled",
    )
    .bind(user_id)
    .bind(ente_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(role.as_deref().and_then(Role::from_db))
}

pub async fn firm_name(tx: &mut UserTx, firm_id: Uuid) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar("select name from firms where id = $1")
        .bind(firm_id)
        .fetch_optional(&mut **tx)
        .await?)
}

pub async fn members(tx: &mut EnteTx) -> AppResult<Vec<Member>> {
    let rows: Vec<(Uuid, String, String, String, bool, bool)> = sqlx::query_as(
        "select u.id, u.email, u.display_name, m.role, m.disabled, u.ambiti > 1 or u.is_platform_admin
           from memberships m join users u on u.id = m.user_id
          where m.ente_id = $1
          order by u.display_name, u.email",
    )
    .bind(tx.ente_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(user_id, email, display_name, role, disabled, condiviso)| {
                Some(Member {
                    user_id,
                    email,
                    display_name,
                    role: Role::from_db(&role)?,
                    disabled,
                    condiviso,
                })
            },
        )
        .collect())
}

/// The account with this e-mail, created with `password_hash` if it does not exist yet.
/// Returns its id and whether it was created.
async fn upsert_user(
    conn: &mut sqlx::PgConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> AppResult<(Uuid, bool)> {
    let created: Option<Uuid> = sqlx::query_scalar(
        "insert into users (email, display_name, password_hash) values ($1, $2, $3)
         on conflict (email) do nothing returning id",
    )
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .fetch_optional(&mut *conn)
    .await?;
    match created {
        Some(id) => Ok((id, true)),
        None => {
            let id = sqlx::query_scalar("select id from users where email = $1")
                .bind(email)
                .fetch_one(&mut *conn)
                .await?;
            Ok((id, false))
        }
    }
}

/// Adds a member to the ente; an existing account (same e-mail) keeps its password.
pub async fn add_member(
    tx: &mut EnteTx,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> AppResult<bool> {
    let (user_id, created) = upsert_user(tx, email, display_name, password_hash).await?;
    let inserted = sqlx::query(
        "insert into memberships (ente_id, user_id, role) values ($1, $2, $3)
         on conflict (ente_id, user_id) do nothing",
    )
    .bind(tx.ente_id)
    .bind(user_id)
    .bind(role.db_name())
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::NonValido(format!(
            "{email} è già un utente di questo ente."
        )));
    }
    Ok(created)
}

pub async fn set_role(tx: &mut EnteTx, user_id: Uuid, role: Role) -> AppResult<()> {
    let r = sqlx::query("update memberships set role = $3 where ente_id = $1 and user_id = $2")
        .bind(tx.ente_id)
        .bind(user_id)
        .bind(role.db_name())
        .execute(&mut **tx)
        .await?;
    one_row(r)
}

pub async fn set_disabled(tx: &mut EnteTx, user_id: Uuid, disabled: bool) -> AppResult<()> {
    let r = sqlx::query("update memberships set disabled = $3 where ente_id = $1 and user_id = $2")
        .bind(tx.ente_id)
        .bind(user_id)
        .bind(disabled)
        .execute(&mut **tx)
        .await?;
    one_row(r)
}

/// Only for a member of this ente (the membership lookup is itself ente-scoped by RLS)
/// whose account is used nowhere else: not in another ente, not by a firm, not a platform
/// administrator. Those reset their own password.
pub async fn reset_password(tx: &mut EnteTx, user_id: Uuid, password_hash: &str) -> AppResult<()> {
    let r = sqlx::query(
        "update users set password_hash = $3, password_changed_at = now()
          where id = $2 and ambiti <= 1 and not is_platform_admin
            and exists (select 1 from memberships m where m.ente_id = $1 and m.user_id = $2)",
    )
    .bind(tx.ente_id)
    .bind(user_id)
    .bind(password_hash)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 1 {
        return Ok(());
    }
    let membro: bool = sqlx::query_scalar(
        "select exists (select 1 from memberships where ente_id = $1 and user_id = $2)",
    )
    .bind(tx.ente_id)
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?;
    if membro {
        Err(AppError::NonValido(
            "Questo account si usa anche fuori da questo ente: per sicurezza la password può \
             cambiarla solo il titolare, dalla pagina «Cambia password»."
                .into(),
        ))
    } else {
        Err(AppError::NonTrovato)
    }
}

pub async fn audit(tx: &mut EnteTx, action: &str, detail: serde_json::Value) -> AppResult<()> {
    sqlx::query("insert into audit_log (ente_id, user_id, action, detail) values ($1, $2, $3, $4)")
        .bind(tx.ente_id)
        .bind(tx.user_id)
        .bind(action)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn password_hash(pool: &PgPool, user_id: Uuid) -> AppResult<String> {
    Ok(
        sqlx::query_scalar("select password_hash from users where id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?,
    )
}

pub async fn set_own_password(pool: &PgPool, user_id: Uuid, password_hash: &str) -> AppResult<()> {
    sqlx::query("update users set password_hash = $2, password_changed_at = now() where id = $1")
        .bind(user_id)
        .bind(password_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn consultants(tx: &mut UserTx, firm_id: Uuid) -> AppResult<Vec<Consultant>> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "select u.id, u.email, u.display_name
           from firm_memberships fm join users u on u.id = fm.user_id
          where fm.firm_id = $1 order by u.display_name",
    )
    .bind(firm_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, email, display_name)| Consultant {
            user_id,
            email,
            display_name,
        })
        .collect())
}

/// A new consultant of the firm. A person works for one firm only.
pub async fn add_consultant(
    tx: &mut UserTx,
    firm_id: Uuid,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> AppResult<bool> {
    let (user_id, created) = upsert_user(tx, email, display_name, password_hash).await?;
    let r = sqlx::query(
        "insert into firm_memberships (firm_id, user_id) values ($1, $2)
         on conflict do nothing",
    )
    .bind(firm_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NonValido(format!(
            "{email} è già consulente di uno studio."
        )));
    }
    Ok(created)
}

pub async fn password_changed_at(pool: &PgPool, user_id: Uuid) -> AppResult<DateTime<Utc>> {
    Ok(
        sqlx::query_scalar("select password_changed_at from users where id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?,
    )
}
