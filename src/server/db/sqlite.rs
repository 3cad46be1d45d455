//! The SQLite implementation of [`Repo`]: one file under `data/` by default,
//! in WAL mode with foreign keys on.

use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::{DbError, NewUser, Repo, SessionRow, User};

const USER_COLUMNS: &str = "id, uid, email, phone, display_name, is_active";

fn user_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<User, sqlx::Error> {
    use sqlx::Row;
    Ok(User {
        id: row.try_get("id")?,
        uid: row.try_get("uid")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        display_name: row.try_get("display_name")?,
        is_active: row.try_get("is_active")?,
    })
}

fn session_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<SessionRow, sqlx::Error> {
    use sqlx::Row;
    Ok(SessionRow {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        data: row.try_get("data")?,
        expires_at: row.try_get("expires_at")?,
    })
}

/// SQLite storage over a connection pool.
#[derive(Clone, Debug)]
pub struct SqliteRepo {
    pool: SqlitePool,
}

impl SqliteRepo {
    /// Opens (or creates) the database file and runs the migrations.
    #[tracing::instrument(skip_all)]
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::from_str(url)
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
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        tracing::info!(file = %file.display(), "sqlite database ready");
        Ok(Self { pool })
    }

    /// The pool, for parts that need a raw handle (the session store).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

#[async_trait]
impl Repo for SqliteRepo {
    #[tracing::instrument(skip_all)]
    async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    #[tracing::instrument(skip_all)]
    async fn create_user(&self, new: &NewUser<'_>, now: i64) -> Result<User, DbError> {
        let mut tx = self.pool.begin().await?;
        // Say which value is taken; the unique indexes still guard the race.
        let taken: Option<(bool, bool)> = sqlx::query_as(
            "SELECT email = ?1, phone IS NOT NULL AND phone = ?2 FROM users
             WHERE email = ?1 OR (?2 IS NOT NULL AND phone = ?2) LIMIT 1",
        )
        .bind(new.email)
        .bind(new.phone)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((email_taken, _)) = taken {
            return Err(DbError::Conflict(if email_taken {
                "email"
            } else {
                "phone"
            }));
        }
        let row = sqlx::query(&format!(
            "INSERT INTO users (uid, email, phone, display_name, is_active, created_at, updated_at)
             VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING {USER_COLUMNS}"
        ))
        .bind(new.uid)
        .bind(new.email)
        .bind(new.phone)
        .bind(new.display_name)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| DbError::from_insert(e, "email"))?;
        let user = user_from_row(&row)?;
        sqlx::query(
            "INSERT INTO password_credentials (user_id, password_hash, created_at, updated_at)
             VALUES (?, ?, ?, ?)",
        )
        .bind(user.id)
        .bind(new.password_hash)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_email(&self, email: &str) -> Result<Option<(User, Option<String>)>, DbError> {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT u.id, u.uid, u.email, u.phone, u.display_name, u.is_active, c.password_hash
             FROM users u LEFT JOIN password_credentials c ON c.user_id = u.id
             WHERE u.email = ?",
        )
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((user_from_row(&r)?, r.try_get("password_hash")?)))
            .transpose()
            .map_err(DbError::Query)
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_id(&self, id: i64) -> Result<Option<User>, DbError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(user_from_row)
            .transpose()
            .map_err(DbError::Query)
    }

    #[tracing::instrument(skip_all)]
    async fn set_password_hash(&self, user_id: i64, hash: &str, now: i64) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO password_credentials (user_id, password_hash, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (user_id) DO UPDATE SET password_hash = ?2, updated_at = ?3",
        )
        .bind(user_id)
        .bind(hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn session_insert(&self, row: &SessionRow) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&row.id)
        .bind(row.user_id)
        .bind(&row.data)
        .bind(row.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    #[tracing::instrument(skip_all)]
    async fn session_upsert(&self, row: &SessionRow) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET user_id = ?2, data = ?3, expires_at = ?4",
        )
        .bind(&row.id)
        .bind(row.user_id)
        .bind(&row.data)
        .bind(row.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn session_load(&self, id: &str, now: i64) -> Result<Option<SessionRow>, DbError> {
        let row = sqlx::query(
            "SELECT id, user_id, data, expires_at FROM sessions WHERE id = ? AND expires_at > ?",
        )
        .bind(id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref()
            .map(session_from_row)
            .transpose()
            .map_err(DbError::Query)
    }

    #[tracing::instrument(skip_all)]
    async fn session_delete(&self, id: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn sessions_delete_for_user(&self, user_id: i64) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    #[tracing::instrument(skip_all)]
    async fn delete_expired(&self, now: i64) -> Result<u64, DbError> {
        let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM rate_limits WHERE window_start + window_secs <= ?")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(sessions.rows_affected())
    }

    #[tracing::instrument(skip_all)]
    async fn rate_limit_hit(&self, key: &str, window_secs: i64, now: i64) -> Result<i64, DbError> {
        // One statement, so concurrent hits (from any instance) all count.
        // The window starts at its first hit and is never pushed back by later ones.
        let count: i64 = sqlx::query_scalar(
            "INSERT INTO rate_limits (key, window_start, window_secs, count) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (key) DO UPDATE SET
               count = CASE WHEN rate_limits.window_start + rate_limits.window_secs <= ?2
                            THEN 1 ELSE rate_limits.count + 1 END,
               window_start = CASE WHEN rate_limits.window_start + rate_limits.window_secs <= ?2
                                   THEN ?2 ELSE rate_limits.window_start END,
               window_secs = ?3
             RETURNING count",
        )
        .bind(key)
        .bind(now)
        .bind(window_secs)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }
}
