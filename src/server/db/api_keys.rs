//! API keys: stored as the SHA-256 of the key, never the key.

use async_trait::async_trait;

pub use crate::domain::account::ApiKeyRow;

use super::{
    audit::append_in,
    pool::{on_pool, WriteTx},
    rows::{user_columns, UserRow},
    sessions::{in_lists, placeholders},
    AuditEvent, DbError, SqlRepo, User,
};

/// A key about to be stored.
pub struct NewApiKey<'a> {
    /// Its owner.
    pub user_id: i64,
    /// Its name.
    pub name: &'a str,
    /// Hex SHA-256 of the key.
    pub key_hash: &'a str,
    /// The key's last four characters.
    pub hint: &'a str,
}

/// How often `last_used_at` is written: a script calling many times a
/// second must not turn every read into a write.
pub const LAST_USED_RESOLUTION_SECS: i64 = 60;

/// The API keys of accounts.
#[async_trait]
pub trait ApiKeys: Send + Sync {
    /// Stores a key unless its owner already has `max` of them; `None` then.
    async fn api_key_create(
        &self,
        new: &NewApiKey<'_>,
        max: i64,
        event: &AuditEvent,
        now: i64,
    ) -> Result<Option<i64>, DbError>;
    /// The user's keys, oldest first.
    async fn api_keys_of(&self, user_id: i64) -> Result<Vec<ApiKeyRow>, DbError>;
    /// Deletes one of the user's keys; false when they have no such key.
    async fn api_key_revoke(
        &self,
        user_id: i64,
        id: i64,
        event: &AuditEvent,
        now: i64,
    ) -> Result<bool, DbError>;
    /// The user owning the key whose hash is `key_hash`, with the key's id,
    /// noting the use (at most once a [`LAST_USED_RESOLUTION_SECS`]).
    async fn user_by_api_key(
        &self,
        key_hash: &str,
        now: i64,
    ) -> Result<Option<(User, i64)>, DbError>;
    /// Which of the keys `ids` still exist, in no order (see
    /// [`Sessions::sessions_live`](super::Sessions::sessions_live)).
    async fn api_keys_existing(&self, ids: &[i64]) -> Result<Vec<i64>, DbError>;
}

#[derive(sqlx::FromRow)]
struct KeyOwner {
    key_id: i64,
    last_used_at: Option<i64>,
    #[sqlx(flatten)]
    user: UserRow,
}

#[async_trait]
impl ApiKeys for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn api_key_create(
        &self,
        new: &NewApiKey<'_>,
        max: i64,
        event: &AuditEvent,
        now: i64,
    ) -> Result<Option<i64>, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_keys WHERE user_id = $1")
                .bind(new.user_id)
                .fetch_one(&mut *tx)
                .await?;
            if held >= max {
                return Ok(None);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_keys (user_id, name, key_hash, hint, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(new.user_id)
            .bind(new.name)
            .bind(new.key_hash)
            .bind(new.hint)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            append_in!(&mut tx, event, now);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(id))
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn api_keys_of(&self, user_id: i64) -> Result<Vec<ApiKeyRow>, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, name, hint, created_at, last_used_at FROM api_keys
                 WHERE user_id = $1 ORDER BY id",
            )
            .bind(user_id)
            .fetch_all(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn api_key_revoke(
        &self,
        user_id: i64,
        id: i64,
        event: &AuditEvent,
        now: i64,
    ) -> Result<bool, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query("DELETE FROM api_keys WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 1 {
                append_in!(&mut tx, event, now);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(done == 1)
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_by_api_key(
        &self,
        key_hash: &str,
        now: i64,
    ) -> Result<Option<(User, i64)>, DbError> {
        let found: Option<KeyOwner> = on_pool!(&self.pool, |p| {
            sqlx::query_as(concat!(
                "SELECT api_keys.id AS key_id, api_keys.last_used_at, ",
                user_columns!(),
                " FROM api_keys JOIN users ON users.id = api_keys.user_id \
                 WHERE api_keys.key_hash = $1"
            ))
            .bind(key_hash)
            .fetch_optional(p)
            .await
        })?;
        let Some(found) = found else {
            return Ok(None);
        };
        let stale = found
            .last_used_at
            .is_none_or(|at| at + LAST_USED_RESOLUTION_SECS <= now);
        if stale {
            on_pool!(&self.writer, |p| {
                sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
                    .bind(found.key_id)
                    .bind(now)
                    .execute(p)
                    .await
                    .map(drop)
            })?;
        }
        Ok(Some((found.user.into(), found.key_id)))
    }

    #[tracing::instrument(skip_all, err)]
    async fn api_keys_existing(&self, ids: &[i64]) -> Result<Vec<i64>, DbError> {
        let mut existing = Vec::new();
        for list in in_lists(ids) {
            let sql = format!(
                "SELECT id FROM api_keys WHERE id IN ({})",
                placeholders(1, list.len())
            );
            let found: Vec<i64> = on_pool!(&self.pool, |p| {
                let mut query = sqlx::query_scalar(&sql);
                for id in &list {
                    query = query.bind(*id);
                }
                query.fetch_all(p).await
            })?;
            existing.extend(found);
        }
        Ok(existing)
    }
}
