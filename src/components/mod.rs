//! Reusable views.

pub mod chat;
pub mod form;
pub mod header;
pub mod markdown;
pub mod password_field;
pub mod session;

/// Loads `path` as a new page, so the server renders it with the current
/// session (after sign-in and sign-out, when everything on screen changes).
pub fn open(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
