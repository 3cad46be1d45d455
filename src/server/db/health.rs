//! Whether the database answers, and closing it at shutdown.

use async_trait::async_trait;

use super::{
    pool::{on_pool, Pool},
    DbError, SqlRepo,
};

/// The database as a whole.
#[async_trait]
pub trait Health: Send + Sync {
    /// Answers when the database can run a query.
    async fn ping(&self) -> Result<(), DbError>;
    /// Closes every connection; later calls fail. Used at shutdown.
    async fn close(&self);
    /// The pool's connections now: `(idle, in use)`.
    fn pool_connections(&self) -> (u32, u32);
}

#[async_trait]
impl Health for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn ping(&self) -> Result<(), DbError> {
        on_pool!(&self.pool, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(drop))?;
        Ok(())
    }

    async fn close(&self) {
        on_pool!(&self.writer, |p| p.close().await);
        on_pool!(&self.pool, |p| p.close().await);
    }

    /// Both pools' on SQLite (its writer has one connection of its own).
    fn pool_connections(&self) -> (u32, u32) {
        let count = |pool: &Pool| {
            on_pool!(pool, |p| {
                let idle = u32::try_from(p.num_idle()).unwrap_or(u32::MAX);
                (idle, p.size().saturating_sub(idle))
            })
        };
        let (idle, busy) = count(&self.pool);
        match &self.writer {
            Pool::Sqlite(_) => {
                let (writer_idle, writer_busy) = count(&self.writer);
                (idle + writer_idle, busy + writer_busy)
            }
            // The same pool as the reads.
            Pool::Postgres(_) => (idle, busy),
        }
    }
}
