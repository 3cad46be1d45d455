//! The stream pump: a task of its own per answer, which owns the upstream
//! request, forwards each piece to the client as a JSON line, and stores
//! the answer at the end (whole, or partial when stopped or cut off).
//!
//! The pump, not the response body, owns the upstream request: when the
//! client goes away (Stop, a closed tab), the response body is dropped, the
//! task sees its channel close, drops the upstream request at once and
//! stores what had arrived. When the session it was asked from ends
//! (signed out, a password reset), the answer ends the same way, with a last
//! line that says so ([`SessionWatch`]).

use std::time::Duration;

use axum::body::Bytes;
use tokio::{sync::mpsc, time::Instant};

use super::{
    super::{llm::LlmError, metrics, sign_outs::SessionWatch, state::AppState},
    turn::Turn,
    upstream::Upstream,
};
use crate::{
    api::chat_types::ChatEvent,
    domain::chat::{MessageStatus, Role},
    error::AppError,
};

/// Lines buffered between the pump and a slow client; when full, the pump
/// waits, and so does the upstream read.
const BUFFERED_LINES: usize = 64;

/// Starts pumping `turn`'s answer; the receiver yields the JSON lines of
/// the response, `{"conversation_id":...}` first. Dropping the receiver
/// stops the answer, which is then stored as far as it got; so does the end
/// of the session that `session` watches.
pub fn spawn(state: &AppState, turn: Turn, session: SessionWatch) -> mpsc::Receiver<Bytes> {
    let (tx, rx) = mpsc::channel::<Bytes>(BUFFERED_LINES);
    tokio::spawn(produce(state.clone(), turn, session, tx));
    rx
}

/// One line of the stream: the event as JSON, then a newline.
fn line(event: &ChatEvent) -> Bytes {
    let mut json = serde_json::to_vec(event).expect("chat events serialise");
    json.push(b'\n');
    Bytes::from(json)
}

enum Ended {
    Complete,
    Stopped,
    SignedOut,
    Failed(LlmError),
}

/// The last line of a stream that did not end well.
fn error_line(error: impl Into<String>, code: &str) -> Bytes {
    line(&ChatEvent::Error {
        error: error.into(),
        code: code.into(),
    })
}

async fn produce(state: AppState, turn: Turn, mut session: SessionWatch, tx: mpsc::Sender<Bytes>) {
    let Turn {
        conversation,
        model,
        mut upstream,
    } = turn;
    if tx
        .send(line(&ChatEvent::Conversation {
            conversation_id: conversation.id,
        }))
        .await
        .is_err()
    {
        return;
    }
    let _streaming = metrics::StreamGuard::start();
    let mut answer = String::new();
    let ended = tokio::select! {
        ended = forward(&mut upstream, &tx, &mut answer) => ended,
        () = tx.closed() => Ended::Stopped,
        () = session.ended(&*state.db, &state.clock) => Ended::SignedOut,
    };
    drop(upstream);
    let status = match &ended {
        Ended::Complete => MessageStatus::Complete,
        _ if answer.is_empty() => MessageStatus::Error,
        _ => MessageStatus::Partial,
    };
    let stored = store_answer(&state, conversation.id, &model, &answer, status).await;
    match ended {
        Ended::Complete if stored => {
            let _ = tx.send(line(&ChatEvent::Done { done: true })).await;
        }
        Ended::Complete => {
            let error = "The answer could not be saved: it will be missing when you reload";
            let _ = tx.send(error_line(error, "not_saved")).await;
        }
        Ended::Failed(err) => {
            metrics::llm_error(err.code());
            let _ = tx.send(error_line(err.to_string(), err.code())).await;
        }
        Ended::SignedOut => {
            tracing::info!(
                conversation_id = conversation.id,
                "answer ended: its session was signed out"
            );
            let error = "You were signed out, so the answer stopped. Sign in to go on.";
            let _ = tx
                .send(error_line(error, AppError::Unauthorized.code()))
                .await;
        }
        Ended::Stopped => tracing::info!(
            conversation_id = conversation.id,
            "answer stopped by the client"
        ),
    }
}

/// Forwards the model's pieces to the client as they come, keeping the
/// text in `answer` so that whatever arrived can be stored.
async fn forward(upstream: &mut Upstream, tx: &mpsc::Sender<Bytes>, answer: &mut String) -> Ended {
    let mut tokens = match upstream.tokens().await {
        Ok(tokens) => tokens,
        Err(err) => return Ended::Failed(err),
    };
    while let Some(piece) = tokens.next().await {
        match piece {
            Ok(text) => {
                metrics::chat_token();
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

/// How long saving an answer is retried while the database is busy (when
/// thousands of answers end at once, a write can wait out the pool or the
/// SQLite lock). The user has read the answer: it is worth the wait.
const STORE_FOR: Duration = Duration::from_secs(30);

/// Stores the assistant's answer, retrying transient failures with a
/// growing, jittered pause; false if it could not be stored.
async fn store_answer(
    state: &AppState,
    conversation_id: i64,
    model: &str,
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
                Some(model),
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
