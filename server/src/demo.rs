//! Demo data: the firm "Studio Demo" and its enti. Idempotent: loading twice changes nothing.

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

pub async fn load(owner_url: &str) -> Result<(), DemoError> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect_with(&crate::db::parse(owner_url)?).await?;
    let mut tx = conn.begin().await?;
    sqlx::query("select set_config('app.platform_admin', 'on', true)")
        .execute(&mut *tx)
        .await?;
    let firm_id: uuid::Uuid = sqlx::query_scalar(
        "insert into firms (name) values ('Studio Demo')
         on conflict (name) do update set name = excluded.name returning id",
    )
    .fetch_one(&mut *tx)
    .await?;
    for (name, provincia, slug) in [
        ("Comune di Esempio", "Provincia di Esempio", "comune-di-esempio"),
        ("Comune di Prova", "Provincia di Prova", "comune-di-prova"),
    ] {
        sqlx::query(
            "insert into enti (firm_id, name, provincia, slug) values ($1, $2, $3, $4)
             on conflict (slug) do nothing",
        )
        .bind(firm_id)
        .bind(name)
        .bind(provincia)
        .bind(slug)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    conn.close().await?;
    Ok(())
}
