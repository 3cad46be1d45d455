//! API keys for scripts and tools: made, listed and revoked by their owner
//! from a signed-in session, and accepted as `Authorization: Bearer <key>`
//! wherever a session cookie is, except by the calls that change the
//! account (those answer `403 session_required`).
//!
//! A key is `pal_` and 256 random bits in base64url. Only its SHA-256 is
//! stored (a fast hash is enough for a secret that cannot be guessed); the
//! key itself is in one answer only, the one that makes it.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use http::{header, HeaderMap};
use rand::RngCore;

use super::{
    audit,
    db::{ApiKeyRow, NewApiKey},
    reset::token_hash,
    sign_outs::Credential,
    state::AppState,
};
use crate::{domain::User, error::AppError};

/// What every key starts with, so that it is recognised in a leaked file
/// (secret scanners can match it) and told apart from other tokens.
pub const KEY_PREFIX: &str = "pal_";
/// Keys one account may hold.
pub const MAX_KEYS: usize = 20;
/// The longest name of a key, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// A key just made: the only time the key itself is shown.
#[derive(Debug)]
pub struct Created {
    /// Its id.
    pub id: i64,
    /// The key.
    pub key: String,
}

/// Makes a key named `name` for `user`.
pub async fn create(state: &AppState, user: &User, name: &str) -> Result<Created, AppError> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(AppError::InvalidKeyName {
            max: MAX_NAME_CHARS,
        });
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let key = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hint = &key[key.len() - 4..];
    let new = NewApiKey {
        user_id: user.id,
        name,
        key_hash: &token_hash(&key),
        hint,
    };
    let max = i64::try_from(MAX_KEYS).unwrap_or(i64::MAX);
    match state
        .db
        .api_key_create(
            &new,
            max,
            &audit::event(audit::kind::API_KEY_CREATED, Some(user.id), None)
                .with(serde_json::json!({"name": name})),
            state.clock.now(),
        )
        .await?
    {
        Some(id) => {
            tracing::info!(user_id = user.id, key_id = id, "API key created");
            Ok(Created { id, key })
        }
        None => Err(AppError::TooManyKeys { max: MAX_KEYS }),
    }
}

/// The user's keys, oldest first, without the keys themselves.
pub async fn list(state: &AppState, user: &User) -> Result<Vec<ApiKeyRow>, AppError> {
    Ok(state.db.api_keys_of(user.id).await?)
}

/// Revokes one of the user's keys at once: the next request with it is
/// refused, and an answer streaming to it ends.
pub async fn revoke(state: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    let event = audit::event(audit::kind::API_KEY_REVOKED, Some(user.id), None)
        .with(serde_json::json!({"key_id": id}));
    if !state
        .db
        .api_key_revoke(user.id, id, &event, state.clock.now())
        .await?
    {
        return Err(AppError::NotFound);
    }
    tracing::info!(user_id = user.id, key_id = id, "API key revoked");
    state.sign_outs.announce(user.id);
    Ok(())
}

/// The key in `Authorization: Bearer <key>`, if the request has one. A
/// bearer token that is not one of our keys is refused, not ignored, so a
/// script with a wrong key never falls back to a cookie. Other schemes are
/// left alone: a proxy's Basic authentication passes its header through.
pub fn bearer(headers: &HeaderMap) -> Result<Option<&str>, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Some(token) = value.to_str().ok().and_then(|v| {
        let (scheme, token) = v.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then_some(token.trim())
    }) else {
        return Ok(None);
    };
    if token.starts_with(KEY_PREFIX) {
        Ok(Some(token))
    } else {
        Err(AppError::Unauthorized)
    }
}

/// The active owner of `key`, and the key's id.
pub async fn owner(state: &AppState, key: &str) -> Result<(User, i64), AppError> {
    match state
        .db
        .user_by_api_key(&token_hash(key), state.clock.now())
        .await?
    {
        Some((user, id)) if user.is_active => Ok((user, id)),
        _ => Err(AppError::Unauthorized),
    }
}

