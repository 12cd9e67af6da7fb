//! `server admin ...`: the first accounts of a fresh install, from the command line.

use app::ssr::password;
use sqlx::PgPool;

pub const USAGE: &str = "uso:
  server [serve] [--demo]       avvia il servizio (--demo: carica i dati dimostrativi)
  server demo                   carica i dati dimostrativi nel database ed esce
  server migrate                applica le migrazioni ed esce
  server admin crea-amministratore EMAIL \"NOME COGNOME\"
                                crea un amministratore della piattaforma
  server admin crea-studio \"NOME STUDIO\" EMAIL \"NOME COGNOME\"
                                crea uno studio di consulenza con il primo consulente
Le password temporanee sono stampate una volta sola.";

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Invalid(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

async fn user(
    tx: &mut sqlx::PgConnection,
    email: &str,
    name: &str,
    admin: bool,
) -> Result<(uuid::Uuid, Option<String>), CliError> {
    let email = app::domain::validate::email(email).map_err(CliError::Invalid)?;
    let name = app::domain::validate::name("Nome e cognome", name).map_err(CliError::Invalid)?;
    let one_time = password::generate();
    let hash = password::hash(&one_time);
    let created: Option<uuid::Uuid> = sqlx::query_scalar(
        "insert into users (email, display_name, password_hash, is_platform_admin)
         values ($1, $2, $3, $4) on conflict (email) do nothing returning id",
    )
    .bind(&email)
    .bind(&name)
    .bind(&hash)
    .bind(admin)
    .fetch_optional(&mut *tx)
    .await?;
    match created {
        Some(id) => Ok((id, Some(one_time))),
        None => {
            let id = sqlx::query_scalar("update users set is_platform_admin = is_platform_admin or $2 where email = $1 returning id")
                .bind(&email)
                .bind(admin)
                .fetch_one(&mut *tx)
                .await?;
            Ok((id, None))
        }
    }
}

fn report(email: &str, pw: Option<String>) {
    match pw {
        Some(pw) => println!("{email}: password temporanea {pw}"),
        None => println!("{email}: account già esistente, password invariata"),
    }
}

pub async fn run(pool: &PgPool, args: &[&str]) -> Result<(), CliError> {
    let mut tx = pool.begin().await?;
    sqlx::query("select set_config('app.platform_admin', 'on', true)")
        .execute(&mut *tx)
        .await?;
    match args {
        ["crea-amministratore", email, name] => {
            let (_, pw) = user(&mut tx, email, name, true).await?;
            tx.commit().await?;
            report(email, pw);
        }
        ["crea-studio", firm, email, name] => {
            let firm = app::domain::validate::name("Nome dello studio", firm)
                .map_err(CliError::Invalid)?;
            let firm_id: uuid::Uuid = sqlx::query_scalar(
                "insert into firms (name) values ($1) on conflict (name) do update set name = excluded.name returning id",
            )
            .bind(&firm)
            .fetch_one(&mut *tx)
            .await?;
            let (user_id, pw) = user(&mut tx, email, name, false).await?;
            sqlx::query("insert into firm_memberships (firm_id, user_id) values ($1, $2) on conflict do nothing")
                .bind(firm_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            println!("studio «{firm}» pronto");
            report(email, pw);
        }
        _ => return Err(CliError::Invalid(USAGE.into())),
    }
    Ok(())
}
