//! The one way mail is queued: [`Outbox`] stores the job (or runs the
//! transaction that queues it) and then wakes the worker, so a mail never
//! waits for the next poll and no caller rings the worker by hand.

use std::{future::Future, sync::Arc};

use tokio::sync::Notify;

use super::jobs::MailJob;
use crate::server::{
    clock::Clock,
    db::{DbError, MailQueue},
};

/// Queues mail and wakes the worker that sends it.
#[derive(Clone)]
pub struct Outbox {
    queue: Arc<dyn MailQueue>,
    clock: Clock,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outbox")
    }
}

impl Outbox {
    /// An outbox over `queue`.
    pub fn new(queue: Arc<dyn MailQueue>, clock: Clock) -> Self {
        Self {
            queue,
            clock,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Queues `job`, due now.
    pub async fn enqueue(&self, job: &MailJob) -> Result<(), DbError> {
        self.queue
            .mail_enqueue(&job.to_json(), self.clock.now())
            .await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Runs `change`, a storage transaction that queues mail along with the
    /// change that causes it, and wakes the worker once it has committed.
    pub async fn queued_by<T, E>(
        &self,
        change: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let done = change.await?;
        self.wake.notify_one();
        Ok(done)
    }

    /// Resolves when mail was queued since the last call (for the worker).
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}
