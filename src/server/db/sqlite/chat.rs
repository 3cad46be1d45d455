//! Conversations and messages on SQLite.

use sqlx::{sqlite::SqliteRow, Row, SqliteConnection, SqlitePool};

use super::super::{Conversation, DbError, Message, MessageStatus, Role};
use super::write_tx;

fn conversation(row: &SqliteRow) -> Result<Conversation, sqlx::Error> {
    Ok(Conversation {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        model: row.try_get("model")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn message(row: &SqliteRow) -> Result<Message, sqlx::Error> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    Ok(Message {
        id: row.try_get("id")?,
        role: if role == "user" {
            Role::User
        } else {
            Role::Assistant
        },
        content: row.try_get("content")?,
        status: MessageStatus::parse(&status),
    })
}

pub(super) async fn conversation_start(
    pool: &SqlitePool,
    user_id: i64,
    title: &str,
    model: &str,
    first_message: &str,
    now: i64,
) -> Result<Conversation, DbError> {
    let mut tx = write_tx(pool).await?;
    let row = sqlx::query(
        "INSERT INTO conversations (user_id, title, model, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         RETURNING id, title, model, updated_at",
    )
    .bind(user_id)
    .bind(title)
    .bind(model)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let conversation = conversation(&row)?;
    insert_message(
        &mut tx,
        conversation.id,
        Role::User,
        first_message,
        MessageStatus::Complete,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(conversation)
}

pub(super) async fn conversation_get(
    pool: &SqlitePool,
    user_id: i64,
    id: i64,
) -> Result<Option<Conversation>, DbError> {
    let row = sqlx::query(
        "SELECT id, title, model, updated_at FROM conversations WHERE id = ? AND user_id = ?",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    row.as_ref()
        .map(conversation)
        .transpose()
        .map_err(DbError::Query)
}

pub(super) async fn conversations_list(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Vec<Conversation>, DbError> {
    let rows = sqlx::query(
        "SELECT id, title, model, updated_at FROM conversations WHERE user_id = ?
         ORDER BY updated_at DESC, id DESC LIMIT 500",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(conversation)
        .collect::<Result<_, _>>()
        .map_err(DbError::Query)
}

pub(super) async fn conversation_clear(
    pool: &SqlitePool,
    user_id: i64,
    id: i64,
) -> Result<bool, DbError> {
    let mut tx = write_tx(pool).await?;
    let owned: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM conversations WHERE id = ? AND user_id = ?")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if owned.is_none() {
        return Ok(false);
    }
    sqlx::query("DELETE FROM messages WHERE conversation_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn message_add(
    pool: &SqlitePool,
    conversation_id: i64,
    role: Role,
    content: &str,
    status: MessageStatus,
    now: i64,
) -> Result<i64, DbError> {
    let mut tx = write_tx(pool).await?;
    let id = insert_message(&mut tx, conversation_id, role, content, status, now).await?;
    sqlx::query("UPDATE conversations SET updated_at = ? WHERE id = ?")
        .bind(now)
        .bind(conversation_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts one message inside the caller's transaction; returns its id.
async fn insert_message(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    role: Role,
    content: &str,
    status: MessageStatus,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO messages (conversation_id, role, content, status, created_at) VALUES (?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(conversation_id)
    .bind(role.as_str())
    .bind(content)
    .bind(status.as_str())
    .bind(now)
    .fetch_one(conn)
    .await
}

pub(super) async fn messages(
    pool: &SqlitePool,
    conversation_id: i64,
    limit: Option<i64>,
) -> Result<Vec<Message>, DbError> {
    let rows = sqlx::query(
        "SELECT id, role, content, status FROM (
             SELECT id, role, content, status FROM messages WHERE conversation_id = ?
             ORDER BY id DESC LIMIT ?
         ) ORDER BY id",
    )
    .bind(conversation_id)
    .bind(limit.unwrap_or(-1))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(message)
        .collect::<Result<_, _>>()
        .map_err(DbError::Query)
}

pub(super) async fn conversation_rename(
    pool: &SqlitePool,
    user_id: i64,
    id: i64,
    title: &str,
    now: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE conversations SET title = ?, updated_at = ? WHERE id = ? AND user_id = ?",
    )
    .bind(title)
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn conversation_delete(
    pool: &SqlitePool,
    user_id: i64,
    id: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query("DELETE FROM conversations WHERE id = ? AND user_id = ?")
        .bind(id)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
