//! `GET /api/openapi.json`: the OpenAPI 3.1 document of every call for
//! programs, generated from the code's own types with `utoipa`, and
//! `GET /api/docs`, the page that shows it ([`page`]).
//!
//! One file per feature: [`auth`] (signing in), [`account`] (the
//! account's own settings), [`admin`] (the admin's calls), [`chat`] (the chat
//! streams), [`conversations`] (listing, search, export, import and the
//! rest), [`keys`] (API keys), [`ops`] (health, metrics, this
//! document). [`document`] merges them, adds the security schemes (the
//! session cookie's name comes from the settings) and marks the server
//! functions as taking forms too.
//!
//! # Adding a call
//! 0. Serve it: a server function is found by itself (Leptos' registry);
//!    a plain axum route is a row of the table in `server/routes.rs`,
//!    `Kind::Api` for a call, `Kind::Page` for a page or a pages-only form
//!    post (never documented).
//! 1. In the feature's file here (or a new one, added to [`document`]),
//!    write an empty function under `#[utoipa::path(...)]`: the method,
//!    the path, `tag`, the request body, `params(...)` for a query, the
//!    answers with their `body` types and examples, and for a signed-in
//!    call `security(("session" = []), ("bearer" = []))` (a session cookie
//!    or an API key; `("session" = [])` alone where a key is refused).
//!    Its doc comment is the summary (first line) and the description.
//!    Its name is the operation's id, unique in the document: use the
//!    server function's own name. Copy a neighbour: `auth::login` (a
//!    server function), `chat::regenerate_answer` (a streamed one).
//! 2. Failures: `errors!(LoginErrors: AppError::InvalidCredentials, ...)`
//!    ([`errors::errors`]) lists real [`AppError`](crate::error::AppError)
//!    values; put `LoginErrors` in `responses(...)`. Their statuses and
//!    example bodies are the errors' own, so they cannot disagree with
//!    what the server answers. A new `AppError` variant is in the list of
//!    codes by itself.
//! 3. Bodies and answers: derive `utoipa::ToSchema` on the DTO (in
//!    `src/api/` as `#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]`,
//!    so the browser build does not carry it), with an example
//!    (`#[schema(example = json!(...))]`). A server function's arguments
//!    are a struct that `#[server]` writes, so describe them with a
//!    `...Body` struct in the feature's file and add the pair to
//!    `request_bodies_are_the_server_functions_arguments` (`tests.rs`),
//!    which fails when the fields, the required ones or the example
//!    disagree with what the server reads. A server function's body takes
//!    forms too without more: [`document`] adds the form content type.
//! 4. Add the function to `paths(...)` of the feature's `Doc`.
//!
//! `tests/api/openapi.rs` fails while a call is served but not documented,
//! or documented but not served; `end2end/tests/api-docs.spec.ts`
//! validates the document with an OpenAPI 3.1 validator and shows it.

mod account;
mod admin;
mod auth;
mod chat;
mod conversations;
pub mod errors;
mod keys;
mod ops;
mod page;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use axum::{
    body::Bytes,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use http::Method;
use utoipa::{
    openapi::{
        security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
        OpenApi as Document, PathItem, RefOr,
    },
    OpenApi,
};

pub use page::docs_page;

use super::config::Settings;

/// How long caches may keep the document: it is the same for everyone and
/// changes only with a new release, so any cache may keep it a while.
const CACHE: &str = "public, max-age=3600";

/// What the document says about the whole API, and the parts every call
/// shares.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Palaver API",
        description = "The JSON calls of a Palaver server: the same calls its pages use.\n\n\
            Bodies are JSON (`Content-Type: application/json`); the server functions \
            also take a form post (`application/x-www-form-urlencoded`), which is how \
            the pages work without JavaScript. Success bodies carry `\"ok\": true`. \
            Every failure is `{\"ok\": false, \"error\": \"<message>\", \"code\": \"<code>\"}` \
            (the `Error` schema): `error` is for people, in the request's language; \
            `code` is for programs and never changes.\n\n\
            Signed-in calls take the session cookie that `/auth/login` sets, or \
            `Authorization: Bearer <API key>`. A state-changing request that a browser \
            marks as coming from another site is refused with `403 forbidden`.",
        license(name = "MIT", identifier = "MIT"),
    ),
    components(schemas(crate::error::ErrorBody, crate::api::auth::Done)),
    tags(
        (name = "accounts", description = "Registering, signing in and out, passwords, two-factor sign-in, sessions"),
        (name = "admin", description = "Accounts and the audit log, for admins"),
        (name = "chat", description = "The chat stream and the conversations"),
        (name = "api keys", description = "Keys for scripts and tools"),
        (name = "operations", description = "Health, metrics and this document"),
    )
)]
struct Base;

