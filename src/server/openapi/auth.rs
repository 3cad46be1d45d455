//! Accounts: `/auth/register`, `/auth/login`, `/auth/mfa/verify`,
//! `/auth/logout`, `/auth/me`
//! and `/auth/password/*`, all server functions (`src/api/auth.rs`,
//! `src/api/password.rs`).

#![allow(dead_code)] // The functions and `...Body` structs only describe.

use utoipa::{OpenApi, ToSchema};

use super::errors::errors;
use crate::{
    api::{
        auth::{Done, LoginDone, MeResponse},
        password::{LinkState, ResetResponse},
    },
    domain::PasswordError,
    error::AppError,
};

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(
    register,
    login,
    mfa_verify,
    logout,
    me,
    forgot_password,
    reset_password,
    check_reset_link
))]
pub(super) struct Doc;

/// `POST /auth/register`.
#[derive(ToSchema)]
#[schema(example = json!({"email": "ada@example.com", "password": "correct-horse-9", "display_name": "Ada"}))]
pub(super) struct RegisterBody {
    /// An e-mail address; trimmed and compared lower-case.
    email: String,
    /// 8 to 128 characters, with at least two of letters, digits and
    /// other characters, and not a common password.
    password: String,
    /// The name shown in the app; the address' local part when absent.
    display_name: Option<String>,
    /// A phone number, if wanted.
    phone: Option<String>,
    /// Pages only: where a form post goes once it succeeded.
    next: Option<String>,
}

/// `POST /auth/login`.
#[derive(ToSchema)]
#[schema(example = json!({"identifier": "ada@example.com", "password": "correct-horse-9"}))]
pub(super) struct LoginBody {
    /// The e-mail address, in any case.
    identifier: String,
    /// The password.
    password: String,
    /// Pages only: where a form post goes once signed in.
    next: Option<String>,
}

/// `POST /auth/mfa/verify`.
#[derive(ToSchema)]
#[schema(example = json!({"code": "492039"}))]
pub(super) struct MfaVerifyBody {
    /// The 6-digit code of the authenticator app, or a recovery code.
    code: String,
    /// Pages only: where a form post goes once signed in.
    next: Option<String>,
}

/// `POST /auth/password/forgot`.
#[derive(ToSchema)]
#[schema(example = json!({"identifier": "ada@example.com"}))]
pub(super) struct ForgotBody {
    /// The e-mail address of the account.
    identifier: String,
}

/// `POST /auth/password/reset`.
#[derive(ToSchema)]
#[schema(example = json!({"token": "x3b8...from the mail", "password": "new-horse-42"}))]
pub(super) struct ResetBody {
    /// The `token` of the link in the mail.
    token: String,
    /// The new password, under the same rules as at registration.
    password: String,
}

/// `POST /auth/password/check`.
#[derive(ToSchema)]
#[schema(example = json!({"token": "x3b8...from the mail"}))]
pub(super) struct CheckBody {
    /// The `token` of the link in the mail.
    token: String,
}

errors!(RegisterErrors:
    AppError::BadRequest("Invalid request: missing field `password`".into()),
    AppError::InvalidEmail,
    AppError::WeakPassword(Some(PasswordError::TooShort)),
    AppError::InvalidDisplayName,
    AppError::InvalidPhone,
    AppError::Forbidden,
    AppError::SignupClosed,
    AppError::EmailTaken,
    AppError::PayloadTooLarge,
    AppError::RateLimited,
);
errors!(LoginErrors:
    AppError::BadRequest("Invalid request: missing field `password`".into()),
    AppError::InvalidCredentials,
    AppError::Forbidden,
    AppError::PayloadTooLarge,
);
errors!(MfaVerifyErrors:
    AppError::BadRequest("Invalid request: missing field `code`".into()),
    AppError::Unauthorized,
    AppError::InvalidMfaCode { at_sign_in: true },
    AppError::Forbidden,
    AppError::PayloadTooLarge,
    AppError::RateLimited,
);
errors!(LogoutErrors: AppError::Forbidden);
errors!(MeErrors: AppError::Unauthorized, AppError::MfaRequired);
errors!(ForgotErrors:
    AppError::BadRequest("Invalid request: missing field `identifier`".into()),
    AppError::Forbidden,
    AppError::PayloadTooLarge,
);
errors!(ResetErrors:
    AppError::BadRequest("Invalid request: missing field `token`".into()),
    AppError::InvalidToken,
    AppError::WeakPassword(Some(PasswordError::OneKindOfCharacter)),
    AppError::Forbidden,
    AppError::PayloadTooLarge,
);
errors!(CheckErrors:
    AppError::BadRequest("Invalid request: missing field `token`".into()),
    AppError::Forbidden,
);

