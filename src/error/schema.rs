//! The error body in the API document (`GET /api/openapi.json`): its list
//! of codes comes from the enum itself, so a new variant is documented the
//! moment it exists.

use strum::IntoEnumIterator;
use utoipa::openapi::{schema::Type, Object, ObjectBuilder};

use super::{AppError, ROUTER_FAILURES};

impl AppError {
    /// Every code a failure body can carry, each once: every variant's, in
    /// the enum's order, then those the router answers by itself.
    pub fn codes() -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = Vec::new();
        let all = Self::iter()
            .map(|e| e.code())
            .chain(ROUTER_FAILURES.iter().map(|(_, code, _)| *code));
        for code in all {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        codes
    }

    /// The status a code is answered with: the variant's
    /// [`AppError::status`], or the router's.
    pub fn status_of(code: &str) -> Option<http::StatusCode> {
        Self::iter()
            .find(|e| e.code() == code)
            .map(|e| e.status())
            .or_else(|| {
                ROUTER_FAILURES
                    .iter()
                    .find(|(_, c, _)| *c == code)
                    .map(|(status, _, _)| *status)
            })
    }
}

/// The `code` property: a string, one of [`AppError::codes`].
pub(super) fn codes() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(AppError::codes()))
        .description(Some(
            "What went wrong, for programs: stable, never translated. \
             Which status carries which code is in each answer's description.",
        ))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_and_router_failure_has_its_code_listed_once() {
        let codes = AppError::codes();
        for err in AppError::iter() {
            assert!(codes.contains(&err.code()), "{} missing", err.code());
        }
        for code in ["not_found", "method_not_allowed", "unsupported_media_type"] {
            assert!(codes.contains(&code), "{code} missing");
        }
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }

    #[test]
    fn a_code_knows_its_status() {
        assert_eq!(
            AppError::status_of("weak_password"),
            Some(http::StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            AppError::status_of("method_not_allowed"),
            Some(http::StatusCode::METHOD_NOT_ALLOWED)
        );
        assert_eq!(AppError::status_of("no_such_code"), None);
    }
}
