//! The foundation: runtime role, health, server-side rendering, embedded cluster restarts.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use server::db::{self, DbError};
use server::testing::{superuser_url, TestDb};

use crate::support::{body_text, send, state};

#[tokio::test]
async fn runtime_role_is_neither_superuser_nor_owner() {
    let db = TestDb::new().await;
    let (user, superuser, bypass): (String, bool, bool) = sqlx::query_as(
        "select current_user::text, rolsuper, rolbypassrls from pg_roles where rolname = current_user",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(user, db::RUNTIME_ROLE);
    assert!(!superuser && !bypass);
    // It may read and write rows but not change the schema.
    let err = sqlx::query("create table intruso (x int)")
        .execute(&db.pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    let err = sqlx::query("select * from _sqlx_migrations")
        .execute(&db.pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
}

/// The runtime's statements are planned once per connection (`db::with_generic_plans`), not
/// on each of their first five runs as PostgreSQL's default does.
#[tokio::test]
async fn runtime_connections_plan_each_statement_once() {
    let db = TestDb::new().await;
    let mut c = db.pool.acquire().await.unwrap();
    for _ in 0..3 {
        sqlx::query("select count(*) from piani where ente_id = $1")
            .bind(uuid::Uuid::nil())
            .fetch_one(&mut *c)
            .await
            .unwrap();
    }
    let piani: (i64, i64) = sqlx::query_as(
        "select generic_plans, custom_plans from pg_prepared_statements
          where statement = 'select count(*) from piani where ente_id = $1'",
    )
    .fetch_one(&mut *c)
    .await
    .unwrap();
    assert_eq!(piani, (3, 0));
}

#[tokio::test]
async fn refuses_a_superuser_runtime_connection() {
    let db = TestDb::new().await;
    let err = db::prepare(
        &db.owner_url,
        Some(&superuser_url(&db.name)),
        &server::testing::TEST_SECRET,
        server::testing::TEST_CONNESSIONI,
    )
    .await
    .unwrap_err();
    match err {
        DbError::UnsafeRuntimeRole { role, reason } => {
            assert_eq!(role, "postgres");
            assert_eq!(reason, "is a superuser");
        }
        other => panic!("expected UnsafeRuntimeRole, got {other}"),
    }
}

#[tokio::test]
async fn refuses_runtime_roles_that_bypass_rls_or_own_tables() {
    let db = TestDb::new().await;
    let mut owner = db.owner().await;
    // Roles are cluster-wide: name them after this test's database.
    let (bypasser, proprietario) = (format!("{}_bypass", db.name), format!("{}_owner", db.name));
    sqlx::raw_sql(&format!(
        "create role {bypasser} login bypassrls;
         create role {proprietario} login;
         create table public.di_proprieta (x int);
         alter table public.di_proprieta owner to {proprietario};"
    ))
    .execute(&mut owner)
    .await
    .unwrap();
    let url_for = |role: &str| {
        superuser_url(&db.name).replacen("postgres://postgres@", &format!("postgres://{role}@"), 1)
    };
    let err = db::prepare(
        &db.owner_url,
        Some(&url_for(&bypasser)),
        &server::testing::TEST_SECRET,
        server::testing::TEST_CONNESSIONI,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("has BYPASSRLS"), "{err}");
    let err = db::prepare(
        &db.owner_url,
        Some(&url_for(&proprietario)),
        &server::testing::TEST_SECRET,
        server::testing::TEST_CONNESSIONI,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("owns tables"), "{err}");
    // The refusal explains itself to the operator.
    assert!(err.to_string().contains("OBIETTIVI_RUNTIME_DATABASE_URL"));
}

/// A runtime role that held the cockpit role's privileges without setting it would read
/// every firm's enti under the cockpit's policies whenever `app.enti_studio` is set.
#[tokio::test]
async fn a_runtime_role_given_must_set_the_cockpits_role_not_inherit_it() {
    let db = TestDb::new().await;
    let mut owner = db.owner().await;
    let ruolo = format!("{}_dato", db.name);
    sqlx::raw_sql(&format!("create role {ruolo} login"))
        .execute(&mut owner)
        .await
        .unwrap();
    let url = superuser_url(&db.name).replacen(
        "postgres://postgres@",
        &format!("postgres://{ruolo}@"),
        1,
    );
    let prepara = || {
        db::prepare(
            &db.owner_url,
            Some(&url),
            &server::testing::TEST_SECRET,
            server::testing::TEST_CONNESSIONI,
        )
    };
    let err = prepara().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("is not a member of the cockpit's role"),
        "{err}"
    );
    // A member by default inherits: refused, saying how to mend it.
    sqlx::raw_sql(&format!("grant obiettivi_cruscotto to {ruolo}"))
        .execute(&mut owner)
        .await
        .unwrap();
    let err = prepara().await.unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("ALTER ROLE {ruolo} NOINHERIT")),
        "{err}"
    );
    sqlx::raw_sql(&format!("alter role {ruolo} noinherit"))
        .execute(&mut owner)
        .await
        .unwrap();
    prepara().await.unwrap().close().await;
}

