//! Accounts, v2: what admins do to accounts (list, role, activity, delete)
//! and what users do to their own (profile, password, sessions, deletion).
//! Every change is one transaction with its audit event.

use super::{
    audit::append_in,
    mail_queue::ENQUEUE,
    pool::{on_pool, WriteTx},
    sessions::DELETE_USER_SESSIONS,
    AuditEvent, DbError, PasswordHash, SqlRepo,
};
use crate::domain::{account::AdminUser, Role};
use async_trait::async_trait;

/// A change an admin makes to an account.
#[derive(Clone, Copy, Debug, Default)]
pub struct UserChange {
    /// The new role.
    pub role: Option<Role>,
    /// Activate or deactivate.
    pub is_active: Option<bool>,
}

/// Why an account change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeRefused {
    /// No such account.
    NotFound,
    /// It would leave no active admin.
    LastAdmin,
}

/// What an account change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Changed {
    /// Done; this many sessions were ended.
    Done(u64),
    /// Refused.
    Refused(ChangeRefused),
}

/// The most accounts one page of the admin list shows.
pub const MAX_LISTED_USERS: i64 = 500;

/// Account management.
#[async_trait]
pub trait Users: Send + Sync {
    /// Accounts whose e-mail or name contains `query` (all when `None`),
    /// newest first, at most [`MAX_LISTED_USERS`].
    async fn users_list(&self, query: Option<&str>) -> Result<Vec<AdminUser>, DbError>;
    /// Applies an admin's change, ending the account's sessions when it is
    /// deactivated or loses a role, unless it would leave no active admin.
    async fn user_change(
        &self,
        id: i64,
        change: UserChange,
        events: &[AuditEvent],
        now: i64,
    ) -> Result<Changed, DbError>;
    /// Deletes an account and everything of it (sessions, conversations,
    /// messages, keys, credentials), keeping its audit events, unless it is
    /// the last active admin.
    async fn user_delete(&self, id: i64, event: &AuditEvent, now: i64) -> Result<Changed, DbError>;
    /// Notes a successful sign-in and records its event.
    async fn user_signed_in(&self, id: i64, event: &AuditEvent, now: i64) -> Result<(), DbError>;
    /// Sets the display name and phone (a `None` leaves a field as it is).
    async fn user_set_profile(
        &self,
        id: i64,
        display_name: Option<&str>,
        phone: Option<Option<&str>>,
        now: i64,
    ) -> Result<(), DbError>;
    /// Replaces the password, ends every session but `keep` (a stored
    /// session id), queues the mail `notice`, records `event`; returns how
    /// many sessions ended.
    async fn user_change_password(
        &self,
        id: i64,
        hash: &PasswordHash,
        keep: &str,
        notice: &str,
        event: &AuditEvent,
        now: i64,
    ) -> Result<u64, DbError>;
}

/// Whether an active admin other than `$id` exists, inside `$tx`.
macro_rules! another_admin {
    ($tx:expr, $id:expr) => {{
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = TRUE AND id <> $1",
        )
        .bind($id)
        .fetch_one(&mut **$tx)
        .await?;
        n > 0
    }};
}

#[async_trait]
impl Users for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn users_list(&self, query: Option<&str>) -> Result<Vec<AdminUser>, DbError> {
        let pattern = query
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.to_lowercase().replace(['%', '_'], "")));
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, uid, email, display_name, role, is_active,
                        EXISTS (SELECT 1 FROM mfa_credentials m
                                WHERE m.user_id = users.id AND m.enabled_at IS NOT NULL) AS mfa,
                        created_at, last_login_at
                 FROM users
                 WHERE $1 IS NULL OR LOWER(email) LIKE $1 OR LOWER(display_name) LIKE $1
                 ORDER BY id DESC LIMIT $2",
            )
            .bind(pattern.as_deref())
            .bind(MAX_LISTED_USERS)
            .fetch_all(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_change(
        &self,
        id: i64,
        change: UserChange,
        events: &[AuditEvent],
        now: i64,
    ) -> Result<Changed, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let found: Option<(String, bool)> =
                sqlx::query_as("SELECT role, is_active FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((role, active)) = found else {
                return Ok(Changed::Refused(ChangeRefused::NotFound));
            };
            let role = Role::parse(&role).unwrap_or(Role::Pending);
            let new_role = change.role.unwrap_or(role);
            let new_active = change.is_active.unwrap_or(active);
            let loses_admin =
                role == Role::Admin && active && !(new_role == Role::Admin && new_active);
            if loses_admin && !another_admin!(&mut tx, id) {
                return Ok(Changed::Refused(ChangeRefused::LastAdmin));
            }
            sqlx::query(
                "UPDATE users SET role = $2, is_active = $3, updated_at = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(new_role.as_str())
            .bind(new_active)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // Losing rights ends the sessions that carry them, at once.
            let demoted = role == Role::Admin && new_role != Role::Admin;
            let ended = if (active && !new_active) || demoted || new_role == Role::Pending {
                sqlx::query(DELETE_USER_SESSIONS)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            } else {
                0
            };
            for event in events {
                append_in!(&mut tx, event, now);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Changed::Done(ended))
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_delete(&self, id: i64, event: &AuditEvent, now: i64) -> Result<Changed, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let found: Option<(String, bool)> =
                sqlx::query_as("SELECT role, is_active FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((role, active)) = found else {
                return Ok(Changed::Refused(ChangeRefused::NotFound));
            };
            if role == "admin" && active && !another_admin!(&mut tx, id) {
                return Ok(Changed::Refused(ChangeRefused::LastAdmin));
            }
            let ended = sqlx::query(DELETE_USER_SESSIONS)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // Everything else of the account goes with it (ON DELETE CASCADE).
            sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            append_in!(&mut tx, event, now);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Changed::Done(ended))
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_signed_in(&self, id: i64, event: &AuditEvent, now: i64) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            sqlx::query("UPDATE users SET last_login_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            append_in!(&mut tx, event, now);
            tx.commit().await
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_set_profile(
        &self,
        id: i64,
        display_name: Option<&str>,
        phone: Option<Option<&str>>,
        now: i64,
    ) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            sqlx::query(
                "UPDATE users SET display_name = COALESCE($2, display_name),
                        phone = CASE WHEN $3 THEN $4 ELSE phone END, updated_at = $5
                 WHERE id = $1",
            )
            .bind(id)
            .bind(display_name)
            .bind(phone.is_some())
            .bind(phone.flatten())
            .bind(now)
            .execute(p)
            .await
            .map(drop)
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_change_password(
        &self,
        id: i64,
        hash: &PasswordHash,
        keep: &str,
        notice: &str,
        event: &AuditEvent,
        now: i64,
    ) -> Result<u64, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            sqlx::query(super::accounts::UPSERT_PASSWORD)
                .bind(id)
                .bind(hash.expose())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
                .bind(id)
                .bind(keep)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // Reset links asked for before the change are void too.
            sqlx::query("UPDATE password_reset_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(ENQUEUE)
                .bind(notice)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            append_in!(&mut tx, event, now);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(ended)
        })?)
    }
}
