//! `POST /api/chat`, the HTTP side: checks everything before the first byte
//! (so a refusal is still a status: 401, 429, 400, 404, 503), then answers
//! `200` with the model's answer streamed as JSON lines.
//!
//! The rules of the turn are in [`super::turn`], the streaming and storing
//! of the answer in [`super::pump`].

use std::convert::Infallible;

use axum::{
    body::Body,
    extract::{rejection::JsonRejection, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
    Json,
};
use tower_sessions::Session;

use super::{
    super::{auth, state::AppState},
    pump, turn,
};
use crate::{api::chat_types::ChatRequest, error::AppError};

/// The handler of `POST /api/chat`.
pub async fn chat(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Response {
    match start(&state, &headers, &session, body).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

/// Sign-in first, then the rate limit, then the body: a signed-out caller
/// learns nothing about its body, and a malformed request counts against
/// the limit like any other.
async fn start(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Result<Response, AppError> {
    let (user, credential) = auth::caller(state, headers, session).await?;
    auth::may_chat(state, &user)?;
    // Watched from now: a sign-out (or a revoked key) during the turn ends it too.
    let watch = state.sign_outs.watch(user.id, credential);
    if !state
        .limiter
        .allow(
            "chat:user",
            &user.id.to_string(),
            state.settings.rate_limits.chat_user,
        )
        .await?
    {
        return Err(AppError::RateLimited);
    }
    let Json(request) = body?;
    let turn = turn::start(state, &user, &request).await?;
    let lines = pump::spawn(state, turn, watch);
    let body = futures_util::stream::unfold(lines, |mut lines| async move {
        lines
            .recv()
            .await
            .map(|chunk| (Ok::<_, Infallible>(chunk), lines))
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            // Proxies must pass each line on as it comes, not gather or
            // compress the answer.
            (header::CACHE_CONTROL, "no-cache, no-transform"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(body),
    )
        .into_response())
}
