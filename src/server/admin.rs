//! What admins do (`/admin`, `/api/admin/*`): list, approve, change and
//! delete accounts, make new ones, read the audit log.

use std::net::IpAddr;

use super::{
    audit::{self, kind},
    db::{AuditFilter, AuditRow, ChainCheck, ChangeRefused, Changed, NewUser, UserChange},
    mail::jobs::MailJob,
    state::AppState,
};
use crate::{
    domain::{account::AdminUser, DisplayName, Email, Password, Role, User},
    error::AppError,
};

/// [`AppError::Forbidden`] unless `user` is an admin.
pub fn require_admin(user: &User) -> Result<(), AppError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A role by its wire name, or a 400 that names the three.
pub fn parse_role(raw: &str) -> Result<Role, AppError> {
    Role::parse(raw.trim()).ok_or_else(|| {
        AppError::BadRequest("Invalid request: role must be admin, user or pending".into())
    })
}

/// The result of a change as the caller's error.
pub(super) fn changed(result: Changed) -> Result<u64, AppError> {
    match result {
        Changed::Done(ended) => Ok(ended),
        Changed::Refused(ChangeRefused::NotFound) => Err(AppError::NotFound),
        Changed::Refused(ChangeRefused::LastAdmin) => Err(AppError::LastAdmin),
    }
}

/// Accounts matching `query` (e-mail or name), newest first.
pub async fn users(state: &AppState, query: Option<&str>) -> Result<Vec<AdminUser>, AppError> {
    Ok(state.db.users_list(query).await?)
}

/// Changes an account's role or activity; its sessions end when it loses
/// rights. Returns how many sessions ended.
pub async fn update(
    state: &AppState,
    admin: &User,
    ip: IpAddr,
    id: i64,
    change: UserChange,
) -> Result<u64, AppError> {
    let mut events = Vec::new();
    if let Some(role) = change.role {
        events.push(
            audit::event(kind::ROLE_CHANGED, Some(id), Some(ip))
                .by(admin.id)
                .with(serde_json::json!({"role": role.as_str()})),
        );
    }
    if let Some(active) = change.is_active {
        events.push(
            audit::event(kind::ACTIVITY_CHANGED, Some(id), Some(ip))
                .by(admin.id)
                .with(serde_json::json!({"is_active": active})),
        );
    }
    let ended = changed(
        state
            .db
            .user_change(id, change, &events, state.clock.now())
            .await?,
    )?;
    if ended > 0 {
        state.sign_outs.announce(id);
    }
    Ok(ended)
}

/// What an admin fills in to make an account.
#[derive(Default)]
pub struct NewAccount<'a> {
    /// E-mail, as typed.
    pub email: &'a str,
    /// Its first password.
    pub password: &'a str,
    /// Its name (the e-mail's local part when absent).
    pub display_name: Option<&'a str>,
    /// Its role (`user` when absent).
    pub role: Option<Role>,
}

/// Makes an account under registration's rules, whatever `SIGNUP_MODE`
/// says; the address counts as verified (the admin vouches for it).
pub async fn create(
    state: &AppState,
    admin: &User,
    ip: IpAddr,
    input: NewAccount<'_>,
) -> Result<User, AppError> {
    let email = Email::parse(input.email)?;
    let password = Password::parse(input.password)?;
    let display_name = DisplayName::for_account(input.display_name, &email)?;
    let role = input.role.unwrap_or(Role::User);
    let password_hash = state.passwords.hash(password.expose()).await?;
    let uid = uuid::Uuid::new_v4().simple().to_string();
    let welcome = |user_id| MailJob::Welcome { user_id }.to_json();
    let new = NewUser {
        uid: &uid,
        email: email.as_str(),
        phone: None,
        display_name: display_name.as_str(),
        password_hash: &password_hash,
        lang: &admin.lang,
        role,
        verified: true,
        event: audit::event(kind::ACCOUNT_CREATED, None, Some(ip))
            .by(admin.id)
            .with(serde_json::json!({"role": role.as_str()})),
    };
    let user = state
        .outbox
        .queued_by(state.db.create_user(&new, state.clock.now(), &welcome))
        .await?;
    tracing::info!(
        user_id = user.id,
        admin_id = admin.id,
        "account created by an admin"
    );
    Ok(user)
}

/// Deletes an account and everything of it; the last admin stays.
pub async fn delete(state: &AppState, admin: &User, ip: IpAddr, id: i64) -> Result<(), AppError> {
    let event = audit::event(kind::ACCOUNT_DELETED, Some(id), Some(ip)).by(admin.id);
    changed(state.db.user_delete(id, &event, state.clock.now()).await?)?;
    state.sign_outs.announce(id);
    Ok(())
}

/// The most events one page shows.
pub const MAX_AUDIT_PAGE: i64 = 200;

/// A page of the audit log, newest first, and whether the whole chain
/// verifies.
pub async fn audit_page(
    state: &AppState,
    filter: AuditFilter,
) -> Result<(Vec<AuditRow>, bool), AppError> {
    let filter = AuditFilter {
        limit: if filter.limit <= 0 {
            50
        } else {
            filter.limit.min(MAX_AUDIT_PAGE)
        },
        ..filter
    };
    let events = state.db.audit_page(&filter).await?;
    let ok = matches!(state.db.audit_verify().await?, ChainCheck::Ok(_));
    Ok((events, ok))
}
