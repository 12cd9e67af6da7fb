//! Server functions, one module per area. Each checks session, ente and role on the
//! server before touching data, whatever the page showed. All are POST (the server_fn
//! default) and pass the server's same-origin check.

pub mod account;
pub mod admin;
pub mod allegato;
pub mod chiusura;
pub mod cruscotto;
pub mod ente;
pub mod libreria;
pub mod monitoraggio;
pub mod personale;
pub mod piani;
pub mod premi;
pub mod promemoria;
pub mod registro;
pub mod relazione;
pub mod session;
pub mod smvp;
pub mod studio;
pub mod users;
pub mod valutazioni;
pub mod versioni;
