//! Test support: one throwaway cluster per test process (the embedded default's code path,
//! in a temporary folder) and a fresh database per test, copied from a migrated template so
//! that a test costs milliseconds. Used by the integration tests and the benchmarks.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use sqlx::PgPool;

use crate::db;
use crate::pgcluster::{ClusterOptions, LocalCluster};

const TEMPLATE: &str = "obiettivi_template";

/// The server secret of the test clusters (derives the runtime role's password).
pub const TEST_SECRET: [u8; 32] = [9; 32];
/// The tests' pool: some hold several transactions open at once on purpose (conflicts,
/// locks), more than the product's default on a small machine.
pub const TEST_CONNESSIONI: u32 = 16;

struct Shared {
    cluster: Mutex<Option<LocalCluster>>,
    root: PathBuf,
    admin_url: String,
    template_url: String,
}

static SHARED: OnceLock<Shared> = OnceLock::new();
static NEXT: AtomicU32 = AtomicU32::new(0);

extern "C" fn stop_cluster_at_exit() {
    if let Some(shared) = SHARED.get() {
        if let Ok(mut guard) = shared.cluster.lock() {
            if let Some(mut cluster) = guard.take() {
                cluster.stop();
            }
        }
        let _ = std::fs::remove_dir_all(&shared.root);
    }
}

fn shared() -> &'static Shared {
    SHARED.get_or_init(|| {
        // Before any test can render a page (see `crate::routes`).
        crate::routes();
        let root = std::env::temp_dir().join(format!("obiettivi-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let cluster = LocalCluster::start(&root, &ClusterOptions { ephemeral: true })
            .expect("start the test cluster");
        let admin_url = cluster.url("postgres");
        let template_url = cluster.url(TEMPLATE);
        // Migrate the template on a runtime of its own: callers may be on any runtime.
        let (a, t) = (admin_url.clone(), template_url.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            rt.block_on(async {
                crate::create_database_if_missing(&a, TEMPLATE).await?;
                // Creates the runtime role and its grants, then drops every connection.
                let pool = db::prepare(&t, None, &TEST_SECRET, TEST_CONNESSIONI).await?;
                pool.close().await;
                Ok::<_, db::DbError>(())
            })
        })
        .join()
        .expect("template thread")
        .expect("migrate the template database");
        unsafe {
            libc::atexit(stop_cluster_at_exit);
        }
        Shared {
            cluster: Mutex::new(Some(cluster)),
            root,
            admin_url,
            template_url,
        }
    })
}

/// A database of this test's own, migrated, with the runtime pool the server would use.
pub struct TestDb {
    pub name: String,
    /// Owner (superuser) URL: for setting up fixtures and for inspecting, never for serving.
    pub owner_url: String,
    /// Runtime role: what the server serves with.
    pub pool: PgPool,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let shared = shared();
        let name = format!(
            "t_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect_with(&db::parse(&shared.admin_url).unwrap())
            .await
            .expect("connect as admin");
        sqlx::query(&format!("CREATE DATABASE \"{name}\" TEMPLATE {TEMPLATE}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let owner_url = shared.template_url.replace(TEMPLATE, &name);
        let pool = db::prepare(&owner_url, None, &TEST_SECRET, TEST_CONNESSIONI)
            .await
            .expect("prepare test database");
        TestDb {
            name,
            owner_url,
            pool,
        }
    }

    /// The server's state over this database, as `serve` builds it.
    pub fn state(&self) -> crate::state::AppState {
        crate::state::AppState::new(
            leptos::config::LeptosOptions::builder()
                .output_name("obiettivi")
                .site_root("target/site")
                .build(),
            self.pool.clone(),
            crate::config::Config {
                database_url: Some(self.owner_url.clone()),
                ..crate::config::Config::incorporata("unused".into())
            },
            app::ssr::allegato::custodia::ChiaveFirme::di_prova(),
        )
    }

    /// A superuser connection to this database (fixtures, inspection).
    pub async fn owner(&self) -> sqlx::PgConnection {
        use sqlx::Connection;
        sqlx::PgConnection::connect_with(&db::parse(&self.owner_url).unwrap())
            .await
            .expect("connect as owner")
    }
}

/// URL of the test cluster's superuser on `database`.
pub fn superuser_url(database: &str) -> String {
    shared().template_url.replace(TEMPLATE, database)
}
