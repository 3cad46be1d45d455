//! The streamed chat calls, the HTTP side: `POST /api/chat`,
//! `POST /api/chat/regenerate` and `GET /api/chat/stream`. Each checks
//! everything before the first byte (so a refusal is still a status: 401,
//! 429, 400, 404, 503), then answers `200` with JSON lines.
//!
//! The rules of a turn are in [`super::turn`], the answer's own task in
//! [`super::answer`], and the reader that writes the lines in
//! [`super::attach`].

use std::convert::Infallible;

use axum::{
    body::{Body, Bytes},
    extract::{
        rejection::{JsonRejection, QueryRejection},
        Query, State,
    },
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
    Json,
};
use tokio::sync::mpsc;
use tower_sessions::Session;

use super::{
    super::{auth, sign_outs::SessionWatch, state::AppState},
    answer, attach, turn,
};
use crate::{
    api::chat_types::{ChatRequest, RegenerateRequest, StreamQuery},
    domain::{
        chat::{Exchange, Role},
        User,
    },
    error::AppError,
};

/// The handler of `POST /api/chat`.
pub async fn chat(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Response {
    answer_with(async {
        let (user, watch) = caller_within_limit(&state, &headers, &session).await?;
        let Json(request) = body?;
        let turn = turn::start(&state, &user, &request).await?;
        Ok(start_answer(&state, &user, turn, watch))
    })
    .await
}

/// The handler of `POST /api/chat/regenerate`: the same checks and lines
/// as `POST /api/chat`.
pub async fn regenerate(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    body: Result<Json<RegenerateRequest>, JsonRejection>,
) -> Response {
    answer_with(async {
        let (user, watch) = caller_within_limit(&state, &headers, &session).await?;
        let Json(request) = body?;
        let turn = turn::regenerate(&state, &user, &request).await?;
        Ok(start_answer(&state, &user, turn, watch))
    })
    .await
}

/// The handler of `GET /api/chat/stream?reply_id=R`: attaches to one of
/// the user's answers, running (here or on another instance) or ended.
pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    query: Result<Query<StreamQuery>, QueryRejection>,
) -> Response {
    answer_with(async {
        let (user, credential) = auth::caller(&state, &headers, &session).await?;
        let watch = state.sign_outs.watch(user.id, credential);
        let Query(query) = query
            .map_err(|e| AppError::BadRequest(format!("Invalid request: {}", e.body_text())))?;
        let exchange = owned_answer(&state, &user, query.reply_id).await?;
        let running = state.answers.get(exchange.reply_id).map(|r| (r, None));
        let lines = attach::spawn(&state, exchange, running, attach::Start::Late, watch);
        Ok(lines_response(lines))
    })
    .await
}

/// One of the user's answers, as the exchange it belongs to;
/// [`AppError::NotFound`] for anyone else's, and for a person's message.
pub async fn owned_answer(
    state: &AppState,
    user: &User,
    reply_id: i64,
) -> Result<Exchange, AppError> {
    match state.db.message_ref(user.id, reply_id).await? {
        Some(reply) if reply.role == Role::Assistant => Ok(Exchange {
            conversation_id: reply.conversation_id,
            message_id: reply.parent_id.unwrap_or_default(),
            reply_id,
        }),
        _ => Err(AppError::NotFound),
    }
}

async fn answer_with(
    answer: impl std::future::Future<Output = Result<Response, AppError>>,
) -> Response {
    answer.await.unwrap_or_else(IntoResponse::into_response)
}

/// Sign-in first, then the rate limit: a signed-out caller learns nothing
/// about its body, and a malformed request counts against the limit like
/// any other. The reader is watched from now: a sign-out (or a revoked
/// key) during the turn ends its stream too.
async fn caller_within_limit(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
) -> Result<(User, SessionWatch), AppError> {
    let (user, credential) = auth::caller(state, headers, session).await?;
    auth::may_chat(state, &user)?;
    let watch = state.sign_outs.watch(user.id, credential);
    let allowed = state
        .limiter
        .allow(
            "chat:user",
            &user.id.to_string(),
            state.settings.rate_limits.chat_user,
        )
        .await?;
    if !allowed {
        return Err(AppError::RateLimited);
    }
    Ok((user, watch))
}

/// Starts the answer's own task, and the asker's reader of it.
fn start_answer(state: &AppState, user: &User, turn: turn::Turn, watch: SessionWatch) -> Response {
    let exchange = turn.exchange;
    let (running, attached) = answer::spawn(state, turn, user.id);
    let running = Some((running, Some(attached)));
    let lines = attach::spawn(state, exchange, running, attach::Start::Fresh, watch);
    lines_response(lines)
}

fn lines_response(lines: mpsc::Receiver<Bytes>) -> Response {
    let body = futures_util::stream::unfold(lines, |mut lines| async move {
        lines
            .recv()
            .await
            .map(|chunk| (Ok::<_, Infallible>(chunk), lines))
    });
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            // Proxies must pass each line on as it comes, not gather or
            // compress the answer.
            (header::CACHE_CONTROL, "no-cache, no-transform"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
