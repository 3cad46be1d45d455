//! The top bar: brand, navigation and the theme switch.

use leptos::prelude::*;
use leptos_router::components::A;

/// The site header. The theme switch needs the WASM bundle, so it stays
/// disabled until the page has hydrated.
#[component]
pub fn Header(
    hydrated: ReadSignal<bool>,
    dark: ReadSignal<Option<bool>>,
    set_dark: WriteSignal<Option<bool>>,
) -> impl IntoView {
    let label = move || match dark.get() {
        Some(true) => "Light theme",
        _ => "Dark theme",
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <A href="/app" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"P"</span>
                <span class="brand-name">"Palaver"</span>
            </A>
            <nav class="topnav" aria-label="Main">
                <button
                    type="button"
                    class="btn btn-ghost theme-toggle"
                    disabled=move || !hydrated.get()
                    aria-pressed=move || (dark.get() == Some(true)).to_string()
                    on:click=move |_| set_dark.update(|d| *d = Some(!d.unwrap_or(false)))
                >
                    {label}
                </button>
            </nav>
        </header>
    }
}
