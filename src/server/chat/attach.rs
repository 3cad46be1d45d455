//! A reader of an answer: the JSON lines of `POST /api/chat`,
//! `POST /api/chat/regenerate` and `GET /api/chat/stream`.
//!
//! Each reader is a small task of its own that writes lines into the
//! response body. It follows the answer in the registry when the answer
//! runs on this instance, else in the database, which the running instance
//! brings up to date every few seconds ([`super::upkeep`]). Either way the
//! reader's going away changes nothing for the answer; and the end of the
//! reader's own session (signed out, a revoked key) ends the reader, with
//! a last line that says so, while the answer runs on for the account.

use std::{sync::Arc, time::Duration};

use axum::body::Bytes;
use tokio::sync::{broadcast::error::RecvError, mpsc};

use super::{
    super::{sign_outs::SessionWatch, state::AppState},
    registry::{Attached, Ending, Event, Running},
};
use crate::{
    api::chat_types::ChatEvent,
    domain::chat::{Exchange, MessageStatus},
    error::AppError,
};

/// Lines buffered between a reader's task and a slow client. Few: while
/// the client is behind, the reader waits here and the pieces it misses are
/// sent as one line from the text (see `follow_here`), so a longer queue
/// only holds more small allocations per stream.
const BUFFERED_LINES: usize = 16;

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

/// Starts a reader of answer `exchange.reply_id` (`running`, when it runs
/// here, with what the reader attached to it, else it attaches now); the
/// receiver yields the lines of the response, the exchange's ids first.
pub fn spawn(
    state: &AppState,
    exchange: Exchange,
    running: Option<(Arc<Running>, Option<Attached>)>,
    start: Start,
    session: SessionWatch,
) -> mpsc::Receiver<Bytes> {
    let (tx, rx) = mpsc::channel::<Bytes>(BUFFERED_LINES);
    let running = running.map(|(running, attached)| {
        let attached = attached.unwrap_or_else(|| running.attach());
        (running, attached)
    });
    tokio::spawn(read(state.clone(), exchange, running, start, session, tx));
    rx
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

enum Over {
    /// The client went away.
    Gone,
    /// The reader's session ended.
    SignedOut,
}

async fn read(
    state: AppState,
    exchange: Exchange,
    running: Option<(Arc<Running>, Attached)>,
    start: Start,
    mut session: SessionWatch,
    tx: mpsc::Sender<Bytes>,
) {
    let first = ChatEvent::Conversation {
        conversation_id: exchange.conversation_id,
        message_id: exchange.message_id,
        reply_id: exchange.reply_id,
    };
    if tx.send(line(&first)).await.is_err() {
        return;
    }
    let late = matches!(start, Start::Late);
    let over = tokio::select! {
        over = async {
            match running {
                Some((running, attached)) => follow_here(&running, attached, late, &tx).await,
                None => follow_stored(&state, exchange.reply_id, &tx).await,
            }
        } => over,
        () = session.ended() => Over::SignedOut,
    };
    if let Over::SignedOut = over {
        tracing::info!(
            reply_id = exchange.reply_id,
            "reader ended: its session was signed out"
        );
        let error = "You were signed out, so the answer stopped. Sign in to go on.";
        let _ = tx
            .send(line(&ChatEvent::Error {
                error: error.into(),
                code: AppError::Unauthorized.code().into(),
            }))
            .await;
    }
}

async fn send_text(tx: &mpsc::Sender<Bytes>, text: String) -> Result<(), Over> {
    tx.send(line(&ChatEvent::Text { text }))
        .await
        .map_err(|_| Over::Gone)
}

/// Follows an answer that runs here, from its registry entry.
async fn follow_here(
    running: &Running,
    attached: Attached,
    late: bool,
    tx: &mpsc::Sender<Bytes>,
) -> Over {
    let mut sent = attached.text.len();
    let mut events = attached.events;
    if late || !attached.text.is_empty() {
        if let Err(over) = send_text(tx, attached.text).await {
            return over;
        }
    }
    if let Some(ending) = attached.ended {
        let _ = tx.send(ending_line(&ending)).await;
        return Over::Gone;
    }
    loop {
        let event = tokio::select! {
            event = events.recv() => event,
            () = tx.closed() => return Over::Gone,
        };
        let result = match event {
            Ok(Event::Text { start, text }) => {
                let end = start + text.len();
                if end <= sent {
                    Ok(())
                } else if start == sent {
                    sent = end;
                    send_text(tx, text.to_string()).await
                } else {
                    // Missed pieces (or part of this one was in the text
                    // this reader started from): the text has them.
                    let missing = running.text_from(sent);
                    sent += missing.len();
                    send_text(tx, missing).await
                }
            }
            Ok(Event::End(ending)) => {
                let rest = running.text_from(sent);
                if !rest.is_empty() {
                    if let Err(over) = send_text(tx, rest).await {
                        return over;
                    }
                }
                let _ = tx.send(ending_line(&ending)).await;
                return Over::Gone;
            }
            // The entry, which this reader holds, owns the sender.
            Err(RecvError::Closed) => return Over::Gone,
            Err(RecvError::Lagged(_)) => {
                let missing = running.text_from(sent);
                sent += missing.len();
                if missing.is_empty() {
                    Ok(())
                } else {
                    send_text(tx, missing).await
                }
            }
        };
        if let Err(over) = result {
            return over;
        }
    }
}

/// Follows an answer from the database: one that runs on another instance
/// (whose text there is at most a few seconds old), or that has ended.
async fn follow_stored(state: &AppState, reply_id: i64, tx: &mpsc::Sender<Bytes>) -> Over {
    let mut sent = 0;
    let mut first = true;
    loop {
        let stored = match state.db.answer_get(reply_id).await {
            Ok(Some(stored)) => stored,
            // Deleted with its conversation meanwhile.
            Ok(None) => return Over::Gone,
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
            if let Err(over) = send_text(tx, new.to_owned()).await {
                return over;
            }
        }
        let ending = match stored.status() {
            MessageStatus::Streaming => None,
            MessageStatus::Complete => Some(Ending::Done(stored.usage())),
            MessageStatus::Partial | MessageStatus::Error => {
                Some(stored_ending(stored.ended_by.as_deref()))
            }
        };
        if let Some(ending) = ending {
            let _ = tx.send(ending_line(&ending)).await;
            return Over::Gone;
        }
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            () = tx.closed() => return Over::Gone,
        }
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
