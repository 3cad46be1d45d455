//! Reusable views.

pub mod form;
pub mod header;
pub mod password_field;
pub mod session;
