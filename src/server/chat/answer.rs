//! The answer task: one per answer, owned by no request. It reads the
//! model's pieces into the [registry](super::registry) entry that its
//! readers follow, and stores the answer when it ends: whole, stopped
//! (`POST /api/chat/stop`, from any instance), or cut off by a failure.
//!
//! A reader that goes away (a closed tab, a reload) changes nothing here:
//! the answer runs on and is stored, and a reload attaches again
//! (`GET /api/chat/stream`). While it runs, [`super::upkeep`] writes its
//! text so far to the database every few seconds and passes on stops asked
//! for on other instances.

use std::{sync::Arc, time::Duration};

use tokio::time::Instant;

use super::{
    super::{llm::LlmError, metrics, state::AppState},
    registry::{Attached, Ending, Running},
    turn::Turn,
    upstream::Upstream,
};
use crate::domain::chat::{MessageStatus, Usage};

/// Starts `turn`'s answer in a task of its own and returns its registry
/// entry, which readers attach to, with the asker's reader attached before
/// the first piece can arrive (so it gets every piece as its own line).
pub fn spawn(state: &AppState, turn: Turn, user_id: i64) -> (Arc<Running>, Attached) {
    let Turn {
        exchange,
        model,
        upstream,
        ..
    } = turn;
    let running = state.answers.start(exchange, user_id);
    let attached = running.attach();
    tokio::spawn(run(state.clone(), running.clone(), model, upstream));
    (running, attached)
}

enum Ended {
    Complete(Option<Usage>),
    Stopped,
    Failed(LlmError),
}

async fn run(state: AppState, running: Arc<Running>, model: String, mut upstream: Upstream) {
    let _streaming = metrics::StreamGuard::start();
    let ended = tokio::select! {
        ended = forward(&mut upstream, &running) => ended,
        () = running.stopped() => Ended::Stopped,
    };
    drop(upstream);
    let answer = running.text();
    // Only a whole answer has token counts: the model sends them last.
    let (status, ended_by, usage) = match &ended {
        Ended::Complete(usage) => (MessageStatus::Complete, None, *usage),
        Ended::Stopped => (MessageStatus::Partial, Some("stopped"), None),
        Ended::Failed(err) if answer.is_empty() => (MessageStatus::Error, Some(err.code()), None),
        Ended::Failed(err) => (MessageStatus::Partial, Some(err.code()), None),
    };
    let reply_id = running.exchange.reply_id;
    let stored = store_answer(&state, reply_id, &answer, status, ended_by, usage).await;
    let ending = match ended {
        Ended::Complete(_) if stored => Ending::Done(usage),
        Ended::Complete(_) => Ending::Failed {
            error: "The answer could not be saved: it will be missing when you reload".into(),
            code: "not_saved".into(),
        },
        Ended::Stopped => {
            tracing::info!(reply_id, model, "answer stopped");
            Ending::Stopped
        }
        Ended::Failed(err) => {
            metrics::llm_error(err.code());
            Ending::Failed {
                error: err.to_string(),
                code: err.code().into(),
            }
        }
    };
    // Stored first, then ended and forgotten: a reader that no longer finds
    // it here reads the database, which already has the end.
    running.end(ending);
    state.answers.finish(reply_id);
}

/// Appends the model's pieces to the answer as they come.
async fn forward(upstream: &mut Upstream, running: &Running) -> Ended {
    let mut tokens = match upstream.tokens().await {
        Ok(tokens) => tokens,
        Err(err) => return Ended::Failed(err),
    };
    while let Some(piece) = tokens.next().await {
        match piece {
            Ok(text) => {
                metrics::chat_token();
                running.push(&text);
            }
            Err(err) => return Ended::Failed(err),
        }
    }
    Ended::Complete(tokens.usage())
}

/// How long saving an answer is retried while the database is busy (when
/// thousands of answers end at once, a write can wait out the pool or the
/// SQLite lock). The user has read the answer: it is worth the wait.
const STORE_FOR: Duration = Duration::from_secs(30);

/// How many answers of this process are stored at once. When thousands of
/// answers end together, each write waited for one of the pool's
/// connections (and on SQLite for the one write lock) while holding it,
/// until the pool had none left for reads: a re-attach (`GET
/// /api/chat/stream`) then waited 3.6 s at p50 for its session and
/// message reads (`chat_load --h2c --levels 10000`, 2026-12-04). SQLite
/// writes one transaction at a time anyway, so a few writers queued here
/// store as fast, and leave the rest of the pool to reads.
const STORING_AT_ONCE: usize = 3;

static STORING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(STORING_AT_ONCE);

/// Stores the answer's end, retrying transient failures with a growing,
/// jittered pause; false if it could not be stored.
async fn store_answer(
    state: &AppState,
    reply_id: i64,
    answer: &str,
    status: MessageStatus,
    ended_by: Option<&str>,
    usage: Option<Usage>,
) -> bool {
    let give_up = Instant::now() + STORE_FOR;
    let mut pause = Duration::from_millis(50);
    loop {
        let stored = {
            // Never closed, so acquiring cannot fail.
            let _turn = STORING.acquire().await.expect("the semaphore stays open");
            state
                .db
                .answer_finish(reply_id, answer, status, ended_by, usage, state.clock.now())
                .await
        };
        match stored {
            Ok(()) => return true,
            Err(e) if e.is_transient() && Instant::now() + pause < give_up => {
                tracing::warn!(error = %e, reply_id, "answer not stored yet; trying again");
                let jitter = rand::random_range(0..=pause.as_millis() as u64);
                tokio::time::sleep(pause + Duration::from_millis(jitter)).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(e) => {
                tracing::error!(error = %e, reply_id, "answer not stored");
                return false;
            }
        }
    }
}
