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

/// A new account with a temporary password (changed at the first login, valid 72 hours).
/// An existing account is never touched: promoting it would hand a role to whoever knows
/// its password, without its owner's say.
async fn new_user(
    tx: &mut sqlx::PgConnection,
    email: &str,
    name: &str,
    admin: bool,
) -> Result<(uuid::Uuid, String), CliError> {
    let email = app::domain::validate::email(email).map_err(CliError::Invalid)?;
    let name = app::domain::validate::name("Nome e cognome", name).map_err(CliError::Invalid)?;
    let one_time = password::generate();
    let hash = password::hash(&one_time);
    let created: Option<uuid::Uuid> = sqlx::query_scalar(
        "insert into users (email, display_name, password_hash, is_platform_admin,
                            password_temporanea, password_scade_at)
         values ($1, $2, $3, $4, true, now() + make_interval(hours => $5))
         on conflict (email) do nothing returning id",
    )
    .bind(&email)
    .bind(&name)
    .bind(&hash)
    .bind(admin)
    .bind(app::domain::validate::TEMPORANEA_ORE as i32)
    .fetch_optional(&mut *tx)
    .await?;
    created.map(|id| (id, one_time)).ok_or_else(|| {
        CliError::Invalid(format!(
            "esiste già un account {email}: nessuna modifica. Usa un altro indirizzo, \
             oppure aggiungi l'account dall'interfaccia, che gli consegna un codice di invito."
        ))
    })
}

fn report(email: &str, pw: &str) {
    println!(
        "{email}: password temporanea {pw} (da cambiare al primo accesso, entro {} ore)",
        app::domain::validate::TEMPORANEA_ORE
    );
}

pub async fn run(pool: &PgPool, args: &[&str]) -> Result<(), CliError> {
    let mut tx = pool.begin().await?;
    app::ssr::imposta(&mut tx, "app.platform_admin", "on").await?;
    match args {
        ["crea-amministratore", email, name] => {
            let (_, pw) = new_user(&mut tx, email, name, true).await?;
            tx.commit().await?;
            report(email, &pw);
        }
        ["crea-studio", firm, email, name] => {
            let firm = app::domain::validate::name("Nome dello studio", firm)
                .map_err(CliError::Invalid)?;
            let firm_id: Option<uuid::Uuid> = sqlx::query_scalar(
                "insert into firms (name) values ($1) on conflict (name) do nothing returning id",
            )
            .bind(&firm)
            .fetch_optional(&mut *tx)
            .await?;
            let firm_id = firm_id.ok_or_else(|| {
                CliError::Invalid(format!("esiste già uno studio «{firm}»: nessuna modifica."))
            })?;
            let (user_id, pw) = new_user(&mut tx, email, name, false).await?;
            sqlx::query("insert into firm_memberships (firm_id, user_id) values ($1, $2)")
                .bind(firm_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            println!("studio «{firm}» pronto");
            report(email, &pw);
        }
        _ => return Err(CliError::Invalid(USAGE.into())),
    }
    Ok(())
}