/// The signed-in person behind a call that changes the account: a session,
/// never an API key.
pub fn require_session(credential: &Credential) -> Result<(), AppError> {
    match credential {
        Credential::Session(_) => Ok(()),
        Credential::ApiKey(_) => Err(AppError::SessionRequired),
    }
}

/// The HTTP side: JSON in, JSON out, at the contract's paths.
pub mod routes {
    use axum::{
        extract::{rejection::JsonRejection, State},
        http::{HeaderMap, StatusCode},
        response::{IntoResponse, Response},
        Json,
    };
    use serde::{Deserialize, Serialize};
    use tower_sessions::Session;

    use super::{super::auth, require_session, ApiKeyRow};
    use crate::{api::auth::Done, domain::User, error::AppError, server::state::AppState};

    /// `POST /auth/api-keys` body.
    #[derive(Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    #[schema(example = json!({"name": "backup script"}))]
    pub struct CreateBody {
        /// What the key is for: 1 to 60 characters.
        name: String,
    }

    /// `POST /auth/api-keys/revoke` body.
    #[derive(Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    #[schema(example = json!({"id": 1}))]
    pub struct RevokeBody {
        /// The key's id, from the list.
        id: i64,
    }

    /// `201` to `POST /auth/api-keys`.
    #[derive(Serialize, utoipa::ToSchema)]
    pub struct CreatedBody {
        /// Always true.
        ok: bool,
        /// The key's id, for revoking it.
        id: i64,
        /// The key itself, in this answer only: it is stored hashed.
        key: String,
    }

    /// `GET /auth/api-keys`.
    #[derive(Serialize, utoipa::ToSchema)]
    pub struct ListBody {
        /// Always true.
        ok: bool,
        /// The caller's keys, never the keys themselves.
        keys: Vec<ApiKeyRow>,
    }

    /// The person signed in with a session; an API key cannot manage keys.
    async fn person(
        state: &AppState,
        headers: &HeaderMap,
        session: &Session,
    ) -> Result<User, AppError> {
        let (user, credential) = auth::caller(state, headers, session).await?;
        require_session(&credential)?;
        Ok(user)
    }

    /// `status` and the body, or the error's own status and body.
    fn reply(status: StatusCode, result: Result<impl Serialize, AppError>) -> Response {
        match result {
            Ok(body) => (status, Json(body)).into_response(),
            Err(err) => err.into_response(),
        }
    }

    /// `POST /auth/api-keys {name}` → `201 {ok, id, key}`.
    pub async fn create(
        State(state): State<AppState>,
        headers: HeaderMap,
        session: Session,
        body: Result<Json<CreateBody>, JsonRejection>,
    ) -> Response {
        let made = async {
            let user = person(&state, &headers, &session).await?;
            let Json(body) = body?;
            let created = super::create(&state, &user, &body.name).await?;
            Ok(CreatedBody {
                ok: true,
                id: created.id,
                key: created.key,
            })
        };
        reply(StatusCode::CREATED, made.await)
    }

    /// `GET /auth/api-keys` → `{ok, keys}`.
    pub async fn list(
        State(state): State<AppState>,
        headers: HeaderMap,
        session: Session,
    ) -> Response {
        let listed = async {
            let user = person(&state, &headers, &session).await?;
            let keys = super::list(&state, &user).await?;
            Ok(ListBody { ok: true, keys })
        };
        reply(StatusCode::OK, listed.await)
    }

    /// `POST /auth/api-keys/revoke {id}` → `{ok}`; `404` for a key that
    /// is not the caller's.
    pub async fn revoke(
        State(state): State<AppState>,
        headers: HeaderMap,
        session: Session,
        body: Result<Json<RevokeBody>, JsonRejection>,
    ) -> Response {
        let revoked = async {
            let user = person(&state, &headers, &session).await?;
            let Json(body) = body?;
            super::revoke(&state, &user, body.id).await?;
            Ok(Done::OK)
        };
        reply(StatusCode::OK, revoked.await)
    }
}
