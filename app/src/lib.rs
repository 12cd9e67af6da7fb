//! The Obiettivi application: pages, components and server functions, plus the domain
//! types shared by the browser and the server.

pub mod shell;

pub use shell::{shell, App};
