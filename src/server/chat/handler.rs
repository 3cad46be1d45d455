//! The streamed chat calls, the server's side of the server functions in
//! `api::chat_stream`: `POST /api/chat`, `POST /api/chat/regenerate` and
//! `GET /api/chat/stream`. Each checks everything before the first byte (so
//! a refusal is still a status: 401, 429, 400, 404, 503), then answers `200`
//! with JSON lines.
//!
//! The rules of a turn are in [`super::turn`], the answer's own task in
//! [`super::answer`], and the reader that writes the lines in
//! [`super::attach`].

use axum::body::Bytes;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use tower_sessions::Session;

use super::{
    super::{auth, edge, sign_outs::SessionWatch, state::AppState},
    answer, attach, turn,
};
use crate::{
    api::{
        chat_types::{ChatRequest, RegenerateRequest, StreamQuery},
        lines::{Later, Lines},
    },
    domain::{
        chat::{Exchange, Role},
        User,
    },
    error::AppError,
};

/// What a streamed call needs of its request.
pub struct Caller {
    state: AppState,
    headers: HeaderMap,
    session: Session,
}

impl Caller {
    /// The request of the server function running now.
    pub async fn of_request() -> Result<Self, AppError> {
        let headers = leptos::prelude::use_context::<http::request::Parts>()
            .map(|p| p.headers)
            .unwrap_or_default();
        Ok(Self {
            state: edge::state()?,
            headers,
            session: edge::session().await?,
        })
    }
}

/// `POST /api/chat`: a new message, and the lines of its answer.
pub async fn chat(caller: Caller, request: Later<ChatRequest>) -> Result<Lines, AppError> {
    let (user, watch) = caller_within_limit(&caller).await?;
    let state = &caller.state;
    let turn = turn::start(state, &user, &request.read()?).await?;
    Ok(start_answer(state, &user, turn, watch))
}

/// `POST /api/chat/regenerate`: the same checks and lines as
/// [`chat`].
pub async fn regenerate(
    caller: Caller,
    request: Later<RegenerateRequest>,
) -> Result<Lines, AppError> {
    let (user, watch) = caller_within_limit(&caller).await?;
    let state = &caller.state;
    let turn = turn::regenerate(state, &user, &request.read()?).await?;
    Ok(start_answer(state, &user, turn, watch))
}

/// `GET /api/chat/stream?reply_id=R`: attaches to one of the user's
/// answers, running (here or on another instance) or ended.
pub async fn stream(caller: Caller, query: Later<StreamQuery>) -> Result<Lines, AppError> {
    let Caller {
        state,
        headers,
        session,
    } = &caller;
    let (user, credential) = auth::caller(state, headers, session).await?;
    let watch = state.sign_outs.watch(user.id, credential);
    let reply_id = query.read()?.reply_id;
    // An answer running here knows its owner and exchange: no read needed.
    let running = state
        .answers
        .get(reply_id)
        .filter(|running| running.user_id == user.id);
    let exchange = match &running {
        Some(running) => running.exchange,
        None => owned_answer(state, &user, reply_id).await?,
    };
    let running = running.map(|r| (r, None));
    let lines = attach::reader(state, exchange, running, attach::Start::Late, watch);
    Ok(lines_of(lines))
}

/// Finishes a streamed call: a stream that starts is `200` (also for a
/// client that asks for HTML, which the framework would otherwise send back
/// where it came from), with headers that tell proxies to pass each line on
/// as it comes, never gathering, caching or compressing it. A refusal keeps
/// the status of its error.
pub fn streaming(result: Result<Lines, AppError>) -> Result<Lines, AppError> {
    if let (Ok(_), Some(res)) = (
        &result,
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) {
        res.set_status(StatusCode::OK);
        res.insert_header(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache, no-transform"),
        );
        res.insert_header(
            header::HeaderName::from_static("x-accel-buffering"),
            HeaderValue::from_static("no"),
        );
    }
    result
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

/// Sign-in first, then the rate limit: a signed-out caller learns nothing
/// about its body, and a malformed request counts against the limit like
/// any other. The reader is watched from now: a sign-out (or a revoked
/// key) during the turn ends its stream too.
async fn caller_within_limit(caller: &Caller) -> Result<(User, SessionWatch), AppError> {
    let Caller {
        state,
        headers,
        session,
    } = caller;
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
fn start_answer(state: &AppState, user: &User, turn: turn::Turn, watch: SessionWatch) -> Lines {
    let exchange = turn.exchange;
    let (running, attached) = answer::spawn(state, turn, user.id);
    let running = Some((running, Some(attached)));
    lines_of(attach::reader(
        state,
        exchange,
        running,
        attach::Start::Fresh,
        watch,
    ))
}

/// The reader's lines as the answer's body. When the client goes away the
/// body is dropped, and with it the reader (the answer runs on).
fn lines_of(lines: impl futures_util::Stream<Item = Bytes> + Send + 'static) -> Lines {
    Lines::new(futures_util::StreamExt::map(lines, Ok))
}
