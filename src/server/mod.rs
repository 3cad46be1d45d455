//! Everything that only runs on the server: configuration, storage, HTTP
//! layers and start-up. Compiled with the `ssr` feature only.
//!
//! Layers, lowest first: `config` (plain data), `db` (storage), then the
//! logic (`auth`, `reset`, `chat`, `mail`, `rate_limit`...), then `state`,
//! the HTTP layers and `startup`. A lower layer never imports a higher one.

#![warn(missing_docs)]

pub mod account;
pub mod admin;
pub mod api_keys;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod chat;
pub mod clock;
pub mod compress;
pub mod config;
pub mod db;
pub mod edge;
pub mod guard;
pub mod health;
pub mod http;
pub mod lang;
pub mod lifecycle;
pub mod llm;
pub mod mail;
pub mod metrics;
pub mod mfa;
pub mod openapi;
pub mod page_cache;
pub mod password;
pub mod proxy;
pub mod rate_limit;
pub mod reset;
pub mod routes;
pub mod session_store;
pub mod sign_outs;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod theme;
pub mod verify;
