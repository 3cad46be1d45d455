//! The SQLite implementation of [`Repo`]: one file under `data/` by default,
//! in WAL mode with foreign keys on.

use std::{str::FromStr, time::Duration};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

mod accounts;
mod chat;
mod queue;

use super::{
    Conversation, DbError, JobFn, MailOutcome, Message, MessageStatus, NewUser, PoolSettings,
    QueuedMail, ResetDone, Role, SessionRow, User,
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
        // No ping before each use (sqlx's default): a connection to a local
        // file does not go stale, and the ping is one more round trip to the
        // connection's worker thread on every query.
        let pool = SqlitePoolOptions::new()
            .max_connections(pool.max_connections)
            .test_before_acquire(false)
            .acquire_timeout(pool.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        tracing::info!(file = %file.display(), "sqlite database ready");
        Ok(Self { pool })
    }
}

super::repo_impl::impl_repo!(SqliteRepo);
