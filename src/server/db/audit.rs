//! The audit log: one append-only table whose rows form a hash chain, so
//! an edited, deleted or reordered row is found by walking it
//! ([`Audit::audit_verify`], `palaver audit verify`).
//!
//! Each row's `hash` is hex SHA-256 of the previous row's hash followed by
//! the row's canonical JSON ([`canonical`]: its fields in a fixed order,
//! `detail` as the stored text). The first row follows [`GENESIS`]. Ids are
//! given by the appender, the previous id + 1, under a lock that every
//! instance on the database honours: SQLite's write lock (`BEGIN
//! IMMEDIATE`), or on PostgreSQL a transaction-scoped advisory lock. An
//! event is appended in the same transaction as the change it records
//! ([`append_in!`]), so there is never a change without its event or an
//! event without its change.
//!
//! What a chain cannot show by itself: rows cut off its end. The newest id
//! is shown on `/admin`, so an operator can note it elsewhere.

use async_trait::async_trait;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{
    pool::{on_pool, WriteTx},
    DbError, SqlRepo,
};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The advisory lock that serialises appends on PostgreSQL ("audit" in ASCII).
const PG_CHAIN_LOCK: i64 = 0x0061_7564_6974;

/// A security event about to be recorded.
#[derive(Clone, Debug, Default)]
pub struct AuditEvent {
    /// What happened: `login_success`, `password_changed`, ... (snake_case).
    pub kind: &'static str,
    /// Whose account it concerns.
    pub user_id: Option<i64>,
    /// Who did it, when not the user themselves (an admin).
    pub actor_id: Option<i64>,
    /// The client's address.
    pub ip: Option<String>,
    /// More about it, as a JSON object (never a secret).
    pub detail: serde_json::Value,
}

impl AuditEvent {
    /// An event of `kind` about `user_id`, from `ip`.
    pub fn new(kind: &'static str, user_id: Option<i64>, ip: Option<String>) -> Self {
        Self {
            kind,
            user_id,
            ip,
            ..Self::default()
        }
    }

    /// The same event, done by `actor_id`.
    #[must_use]
    pub fn by(mut self, actor_id: i64) -> Self {
        self.actor_id = Some(actor_id);
        self
    }

    /// The same event, with `detail`.
    #[must_use]
    pub fn with(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    fn detail_text(&self) -> String {
        if self.detail.is_null() {
            "{}".to_owned()
        } else {
            self.detail.to_string()
        }
    }
}

pub use crate::domain::account::AuditRow;

/// The part of a row that its hash covers, in its fixed order.
#[derive(Serialize)]
struct Canonical<'a> {
    id: i64,
    at: i64,
    kind: &'a str,
    user_id: Option<i64>,
    actor_id: Option<i64>,
    ip: Option<&'a str>,
    detail: &'a str,
}

/// The canonical JSON of a row's fields.
pub fn canonical(row: &AuditRow) -> String {
    serde_json::to_string(&Canonical {
        id: row.id,
        at: row.at,
        kind: &row.kind,
        user_id: row.user_id,
        actor_id: row.actor_id,
        ip: row.ip.as_deref(),
        detail: &row.detail,
    })
    .expect("plain fields serialise")
}

/// The hash a row must have after `prev_hash`.
pub fn chain_hash(prev_hash: &str, row: &AuditRow) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical(row).as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The result of walking the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every row matches; this many rows.
    Ok(u64),
    /// The first row (by id) that does not match what came before it.
    Broken(i64),
}

/// Which events a page of the log shows.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only ids below this (the page after one ending at `before`).
    pub before: Option<i64>,
    /// At most this many.
    pub limit: i64,
    /// Only events about this user (or done by them).
    pub user_id: Option<i64>,
    /// Only events of this kind.
    pub kind: Option<String>,
}

