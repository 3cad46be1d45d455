//! `/auth/password/forgot` and `/auth/password/reset`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    api::{auth::Done, codec::FormOrJson},
    error::AppError,
};

/// `{"ok": true, "revoked_sessions": n}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResetResponse {
    /// Always true.
    pub ok: bool,
    /// How many sessions of the user were ended.
    pub revoked_sessions: u64,
}

/// Asks for a reset link: always `200 {"ok":true}`, whether the address is
/// known, unknown or rate-limited; the mail goes out from the queue.
#[server(prefix = "/auth/password", endpoint = "forgot", input = FormOrJson)]
pub async fn forgot_password(identifier: String) -> Result<Done, AppError> {
    use crate::server::{edge, reset};
    let result = async {
        let state = edge::state()?;
        let ip = edge::client_ip(&state).await;
        reset::forgot(&state, ip, &identifier).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish_keeping(
        result,
        "/forgot-password?sent=1",
        "/forgot-password",
        &[("identifier", &identifier)],
    )
}

/// Sets a new password with the token from the mail; every session of the
/// user ends. `400` for an invalid, used or expired token, or a weak password.
#[server(prefix = "/auth/password", endpoint = "reset", input = FormOrJson)]
pub async fn reset_password(token: String, password: String) -> Result<ResetResponse, AppError> {
    use crate::server::{edge, reset};
    let result = async {
        let state = edge::state()?;
        let ip = edge::client_ip(&state).await;
        let done = reset::reset(&state, ip, &token, &password).await?;
        Ok(ResetResponse {
            ok: true,
            revoked_sessions: done.revoked_sessions,
        })
    }
    .await;
    let back = format!(
        "/reset-password?token={}",
        crate::domain::urlencoding(&token)
    );
    edge::finish(result, "/login?reset=1", &back)
}

/// `{"ok": true, "valid": bool}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LinkState {
    /// Always true.
    pub ok: bool,
    /// True while the link can still set a password: known, unused, not
    /// expired.
    pub valid: bool,
}

/// Tells whether a reset link still works, without using it (the reset
/// page shows "ask for a new link" rather than a form that cannot work).
/// It reads only the token's hash, like the reset itself.
#[server(prefix = "/auth/password", endpoint = "check", input = FormOrJson)]
pub async fn check_reset_link(token: String) -> Result<LinkState, AppError> {
    use crate::server::{edge, reset};
    let state = edge::state()?;
    let valid = reset::link_valid(&state, &token).await?;
    Ok(LinkState { ok: true, valid })
}

crate::form_or_json!(ForgotPassword, ResetPassword, CheckResetLink);
