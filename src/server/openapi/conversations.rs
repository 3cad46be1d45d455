//! The conversations: the server functions of `src/api/chat.rs` that list,
//! load, switch branches, search, export, import, rename, delete and clear.

#![allow(dead_code)] // The functions and `...Body` structs only describe.

use utoipa::{OpenApi, ToSchema};

use super::errors::errors;
use crate::{
    api::{
        auth::Done,
        chat_types::{Conversation, Message, SearchResults},
    },
    error::AppError,
};

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(
    list_conversations,
    load_conversation,
    switch_branch,
    search_conversations,
    export_conversation,
    import_conversations,
    rename_conversation,
    set_conversation_settings,
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

/// `POST /api/conversations/settings`.
#[derive(ToSchema)]
#[schema(example = json!({"id": 12, "system_prompt": "You are a patient Vietnamese tutor."}))]
pub(super) struct SettingsBody {
    /// The conversation.
    id: i64,
    /// Its own system prompt, at most 8,000 characters; empty: the
    /// server's.
    system_prompt: String,
}

/// `POST /api/conversations/delete` and `/clear`.
#[derive(ToSchema)]
#[schema(example = json!({"id": 12}))]
pub(super) struct ConversationId {
    /// The conversation.
    id: i64,
}

/// `POST /api/conversations/switch`.
#[derive(ToSchema)]
#[schema(example = json!({"id": 12, "message_id": 34}))]
pub(super) struct SwitchBody {
    /// The conversation.
    id: i64,
    /// A message of it: the branch through it is shown, down to its
    /// newest message.
    message_id: i64,
}

/// `POST /api/conversations/import`'s answer.
#[derive(ToSchema)]
#[schema(example = json!({"ok": true, "imported": [13, 14]}))]
pub(super) struct Imported {
    /// Always true.
    ok: bool,
    /// The new conversations' ids.
    imported: Vec<i64>,
}

errors!(SearchErrors:
    AppError::BadRequest("Invalid request: missing argument `q`".into()),
    AppError::Unauthorized,
);
errors!(ExportErrors:
    AppError::BadRequest("Invalid request: format is md or json".into()),
    AppError::Unauthorized,
    AppError::NotFound,
);
errors!(ImportErrors:
    AppError::BadRequest("Invalid import: not a Palaver export or ChatGPT's conversations.json".into()),
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::PayloadTooLarge,
);
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
errors!(SettingsErrors:
    AppError::BadRequest("Invalid request: missing field `system_prompt`".into()),
    AppError::SystemPromptTooLong { max: 8000 },
    AppError::Unauthorized,
    AppError::NotFound,
);
errors!(SwitchErrors:
    AppError::BadRequest("Invalid request: missing field `message_id`".into()),
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
errors!(ReadErrors: AppError::Unauthorized);

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

/// The messages of a conversation's current branch, oldest first
///
/// `siblings` lists every child of the message's parent, itself included,
/// oldest first: the branches that can be shown there
/// (`/api/conversations/switch`). An answer still being written has
/// status `streaming`.
#[utoipa::path(
    get,
    path = "/api/conversations/load",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    params(("id" = i64, Query, description = "The conversation; another user's is `404`", example = 12)),
    responses(
        (status = 200, description = "The messages", body = Vec<Message>,
            example = json!([
                {"id": 31, "parent_id": null, "role": "user", "content": "What is a binary search?", "status": "complete",
                    "model": null, "created_at": 1764750000, "siblings": [31]},
                {"id": 35, "parent_id": 31, "role": "assistant", "content": "A binary search halves...", "status": "complete",
                    "model": "gpt-4o-mini", "created_at": 1764750004, "siblings": [32, 35]}
            ])),
        LoadErrors,
    )
)]
fn load_conversation() {}

/// Shows another branch of a conversation
///
/// The branch through `message_id`, down to its newest message, becomes
/// the one shown.
#[utoipa::path(
    post,
    path = "/api/conversations/switch",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = SwitchBody,
    responses(
        (status = 200, description = "Switched", body = Done, example = json!({"ok": true})),
        SwitchErrors,
    )
)]
fn switch_branch() {}

/// Searches the signed-in user's conversations
///
/// Those whose title or messages contain the words of `q`
/// (case-insensitive; Chinese, Japanese, Korean and Vietnamese text
/// included), newest first, at most 50. `snippet` is HTML: the text
/// around the match, escaped, each match in `<mark>`.
#[utoipa::path(
    get,
    path = "/api/conversations/search",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    params(("q" = String, Query, description = "The words to find", example = "binary")),
    responses(
        (status = 200, description = "The matches", body = SearchResults,
            example = json!({"ok": true, "results": [{"conversation_id": 12, "title": "What is a binary search?", "message_id": 32, "snippet": "A <mark>binary</mark> search halves"}]})),
        SearchErrors,
    )
)]
fn search_conversations() {}

/// Downloads a conversation
///
/// `format=md`: Markdown of the branch shown; `format=json`: the whole
/// tree, the form `/api/conversations/import` reads back. Answered as a
/// file (`Content-Disposition: attachment`).
#[utoipa::path(
    get,
    path = "/api/conversations/export",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    params(
        ("id" = i64, Query, description = "The conversation; another user's is `404`", example = 12),
        ("format" = String, Query, description = "`md` or `json`", example = "json"),
    ),
    responses(
        (status = 200, description = "The file",
            headers(("content-disposition" = String, description = "`attachment; filename=\"palaver-12.json\"`")),
            content(
                (String = "text/markdown", example = json!("# What is a binary search?\n\n## You\n\nWhat is a binary search?\n\n## Assistant (gpt-4o-mini)\n\nA binary search halves...\n")),
                (serde_json::Value = "application/json", example = json!({"title": "What is a binary search?", "model": "gpt-4o-mini", "created_at": 1764750000,
                    "messages": [{"id": 31, "parent_id": null, "role": "user", "content": "What is a binary search?", "status": "complete", "model": null, "created_at": 1764750000}]})),
            )),
        ExportErrors,
    )
)]
fn export_conversation() {}

/// Imports conversations
///
/// A Palaver JSON export (`/api/conversations/export?format=json`), or
/// ChatGPT's `conversations.json` (an array of conversations with a
/// `mapping` of nodes). All or nothing: a file that cannot be read
/// imports nothing (`400` with the reason). Up to 32 MB.
#[utoipa::path(
    post,
    path = "/api/conversations/import",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "A Palaver export or ChatGPT's `conversations.json`",
        example = json!({"title": "What is a binary search?", "model": "gpt-4o-mini", "created_at": 1764750000,
            "messages": [{"id": 1, "parent_id": null, "role": "user", "content": "What is a binary search?", "status": "complete", "created_at": 1764750000}]})),
    responses(
        (status = 200, description = "Imported", body = Imported, example = json!({"ok": true, "imported": [13, 14]})),
        ImportErrors,
    )
)]
fn import_conversations() {}

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

/// Sets a conversation's system prompt
///
/// The next answer follows it; `system_prompt` of the conversation list
/// shows it (`null`: the server's).
#[utoipa::path(
    post,
    path = "/api/conversations/settings",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = SettingsBody,
    responses(
        (status = 200, description = "Saved", body = Done, example = json!({"ok": true})),
        SettingsErrors,
    )
)]
fn set_conversation_settings() {}

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
