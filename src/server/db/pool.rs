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

    /// Where writes go. SQLite lets one connection write at a time, and a
    /// connection that waits for that lock sleeps in SQLite's busy handler,
    /// which polls: it serves no one in order, and the waiting connection
    /// is one the readers cannot have. Under load (10,000 answers streaming
    /// at once, see `benches/README.md`) a few writes waited past the busy
    /// timeout (`database is locked`) while reads waited seconds for a
    /// connection. So SQLite's writes get a pool of one connection of their
    /// own: they queue for it first come, first served, without holding a
    /// reader's connection, and they never meet each other at the lock
    /// (another process, such as the command line, still can: the busy
    /// timeout stays). PostgreSQL locks rows, not the database: its writes
    /// use the one pool.
    ///
    /// The writer connects with the readers' own options, so it opens the
    /// same database (`sqlite://:memory:` included, whose name sqlx makes up
    /// anew each time a URL is read).
    pub async fn writer(&self, settings: &DbSettings) -> Result<Self, DbError> {
        match self {
            Self::Sqlite(pool) => {
                let options = (*pool.connect_options()).clone();
                Ok(Self::Sqlite(sqlite_pool(settings, 1, options).await?))
            }
            Self::Postgres(pool) => Ok(Self::Postgres(pool.clone())),
        }
    }

    /// Connects (creating a missing SQLite file and its folder), without
    /// migrating.
    pub async fn open(settings: &DbSettings) -> Result<Self, DbError> {
        match &settings.url {
            DatabaseUrl::Sqlite(_) => Self::open_sqlite(settings, settings.max_connections).await,
            DatabaseUrl::Postgres(_) => {
                let url = settings.url.expose();
                let options = PgConnectOptions::from_str(url).map_err(DbError::Connect)?;
                // Connections that break (a database restart) are dropped
                // and replaced by the pool on the next use.
                let pool = PgPoolOptions::new()
                    .max_connections(settings.max_connections)
                    .acquire_timeout(settings.acquire_timeout)
                    .idle_timeout(Some(Duration::from_secs(600)))
                    .connect_with(options)
                    .await
                    .map_err(DbError::Connect)?;
                Ok(Self::Postgres(pool))
            }
        }
    }

    /// A pool of at most `max` connections to the SQLite file of
    /// `settings`, creating the file and its folder when missing.
    async fn open_sqlite(settings: &DbSettings, max: u32) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::from_str(settings.url.expose())
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
        Ok(Self::Sqlite(sqlite_pool(settings, max, options).await?))
    }
}

/// A pool of at most `max` connections made with `options`. No ping before
/// each use (sqlx's default): a connection to a local file does not go
/// stale, and the ping is one more round trip to the connection's worker
/// thread per query.
async fn sqlite_pool(
    settings: &DbSettings,
    max: u32,
    options: SqliteConnectOptions,
) -> Result<SqlitePool, DbError> {
    SqlitePoolOptions::new()
        .max_connections(max)
        .test_before_acquire(false)
        .acquire_timeout(settings.acquire_timeout)
        .connect_with(options)
        .await
        .map_err(DbError::Connect)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// sqlx names an in-memory database anew each time it reads the URL:
    /// the writer must use the readers' options, or it writes elsewhere.
    #[tokio::test]
    async fn the_writer_opens_the_readers_database_even_in_memory() {
        let settings = DbSettings {
            url: DatabaseUrl::parse("sqlite://:memory:").unwrap(),
            max_connections: 2,
            acquire_timeout: Duration::from_secs(5),
        };
        let readers = Pool::open(&settings).await.unwrap();
        let writer = readers.writer(&settings).await.unwrap();
        let (Pool::Sqlite(readers), Pool::Sqlite(writer)) = (readers, writer) else {
            panic!("SQLite pools");
        };
        // Held, so the in-memory database outlives the statements below.
        let _kept = readers.acquire().await.unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&writer)
            .await
            .unwrap();
        sqlx::query("INSERT INTO t VALUES (7)")
            .execute(&writer)
            .await
            .unwrap();
        let x: i64 = sqlx::query_scalar("SELECT x FROM t")
            .fetch_one(&readers)
            .await
            .unwrap();
        assert_eq!(x, 7);
        assert_eq!(writer.options().get_max_connections(), 1);
    }
}