/// Appends `$event` at `$now` inside the open write transaction `$tx`
/// (a `&mut Transaction` of either backend), taking the chain's lock first.
/// A macro, like [`on_pool!`], so that one body serves both backends.
macro_rules! append_in {
    ($tx:expr, $event:expr, $now:expr) => {{
        let tx = $tx;
        let event: &$crate::server::db::AuditEvent = $event;
        $crate::server::db::audit::ChainLock::lock_chain(&mut *tx).await?;
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?;
        let (last_id, prev_hash) =
            last.unwrap_or((0, $crate::server::db::audit::GENESIS.to_owned()));
        let mut row = $crate::server::db::AuditRow {
            id: last_id + 1,
            at: $now,
            kind: event.kind.to_owned(),
            user_id: event.user_id,
            actor_id: event.actor_id,
            ip: event.ip.clone(),
            detail: $crate::server::db::audit::detail_text(event),
            prev_hash,
            hash: String::new(),
        };
        row.hash = $crate::server::db::audit::chain_hash(&row.prev_hash, &row);
        sqlx::query(
            "INSERT INTO audit_log (id, at, kind, user_id, actor_id, ip, detail, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(row.id)
        .bind(row.at)
        .bind(&row.kind)
        .bind(row.user_id)
        .bind(row.actor_id)
        .bind(&row.ip)
        .bind(&row.detail)
        .bind(&row.prev_hash)
        .bind(&row.hash)
        .execute(&mut **tx)
        .await?;
        row.id
    }};
}
pub(super) use append_in;

/// `detail` as stored.
pub(super) fn detail_text(event: &AuditEvent) -> String {
    event.detail_text()
}

/// Taking the chain's lock inside a write transaction: the one dialect
/// difference of an append.
pub(super) trait ChainLock {
    /// Waits until no other transaction appends.
    fn lock_chain(&mut self) -> impl std::future::Future<Output = Result<(), sqlx::Error>> + Send;
}

impl ChainLock for sqlx::Transaction<'static, sqlx::Sqlite> {
    /// A SQLite write transaction (`BEGIN IMMEDIATE`) already holds the
    /// database's one write lock.
    async fn lock_chain(&mut self) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

impl ChainLock for sqlx::Transaction<'static, sqlx::Postgres> {
    /// Held until the transaction ends, by every instance on the database.
    async fn lock_chain(&mut self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(PG_CHAIN_LOCK)
            .execute(&mut **self)
            .await
            .map(drop)
    }
}

/// How many rows [`Audit::audit_verify`] reads at a time.
const VERIFY_BATCH: i64 = 1_000;

/// The audit log.
#[async_trait]
pub trait Audit: Send + Sync {
    /// Appends one event on its own (for events that change nothing else:
    /// sign-in attempts, sign-out); returns its id.
    async fn audit_append(&self, event: &AuditEvent, now: i64) -> Result<i64, DbError>;
    /// A page of events, newest first.
    async fn audit_page(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>, DbError>;
    /// Walks the whole chain, oldest first.
    async fn audit_verify(&self) -> Result<ChainCheck, DbError>;
}

#[async_trait]
impl Audit for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn audit_append(&self, event: &AuditEvent, now: i64) -> Result<i64, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let id = append_in!(&mut tx, event, now);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn audit_page(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, at, kind, user_id, actor_id, ip, detail, prev_hash, hash
                 FROM audit_log
                 WHERE ($1 IS NULL OR id < $1)
                   AND ($2 IS NULL OR user_id = $2 OR actor_id = $2)
                   AND ($3 IS NULL OR kind = $3)
                 ORDER BY id DESC LIMIT $4",
            )
            .bind(filter.before)
            .bind(filter.user_id)
            .bind(filter.kind.as_deref())
            .bind(filter.limit)
            .fetch_all(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn audit_verify(&self) -> Result<ChainCheck, DbError> {
        let mut expected_id = 1;
        let mut prev = GENESIS.to_owned();
        let mut after = 0i64;
        let mut count = 0u64;
        loop {
            let batch: Vec<AuditRow> = on_pool!(&self.pool, |p| {
                sqlx::query_as(
                    "SELECT id, at, kind, user_id, actor_id, ip, detail, prev_hash, hash
                     FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2",
                )
                .bind(after)
                .bind(VERIFY_BATCH)
                .fetch_all(p)
                .await
            })?;
            let Some(last) = batch.last() else {
                return Ok(ChainCheck::Ok(count));
            };
            after = last.id;
            for row in &batch {
                // A gap (a deleted row) or a row that does not follow its
                // predecessor's hash, or whose own hash does not match.
                if row.id != expected_id
                    || row.prev_hash != prev
                    || chain_hash(&prev, row) != row.hash
                {
                    return Ok(ChainCheck::Broken(row.id));
                }
                prev.clone_from(&row.hash);
                expected_id += 1;
                count += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, prev: &str) -> AuditRow {
        let mut r = AuditRow {
            id,
            at: 1_700_000_000 + id,
            kind: "login_success".into(),
            user_id: Some(7),
            actor_id: None,
            ip: Some("127.0.0.1".into()),
            detail: "{}".into(),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        r.hash = chain_hash(prev, &r);
        r
    }

    #[test]
    fn the_hash_covers_every_field_and_the_previous_hash() {
        let a = row(1, GENESIS);
        assert_eq!(a.hash.len(), 64);
        let mut changed = a.clone();
        changed.detail = r#"{"x":1}"#.into();
        assert_ne!(chain_hash(GENESIS, &changed), a.hash);
        let mut moved = a.clone();
        moved.id = 2;
        assert_ne!(chain_hash(GENESIS, &moved), a.hash);
        assert_ne!(chain_hash(&"1".repeat(64), &a), a.hash);
    }

    #[test]
    fn canonical_json_has_a_fixed_field_order() {
        assert_eq!(
            canonical(&row(3, GENESIS)),
            r#"{"id":3,"at":1700000003,"kind":"login_success","user_id":7,"actor_id":null,"ip":"127.0.0.1","detail":"{}"}"#
        );
    }
}
