//! Users and their password credentials.

use async_trait::async_trait;

use super::{
    audit::append_in,
    mail_queue::ENQUEUE,
    pool::{on_pool, WriteTx},
    rows::{user_columns, UserRow, UserWithHashRow},
    DbError, JobFn, NewUser, PasswordHash, SqlRepo, User,
};

/// Accounts and their credentials.
#[async_trait]
pub trait Accounts: Send + Sync {
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
    async fn user_by_email(
        &self,
        email: &str,
    ) -> Result<Option<(User, Option<PasswordHash>)>, DbError>;
    /// A user by id.
    async fn user_by_id(&self, id: i64) -> Result<Option<User>, DbError>;
    /// Whether any account exists (the first one becomes the admin).
    async fn any_user(&self) -> Result<bool, DbError>;
    /// The user signed in by the session `session_id`, if it has not expired
    /// at `now`. One query instead of a session load and then a user load:
    /// this is on the path of every signed-in request.
    async fn user_by_session(
        &self,
        session_id: &str,
        now: i64,
    ) -> Result<Option<(User, i64)>, DbError>;
    /// Moves a session's expiry to `expires_at` (it was used just now).
    async fn session_touch(&self, session_id: &str, expires_at: i64) -> Result<(), DbError>;
    /// Replaces a user's password hash (re-hash on login).
    async fn set_password_hash(
        &self,
        user_id: i64,
        hash: &PasswordHash,
        now: i64,
    ) -> Result<(), DbError>;
}

/// A session's expiry and its user.
#[derive(sqlx::FromRow)]
struct SessionUserRow {
    expires_at: i64,
    #[sqlx(flatten)]
    user: UserRow,
}

/// Sets a user's password hash, inserting the credential if there is none.
pub(super) const UPSERT_PASSWORD: &str =
    "INSERT INTO password_credentials (user_id, password_hash, created_at, updated_at)
     VALUES ($1, $2, $3, $3)
     ON CONFLICT (user_id) DO UPDATE SET password_hash = $2, updated_at = $3";

#[async_trait]
impl Accounts for SqlRepo {
    // A taken address is an expected answer, not a fault: logged as info.
    #[tracing::instrument(skip_all, err(level = "info"))]
    async fn create_user(
        &self,
        new: &NewUser<'_>,
        now: i64,
        welcome: JobFn<'_>,
    ) -> Result<User, DbError> {
        on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            // Only the e-mail is unique (a phone number is not an identifier,
            // and may be shared); its unique index guards the race. The
            // first account of the database is its admin, whatever the mode:
            // the audit chain's lock (which this transaction takes anyway, to
            // record the sign-up) is taken first, so that two first sign-ups
            // at once on PostgreSQL cannot both find no users (SQLite's write
            // transaction already holds its one write lock).
            super::audit::ChainLock::lock_chain(&mut tx).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (uid, email, phone, display_name, is_active, created_at, updated_at,
                                    lang, role, email_verified_at)
                 VALUES ($1, $2, $3, $4, TRUE, $5, $5, $6,
                         CASE WHEN EXISTS (SELECT 1 FROM users) THEN $7 ELSE 'admin' END,
                         CASE WHEN $8 THEN $5 END)
                 RETURNING id",
            )
            .bind(new.uid)
            .bind(new.email)
            .bind(new.phone)
            .bind(new.display_name)
            .bind(now)
            .bind(new.lang)
            .bind(new.role.as_str())
            .bind(new.verified)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| DbError::from_insert(e, "email"))?;
            let user: UserRow = sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE id = $1"
            ))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let user = User::from(user);
            let mut event = new.event.clone();
            event.user_id = Some(user.id);
            append_in!(&mut tx, &event, now);
            sqlx::query(UPSERT_PASSWORD)
                .bind(user.id)
                .bind(new.password_hash.expose())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(ENQUEUE)
                .bind(welcome(user.id))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(user)
        })
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_by_email(
        &self,
        email: &str,
    ) -> Result<Option<(User, Option<PasswordHash>)>, DbError> {
        let row: Option<UserWithHashRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                ", c.password_hash FROM users
                 LEFT JOIN password_credentials c ON c.user_id = users.id
                 WHERE users.email = $1"
            ))
            .bind(email)
            .fetch_optional(p)
            .await
        })?;
        Ok(row.map(|r| (r.user.into(), r.password_hash.map(PasswordHash::new))))
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_by_id(&self, id: i64) -> Result<Option<User>, DbError> {
        let row: Option<UserRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(p)
            .await
        })?;
        Ok(row.map(User::from))
    }

    #[tracing::instrument(skip_all, err)]
    async fn any_user(&self) -> Result<bool, DbError> {
        let found: Option<i64> = on_pool!(&self.pool, |p| {
            sqlx::query_scalar("SELECT id FROM users LIMIT 1")
                .fetch_optional(p)
                .await
        })?;
        Ok(found.is_some())
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_by_session(
        &self,
        session_id: &str,
        now: i64,
    ) -> Result<Option<(User, i64)>, DbError> {
        let row: Option<SessionUserRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(concat!(
                "SELECT sessions.expires_at, ",
                user_columns!(),
                " FROM sessions JOIN users ON users.id = sessions.user_id \
                 WHERE sessions.id = $1 AND sessions.expires_at > $2"
            ))
            .bind(session_id)
            .bind(now)
            .fetch_optional(p)
            .await
        })?;
        Ok(row.map(|r| (User::from(r.user), r.expires_at)))
    }

    #[tracing::instrument(skip_all, err)]
    async fn session_touch(&self, session_id: &str, expires_at: i64) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            sqlx::query("UPDATE sessions SET expires_at = $2 WHERE id = $1 AND expires_at < $2")
                .bind(session_id)
                .bind(expires_at)
                .execute(p)
                .await
                .map(drop)
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn set_password_hash(
        &self,
        user_id: i64,
        hash: &PasswordHash,
        now: i64,
    ) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            sqlx::query(UPSERT_PASSWORD)
                .bind(user_id)
                .bind(hash.expose())
                .bind(now)
                .execute(p)
                .await
                .map(drop)
        })?;
        Ok(())
    }
}
