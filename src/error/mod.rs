//! `AppError`: the one error type that crosses the wire.
//!
//! On the wire it is `{"ok": false, "error": "<message>", "code": "<code>"}`
//! (see [`wire`] for the body and its few typed parameters); its HTTP status
//! comes from [`AppError::status`], the single mapping from errors to status
//! codes. Internal causes are logged where they happen and never shown.
//!
//! The code is the error's identity. The browser rebuilds an error from its
//! code alone, never from the text beside it, because Leptos carries a
//! serialised error in the page URL (`?__err=...`) and our no-JavaScript
//! redirects carry `?error=<code>`: a crafted link must not be able to put
//! words on our pages.

mod wire;

#[cfg(feature = "ssr")]
mod schema;
#[cfg(test)]
mod tests;

#[cfg(feature = "ssr")]
pub use wire::{router_failure, ErrorBody, ROUTER_FAILURES};

use std::fmt;

use http::StatusCode;
use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

use crate::domain::{DisplayNameError, EmailError, PasswordError, PhoneError};

/// Everything a caller may be told about a failure.
///
/// On the server it can list its variants (`strum::EnumIter`), so the API
/// document's list of codes is this enum's own ([`AppError::codes`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
#[serde(into = "wire::ErrorBody", from = "wire::WireError")]
pub enum AppError {
    /// The input is malformed; the message says how (for API clients; a page
    /// shows a fixed text, since the reason came over the wire).
    BadRequest(String),
    /// Not an e-mail address.
    InvalidEmail,
    /// The password breaks the policy. The reason is absent when only the
    /// code reached the page (a no-JavaScript redirect).
    WeakPassword(Option<PasswordError>),
    /// A display name that is blank, too long, or has control characters.
    InvalidDisplayName,
    /// Not a phone number.
    InvalidPhone,
    /// A reset token that is unknown, used, or expired.
    InvalidToken,
    /// A chat message with nothing but spaces.
    EmptyMessage,
    /// A chat message over the configured limit of `max` characters.
    MessageTooLong {
        /// The limit, in characters.
        max: usize,
    },
    /// A model that is not on offer.
    UnknownModel,
    /// A conversation title that is blank or over `max` characters.
    InvalidTitle {
        /// The limit, in characters.
        max: usize,
    },
    /// A system prompt over `max` characters.
    SystemPromptTooLong {
        /// The limit, in characters.
        max: usize,
    },
    /// An API key name that is blank or over `max` characters.
    InvalidKeyName {
        /// The limit, in characters.
        max: usize,
    },
    /// The account already has `max` API keys.
    TooManyKeys {
        /// The limit, in keys.
        max: usize,
    },
    /// Login failed, for whatever reason (wrong password, unknown user, rate limit).
    InvalidCredentials,
    /// No valid session.
    Unauthorized,
    /// A cross-site request to a state-changing endpoint.
    Forbidden,
    /// A call that changes the account, made with an API key: it needs the
    /// signed-in session of a person.
    SessionRequired,
    /// `SIGNUP_MODE=closed`: only admins make accounts.
    SignupClosed,
    /// The account waits for an admin's approval.
    PendingApproval,
    /// The account must confirm its address first.
    EmailUnverified,
    /// The password was right; the second factor is still to come.
    MfaRequired,
    /// A wrong, used or expired TOTP or recovery code. `at_sign_in` says
    /// which status it gets: 401 during sign-in, 400 when turning MFA on or
    /// off (the contract's two answers for the same code).
    InvalidMfaCode {
        /// True during sign-in.
        at_sign_in: bool,
    },
    /// Two-factor sign-in is already on.
    MfaAlreadyEnabled,
    /// Two-factor sign-in is not on.
    MfaNotEnabled,
    /// The change would leave no active administrator.
    LastAdmin,
    /// The thing does not exist (or belongs to someone else).
    NotFound,
    /// The e-mail address belongs to another account.
    EmailTaken,
    /// The body is over the size limit.
    PayloadTooLarge,
    /// Too many requests in the current window.
    RateLimited,
    /// A dependency (database, mail, model) is down.
    Unavailable,
    /// A feature needs configuration first; the message says what to set.
    NotConfigured(String),
    /// A bug or an unexpected failure; details are in the server log.
    Internal,
}

