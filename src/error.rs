//! `AppError`: the one error type that crosses the wire.
//!
//! On the wire it is `{"ok": false, "error": "<message>", "code": "<code>"}`;
//! its HTTP status comes from [`AppError::status`], the single mapping from
//! errors to status codes. Internal causes are logged where they happen and
//! never shown.

use std::fmt;

use http::StatusCode;
use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// Everything a caller may be told about a failure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "ErrorBody", from = "ErrorBody")]
pub enum AppError {
    /// The input is malformed or breaks a rule; the message says which.
    BadRequest(String),
    /// Login failed, for whatever reason (wrong password, unknown user, rate limit).
    InvalidCredentials,
    /// No valid session.
    Unauthorized,
    /// A cross-site request to a state-changing endpoint.
    Forbidden,
    /// The thing does not exist (or belongs to someone else).
    NotFound,
    /// A unique value (e-mail, phone) is taken.
    Conflict(String),
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
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::InvalidCredentials | Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::NotConfigured(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable name, also used in no-JavaScript redirects
    /// (`/login?error=invalid_credentials`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict(_) => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::NotConfigured(_) => "not_configured",
            Self::Internal => "internal",
        }
    }

    /// The code put in a no-JavaScript redirect: like [`AppError::code`], but
    /// naming the rule a form broke, so the page can say which.
    pub fn redirect_code(&self) -> &'static str {
        match self {
            Self::BadRequest(msg) if msg == crate::domain::WEAK_PASSWORD => "weak_password",
            Self::BadRequest(msg) if msg == crate::domain::INVALID_EMAIL => "invalid_email",
            Self::BadRequest(msg) if msg == crate::domain::INVALID_RESET_LINK => "invalid_token",
            other => other.code(),
        }
    }

    /// The message for a code, for pages that only got the code back in a
    /// redirect. Unknown codes get a generic message, so a crafted URL cannot
    /// put arbitrary text on the page.
    pub fn message_for_code(code: &str) -> String {
        let err = match code {
            "invalid_credentials" => Self::InvalidCredentials,
            "unauthorized" => Self::Unauthorized,
            "forbidden" => Self::Forbidden,
            "conflict" => Self::Conflict("This e-mail address is already registered".into()),
            "payload_too_large" => Self::PayloadTooLarge,
            "rate_limited" => Self::RateLimited,
            "unavailable" => Self::Unavailable,
            "internal" => Self::Internal,
            "weak_password" => return crate::domain::WEAK_PASSWORD.to_owned(),
            "invalid_email" => return crate::domain::INVALID_EMAIL.to_owned(),
            "invalid_token" => return crate::domain::INVALID_RESET_LINK.to_owned(),
            _ => Self::BadRequest("Please check the form and try again".into()),
        };
        err.to_string()
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadRequest(msg) | Self::Conflict(msg) | Self::NotConfigured(msg) => {
                f.write_str(msg)
            }
            Self::InvalidCredentials => f.write_str("Invalid credentials"),
            Self::Unauthorized => f.write_str("Unauthorized"),
            Self::Forbidden => f.write_str("Cross-site request refused"),
            Self::NotFound => f.write_str("Not found"),
            Self::PayloadTooLarge => f.write_str("Request body too large"),
            Self::RateLimited => f.write_str("Too many requests; please wait and try again"),
            Self::Unavailable => f.write_str("The service is temporarily unavailable"),
            Self::Internal => f.write_str("Something went wrong on our side"),
        }
    }
}

impl std::error::Error for AppError {}

/// The JSON form of an error: exactly the contract's `{"ok": false, "error": "..."}`.
#[derive(Serialize, Deserialize)]
struct ErrorBody {
    ok: bool,
    error: String,
}

impl From<AppError> for ErrorBody {
    fn from(err: AppError) -> Self {
        Self {
            ok: false,
            error: err.to_string(),
        }
    }
}

impl From<ErrorBody> for AppError {
    /// The browser gets the variant back from the message: the fixed messages
    /// name their variant; any other text was a 400 (or 409) reason to show.
    fn from(body: ErrorBody) -> Self {
        const FIXED: [AppError; 8] = [
            AppError::InvalidCredentials,
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::PayloadTooLarge,
            AppError::RateLimited,
            AppError::Unavailable,
            AppError::Internal,
        ];
        FIXED
            .into_iter()
            .find(|e| e.to_string() == body.error)
            .unwrap_or(Self::BadRequest(body.error))
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
            bytes::Bytes::from_static(br#"{"ok":false,"error":"Something went wrong on our side"}"#)
        })
    }
}

/// For handlers outside server functions (guards, health): the same JSON body
/// and status as a server-function error.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        (self.status(), axum::Json(ErrorBody::from(self))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_matches_the_contract_and_round_trips() {
        let err = AppError::InvalidCredentials;
        let json = serde_json::to_value(&err).unwrap();
        let back: AppError = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, err);
        assert_eq!(
            json,
            serde_json::json!({"ok": false, "error": "Invalid credentials"})
        );
        let unauthorized: AppError =
            serde_json::from_value(serde_json::to_value(AppError::Unauthorized).unwrap()).unwrap();
        assert_eq!(unauthorized, AppError::Unauthorized);
        let reason: AppError = serde_json::from_value(
            serde_json::to_value(AppError::BadRequest("why".into())).unwrap(),
        )
        .unwrap();
        assert_eq!(reason, AppError::BadRequest("why".into()));
    }

    #[test]
    fn codes_never_echo_arbitrary_text() {
        assert_eq!(
            AppError::message_for_code("<script>"),
            "Please check the form and try again"
        );
        assert_eq!(
            AppError::message_for_code("invalid_credentials"),
            "Invalid credentials"
        );
    }
}
