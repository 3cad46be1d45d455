//! One routed page per file.

pub mod chat;
pub mod forgot;
pub mod login;
pub mod not_found;
pub mod register;
pub mod reset;
