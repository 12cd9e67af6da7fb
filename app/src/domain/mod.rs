//! Domain types and rules shared by the browser and the server. Pure: no I/O here.

pub mod calendario;
pub mod caricamento;
pub mod evidenze;
pub mod libreria;
pub mod missioni;
pub mod modulo;
pub mod monitoraggio;
pub mod permessi;
pub mod personale;
pub mod peso;
pub mod plan;
pub mod premi;
pub mod registro;
pub mod roles;
pub mod scadenze;
pub mod scheda;
pub mod smvp;
pub mod validate;
pub mod versioni;
