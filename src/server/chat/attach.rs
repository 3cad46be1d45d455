//! A reader of an answer: the JSON lines of `POST /api/chat`,
//! `POST /api/chat/regenerate` and `GET /api/chat/stream`.
//!
//! A reader is the response body's stream ([`super::polled`]), not a task
//! of its own: the connection polls it for each line. It follows the answer
//! in the registry when the answer runs on this instance, else in the
//! database, which the running instance brings up to date every few seconds
//! ([`super::upkeep`]). Either way the reader's going away (its body
//! dropped) changes nothing for the answer; and the end of the reader's own
//! session (signed out, a revoked key) ends the reader, with a last line
//! that says so, while the answer runs on for the account.

use std::{sync::Arc, time::Duration};

use axum::body::Bytes;
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::{
    super::{sign_outs::SessionWatch, state::AppState},
    polled::{self, Out},
    registry::{Attached, Ending, Event, Running},
};
use crate::{
    api::chat_types::ChatEvent,
    domain::chat::{Exchange, MessageStatus},
    error::AppError,
};

/// How often a reader following the database looks again: a re-attach
/// served by an instance that does not run the answer.
pub const POLL: Duration = Duration::from_millis(500);

/// Where a reader starts.
pub enum Start {
    /// With the answer, as it begins: the asker's own stream.
    Fresh,
    /// Attaching later: one text line with everything so far comes first.
    Late,
}

/// A reader of answer `exchange.reply_id` (`running`, when it runs here,
/// with what the reader attached to it, else it attaches now): the lines of
/// the response, the exchange's ids first. While the client is behind, the
/// reader is not polled, and the pieces it misses are sent as one line
/// from the text (see `follow_here`): nothing queues per stream.
pub fn reader(
    state: &AppState,
    exchange: Exchange,
    running: Option<(Arc<Running>, Option<Attached>)>,
    start: Start,
    session: SessionWatch,
) -> impl Stream<Item = Bytes> + Send + 'static {
    let running = running.map(|(running, attached)| {
        let attached = attached.unwrap_or_else(|| running.attach());
        (running, attached)
    });
    let state = state.clone();
    polled::stream(move |out| read(state, exchange, running, start, session, out))
}

/// One line of the stream: the event as JSON, then a newline.
pub fn line(event: &ChatEvent) -> Bytes {
    let mut json = serde_json::to_vec(event).expect("chat events serialise");
    json.push(b'\n');
    Bytes::from(json)
}

fn ending_line(ending: &Ending) -> Bytes {
    line(&match ending {
        Ending::Done(usage) => ChatEvent::Done {
            done: true,
            usage: *usage,
        },
        Ending::Stopped => ChatEvent::Stopped { stopped: true },
        Ending::Failed { error, code } => ChatEvent::Error {
            error: error.clone(),
            code: code.clone(),
        },
    })
}

async fn read(
    state: AppState,
    exchange: Exchange,
    running: Option<(Arc<Running>, Attached)>,
    start: Start,
    mut session: SessionWatch,
    out: Out<Bytes>,
) {
    let first = ChatEvent::Conversation {
        conversation_id: exchange.conversation_id,
        message_id: exchange.message_id,
        reply_id: exchange.reply_id,
    };
    out.put(line(&first)).await;
    let late = matches!(start, Start::Late);
    let signed_out = tokio::select! {
        () = async {
            match running {
                Some((running, attached)) => follow_here(&running, attached, late, &out).await,
                None => follow_stored(&state, exchange.reply_id, &out).await,
            }
        } => false,
        () = session.ended() => true,
    };
    if signed_out {
        tracing::info!(
            reply_id = exchange.reply_id,
            "reader ended: its session was signed out"
        );
        let error = "You were signed out, so the answer stopped. Sign in to go on.";
        out.put(line(&ChatEvent::Error {
            error: error.into(),
            code: AppError::Unauthorized.code().into(),
        }))
        .await;
    }
}

async fn send_text(out: &Out<Bytes>, text: String) {
    out.put(line(&ChatEvent::Text { text })).await;
}

/// Follows an answer that runs here, from its registry entry, to its end.
async fn follow_here(running: &Running, attached: Attached, late: bool, out: &Out<Bytes>) {
    let mut sent = attached.text.len();
    let mut events = attached.events;
    if late || !attached.text.is_empty() {
        send_text(out, attached.text).await;
    }
    if let Some(ending) = attached.ended {
        out.put(ending_line(&ending)).await;
        return;
    }
    loop {
        match events.recv().await {
            Ok(Event::Text { start, text }) => {
                let end = start + text.len();
                if end <= sent {
                    // Already sent, in the text this reader started from.
                    continue;
                }
                if start == sent {
                    sent = end;
                    send_text(out, text.to_string()).await;
                } else {
                    // Missed pieces (or part of this one was in the text
                    // this reader started from): the text has them.
                    let missing = running.text_from(sent);
                    sent += missing.len();
                    send_text(out, missing).await;
                }
            }
            Ok(Event::End(ending)) => {
                let rest = running.text_from(sent);
                if !rest.is_empty() {
                    send_text(out, rest).await;
                }
                out.put(ending_line(&ending)).await;
                return;
            }
            // The entry, which this reader holds, owns the sender.
            Err(RecvError::Closed) => return,
            Err(RecvError::Lagged(_)) => {
                let missing = running.text_from(sent);
                sent += missing.len();
                if !missing.is_empty() {
                    send_text(out, missing).await;
                }
            }
        }
    }
}

/// Follows an answer from the database: one that runs on another instance
/// (whose text there is at most a few seconds old), or that has ended.
async fn follow_stored(state: &AppState, reply_id: i64, out: &Out<Bytes>) {
    let mut sent = 0;
    let mut first = true;
    loop {
        let stored = match state.db.answer_get(reply_id).await {
            Ok(Some(stored)) => stored,
            // Deleted with its conversation meanwhile.
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, reply_id, "could not read a followed answer");
                tokio::time::sleep(POLL).await;
                continue;
            }
        };
        let new = stored.content.get(sent..).unwrap_or_default();
        if first || !new.is_empty() {
            first = false;
            sent = stored.content.len();
            send_text(out, new.to_owned()).await;
        }
        let ending = match stored.status() {
            MessageStatus::Streaming => None,
            MessageStatus::Complete => Some(Ending::Done(stored.usage())),
            MessageStatus::Partial | MessageStatus::Error => {
                Some(stored_ending(stored.ended_by.as_deref()))
            }
        };
        if let Some(ending) = ending {
            out.put(ending_line(&ending)).await;
            return;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The last line of an answer read back from storage, from why it ended.
fn stored_ending(ended_by: Option<&str>) -> Ending {
    let code = ended_by.unwrap_or("model_interrupted");
    if code == "stopped" {
        return Ending::Stopped;
    }
    let error = match code {
        "interrupted" => "The answer was interrupted when the server restarted.",
        "model_refused_credentials" => {
            "The model service refused Palaver's credentials. Please tell the administrator."
        }
        "model_not_found" => "The model is not available on the model service.",
        "model_busy" => "The model service is busy right now. Please try again in a moment.",
        "model_unreachable" => "The model service cannot be reached. Please try again later.",
        "model_timeout" => "The model took too long and the answer was cut off.",
        _ => "The model's answer was interrupted. Please try again.",
    };
    Ending::Failed {
        error: error.into(),
        code: code.into(),
    }
}
