//! The routes axum serves itself, beside Leptos' pages and server
//! functions: one table that builds the router ([`super::startup`]) and
//! tells what is served ([`api_calls`], [`pages`]), so the API document can
//! be checked against the server (`tests/api/openapi.rs`) and never drift.

use std::collections::BTreeSet;

use axum::{
    routing::{get, post, MethodRouter},
    Router,
};
use http::Method;

use super::{chat, config::Settings, guard, health, state::AppState};

/// What a route is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A call for programs (JSON, or `/metrics`' text): it belongs in the
    /// API document.
    Api,
    /// A page, or a form post that only the pages make (theme, language):
    /// HTML and redirects, never in the API document.
    Page,
}

/// One method on one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path, in axum's syntax.
    pub path: &'static str,
    /// Whether the API document describes it.
    pub kind: Kind,
}

/// The table: each route with its handler. Several rows may share a path
/// (axum merges their methods).
fn table(settings: &Settings) -> Vec<(Route, MethodRouter<AppState>)> {
    use Kind::{Api, Page};
    let row = |method: Method, path, kind, handler| (Route { method, path, kind }, handler);
    let document = super::openapi::json(settings);
    let mut rows = vec![
        row(Method::GET, "/", Page, get(guard::root)),
        row(Method::POST, "/theme", Page, post(super::theme::set_theme)),
        row(Method::POST, "/lang", Page, post(super::lang::set_lang)),
        row(Method::GET, "/auth/healthz", Api, get(health::healthz)),
        row(
            Method::GET,
            "/api/conversations/export",
            Api,
            get(chat::transfer::export),
        ),
        row(
            Method::POST,
            chat::transfer::IMPORT_PATH,
            Api,
            // axum's own 2 MB cap on extracted bodies is lifted to the
            // limit that `guard::body_limit` already applies here.
            post(chat::transfer::import).layer(axum::extract::DefaultBodyLimit::max(
                chat::transfer::IMPORT_BODY_LIMIT,
            )),
        ),
        row(
            Method::GET,
            "/auth/verify-email",
            Api,
            get(super::verify::follow),
        ),
        row(
            Method::GET,
            "/api/openapi.json",
            Api,
            get(move || std::future::ready(super::openapi::serve(document.clone()))),
        ),
        row(
            Method::GET,
            "/api/docs",
            Page,
            get(super::openapi::docs_page),
        ),
    ];
    // Without METRICS_TOKEN there is no route (a 404, like any unknown
    // path) and no timing layer: nothing is counted that nobody reads.
    if settings.metrics_token.is_some() {
        rows.push(row(
            Method::GET,
            "/metrics",
            Api,
            get(super::metrics::endpoint::metrics),
        ));
    }
    rows
}

/// Adds every route of the table to `router`.
pub(super) fn add_to(router: Router<AppState>, settings: &Settings) -> Router<AppState> {
    table(settings)
        .into_iter()
        .fold(router, |router, (route, handler)| {
            router.route(route.path, handler)
        })
}

/// The routes of the table, as served with these settings.
pub fn served(settings: &Settings) -> Vec<Route> {
    table(settings)
        .into_iter()
        .map(|(route, _)| route)
        .collect()
}

/// Every call for programs this server answers with these settings: the
/// table's API routes and every server function (Leptos keeps a registry
/// of them, which is also what the router serves them from).
pub fn api_calls(settings: &Settings) -> BTreeSet<(Method, String)> {
    let routes = served(settings)
        .into_iter()
        .filter(|r| r.kind == Kind::Api)
        .map(|r| (r.method, r.path.to_owned()));
    let server_fns =
        server_fn::axum::server_fn_paths().map(|(path, method)| (method, path.to_owned()));
    routes.chain(server_fns).collect()
}

/// Every page: the table's, and the routes of the Leptos app.
pub fn pages(settings: &Settings) -> BTreeSet<(Method, String)> {
    let table = served(settings)
        .into_iter()
        .filter(|r| r.kind == Kind::Page)
        .map(|r| (r.method, r.path.to_owned()));
    let app = leptos_axum::generate_route_list(crate::app::App)
        .into_iter()
        .map(|listing| (Method::GET, listing.path().to_owned()));
    table.chain(app).collect()
}
