//! API keys: `/auth/api-keys` and `/auth/api-keys/revoke`, server
//! functions of `src/api/keys.rs` (so they take forms too, which is how
//! `/settings` works without JavaScript). They take a session only: a key
//! cannot manage keys.

#![allow(dead_code)] // The functions and `...Body` structs only describe.

use utoipa::{OpenApi, ToSchema};

use super::errors::errors;
use crate::{
    api::{
        auth::Done,
        keys::{CreatedKey, KeyList},
    },
    error::AppError,
    server::api_keys::{MAX_KEYS, MAX_NAME_CHARS},
};

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(list_api_keys, create_api_key, revoke_api_key))]
pub(super) struct Doc;

/// `POST /auth/api-keys`.
#[derive(ToSchema)]
#[schema(example = json!({"name": "backup script"}))]
pub(super) struct CreateKeyBody {
    /// What the key is for: 1 to 60 characters.
    name: String,
}

/// `POST /auth/api-keys/revoke`.
#[derive(ToSchema)]
#[schema(example = json!({"id": 1}))]
pub(super) struct RevokeKeyBody {
    /// The key's id, from the list.
    id: i64,
}

errors!(ListErrors: AppError::Unauthorized, AppError::SessionRequired);
errors!(CreateErrors:
    AppError::BadRequest("Invalid request: invalid JSON body: missing field `name` at line 1 column 2".into()),
    AppError::InvalidKeyName { max: MAX_NAME_CHARS },
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::TooManyKeys { max: MAX_KEYS },
    AppError::PayloadTooLarge,
);
errors!(RevokeErrors:
    AppError::BadRequest("Invalid request: invalid JSON body: missing field `id` at line 1 column 2".into()),
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
        (status = 200, description = "The keys", body = KeyList,
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
    request_body = CreateKeyBody,
    responses(
        (status = 201, description = "Made: keep `key` now, it is not shown again", body = CreatedKey,
            example = json!({"ok": true, "id": 1, "key": "pal_mF3xKQ0bq2Zr8YhN1vT6cW4sLpD7eJ9uA5oG2iRkx9Qa"})),
        (status = 303, description = "A browser's form post: to `/settings?done=api_key` (the page shows the key once), or back with `?error=<code>`"),
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
    request_body = RevokeKeyBody,
    responses(
        (status = 200, description = "Revoked", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/settings?done=api_key_revoked`, or back with `?error=<code>`"),
        RevokeErrors,
    )
)]
fn revoke_api_key() {}
