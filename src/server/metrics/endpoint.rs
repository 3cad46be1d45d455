//! `GET /metrics` and the layer that times every request.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::ScrapeGauges;
use crate::server::state::AppState;

/// Prometheus' text format.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Every series, to `Authorization: Bearer <METRICS_TOKEN>`; `401` with a
/// `WWW-Authenticate` challenge otherwise. Never cached: the figures are
/// of this instance, now.
pub async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    let Some(metrics) = state.metrics.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !presented.is_some_and(|token| metrics.accepts(token)) {
        return (
            StatusCode::UNAUTHORIZED,
            [
                (header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
        )
            .into_response();
    }
    let mail_pending = match state.db.mail_pending().await {
        Ok(n) => n,
        Err(e) => {
            // The other figures still matter most when the database ails.
            tracing::warn!(error = %e, "metrics: cannot count the mail queue");
            -1
        }
    };
    let (pool_idle, pool_in_use) = state.db.pool_connections();
    let body = metrics.render(&ScrapeGauges {
        mail_pending,
        pool_idle,
        pool_in_use,
        hash_queue: state.passwords.in_queue(),
    });
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(TEXT_FORMAT)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// Counts and times each request under its route's pattern (`/api/chat`,
/// `/pkg/{file}`), never its raw path: ids and tokens stay out of labels.
/// Time is to the response's head; a streamed answer's body is counted by
/// the chat metrics.
pub async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = route_of(&req);
    let res = next.run(req).await;
    super::http_request(
        &method,
        route.as_str(),
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

/// The label for `req`'s route: its matched pattern, else a fixed name for
/// what the fallback serves (the bundle, public files, the 404 page).
fn route_of(req: &Request) -> Route {
    match req.extensions().get::<MatchedPath>() {
        Some(matched) => Route::Matched(matched.clone()),
        None if req.uri().path().starts_with("/pkg/") => Route::Fixed("/pkg/{file}"),
        None => Route::Fixed("fallback"),
    }
}

/// A route's label, kept without copying it.
enum Route {
    Matched(MatchedPath),
    Fixed(&'static str),
}

impl Route {
    fn as_str(&self) -> &str {
        match self {
            Self::Matched(matched) => matched.as_str(),
            Self::Fixed(name) => name,
        }
    }
}
