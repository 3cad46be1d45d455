//! The chat page's server functions: its configuration, the conversation
//! list, branches and Stop. The streamed calls (`POST /api/chat`,
//! `/api/chat/regenerate`, `GET /api/chat/stream`) are plain routes (see
//! `server::chat::handler`), because they stream framed JSON lines.
//! The rules (ownership, titles) are in `server::chat::conversations`.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::{
    api::{
        auth::Done,
        chat_types::{ChatConfig, Conversation, Message, SearchResults},
        codec::FormOrJson,
    },
    error::AppError,
};

/// Models on offer and what is missing from the configuration, if anything.
#[server(prefix = "/api/chat", endpoint = "config", input = GetUrl)]
pub async fn get_chat_config() -> Result<ChatConfig, AppError> {
    use crate::server::{chat, edge};
    let (state, user) = edge::signed_in().await?;
    chat::config(&state, &user).await
}

/// Sets the user's default system prompt, which new conversations start
/// from (empty: the server's). Conversations under way keep theirs.
#[server(prefix = "/api/chat", endpoint = "defaults", input = FormOrJson)]
pub async fn set_chat_defaults(system_prompt: String) -> Result<Done, AppError> {
    use crate::server::{chat::settings, edge};
    let result = async {
        let (state, user) = edge::signed_in().await?;
        settings::set_default_prompt(&state, &user, &system_prompt).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/settings?done=chat", "/settings?form=chat")
}

/// Sets a conversation's own system prompt (empty: the server's); the next
/// answer follows it.
#[server(prefix = "/api/conversations", endpoint = "settings", input = FormOrJson)]
pub async fn set_conversation_settings(id: i64, system_prompt: String) -> Result<Done, AppError> {
    use crate::server::{chat::settings, edge};
    let result = async {
        let (state, user) = edge::signed_in().await?;
        settings::set_conversation_prompt(&state, &user, id, &system_prompt).await?;
        Ok(Done::OK)
    }
    .await;
    let back = format!("/app?c={id}");
    edge::finish(result, &back, &back)
}

/// The signed-in user's conversations, most recent first.
#[server(prefix = "/api/conversations", endpoint = "list", input = GetUrl)]
pub async fn list_conversations() -> Result<Vec<Conversation>, AppError> {
    use crate::server::{chat::conversations, edge};
    let (state, user) = edge::signed_in().await?;
    conversations::list(&state, &user).await
}

/// The messages of one of the user's conversations (404 for anyone else's).
#[server(prefix = "/api/conversations", endpoint = "load", input = GetUrl)]
pub async fn load_conversation(id: i64) -> Result<Vec<Message>, AppError> {
    use crate::server::{chat::conversations, edge};
    let (state, user) = edge::signed_in().await?;
    conversations::load(&state, &user, id).await
}

/// Shows another branch of a conversation: the one through `message_id`,
/// down to its newest message.
#[server(prefix = "/api/conversations", endpoint = "switch", input = FormOrJson)]
pub async fn switch_branch(id: i64, message_id: i64) -> Result<Done, AppError> {
    use crate::server::{chat::conversations, edge};
    let (state, user) = edge::signed_in().await?;
    conversations::switch(&state, &user, id, message_id).await?;
    Ok(Done::OK)
}

/// Stops an answer, wherever it runs; what it had is kept, marked partial.
#[server(prefix = "/api/chat", endpoint = "stop", input = FormOrJson)]
pub async fn stop_answer(reply_id: i64) -> Result<Done, AppError> {
    use crate::server::{chat::conversations, edge};
    let (state, user) = edge::signed_in().await?;
    conversations::stop(&state, &user, reply_id).await?;
    Ok(Done::OK)
}

/// The user's conversations whose title or messages contain the words of
/// `q`, newest first, at most 50, each with an HTML snippet.
#[server(prefix = "/api/conversations", endpoint = "search", input = GetUrl)]
pub async fn search_conversations(q: String) -> Result<SearchResults, AppError> {
    use crate::server::{chat::search, edge};
    let (state, user) = edge::signed_in().await?;
    let results = search::search(&state, &user, &q).await?;
    Ok(SearchResults { ok: true, results })
}

/// Renames a conversation.
#[server(prefix = "/api/conversations", endpoint = "rename", input = FormOrJson)]
pub async fn rename_conversation(id: i64, title: String) -> Result<Done, AppError> {
    use crate::server::{chat::conversations, edge};
    let (state, user) = edge::signed_in().await?;
    conversations::rename(&state, &user, id, &title).await?;
    Ok(Done::OK)
}

/// Deletes a conversation and its messages.
#[server(prefix = "/api/conversations", endpoint = "delete", input = FormOrJson)]
pub async fn delete_conversation(id: i64) -> Result<Done, AppError> {
    use crate::server::{chat::conversations, edge};
    let (state, user) = edge::signed_in().await?;
    conversations::delete(&state, &user, id).await?;
    Ok(Done::OK)
}

/// Clears a conversation's messages, keeping the conversation.
#[server(prefix = "/api/conversations", endpoint = "clear", input = FormOrJson)]
pub async fn clear_conversation(id: i64) -> Result<Done, AppError> {
    use crate::server::{chat::conversations, edge};
    let (state, user) = edge::signed_in().await?;
    conversations::clear(&state, &user, id).await?;
    Ok(Done::OK)
}

crate::form_or_json!(
    RenameConversation,
    DeleteConversation,
    ClearConversation,
    SwitchBranch,
    StopAnswer,
    SetChatDefaults,
    SetConversationSettings
);
