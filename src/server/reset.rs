//! Password reset: tokens (32 random bytes, URL-safe; only their SHA-256 is
//! stored), the forgot request and the reset itself.

use std::net::IpAddr;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{
    audit,
    auth::MAX_IDENTIFIER_CHARS,
    db::{DbError, ResetDone},
    mail::jobs::MailJob,
    rate_limit::limit_subject,
    state::AppState,
};
use crate::{
    domain::{Email, Password},
    error::AppError,
};

/// The stored form of a token: hex SHA-256.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Makes a token for `user_id`, stores its hash, and returns the link that
/// carries it. Older links of the user stop working.
pub async fn issue_link(state: &AppState, user_id: i64) -> Result<String, DbError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let now = state.clock.now();
    state
        .db
        .reset_token_create(
            user_id,
            &token_hash(&token),
            now + state.settings.reset_token_ttl_secs,
            now,
        )
        .await?;
    // Recorded when the link is made (the worker, off the request path):
    // only then is it known which account was asked for.
    let event = audit::event(audit::kind::RESET_REQUESTED, Some(user_id), None);
    state.db.audit_append(&event, now).await?;
    let mut link = state
        .settings
        .public_base_url
        .join("reset-password")
        .map_err(|e| {
            DbError::Io(std::io::Error::other(format!(
                "PUBLIC_BASE_URL cannot make links: {e}"
            )))
        })?;
    link.query_pairs_mut().append_pair("token", &token);
    Ok(link.into())
}

/// Asks for a reset link. Always succeeds from the caller's view: a known,
/// unknown or rate-limited identifier all get the same answer, and the same
/// work on the request path (one queued job; the worker decides).
///
/// The identifier's budget (mails to one inbox) counts only requests from
/// addresses within their own limit. An address can still spend it, but the
/// owner is not locked out by that: the mails it made arrive in the owner's
/// inbox, and the newest link in them works.
pub async fn forgot(state: &AppState, ip: IpAddr, identifier: &str) -> Result<(), AppError> {
    let limits = &state.settings.rate_limits;
    let identifier = identifier.trim().to_lowercase();
    if identifier.chars().count() > MAX_IDENTIFIER_CHARS {
        return Ok(());
    }
    let limiter = &state.limiter;
    if !limiter
        .allow("forgot:ip", &limit_subject(ip), limits.forgot_ip)
        .await?
        || !limiter
            .allow("forgot:identifier", &identifier, limits.forgot_identifier)
            .await?
    {
        return Ok(());
    }
    if let Ok(email) = Email::parse(&identifier) {
        state
            .outbox
            .enqueue(&MailJob::PasswordReset {
                email: email.as_str().to_owned(),
            })
            .await?;
    }
    Ok(())
}

/// True when `token` is a reset link that can still be used.
pub async fn link_valid(state: &AppState, token: &str) -> Result<bool, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Ok(false);
    }
    Ok(state
        .db
        .reset_token_valid(&token_hash(token), state.clock.now())
        .await?)
}

/// Sets a new password with a reset token: consumes the token, ends every
/// session of the user and queues a confirmation, all in one transaction.
pub async fn reset(
    state: &AppState,
    ip: IpAddr,
    token: &str,
    password: &str,
) -> Result<ResetDone, AppError> {
    let invalid = || AppError::InvalidToken;
    // Cheap check first, so garbage tokens cost no argon2 time.
    if !link_valid(state, token).await? {
        return Err(invalid());
    }
    let hash = token_hash(token.trim());
    let password = Password::parse(password)?;
    let password_hash = state.passwords.hash(password.expose()).await?;
    let confirmation = |user_id| MailJob::PasswordChanged { user_id }.to_json();
    let event = audit::event(audit::kind::RESET_DONE, None, Some(ip));
    let done = state
        .outbox
        .queued_by(state.db.reset_password(
            &hash,
            &password_hash,
            state.clock.now(),
            &confirmation,
            &event,
        ))
        .await?
        .ok_or_else(invalid)?;
    tracing::info!(
        user_id = done.user_id,
        revoked = done.revoked_sessions,
        "password reset"
    );
    state.sign_outs.announce(done.user_id);
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::token_hash;

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
