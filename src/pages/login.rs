//! `/login`: sign in.

use leptos::prelude::*;
use leptos_meta::Title;

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    view! {
        <Title text="Sign in"/>
        <section class="card narrow auth-card">
            <h1>"Sign in to Palaver"</h1>
            <p class="muted">"Chat with a language model, on your own server."</p>
        </section>
    }
}
