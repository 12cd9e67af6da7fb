//! Server-only code: request context, database access (SQL in one module per entity),
//! password hashing.

pub mod allegato;
pub mod approvati;
pub mod chiusura;
pub mod context;
pub mod cruscotto;
pub mod csv_personale;
pub mod documenti;
pub mod due_fattori;
pub mod enti;
pub mod fogli;
pub mod libreria;
pub mod modello;
pub mod modulo;
pub mod monitoraggio;
pub mod password;
pub mod personale;
pub mod piani;
pub mod porta;
pub mod precaricato;
pub mod premi;
pub mod promemoria;
pub mod registro;
pub mod relazione;
pub mod richiesta;
pub mod rinnovo;
pub mod scadenze;
pub mod sessioni;
pub mod smvp;
pub mod studi;
pub mod users;
pub mod valutazioni;
pub mod versioni;

pub use context::{begin_user, caller, imposta, pool, respond, Caller, EnteCtx, EnteTx, UserTx};

/// An update or delete that names one row by id: no row touched means no such row (in
/// this ente, as Row-Level Security sees it).
pub(crate) fn one_row(r: sqlx::postgres::PgQueryResult) -> crate::error::AppResult<()> {
    if r.rows_affected() == 1 {
        Ok(())
    } else {
        Err(crate::error::AppError::NonTrovato)
    }
}

/// Text as XML or HTML character data and attribute values (the PDF's metadata, the
/// reminders' e-mails).
pub(crate) fn testo_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
