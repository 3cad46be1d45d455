//! Reusable views.

pub mod header;
