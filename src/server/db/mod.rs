//! Storage behind one trait, so that SQLite (the default) and PostgreSQL can
//! both implement it; the backend is chosen by the scheme of `DATABASE_URL`.
//! `sqlx::Any` is avoided on purpose: each backend keeps its own SQL and
//! migrations, and one test suite runs against every implementation.

mod repo_impl;

mod postgres;
mod sqlite;

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;

use super::config::DatabaseUrl;
pub use postgres::PgRepo;
pub use sqlite::SqliteRepo;

/// Pool sizes and timeouts (`DB_MAX_CONNECTIONS`, `DB_ACQUIRE_TIMEOUT_SECONDS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSettings {
    /// Connections per instance.
    pub max_connections: u32,
    /// How long a request waits for a free connection.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

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
            DbError::Conflict("phone") => Self::PhoneTaken,
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

pub use crate::domain::{
    chat::{Conversation, Message, MessageStatus, Role},
    User,
};

/// What registration stores.
#[derive(Debug)]
pub struct NewUser<'a> {
    /// Random public id.
    pub uid: &'a str,
    /// Normalised e-mail address.
    pub email: &'a str,
    /// Normalised phone number.
    pub phone: Option<&'a str>,
    /// Display name.
    pub display_name: &'a str,
    /// The argon2id PHC string.
    pub password_hash: &'a str,
}

/// A session record as stored: the tower-sessions data map as JSON.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The session id (tower-sessions' base64 form).
    pub id: String,
    /// The signed-in user, if any.
    pub user_id: Option<i64>,
    /// The data map, JSON-encoded.
    pub data: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// The storage operations Palaver needs. Later features add their own methods.
