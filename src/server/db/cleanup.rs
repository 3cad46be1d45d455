//! Removing what has expired: sessions, closed rate-limit windows and
//! reset tokens.

use async_trait::async_trait;

use super::{pool::on_pool, DbError, SqlRepo};

/// Periodic clean-up.
#[async_trait]
pub trait Cleanup: Send + Sync {
    /// Deletes sessions expired at `now`, rate-limit windows closed by then
    /// and expired reset tokens; returns how many sessions went. Each is a
    /// plain `DELETE ... WHERE expired`, so instances running it at once
    /// never count a row twice (`tests/api/scale.rs`).
    async fn delete_expired(&self, now: i64) -> Result<u64, DbError>;
}

#[async_trait]
impl Cleanup for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn delete_expired(&self, now: i64) -> Result<u64, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(p)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM rate_limits WHERE window_start + window_secs <= $1")
                .bind(now)
                .execute(p)
                .await?;
            sqlx::query("DELETE FROM password_reset_tokens WHERE expires_at <= $1")
                .bind(now)
                .execute(p)
                .await?;
            Ok::<_, sqlx::Error>(sessions)
        })?)
    }
}
