//! The Obiettivi application: pages, components and server functions, plus the domain
//! types and rules shared by the browser and the server.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod model;
pub mod pages;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use shell::{shell, App};
