//! What a page's render reads, read before it (`server::pagine_tenute`) to decide whether
//! the page is kept already: the render then takes it from the request instead of reading
//! it again.

use std::sync::{Arc, Mutex};

use crate::error::AppError;

/// A read made before the render, for the render's first read of the same: one per type
/// of what is read (the request's extensions hold one value per type).
pub struct Precaricato<T>(Arc<Mutex<Option<Result<T, AppError>>>>);

// Not derived: a derive would ask `T: Clone`, and only the handle is cloned.
impl<T> Clone for Precaricato<T> {
    fn clone(&self) -> Self {
        Precaricato(self.0.clone())
    }
}

impl<T: Send + Sync + 'static> Precaricato<T> {
    pub fn new(letto: Result<T, AppError>) -> Self {
        Precaricato(Arc::new(Mutex::new(Some(letto))))
    }

    /// What was read for this request's render, once: a later read in the same render (a
    /// reload) reads again.
    pub fn prendi() -> Option<Result<T, AppError>> {
        leptos::prelude::with_context::<http::request::Parts, _>(|p| {
            let p = p.extensions.get::<Precaricato<T>>()?;
            p.0.lock().ok()?.take()
        })
        .flatten()
    }
}
