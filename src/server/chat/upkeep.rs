//! What each instance does for the answers it runs, and for those that
//! instances which died left behind:
//!
//! - every [`STOP_POLL`], it asks the database which of the running answers
//!   were asked to stop (a Stop served by another instance) and stops
//!   those that run here: a stop takes effect within a second anywhere;
//! - every [`FLUSH_EVERY`], it writes the text so far of every answer
//!   running here, and their heartbeat, in one transaction, so a reader
//!   served by another instance sees them as far as they got;
//! - at start-up and every [`SWEEP_EVERY`], it marks `partial` the answers
//!   still `streaming` whose heartbeat is older than [`STALE_AFTER`]: their
//!   instance is gone. A heartbeat, not "every answer at start-up", because
//!   another instance on the same database may be running some.
//!
//! One query per instance per tick, whatever the number of answers; none
//! while nothing runs here (the sweep aside).

use std::time::Duration;

use super::super::state::AppState;

/// How often stops asked for elsewhere are looked for.
pub const STOP_POLL: Duration = Duration::from_millis(400);
/// How often the text so far is written.
pub const FLUSH_EVERY: Duration = Duration::from_millis(1600);
/// How old a heartbeat may get before its answer counts as abandoned: well
/// over [`FLUSH_EVERY`], so a busy database does not sweep live answers.
pub const STALE_AFTER: i64 = 15;
/// How often abandoned answers are swept up.
pub const SWEEP_EVERY: Duration = Duration::from_secs(10);

/// Runs forever (until the server stops and aborts it).
pub async fn run(state: AppState) {
    sweep(&state).await;
    let mut tick = tokio::time::interval(STOP_POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_flush = tokio::time::Instant::now();
    let mut last_sweep = tokio::time::Instant::now();
    loop {
        tick.tick().await;
        if !state.answers.is_empty() {
            pass_on_stops(&state).await;
            if last_flush.elapsed() >= FLUSH_EVERY {
                last_flush = tokio::time::Instant::now();
                flush(&state).await;
            }
        }
        if last_sweep.elapsed() >= SWEEP_EVERY {
            last_sweep = tokio::time::Instant::now();
            sweep(&state).await;
        }
    }
}

async fn pass_on_stops(state: &AppState) {
    match state.db.answers_stop_requested().await {
        Ok(ids) => ids
            .into_iter()
            .filter_map(|id| state.answers.get(id))
            .for_each(|running| running.stop()),
        Err(e) => tracing::warn!(error = %e, "could not look for stopped answers"),
    }
}

/// Writes the text so far of every answer running here.
pub async fn flush(state: &AppState) {
    let answers: Vec<(i64, Option<String>)> = state
        .answers
        .all()
        .iter()
        .map(|running| (running.exchange.reply_id, running.unflushed()))
        .collect();
    if answers.is_empty() {
        return;
    }
    if let Err(e) = state.db.answers_flush(&answers, state.clock.now()).await {
        tracing::warn!(error = %e, answers = answers.len(), "could not write the answers so far");
    }
}

/// Marks the answers left by a dead instance `partial`.
pub async fn sweep(state: &AppState) {
    match state
        .db
        .answers_sweep(state.clock.now() - STALE_AFTER)
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            answers = n,
            "answers left streaming by a stopped instance marked partial"
        ),
        Err(e) => tracing::warn!(error = %e, "could not sweep abandoned answers"),
    }
}
