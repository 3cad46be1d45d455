//! Accounts, v2, for their owners (`/settings`): password, sessions,
//! profile, deletion, two-factor setup. Each needs a person's session (an
//! API key cannot change the account), except the sessions list.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::GetUrl;

use crate::{
    api::{auth::Done, codec::FormOrJson},
    domain::account::{self as acct, SessionView},
    error::AppError,
};

/// `{"ok":true, "revoked_sessions": n}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "revoked_sessions": 2})))]
pub struct Revoked {
    /// Always true.
    pub ok: bool,
    /// How many sessions ended.
    pub revoked_sessions: u64,
}

/// `{"ok":true, "sessions":[...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "sessions": [{"id": "s_3f9a", "created_at": 1764750000, "last_seen_at": 1764836400, "ip": "203.0.113.7", "user_agent": "Mozilla/5.0", "current": true}]})))]
pub struct SessionList {
    /// Always true.
    pub ok: bool,
    /// Most recently used first; the asking one has `current: true`.
    pub sessions: Vec<SessionView>,
}

/// `{"ok":true, "recovery_codes":[...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "recovery_codes": ["4f7k-9q2m", "8d3x-1c6v"]})))]
pub struct RecoveryCodes {
    /// Always true.
    pub ok: bool,
    /// Ten single-use codes, shown this once.
    pub recovery_codes: Vec<String>,
}

/// Changes the password (the current one is required); every other
/// session ends and a mail tells the owner.
#[server(prefix = "/auth/password", endpoint = "change", input = FormOrJson)]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<Revoked, AppError> {
    use crate::server::{account, edge};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        let ip = edge::client_ip(&state).await;
        let session = edge::session().await?;
        let n = account::change_password(
            &state,
            &user,
            &session,
            ip,
            &current_password,
            &new_password,
        )
        .await?;
        Ok(Revoked {
            ok: true,
            revoked_sessions: n,
        })
    }
    .await;
    edge::finish(result, "/settings?done=password", "/settings?form=password")
}

/// The signed-in user's sessions.
#[server(prefix = "/auth", endpoint = "sessions", input = GetUrl)]
pub async fn list_sessions() -> Result<SessionList, AppError> {
    use crate::server::{account, edge};
    let (state, user) = edge::signed_in_person().await?;
    let session = edge::session().await?;
    Ok(SessionList {
        ok: true,
        sessions: account::sessions(&state, &user, &session).await?,
    })
}

/// Ends one session (`id`) or every other one (`all_others: true`).
#[server(prefix = "/auth/sessions", endpoint = "revoke", input = FormOrJson)]
pub async fn revoke_sessions(
    id: Option<String>,
    all_others: Option<bool>,
) -> Result<Revoked, AppError> {
    use crate::server::{account, edge};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        let ip = edge::client_ip(&state).await;
        let session = edge::session().await?;
        let id = id.as_deref().map(str::trim).filter(|id| !id.is_empty());
        if id.is_none() && all_others != Some(true) {
            return Err(AppError::BadRequest(
                "Invalid request: give `id`, or `all_others: true`".into(),
            ));
        }
        let n = account::revoke(&state, &user, &session, ip, id).await?;
        Ok(Revoked {
            ok: true,
            revoked_sessions: n,
        })
    }
    .await;
    edge::finish(result, "/settings?done=sessions", "/settings?form=sessions")
}

/// Sets the display name and phone (absent: unchanged; empty phone: none).
#[server(prefix = "/auth", endpoint = "profile", input = FormOrJson)]
pub async fn update_profile(
    display_name: Option<String>,
    phone: Option<String>,
) -> Result<Done, AppError> {
    use crate::server::{account, edge};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        account::set_profile(&state, &user, display_name.as_deref(), phone.as_deref()).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/settings?done=profile", "/settings?form=profile")
}

