//! Operations: `/auth/healthz`, `/metrics` and `/api/openapi.json`, plain
//! axum routes.

#![allow(dead_code)] // The functions only describe.

use utoipa::OpenApi;

use crate::server::health::Health;

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(healthz, metrics, openapi))]
pub(super) struct Doc;

/// Is this instance able to serve?
///
/// For load balancers and container health checks: never redirected to
/// HTTPS, and the database must answer within 2 s.
#[utoipa::path(
    get,
    path = "/auth/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "Up", body = Health, example = json!({"ok": true, "db": true})),
        (status = 503, description = "The database does not answer", body = Health,
            example = json!({"ok": false, "db": false})),
    )
)]
fn healthz() {}

/// Prometheus metrics of this instance
///
/// Only when `METRICS_TOKEN` is set; without it there is no such route
/// (`404`). Never cached.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    security(("metrics_token" = [])),
    responses(
        (status = 200, description = "Prometheus' text format",
            content_type = "text/plain; version=0.0.4; charset=utf-8", body = String,
            example = json!("# TYPE http_requests_total counter\nhttp_requests_total{method=\"GET\",route=\"/auth/me\",status=\"200\"} 42\n")),
        (status = 401, description = "No token, or not `METRICS_TOKEN` (with a `WWW-Authenticate: Bearer` challenge)"),
        (status = 404, description = "`METRICS_TOKEN` is not set"),
    )
)]
fn metrics() {}

/// This document
///
/// The same for everyone, so caches may keep it (`Cache-Control:
/// public`); `/api/docs` shows it.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "operations",
    responses(
        (status = 200, description = "An OpenAPI 3.1 document", content_type = "application/json",
            body = Object),
    )
)]
fn openapi() {}
