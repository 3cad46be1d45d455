//! What storage takes and gives besides the domain types.

use std::fmt;

/// An argon2id hash in PHC form, as stored. It has no `Serialize` and its
/// `Debug` hides it, so it cannot reach a response or a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string made by the hasher or read from storage.
    pub fn new(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string, for the verifier and the database only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

/// What registration stores.
pub struct NewUser<'a> {
    /// Random public id.
    pub uid: &'a str,
    /// Normalised e-mail address.
    pub email: &'a str,
    /// Normalised phone number.
    pub phone: Option<&'a str>,
    /// The name shown in the app.
    pub display_name: &'a str,
    /// The password's hash.
    pub password_hash: &'a PasswordHash,
    /// The language of its mails.
    pub lang: &'a str,
    /// Its role, unless it is the first account (always an admin).
    pub role: crate::domain::Role,
    /// Whether the address counts as verified from the start (verification
    /// is not required, or an admin made the account).
    pub verified: bool,
    /// What the audit log records: `register` or `account_created` (with
    /// the admin as actor); its `user_id` is filled in with the new id.
    pub event: super::AuditEvent,
}

impl fmt::Debug for NewUser<'_> {
    /// Leaves out the hash (and says nothing of the address).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("uid", &self.uid)
            .finish_non_exhaustive()
    }
}

/// A session record as stored: the tower-sessions data map as JSON.
#[derive(Clone, sqlx::FromRow)]
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

impl fmt::Debug for SessionRow {
    /// Leaves out the id: it is a live cookie value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRow")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Builds a mail job for a user id, inside a storage transaction.
pub type JobFn<'a> = &'a (dyn Fn(i64) -> String + Send + Sync);

/// A mail leased from the outbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedMail {
    /// Outbox row id.
    pub id: i64,
    /// The job, as queued (JSON, no secrets).
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
    /// Failed for good: too many attempts, or an error no retry can mend.
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
