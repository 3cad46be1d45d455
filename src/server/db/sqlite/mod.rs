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

/// The database file through two pools. SQLite lets one connection write at
/// a time, and a writer that finds the lock taken sleeps in SQLite's busy
/// handler (1, 2, 5, 10, 15, 20, 25... ms) while holding its pooled
/// connection, so concurrent writers waste the pool and wait far longer
/// than the writes take. Every write therefore goes through `write`, a pool
/// of one connection, where writers queue in order without sleeping; reads
/// use `read`, which WAL lets run beside the writer. Another process on the
/// same file (`sqlite3` for instance) still meets the busy handler.
#[derive(Clone, Debug)]
pub(super) struct Pools {
    read: SqlitePool,
    write: SqlitePool,
}

/// Starts a transaction on the writer that takes the write lock at once. A
/// deferred one that reads first and writes later fails with SQLITE_BUSY
/// (which `busy_timeout` cannot wait out) when another process wrote
/// meanwhile; taking the lock up front makes it wait instead.
pub(super) async fn write_tx(
    pools: &Pools,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pools.write.begin_with("BEGIN IMMEDIATE").await
}

/// SQLite storage over a reader pool and a one-connection writer pool.
#[derive(Clone, Debug)]
pub struct SqliteRepo {
    pool: Pools,
}

impl SqliteRepo {
    /// Opens (or creates) the database file and runs the migrations.
    /// `DB_MAX_CONNECTIONS` sizes the reader pool; the writer is one more.
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
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(pool.acquire_timeout)
            .connect_with(options.clone())
            .await
            .map_err(DbError::Connect)?;
        sqlx::migrate!("migrations/sqlite").run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(pool.max_connections)
            .test_before_acquire(false)
            .acquire_timeout(pool.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        tracing::info!(file = %file.display(), "sqlite database ready");
        Ok(Self {
            pool: Pools { read, write },
        })
    }
}

async fn ping(pools: &Pools) -> Result<(), DbError> {
    sqlx::query("SELECT 1").execute(&pools.read).await?;
    Ok(())
}

async fn close(pools: &Pools) {
    pools.write.close().await;
    pools.read.close().await;
}

super::repo_impl::impl_repo!(SqliteRepo);
