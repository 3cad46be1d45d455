//! API keys: `/auth/api-keys` and `/auth/api-keys/revoke`, plain axum
//! routes (`server::api_keys::routes`). They take JSON only, and a
//! session: a key cannot manage keys.

#![allow(dead_code)] // The functions only describe.

use utoipa::OpenApi;

use super::errors::errors;
use crate::{
    api::auth::Done,
    error::AppError,
    server::api_keys::{
        routes::{CreateBody, CreatedBody, ListBody, RevokeBody},
        MAX_KEYS, MAX_NAME_CHARS,
    },
};

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(list_api_keys, create_api_key, revoke_api_key))]
pub(super) struct Doc;

errors!(ListErrors: AppError::Unauthorized, AppError::SessionRequired);
errors!(CreateErrors:
    AppError::BadRequest("Invalid request: Failed to deserialize the JSON body into the target type: missing field `name`".into()),
    AppError::InvalidKeyName { max: MAX_NAME_CHARS },
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::TooManyKeys { max: MAX_KEYS },
    AppError::PayloadTooLarge,
);
errors!(RevokeErrors:
    AppError::BadRequest("Invalid request: Failed to deserialize the JSON body into the target type: missing field `id`".into()),
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::NotFound,
);

/// The signed-in user's API keys
///
/// Never the keys themselves: their names, last four characters, and
/// when they were made and last used (to the minute).
#[utoipa::path(
    get,
    path = "/auth/api-keys",
    tag = "api keys",
    security(("session" = [])),
    responses(
        (status = 200, description = "The keys", body = ListBody,
            example = json!({"ok": true, "keys": [
                {"id": 1, "name": "backup script", "hint": "x9Qa", "created_at": 1764750000, "last_used_at": 1764753600}
            ]})),
        ListErrors,
    )
)]
fn list_api_keys() {}

/// Makes an API key
///
/// The key (`pal_` and 43 more characters) is in this answer only: only
/// its SHA-256 is stored. It works wherever the session cookie does, as
/// `Authorization: Bearer <key>`, and spends its owner's rate limits.
#[utoipa::path(
    post,
    path = "/auth/api-keys",
    tag = "api keys",
    security(("session" = [])),
    request_body = CreateBody,
    responses(
        (status = 201, description = "Made: keep `key` now, it is not shown again", body = CreatedBody,
            example = json!({"ok": true, "id": 1, "key": "pal_mF3xKQ0bq2Zr8YhN1vT6cW4sLpD7eJ9uA5oG2iRkx9Qa"})),
        CreateErrors,
    )
)]
fn create_api_key() {}

/// Revokes an API key
///
/// At once, on every instance: the next request with it is refused, and
/// an answer streaming to it ends.
#[utoipa::path(
    post,
    path = "/auth/api-keys/revoke",
    tag = "api keys",
    security(("session" = [])),
    request_body = RevokeBody,
    responses(
        (status = 200, description = "Revoked", body = Done, example = json!({"ok": true})),
        RevokeErrors,
    )
)]
fn revoke_api_key() {}
