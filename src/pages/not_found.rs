//! The page for every unknown path, answered with status 404.

use leptos::prelude::*;

use crate::tr;
use leptos_meta::Title;

/// "Page not found", with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=tr!(not_found.title)/>
        <section class="card narrow center">
            <h1>{tr!(not_found.title)}</h1>
            <p class="muted">{tr!(not_found.lead)}</p>
            <a href="/" rel="external" class="btn btn-primary">{tr!(not_found.home)}</a>
        </section>
    }
}
