//! Chat: `POST /api/chat` and the other streams (server functions with
//! JSON lines out, `api::chat_stream`), stopping an answer, and the model
//! set-up. The conversations' calls are in `conversations.rs`.

#![allow(dead_code)] // The functions and `...Body` structs only describe.

use utoipa::{OpenApi, ToSchema};

use super::errors::errors;
use crate::{
    api::{
        auth::Done,
        chat_types::{ChatConfig, ChatEvent, ChatRequest, RegenerateRequest},
    },
    error::AppError,
};

/// This feature's part of the document.
#[derive(OpenApi)]
#[openapi(paths(
    send_message,
    regenerate_answer,
    attach_answer,
    stop_answer,
    get_chat_config,
    set_chat_defaults
))]
pub(super) struct Doc;

/// `POST /api/chat/stop`.
#[derive(ToSchema)]
#[schema(example = json!({"reply_id": 32}))]
pub(super) struct StopBody {
    /// The answer to stop (`reply_id` of the stream's first line).
    reply_id: i64,
}

/// `POST /api/chat/defaults`.
#[derive(ToSchema)]
#[schema(example = json!({"system_prompt": "Answer briefly, in plain words."}))]
pub(super) struct DefaultsBody {
    /// The system prompt new conversations start from, at most 8,000
    /// characters; empty: the server's.
    system_prompt: String,
}

errors!(DefaultsErrors:
    AppError::BadRequest("Invalid request: missing field `system_prompt`".into()),
    AppError::SystemPromptTooLong { max: 8000 },
    AppError::Unauthorized,
);

errors!(ChatErrors:
    AppError::BadRequest("Invalid request: missing field `message`".into()),
    AppError::EmptyMessage,
    AppError::MessageTooLong { max: 4000 },
    AppError::UnknownModel,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::PendingApproval,
    AppError::EmailUnverified,
    AppError::NotFound,
    AppError::PayloadTooLarge,
    AppError::RateLimited,
    AppError::NotConfigured(
        "Chat is not configured yet: set LLM_API_KEY (or OPENAI_API_KEY) for OpenAI, \
         or point LLM_BASE_URL at a local OpenAI-compatible server such as Ollama."
            .into()
    ),
);
errors!(RegenerateErrors:
    AppError::BadRequest("Invalid request: missing field `message_id`".into()),
    AppError::UnknownModel,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::PendingApproval,
    AppError::EmailUnverified,
    AppError::NotFound,
    AppError::RateLimited,
);
errors!(StreamErrors:
    AppError::BadRequest("Invalid request: missing field `reply_id`".into()),
    AppError::Unauthorized,
    AppError::NotFound,
);
errors!(ReadErrors: AppError::Unauthorized);

/// Sends a message and streams the answer
///
/// Everything is checked before the first byte (sign-in, the per-user
/// rate limit, the message, the conversation's owner), so a refusal is a
/// status. Then `200` with `Content-Type: application/x-ndjson`: one JSON
/// object per line (a `ChatEvent`), as the model writes:
///
/// 1. `{"conversation_id": 12, "message_id": 31, "reply_id": 32}`:
///    where the exchange is stored (the person's message, and the answer);
/// 2. `{"text": "..."}`, once per piece of the answer;
/// 3. `{"done": true}`, or, when it did not end well,
///    `{"error": "...", "code": "..."}` (what arrived is stored, marked
///    partial). `code` is `unauthorized` (the session ended or the key was
///    revoked), `not_saved`, or the model's failure: `model_timeout`,
///    `model_unreachable`, `model_busy`, `model_failed`,
///    `model_not_found`, `model_refused_credentials`,
///    `model_interrupted`; or `{"stopped": true}` after `POST
///    /api/chat/stop`.
///
/// `parent_id` absent: the message follows the conversation's current
/// leaf; `null`: a new first message; an id (a message of that
/// conversation, else `404`): a branch beside that message's other
/// children, which is how "edit and resend" works. Closing the connection
/// does not stop the answer: `GET /api/chat/stream` attaches to it again.
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
                ("first line" = (summary = "Where it is stored", value = json!({"conversation_id": 12, "message_id": 31, "reply_id": 32}))),
                ("a piece" = (summary = "A piece of the answer", value = json!({"text": "A binary search halves"}))),
                ("the end" = (summary = "The answer is complete", value = json!({"done": true}))),
                ("a failure" = (summary = "The model failed mid-answer", value = json!({"error": "The model did not answer in time", "code": "model_timeout"}))),
            )))),
        ChatErrors,
    )
)]
fn send_message() {}

/// Writes another answer to the same message
///
/// `message_id` is an answer; the new one is its sibling (both stay),
/// streamed with the same lines as `/api/chat`.
#[utoipa::path(
    post,
    path = "/api/chat/regenerate",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = RegenerateRequest,
    responses(
        (status = 200, description = "The answer, as JSON lines (one `ChatEvent` per line)",
            content((ChatEvent = "application/x-ndjson", examples(
                ("first line" = (summary = "Where it is stored", value = json!({"conversation_id": 12, "message_id": 31, "reply_id": 35}))),
                ("a piece" = (summary = "A piece of the answer", value = json!({"text": "A binary search halves"}))),
                ("the end" = (summary = "The answer is complete", value = json!({"done": true}))),
            )))),
        RegenerateErrors,
    )
)]
fn regenerate_answer() {}

/// Attaches to an answer again, running or finished
///
/// The same lines as `/api/chat`: the first line, then one `text` line
/// with everything written so far, then the live `text` lines, then
/// `done` (or `error`, or `stopped`). Another user's answer is `404`.
#[utoipa::path(
    get,
    path = "/api/chat/stream",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    params(("reply_id" = i64, Query, description = "The answer (`reply_id` of the first line)", example = 32)),
    responses(
        (status = 200, description = "The answer, as JSON lines (one `ChatEvent` per line)",
            content((ChatEvent = "application/x-ndjson", examples(
                ("first line" = (summary = "Where it is stored", value = json!({"conversation_id": 12, "message_id": 31, "reply_id": 32}))),
                ("so far" = (summary = "Everything written so far", value = json!({"text": "A binary search halves the range"}))),
                ("stopped" = (summary = "Stopped with `POST /api/chat/stop`", value = json!({"stopped": true}))),
            )))),
        StreamErrors,
    )
)]
fn attach_answer() {}

/// Stops an answer
///
/// Within a second, wherever it runs (any instance on the same database);
/// what it had is stored, marked `partial`, and every attached stream
/// ends with `{"stopped": true}`.
#[utoipa::path(
    post,
    path = "/api/chat/stop",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = StopBody,
    responses(
        (status = 200, description = "Stopped", body = Done, example = json!({"ok": true})),
        StopErrors,
    )
)]
fn stop_answer() {}
errors!(StopErrors:
    AppError::BadRequest("Invalid request: missing field `reply_id`".into()),
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::NotFound,
);

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
            example = json!({"models": ["gpt-4o-mini", "gpt-4o"], "notice": null, "max_message_chars": 4000,
                "system_prompt": null, "max_system_prompt_chars": 8000})),
        ReadErrors,
    )
)]
fn get_chat_config() {}

/// Sets the default system prompt of new conversations
///
/// Conversations already started keep their own prompt.
#[utoipa::path(
    post,
    path = "/api/chat/defaults",
    tag = "chat",
    security(("session" = []), ("bearer" = [])),
    request_body = DefaultsBody,
    responses(
        (status = 200, description = "Saved", body = Done, example = json!({"ok": true})),
        DefaultsErrors,
    )
)]
fn set_chat_defaults() {}
