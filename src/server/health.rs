//! `GET /auth/healthz`: is this instance able to serve, database included?

use std::time::Duration;

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde::Serialize;

use super::state::AppState;

/// How long the database may take to answer before the instance counts as down.
const DB_TIMEOUT: Duration = Duration::from_secs(2);

/// The body, with its fields in the contract's order.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// True when this instance can serve.
    ok: bool,
    /// True when the database answered.
    db: bool,
}

/// `200 {"ok":true,"db":true}`, or `503 {"ok":false,"db":false}` when the
/// database fails or does not answer within [`DB_TIMEOUT`].
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let db_ok = matches!(
        tokio::time::timeout(DB_TIMEOUT, state.db.ping()).await,
        Ok(Ok(()))
    );
    if !db_ok {
        tracing::warn!("health check: database did not answer");
    }
    let status = if db_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            ok: db_ok,
            db: db_ok,
        }),
    )
}
