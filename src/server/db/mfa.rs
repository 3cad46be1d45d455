//! TOTP credentials (the secret encrypted by the caller) and recovery codes
//! (as hashes). Replay is refused in the database: a time step is accepted
//! only when it is newer than the last one accepted, in one `UPDATE`, so two
//! requests with the same code (on two instances, even) cannot both pass.

use async_trait::async_trait;

use super::{
    audit::append_in,
    pool::{on_pool, WriteTx},
    AuditEvent, DbError, SqlRepo,
};

/// An account's TOTP credential.
#[derive(Clone, sqlx::FromRow)]
pub struct MfaRow {
    /// The encrypted secret (base64 of nonce ‖ ciphertext).
    pub secret: String,
    /// Whether it is on (set up and confirmed with a right code).
    pub enabled: bool,
    /// The newest time step accepted.
    pub last_step: i64,
}

impl std::fmt::Debug for MfaRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaRow")
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

/// Two-factor credentials.
#[async_trait]
pub trait Mfa: Send + Sync {
    /// The user's credential, on or being set up.
    async fn mfa_of(&self, user_id: i64) -> Result<Option<MfaRow>, DbError>;
    /// Stores a new secret being set up, replacing an earlier one that was
    /// never confirmed; false when MFA is already on.
    async fn mfa_begin(&self, user_id: i64, secret: &str, now: i64) -> Result<bool, DbError>;
    /// Turns the secret being set up on, accepting time step `step`, and
    /// stores the recovery codes' hashes (replacing any); false when there is
    /// nothing being set up or the step was used.
    async fn mfa_enable(
        &self,
        user_id: i64,
        step: i64,
        code_hashes: &[String],
        event: &AuditEvent,
        now: i64,
    ) -> Result<bool, DbError>;
    /// Accepts time step `step` once: false when it, or a later one, was
    /// accepted before.
    async fn mfa_accept_step(&self, user_id: i64, step: i64) -> Result<bool, DbError>;
    /// Uses up the recovery code with hash `code_hash`; false when it is
    /// unknown or used.
    async fn mfa_use_recovery(
        &self,
        user_id: i64,
        code_hash: &str,
        now: i64,
    ) -> Result<bool, DbError>;
    /// Removes the credential and recovery codes, recording `event` when
    /// MFA was on; returns whether it was.
    async fn mfa_disable(
        &self,
        user_id: i64,
        event: &AuditEvent,
        now: i64,
    ) -> Result<bool, DbError>;
}

#[async_trait]
impl Mfa for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn mfa_of(&self, user_id: i64) -> Result<Option<MfaRow>, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT secret, enabled_at IS NOT NULL AS enabled, last_step
                 FROM mfa_credentials WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_optional(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn mfa_begin(&self, user_id: i64, secret: &str, now: i64) -> Result<bool, DbError> {
        let done = on_pool!(&self.writer, |p| {
            sqlx::query(
                "INSERT INTO mfa_credentials (user_id, secret, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id) DO UPDATE SET secret = $2, created_at = $3, last_step = 0
                 WHERE mfa_credentials.enabled_at IS NULL",
            )
            .bind(user_id)
            .bind(secret)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    #[tracing::instrument(skip_all, err)]
    async fn mfa_enable(
        &self,
        user_id: i64,
        step: i64,
        code_hashes: &[String],
        event: &AuditEvent,
        now: i64,
    ) -> Result<bool, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let on = sqlx::query(
                "UPDATE mfa_credentials SET enabled_at = $2, last_step = $3
                 WHERE user_id = $1 AND enabled_at IS NULL AND last_step < $3",
            )
            .bind(user_id)
            .bind(now)
            .bind(step)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if on == 0 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM mfa_recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            for hash in code_hashes {
                sqlx::query("INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                    .bind(user_id)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
            }
            append_in!(&mut tx, event, now);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(true)
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn mfa_accept_step(&self, user_id: i64, step: i64) -> Result<bool, DbError> {
        let done = on_pool!(&self.writer, |p| {
            sqlx::query(
                "UPDATE mfa_credentials SET last_step = $2
                 WHERE user_id = $1 AND enabled_at IS NOT NULL AND last_step < $2",
            )
            .bind(user_id)
            .bind(step)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    #[tracing::instrument(skip_all, err)]
    async fn mfa_use_recovery(
        &self,
        user_id: i64,
        code_hash: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let done = on_pool!(&self.writer, |p| {
            sqlx::query(
                "UPDATE mfa_recovery_codes SET used_at = $3
                 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
            )
            .bind(user_id)
            .bind(code_hash)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    #[tracing::instrument(skip_all, err)]
    async fn mfa_disable(
        &self,
        user_id: i64,
        event: &AuditEvent,
        now: i64,
    ) -> Result<bool, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let was_on: Option<bool> = sqlx::query_scalar(
                "DELETE FROM mfa_credentials WHERE user_id = $1 RETURNING enabled_at IS NOT NULL",
            )
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM mfa_recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let was_on = was_on.unwrap_or(false);
            if was_on {
                append_in!(&mut tx, event, now);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(was_on)
        })?)
    }
}
