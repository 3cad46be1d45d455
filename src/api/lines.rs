//! The codecs of the streamed chat calls (`api::chat_stream`).
//!
//! - Output [`JsonLines`]: the answer as `application/x-ndjson`, written as
//!   the server has it and read by the browser as it arrives ([`Lines`]).
//! - Input [`LaterJson`] and [`LaterQuery`]: the body (or query) is read
//!   before the server function runs, as every server function's is, but
//!   parsed only when the function asks ([`Later::read`]). The function
//!   checks sign-in and the rate limit first, so a signed-out caller learns
//!   nothing about its body, and a malformed request counts against the
//!   limit like any other.
//!
//! The orphan rule forbids implementing the input codecs over every
//! argument struct, so [`later_args!`] implements them for each server
//! function's own.

use std::pin::Pin;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use http::Method;
use serde::{de::DeserializeOwned, Serialize};
use server_fn::{
    codec::{Encoding, FromRes, IntoRes},
    error::FromServerFnError,
    response::{ClientRes, TryRes},
    ContentType,
};

use crate::error::AppError;

/// JSON lines out: `Content-Type: application/x-ndjson`.
pub struct JsonLines;

impl ContentType for JsonLines {
    const CONTENT_TYPE: &'static str = "application/x-ndjson";
}

impl Encoding for JsonLines {
    const METHOD: Method = Method::POST;
}

/// The body of a [`JsonLines`] answer. On the server, whole lines as the
/// reader writes them; in the browser, pieces of the body as they arrive,
/// cut anywhere (a line, even a character, may span two pieces). An `Err`
/// is the connection breaking.
pub struct Lines(Pin<Box<dyn Stream<Item = Result<Bytes, AppError>> + Send>>);

impl Lines {
    /// Lines from `stream`.
    pub fn new(stream: impl Stream<Item = Result<Bytes, AppError>> + Send + 'static) -> Self {
        Self(Box::pin(stream))
    }

    /// The next piece; `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<Bytes, AppError>> {
        self.0.next().await
    }
}

impl std::fmt::Debug for Lines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lines")
    }
}

impl<R: TryRes<AppError>> IntoRes<JsonLines, R, AppError> for Lines {
    async fn into_res(self) -> Result<R, AppError> {
        // Nothing fails once the lines flow: an error is itself a line.
        let body = self.0.map(|piece| piece.map_err(|e| e.ser()));
        R::try_from_stream(JsonLines::CONTENT_TYPE, body)
    }
}

impl<R: ClientRes<AppError> + Send> FromRes<JsonLines, R, AppError> for Lines {
    async fn from_res(res: R) -> Result<Self, AppError> {
        let body = res.try_into_stream()?;
        Ok(Self::new(body.map(|piece| piece.map_err(AppError::de))))
    }
}

/// A JSON body in, parsed when the server function asks ([`Later`]).
pub struct LaterJson;

impl ContentType for LaterJson {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl Encoding for LaterJson {
    const METHOD: Method = Method::POST;
}

/// A query string in (`GET`), parsed when the server function asks.
pub struct LaterQuery;

impl ContentType for LaterQuery {
    const CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";
}

impl Encoding for LaterQuery {
    const METHOD: Method = Method::GET;
}

/// A server function's argument that the browser gives as a value and the
/// server receives unparsed, to read after its own checks.
pub struct Later<T>(Given<T>);

enum Given<T> {
    Value(T),
    /// The body as read (reading it may have failed: too large, cut off),
    /// and whether it said it was JSON.
    Json {
        says_json: bool,
        body: Result<Bytes, AppError>,
    },
    Query(String),
}

impl<T> Later<T> {
    /// The argument, from the calling side.
    pub fn new(value: T) -> Self {
        Self(Given::Value(value))
    }

    /// What the server received as the body of a [`LaterJson`] call.
    pub fn json_body(content_type: Option<&str>, body: Result<Bytes, AppError>) -> Self {
        let says_json = content_type
            .map(|ct| ct.trim_start().to_ascii_lowercase())
            .is_some_and(|ct| ct.starts_with("application/json") || ct.contains("+json"));
        Self(Given::Json { says_json, body })
    }

