//! The page shell, the root component and the routes.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::{
    components::{header::Header, session::provide_auth},
    pages::{
        chat::ChatPage, forgot::ForgotPage, login::LoginPage, not_found::NotFound,
        register::RegisterPage, reset::ResetPage,
    },
};

/// The pages whose views have islands (`#[island]` components), and so
/// load the WASM bundle: the chat, and the two pages with the password
/// strength meter (both lead to the chat, which then finds the bundle in
/// the cache). Every other page is HTML and CSS alone: its forms post
/// without a script, and its theme switch is a plain form. A test
/// (`tests/api/pages.rs`) checks this list against the pages' HTML.
pub const PAGES_WITH_ISLANDS: [&str; 3] = ["/app", "/register", "/reset-password"];

/// Whether the page being rendered loads the WASM bundle (see
/// [`PAGES_WITH_ISLANDS`]). Always true in the browser, where only
/// islands run.
pub fn loads_bundle() -> bool {
    use_context::<LoadsBundle>().is_none_or(|l| l.0)
}

/// The shell's answer to [`loads_bundle`] for the page it renders.
#[derive(Clone, Copy, Debug)]
pub struct LoadsBundle(pub bool);

/// The HTML document around the app, rendered on the server only. It issues
/// the per-response script nonce and the CSP header that allows it.
#[cfg(feature = "ssr")]
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    use leptos_i18n::Locale as _; // as_str
    use leptos_meta::MetaTags;

    let parts = use_context::<http::request::Parts>();
    let bundle = parts
        .as_ref()
        .is_some_and(|parts| PAGES_WITH_ISLANDS.contains(&parts.uri.path()));
    provide_context(LoadsBundle(bundle));
    // The request's language (server::lang), for every `tr!` of the page.
    if let Some(locale) = parts
        .as_ref()
        .and_then(|parts| parts.extensions.get::<crate::lang::Locale>().copied())
    {
        provide_context(locale);
    }
    // The script nonce chosen with the page's CSP header
    // (server::http::security_headers), or the placeholder of a page
    // rendered to be kept (server::page_cache), which each response
    // replaces with a nonce of its own.
    let chosen = parts.and_then(|parts| {
        parts
            .extensions
            .get::<crate::server::page_cache::RenderNonce>()
            .cloned()
    });
    match chosen {
        Some(placeholder) => provide_context(leptos::nonce::Nonce::from_value(placeholder.0)),
        None => leptos::nonce::provide_nonce(),
    }
    let nonce = leptos::nonce::use_nonce();
    // Islands: only what an island renders carries hydration markers (as
    // Leptos' own `<HydrationScripts islands=true/>` arranges).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    if let (Some(nonce), Some(res)) = (&nonce, use_context::<leptos_axum::ResponseOptions>()) {
        let policy = crate::csp::content_security_policy(Some(nonce));
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    // The tags of Leptos' <HashedStylesheet/> and <HydrationScripts/>, from
    // names read once at start-up (see server::assets).
    let state = expect_context::<crate::server::state::AppState>();
    let assets = &state.assets;
    let theme = crate::components::theme::initial_theme().as_str();
    let lang = crate::lang::current().as_str();
    view! {
        <!DOCTYPE html>
        <html lang=lang data-theme=theme>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <meta name="description" content=crate::tr!(meta.description)/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link id="palaver" rel="stylesheet" href=assets.css.clone()/>
                // Without JavaScript, the controls that need it are hidden.
                <noscript><link rel="stylesheet" href="/noscript.css"/></noscript>
                {bundle.then(|| view! {
                    <link rel="modulepreload" href=assets.js.clone() crossorigin="anonymous"/>
                    <link rel="preload" href=assets.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
                    <script type="module" nonce=nonce>{assets.hydration_script()}</script>
                })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The root component. With islands, it renders on the server only: the
/// browser gets the HTML, and code just for the `#[island]` components in
/// it (the theme switch, the password meter, the chat).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_auth();

    view! {
        <Title formatter=|text: String| if text.is_empty() { "Palaver".to_owned() } else { format!("{text} · Palaver") }/>
        <Router>
            // The page loader sets `data-hydrated="true"` once the page's
            // islands have hydrated (`server::assets`); tests and styles key
            // off it.
            <div class="shell" data-hydrated="false">
                <Header/>
                <main id="main" class="main">
                    <Routes fallback=NotFound>
                        // In order: pages arrive complete, so they read right
                        // with JavaScript off (out-of-order chunks need a script).
                        // Async where the page's title depends on what it
                        // loads: the whole page (head included) is rendered
                        // before the first byte, and no script in the
                        // browser sets the title afterwards (islands).
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::InOrder/>
                        <Route path=path!("/register") view=RegisterPage ssr=SsrMode::InOrder/>
                        <Route path=path!("/app") view=ChatPage ssr=SsrMode::Async/>
                        <Route path=path!("/forgot-password") view=ForgotPage ssr=SsrMode::InOrder/>
                        <Route path=path!("/mfa") view=crate::pages::mfa::MfaPage ssr=SsrMode::InOrder/>
                        <Route path=path!("/admin") view=crate::pages::admin::AdminPage ssr=SsrMode::InOrder/>
                        <Route path=path!("/settings") view=crate::pages::settings::SettingsPage ssr=SsrMode::InOrder/>
                        <Route path=path!("/waiting") view=crate::pages::waiting::WaitingPage ssr=SsrMode::InOrder/>
                        <Route path=path!("/reset-password") view=ResetPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