/// The whole document, for these settings.
pub fn document(settings: &Settings) -> Document {
    let mut doc = Base::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    for part in [
        auth::Doc::openapi(),
        account::Doc::openapi(),
        admin::Doc::openapi(),
        chat::Doc::openapi(),
        conversations::Doc::openapi(),
        keys::Doc::openapi(),
        ops::Doc::openapi(),
    ] {
        doc.merge(part);
    }
    add_security_schemes(&mut doc, settings);
    accept_forms(&mut doc);
    doc
}

/// The document as served: compact JSON.
pub fn json(settings: &Settings) -> Bytes {
    let doc = document(settings);
    Bytes::from(serde_json::to_vec(&doc).expect("the API document serialises"))
}

/// The answer to `GET /api/openapi.json`.
pub fn serve(json: Bytes) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(CACHE)),
        ],
        json,
    )
        .into_response()
}

/// Every (method, path) a document describes. OpenAPI and axum 0.8 spell
/// a path parameter alike (`/items/{id}`), so these compare with the
/// router's paths as they are.
pub fn calls(doc: &Document) -> BTreeSet<(Method, String)> {
    let methods = |item: &PathItem| {
        [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::PATCH, item.patch.is_some()),
            (Method::DELETE, item.delete.is_some()),
            (Method::HEAD, item.head.is_some()),
            (Method::OPTIONS, item.options.is_some()),
        ]
        .into_iter()
        .filter_map(|(method, present)| present.then_some(method))
        .collect::<Vec<_>>()
    };
    doc.paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            methods(item)
                .into_iter()
                .map(move |method| (method, path.clone()))
        })
        .collect()
}

/// The session cookie (named as configured), API keys, and the metrics
/// token.
fn add_security_schemes(doc: &mut Document, settings: &Settings) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            settings.cookie_name.clone(),
            "The session cookie that `POST /auth/login` and `POST /auth/register` set \
             (`HttpOnly; SameSite=Lax`). Its name is the `AUTH_COOKIE_NAME` setting."
                .to_owned(),
        ))),
    );
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("pal_...")
                .description(Some(
                    "An API key from `POST /auth/api-keys`: `Authorization: Bearer pal_...`. \
                     It works wherever the session cookie does, except the calls that \
                     change the account (`403 session_required`).",
                ))
                .build(),
        ),
    );
    components.add_security_scheme(
        "metrics_token",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "The `METRICS_TOKEN` setting: `Authorization: Bearer <METRICS_TOKEN>`.",
                ))
                .build(),
        ),
    );
}

/// Every server function taking a body reads a form post as well as JSON
/// (`api::codec::FormOrJson`): its body gets the form content type too,
/// with the same schema. The streamed chat calls take JSON only.
fn accept_forms(doc: &mut Document) {
    let server_fns: BTreeSet<&str> = server_fn::axum::server_fn_paths()
        .filter(|(_, method)| *method == Method::POST)
        .map(|(path, _)| path)
        .filter(|path| !crate::api::chat_stream::PATHS.contains(path))
        .collect();
    for (path, item) in doc.paths.paths.iter_mut() {
        if !server_fns.contains(path.as_str()) {
            continue;
        }
        let Some(RefOr::T(body)) = item.post.as_mut().and_then(|op| op.request_body.as_mut())
        else {
            continue;
        };
        if let Some(json) = body.content.get("application/json").cloned() {
            body.content
                .insert("application/x-www-form-urlencoded".to_owned(), json);
        }
    }
}
