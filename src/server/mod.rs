//! Everything that only runs on the server: configuration, storage, HTTP
//! layers and start-up. Compiled with the `ssr` feature only.

pub mod config;
pub mod db;
pub mod health;
pub mod http;
pub mod startup;
pub mod state;
pub mod telemetry;
