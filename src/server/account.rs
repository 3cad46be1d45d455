//! What people do to their own account (`/settings`): profile, password,
//! sessions, deletion. Each change is one transaction with its audit event.

use std::net::IpAddr;

use tower_sessions::Session;

use super::{
    audit::{self, kind},
    db::SessionRow,
    mail::jobs::MailJob,
    session_store::stored_id,
    state::AppState,
};
use crate::{
    domain::{account::SessionView, DisplayName, Password, Phone, User},
    error::AppError,
};

/// Where and how a session began, kept in its record for the sessions list.
pub mod meta {
    /// When it signed in (Unix seconds).
    pub const CREATED_AT: &str = "created_at";
    /// The client's address then.
    pub const IP: &str = "ip";
    /// Its `User-Agent` then, cut to [`super::MAX_USER_AGENT_CHARS`].
    pub const USER_AGENT: &str = "user_agent";
}

/// The longest `User-Agent` kept.
pub const MAX_USER_AGENT_CHARS: usize = 256;

/// The stored id of `session`, if it has one.
fn current_id(session: &Session) -> Option<String> {
    session.id().map(|id| stored_id(&id))
}

/// The user's live sessions, the asking one marked.
pub async fn sessions(
    state: &AppState,
    user: &User,
    session: &Session,
) -> Result<Vec<SessionView>, AppError> {
    let current = current_id(session);
    let rows = state.db.sessions_of(user.id, state.clock.now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| view(row, current.as_deref(), state.settings.session_ttl_secs))
        .collect())
}

fn view(row: SessionRow, current: Option<&str>, ttl: i64) -> SessionView {
    let data: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&row.data).unwrap_or_default();
    let text = |key: &str| data.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    SessionView {
        current: current == Some(row.id.as_str()),
        created_at: data
            .get(meta::CREATED_AT)
            .and_then(serde_json::Value::as_i64),
        last_seen_at: row.expires_at - ttl,
        ip: text(meta::IP),
        user_agent: text(meta::USER_AGENT),
        id: row.id,
    }
}

/// Ends one of the user's sessions (`id`), or all but the asking one.
pub async fn revoke(
    state: &AppState,
    user: &User,
    session: &Session,
    ip: IpAddr,
    id: Option<&str>,
) -> Result<u64, AppError> {
    let keep = current_id(session).unwrap_or_default();
    let detail = match id {
        Some(_) => serde_json::json!({"which": "one"}),
        None => serde_json::json!({"which": "all_others"}),
    };
    let event = audit::event(kind::SESSION_REVOKED, Some(user.id), Some(ip)).with(detail);
    let ended = state
        .db
        .sessions_revoke(user.id, id, &keep, &event, state.clock.now())
        .await?;
    if id.is_some() && ended == 0 {
        return Err(AppError::NotFound);
    }
    if ended > 0 {
        state.sign_outs.announce(user.id);
    }
    Ok(ended)
}

/// Checks `password` against the user's own, with the sign-in's limit on
/// failures for this account (a stolen session must not become a way to
/// guess the password).
pub async fn check_own_password(
    state: &AppState,
    user: &User,
    password: &str,
) -> Result<(), AppError> {
    let budget = state.settings.rate_limits.login_identifier;
    let limiter = &state.limiter;
    if !limiter
        .has_room("login:identifier-failures", &user.email, budget)
        .await?
    {
        return Err(AppError::RateLimited);
    }
    let stored = state
        .db
        .user_by_email(&user.email)
        .await?
        .and_then(|(_, hash)| hash);
    let verified = state.passwords.verify(password, stored.as_ref()).await?;
    if !verified.ok {
        limiter
            .count_hit("login:identifier-failures", &user.email, budget)
            .await?;
        return Err(AppError::InvalidCredentials);
    }
    Ok(())
}

/// Changes the password: the current one is required; every other session
/// ends; a mail tells the owner. Returns how many sessions ended.
pub async fn change_password(
    state: &AppState,
    user: &User,
    session: &Session,
    ip: IpAddr,
    current: &str,
    new: &str,
) -> Result<u64, AppError> {
    check_own_password(state, user, current).await?;
    let new = Password::parse(new)?;
    let hash = state.passwords.hash(new.expose()).await?;
    let keep = current_id(session).unwrap_or_default();
    let notice = MailJob::PasswordChanged { user_id: user.id }.to_json();
    let event = audit::event(kind::PASSWORD_CHANGED, Some(user.id), Some(ip));
    let ended = state
        .outbox
        .queued_by(state.db.user_change_password(
            user.id,
            &hash,
            &keep,
            &notice,
            &event,
            state.clock.now(),
        ))
        .await?;
    if ended > 0 {
        state.sign_outs.announce(user.id);
    }
    Ok(ended)
}

/// Sets the display name and phone; an absent field stays, an empty phone
/// removes it.
pub async fn set_profile(
    state: &AppState,
    user: &User,
    display_name: Option<&str>,
    phone: Option<&str>,
) -> Result<(), AppError> {
    let name = display_name.map(DisplayName::parse).transpose()?;
    let phone = match phone.map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => Some(Phone::parse_optional(Some(raw))?),
    };
    state
        .db
        .user_set_profile(
            user.id,
            name.as_ref().map(DisplayName::as_str),
            phone.as_ref().map(|p| p.as_ref().map(Phone::as_str)),
            state.clock.now(),
        )
        .await?;
    Ok(())
}

/// Deletes the account and everything of it, after checking the password.
/// The last admin cannot delete themselves (`400 last_admin`).
pub async fn delete(
    state: &AppState,
    user: &User,
    ip: IpAddr,
    password: &str,
) -> Result<(), AppError> {
    check_own_password(state, user, password).await?;
    let event = audit::event(kind::ACCOUNT_DELETED, Some(user.id), Some(ip))
        .with(serde_json::json!({"by": "self"}));
    super::admin::changed(
        state
            .db
            .user_delete(user.id, &event, state.clock.now())
            .await?,
    )?;
    state.sign_outs.announce(user.id);
    tracing::info!(user_id = user.id, "account deleted by its owner");
    Ok(())
}
