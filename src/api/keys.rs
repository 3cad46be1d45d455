//! API keys, made, listed and revoked by their owner: `/settings` posts
//! forms to these, scripts send JSON (`GET /auth/api-keys`, `POST
//! /auth/api-keys`, `POST /auth/api-keys/revoke`). Each needs a person's
//! session: an API key cannot manage keys (`403 session_required`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::GetUrl;

use crate::{
    api::{auth::Done, codec::FormOrJson},
    domain::account::ApiKeyRow,
    error::AppError,
};

/// `GET /auth/api-keys`: `{"ok":true, "keys":[...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "keys": [{"id": 1, "name": "backup script", "hint": "x9Qa", "created_at": 1764750000, "last_used_at": 1764753600}]})))]
pub struct KeyList {
    /// Always true.
    pub ok: bool,
    /// The caller's keys, oldest first, never the keys themselves.
    pub keys: Vec<ApiKeyRow>,
}

/// `201` to `POST /auth/api-keys`: `{"ok":true, "id":1, "key":"pal_..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "id": 1, "key": "pal_mF3xKQ0bq2Zr8YhN1vT6cW4sLpD7eJ9uA5oG2iRkx9Qa"})))]
pub struct CreatedKey {
    /// Always true.
    pub ok: bool,
    /// The key's id, for revoking it.
    pub id: i64,
    /// The key itself, in this answer only: it is stored hashed.
    pub key: String,
}

/// The signed-in person's keys.
#[server(prefix = "/auth", endpoint = "api-keys", input = GetUrl)]
pub async fn list_api_keys() -> Result<KeyList, AppError> {
    use crate::server::{api_keys, edge};
    let (state, user) = edge::signed_in_person().await?;
    Ok(KeyList {
        ok: true,
        keys: api_keys::list(&state, &user).await?,
    })
}

/// Makes a key named `name`: `201` with the key, shown this once.
#[server(prefix = "/auth", endpoint = "api-keys", input = FormOrJson)]
pub async fn create_api_key(name: String) -> Result<CreatedKey, AppError> {
    use crate::server::{api_keys, edge};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        let made = api_keys::create(&state, &user, &name).await?;
        edge::set_status(http::StatusCode::CREATED);
        Ok(CreatedKey {
            ok: true,
            id: made.id,
            key: made.key,
        })
    }
    .await;
    // Without JavaScript the page after the redirect shows the key: it
    // travels in the one-read, 60-second HttpOnly cookie of kept fields
    // (as the recovery codes do), never in the address.
    if let Ok(made) = &result {
        edge::keep_for_next_page(&[(KEPT_KEY, &made.key)]);
    }
    edge::finish_keeping(
        result,
        "/settings?done=api_key",
        "/settings?form=api_keys",
        &[(KEPT_NAME, &name)],
    )
}

/// Revokes one of the person's keys (`404` for anyone else's).
#[server(prefix = "/auth/api-keys", endpoint = "revoke", input = FormOrJson)]
pub async fn revoke_api_key(id: i64) -> Result<Done, AppError> {
    use crate::server::{api_keys, edge};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        api_keys::revoke(&state, &user, id).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish(
        result,
        "/settings?done=api_key_revoked",
        "/settings?form=api_key_revoke",
    )
}

/// The kept field that carries a key just made to the page, once.
pub const KEPT_KEY: &str = "api_key";
/// The kept field of a refused name.
pub const KEPT_NAME: &str = "api_key_name";

crate::form_or_json!(CreateApiKey, RevokeApiKey);
