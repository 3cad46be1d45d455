//! Request guards: cross-site refusal, body size limits, and the redirects
//! that keep signed-out people off `/app` (and signed-in ones off `/login`).

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;
use url::Url;

use super::{session_store::USER_ID_KEY, state::AppState};
use crate::{domain::urlencoding, error::AppError};

/// Largest body accepted by `/auth/*`.
pub const AUTH_BODY_LIMIT: usize = 16 * 1024;
/// Largest body accepted anywhere else.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Refuses state-changing requests that a browser says come from another
/// site. Clients that send neither `Origin` nor `Sec-Fetch-Site` (curl, SDKs)
/// are not browsers and pass: CSRF needs a victim's browser.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if !same_origin(req.headers(), &state.settings.public_base_url) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return AppError::Forbidden.into_response();
    }
    next.run(req).await
}

fn same_origin(headers: &HeaderMap, public: &Url) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(origin) = origin.to_str().ok().and_then(|o| Url::parse(o).ok()) else {
        return false; // includes the opaque "null" origin
    };
    let Some(origin_host) = origin.host_str() else {
        return false;
    };
    let authority = match origin.port() {
        Some(port) => format!("{origin_host}:{port}"),
        None => origin_host.to_owned(),
    };
    let host_matches = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| host.eq_ignore_ascii_case(&authority));
    host_matches || origin.origin() == public.origin()
}

/// Answers 413 for bodies over the limit, whether announced by
/// `Content-Length` or discovered while streaming.
pub async fn body_limit(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let limit = if path.starts_with("/auth/") {
        AUTH_BODY_LIMIT
    } else if path == super::chat::transfer::IMPORT_PATH {
        // A history exported from elsewhere runs to megabytes.
        super::chat::transfer::IMPORT_BODY_LIMIT
    } else {
        BODY_LIMIT
    };
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|len| len > limit) {
        return AppError::PayloadTooLarge.into_response();
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

/// Every failure of the JSON API is the contract's JSON. Server-function
/// errors are JSON already (this says so in their `Content-Type`); what the
/// router itself answers on `/auth/*` and `/api/*` (a wrong method, an
/// unknown path) gets the same `{"ok":false,"error":...,"code":...}`.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let api = {
        let path = req.uri().path();
        path.starts_with("/auth/") || path.starts_with("/api/")
    };
    let mut res = next.run(req).await;
    if res.headers().contains_key("serverfnerror")
        && !res.headers().contains_key(header::CONTENT_TYPE)
    {
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    let status = res.status();
    if api && !is_json && (status.is_client_error() || status.is_server_error()) {
        let (code, error) = crate::error::router_failure(status);
        let mut json = (
            status,
            axum::Json(serde_json::json!({"ok": false, "error": error, "code": code})),
        )
            .into_response();
        // Keep what the router said beside the body (e.g. `Allow` on a 405).
        if let Some(allow) = res.headers().get(header::ALLOW) {
            json.headers_mut().insert(header::ALLOW, allow.clone());
        }
        res = json;
    }
    res
}

async fn signed_in(session: &Session) -> bool {
    matches!(session.get::<i64>(USER_ID_KEY).await, Ok(Some(_)))
}

/// Server-side redirects for pages, before anything renders: `/app` needs a
/// session (and remembers where the person was going); `/login` and
/// `/register` send a signed-in person to the app.
pub async fn pages(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let path = req.uri().path();
    let chat = path == "/app" || path.starts_with("/app/");
    let protected = chat || matches!(path, "/waiting" | "/settings" | "/admin");
    if protected && !signed_in(&session).await {
        let wanted = req.uri().path_and_query().map_or(path, |pq| pq.as_str());
        return Redirect::to(&format!("/login?next={}", urlencoding(wanted))).into_response();
    }
    // Signed in, but not allowed to chat yet (waiting for approval, or an
    // address to confirm): the page that says so, instead of a chat whose
    // every send would fail.
    if chat {
        if let Ok(user) = super::auth::current_user(&state, &session).await {
            if super::auth::may_chat(&state, &user).is_err() {
                return Redirect::to("/waiting").into_response();
            }
        }
    }
    // `/admin` for anyone but an admin: the page renders its "only
    // administrators" view, and the status is set here, before the first
    // byte, rather than from inside the streamed page (where it could come
    // after the headers had gone).
    if path == "/admin" {
        let admin = super::auth::current_user(&state, &session)
            .await
            .is_ok_and(|user| user.role == crate::domain::Role::Admin);
        let mut res = next.run(req).await;
        if !admin {
            *res.status_mut() = http::StatusCode::FORBIDDEN;
        }
        return res;
    }
    if matches!(path, "/login" | "/register") && signed_in(&session).await {
        let next = req.uri().query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(key, _)| key == "next")
                .map(|(_, value)| value.into_owned())
        });
        return Redirect::to(&crate::domain::safe_next(next.as_deref())).into_response();
    }
    next.run(req).await
}

/// `/`: the app for a signed-in person, else the sign-in page.
pub async fn root(session: Session) -> Redirect {
    Redirect::to(if signed_in(&session).await {
        "/app"
    } else {
        "/login"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn origins() {
        let public = Url::parse("https://chat.example.com").unwrap();
        assert!(same_origin(&h(&[]), &public), "no Origin: not a browser");
        assert!(same_origin(
            &h(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000")
            ]),
            &public
        ));
        assert!(same_origin(
            &h(&[
                ("host", "internal:3000"),
                ("origin", "https://chat.example.com")
            ]),
            &public
        ));
        assert!(!same_origin(
            &h(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "https://evil.example")
            ]),
            &public
        ));
        assert!(!same_origin(
            &h(&[("host", "127.0.0.1:3000"), ("origin", "null")]),
            &public
        ));
        assert!(!same_origin(
            &h(&[("sec-fetch-site", "cross-site")]),
            &public
        ));
        assert!(same_origin(
            &h(&[("sec-fetch-site", "same-origin")]),
            &public
        ));
    }
}
