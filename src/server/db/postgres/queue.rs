//! The mail outbox, rate-limit counters and clean-up on PostgreSQL.

use sqlx::{PgExecutor, PgPool, Postgres, Row};

use super::super::{DbError, MailOutcome, QueuedMail};

pub(super) async fn delete_expired(pool: &PgPool, now: i64) -> Result<u64, DbError> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM rate_limits WHERE window_start + window_secs <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM password_reset_tokens WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    Ok(sessions.rows_affected())
}

pub(super) async fn rate_limit_hit(
    pool: &PgPool,
    key: &str,
    window_secs: i64,
    now: i64,
) -> Result<i64, DbError> {
    // One statement, so concurrent hits (from any instance) all count.
    // The window starts at its first hit and is never pushed back by later ones.
    let count: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limits (key, window_start, window_secs, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.window_start + rate_limits.window_secs <= $2
                        THEN 1 ELSE rate_limits.count + 1 END,
           window_start = CASE WHEN rate_limits.window_start + rate_limits.window_secs <= $2
                               THEN $2 ELSE rate_limits.window_start END,
           window_secs = $3
         RETURNING count",
    )
    .bind(key)
    .bind(now)
    .bind(window_secs)
    .fetch_one(pool)
    .await?;
    Ok(count)
}

/// Queues a mail; takes a pool or an open transaction.
pub(super) async fn mail_enqueue<'e>(
    db: impl PgExecutor<'e>,
    job: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO mail_outbox (job, next_attempt_at, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(job)
    .bind(now)
    .bind(now)
    .fetch_one(db)
    .await
}

pub(super) async fn mail_claim(
    pool: &PgPool,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<QueuedMail>, DbError> {
    // One UPDATE: SQLite serialises writers, so two workers never lease the same row.
    let rows = sqlx::query::<Postgres>(
        "UPDATE mail_outbox SET locked_until = $1 + $2, attempts = attempts + 1
         WHERE id IN (SELECT id FROM mail_outbox
                      WHERE status = 'pending' AND next_attempt_at <= $1 AND locked_until <= $1
                      ORDER BY id LIMIT $3
                      FOR UPDATE SKIP LOCKED)
         RETURNING id, job, attempts",
    )
    .bind(now)
    .bind(lease_secs)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(QueuedMail {
                id: r.try_get("id")?,
                job: r.try_get("job")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::Query)
}

pub(super) async fn mail_finish(
    pool: &PgPool,
    id: i64,
    outcome: &MailOutcome,
    now: i64,
) -> Result<(), DbError> {
    let (status, next, error) = match outcome {
        MailOutcome::Sent => ("sent", now, None),
        MailOutcome::Dropped => ("dropped", now, None),
        MailOutcome::Retry { at, error } => ("pending", *at, Some(error.as_str())),
        MailOutcome::Dead { error } => ("dead", now, Some(error.as_str())),
    };
    let sent_at = matches!(outcome, MailOutcome::Sent).then_some(now);
    sqlx::query(
        "UPDATE mail_outbox SET status = $1, next_attempt_at = $2, last_error = $3, sent_at = $4, locked_until = 0
         WHERE id = $5",
    )
    .bind(status)
    .bind(next)
    .bind(error)
    .bind(sent_at)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}
