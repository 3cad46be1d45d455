//! Palaver: a self-hosted chat app that puts a large language model behind
//! real accounts. One crate: the `ssr` feature builds the server, the
//! `hydrate` feature builds the browser bundle.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod csp;
pub mod domain;
pub mod error;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
