//! tower-sessions records, with the signed-in user in an indexed column so
//! that all sessions of a user can be ended without a scan.

use async_trait::async_trait;

use super::{
    audit::append_in,
    pool::{on_pool, WriteTx},
    AuditEvent, DbError, SessionRow, SqlRepo,
};

/// Session records.
#[async_trait]
pub trait Sessions: Send + Sync {
    /// Inserts a new session; false when the id is taken.
    async fn session_insert(&self, row: &SessionRow) -> Result<bool, DbError>;
    /// Inserts or replaces a session.
    async fn session_upsert(&self, row: &SessionRow) -> Result<(), DbError>;
    /// A session that has not expired at `now`.
    async fn session_load(&self, id: &str, now: i64) -> Result<Option<SessionRow>, DbError>;
    /// Which of the sessions `ids` have not expired at `now`, in no order:
    /// a query per 512 ids, for the readers that watch them.
    async fn sessions_live(&self, ids: &[String], now: i64) -> Result<Vec<String>, DbError>;
    /// Deletes one session.
    async fn session_delete(&self, id: &str) -> Result<(), DbError>;
    /// Deletes every session of a user; returns how many there were.
    async fn sessions_delete_for_user(&self, user_id: i64) -> Result<u64, DbError>;
    /// The live sessions of a user, most recently used first.
    async fn sessions_of(&self, user_id: i64, now: i64) -> Result<Vec<SessionRow>, DbError>;
    /// Ends the user's session stored as `id` (`Some`), or every one of
    /// their sessions but `keep` (`None`), recording `event`; returns how
    /// many ended.
    async fn sessions_revoke(
        &self,
        user_id: i64,
        id: Option<&str>,
        keep: &str,
        event: &AuditEvent,
        now: i64,
    ) -> Result<u64, DbError>;
}

/// Ends every session of user `$1`.
pub(super) const DELETE_USER_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";

/// The most ids one `IN (...)` list holds: far below both backends' limit
/// on bound values (SQLite 32,766 since 3.32, PostgreSQL 65,535), so a
/// statement stays small.
const IN_CHUNK: usize = 512;

/// `ids` cut into lists for `IN (...)`, each padded with its last id to a
/// power of two: a handful of statement shapes instead of one per length,
/// so the prepared-statement cache keeps them.
pub(super) fn in_lists<T: Clone>(ids: &[T]) -> impl Iterator<Item = Vec<T>> + '_ {
    ids.chunks(IN_CHUNK).map(|chunk| {
        let mut list = chunk.to_vec();
        let last = chunk.last().expect("chunks are not empty").clone();
        list.resize(chunk.len().next_power_of_two(), last);
        list
    })
}

/// `$first, $first+1, ...`: `n` placeholders for an `IN (...)` list.
pub(super) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[async_trait]
impl Sessions for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn session_insert(&self, row: &SessionRow) -> Result<bool, DbError> {
        let done = on_pool!(&self.writer, |p| {
            sqlx::query(
                "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(&row.id)
            .bind(row.user_id)
            .bind(&row.data)
            .bind(row.expires_at)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(done == 1)
    }

    #[tracing::instrument(skip_all, err)]
    async fn session_upsert(&self, row: &SessionRow) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            sqlx::query(
                "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO UPDATE SET user_id = $2, data = $3, expires_at = $4",
            )
            .bind(&row.id)
            .bind(row.user_id)
            .bind(&row.data)
            .bind(row.expires_at)
            .execute(p)
            .await
            .map(drop)
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn session_load(&self, id: &str, now: i64) -> Result<Option<SessionRow>, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, user_id, data, expires_at FROM sessions
                 WHERE id = $1 AND expires_at > $2",
            )
            .bind(id)
            .bind(now)
            .fetch_optional(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn sessions_live(&self, ids: &[String], now: i64) -> Result<Vec<String>, DbError> {
        let mut live = Vec::new();
        for list in in_lists(ids) {
            let sql = format!(
                "SELECT id FROM sessions WHERE expires_at > $1 AND id IN ({})",
                placeholders(2, list.len())
            );
            let found: Vec<String> = on_pool!(&self.pool, |p| {
                let mut query = sqlx::query_scalar(&sql).bind(now);
                for id in &list {
                    query = query.bind(id);
                }
                query.fetch_all(p).await
            })?;
            live.extend(found);
        }
        Ok(live)
    }

    #[tracing::instrument(skip_all, err)]
    async fn session_delete(&self, id: &str) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(id)
                .execute(p)
                .await
                .map(drop)
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn sessions_delete_for_user(&self, user_id: i64) -> Result<u64, DbError> {
        let done = on_pool!(&self.writer, |p| {
            sqlx::query(DELETE_USER_SESSIONS)
                .bind(user_id)
                .execute(p)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(done)
    }

    #[tracing::instrument(skip_all, err)]
    async fn sessions_of(&self, user_id: i64, now: i64) -> Result<Vec<SessionRow>, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, user_id, data, expires_at FROM sessions
                 WHERE user_id = $1 AND expires_at > $2 ORDER BY expires_at DESC",
            )
            .bind(user_id)
            .bind(now)
            .fetch_all(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn sessions_revoke(
        &self,
        user_id: i64,
        id: Option<&str>,
        keep: &str,
        event: &AuditEvent,
        now: i64,
    ) -> Result<u64, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let ended = match id {
                Some(id) => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
                None => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
                    .bind(user_id)
                    .bind(keep)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
            };
            if ended > 0 {
                append_in!(&mut tx, event, now);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(ended)
        })?)
    }
}
