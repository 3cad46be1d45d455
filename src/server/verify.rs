//! E-mail verification (`REQUIRE_EMAIL_VERIFICATION=1`): a single-use link
//! valid for 24 hours, made when the mail is sent (only its hash is
//! stored), and a rate-limited resend from the waiting page.

use std::net::IpAddr;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use rand::RngCore;

use super::{
    audit::{self, kind},
    config::Limit,
    db::DbError,
    mail::jobs::MailJob,
    reset::token_hash,
    state::AppState,
};
use crate::{domain::User, error::AppError};

/// How long a verification link works.
pub const LINK_TTL_SECS: i64 = 86_400;
/// Resends per account: 3 an hour.
pub const RESENDS: Limit = Limit {
    max: 3,
    window_secs: 3600,
};

/// Makes a token for `user_id`, stores its hash (older links stop
/// working) and returns the link that carries it.
pub async fn issue_link(state: &AppState, user_id: i64) -> Result<String, DbError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let now = state.clock.now();
    state
        .db
        .verification_token_create(user_id, &token_hash(&token), now + LINK_TTL_SECS, now)
        .await?;
    let mut link = state
        .settings
        .public_base_url
        .join("auth/verify-email")
        .map_err(|e| {
            DbError::Io(std::io::Error::other(format!(
                "PUBLIC_BASE_URL cannot make links: {e}"
            )))
        })?;
    link.query_pairs_mut().append_pair("token", &token);
    Ok(link.into())
}

/// Follows a link: the address is verified, once.
pub async fn verify(state: &AppState, ip: IpAddr, token: &str) -> Result<i64, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::InvalidToken);
    }
    let event = audit::event(kind::EMAIL_VERIFIED, None, Some(ip));
    state
        .db
        .verify_email(&token_hash(token), &event, state.clock.now())
        .await?
        .ok_or(AppError::InvalidToken)
}

/// Sends the link again, at most [`RESENDS`] an hour; nothing to do for a
/// verified address.
pub async fn resend(state: &AppState, user: &User) -> Result<(), AppError> {
    if user.email_verified {
        return Ok(());
    }
    if !state
        .limiter
        .allow("verify:resend", &user.id.to_string(), RESENDS)
        .await?
    {
        return Err(AppError::RateLimited);
    }
    state
        .outbox
        .enqueue(&MailJob::VerifyEmail { user_id: user.id })
        .await?;
    Ok(())
}

/// `token` of `GET /auth/verify-email`.
#[derive(Debug, serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `GET /auth/verify-email?token=T`: verifies, then `303` to `/app`; a link
/// that is used, expired or unknown goes to `/app?verify=invalid`, where the
/// waiting page offers a new one.
pub async fn follow(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: http::HeaderMap,
    axum::extract::Query(query): axum::extract::Query<TokenQuery>,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let ip = super::proxy::client_ip(peer.ip(), &headers, &state.settings.trusted_proxies);
    match verify(&state, ip, query.token.as_deref().unwrap_or_default()).await {
        Ok(_) => Redirect::to("/app").into_response(),
        Err(AppError::InvalidToken) => Redirect::to("/app?verify=invalid").into_response(),
        Err(e) => e.into_response(),
    }
}