/// Deletes the account and everything of it (the password is required).
#[server(prefix = "/auth/account", endpoint = "delete", input = FormOrJson)]
pub async fn delete_account(password: String) -> Result<Done, AppError> {
    use crate::server::{account, edge};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        let ip = edge::client_ip(&state).await;
        account::delete(&state, &user, ip, &password).await?;
        if let Ok(session) = edge::session().await {
            let _ = session.flush().await;
        }
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/login", "/settings?form=delete")
}

/// Starts two-factor setup: a new secret, its `otpauth://` link and QR code.
#[server(prefix = "/auth/mfa", endpoint = "setup", input = FormOrJson)]
pub async fn mfa_setup() -> Result<acct::MfaSetup, AppError> {
    use crate::server::{edge, mfa};
    let (state, user) = edge::signed_in_person().await?;
    mfa::setup(&state, &user).await
}

/// Turns two-factor sign-in on with a right code; answers the recovery codes.
#[server(prefix = "/auth/mfa", endpoint = "enable", input = FormOrJson)]
pub async fn mfa_enable(code: String) -> Result<RecoveryCodes, AppError> {
    use crate::server::{edge, mfa};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        let ip = edge::client_ip(&state).await;
        Ok(RecoveryCodes {
            ok: true,
            recovery_codes: mfa::enable(&state, &user, ip, &code).await?,
        })
    }
    .await;
    // Without JavaScript the page after the redirect shows the codes: they
    // travel in the one-read, 60-second HttpOnly cookie of kept fields,
    // never in the address.
    if let Ok(done) = &result {
        edge::keep_for_next_page(&[("recovery_codes", &done.recovery_codes.join(" "))]);
    }
    edge::finish(result, "/settings?done=mfa", "/settings?form=mfa&mfa=setup")
}

/// Turns two-factor sign-in off (password and a code required).
#[server(prefix = "/auth/mfa", endpoint = "disable", input = FormOrJson)]
pub async fn mfa_disable(password: String, code: String) -> Result<Done, AppError> {
    use crate::server::{account, edge, mfa};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        let ip = edge::client_ip(&state).await;
        account::check_own_password(&state, &user, &password).await?;
        mfa::disable(&state, &user, ip, &code).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/settings?done=mfa_off", "/settings?form=mfa")
}

/// `{"ok":true, "events":[...]}`: the asker's own security events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "events": [{"id": 41, "at": 1764836400, "kind": "login", "user_id": 1, "actor_id": 1, "ip": "203.0.113.7", "detail": "{}"}]})))]
pub struct MyEvents {
    /// Always true.
    pub ok: bool,
    /// Newest first, at most 20.
    pub events: Vec<crate::domain::account::AuditRow>,
}

/// The signed-in user's recent security events (sign-ins, password and
/// two-factor changes, sessions ended), newest first.
#[server(prefix = "/auth", endpoint = "security-events", input = GetUrl)]
pub async fn my_security_events() -> Result<MyEvents, AppError> {
    use crate::server::{db::AuditFilter, edge};
    let (state, user) = edge::signed_in_person().await?;
    let filter = AuditFilter {
        limit: 20,
        user_id: Some(user.id),
        ..AuditFilter::default()
    };
    Ok(MyEvents {
        ok: true,
        events: state.db.audit_page(&filter).await?,
    })
}

/// Sends the verification link again (at most 3 an hour).
#[server(prefix = "/auth/verify-email", endpoint = "resend", input = FormOrJson)]
pub async fn resend_verification() -> Result<Done, AppError> {
    use crate::server::{edge, verify};
    let result = async {
        let (state, user) = edge::signed_in_person().await?;
        verify::resend(&state, &user).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/app?verify=sent", "/app")
}

crate::form_or_json!(
    ResendVerification,
    ChangePassword,
    RevokeSessions,
    UpdateProfile,
    DeleteAccount,
    MfaSetup,
    MfaEnable,
    MfaDisable
);