/// Creates an account and signs it in
///
/// The new account's session starts at once (the session cookie is set),
/// as after `/auth/login`. A browser's form post (`Accept: text/html`) is
/// answered with a `303` to `next` or `/app` instead, or back to
/// `/register?error=<code>`.
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "accounts",
    request_body = RegisterBody,
    responses(
        (status = 201, description = "Created, and signed in", body = Done,
            headers(("set-cookie" = String, description = "The new session cookie")),
            example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to the next page, or back with `?error=<code>`"),
        RegisterErrors,
    )
)]
fn register() {}

/// Signs in
///
/// Starts a new session (a new session id, in the session cookie). Every
/// failure is the same `401 invalid_credentials`, rate limits included,
/// so that an answer never tells which accounts exist.
///
/// For an account with two-factor sign-in on, a right password answers
/// `{"ok": true, "mfa_required": true}` and a session that can only call
/// `/auth/mfa/verify` and `/auth/logout` (`/auth/me` answers `401
/// mfa_required`).
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "accounts",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in, or the code is still to come (`mfa_required`)", body = LoginDone,
            headers(("set-cookie" = String, description = "The session cookie: `HttpOnly; SameSite=Lax; Path=/`, `Secure` in production")),
            examples(
                ("signed in" = (summary = "Signed in", value = json!({"ok": true}))),
                ("code to come" = (summary = "Two-factor sign-in is on: call `/auth/mfa/verify`", value = json!({"ok": true, "mfa_required": true}))),
            )),
        (status = 303, description = "A browser's form post: to `next` (or `/mfa`), or back with `?error=<code>`"),
        LoginErrors,
    )
)]
fn login() {}

/// The second step of signing in: the two-factor code
///
/// After a `/auth/login` that answered `mfa_required`, with that session.
/// A right code gives a new session id with full rights. Five wrong codes
/// in 15 minutes per account, then `429`.
#[utoipa::path(
    post,
    path = "/auth/mfa/verify",
    tag = "accounts",
    security(("session" = [])),
    request_body = MfaVerifyBody,
    responses(
        (status = 200, description = "Signed in", body = Done,
            headers(("set-cookie" = String, description = "The new session cookie")),
            example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `next`, or back to `/mfa?error=<code>`"),
        MfaVerifyErrors,
    )
)]
fn mfa_verify() {}

/// Signs out
///
/// Always succeeds: the session is deleted on the server and its cookie
/// cleared; answers streaming to it end. Takes no body.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "accounts",
    responses(
        (status = 200, description = "Signed out (or was not signed in)", body = Done,
            example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/login`"),
        LogoutErrors,
    )
)]
fn logout() {}

/// The signed-in user
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Who is signed in", body = MeResponse,
            example = json!({"ok": true, "user": {"id": 1, "uid": "u_9QmZ3kq1", "email": "ada@example.com",
                "phone": null, "display_name": "Ada", "is_active": true, "lang": "en",
                "role": "admin", "mfa": false, "email_verified": true}})),
        MeErrors,
    )
)]
fn me() {}

/// Asks for a password-reset link
///
/// Always `200`, whether the address is known, unknown or over its rate
/// limit, so the answer tells nothing. A known address gets a mail whose
/// link is `<PUBLIC_BASE_URL>/reset-password?token=<token>`, valid once
/// for `PWRESET_TOKEN_TTL` seconds.
#[utoipa::path(
    post,
    path = "/auth/password/forgot",
    tag = "accounts",
    request_body = ForgotBody,
    responses(
        (status = 200, description = "Accepted", body = Done, example = json!({"ok": true})),
        (status = 303, description = "A browser's form post: to `/forgot-password?sent=1`"),
        ForgotErrors,
    )
)]
fn forgot_password() {}

/// Sets a new password with the token from the mail
///
/// Every session of the account ends.
#[utoipa::path(
    post,
    path = "/auth/password/reset",
    tag = "accounts",
    request_body = ResetBody,
    responses(
        (status = 200, description = "The password is set", body = ResetResponse,
            example = json!({"ok": true, "revoked_sessions": 2})),
        (status = 303, description = "A browser's form post: to `/login?reset=1`, or back with `?error=<code>`"),
        ResetErrors,
    )
)]
fn reset_password() {}

/// Tells whether a reset link still works, without using it
#[utoipa::path(
    post,
    path = "/auth/password/check",
    tag = "accounts",
    request_body = CheckBody,
    responses(
        (status = 200, description = "`valid` is true while the link can still set a password",
            body = LinkState, example = json!({"ok": true, "valid": false})),
        CheckErrors,
    )
)]
fn check_reset_link() {}