impl AppError {
    /// The HTTP status for this error: the one place where that is decided.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_)
            | Self::InvalidEmail
            | Self::WeakPassword(_)
            | Self::InvalidDisplayName
            | Self::InvalidPhone
            | Self::InvalidToken
            | Self::EmptyMessage
            | Self::MessageTooLong { .. }
            | Self::UnknownModel
            | Self::InvalidTitle { .. }
            | Self::SystemPromptTooLong { .. }
            | Self::InvalidKeyName { .. }
            | Self::InvalidMfaCode { at_sign_in: false }
            | Self::MfaNotEnabled
            | Self::LastAdmin => StatusCode::BAD_REQUEST,
            Self::InvalidCredentials
            | Self::Unauthorized
            | Self::MfaRequired
            | Self::InvalidMfaCode { at_sign_in: true } => StatusCode::UNAUTHORIZED,
            Self::Forbidden
            | Self::SessionRequired
            | Self::SignupClosed
            | Self::PendingApproval
            | Self::EmailUnverified => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::EmailTaken | Self::TooManyKeys { .. } | Self::MfaAlreadyEnabled => {
                StatusCode::CONFLICT
            }
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::NotConfigured(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable name: `code` in every failure body, and
    /// `?error=<code>` in no-JavaScript redirects. [`AppError::from_code`]
    /// is its inverse.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::InvalidEmail => "invalid_email",
            Self::WeakPassword(_) => "weak_password",
            Self::InvalidDisplayName => "invalid_display_name",
            Self::InvalidPhone => "invalid_phone",
            Self::InvalidToken => "invalid_token",
            Self::EmptyMessage => "empty_message",
            Self::MessageTooLong { .. } => "message_too_long",
            Self::UnknownModel => "unknown_model",
            Self::InvalidTitle { .. } => "invalid_title",
            Self::SystemPromptTooLong { .. } => "system_prompt_too_long",
            Self::InvalidKeyName { .. } => "invalid_key_name",
            Self::TooManyKeys { .. } => "too_many_keys",
            Self::SessionRequired => "session_required",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::SignupClosed => "signup_closed",
            Self::PendingApproval => "pending_approval",
            Self::EmailUnverified => "email_unverified",
            Self::MfaRequired => "mfa_required",
            Self::InvalidMfaCode { .. } => "invalid_mfa_code",
            Self::MfaAlreadyEnabled => "mfa_already_enabled",
            Self::MfaNotEnabled => "mfa_not_enabled",
            Self::LastAdmin => "last_admin",
            Self::NotFound => "not_found",
            Self::EmailTaken => "email_taken",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::NotConfigured(_) => "not_configured",
            Self::Internal => "internal",
        }
    }
}

/// The message in the current language (`crate::lang::current`): the
/// request's on the server, the page's in the browser.
impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::tr;
        match self {
            // Details for API clients (serde's words, setting names): as
            // the server wrote them. Pages show a fixed text instead.
            Self::BadRequest(msg) | Self::NotConfigured(msg) => f.write_str(msg),
            Self::InvalidEmail => f.write_str(tr!(errors.invalid_email)),
            Self::WeakPassword(Some(reason)) => reason.fmt(f),
            // The reason did not reach the page: state the whole policy.
            Self::WeakPassword(None) => f.write_str(tr!(errors.weak_password)),
            Self::InvalidDisplayName => f.write_str(tr!(errors.invalid_display_name)),
            Self::InvalidPhone => f.write_str(tr!(errors.invalid_phone)),
            Self::InvalidToken => f.write_str(tr!(errors.invalid_token)),
            Self::EmptyMessage => f.write_str(tr!(errors.empty_message)),
            Self::MessageTooLong { max } => f.write_str(&tr!(errors.message_too_long, max = *max)),
            Self::UnknownModel => f.write_str(tr!(errors.unknown_model)),
            Self::InvalidTitle { max } => f.write_str(&tr!(errors.invalid_title, max = *max)),
            Self::SystemPromptTooLong { max } => {
                f.write_str(&tr!(errors.system_prompt_too_long, max = *max))
            }
            Self::InvalidCredentials => f.write_str(tr!(errors.invalid_credentials)),
            Self::Unauthorized => f.write_str(tr!(errors.unauthorized)),
            Self::Forbidden => f.write_str(tr!(errors.forbidden)),
            Self::SessionRequired => f.write_str(tr!(errors.session_required)),
            Self::InvalidKeyName { max } => f.write_str(&tr!(errors.invalid_key_name, max = *max)),
            Self::TooManyKeys { max } => f.write_str(&tr!(errors.too_many_keys, max = *max)),
            Self::SignupClosed => f.write_str(tr!(errors.signup_closed)),
            Self::PendingApproval => f.write_str(tr!(errors.pending_approval)),
            Self::EmailUnverified => f.write_str(tr!(errors.email_unverified)),
            Self::MfaRequired => f.write_str(tr!(errors.mfa_required)),
            Self::InvalidMfaCode { .. } => f.write_str(tr!(errors.invalid_mfa_code)),
            Self::MfaAlreadyEnabled => f.write_str(tr!(errors.mfa_already_enabled)),
            Self::MfaNotEnabled => f.write_str(tr!(errors.mfa_not_enabled)),
            Self::LastAdmin => f.write_str(tr!(errors.last_admin)),
            Self::NotFound => f.write_str(tr!(errors.not_found)),
            Self::EmailTaken => f.write_str(tr!(errors.email_taken)),
            Self::PayloadTooLarge => f.write_str(tr!(errors.payload_too_large)),
            Self::RateLimited => f.write_str(tr!(errors.rate_limited)),
            Self::Unavailable => f.write_str(tr!(errors.unavailable)),
            Self::Internal => f.write_str(tr!(errors.internal)),
        }
    }
}