#[async_trait]
pub trait Repo: Send + Sync + 'static {
    /// Answers when the database can run a query.
    async fn ping(&self) -> Result<(), DbError>;
    /// Closes every connection; later calls fail. Used at shutdown.
    async fn close(&self);

    /// Creates a user and their password credential, and queues the mail
    /// `welcome(user_id)`, in one transaction. A taken e-mail or phone is
    /// [`DbError::Conflict`].
    async fn create_user(
        &self,
        new: &NewUser<'_>,
        now: i64,
        welcome: JobFn<'_>,
    ) -> Result<User, DbError>;
    /// A user by normalised e-mail, with their password hash if they have one.
    async fn user_by_email(&self, email: &str) -> Result<Option<(User, Option<String>)>, DbError>;
    /// A user by id.
    async fn user_by_id(&self, id: i64) -> Result<Option<User>, DbError>;
    /// The user signed in by the session `session_id`, if it has not expired
    /// at `now`.
    async fn user_by_session(&self, session_id: &str, now: i64) -> Result<Option<User>, DbError>;
    /// Replaces a user's password hash (re-hash on login, reset).
    async fn set_password_hash(&self, user_id: i64, hash: &str, now: i64) -> Result<(), DbError>;

    /// Inserts a new session; false when the id is taken.
    async fn session_insert(&self, row: &SessionRow) -> Result<bool, DbError>;
    /// Inserts or replaces a session.
    async fn session_upsert(&self, row: &SessionRow) -> Result<(), DbError>;
    /// A session that has not expired at `now`.
    async fn session_load(&self, id: &str, now: i64) -> Result<Option<SessionRow>, DbError>;
    /// Deletes one session.
    async fn session_delete(&self, id: &str) -> Result<(), DbError>;
    /// Deletes every session of a user; returns how many there were.
    async fn sessions_delete_for_user(&self, user_id: i64) -> Result<u64, DbError>;
    /// Deletes sessions expired at `now`, and rate-limit windows closed by then.
    async fn delete_expired(&self, now: i64) -> Result<u64, DbError>;

    /// Counts one hit on `key` in a fixed window of `window_secs` starting at
    /// its first hit, and returns the count so far in the current window.
    async fn rate_limit_hit(&self, key: &str, window_secs: i64, now: i64) -> Result<i64, DbError>;

    /// Queues a mail job (JSON, no secrets), due now.
    async fn mail_enqueue(&self, job: &str, now: i64) -> Result<i64, DbError>;
    /// Leases up to `limit` due mails for `lease_secs` and counts the attempt.
    /// A leased mail is invisible to other workers (and other instances)
    /// until it is finished or its lease runs out.
    async fn mail_claim(
        &self,
        now: i64,
        lease_secs: i64,
        limit: i64,
    ) -> Result<Vec<QueuedMail>, DbError>;
    /// Records what became of a leased mail.
    async fn mail_finish(&self, id: i64, outcome: &MailOutcome, now: i64) -> Result<(), DbError>;

    /// Stores a new reset token's hash for `user_id`; older unused tokens of
    /// that user stop working.
    async fn reset_token_create(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), DbError>;
    /// True when the token exists, is unused and has not expired.
    async fn reset_token_valid(&self, token_hash: &str, now: i64) -> Result<bool, DbError>;
    /// In one transaction: consumes the token (if still valid), sets the new
    /// password hash, ends every session of the user and queues
    /// `confirmation(user_id)`. `None` when the token is not valid.
    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
        confirmation: JobFn<'_>,
    ) -> Result<Option<ResetDone>, DbError>;

    /// Starts a conversation for `user_id` with the user's first message, in
    /// one transaction: there is never a conversation without its question.
    async fn conversation_start(
        &self,
        user_id: i64,
        title: &str,
        model: &str,
        first_message: &str,
        now: i64,
    ) -> Result<Conversation, DbError>;
    /// One of the user's conversations; `None` for anyone else's.
    async fn conversation_get(
        &self,
        user_id: i64,
        id: i64,
    ) -> Result<Option<Conversation>, DbError>;
    /// The user's conversations, most recent first.
    async fn conversations_list(&self, user_id: i64) -> Result<Vec<Conversation>, DbError>;
    /// Renames one of the user's conversations; false when it is not theirs.
    async fn conversation_rename(
        &self,
        user_id: i64,
        id: i64,
        title: &str,
        now: i64,
    ) -> Result<bool, DbError>;
    /// Deletes one of the user's conversations and its messages.
    async fn conversation_delete(&self, user_id: i64, id: i64) -> Result<bool, DbError>;
    /// Deletes the messages of one of the user's conversations, keeping it.
    async fn conversation_clear(&self, user_id: i64, id: i64) -> Result<bool, DbError>;
    /// Adds a message and marks the conversation as updated.
    async fn message_add(
        &self,
        conversation_id: i64,
        role: Role,
        content: &str,
        status: MessageStatus,
        now: i64,
    ) -> Result<i64, DbError>;
    /// The last `limit` messages of a conversation (all when `None`), oldest first.
    async fn messages(
        &self,
        conversation_id: i64,
        limit: Option<i64>,
    ) -> Result<Vec<Message>, DbError>;
}

/// Builds a mail job for a user id, inside a storage transaction.
pub type JobFn<'a> = &'a (dyn Fn(i64) -> String + Send + Sync);

/// A mail leased from the outbox.
#[derive(Debug, Clone)]
pub struct QueuedMail {
    /// Outbox row id.
    pub id: i64,
    /// The job, as queued.
    pub job: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// What became of one attempt to send a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    /// Handed to the transport.
    Sent,
    /// Nothing to send (e.g. a reset for an unknown address).
    Dropped,
    /// Failed; try again at `at` (unix seconds).
    Retry {
        /// When to try again.
        at: i64,
        /// Why it failed (no secrets).
        error: String,
    },
    /// Failed for the last time.
    Dead {
        /// Why it failed.
        error: String,
    },
}

/// The result of a successful password reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetDone {
    /// Whose password changed.
    pub user_id: i64,
    /// How many sessions were ended.
    pub revoked_sessions: u64,
}

/// Opens the database named by `url`, creating it when it is a missing
/// SQLite file, and applies the pending migrations.
#[tracing::instrument(skip_all)]
pub async fn connect(url: &DatabaseUrl, pool: PoolSettings) -> Result<Arc<dyn Repo>, DbError> {
    match url {
        DatabaseUrl::Sqlite(url) => Ok(Arc::new(SqliteRepo::connect(url, pool).await?)),
        DatabaseUrl::Postgres(url) => Ok(Arc::new(PgRepo::connect(url, pool).await?)),
    }
}
