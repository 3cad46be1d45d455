//! `POST /api/chat`: checks everything before the first byte, asks the
//! model while it stores the user's message, then streams the model's answer
//! as JSON lines and stores it (whole, or partial when stopped or cut off).
//!
//! The answer is pumped by a task of its own that owns the upstream request:
//! when the client goes away (Stop, a closed tab), the response body is
//! dropped, the task sees its channel close, drops the upstream request at
//! once and stores what had arrived.

use std::{convert::Infallible, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{rejection::JsonRejection, State},
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use tokio::{sync::mpsc, time::Instant};
use tower_sessions::Session;

mod prompt;

use prompt::{build_prompt, title_for};

use super::{
    auth,
    llm::{LlmError, PromptMessage, TokenStream},
    state::AppState,
};
use crate::{
    api::chat_types::{ChatEvent, ChatRequest, Conversation, MessageStatus, Role},
    error::AppError,
};

/// The handler of `POST /api/chat`.
pub async fn chat(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Response {
    match start(&state, &session, body).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

async fn start(
    state: &AppState,
    session: &Session,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Result<Response, AppError> {
    let user = auth::current_user(state, session).await?;
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
    let llm = state.llm.settings();
    let message = request.message.trim();
    if message.is_empty() {
        return Err(AppError::EmptyMessage);
    }
    let length = message.chars().count();
    if length > llm.max_message_chars {
        return Err(AppError::MessageTooLong {
            max: llm.max_message_chars,
        });
    }
    if let Some(notice) = llm.missing_configuration() {
        return Err(AppError::NotConfigured(notice));
    }
    if let Some(model) = &request.model {
        if !llm.models.contains(model) {
            return Err(AppError::UnknownModel);
        }
    }
    let now = state.clock.now();
    let (conversation, history) = match request.conversation_id {
        Some(id) => {
            let conversation = state
                .db
                .conversation_get(user.id, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let history = state
                .db
                .messages(conversation.id, Some(llm.max_history as i64))
                .await?;
            (Some(conversation), history)
        }
        None => (None, Vec::new()),
    };
    let model = match (&request.model, &conversation) {
        (Some(model), _) => model.clone(),
        // Keep talking to the conversation's model while it is still offered.
        (None, Some(c)) if llm.models.contains(&c.model) => c.model.clone(),
        (None, _) => llm.models[0].clone(),
    };
    let prompt = build_prompt(&llm.system_prompt, &history, message, llm.max_history_chars);
    // The model is asked now, so that its round trip overlaps the write
    // below; if that fails, dropping `upstream` cancels the request.
    let upstream = Upstream::ask(state, model.clone(), prompt);
    let conversation = match conversation {
        Some(conversation) => {
            state
                .db
                .message_add(
                    conversation.id,
                    Role::User,
                    message,
                    MessageStatus::Complete,
                    now,
                )
                .await?;
            conversation
        }
        None => {
            state
                .db
                .conversation_start(user.id, &title_for(message), &model, message, now)
                .await?
        }
    };
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(produce(state.clone(), conversation, upstream, tx));
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, Infallible>(chunk), rx))
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (header::CACHE_CONTROL, "no-cache, no-transform"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

fn line(event: &ChatEvent) -> Bytes {
    let mut json = serde_json::to_vec(event).expect("chat events serialise");
    json.push(b'\n');
    Bytes::from(json)
}

/// The model's answer, asked for by a task of its own so that the request
/// is under way while the handler stores the user's message. Dropping it
/// cancels the request.
struct Upstream(tokio::task::JoinHandle<Result<TokenStream, LlmError>>);

impl Upstream {
    fn ask(state: &AppState, model: String, prompt: Vec<PromptMessage>) -> Self {
        let state = state.clone();
        Self(tokio::spawn(async move {
            state.llm.stream(&model, &prompt).await
        }))
    }

    /// The answer's tokens, once the model has accepted the request.
    async fn tokens(&mut self) -> Result<TokenStream, LlmError> {
        match (&mut self.0).await {
            Ok(tokens) => tokens,
            Err(e) => {
                tracing::error!(error = %e, "the model request task failed");
                Err(LlmError::Broken)
            }
        }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.0.abort();
    }
}

enum Ended {
    Complete,
    Stopped,
    Failed(LlmError),
}

async fn produce(
    state: AppState,
    conversation: Conversation,
    mut upstream: Upstream,
    tx: mpsc::Sender<Bytes>,
) {
    if tx
        .send(line(&ChatEvent::Conversation {
            conversation_id: conversation.id,
        }))
        .await
        .is_err()
    {
        return;
    }
    let mut answer = String::new();
    let ended = tokio::select! {
        ended = pump(&mut upstream, &tx, &mut answer) => ended,
        () = tx.closed() => Ended::Stopped,
    };
    drop(upstream);
    let status = match &ended {
        Ended::Complete => MessageStatus::Complete,
        _ if answer.is_empty() => MessageStatus::Error,
        _ => MessageStatus::Partial,
    };
    let stored = store_answer(&state, conversation.id, &answer, status).await;
    match ended {
        Ended::Complete if stored => {
            let _ = tx.send(line(&ChatEvent::Done { done: true })).await;
        }
        Ended::Complete => {
            let _ = tx
                .send(line(&ChatEvent::Error {
                    error: "The answer could not be saved: it will be missing when you reload"
                        .into(),
                }))
                .await;
        }
        Ended::Failed(err) => {
            let _ = tx
                .send(line(&ChatEvent::Error {
                    error: err.to_string(),
                }))
                .await;
        }
        Ended::Stopped => tracing::info!(
            conversation_id = conversation.id,
            "answer stopped by the client"
        ),
    }
}

/// How long saving an answer is retried while the database is busy (when
/// thousands of answers end at once, a write can wait out the pool or the
/// SQLite lock). The user has read the answer: it is worth the wait.
const STORE_FOR: Duration = Duration::from_secs(30);

/// Stores the assistant's answer, retrying transient failures with a
/// growing, jittered pause; false if it could not be stored.
async fn store_answer(
    state: &AppState,
    conversation_id: i64,
    answer: &str,
    status: MessageStatus,
) -> bool {
    let give_up = Instant::now() + STORE_FOR;
    let mut pause = Duration::from_millis(50);
    loop {
        let added = state
            .db
            .message_add(
                conversation_id,
                Role::Assistant,
                answer,
                status,
                state.clock.now(),
            )
            .await;
        match added {
            Ok(_) => return true,
            Err(e) if e.is_transient() && Instant::now() + pause < give_up => {
                tracing::warn!(error = %e, conversation_id, "answer not stored yet; trying again");
                let jitter = rand::random_range(0..=pause.as_millis() as u64);
                tokio::time::sleep(pause + Duration::from_millis(jitter)).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(e) => {
                tracing::error!(error = %e, conversation_id, "answer not stored");
                return false;
            }
        }
    }
}

async fn pump(upstream: &mut Upstream, tx: &mpsc::Sender<Bytes>, answer: &mut String) -> Ended {
    let mut tokens = match upstream.tokens().await {
        Ok(tokens) => tokens,
        Err(err) => return Ended::Failed(err),
    };
    while let Some(piece) = tokens.next().await {
        match piece {
            Ok(text) => {
                answer.push_str(&text);
                if tx.send(line(&ChatEvent::Text { text })).await.is_err() {
                    return Ended::Stopped;
                }
            }
            Err(err) => return Ended::Failed(err),
        }
    }
    Ended::Complete
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_json_lines() {
        assert_eq!(
            line(&ChatEvent::Text {
                text: "你好".into()
            }),
            Bytes::from("{\"text\":\"你好\"}\n")
        );
        assert_eq!(
            line(&ChatEvent::Done { done: true }),
            Bytes::from("{\"done\":true}\n")
        );
    }
}
