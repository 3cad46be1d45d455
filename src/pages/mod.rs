//! One routed page per file.

pub mod chat;
pub mod login;
pub mod not_found;
pub mod register;
