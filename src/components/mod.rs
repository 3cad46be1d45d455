//! Reusable views.

pub mod chat;
pub mod form;
pub mod header;
pub mod markdown;
pub mod password_field;
pub mod session;
pub mod theme;
