//! Answers while they are written: stored from their first moment with
//! status `streaming`, brought up to date by the instance that runs them,
//! stopped from anywhere through the database, and swept up when the
//! instance that ran them died.

use async_trait::async_trait;

use super::{
    pool::{on_pool, WriteTx},
    DbError, MessageStatus, SqlRepo, Usage,
};

/// An answer as stored: what a reader served by another instance follows.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredAnswer {
    /// The text so far (all of it once it ended).
    pub content: String,
    /// `streaming` while it runs.
    pub status: String,
    /// Why an answer that is not `complete` ended: `stopped`, the model's
    /// failure code, or `interrupted` (its instance went away).
    pub ended_by: Option<String>,
    /// The token counts the model service reported, if it did.
    pub prompt_tokens: Option<i64>,
    /// See `prompt_tokens`.
    pub completion_tokens: Option<i64>,
}

impl StoredAnswer {
    /// The status, parsed.
    pub fn status(&self) -> MessageStatus {
        MessageStatus::parse(&self.status)
    }

    /// The token counts, when both were reported.
    pub fn usage(&self) -> Option<Usage> {
        Some(Usage {
            prompt_tokens: self.prompt_tokens?,
            completion_tokens: self.completion_tokens?,
        })
    }
}

/// Answers being written.
#[async_trait]
pub trait Answers: Send + Sync {
    /// Writes the running answers' text so far (`None`: unchanged since the
    /// last time) and their heartbeat, in one transaction.
    async fn answers_flush(
        &self,
        answers: &[(i64, Option<String>)],
        now: i64,
    ) -> Result<(), DbError>;
    /// Stores how an answer ended: its whole text, its status, why, and
    /// what it cost where the model service said.
    async fn answer_finish(
        &self,
        id: i64,
        content: &str,
        status: MessageStatus,
        ended_by: Option<&str>,
        usage: Option<Usage>,
        now: i64,
    ) -> Result<(), DbError>;
    /// Asks the instance running answer `id` to stop it (it polls).
    async fn answer_request_stop(&self, id: i64) -> Result<(), DbError>;
    /// The running answers that were asked to stop.
    async fn answers_stop_requested(&self) -> Result<Vec<i64>, DbError>;
    /// One answer as stored.
    async fn answer_get(&self, id: i64) -> Result<Option<StoredAnswer>, DbError>;
    /// Marks `partial` every answer still `streaming` whose instance has
    /// not written its heartbeat since `stale_before`: that instance died.
    async fn answers_sweep(&self, stale_before: i64) -> Result<u64, DbError>;
}

#[async_trait]
impl Answers for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn answers_flush(
        &self,
        answers: &[(i64, Option<String>)],
        now: i64,
    ) -> Result<(), DbError> {
        // One transaction for all: on SQLite, one commit (one fsync of the
        // WAL) instead of one per answer.
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            for (id, content) in answers {
                sqlx::query(
                    "UPDATE messages SET content = COALESCE($1, content), heartbeat_at = $2
                     WHERE id = $3 AND status = 'streaming'",
                )
                .bind(content.as_deref())
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn answer_finish(
        &self,
        id: i64,
        content: &str,
        status: MessageStatus,
        ended_by: Option<&str>,
        usage: Option<Usage>,
        now: i64,
    ) -> Result<(), DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "UPDATE messages SET content = $1, status = $2, ended_by = $3,
                     heartbeat_at = NULL, stop_requested = FALSE,
                     prompt_tokens = $4, completion_tokens = $5
                 WHERE id = $6",
            )
            .bind(content)
            .bind(status.as_str())
            .bind(ended_by)
            .bind(usage.map(|u| u.prompt_tokens))
            .bind(usage.map(|u| u.completion_tokens))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE conversations SET updated_at = $1
                 WHERE id = (SELECT conversation_id FROM messages WHERE id = $2)",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn answer_request_stop(&self, id: i64) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            sqlx::query(
                "UPDATE messages SET stop_requested = TRUE WHERE id = $1 AND status = 'streaming'",
            )
            .bind(id)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn answers_stop_requested(&self) -> Result<Vec<i64>, DbError> {
        // Reads the partial index `messages_streaming`: the running answers
        // only, however many messages there are.
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_scalar(
                "SELECT id FROM messages WHERE status = 'streaming' AND stop_requested = TRUE",
            )
            .fetch_all(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn answer_get(&self, id: i64) -> Result<Option<StoredAnswer>, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT content, status, ended_by, prompt_tokens, completion_tokens
                 FROM messages WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn answers_sweep(&self, stale_before: i64) -> Result<u64, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            sqlx::query(
                "UPDATE messages SET status = 'partial', ended_by = 'interrupted',
                     heartbeat_at = NULL, stop_requested = FALSE
                 WHERE status = 'streaming' AND (heartbeat_at IS NULL OR heartbeat_at < $1)",
            )
            .bind(stale_before)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?)
    }
}
