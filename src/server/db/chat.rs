//! Conversations and their messages.

use async_trait::async_trait;

use super::{
    pool::{on_pool, WriteTx},
    rows::ConversationRow,
    Conversation, DbError, Exchange, MessageStatus, Role, SqlRepo,
};

/// Conversations, each owned by one user, and their messages.
#[async_trait]
pub trait Chat: Send + Sync {
    /// Starts a conversation for `user_id` with the user's first message, in
    /// one transaction: there is never a conversation without its question.
    /// `system_prompt` is its own (`None`: the operator's).
    async fn conversation_start(
        &self,
        user_id: i64,
        title: &str,
        model: &str,
        system_prompt: Option<&str>,
        first_message: &str,
        now: i64,
    ) -> Result<(Conversation, Exchange), DbError>;
    /// Sets the system prompt of one of the user's conversations (`None`:
    /// the operator's); false when it is not theirs.
    async fn conversation_set_prompt(
        &self,
        user_id: i64,
        id: i64,
        system_prompt: Option<&str>,
    ) -> Result<bool, DbError>;
    /// The person's default system prompt for new conversations.
    async fn chat_default_prompt(&self, user_id: i64) -> Result<Option<String>, DbError>;
    /// Sets the person's default system prompt (`None`: the operator's).
    async fn chat_set_default_prompt(
        &self,
        user_id: i64,
        system_prompt: Option<&str>,
    ) -> Result<(), DbError>;
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
    /// Adds the person's message under `parent_id` (`None`: a new first
    /// message) and the answer to it, status `streaming`, in one
    /// transaction; the answer becomes the conversation's current leaf,
    /// and `model` its model.
    async fn exchange_add(
        &self,
        conversation_id: i64,
        parent_id: Option<i64>,
        content: &str,
        model: &str,
        now: i64,
    ) -> Result<Exchange, DbError>;
    /// Adds another answer (status `streaming`) to the person's message
    /// `message_id`, beside the answers it has; it becomes the current leaf.
    async fn reply_add(
        &self,
        conversation_id: i64,
        message_id: i64,
        model: &str,
        now: i64,
    ) -> Result<i64, DbError>;
}

/// Inserts one message inside the caller's transaction `$tx`, and
/// evaluates to the query's future (its output is the new id).
macro_rules! insert_message {
    ($tx:ident, $conversation:expr, $parent:expr, $role:expr, $content:expr, $status:expr, $model:expr, $now:expr) => {
        // An answer being written gets its first heartbeat now (see
        // `Answers::answers_sweep`).
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO messages
                 (conversation_id, parent_id, role, content, status, model, created_at, heartbeat_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $5 = 'streaming' THEN $7 END)
             RETURNING id",
        )
        .bind($conversation)
        .bind($parent)
        .bind($role.as_str())
        .bind($content)
        .bind($status.as_str())
        .bind($model)
        .bind($now)
        .fetch_one(&mut *$tx)
    };
}

/// Inserts the person's message and the answer being written to it, and
/// makes the answer the current leaf, inside the caller's transaction.
macro_rules! insert_exchange {
    ($tx:ident, $conversation:expr, $parent:expr, $content:expr, $model:expr, $now:expr) => {{
        let message_id = insert_message!(
            $tx,
            $conversation,
            $parent,
            Role::User,
            $content,
            MessageStatus::Complete,
            None::<&str>,
            $now
        )
        .await?;
        let reply_id = insert_message!(
            $tx,
            $conversation,
            Some(message_id),
            Role::Assistant,
            "",
            MessageStatus::Streaming,
            Some($model),
            $now
        )
        .await?;
        set_leaf!($tx, $conversation, reply_id, $model, $now).await?;
        Exchange {
            conversation_id: $conversation,
            message_id,
            reply_id,
        }
    }};
}

