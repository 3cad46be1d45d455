//! A call's failures in the document, from real [`AppError`] values: each
//! answer's status is the error's own [`AppError::status`], and each
//! example is the body the server writes for it (in English).

use std::collections::BTreeMap;

use utoipa::openapi::{
    example::ExampleBuilder, ContentBuilder, Ref, RefOr, Response, ResponseBuilder,
};

use crate::error::AppError;

/// Declares a call's failures: `errors!(LoginErrors: AppError::InvalidCredentials)`
/// makes `LoginErrors`, for `responses(..., LoginErrors)` in
/// `#[utoipa::path]`: one answer per status, with every listed error as
/// an example of it.
macro_rules! errors {
    ($name:ident: $($error:expr),+ $(,)?) => {
        #[doc = concat!("The failures of one call: ", stringify!($($error),+), ".")]
        pub(super) struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<
                String,
                utoipa::openapi::RefOr<utoipa::openapi::response::Response>,
            > {
                $crate::server::openapi::errors::responses(&[$($error),+])
            }
        }
    };
}
pub(crate) use errors;

/// The answers for `errors`, keyed by status.
pub fn responses(errors: &[AppError]) -> BTreeMap<String, RefOr<Response>> {
    let mut by_status: BTreeMap<u16, Vec<&AppError>> = BTreeMap::new();
    for error in errors {
        by_status
            .entry(error.status().as_u16())
            .or_default()
            .push(error);
    }
    by_status
        .into_iter()
        .map(|(status, errors)| (status.to_string(), response(&errors).into()))
        .collect()
}

/// One status' answer: the `Error` schema, a line per code in the
/// description, and an example per code.
fn response(errors: &[&AppError]) -> Response {
    let mut lines: Vec<String> = Vec::new();
    for e in errors {
        let line = match e {
            // Its message is the parser's; the rule is what a reader needs.
            AppError::BadRequest(_) => "`bad_request`: the body or query could not be read \
                (malformed JSON, a missing field, a wrong type); `error` says why"
                .to_owned(),
            _ => format!("`{}`: {e}", e.code()),
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    let description = lines.join("\n\n");
    let examples = errors.iter().map(|e| {
        let body = serde_json::to_value(e).expect("an error serialises");
        // One code may be listed twice (a weak password, for two reasons).
        let name = match body.get("reason").and_then(|r| r.as_str()) {
            Some(reason) => format!("{}: {reason}", e.code()),
            None => e.code().to_owned(),
        };
        (
            name,
            ExampleBuilder::new()
                .summary(e.code())
                .value(Some(body))
                .build(),
        )
    });
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Error")))
        .examples_from_iter(examples)
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
        .build()
}
