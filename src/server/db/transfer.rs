//! Export and import: a conversation's whole tree out, and conversations
//! (from a Palaver or ChatGPT export) in, all in one transaction.

use async_trait::async_trait;

use super::{
    pool::{on_pool, WriteTx},
    rows::MessageRow,
    DbError, Message, MessageStatus, Role, SqlRepo,
};

/// A conversation to import, its messages parents first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConversation {
    /// Its title (1 to 120 characters).
    pub title: String,
    /// Its model.
    pub model: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Every message, each after its parent.
    pub messages: Vec<NewMessage>,
    /// The index in `messages` of the leaf to show; the last when `None`.
    pub leaf: Option<usize>,
}

/// A message to import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    /// The index in the conversation's `messages` of its parent (before it).
    pub parent: Option<usize>,
    /// Who wrote it.
    pub role: Role,
    /// Its text.
    pub content: String,
    /// How it ended (never `streaming`).
    pub status: MessageStatus,
    /// The model that wrote it.
    pub model: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// Export and import.
#[async_trait]
pub trait Transfer: Send + Sync {
    /// Every message of a conversation (all branches), oldest first.
    async fn messages_all(&self, conversation_id: i64) -> Result<Vec<Message>, DbError>;
    /// When a conversation was started (unix seconds).
    async fn conversation_created_at(&self, conversation_id: i64) -> Result<i64, DbError>;
    /// Stores `conversations` for `user_id`, all or none; their new ids.
    async fn conversations_import(
        &self,
        user_id: i64,
        conversations: &[NewConversation],
        now: i64,
    ) -> Result<Vec<i64>, DbError>;
}

#[async_trait]
impl Transfer for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn messages_all(&self, conversation_id: i64) -> Result<Vec<Message>, DbError> {
        let rows: Vec<MessageRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, parent_id, role, content, status, model, created_at,
                        prompt_tokens, completion_tokens FROM messages
                 WHERE conversation_id = $1 ORDER BY id",
            )
            .bind(conversation_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Message::from).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn conversation_created_at(&self, conversation_id: i64) -> Result<i64, DbError> {
        Ok(on_pool!(&self.pool, |p| {
            sqlx::query_scalar("SELECT created_at FROM conversations WHERE id = $1")
                .bind(conversation_id)
                .fetch_one(p)
                .await
        })?)
    }

    #[tracing::instrument(skip_all, err, fields(conversations = conversations.len()))]
    async fn conversations_import(
        &self,
        user_id: i64,
        conversations: &[NewConversation],
        now: i64,
    ) -> Result<Vec<i64>, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let mut imported = Vec::with_capacity(conversations.len());
            for conversation in conversations {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO conversations (user_id, title, model, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(user_id)
                .bind(&conversation.title)
                .bind(&conversation.model)
                .bind(conversation.created_at)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let mut ids: Vec<i64> = Vec::with_capacity(conversation.messages.len());
                for m in &conversation.messages {
                    let message_id: i64 = sqlx::query_scalar(
                        "INSERT INTO messages
                             (conversation_id, parent_id, role, content, status, model, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(id)
                    .bind(m.parent.map(|i| ids[i]))
                    .bind(m.role.as_str())
                    .bind(&m.content)
                    .bind(m.status.as_str())
                    .bind(m.model.as_deref())
                    .bind(m.created_at)
                    .fetch_one(&mut *tx)
                    .await?;
                    ids.push(message_id);
                }
                let leaf = conversation
                    .leaf
                    .map(|i| ids[i])
                    .or_else(|| ids.last().copied());
                sqlx::query("UPDATE conversations SET current_leaf_id = $1 WHERE id = $2")
                    .bind(leaf)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                imported.push(id);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(imported)
        })?)
    }
}
