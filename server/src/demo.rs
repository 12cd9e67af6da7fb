//! Demo data: the firm "Studio Demo", its enti, and one login per role (see the README).
//! Idempotent: loading twice changes nothing. Production never loads it unless asked.

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
}

async fn set(tx: &mut sqlx::PgConnection, key: &str, value: &str) -> Result<(), sqlx::Error> {
    sqlx::query("select set_config($1, $2, true)")
        .bind(key)
        .bind(value)
        .execute(tx)
        .await?;
    Ok(())
}

/// Loads the demo through the owner connection; the policies are honoured (the owner may
/// be subject to forced RLS on a managed database), so it sets the ente it writes to.
pub async fn load(owner_url: &str) -> Result<(), DemoError> {
    let mut conn = sqlx::PgConnection::connect_with(&crate::db::parse(owner_url)?).await?;
    let hash = {
        let pw = DEMO_PASSWORD.to_string();
        tokio::task::spawn_blocking(move || app::ssr::password::hash(&pw))
            .await
            .expect("hashing thread")
    };
    let mut tx = conn.begin().await?;
    set(&mut tx, "app.platform_admin", "on").await?;
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
            "insert into users (email, display_name, password_hash, is_platform_admin)
             values ($1, $2, $3, $4) on conflict (email) do nothing",
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
            set(&mut tx, "app.ente_id", &ente_id.to_string()).await?;
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
    tx.commit().await?;
    conn.close().await?;
    Ok(())
}