    /// What the server received as the query of a [`LaterQuery`] call.
    pub fn query(query: Option<&str>) -> Self {
        Self(Given::Query(query.unwrap_or_default().to_owned()))
    }
}

impl<T: Serialize> Later<T> {
    /// The value as the calling side sends it: JSON, or a query string.
    pub fn encode(&self, as_query: bool) -> Result<String, AppError> {
        let Given::Value(value) = &self.0 else {
            return Err(AppError::Internal);
        };
        let encoded = if as_query {
            serde_qs::to_string(value).map_err(|e| e.to_string())
        } else {
            serde_json::to_string(value).map_err(|e| e.to_string())
        };
        encoded.map_err(|e| {
            AppError::from_server_fn_error(server_fn::error::ServerFnErrorErr::Serialization(e))
        })
    }
}

impl<T: DeserializeOwned> Later<T> {
    /// Parses what was received; the same `400 bad_request` (or `413
    /// payload_too_large`) as any other call's body that does not parse.
    pub fn read(self) -> Result<T, AppError> {
        let invalid = |why: String| AppError::BadRequest(format!("Invalid request: {why}"));
        match self.0 {
            Given::Value(value) => Ok(value),
            Given::Json { says_json, body } => {
                let body = body?;
                if !says_json {
                    return Err(invalid(
                        "Expected request with `Content-Type: application/json`".into(),
                    ));
                }
                serde_json::from_slice(&body)
                    .map_err(|e| invalid(format!("invalid JSON body: {e}")))
            }
            Given::Query(query) => serde_qs::Config::new(5, false)
                .deserialize_str(&query)
                .map_err(|e| invalid(e.to_string())),
        }
    }
}

impl<T> std::fmt::Debug for Later<T> {
    // The body is the person's message: not for logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Later(..)")
    }
}

/// Implements [`LaterJson`] or [`LaterQuery`] for the argument struct of a
/// server function whose one argument is `$field: Later<_>`.
#[macro_export]
macro_rules! later_args {
    ($args:ident { $field:ident }, json) => {
        impl<R> server_fn::codec::IntoReq<$crate::api::lines::LaterJson, R, $crate::error::AppError>
            for $args
        where
            R: server_fn::request::ClientReq<$crate::error::AppError>,
        {
            fn into_req(self, path: &str, accepts: &str) -> Result<R, $crate::error::AppError> {
                let body = self.$field.encode(false)?;
                R::try_new_post(path, "application/json", accepts, body)
            }
        }

        impl<R> server_fn::codec::FromReq<$crate::api::lines::LaterJson, R, $crate::error::AppError>
            for $args
        where
            R: server_fn::request::Req<$crate::error::AppError> + Send + 'static,
        {
            async fn from_req(req: R) -> Result<Self, $crate::error::AppError> {
                let content_type = req.to_content_type().map(|c| c.into_owned());
                let body = req.try_into_bytes().await;
                Ok(Self {
                    $field: $crate::api::lines::Later::json_body(content_type.as_deref(), body),
                })
            }
        }
    };
    ($args:ident { $field:ident }, query) => {
        impl<R>
            server_fn::codec::IntoReq<$crate::api::lines::LaterQuery, R, $crate::error::AppError>
            for $args
        where
            R: server_fn::request::ClientReq<$crate::error::AppError>,
        {
            fn into_req(self, path: &str, accepts: &str) -> Result<R, $crate::error::AppError> {
                let query = self.$field.encode(true)?;
                R::try_new_get(
                    path,
                    <$crate::api::lines::LaterQuery as server_fn::ContentType>::CONTENT_TYPE,
                    accepts,
                    &query,
                )
            }
        }

        impl<R>
            server_fn::codec::FromReq<$crate::api::lines::LaterQuery, R, $crate::error::AppError>
            for $args
        where
            R: server_fn::request::Req<$crate::error::AppError> + Send + 'static,
        {
            async fn from_req(req: R) -> Result<Self, $crate::error::AppError> {
                Ok(Self {
                    $field: $crate::api::lines::Later::query(req.as_query()),
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Serialize, Debug, PartialEq)]
    struct Ask {
        message: String,
    }

    #[test]
    fn a_body_is_parsed_only_when_read() {
        let body = |ct: Option<&str>, text: &'static str| {
            Later::<Ask>::json_body(ct, Ok(Bytes::from_static(text.as_bytes()))).read()
        };
        assert_eq!(
            body(Some("application/json"), r#"{"message":"hi"}"#).unwrap(),
            Ask {
                message: "hi".into()
            }
        );
        let missing = body(Some("application/json; charset=utf-8"), r#"{"text":"x"}"#);
        assert!(
            matches!(missing, Err(AppError::BadRequest(why)) if why.contains("missing field `message`"))
        );
        let form = body(Some("application/x-www-form-urlencoded"), "message=hi");
        assert!(matches!(form, Err(AppError::BadRequest(why)) if why.contains("Content-Type")));
        let cut = Later::<Ask>::json_body(Some("application/json"), Err(AppError::PayloadTooLarge));
        assert_eq!(cut.read(), Err(AppError::PayloadTooLarge));
    }

    #[test]
    fn a_query_is_parsed_only_when_read() {
        #[derive(serde::Deserialize, Serialize, Debug, PartialEq)]
        struct Attach {
            reply_id: i64,
        }
        assert_eq!(
            Later::<Attach>::query(Some("reply_id=7")).read().unwrap(),
            Attach { reply_id: 7 }
        );
        assert!(matches!(
            Later::<Attach>::query(Some("reply_id=x")).read(),
            Err(AppError::BadRequest(_))
        ));
        assert_eq!(
            Later::new(Attach { reply_id: 7 }).encode(true).unwrap(),
            "reply_id=7"
        );
    }
}
