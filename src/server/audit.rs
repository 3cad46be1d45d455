//! Recording security events (the log itself is `db::audit`): the event
//! kinds, in one list, and [`record`] for events that change nothing else.

use std::net::IpAddr;

use super::{db::AuditEvent, state::AppState};
use crate::error::AppError;

/// The kinds of event, as stored in `audit_log.kind`.
pub mod kind {
    /// An account registered itself.
    pub const REGISTER: &str = "register";
    /// A right password (and second factor, if on).
    pub const LOGIN_SUCCESS: &str = "login_success";
    /// A wrong password for a known account.
    pub const LOGIN_FAILURE: &str = "login_failure";
    /// A right second factor.
    pub const MFA_SUCCESS: &str = "mfa_success";
    /// A wrong second factor.
    pub const MFA_FAILURE: &str = "mfa_failure";
    /// Signed out.
    pub const LOGOUT: &str = "logout";
    /// A reset link was sent.
    pub const RESET_REQUESTED: &str = "reset_requested";
    /// A password was reset by link.
    pub const RESET_DONE: &str = "reset_done";
    /// A password was changed by its owner.
    pub const PASSWORD_CHANGED: &str = "password_changed";
    /// Two-factor sign-in turned on.
    pub const MFA_ENABLED: &str = "mfa_enabled";
    /// Two-factor sign-in turned off (by the user, an admin or the CLI).
    pub const MFA_DISABLED: &str = "mfa_disabled";
    /// Sessions were ended by their user.
    pub const SESSION_REVOKED: &str = "session_revoked";
    /// An admin changed a role.
    pub const ROLE_CHANGED: &str = "role_changed";
    /// An admin activated or deactivated an account.
    pub const ACTIVITY_CHANGED: &str = "activity_changed";
    /// An admin (or the CLI) made an account.
    pub const ACCOUNT_CREATED: &str = "account_created";
    /// An account was deleted, by its owner or an admin.
    pub const ACCOUNT_DELETED: &str = "account_deleted";
    /// An address was confirmed.
    pub const EMAIL_VERIFIED: &str = "email_verified";
    /// An API key was made.
    pub const API_KEY_CREATED: &str = "api_key_created";
    /// An API key was revoked.
    pub const API_KEY_REVOKED: &str = "api_key_revoked";
}

/// An event of `kind` about `user_id`, from `ip`.
pub fn event(kind: &'static str, user_id: Option<i64>, ip: Option<IpAddr>) -> AuditEvent {
    AuditEvent::new(kind, user_id, ip.map(|ip| ip.to_string()))
}

/// Appends an event that goes with no other change (sign-in attempts,
/// sign-out). A log that cannot be written fails the call: a security
/// event is not dropped silently.
pub async fn record(state: &AppState, event: &AuditEvent) -> Result<(), AppError> {
    state.db.audit_append(event, state.clock.now()).await?;
    Ok(())
}
