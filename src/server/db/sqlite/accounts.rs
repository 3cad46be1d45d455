//! Users, credentials, sessions and reset tokens on SQLite.

use sqlx::{sqlite::SqliteRow, Row, SqlitePool};

use super::super::{DbError, JobFn, NewUser, ResetDone, SessionRow, User};
use super::queue::mail_enqueue;
use super::write_tx;

/// The columns [`user_from_row`] reads; a macro, so that every query using
/// them is one `concat!`ed literal instead of a string built per call.
macro_rules! user_columns {
    () => {
        "id, uid, email, phone, display_name, is_active"
    };
}

fn optional_user(row: Option<SqliteRow>) -> Result<Option<User>, DbError> {
    row.as_ref()
        .map(user_from_row)
        .transpose()
        .map_err(DbError::Query)
}

fn user_from_row(row: &SqliteRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get("id")?,
        uid: row.try_get("uid")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        display_name: row.try_get("display_name")?,
        is_active: row.try_get("is_active")?,
    })
}

fn session_from_row(row: &SqliteRow) -> Result<SessionRow, sqlx::Error> {
    Ok(SessionRow {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        data: row.try_get("data")?,
        expires_at: row.try_get("expires_at")?,
    })
}

pub(super) async fn create_user(
    pool: &SqlitePool,
    new: &NewUser<'_>,
    now: i64,
    welcome: JobFn<'_>,
) -> Result<User, DbError> {
    let mut tx = write_tx(pool).await?;
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
    let row = sqlx::query(concat!(
        "INSERT INTO users (uid, email, phone, display_name, is_active, created_at, updated_at)
         VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING ",
        user_columns!()
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
    mail_enqueue(&mut *tx, &welcome(user.id), now).await?;
    tx.commit().await?;
    Ok(user)
}

pub(super) async fn user_by_email(
    pool: &SqlitePool,
    email: &str,
) -> Result<Option<(User, Option<String>)>, DbError> {
    let row = sqlx::query(
        "SELECT u.id, u.uid, u.email, u.phone, u.display_name, u.is_active, c.password_hash
         FROM users u LEFT JOIN password_credentials c ON c.user_id = u.id
         WHERE u.email = ?",
    )
    .bind(email)
    .fetch_optional(pool)
    .await?;
    row.map(|r| Ok((user_from_row(&r)?, r.try_get("password_hash")?)))
        .transpose()
        .map_err(DbError::Query)
}

pub(super) async fn user_by_id(pool: &SqlitePool, id: i64) -> Result<Option<User>, DbError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    optional_user(row)
}

/// One query instead of a session load and then a user load: this is on the
/// path of every signed-in request.
pub(super) async fn user_by_session(
    pool: &SqlitePool,
    session_id: &str,
    now: i64,
) -> Result<Option<User>, DbError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE id = \
         (SELECT user_id FROM sessions WHERE id = ? AND expires_at > ?)"
    ))
    .bind(session_id)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    optional_user(row)
}

const UPSERT_PASSWORD: &str =
    "INSERT INTO password_credentials (user_id, password_hash, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?3)
     ON CONFLICT (user_id) DO UPDATE SET password_hash = ?2, updated_at = ?3";

pub(super) async fn set_password_hash(
    pool: &SqlitePool,
    user_id: i64,
    hash: &str,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query(UPSERT_PASSWORD)
        .bind(user_id)
        .bind(hash)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn session_insert(pool: &SqlitePool, row: &SessionRow) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&row.id)
    .bind(row.user_id)
    .bind(&row.data)
    .bind(row.expires_at)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn session_upsert(pool: &SqlitePool, row: &SessionRow) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET user_id = ?2, data = ?3, expires_at = ?4",
    )
    .bind(&row.id)
    .bind(row.user_id)
    .bind(&row.data)
    .bind(row.expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn session_load(
    pool: &SqlitePool,
    id: &str,
    now: i64,
) -> Result<Option<SessionRow>, DbError> {
    let row = sqlx::query(
        "SELECT id, user_id, data, expires_at FROM sessions WHERE id = ? AND expires_at > ?",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    row.as_ref()
        .map(session_from_row)
        .transpose()
        .map_err(DbError::Query)
}

pub(super) async fn reset_token_create(
    pool: &SqlitePool,
    user_id: i64,
    token_hash: &str,
    expires_at: i64,
    now: i64,
) -> Result<(), DbError> {
    let mut tx = write_tx(pool).await?;
    // Only the newest link works: a mail that arrives late cannot be replayed.
    retire_tokens(&mut tx, user_id, now).await?;
    sqlx::query(
        "INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(expires_at)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn reset_password(
    pool: &SqlitePool,
    token_hash: &str,
    password_hash: &str,
    now: i64,
    confirmation: JobFn<'_>,
) -> Result<Option<ResetDone>, DbError> {
    let mut tx = write_tx(pool).await?;
    let user_id: Option<i64> = sqlx::query_scalar(
        "UPDATE password_reset_tokens SET used_at = ?2
         WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2
         RETURNING user_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    sqlx::query(UPSERT_PASSWORD)
        .bind(user_id)
        .bind(password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    retire_tokens(&mut tx, user_id, now).await?;
    let revoked = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    mail_enqueue(&mut *tx, &confirmation(user_id), now).await?;
    tx.commit().await?;
    Ok(Some(ResetDone {
        user_id,
        revoked_sessions: revoked,
    }))
}

pub(super) async fn session_delete(pool: &SqlitePool, id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM sessions WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn sessions_delete_for_user(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<u64, DbError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

pub(super) async fn reset_token_valid(
    pool: &SqlitePool,
    token_hash: &str,
    now: i64,
) -> Result<bool, DbError> {
    let found: Option<bool> = sqlx::query_scalar(
        "SELECT TRUE FROM password_reset_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(found.is_some())
}

/// Marks every unused reset token of a user as used: only the newest link
/// works, and none works after a reset.
async fn retire_tokens(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE password_reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}
