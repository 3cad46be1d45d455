//! E-mail verification tokens (only their SHA-256 is stored) and the
//! verification itself.

use async_trait::async_trait;

use super::{
    audit::append_in,
    pool::{on_pool, WriteTx},
    AuditEvent, DbError, SqlRepo,
};

/// Verification links.
#[async_trait]
pub trait Verification: Send + Sync {
    /// Stores a new token's hash for `user_id`; older unused ones stop working.
    async fn verification_token_create(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), DbError>;
    /// In one transaction: consumes the token if it is unused and unexpired,
    /// marks its user's address verified and records `event` (its user
    /// filled in). The user's id, or `None` for a token that is not valid.
    async fn verify_email(
        &self,
        token_hash: &str,
        event: &AuditEvent,
        now: i64,
    ) -> Result<Option<i64>, DbError>;
}

#[async_trait]
impl Verification for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn verification_token_create(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "UPDATE email_verification_tokens SET used_at = $2
                 WHERE user_id = $1 AND used_at IS NULL",
            )
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO email_verification_tokens (token_hash, user_id, expires_at, created_at)
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
    async fn verify_email(
        &self,
        token_hash: &str,
        event: &AuditEvent,
        now: i64,
    ) -> Result<Option<i64>, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let user_id: Option<i64> = sqlx::query_scalar(
                "UPDATE email_verification_tokens SET used_at = $2
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
            sqlx::query(
                "UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL",
            )
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let mut event = event.clone();
            event.user_id = Some(user_id);
            append_in!(&mut tx, &event, now);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(user_id))
        })?)
    }
}
