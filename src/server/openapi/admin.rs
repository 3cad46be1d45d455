//! The admin's calls, `/api/admin/*`: accounts and the audit log, server
//! functions of `src/api/admin.rs`. Anyone but an admin gets `403
//! forbidden`.

#![allow(dead_code)] // The functions and `...Body` structs only describe.

use utoipa::{OpenApi, ToSchema};

use super::errors::errors;
use crate::{
    api::{
        admin::{AuditPage, Created, UserList},
        auth::Done,
    },
    domain::PasswordError,
    error::AppError,
};

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(
    admin_users,
    admin_update_user,
    admin_create_user,
    admin_delete_user,
    admin_reset_mfa,
    admin_audit
))]
pub(super) struct Doc;

/// `POST /api/admin/users/update`.
#[derive(ToSchema)]
#[schema(example = json!({"id": 2, "role": "user", "is_active": true}))]
pub(super) struct UpdateUserBody {
    /// The account.
    id: i64,
    /// `admin`, `user` or `pending`; unchanged when absent. Approving a
    /// pending account is `user`.
    role: Option<String>,
    /// False deactivates the account; unchanged when absent.
    is_active: Option<bool>,
}

/// `POST /api/admin/users/create`.
#[derive(ToSchema)]
#[schema(example = json!({"email": "bo@example.com", "password": "correct-horse-9", "display_name": "Bo", "role": "user"}))]
pub(super) struct CreateUserBody {
    /// An e-mail address.
    email: String,
    /// Under the same rules as at registration.
    password: String,
    /// The name shown in the app; the address' local part when absent.
    display_name: Option<String>,
    /// `admin`, `user` (when absent) or `pending`.
    role: Option<String>,
}

/// `POST /api/admin/users/delete` and `/reset-mfa`.
#[derive(ToSchema)]
#[schema(example = json!({"id": 2}))]
pub(super) struct UserId {
    /// The account.
    id: i64,
}

errors!(ListErrors: AppError::Unauthorized, AppError::Forbidden);
errors!(UpdateErrors:
    AppError::BadRequest("Invalid request: missing field `id`".into()),
    AppError::LastAdmin,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::NotFound,
);
errors!(CreateErrors:
    AppError::BadRequest("Invalid request: missing field `password`".into()),
    AppError::InvalidEmail,
    AppError::WeakPassword(Some(PasswordError::TooShort)),
    AppError::InvalidDisplayName,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::EmailTaken,
);
errors!(DeleteErrors:
    AppError::BadRequest("Invalid request: missing field `id`".into()),
    AppError::LastAdmin,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::NotFound,
);
errors!(ResetMfaErrors:
    AppError::BadRequest("Invalid request: missing field `id`".into()),
    AppError::MfaNotEnabled,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::NotFound,
);

/// The accounts, newest first
#[utoipa::path(
    get,
    path = "/api/admin/users",
    tag = "admin",
    security(("session" = []), ("bearer" = [])),
    params(("q" = Option<String>, Query, description = "Only accounts whose e-mail or name contains this", example = "bo")),
    responses(
        (status = 200, description = "The accounts", body = UserList,
            example = json!({"ok": true, "users": [{"id": 2, "uid": "u_7HkP2mxa", "email": "bo@example.com", "display_name": "Bo", "role": "pending", "is_active": true, "mfa": false, "created_at": 1764750000, "last_login_at": null}]})),
        ListErrors,
    )
)]
fn admin_users() {}

/// Changes an account's role or activity
///
/// Deactivating or demoting an account ends its sessions; the last admin
/// cannot be demoted or deactivated (`400 last_admin`).
#[utoipa::path(
    post,
    path = "/api/admin/users/update",
    tag = "admin",
    security(("session" = []), ("bearer" = [])),
    request_body = UpdateUserBody,
    responses(
        (status = 200, description = "Changed", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/admin`, or back with `?error=<code>`"),
        UpdateErrors,
    )
)]
fn admin_update_user() {}

/// Makes an account, in any sign-up mode
#[utoipa::path(
    post,
    path = "/api/admin/users/create",
    tag = "admin",
    security(("session" = []), ("bearer" = [])),
    request_body = CreateUserBody,
    responses(
        (status = 201, description = "Created", body = Created, example = json!({"ok": true, "id": 7})),
        (status = 303, description = "A browser's form post: to `/admin`, or back with `?error=<code>`"),
        CreateErrors,
    )
)]
fn admin_create_user() {}

/// Deletes an account and everything of it
///
/// Its audit events stay.
#[utoipa::path(
    post,
    path = "/api/admin/users/delete",
    tag = "admin",
    security(("session" = []), ("bearer" = [])),
    request_body = UserId,
    responses(
        (status = 200, description = "Deleted", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/admin`, or back with `?error=<code>`"),
        DeleteErrors,
    )
)]
fn admin_delete_user() {}

/// Turns two-factor sign-in off for a locked-out account
#[utoipa::path(
    post,
    path = "/api/admin/users/reset-mfa",
    tag = "admin",
    security(("session" = []), ("bearer" = [])),
    request_body = UserId,
    responses(
        (status = 200, description = "Off", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/admin`, or back with `?error=<code>`"),
        ResetMfaErrors,
    )
)]
fn admin_reset_mfa() {}

/// A page of the audit log, newest first
///
/// `chain_ok` tells whether the whole hash chain verifies.
#[utoipa::path(
    get,
    path = "/api/admin/audit",
    tag = "admin",
    security(("session" = []), ("bearer" = [])),
    params(
        ("before" = Option<i64>, Query, description = "Only events older than this id: the next page", example = 41),
        ("limit" = Option<i64>, Query, description = "At most this many, up to 200 (50 when absent)", example = 50),
        ("user_id" = Option<i64>, Query, description = "Only this account's events", example = 2),
        ("kind" = Option<String>, Query, description = "Only events of this kind", example = "login"),
    ),
    responses(
        (status = 200, description = "The events", body = AuditPage,
            example = json!({"ok": true, "events": [{"id": 41, "at": 1764836400, "kind": "login", "user_id": 2, "actor_id": 2, "ip": "203.0.113.7", "detail": "{}"}], "chain_ok": true})),
        ListErrors,
    )
)]
fn admin_audit() {}
