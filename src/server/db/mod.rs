//! Storage: one [`Repo`] over SQLite (the default) or PostgreSQL, chosen by
//! the scheme of `DATABASE_URL`.
//!
//! `Repo` is the sum of small traits, one per concern ([`Accounts`], [`Users`], [`Audit`], [`Mfa`], [`Verification`], [`ApiKeys`],
//! [`Sessions`], [`ResetTokens`], [`Limits`], [`Cleanup`], [`MailQueue`],
//! [`Chat`], [`ChatTree`], [`Answers`], [`Search`], [`Transfer`], [`Health`]), each defined beside its SQL in a file named for
//! it. Each query is written once: [`on_pool!`](pool::on_pool) compiles the
//! same body for both backends, and the SQL uses what both dialects accept
//! (`$1` placeholders, `RETURNING`, `ON CONFLICT`, `CAST`). Only the real
//! differences are per backend: how a write transaction starts (SQLite's
//! `BEGIN IMMEDIATE`), `FOR UPDATE SKIP LOCKED`, and each backend's own
//! migrations. `sqlx::Any` is avoided on purpose (the query macros do not
//! support it, and it hides the dialect); one test suite runs on both.

mod accounts;
mod answers;
mod api_keys;
mod audit;
mod chat;
mod cleanup;
mod error;
mod health;
mod limits;
mod mail_queue;
mod mfa;
mod migrations;
mod pool;
mod reset_tokens;
mod rows;
mod search;
mod sessions;
mod transfer;
mod tree;
mod types;
mod users;
mod verification;

use std::sync::Arc;

pub use accounts::Accounts;
pub use answers::{Answers, StoredAnswer};
pub use api_keys::{ApiKeyRow, ApiKeys, NewApiKey, LAST_USED_RESOLUTION_SECS};
pub use audit::{Audit, AuditEvent, AuditFilter, AuditRow, ChainCheck};
pub use chat::Chat;
pub use cleanup::Cleanup;
pub use error::DbError;
pub use health::Health;
pub use limits::Limits;
pub use mail_queue::MailQueue;
pub use mfa::{Mfa, MfaRow};
pub use migrations::{migrate, MigrationReport};
pub use reset_tokens::ResetTokens;
pub use search::{Search, SearchRow, MAX_RESULTS as MAX_SEARCH_RESULTS};
pub use sessions::Sessions;
pub use transfer::{NewConversation, NewMessage, Transfer};
pub use tree::{ChatTree, MessageRef};
pub use types::{JobFn, MailOutcome, NewUser, PasswordHash, QueuedMail, ResetDone, SessionRow};
pub use users::{ChangeRefused, Changed, UserChange, Users, MAX_LISTED_USERS};
pub use verification::Verification;

pub use crate::domain::{
    chat::{Conversation, Exchange, Message, MessageStatus, Role, Usage},
    User,
};
use crate::server::config::db::DbSettings;

/// Every storage operation Palaver needs. Callers hold an `Arc<dyn Repo>`;
/// a part that needs one concern only can hold that trait instead (the rate
/// limiter holds an `Arc<dyn Limits>`).
pub trait Repo:
    Health
    + Accounts
    + Users
    + Audit
    + Mfa
    + Verification
    + ApiKeys
    + Sessions
    + ResetTokens
    + Limits
    + Cleanup
    + MailQueue
    + Chat
    + ChatTree
    + Answers
    + Search
    + Transfer
    + 'static
{
}

impl<T> Repo for T where
    T: Health
        + Accounts
        + Users
        + Audit
        + Mfa
        + Verification
        + ApiKeys
        + Sessions
        + ResetTokens
        + Limits
        + Cleanup
        + MailQueue
        + Chat
        + ChatTree
        + Answers
        + Search
        + Transfer
        + 'static
{
}

/// SQL storage on either backend: the one implementation of every trait.
#[derive(Clone, Debug)]
pub struct SqlRepo {
    /// Where reads go.
    pool: pool::Pool,
    /// Where writes go: on SQLite a pool of one connection of its own (see
    /// [`pool::Pool::writer`]), on PostgreSQL the same pool.
    writer: pool::Pool,
}

/// Opens the database named in `settings`, creating it when it is a missing
/// SQLite file, and applies the pending migrations.
#[tracing::instrument(skip_all, err)]
pub async fn connect(settings: &DbSettings) -> Result<Arc<dyn Repo>, DbError> {
    let pool = pool::Pool::connect(settings).await?;
    let writer = pool.writer(settings).await?;
    Ok(Arc::new(SqlRepo { pool, writer }))
}
