//! The session store: tower-sessions' Postgres store, with the one call that opens a
//! transaction (`create`, a new session's id chosen and stored) finished in a task of its
//! own, as every transaction of a request is (`app::ssr::context::inizia`): a response
//! dropped while the `BEGIN` was on the wire would leave the pooled connection inside it.

use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions_sqlx_store::PostgresStore;

#[derive(Clone, Debug)]
pub struct ArchivioSessioni(pub PostgresStore);

#[async_trait::async_trait]
impl SessionStore for ArchivioSessioni {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let (store, mut nuovo) = (self.0.clone(), record.clone());
        *record = tokio::spawn(async move { store.create(&mut nuovo).await.map(|()| nuovo) })
            .await
            .map_err(|e| session_store::Error::Backend(e.to_string()))??;
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.0.save(record).await
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        self.0.load(session_id).await
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        self.0.delete(session_id).await
    }
}