#[tokio::test]
async fn health_is_200_with_a_database_and_503_without() {
    let db = TestDb::new().await;
    let st = state(&db);
    let resp = send(&st, Request::get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(body_text(resp).await, r#"{"database":"ok","status":"ok"}"#);

    db.pool.close().await;
    let resp = send(&st, Request::get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn pages_are_rendered_on_the_server_in_italian() {
    let db = TestDb::new().await;
    let resp = send(
        &state(&db),
        Request::get("/login").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = body_text(resp).await;
    assert!(html.contains(r#"<html lang="it">"#));
    assert!(html.contains(r#"<form method="post" action="/login""#));
    assert!(html.contains("Indirizzo e-mail"));
    assert!(html.contains("bootstrap-italia.min.css"));
    // Pages behind the login send visitors to it, and back afterwards.
    let resp = send(
        &state(&db),
        Request::get("/e/comune-di-esempio")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"],
        "/login?next=%2Fe%2Fcomune-di-esempio"
    );
}

#[tokio::test]
async fn unknown_page_is_404() {
    let db = TestDb::new().await;
    let resp = send(
        &state(&db),
        Request::get("/non-esiste").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(body_text(resp).await.contains("Pagina non trovata"));
}

/// The embedded default: first start initialises and loads the demo; a restart keeps data.
#[tokio::test]
async fn embedded_cluster_keeps_data_across_restarts() {
    let dir = std::env::temp_dir().join(format!("obiettivi-embedded-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = crate::support::embedded_config(&dir);
    let mut first = server::open_database(&config, true).await.unwrap();
    assert!(first.cluster.as_ref().unwrap().freshly_initialised);
    let mut owner = {
        use sqlx::Connection;
        sqlx::PgConnection::connect(&first.owner_url).await.unwrap()
    };
    sqlx::raw_sql("create table ricordo (x text); insert into ricordo values ('c''era una volta')")
        .execute(&mut owner)
        .await
        .unwrap();
    drop(owner);
    first.pool.close().await;
    let cluster = first.cluster.take().unwrap();
    tokio::task::spawn_blocking(move || drop(cluster))
        .await
        .unwrap();

    let mut second = server::open_database(&config, false).await.unwrap();
    assert!(!second.cluster.as_ref().unwrap().freshly_initialised);
    let mut owner = {
        use sqlx::Connection;
        sqlx::PgConnection::connect(&second.owner_url)
            .await
            .unwrap()
    };
    let kept: String = sqlx::query_scalar("select x from ricordo")
        .fetch_one(&mut owner)
        .await
        .unwrap();
    assert_eq!(kept, "c'era una volta");
    let enti: i64 = sqlx::query_scalar("select count(*) from enti")
        .fetch_one(&mut owner)
        .await
        .unwrap();
    assert_eq!(
        enti, 2,
        "the demo loaded on the first start (--demo) is kept"
    );
    drop(owner);
    second.pool.close().await;
    let cluster = second.cluster.take().unwrap();
    tokio::task::spawn_blocking(move || drop(cluster))
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
