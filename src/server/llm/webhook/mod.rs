//! The n8n-style webhook back end (`LLM_PROVIDER=webhook`).
//!
//! Each message is POSTed to `WEBHOOK_URL` as `{message, conversation_id,
//! history, user:{uid, display_name}}` with a bearer token (HS256 with
//! `WEBHOOK_JWT_SECRET`; `sub` the user's uid, `iat`, `exp` 30 s later and
//! a unique `jti`, so a captured token cannot be replayed for long).
//!
//! The workflow may answer in any of the shapes such tools produce, and all
//! of them become the same pieces of text:
//! - `text/event-stream` in the Chat Completions shape (read by the caller,
//!   as from the model API);
//! - JSON lines: `{"text": ...}`, or n8n's streaming chunks
//!   (`{"type":"begin"}`, `{"type":"item","content": ...}`,
//!   `{"type":"end"}`, `{"type":"error"}`);
//! - one JSON document, as n8n's "Respond to Webhook" sends it: an object
//!   `{"output": ...}` (or `{"text": ...}`), or an array of them, on one
//!   line or pretty-printed;
//! - plain text (`text/*`), taken whole.
//!
//! Lines are cut from the bytes before they are decoded, so a character
//! split across reads arrives whole; a one-document answer is kept until it
//! ends, up to [`MAX_DOCUMENT_BYTES`].

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

use super::{Asker, LlmError, PromptMessage};
use crate::server::config::WebhookSettings;

mod reader;
pub(super) use reader::answer;

/// How long the token sent with a message is valid.
pub const TOKEN_LIFETIME_SECS: u64 = 30;

/// The most of an answer kept before it is whole (one JSON document, plain
/// text, or one line of JSON lines).
pub const MAX_DOCUMENT_BYTES: usize = 4 << 20;

#[derive(Serialize)]
struct Claims<'a> {
    sub: &'a str,
    iat: u64,
    exp: u64,
    jti: String,
}

#[derive(Serialize)]
struct Body<'a> {
    message: &'a str,
    conversation_id: Option<i64>,
    history: &'a [PromptMessage],
    user: WebhookUser<'a>,
}

#[derive(Serialize)]
struct WebhookUser<'a> {
    uid: &'a str,
    display_name: &'a str,
}

/// The token for one message of `sub`, issued at `now` (Unix seconds).
fn token(secret: &str, sub: &str, now: u64) -> Result<String, LlmError> {
    let claims = Claims {
        sub,
        iat: now,
        exp: now + TOKEN_LIFETIME_SECS,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    EncodingKey::from_secret(secret.as_bytes())
        .and_then(|key| jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key))
        .map_err(|e| {
            tracing::error!(error = %e, "cannot sign the webhook token");
            LlmError::Broken
        })
}

/// The POST for `messages` (the system prompt first, which the workflow has
/// its own of and is not sent; then the earlier turns; the new message last).
pub(super) fn request(
    http: &reqwest::Client,
    settings: &WebhookSettings,
    messages: &[PromptMessage],
    asker: &Asker,
) -> Result<reqwest::RequestBuilder, LlmError> {
    let system = messages.iter().take_while(|m| m.role == "system").count();
    let Some((message, history)) = messages[system..].split_last() else {
        tracing::error!("a webhook request without a message");
        return Err(LlmError::Broken);
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let token = token(settings.jwt_secret.expose(), &asker.uid, now)?;
    Ok(http
        .post(settings.url.clone())
        .header(
            reqwest::header::ACCEPT,
            "text/event-stream, application/x-ndjson, application/json;q=0.9, text/plain;q=0.8",
        )
        .bearer_auth(token)
        .json(&Body {
            message: &message.content,
            conversation_id: asker.conversation_id,
            history,
            user: WebhookUser {
                uid: &asker.uid,
                display_name: &asker.display_name,
            },
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_hs256_for_the_user_and_lives_30_seconds() {
        use jsonwebtoken::{decode, DecodingKey, Validation};
        #[derive(serde::Deserialize)]
        struct Seen {
            sub: String,
            iat: u64,
            exp: u64,
            jti: String,
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let a = token("0123456789abcdef0123456789abcdef", "u_42", now).unwrap();
        let b = token("0123456789abcdef0123456789abcdef", "u_42", now).unwrap();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        let key = DecodingKey::from_secret(b"0123456789abcdef0123456789abcdef").unwrap();
        let seen = decode::<Seen>(&a, &key, &validation).unwrap().claims;
        assert_eq!(seen.sub, "u_42");
        assert_eq!(seen.exp - seen.iat, TOKEN_LIFETIME_SECS);
        let other = decode::<Seen>(&b, &key, &validation).unwrap().claims;
        assert_ne!(seen.jti, other.jti, "each token has its own id");
        let wrong = DecodingKey::from_secret(b"another secret of thirty-two b.").unwrap();
        assert!(decode::<Seen>(&a, &wrong, &validation).is_err());
    }
}
