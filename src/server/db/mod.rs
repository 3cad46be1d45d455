//! Storage behind one trait, so that SQLite (the default) and PostgreSQL can
//! both implement it; the backend is chosen by the scheme of `DATABASE_URL`.
//! `sqlx::Any` is avoided on purpose: each backend keeps its own SQL and
//! migrations, and one test suite runs against every implementation.

mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use super::config::DatabaseUrl;
pub use sqlite::SqliteRepo;

/// What can go wrong in the storage layer. Internal causes stay in the logs;
/// callers see only the kind of failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names a backend that this build cannot serve yet.
    #[error("{0} is not supported yet; use a sqlite:// DATABASE_URL")]
    Unsupported(&'static str),
    /// The database could not be opened or created.
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed at start-up.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    /// The file system refused to create the database folder.
    #[error("cannot create the database folder: {0}")]
    Io(#[from] std::io::Error),
}

/// The storage operations Palaver needs. Later features add their own methods.
#[async_trait]
pub trait Repo: Send + Sync + 'static {
    /// Answers when the database can run a query.
    async fn ping(&self) -> Result<(), DbError>;
    /// Closes every connection; later calls fail. Used at shutdown.
    async fn close(&self);
}

/// Opens the database named by `url`, creating it when it is a missing
/// SQLite file, and applies the pending migrations.
#[tracing::instrument(skip_all)]
pub async fn connect(url: &DatabaseUrl) -> Result<Arc<dyn Repo>, DbError> {
    match url {
        DatabaseUrl::Sqlite(url) => Ok(Arc::new(SqliteRepo::connect(url).await?)),
        DatabaseUrl::Postgres(_) => Err(DbError::Unsupported("PostgreSQL")),
    }
}
