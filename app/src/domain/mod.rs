//! Domain types and rules shared by the browser and the server. Pure: no I/O here.

pub mod roles;
pub mod validate;
