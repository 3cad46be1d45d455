//! Server functions and their DTOs, by feature. Bodies are thin: parse, call
//! one function in `server/`, map the error.

pub mod account;
pub mod admin;
pub mod auth;
pub mod chat;
pub mod chat_stream;
pub mod chat_types;
pub mod codec;
pub mod keys;
pub mod lines;
pub mod password;
