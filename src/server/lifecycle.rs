//! What runs beside serving: the periodic clean-up of expired sessions and
//! rate-limit windows, and the signals that start a graceful shutdown.

use std::time::Duration;

use super::{db, state::AppState};

/// How often expired sessions and closed rate-limit windows are removed.
const CLEANUP_EVERY: Duration = Duration::from_secs(300);

/// Removes expired sessions and closed rate-limit windows, forever.
pub(super) async fn clean_up_periodically(state: AppState) {
    let mut tick = tokio::time::interval(CLEANUP_EVERY);
    loop {
        tick.tick().await;
        match clean_up(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "expired sessions removed"),
            Err(e) => tracing::warn!(error = %e, "session clean-up failed"),
        }
    }
}

/// One clean-up pass; returns how many sessions it removed. Every instance
/// on a database runs it, with no lock between them: each statement is a
/// plain `DELETE ... WHERE expired`, so when two passes meet, the second
/// waits on the first's row locks and then finds nothing left to remove.
/// No row is counted twice and neither pass fails (`tests/api/scale.rs`).
pub async fn clean_up(state: &AppState) -> Result<u64, db::DbError> {
    state.db.delete_expired(state.clock.now()).await
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; draining connections");
}
