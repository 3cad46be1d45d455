//! Accounts, v2, for their owners (`/settings`): password, sessions,
//! profile, deletion, two-factor setup, security events and e-mail
//! verification; server functions of `src/api/account.rs`, and `GET
//! /auth/verify-email` (an axum route, `server::verify::follow`). The calls
//! that change the account take the session cookie only.

#![allow(dead_code)] // The functions and `...Body` structs only describe.

use utoipa::{OpenApi, ToSchema};

use super::errors::errors;
use crate::{
    api::{
        account::{MyEvents, RecoveryCodes, Revoked, SessionList},
        auth::Done,
    },
    domain::{account::MfaSetup, PasswordError},
    error::AppError,
};

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(
    change_password,
    list_sessions,
    revoke_sessions,
    update_profile,
    delete_account,
    mfa_setup,
    mfa_enable,
    mfa_disable,
    my_security_events,
    resend_verification,
    verify_email
))]
pub(super) struct Doc;

/// `POST /auth/password/change`.
#[derive(ToSchema)]
#[schema(example = json!({"current_password": "correct-horse-9", "new_password": "new-horse-42"}))]
pub(super) struct ChangePasswordBody {
    /// The password now.
    current_password: String,
    /// The new one, under the same rules as at registration.
    new_password: String,
}

/// `POST /auth/sessions/revoke`: `id`, or `all_others: true`.
#[derive(ToSchema)]
#[schema(example = json!({"all_others": true}))]
pub(super) struct RevokeSessionsBody {
    /// One session's `id` (from `GET /auth/sessions`).
    id: Option<String>,
    /// True: every session but the asking one.
    all_others: Option<bool>,
}

/// `POST /auth/profile`.
#[derive(ToSchema)]
#[schema(example = json!({"display_name": "Ada L.", "phone": "+44 20 7946 0958"}))]
pub(super) struct ProfileBody {
    /// The name shown in the app; unchanged when absent.
    display_name: Option<String>,
    /// A phone number; unchanged when absent, removed when empty.
    phone: Option<String>,
}

/// `POST /auth/account/delete`.
#[derive(ToSchema)]
#[schema(example = json!({"password": "correct-horse-9"}))]
pub(super) struct DeleteAccountBody {
    /// The account's password.
    password: String,
}

/// `POST /auth/mfa/enable`.
#[derive(ToSchema)]
#[schema(example = json!({"code": "492039"}))]
pub(super) struct MfaCodeBody {
    /// The 6-digit code the authenticator app shows for the new secret.
    code: String,
}

/// `POST /auth/mfa/disable`.
#[derive(ToSchema)]
#[schema(example = json!({"password": "correct-horse-9", "code": "492039"}))]
pub(super) struct MfaDisableBody {
    /// The account's password.
    password: String,
    /// A 6-digit code, or a recovery code.
    code: String,
}

errors!(ChangePasswordErrors:
    AppError::BadRequest("Invalid request: missing field `new_password`".into()),
    AppError::WeakPassword(Some(PasswordError::TooShort)),
    AppError::InvalidCredentials,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::PayloadTooLarge,
);
errors!(ReadErrors: AppError::Unauthorized, AppError::SessionRequired);
errors!(RevokeErrors:
    AppError::BadRequest("Invalid request: give `id`, or `all_others: true`".into()),
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::NotFound,
);
errors!(ProfileErrors:
    AppError::BadRequest("Invalid request: invalid type: integer, expected a string".into()),
    AppError::InvalidDisplayName,
    AppError::InvalidPhone,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
);
errors!(DeleteErrors:
    AppError::BadRequest("Invalid request: missing field `password`".into()),
    AppError::InvalidCredentials,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::LastAdmin,
);
errors!(EnableErrors:
    AppError::BadRequest("Invalid request: missing field `code`".into()),
    AppError::InvalidMfaCode { at_sign_in: false },
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::MfaAlreadyEnabled,
);
errors!(DisableErrors:
    AppError::BadRequest("Invalid request: missing field `code`".into()),
    AppError::InvalidMfaCode { at_sign_in: false },
    AppError::MfaNotEnabled,
    AppError::InvalidCredentials,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
);
errors!(ResendErrors:
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::RateLimited,
);
errors!(VerifyEmailErrors: AppError::RateLimited, AppError::Unavailable);

/// Changes the password
///
/// The current password is required (a wrong one is `401
/// invalid_credentials`, rate-limited like sign-in). Every other session
/// of the account ends, and a mail tells the owner.
#[utoipa::path(
    post,
    path = "/auth/password/change",
    tag = "accounts",
    security(("session" = [])),
    request_body = ChangePasswordBody,
    responses(
        (status = 200, description = "Changed", body = Revoked,
            example = json!({"ok": true, "revoked_sessions": 2})),
        (status = 303, description = "A browser's form post: to `/settings?done=password`, or back with `?error=<code>`"),
        ChangePasswordErrors,
    )
)]
fn change_password() {}

/// The signed-in user's sessions
///
/// Most recently used first; the asking one has `current: true`. `id` is
/// not the cookie's value.
#[utoipa::path(
    get,
    path = "/auth/sessions",
    tag = "accounts",
    security(("session" = [])),
    responses(
        (status = 200, description = "The sessions", body = SessionList,
            example = json!({"ok": true, "sessions": [{"id": "s_3f9a", "created_at": 1764750000, "last_seen_at": 1764836400, "ip": "203.0.113.7", "user_agent": "Mozilla/5.0", "current": true}]})),
        ReadErrors,
    )
)]
fn list_sessions() {}

