//! The reactive owner of a request's render, kept with the request's task rather than with
//! the thread that last polled it.
//!
//! Leptos 0.8 keeps the current owner in a thread-local. leptos_axum 0.8.10 (through
//! leptos_integration_utils 0.8.9) creates a page's root owner, which sets that
//! thread-local, awaits the render, and only then reads the owner's contexts to write the
//! `<link rel="preload">` of the page's wasm chunks. When the render has awaited (a database
//! read), the task may go on on another worker thread, whose thread-local holds whatever
//! request it last ran: the links then went to another page's head, or to none. On the
//! approved plan page of the demo, 225 of 300 responses one after the other carried no
//! chunk link, and with 8 at a time some carried the links of up to six pages. Leptos
//! 0.9 reads them inside the owner; until then this wrapper gives each request's task its
//! own owner: it sets the one the task left at its previous poll (none at its first) and
//! keeps the one it leaves.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::Owner;
use leptos::reactive::owner::WeakOwner;

/// A layer's function (`axum::middleware::from_fn`): the rest of the request runs with its
/// own owner.
pub async fn del_compito(req: Request, next: Next) -> Response {
    ConProprietario {
        futuro: Box::pin(next.run(req)),
        owner: None,
    }
    .await
}

struct ConProprietario<F> {
    futuro: Pin<Box<F>>,
    /// Weak, as the thread-local: the render's end still cleans its owner up.
    owner: Option<WeakOwner>,
}

impl<F: Future> Future for ConProprietario<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        match this.owner.as_ref().and_then(WeakOwner::upgrade) {
            Some(owner) => owner.set(),
            // None of another request's.
            None => {
                if let Some(altro) = Owner::current() {
                    altro.unset();
                }
            }
        }
        let esito = this.futuro.as_mut().poll(cx);
        this.owner = Owner::current().map(|o| o.downgrade());
        esito
    }
}
