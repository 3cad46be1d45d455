//! Users and their password credentials.

use async_trait::async_trait;

use super::{
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
    /// The user signed in by the session `session_id`, if it has not expired
    /// at `now`. One query instead of a session load and then a user load:
    /// this is on the path of every signed-in request.
    async fn user_by_session(&self, session_id: &str, now: i64) -> Result<Option<User>, DbError>;
    /// Replaces a user's password hash (re-hash on login).
    async fn set_password_hash(
        &self,
        user_id: i64,
        hash: &PasswordHash,
        now: i64,
    ) -> Result<(), DbError>;
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
        on_pool!(&self.pool, |p| {
            let mut tx = p.begin_write().await?;
            // Only the e-mail is unique (a phone number is not an identifier,
            // and may be shared); its unique index guards the race.
            let user: UserRow = sqlx::query_as(concat!(
                "INSERT INTO users (uid, email, phone, display_name, is_active, created_at, updated_at, lang)
                 VALUES ($1, $2, $3, $4, TRUE, $5, $5, $6) RETURNING ",
                user_columns!()
            ))
            .bind(new.uid)
            .bind(new.email)
            .bind(new.phone)
            .bind(new.display_name)
            .bind(now)
            .bind(new.lang)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| DbError::from_insert(e, "email"))?;
            let user = User::from(user);
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
    async fn user_by_session(&self, session_id: &str, now: i64) -> Result<Option<User>, DbError> {
        let row: Option<UserRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE id = \
                 (SELECT user_id FROM sessions WHERE id = $1 AND expires_at > $2)"
            ))
            .bind(session_id)
            .bind(now)
            .fetch_optional(p)
            .await
        })?;
        Ok(row.map(User::from))
    }

    #[tracing::instrument(skip_all, err)]
    async fn set_password_hash(
        &self,
        user_id: i64,
        hash: &PasswordHash,
        now: i64,
    ) -> Result<(), DbError> {
        on_pool!(&self.pool, |p| {
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
