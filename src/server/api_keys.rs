//! API keys for scripts and tools: made, listed and revoked by their owner
//! from a signed-in session, and accepted as `Authorization: Bearer <key>`
//! wherever a session cookie is, except by the calls that change the
//! account (those answer `403 session_required`).
//!
//! The calls are server functions (`api::keys`), so `/settings` manages
//! keys with plain form posts as well as JSON.
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
/// Keys one account may hold, and the longest name of one (the pages
/// know them too, so they live in the domain).
pub use crate::domain::account::{
    MAX_API_KEYS as MAX_KEYS, MAX_API_KEY_NAME_CHARS as MAX_NAME_CHARS,
};

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
