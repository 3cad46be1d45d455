//! One routed page per file.

pub mod admin;
pub mod chat;
pub mod forgot;
pub mod login;
pub mod mfa;
pub mod not_found;
pub mod register;
pub mod reset;
pub mod settings;
pub mod waiting;
