//! The connection pool of either backend, and [`on_pool!`], which compiles
//! one query body for both.

use std::{future::Future, str::FromStr, time::Duration};

use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPool, PgPoolOptions},
    sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
    },
    Database, Postgres, Sqlite, Transaction,
};

use super::DbError;
use crate::server::config::db::{DatabaseUrl, DbSettings};

/// A pool of connections to one database.
#[derive(Clone, Debug)]
pub enum Pool {
    /// A file, in WAL mode with foreign keys on.
    Sqlite(SqlitePool),
    /// A server that several instances may share.
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to the backend's own pool type. The body,
/// and the SQL in it, is written once and compiled once per backend, so
/// every query keeps sqlx's static types without a forwarding layer.
macro_rules! on_pool {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            $crate::server::db::pool::Pool::Sqlite($p) => $body,
            $crate::server::db::pool::Pool::Postgres($p) => $body,
        }
    };
}
pub(super) use on_pool;

/// How a write transaction starts: the one dialect difference that every
/// transaction meets.
pub(super) trait WriteTx {
    /// The backend.
    type Db: Database;

    /// Begins a transaction that will write.
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl WriteTx for SqlitePool {
    type Db = Sqlite;

    /// `BEGIN IMMEDIATE` takes the write lock at once. A deferred
    /// transaction that reads first and writes later fails with SQLITE_BUSY
    /// (which `busy_timeout` cannot wait out) when another connection wrote
    /// meanwhile; taking the lock up front makes concurrent writers queue.
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl WriteTx for PgPool {
    type Db = Postgres;

    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

impl Pool {
    /// Connects (creating a missing SQLite file and its folder) and runs
    /// the backend's migrations.
    pub async fn connect(settings: &DbSettings) -> Result<Self, DbError> {
        let pool = Self::open(settings).await?;
        pool.migrate().await?;
        match &pool {
            Self::Sqlite(p) => {
                let options = p.connect_options();
                tracing::info!(file = %options.get_filename().display(), "sqlite database ready");
            }
            Self::Postgres(_) => tracing::info!("postgres database ready"),
        }
        Ok(pool)
    }

    /// Applies the backend's pending migrations.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Self::Sqlite(pool) => migrate_sqlite(pool).await,
            Self::Postgres(pool) => Ok(POSTGRES_MIGRATIONS.run(pool).await?),
        }
    }

    /// Connects (creating a missing SQLite file and its folder), without
    /// migrating.
    pub async fn open(settings: &DbSettings) -> Result<Self, DbError> {
        let max = settings.max_connections;
        let acquire = settings.acquire_timeout;
        let url = settings.url.expose();
        match &settings.url {
            DatabaseUrl::Sqlite(_) => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(DbError::Connect)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // WAL makes NORMAL durable against application crashes
                    // and much faster than FULL; only a power cut can lose
                    // the last commits.
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                let file = options.get_filename().to_owned();
                if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    tokio::fs::create_dir_all(dir).await?;
                }
                // No ping before each use (sqlx's default): a connection to
                // a local file does not go stale, and the ping is one more
                // round trip to the connection's worker thread per query.
                let pool = SqlitePoolOptions::new()
                    .max_connections(max)
                    .test_before_acquire(false)
                    .acquire_timeout(acquire)
                    .connect_with(options)
                    .await
                    .map_err(DbError::Connect)?;
                Ok(Self::Sqlite(pool))
            }
            DatabaseUrl::Postgres(_) => {
                let options = PgConnectOptions::from_str(url).map_err(DbError::Connect)?;
                // Connections that break (a database restart) are dropped
                // and replaced by the pool on the next use.
                let pool = PgPoolOptions::new()
                    .max_connections(max)
                    .acquire_timeout(acquire)
                    .idle_timeout(Some(Duration::from_secs(600)))
                    .connect_with(options)
                    .await
                    .map_err(DbError::Connect)?;
                Ok(Self::Postgres(pool))
            }
        }
    }
}

/// The SQLite schema's migrations, compiled in.
pub(super) static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
/// The PostgreSQL schema's migrations, compiled in.
pub(super) static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Runs the SQLite migrations on one connection with foreign keys off, as
/// SQLite's manual asks for rebuilding a table
/// (<https://sqlite.org/lang_altertable.html>): with them on, dropping the
/// old table would delete every row that points at it, and the pragma
/// cannot change inside the transaction sqlx runs each migration in. A
/// migration that rebuilds a table checks `pragma_foreign_key_check` itself
/// before its transaction commits (see `0005_phone_not_unique.sql`).
async fn migrate_sqlite(pool: &sqlx::SqlitePool) -> Result<(), DbError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await?;
    let migrated = SQLITE_MIGRATIONS.run(&mut *conn).await;
    // Back on before the connection returns to the pool, whatever happened.
    let restored = sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await;
    migrated?;
    restored?;
    Ok(())
}
