//! Integration tests: one throwaway Postgres cluster for the whole run, a fresh database per
//! test (see `server::testing`).

mod support;

mod account;
mod allegato;
mod attacchi_firme;
mod caricamenti;
mod chiusura;
mod cruscotto;
mod due_fattori;
mod libreria;
mod monitoraggio;
mod pagine_tenute;
mod personale;
mod piani;
mod porta;
mod relazione;
mod schema;
mod sessions;
mod skeleton;
mod tenancy;
mod transazioni;
mod valutazioni;