/// Makes `$leaf` the conversation's current leaf and `$model` its model,
/// marking it updated, inside the caller's transaction.
macro_rules! set_leaf {
    ($tx:ident, $conversation:expr, $leaf:expr, $model:expr, $now:expr) => {
        sqlx::query(
            "UPDATE conversations SET current_leaf_id = $1, updated_at = $2, model = $3
             WHERE id = $4",
        )
        .bind($leaf)
        .bind($now)
        .bind($model)
        .bind($conversation)
        .execute(&mut *$tx)
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
        system_prompt: Option<&str>,
        first_message: &str,
        now: i64,
    ) -> Result<(Conversation, Exchange), DbError> {
        let (row, exchange) = on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let mut row: ConversationRow = sqlx::query_as(
                "INSERT INTO conversations (user_id, title, model, created_at, updated_at, system_prompt)
                 VALUES ($1, $2, $3, $4, $4, $5)
                 RETURNING id, title, model, updated_at, current_leaf_id, system_prompt",
            )
            .bind(user_id)
            .bind(title)
            .bind(model)
            .bind(now)
            .bind(system_prompt)
            .fetch_one(&mut *tx)
            .await?;
            let exchange = insert_exchange!(tx, row.id, None::<i64>, first_message, model, now);
            tx.commit().await?;
            row.current_leaf_id = Some(exchange.reply_id);
            Ok::<_, sqlx::Error>((row, exchange))
        })?;
        Ok((row.into(), exchange))
    }

    #[tracing::instrument(skip_all, err)]
    async fn conversation_set_prompt(
        &self,
        user_id: i64,
        id: i64,
        system_prompt: Option<&str>,
    ) -> Result<bool, DbError> {
        let done = on_pool!(&self.writer, |p| {
            sqlx::query(
                "UPDATE conversations SET system_prompt = $1 WHERE id = $2 AND user_id = $3",
            )
            .bind(system_prompt)
            .bind(id)
            .bind(user_id)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(done == 1)
    }

    #[tracing::instrument(skip_all, err)]
    async fn chat_default_prompt(&self, user_id: i64) -> Result<Option<String>, DbError> {
        let prompt: Option<Option<String>> = on_pool!(&self.pool, |p| {
            sqlx::query_scalar("SELECT chat_system_prompt FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(p)
                .await
        })?;
        Ok(prompt.flatten())
    }

    #[tracing::instrument(skip_all, err)]
    async fn chat_set_default_prompt(
        &self,
        user_id: i64,
        system_prompt: Option<&str>,
    ) -> Result<(), DbError> {
        on_pool!(&self.writer, |p| {
            sqlx::query("UPDATE users SET chat_system_prompt = $1 WHERE id = $2")
                .bind(system_prompt)
                .bind(user_id)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn conversation_get(
        &self,
        user_id: i64,
        id: i64,
    ) -> Result<Option<Conversation>, DbError> {
        let row: Option<ConversationRow> = on_pool!(&self.pool, |p| {
            sqlx::query_as(
                "SELECT id, title, model, updated_at, current_leaf_id, system_prompt FROM conversations
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
                "SELECT id, title, model, updated_at, current_leaf_id, system_prompt FROM conversations c
                 WHERE user_id = $1
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
        let done = on_pool!(&self.writer, |p| {
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
        let done = on_pool!(&self.writer, |p| {
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
        let owned: Option<bool> = on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let owned: Option<bool> =
                sqlx::query_scalar("SELECT TRUE FROM conversations WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owned.is_some() {
                sqlx::query("UPDATE conversations SET current_leaf_id = NULL WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
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
    async fn exchange_add(
        &self,
        conversation_id: i64,
        parent_id: Option<i64>,
        content: &str,
        model: &str,
        now: i64,
    ) -> Result<Exchange, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let exchange = insert_exchange!(tx, conversation_id, parent_id, content, model, now);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(exchange)
        })?)
    }

    #[tracing::instrument(skip_all, err)]
    async fn reply_add(
        &self,
        conversation_id: i64,
        message_id: i64,
        model: &str,
        now: i64,
    ) -> Result<i64, DbError> {
        Ok(on_pool!(&self.writer, |p| {
            let mut tx = p.begin_write().await?;
            let reply_id = insert_message!(
                tx,
                conversation_id,
                Some(message_id),
                Role::Assistant,
                "",
                MessageStatus::Streaming,
                Some(model),
                now
            )
            .await?;
            set_leaf!(tx, conversation_id, reply_id, model, now).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(reply_id)
        })?)
    }
}
