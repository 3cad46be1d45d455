//! Starting sessions: fully signed in (with where and how the sign-in came,
//! for the sessions list), or half signed in while the second factor is
//! still to come.

use std::net::IpAddr;

use tower_sessions::Session;

use super::session_error;
use crate::{
    domain::User,
    error::AppError,
    server::{session_store::USER_ID_KEY, state::AppState},
};

/// Where a sign-in came from, kept in its session for the sessions list.
#[derive(Clone, Debug)]
pub struct ClientMeta {
    /// The client's address.
    pub ip: IpAddr,
    /// Its `User-Agent`, if it sent one.
    pub user_agent: Option<String>,
    /// When.
    pub now: i64,
}

/// The key under which a half-signed-in session (right password, second
/// factor to come) holds its user's id. Such a session has no
/// [`USER_ID_KEY`], so nothing that needs a signed-in user accepts it.
pub const MFA_PENDING_KEY: &str = "mfa_pending_user_id";

/// Marks `session` as signed in as `user`, under a new session id so that an
/// id planted before login (fixation) is worthless.
pub async fn start_session(
    session: &Session,
    user: &User,
    meta: &ClientMeta,
) -> Result<(), AppError> {
    use crate::server::account::{meta as keys, MAX_USER_AGENT_CHARS};
    session.cycle_id().await.map_err(session_error)?;
    let _: Option<i64> = session
        .remove(MFA_PENDING_KEY)
        .await
        .map_err(session_error)?;
    session
        .insert(USER_ID_KEY, user.id)
        .await
        .map_err(session_error)?;
    session
        .insert(keys::CREATED_AT, meta.now)
        .await
        .map_err(session_error)?;
    session
        .insert(keys::IP, meta.ip.to_string())
        .await
        .map_err(session_error)?;
    if let Some(agent) = &meta.user_agent {
        let agent: String = agent.chars().take(MAX_USER_AGENT_CHARS).collect();
        session
            .insert(keys::USER_AGENT, agent)
            .await
            .map_err(session_error)?;
    }
    Ok(())
}

/// Marks `session` as half signed in as `user`: the password was right,
/// the second factor is still to come (`POST /auth/mfa/verify`).
pub async fn start_half_session(session: &Session, user: &User) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(MFA_PENDING_KEY, user.id)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// The user a half-signed-in `session` waits to sign in, if it is one and
/// the account is still active.
pub async fn half_signed_in(state: &AppState, session: &Session) -> Result<User, AppError> {
    let id: Option<i64> = session.get(MFA_PENDING_KEY).await.map_err(session_error)?;
    let Some(id) = id else {
        return Err(AppError::Unauthorized);
    };
    match state.db.user_by_id(id).await? {
        Some(user) if user.is_active && user.mfa => Ok(user),
        _ => Err(AppError::Unauthorized),
    }
}
