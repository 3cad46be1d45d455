//! The SQLite implementation of [`Repo`]: one file under `data/` by default,
//! in WAL mode with foreign keys on.

use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

mod accounts;
mod chat;
mod queue;

use super::{
    Conversation, DbError, JobFn, MailOutcome, Message, MessageStatus, NewUser, PoolSettings,
    QueuedMail, Repo, ResetDone, Role, SessionRow, User,
};

/// Starts a transaction that takes the write lock at once. A deferred one
/// that reads first and writes later fails with SQLITE_BUSY (which
/// `busy_timeout` cannot wait out) when another connection wrote meanwhile;
/// taking the lock up front makes concurrent writers queue instead.
pub(super) async fn write_tx(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// SQLite storage over a connection pool.
#[derive(Clone, Debug)]
pub struct SqliteRepo {
    pool: SqlitePool,
}

impl SqliteRepo {
    /// Opens (or creates) the database file and runs the migrations.
    #[tracing::instrument(skip_all)]
    pub async fn connect(url: &str, pool: PoolSettings) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(DbError::Connect)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL makes NORMAL durable against application crashes and much
            // faster than FULL; only a power cut can lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let file = options.get_filename().to_owned();
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(pool.max_connections)
            .acquire_timeout(pool.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        tracing::info!(file = %file.display(), "sqlite database ready");
        Ok(Self { pool })
    }

    /// The pool, for parts that need a raw handle (the session store).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

#[async_trait]
impl Repo for SqliteRepo {
    #[tracing::instrument(skip_all)]
    async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    #[tracing::instrument(skip_all)]
    async fn create_user(
        &self,
        new: &NewUser<'_>,
        now: i64,
        welcome: JobFn<'_>,
    ) -> Result<User, DbError> {
        accounts::create_user(&self.pool, new, now, welcome).await
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_email(&self, email: &str) -> Result<Option<(User, Option<String>)>, DbError> {
        accounts::user_by_email(&self.pool, email).await
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_id(&self, id: i64) -> Result<Option<User>, DbError> {
        accounts::user_by_id(&self.pool, id).await
    }

    #[tracing::instrument(skip_all)]
    async fn set_password_hash(&self, user_id: i64, hash: &str, now: i64) -> Result<(), DbError> {
        accounts::set_password_hash(&self.pool, user_id, hash, now).await
    }

    #[tracing::instrument(skip_all)]
    async fn session_insert(&self, row: &SessionRow) -> Result<bool, DbError> {
        accounts::session_insert(&self.pool, row).await
    }

    #[tracing::instrument(skip_all)]
    async fn session_upsert(&self, row: &SessionRow) -> Result<(), DbError> {
        accounts::session_upsert(&self.pool, row).await
    }

    #[tracing::instrument(skip_all)]
    async fn session_load(&self, id: &str, now: i64) -> Result<Option<SessionRow>, DbError> {
        accounts::session_load(&self.pool, id, now).await
    }

    #[tracing::instrument(skip_all)]
    async fn session_delete(&self, id: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn sessions_delete_for_user(&self, user_id: i64) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    #[tracing::instrument(skip_all)]
    async fn delete_expired(&self, now: i64) -> Result<u64, DbError> {
        queue::delete_expired(&self.pool, now).await
    }

    #[tracing::instrument(skip_all)]
    async fn rate_limit_hit(&self, key: &str, window_secs: i64, now: i64) -> Result<i64, DbError> {
        queue::rate_limit_hit(&self.pool, key, window_secs, now).await
    }

    #[tracing::instrument(skip_all)]
    async fn mail_enqueue(&self, job: &str, now: i64) -> Result<i64, DbError> {
        Ok(queue::mail_enqueue(&self.pool, job, now).await?)
    }

    #[tracing::instrument(skip_all)]
    async fn mail_claim(
        &self,
        now: i64,
        lease_secs: i64,
        limit: i64,
    ) -> Result<Vec<QueuedMail>, DbError> {
        queue::mail_claim(&self.pool, now, lease_secs, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn mail_finish(&self, id: i64, outcome: &MailOutcome, now: i64) -> Result<(), DbError> {
        queue::mail_finish(&self.pool, id, outcome, now).await
    }

    #[tracing::instrument(skip_all)]
    async fn reset_token_create(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), DbError> {
        accounts::reset_token_create(&self.pool, user_id, token_hash, expires_at, now).await
    }

    #[tracing::instrument(skip_all)]
    async fn reset_token_valid(&self, token_hash: &str, now: i64) -> Result<bool, DbError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM password_reset_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    #[tracing::instrument(skip_all)]
    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
        confirmation: JobFn<'_>,
    ) -> Result<Option<ResetDone>, DbError> {
        accounts::reset_password(&self.pool, token_hash, password_hash, now, confirmation).await
    }

    #[tracing::instrument(skip_all)]
    async fn conversation_create(
        &self,
        user_id: i64,
        title: &str,
        model: &str,
        now: i64,
    ) -> Result<Conversation, DbError> {
        chat::conversation_create(&self.pool, user_id, title, model, now).await
    }

    #[tracing::instrument(skip_all)]
    async fn conversation_get(
        &self,
        user_id: i64,
        id: i64,
    ) -> Result<Option<Conversation>, DbError> {
        chat::conversation_get(&self.pool, user_id, id).await
    }

    #[tracing::instrument(skip_all)]
    async fn conversations_list(&self, user_id: i64) -> Result<Vec<Conversation>, DbError> {
        chat::conversations_list(&self.pool, user_id).await
    }

    #[tracing::instrument(skip_all)]
    async fn conversation_rename(
        &self,
        user_id: i64,
        id: i64,
        title: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE conversations SET title = ?, updated_at = ? WHERE id = ? AND user_id = ?",
        )
        .bind(title)
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    #[tracing::instrument(skip_all)]
    async fn conversation_delete(&self, user_id: i64, id: i64) -> Result<bool, DbError> {
        let done = sqlx::query("DELETE FROM conversations WHERE id = ? AND user_id = ?")
            .bind(id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    #[tracing::instrument(skip_all)]
    async fn conversation_clear(&self, user_id: i64, id: i64) -> Result<bool, DbError> {
        chat::conversation_clear(&self.pool, user_id, id).await
    }

    #[tracing::instrument(skip_all)]
    async fn message_add(
        &self,
        conversation_id: i64,
        role: Role,
        content: &str,
        status: MessageStatus,
        now: i64,
    ) -> Result<i64, DbError> {
        chat::message_add(&self.pool, conversation_id, role, content, status, now).await
    }

    #[tracing::instrument(skip_all)]
    async fn messages(
        &self,
        conversation_id: i64,
        limit: Option<i64>,
    ) -> Result<Vec<Message>, DbError> {
        chat::messages(&self.pool, conversation_id, limit).await
    }
}
