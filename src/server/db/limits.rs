//! Rate-limit counters: fixed windows in the database, so every instance on
//! it enforces the same budget.

use async_trait::async_trait;

use super::{pool::on_pool, DbError, SqlRepo};

/// Rate-limit counters.
#[async_trait]
pub trait Limits: Send + Sync {
    /// Counts one hit on `key` in a fixed window of `window_secs` starting at
    /// its first hit, and returns the count so far in the current window.
    async fn rate_limit_hit(&self, key: &str, window_secs: i64, now: i64) -> Result<i64, DbError>;
    /// The hits on `key` in its window still open at `now`, without counting one.
    async fn rate_limit_count(&self, key: &str, now: i64) -> Result<i64, DbError>;
}

#[async_trait]
impl Limits for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn rate_limit_hit(&self, key: &str, window_secs: i64, now: i64) -> Result<i64, DbError> {
        // One statement, so concurrent hits (from any instance) all count.
        // The window starts at its first hit and is never pushed back by later ones.
        Ok(on_pool!(&self.writer, |p| {
            sqlx::query_scalar(
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
            .fetch_one(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn rate_limit_count(&self, key: &str, now: i64) -> Result<i64, DbError> {
        let count: Option<i64> = on_pool!(&self.pool, |p| {
            sqlx::query_scalar(
                "SELECT count FROM rate_limits WHERE key = $1 AND window_start + window_secs > $2",
            )
            .bind(key)
            .bind(now)
            .fetch_optional(p)
            .await
        })?;
        Ok(count.unwrap_or(0))
    }
}