impl std::error::Error for AppError {}

impl From<EmailError> for AppError {
    fn from(_: EmailError) -> Self {
        Self::InvalidEmail
    }
}

impl From<PasswordError> for AppError {
    fn from(reason: PasswordError) -> Self {
        Self::WeakPassword(Some(reason))
    }
}

impl From<DisplayNameError> for AppError {
    fn from(_: DisplayNameError) -> Self {
        Self::InvalidDisplayName
    }
}

impl From<PhoneError> for AppError {
    fn from(_: PhoneError) -> Self {
        Self::InvalidPhone
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Framework failures: bad arguments are the caller's fault (400); a
    /// failed request from the browser is a network problem; the rest is ours.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg)
            | ServerFnErrorErr::Deserialization(msg)
            | ServerFnErrorErr::Response(msg)
                if msg.contains("length limit exceeded") =>
            {
                Self::PayloadTooLarge
            }
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                Self::BadRequest(format!("Invalid request: {msg}"))
            }
            ServerFnErrorErr::MissingArg(name) => {
                Self::BadRequest(format!("Invalid request: missing argument `{name}`"))
            }
            ServerFnErrorErr::Request(_) => Self::Unavailable,
            _ => Self::Internal,
        }
    }

    /// Serialises the error, and on the server sets the response status from
    /// [`AppError::status`] (unless the handler already chose a redirect for a
    /// plain form post).
    fn ser(&self) -> bytes::Bytes {
        #[cfg(feature = "ssr")]
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            let redirecting = res
                .0
                .read()
                .map(|p| p.status)
                .ok()
                .flatten()
                .is_some_and(|s| s.is_redirection());
            if !redirecting {
                res.set_status(self.status());
            }
        }
        <JsonEncoding as server_fn::Encodes<Self>>::encode(self).unwrap_or_else(|_| {
            bytes::Bytes::from_static(
                br#"{"ok":false,"error":"Something went wrong on our side","code":"internal"}"#,
            )
        })
    }

    /// Decodes an error body. This also reads `?__err=` from a page URL, so
    /// a body that does not parse becomes the generic message instead of the
    /// framework's default, whose parser error would quote the crafted text.
    fn de(data: bytes::Bytes) -> Self {
        <JsonEncoding as server_fn::Decodes<Self>>::decode(data).unwrap_or_else(|_| Self::generic())
    }
}

/// For handlers outside server functions (guards, `/api/chat`): the same
/// JSON body and status as a server-function error.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        (self.status(), axum::Json(wire::ErrorBody::from(self))).into_response()
    }
}

/// A JSON body the `Json` extractor refused: over the size limit (413), or
/// not the expected shape (400, with serde's reason for API clients).
#[cfg(feature = "ssr")]
impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::PayloadTooLarge
        } else {
            Self::BadRequest(format!("Invalid request: {}", rejection.body_text()))
        }
    }
}
