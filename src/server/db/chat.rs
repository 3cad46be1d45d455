//! Conversations and their messages.

use async_trait::async_trait;

use super::{
    pool::{on_pool, WriteTx},
    rows::{ConversationRow, MessageRow},
    Conversation, DbError, Message, MessageStatus, Role, SqlRepo,
};

/// Conversations, each owned by one user, and their messages.
#[async_trait]
pub trait Chat: Send + Sync {
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
    /// The user's conversations that have messages (a cleared one is not
    /// listed until its next message), most recent first.
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
    /// Adds a message and marks the conversation as updated. An answer
    /// names its `model`, which becomes the conversation's model too, so the
    /// conversation goes on with the model it last used.
    async fn message_add(
        &self,
        conversation_id: i64,
        role: Role,
        content: &str,
        status: MessageStatus,
        model: Option<&str>,
        now: i64,
    ) -> Result<i64, DbError>;
    /// The last `limit` messages of a conversation (all when `None`), oldest first.
    async fn messages(
        &self,
        conversation_id: i64,
        limit: Option<i64>,
    ) -> Result<Vec<Message>, DbError>;
}

/// Inserts one message inside the caller's transaction `$tx`, and
/// evaluates to the query's future (its output is the new id).
macro_rules! insert_message {
    ($tx:ident, $conversation:expr, $role:expr, $content:expr, $status:expr, $model:expr, $now:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO messages (conversation_id, role, content, status, model, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind($conversation)
        .bind($role.as_str())
        .bind($content)
        .bind($status.as_str())
        .bind($model)
        .bind($now)
        .fetch_one(&mut *$tx)
    };
}

#[async_trait]
impl Chat for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn conversation_start(
        &self,
        user_id: i64,
        title: &str,
        model: &str,
        first_message: &str,
        now: i64,
    ) -> Result<Conversation, DbError> {
        let row: ConversationRow = on_pool!(&self.pool, |p| {
            let mut tx = p.begin_write().await?;
            let row: ConversationRow = sqlx::query_as(
                "INSERT INTO conversations (user_id, title, model, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $4)
                 RETURNING id, title, model, updated_at",
            )
            .bind(user_id)
            .bind(title)
            .bind(model)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            insert_message!(
                tx,
                row.id,
                Role::User,
                first_message,
                MessageStatus::Complete,
                None::<&str>,
                now
            )
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(row)
        })?;
        Ok(row.into())
    }

    #[tracing::instrument(skip_all, err)]
    async fn conversation_get(
        &self,
        user_id: i64,
        id: i64,
    ) -> Result<Option<Conversation>, DbError> {
        let row: Option<ConversationRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, title, model, updated_at FROM conversations
                 WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .fetch_optional(p)
            .await
        })?;
        Ok(row.map(Conversation::from))
    }

    #[tracing::instrument(skip_all, err)]
    async fn conversations_list(&self, user_id: i64) -> Result<Vec<Conversation>, DbError> {
        let rows: Vec<ConversationRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, title, model, updated_at FROM conversations c WHERE user_id = $1
                 AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)
                 ORDER BY updated_at DESC, id DESC LIMIT 500",
            )
            .bind(user_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Conversation::from).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn conversation_rename(
        &self,
        user_id: i64,
        id: i64,
        title: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let done = on_pool!(&self.pool, |p| {
            sqlx::query(
                "UPDATE conversations SET title = $1, updated_at = $2
                 WHERE id = $3 AND user_id = $4",
            )
            .bind(title)
            .bind(now)
            .bind(id)
            .bind(user_id)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(done == 1)
    }

    #[tracing::instrument(skip_all, err)]
    async fn conversation_delete(&self, user_id: i64, id: i64) -> Result<bool, DbError> {
        // Messages go with it (ON DELETE CASCADE).
        let done = on_pool!(&self.pool, |p| {
            sqlx::query("DELETE FROM conversations WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .execute(p)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(done == 1)
    }

    #[tracing::instrument(skip_all, err)]
    async fn conversation_clear(&self, user_id: i64, id: i64) -> Result<bool, DbError> {
        let owned: Option<bool> = on_pool!(&self.pool, |p| {
            let mut tx = p.begin_write().await?;
            let owned: Option<bool> =
                sqlx::query_scalar("SELECT TRUE FROM conversations WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owned.is_some() {
                sqlx::query("DELETE FROM messages WHERE conversation_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(owned)
        })?;
        Ok(owned.is_some())
    }

    #[tracing::instrument(skip_all, err)]
    async fn message_add(
        &self,
        conversation_id: i64,
        role: Role,
        content: &str,
        status: MessageStatus,
        model: Option<&str>,
        now: i64,
    ) -> Result<i64, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            let mut tx = p.begin_write().await?;
            let id =
                insert_message!(tx, conversation_id, role, content, status, model, now).await?;
            sqlx::query(
                "UPDATE conversations SET updated_at = $1, model = COALESCE($3, model)
                 WHERE id = $2",
            )
            .bind(now)
            .bind(conversation_id)
            .bind(model)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn messages(
        &self,
        conversation_id: i64,
        limit: Option<i64>,
    ) -> Result<Vec<Message>, DbError> {
        // i64::MAX means "no limit" in both dialects.
        let rows: Vec<MessageRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, role, content, status, model FROM (
                     SELECT id, role, content, status, model FROM messages WHERE conversation_id = $1
                     ORDER BY id DESC LIMIT $2
                 ) AS recent ORDER BY id",
            )
            .bind(conversation_id)
            .bind(limit.unwrap_or(i64::MAX))
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Message::from).collect())
    }
}
