//! Chat: `POST /api/chat` (an axum route, `server::chat::handler`: it
//! streams JSON lines) and the server functions of `src/api/chat.rs`
//! (the model set-up and the conversations).

#![allow(dead_code)] // The functions and `...Body` structs only describe.

use utoipa::{OpenApi, ToSchema};

use super::errors::errors;
use crate::{
    api::{
        auth::Done,
        chat_types::{ChatConfig, ChatEvent, ChatRequest, Conversation, Message},
    },
    error::AppError,
};

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(
    chat,
    get_chat_config,
    list_conversations,
    load_conversation,
    rename_conversation,
    delete_conversation,
    clear_conversation
))]
pub(super) struct Doc;

/// `POST /api/conversations/rename`.
#[derive(ToSchema)]
#[schema(example = json!({"id": 12, "title": "Trip to Hội An"}))]
pub(super) struct RenameBody {
    /// The conversation.
    id: i64,
    /// Its new title: 1 to 120 characters.
    title: String,
}

/// `POST /api/conversations/delete` and `/clear`.
#[derive(ToSchema)]
#[schema(example = json!({"id": 12}))]
pub(super) struct ConversationId {
    /// The conversation.
    id: i64,
}

errors!(ChatErrors:
    AppError::BadRequest("Invalid request: missing field `message`".into()),
    AppError::EmptyMessage,
    AppError::MessageTooLong { max: 4000 },
    AppError::UnknownModel,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::NotFound,
    AppError::PayloadTooLarge,
    AppError::RateLimited,
    AppError::NotConfigured(
        "Chat is not configured yet: set LLM_API_KEY (or OPENAI_API_KEY) for OpenAI, \
         or point LLM_BASE_URL at a local OpenAI-compatible server such as Ollama."
            .into()
    ),
);
errors!(ReadErrors: AppError::Unauthorized);
errors!(LoadErrors:
    AppError::BadRequest("Invalid request: missing argument `id`".into()),
    AppError::Unauthorized,
    AppError::NotFound,
);
errors!(RenameErrors:
    AppError::BadRequest("Invalid request: missing field `title`".into()),
    AppError::InvalidTitle { max: 120 },
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::NotFound,
);
errors!(ChangeErrors:
    AppError::BadRequest("Invalid request: missing field `id`".into()),
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::NotFound,
);

/// Sends a message and streams the answer
///
/// Everything is checked before the first byte (sign-in, the per-user
/// rate limit, the message, the conversation's owner), so a refusal is a
/// status. Then `200` with `Content-Type: application/x-ndjson`: one JSON
/// object per line (a `ChatEvent`), as the model writes:
///
/// 1. `{"conversation_id": 12}`: where the exchange is stored;
/// 2. `{"text": "..."}`, once per piece of the answer;
/// 3. `{"done": true}`, or, when it did not end well,
///    `{"error": "...", "code": "..."}` (what arrived is stored, marked
///    partial). `code` is `unauthorized` (the session ended or the key was
///    revoked), `not_saved`, or the model's failure: `model_timeout`,
///    `model_unreachable`, `model_busy`, `model_failed`,
///    `model_not_found`, `model_refused_credentials`,
///    `model_interrupted`.
///
/// The stream is never compressed or cached (`Cache-Control: no-cache,
/// no-transform`, `X-Accel-Buffering: no`).
#[utoipa::path(
    post,
    path = "/api/chat",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = ChatRequest,
    responses(
        (status = 200, description = "The answer, as JSON lines (one `ChatEvent` per line)",
            content((ChatEvent = "application/x-ndjson", examples(
                ("first line" = (summary = "Where it is stored", value = json!({"conversation_id": 12}))),
                ("a piece" = (summary = "A piece of the answer", value = json!({"text": "A binary search halves"}))),
                ("the end" = (summary = "The answer is complete", value = json!({"done": true}))),
                ("a failure" = (summary = "The model failed mid-answer", value = json!({"error": "The model did not answer in time", "code": "model_timeout"}))),
            )))),
        ChatErrors,
    )
)]
fn chat() {}

/// The models on offer
///
/// The first model is the default; `notice` says what to configure when
/// chat cannot work as set up.
#[utoipa::path(
    get,
    path = "/api/chat/config",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The set-up", body = ChatConfig,
            example = json!({"models": ["gpt-4o-mini", "gpt-4o"], "notice": null, "max_message_chars": 4000})),
        ReadErrors,
    )
)]
fn get_chat_config() {}

/// The signed-in user's conversations, most recent first
///
/// Only conversations with messages are listed.
#[utoipa::path(
    get,
    path = "/api/conversations/list",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The conversations", body = Vec<Conversation>,
            example = json!([{"id": 12, "title": "What is a binary search?", "model": "gpt-4o-mini", "updated_at": 1764750000}])),
        ReadErrors,
    )
)]
fn list_conversations() {}

/// The messages of one conversation, oldest first
#[utoipa::path(
    get,
    path = "/api/conversations/load",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    params(("id" = i64, Query, description = "The conversation; another user's is `404`", example = 12)),
    responses(
        (status = 200, description = "The messages", body = Vec<Message>,
            example = json!([
                {"id": 31, "role": "user", "content": "What is a binary search?", "status": "complete", "model": null},
                {"id": 32, "role": "assistant", "content": "A binary search halves...", "status": "complete", "model": "gpt-4o-mini"}
            ])),
        LoadErrors,
    )
)]
fn load_conversation() {}

/// Renames a conversation
#[utoipa::path(
    post,
    path = "/api/conversations/rename",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = RenameBody,
    responses(
        (status = 200, description = "Renamed", body = Done, example = json!({"ok": true})),
        RenameErrors,
    )
)]
fn rename_conversation() {}

/// Deletes a conversation and its messages
#[utoipa::path(
    post,
    path = "/api/conversations/delete",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = ConversationId,
    responses(
        (status = 200, description = "Deleted", body = Done, example = json!({"ok": true})),
        ChangeErrors,
    )
)]
fn delete_conversation() {}

/// Clears a conversation's messages, keeping the conversation
///
/// Its title and model stay, for its next message.
#[utoipa::path(
    post,
    path = "/api/conversations/clear",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = ConversationId,
    responses(
        (status = 200, description = "Cleared", body = Done, example = json!({"ok": true})),
        ChangeErrors,
    )
)]
fn clear_conversation() {}
