//! The chat page's server functions: its configuration and the
//! conversation list. The chat itself is `POST /api/chat` (see
//! `server::chat`), a plain route because it streams framed JSON lines.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::{
    api::{
        auth::Done,
        chat_types::{ChatConfig, Conversation, Message},
        codec::FormOrJson,
    },
    error::AppError,
};

/// Models on offer and what is missing from the configuration, if anything.
#[server(prefix = "/api/chat", endpoint = "config", input = GetUrl)]
pub async fn get_chat_config() -> Result<ChatConfig, AppError> {
    use crate::server::{auth, edge};
    let state = edge::state()?;
    auth::current_user(&state, &edge::session().await?).await?;
    let llm = state.llm.settings();
    Ok(ChatConfig {
        models: llm.models.clone(),
        notice: llm.missing_configuration(),
        max_message_chars: llm.max_message_chars,
    })
}

/// The signed-in user's conversations, most recent first.
#[server(prefix = "/api/conversations", endpoint = "list", input = GetUrl)]
pub async fn list_conversations() -> Result<Vec<Conversation>, AppError> {
    use crate::server::{auth, edge};
    let state = edge::state()?;
    let user = auth::current_user(&state, &edge::session().await?).await?;
    Ok(state.db.conversations_list(user.id).await?)
}

/// The messages of one of the user's conversations (404 for anyone else's).
#[server(prefix = "/api/conversations", endpoint = "load", input = GetUrl)]
pub async fn load_conversation(id: i64) -> Result<Vec<Message>, AppError> {
    use crate::server::{auth, edge};
    let state = edge::state()?;
    let user = auth::current_user(&state, &edge::session().await?).await?;
    state
        .db
        .conversation_get(user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(state.db.messages(id, None).await?)
}

/// Renames a conversation.
#[server(prefix = "/api/conversations", endpoint = "rename", input = FormOrJson)]
pub async fn rename_conversation(id: i64, title: String) -> Result<Done, AppError> {
    use crate::server::{auth, edge};
    let state = edge::state()?;
    let user = auth::current_user(&state, &edge::session().await?).await?;
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        return Err(AppError::InvalidTitle { max: 120 });
    }
    let renamed = state
        .db
        .conversation_rename(user.id, id, title, state.clock.now())
        .await?;
    renamed.then_some(Done::OK).ok_or(AppError::NotFound)
}

/// Deletes a conversation and its messages.
#[server(prefix = "/api/conversations", endpoint = "delete", input = FormOrJson)]
pub async fn delete_conversation(id: i64) -> Result<Done, AppError> {
    use crate::server::{auth, edge};
    let state = edge::state()?;
    let user = auth::current_user(&state, &edge::session().await?).await?;
    let deleted = state.db.conversation_delete(user.id, id).await?;
    deleted.then_some(Done::OK).ok_or(AppError::NotFound)
}

/// Clears a conversation's messages, keeping the conversation.
#[server(prefix = "/api/conversations", endpoint = "clear", input = FormOrJson)]
pub async fn clear_conversation(id: i64) -> Result<Done, AppError> {
    use crate::server::{auth, edge};
    let state = edge::state()?;
    let user = auth::current_user(&state, &edge::session().await?).await?;
    let cleared = state.db.conversation_clear(user.id, id).await?;
    cleared.then_some(Done::OK).ok_or(AppError::NotFound)
}

crate::form_or_json!(RenameConversation, DeleteConversation, ClearConversation);
