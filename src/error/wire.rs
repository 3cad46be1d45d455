//! The JSON form of an [`AppError`]: what the server writes, and the little
//! that a reader may take back: the code, and the typed parameters of the
//! few errors that have one. Every text a page shows is fixed here or in
//! `Display`.

use serde::{Deserialize, Serialize};

use super::AppError;
use crate::domain::PasswordError;

/// What the server writes: the contract's `{"ok": false, "error": "...",
/// "code": "..."}`, plus the typed parameter of the few errors that have one.
#[derive(Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Error))]
pub struct ErrorBody {
    /// Always false.
    ok: bool,
    /// The message for people, in the request's language; API clients may
    /// show it. Pages never read it.
    error: String,
    /// What went wrong, for programs: stable, never translated.
    #[cfg_attr(feature = "ssr", schema(schema_with = super::schema::codes))]
    code: &'static str,
    /// For `weak_password`: which rule the password broke.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<PasswordError>,
    /// For `message_too_long`, `invalid_title`, `system_prompt_too_long` and
    /// `invalid_key_name`: the limit, in characters; for `too_many_keys`, in
    /// keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<usize>,
}

/// What the router answers by itself on `/auth/*` and `/api/*` (an unknown
/// path, a wrong method...), as `(status, code, message)`; the JSON-errors
/// layer (`server::guard`) writes them. Any other client error is
/// `bad_request`, a server error `internal`.
#[cfg(feature = "ssr")]
pub const ROUTER_FAILURES: &[(http::StatusCode, &str, &str)] = &[
    (http::StatusCode::NOT_FOUND, "not_found", "Not found"),
    (
        http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This method is not allowed here",
    ),
    (
        http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "Send JSON or a form",
    ),
    (
        http::StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "Request body too large",
    ),
];

/// The code and message for a failure the router answered by itself.
#[cfg(feature = "ssr")]
pub fn router_failure(status: http::StatusCode) -> (&'static str, &'static str) {
    match ROUTER_FAILURES.iter().find(|(s, _, _)| *s == status) {
        Some((_, code, message)) => (code, message),
        None if status.is_server_error() => ("internal", "Something went wrong on our side"),
        None => ("bad_request", "The request could not be read"),
    }
}

impl From<AppError> for ErrorBody {
    fn from(err: AppError) -> Self {
        let (reason, max) = match &err {
            AppError::WeakPassword(reason) => (*reason, None),
            AppError::MessageTooLong { max }
            | AppError::InvalidTitle { max }
            | AppError::SystemPromptTooLong { max }
            | AppError::InvalidKeyName { max }
            | AppError::TooManyKeys { max } => (None, Some(*max)),
            _ => (None, None),
        };
        Self {
            ok: false,
            error: err.to_string(),
            code: err.code(),
            reason,
            max,
        }
    }
}

/// What a reader takes back from a body: the code and the typed
/// parameters. `error` is left unread on purpose, so no text from the wire
/// (or from a crafted `?__err=` in a URL) ever reaches a page.
#[derive(Deserialize)]
pub(super) struct WireError {
    #[serde(default, deserialize_with = "lenient")]
    code: Option<String>,
    /// An unknown reason is dropped, not an error: the code still stands.
    #[serde(default, deserialize_with = "lenient")]
    reason: Option<PasswordError>,
    #[serde(default, deserialize_with = "lenient")]
    max: Option<usize>,
}

impl From<WireError> for AppError {
    fn from(wire: WireError) -> Self {
        Self::rebuild(
            wire.code.as_deref().unwrap_or_default(),
            wire.reason,
            wire.max,
        )
    }
}

/// Reads an optional parameter, treating a value of the wrong shape as absent.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

impl AppError {
    /// The error a code names, for a page that got only the code back (a
    /// no-JavaScript redirect). Nothing but the code is read: an unknown
    /// code, or one that needs a parameter the URL does not carry, gets the
    /// generic "check the form" message.
    pub fn from_code(code: &str) -> Self {
        Self::rebuild(code, None, None)
    }

    /// The error a no-JavaScript redirect names: its code, and for a weak
    /// password the rule's fixed name (an unknown one is dropped).
    pub fn from_query(code: &str, reason: Option<&str>) -> Self {
        Self::rebuild(code, reason.and_then(PasswordError::from_name), None)
    }

    /// The one mapping from a code (and its typed parameters) back to an
    /// error. Texts are fixed here, never taken from outside.
    pub(super) fn rebuild(code: &str, reason: Option<PasswordError>, max: Option<usize>) -> Self {
        match code {
            "invalid_email" => Self::InvalidEmail,
            "weak_password" => Self::WeakPassword(reason),
            "invalid_display_name" => Self::InvalidDisplayName,
            "invalid_phone" => Self::InvalidPhone,
            "invalid_token" => Self::InvalidToken,
            "empty_message" => Self::EmptyMessage,
            "message_too_long" => match max {
                Some(max) => Self::MessageTooLong { max },
                None => Self::generic(),
            },
            "unknown_model" => Self::UnknownModel,
            "invalid_title" => match max {
                Some(max) => Self::InvalidTitle { max },
                None => Self::generic(),
            },
            "system_prompt_too_long" => match max {
                Some(max) => Self::SystemPromptTooLong { max },
                None => Self::generic(),
            },
            "invalid_key_name" => match max {
                Some(max) => Self::InvalidKeyName { max },
                None => Self::generic(),
            },
            "too_many_keys" => match max {
                Some(max) => Self::TooManyKeys { max },
                None => Self::generic(),
            },
            "session_required" => Self::SessionRequired,
            "signup_closed" => Self::SignupClosed,
            "pending_approval" => Self::PendingApproval,
            "email_unverified" => Self::EmailUnverified,
            "mfa_required" => Self::MfaRequired,
            "invalid_mfa_code" => Self::InvalidMfaCode { at_sign_in: true },
            "mfa_already_enabled" => Self::MfaAlreadyEnabled,
            "mfa_not_enabled" => Self::MfaNotEnabled,
            "last_admin" => Self::LastAdmin,
            "invalid_credentials" => Self::InvalidCredentials,
            "unauthorized" => Self::Unauthorized,
            "forbidden" => Self::Forbidden,
            "not_found" => Self::NotFound,
            "email_taken" => Self::EmailTaken,
            "payload_too_large" => Self::PayloadTooLarge,
            "rate_limited" => Self::RateLimited,
            "unavailable" => Self::Unavailable,
            "not_configured" =>
            // The server's own message names settings, which are for the
            // operator, and cannot be taken from the wire.
            {
                Self::NotConfigured(crate::tr!(errors.not_configured).to_owned())
            }
            "internal" => Self::Internal,
            // "bad_request" included: its reason stayed with the server.
            _ => Self::generic(),
        }
    }

    /// The error a page shows when it may not trust what it was given.
    pub(super) fn generic() -> Self {
        // No words it may trust: an unknown code, a garbled body, or a 400
        // whose reason stayed on the server.
        Self::BadRequest(crate::tr!(errors.check_the_form).to_owned())
    }
}
