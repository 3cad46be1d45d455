//! Storage failures, and what a caller of the wire is told of them.

/// What can go wrong in the storage layer. Internal causes stay in the logs;
/// callers see only the kind of failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
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
    /// A unique value is taken; the field says which one.
    #[error("{0} is already taken")]
    Conflict(&'static str),
}

impl DbError {
    /// Maps a unique violation to [`DbError::Conflict`], by the error's kind
    /// rather than by its message.
    pub fn from_insert(err: sqlx::Error, field: &'static str) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                Self::Conflict(field)
            }
            _ => Self::Query(err),
        }
    }

    /// Whether the same statement may succeed if tried again shortly: no
    /// connection came free in time, the connection broke, SQLite's write
    /// lock outlasted `busy_timeout`, or PostgreSQL aborted the transaction
    /// for a conflict or a restart.
    pub fn is_transient(&self) -> bool {
        let Self::Query(err) = self else {
            return false;
        };
        match err {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => true,
            sqlx::Error::Database(db) => {
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their
                    // extended codes in the high bits.
                    let code: i32 = db.code().and_then(|c| c.parse().ok()).unwrap_or(0);
                    matches!(code & 0xff, 5 | 6)
                } else {
                    // Serialization failure, deadlock, shutting down.
                    matches!(
                        db.code().as_deref(),
                        Some("40001" | "40P01" | "57P01" | "57P02" | "57P03")
                    )
                }
            }
            _ => false,
        }
    }
}

impl From<DbError> for crate::error::AppError {
    /// Storage failures are logged here with their cause; the caller learns
    /// only that something failed (or what conflicted).
    fn from(err: DbError) -> Self {
        match err {
            DbError::Conflict("email") => Self::EmailTaken,
            // Only storage names the field, and it names only these two: any
            // other is a constraint this mapping does not know yet, a bug.
            DbError::Conflict(field) => {
                tracing::error!(field, "unique violation on an unmapped field");
                Self::Internal
            }
            DbError::Query(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => {
                tracing::error!(error = %err, "database unavailable");
                Self::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database error");
                Self::Internal
            }
        }
    }
}
