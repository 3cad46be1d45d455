//! The tree of a conversation's messages: the branch shown, the branches
//! beside it, and switching between them.

use async_trait::async_trait;

use super::{pool::on_pool, rows::MessageRow, DbError, Message, MessageStatus, Role, SqlRepo};

/// What a caller learns of one message before acting on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageRef {
    /// The message.
    pub id: i64,
    /// Its conversation.
    pub conversation_id: i64,
    /// The message it follows.
    pub parent_id: Option<i64>,
    /// Who wrote it.
    pub role: Role,
    /// How it stands.
    pub status: MessageStatus,
}

#[derive(sqlx::FromRow)]
struct MessageRefRow {
    id: i64,
    conversation_id: i64,
    parent_id: Option<i64>,
    role: String,
    status: String,
}

/// Reading and walking the tree of a conversation.
#[async_trait]
pub trait ChatTree: Send + Sync {
    /// One message of the user's conversations; `None` for anyone else's.
    async fn message_ref(&self, user_id: i64, id: i64) -> Result<Option<MessageRef>, DbError>;
    /// The branch that ends at `leaf` (a message of `conversation_id`), from
    /// its first message; only its last `limit` messages when given.
    async fn branch(
        &self,
        conversation_id: i64,
        leaf: i64,
        limit: Option<i64>,
    ) -> Result<Vec<Message>, DbError>;
    /// Every message of the conversation as `(id, parent_id)`, oldest first:
    /// the shape of the tree, without the text.
    async fn tree(&self, conversation_id: i64) -> Result<Vec<(i64, Option<i64>)>, DbError>;
    /// Makes the branch through `message_id` current: its newest descendant
    /// (the one with the highest id, always a leaf, since a child is newer
    /// than its parent) becomes the leaf. False when the message is not in
    /// that conversation.
    async fn leaf_switch(&self, conversation_id: i64, message_id: i64) -> Result<bool, DbError>;
}

#[async_trait]
impl ChatTree for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn message_ref(&self, user_id: i64, id: i64) -> Result<Option<MessageRef>, DbError> {
        let row: Option<MessageRefRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT m.id, m.conversation_id, m.parent_id, m.role, m.status
                 FROM messages m JOIN conversations c ON c.id = m.conversation_id
                 WHERE m.id = $1 AND c.user_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .fetch_optional(p)
            .await
        })?;
        Ok(row.map(|r| MessageRef {
            id: r.id,
            conversation_id: r.conversation_id,
            parent_id: r.parent_id,
            role: if r.role == "user" {
                Role::User
            } else {
                Role::Assistant
            },
            status: MessageStatus::parse(&r.status),
        }))
    }

    #[tracing::instrument(skip_all, err)]
    async fn branch(
        &self,
        conversation_id: i64,
        leaf: i64,
        limit: Option<i64>,
    ) -> Result<Vec<Message>, DbError> {
        // Up from the leaf by the primary key, one step per message; the
        // depth bounds the walk when only the newest turns are wanted.
        let rows: Vec<MessageRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "WITH RECURSIVE branch (id, depth) AS (
                     SELECT id, CAST(1 AS BIGINT) FROM messages
                     WHERE id = $1 AND conversation_id = $2
                     UNION ALL
                     SELECT m.parent_id, b.depth + 1 FROM branch b JOIN messages m ON m.id = b.id
                     WHERE m.parent_id IS NOT NULL AND b.depth < $3
                 )
                 SELECT m.id, m.parent_id, m.role, m.content, m.status, m.model, m.created_at,
                        m.prompt_tokens, m.completion_tokens
                 FROM branch b JOIN messages m ON m.id = b.id
                 ORDER BY b.depth DESC",
            )
            .bind(leaf)
            .bind(conversation_id)
            .bind(limit.unwrap_or(i64::MAX))
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Message::from).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn tree(&self, conversation_id: i64) -> Result<Vec<(i64, Option<i64>)>, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, parent_id FROM messages WHERE conversation_id = $1 ORDER BY id",
            )
            .bind(conversation_id)
            .fetch_all(p)
            .await
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn leaf_switch(&self, conversation_id: i64, message_id: i64) -> Result<bool, DbError> {
        let done = on_pool!(&self.writer, |p| {
            sqlx::query(
                "WITH RECURSIVE below (id) AS (
                     SELECT id FROM messages WHERE id = $1 AND conversation_id = $2
                     UNION ALL
                     SELECT m.id FROM messages m JOIN below b ON m.parent_id = b.id
                 )
                 UPDATE conversations SET current_leaf_id = (SELECT MAX(id) FROM below)
                 WHERE id = $2 AND EXISTS (SELECT 1 FROM below)",
            )
            .bind(message_id)
            .bind(conversation_id)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(done == 1)
    }
}
