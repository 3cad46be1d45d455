//! The mail outbox table: jobs queued in the same transaction as the change
//! that causes them, leased by workers, finished once.

use async_trait::async_trait;

use super::{
    pool::{on_pool, Pool},
    DbError, MailOutcome, QueuedMail, SqlRepo,
};

/// The queue behind `mail::Outbox`.
#[async_trait]
pub trait MailQueue: Send + Sync {
    /// Queues a mail job (JSON, no secrets), due now.
    async fn mail_enqueue(&self, job: &str, now: i64) -> Result<(), DbError>;
    /// Leases up to `limit` due mails for `lease_secs` and counts the attempt.
    /// A leased mail is invisible to other workers (and other instances)
    /// until it is finished or its lease runs out.
    async fn mail_claim(
        &self,
        now: i64,
        lease_secs: i64,
        limit: i64,
    ) -> Result<Vec<QueuedMail>, DbError>;
    /// Records what became of a leased mail.
    async fn mail_finish(&self, id: i64, outcome: &MailOutcome, now: i64) -> Result<(), DbError>;
    /// Mails not yet sent nor given up on (for `/metrics`).
    async fn mail_pending(&self) -> Result<i64, DbError>;
}

/// Queues job `$1`, due at `$2`; also run inside other transactions.
pub(super) const ENQUEUE: &str =
    "INSERT INTO mail_outbox (job, next_attempt_at, created_at) VALUES ($1, $2, $2)";

/// Leases due mails. SQLite serialises writers, so one `UPDATE` never leases
/// a row twice; PostgreSQL runs writers at once, so its subquery locks the
/// rows it picks and skips those another worker has locked.
macro_rules! claim_sql {
    ($lock:literal) => {
        concat!(
            "UPDATE mail_outbox SET locked_until = $1 + $2, attempts = attempts + 1
             WHERE id IN (SELECT id FROM mail_outbox
                          WHERE status = 'pending' AND next_attempt_at <= $1 AND locked_until <= $1
                          ORDER BY id LIMIT $3",
            $lock,
            ")
             RETURNING id, job, attempts"
        )
    };
}

#[async_trait]
impl MailQueue for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn mail_pending(&self) -> Result<i64, DbError> {
        // `pending` rows are few and indexed by status: no scan of the sent.
        let count: i64 = on_pool!(&self.pool, |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'")
                .fetch_one(p)
                .await
        })?;
        Ok(count)
    }

    #[tracing::instrument(skip_all, err)]
    async fn mail_enqueue(&self, job: &str, now: i64) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            sqlx::query(ENQUEUE)
                .bind(job)
                .bind(now)
                .execute(p)
                .await
                .map(drop)
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn mail_claim(
        &self,
        now: i64,
        lease_secs: i64,
        limit: i64,
    ) -> Result<Vec<QueuedMail>, DbError> {
        let sql = match &self.pool {
            Pool::Sqlite(_) => claim_sql!(""),
            Pool::Postgres(_) => claim_sql!(" FOR UPDATE SKIP LOCKED"),
        };
        Ok(on_pool!(&self.writer, |p| {
            sqlx::query_as(sql)
                .bind(now)
                .bind(lease_secs)
                .bind(limit)
                .fetch_all(p)
                .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn mail_finish(&self, id: i64, outcome: &MailOutcome, now: i64) -> Result<(), DbError> {
        let (status, next, error) = match outcome {
            MailOutcome::Sent => ("sent", now, None),
            MailOutcome::Dropped => ("dropped", now, None),
            MailOutcome::Retry { at, error } => ("pending", *at, Some(error.as_str())),
            MailOutcome::Dead { error } => ("dead", now, Some(error.as_str())),
        };
        let sent_at = matches!(outcome, MailOutcome::Sent).then_some(now);
        on_pool!(&self.writer, |p| {
            sqlx::query(
                "UPDATE mail_outbox
                 SET status = $1, next_attempt_at = $2, last_error = $3, sent_at = $4, locked_until = 0
                 WHERE id = $5",
            )
            .bind(status)
            .bind(next)
            .bind(error)
            .bind(sent_at)
            .bind(id)
            .execute(p)
            .await
            .map(drop)
        })?;
        Ok(())
    }
}
