//! Reusable views.

pub mod chat;
pub mod form;
pub mod header;
pub mod lang_switch;
pub mod markdown;
pub mod password_field;
pub mod session;
pub mod theme;

/// Cookie `name` of the page: on the server, from the request being
/// rendered; in the browser, from `document.cookie`. Both see the same
/// cookie, so what is rendered from it hydrates alike.
pub fn page_cookie(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        let parts = use_context::<http::request::Parts>()?;
        let found = parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|header| crate::domain::cookie_value(header, name).map(str::to_owned));
        found
    }
    #[cfg(not(feature = "ssr"))]
    crate::domain::cookie_value(&crate::browser::cookies(), name).map(str::to_owned)
}

/// The page's path and query (`/register?next=%2Fapp`), for forms that
/// come back to it (the theme and language switches).
pub fn here() -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let location = leptos_router::hooks::use_location();
    move || {
        use leptos::prelude::Get;
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    }
}
