//! `FormOrJson`: one server-function input codec for both kinds of caller.
//!
//! The pages post `application/x-www-form-urlencoded` (so they work with
//! JavaScript off); API clients post `application/json`. The server decides by
//! the request's `Content-Type`; the browser build always sends a form.
//! Rust's orphan rule forbids a blanket impl over every argument type, so
//! [`form_or_json!`] implements the codec for each server function's argument
//! struct.

use http::Method;
use server_fn::{codec::Encoding, ContentType};

/// Accepts a form post or a JSON body; answers with whatever the output codec says.
pub struct FormOrJson;

impl ContentType for FormOrJson {
    const CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";
}

impl Encoding for FormOrJson {
    const METHOD: Method = Method::POST;
}

/// Parses a request body by content type: JSON when it says JSON, else a form.
/// An empty JSON body counts as `{}`, so `curl -X POST -H 'content-type:
/// application/json' /auth/logout` works.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    content_type: Option<&str>,
    body: &str,
) -> Result<T, String> {
    let is_json = content_type
        .map(|ct| ct.trim_start().to_ascii_lowercase())
        .is_some_and(|ct| ct.starts_with("application/json") || ct.contains("+json"));
    if is_json {
        let body = if body.trim().is_empty() { "{}" } else { body };
        serde_json::from_str(body).map_err(|e| format!("invalid JSON body: {e}"))
    } else {
        serde_qs::Config::new(5, false)
            .deserialize_str(body)
            .map_err(|e| format!("invalid form body: {e}"))
    }
}

/// Implements [`FormOrJson`] for server-function argument structs.
#[macro_export]
macro_rules! form_or_json {
    ($($args:ty),* $(,)?) => {$(
        impl<E, R> server_fn::codec::IntoReq<$crate::api::codec::FormOrJson, R, E> for $args
        where
            R: server_fn::request::ClientReq<E>,
            E: server_fn::error::FromServerFnError,
        {
            fn into_req(self, path: &str, accepts: &str) -> Result<R, E> {
                <Self as server_fn::codec::IntoReq<server_fn::codec::PostUrl, R, E>>::into_req(
                    self, path, accepts,
                )
            }
        }

        impl<E, R> server_fn::codec::FromReq<$crate::api::codec::FormOrJson, R, E> for $args
        where
            R: server_fn::request::Req<E> + Send + 'static,
            E: server_fn::error::FromServerFnError,
        {
            async fn from_req(req: R) -> Result<Self, E> {
                use server_fn::error::IntoAppError;
                let content_type = req.to_content_type().map(|c| c.into_owned());
                let body = req.try_into_string().await?;
                $crate::api::codec::parse_body(content_type.as_deref(), &body)
                    .map_err(|e| server_fn::error::ServerFnErrorErr::Args(e).into_app_error())
            }
        }
    )*};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Login {
        identifier: String,
        password: String,
        next: Option<String>,
    }

    #[test]
    fn reads_json_and_forms_alike() {
        let json: Login = parse_body(
            Some("application/json"),
            r#"{"identifier":"a@b.c","password":"pw"}"#,
        )
        .unwrap();
        let form: Login = parse_body(
            Some("application/x-www-form-urlencoded"),
            "identifier=a%40b.c&password=pw",
        )
        .unwrap();
        assert_eq!(json, form);
        assert_eq!(json.next, None);
    }

    #[test]
    fn explains_what_is_wrong() {
        let missing = parse_body::<Login>(Some("application/json"), r#"{"identifier":"x"}"#);
        assert!(missing.unwrap_err().contains("missing field `password`"));
        let wrong = parse_body::<Login>(
            Some("application/json; charset=utf-8"),
            r#"{"identifier":1,"password":"x"}"#,
        );
        assert!(wrong.unwrap_err().contains("invalid type"));
        assert!(parse_body::<Login>(Some("application/json"), "{nope").is_err());
    }
}
