//! Password-reset tokens (only their SHA-256 is stored) and the reset itself.

use async_trait::async_trait;

use super::{
    accounts::UPSERT_PASSWORD,
    audit::append_in,
    mail_queue::ENQUEUE,
    pool::{on_pool, Pool, WriteTx},
    sessions::DELETE_USER_SESSIONS,
    AuditEvent, DbError, JobFn, PasswordHash, ResetDone, SqlRepo,
};

/// Reset tokens and the password change they allow.
#[async_trait]
pub trait ResetTokens: Send + Sync {
    /// Stores a new reset token's hash for `user_id`; older unused tokens of
    /// that user stop working.
    async fn reset_token_create(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), DbError>;
    /// True when the token exists, is unused and has not expired.
    async fn reset_token_valid(&self, token_hash: &str, now: i64) -> Result<bool, DbError>;
    /// In one transaction: consumes the token (if still valid), sets the new
    /// password hash, ends every session of the user and queues
    /// `confirmation(user_id)`. `None` when the token is not valid.
    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &PasswordHash,
        now: i64,
        confirmation: JobFn<'_>,
        event: &AuditEvent,
    ) -> Result<Option<ResetDone>, DbError>;
}

/// Marks every unused reset token of user `$2` as used at `$1`: only the
/// newest link works, and none works after a reset.
const RETIRE_TOKENS: &str =
    "UPDATE password_reset_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL";

#[async_trait]
impl ResetTokens for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn reset_token_create(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), DbError> {
        // Two links made at once for one account must still leave only the
        // newer valid: the user's row is locked first, so the second
        // transaction waits and then retires the first one's token. SQLite's
        // BEGIN IMMEDIATE already runs writers one at a time.
        let lock_user = match &self.pool {
            Pool::Sqlite(_) => "SELECT id FROM users WHERE id = $1",
            Pool::Postgres(_) => "SELECT id FROM users WHERE id = $1 FOR UPDATE",
        };
        on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            sqlx::query(lock_user)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            // Only the newest link works: a mail that arrives late cannot be replayed.
            sqlx::query(RETIRE_TOKENS)
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, created_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(expires_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn reset_token_valid(&self, token_hash: &str, now: i64) -> Result<bool, DbError> {
        let found: Option<bool> = on_pool!(&self.pool, |p| {
            sqlx::query_scalar(
                "SELECT TRUE FROM password_reset_tokens
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(p)
            .await
        })?;
        Ok(found.is_some())
    }

    #[tracing::instrument(skip_all, err)]
    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &PasswordHash,
        now: i64,
        confirmation: JobFn<'_>,
        event: &AuditEvent,
    ) -> Result<Option<ResetDone>, DbError> {
        on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let user_id: Option<i64> = sqlx::query_scalar(
                "UPDATE password_reset_tokens SET used_at = $2
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
                 RETURNING user_id",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(user_id) = user_id else {
                return Ok(None);
            };
            sqlx::query(UPSERT_PASSWORD)
                .bind(user_id)
                .bind(password_hash.expose())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(RETIRE_TOKENS)
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let revoked = sqlx::query(DELETE_USER_SESSIONS)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(ENQUEUE)
                .bind(confirmation(user_id))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let mut event = event.clone();
            event.user_id = Some(user_id);
            append_in!(&mut tx, &event, now);
            tx.commit().await?;
            Ok(Some(ResetDone {
                user_id,
                revoked_sessions: revoked,
            }))
        })
    }
}