/// Ends one session, or every other one
#[utoipa::path(
    post,
    path = "/auth/sessions/revoke",
    tag = "accounts",
    security(("session" = [])),
    request_body = RevokeSessionsBody,
    responses(
        (status = 200, description = "Ended", body = Revoked,
            example = json!({"ok": true, "revoked_sessions": 3})),
        (status = 303, description = "A browser's form post: to `/settings?done=sessions`, or back with `?error=<code>`"),
        RevokeErrors,
    )
)]
fn revoke_sessions() {}

/// Sets the display name and phone
///
/// An absent field stays as it is; an empty phone removes it.
#[utoipa::path(
    post,
    path = "/auth/profile",
    tag = "accounts",
    security(("session" = [])),
    request_body = ProfileBody,
    responses(
        (status = 200, description = "Saved", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/settings?done=profile`, or back with `?error=<code>`"),
        ProfileErrors,
    )
)]
fn update_profile() {}

/// Deletes the account
///
/// The account, its sessions, conversations and messages are gone; the
/// audit log keeps the event. The password is required.
#[utoipa::path(
    post,
    path = "/auth/account/delete",
    tag = "accounts",
    security(("session" = [])),
    request_body = DeleteAccountBody,
    responses(
        (status = 200, description = "Deleted, and signed out", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/login`, or back with `?error=<code>`"),
        DeleteErrors,
    )
)]
fn delete_account() {}

/// Starts two-factor setup
///
/// A new secret, its `otpauth://` link and the QR code of it (SVG).
/// Nothing is on until `POST /auth/mfa/enable` gets a right code. Takes no
/// body.
#[utoipa::path(
    post,
    path = "/auth/mfa/setup",
    tag = "accounts",
    security(("session" = [])),
    responses(
        (status = 200, description = "The new secret", body = MfaSetup,
            example = json!({"ok": true, "secret": "JBSWY3DPEHPK3PXP", "otpauth_url": "otpauth://totp/Palaver:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Palaver", "qr_svg": "<svg ...>"})),
        MfaSetupErrors,
    )
)]
fn mfa_setup() {}
errors!(MfaSetupErrors:
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::SessionRequired,
    AppError::MfaAlreadyEnabled,
);

/// Turns two-factor sign-in on
///
/// With a right code for the secret of `POST /auth/mfa/setup`. Answers
/// ten recovery codes, shown this once (they are stored hashed).
#[utoipa::path(
    post,
    path = "/auth/mfa/enable",
    tag = "accounts",
    security(("session" = [])),
    request_body = MfaCodeBody,
    responses(
        (status = 200, description = "On", body = RecoveryCodes,
            example = json!({"ok": true, "recovery_codes": ["4f7k-9q2m", "8d3x-1c6v"]})),
        (status = 303, description = "A browser's form post: to `/settings?done=mfa`, or back with `?error=<code>`"),
        EnableErrors,
    )
)]
fn mfa_enable() {}

/// Turns two-factor sign-in off
///
/// The password and a code (or a recovery code) are required.
#[utoipa::path(
    post,
    path = "/auth/mfa/disable",
    tag = "accounts",
    security(("session" = [])),
    request_body = MfaDisableBody,
    responses(
        (status = 200, description = "Off", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/settings?done=mfa_off`, or back with `?error=<code>`"),
        DisableErrors,
    )
)]
fn mfa_disable() {}

/// The signed-in user's recent security events
///
/// Sign-ins, password and two-factor changes, sessions ended: newest
/// first, at most 20.
#[utoipa::path(
    get,
    path = "/auth/security-events",
    tag = "accounts",
    security(("session" = [])),
    responses(
        (status = 200, description = "The events", body = MyEvents,
            example = json!({"ok": true, "events": [{"id": 41, "at": 1764836400, "kind": "login", "user_id": 1, "actor_id": 1, "ip": "203.0.113.7", "detail": "{}"}]})),
        ReadErrors,
    )
)]
fn my_security_events() {}

/// Sends the e-mail verification link again
///
/// At most 3 an hour. Takes no body.
#[utoipa::path(
    post,
    path = "/auth/verify-email/resend",
    tag = "accounts",
    security(("session" = [])),
    responses(
        (status = 200, description = "Sent", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/app?verify=sent`"),
        ResendErrors,
    )
)]
fn resend_verification() {}

/// Follows the link of a verification mail
///
/// Verifies the address (the link works once, for 24 hours), then `303`
/// to `/app`; a used, expired or unknown link goes to
/// `/app?verify=invalid`, where a new one can be asked for.
#[utoipa::path(
    get,
    path = "/auth/verify-email",
    tag = "accounts",
    params(("token" = String, Query, description = "The `token` of the link in the mail", example = "x3b8...from the mail")),
    responses(
        (status = 303, description = "To `/app` when verified, or `/app?verify=invalid`",
            headers(("location" = String, description = "`/app` or `/app?verify=invalid`"))),
        VerifyEmailErrors,
    )
)]
fn verify_email() {}
