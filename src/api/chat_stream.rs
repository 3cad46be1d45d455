//! The streamed chat calls: `POST /api/chat`, `POST /api/chat/regenerate`
//! and `GET /api/chat/stream?reply_id=R`, as server functions whose answer
//! is JSON lines (`api::lines`). `curl` sends JSON (or a query) and reads
//! the lines; the page calls the same functions, typed, and reads the
//! lines as they arrive (`components::chat::stream`).
//!
//! The checks and the lines are in `server::chat::handler`.

use leptos::prelude::*;

use crate::{
    api::{
        chat_types::{ChatRequest, RegenerateRequest, StreamQuery},
        lines::{JsonLines, Later, LaterJson, LaterQuery, Lines},
    },
    error::AppError,
};

/// Sends a message and streams its answer.
#[server(prefix = "/api", endpoint = "chat", input = LaterJson, output = JsonLines, input_derive = ())]
pub async fn send_message(request: Later<ChatRequest>) -> Result<Lines, AppError> {
    use crate::server::chat::handler;
    let caller = handler::Caller::of_request().await?;
    handler::streaming(handler::chat(caller, request).await)
}

/// Writes another answer to a message, beside the one it had, and streams it.
#[server(prefix = "/api/chat", endpoint = "regenerate", input = LaterJson, output = JsonLines, input_derive = ())]
pub async fn regenerate_answer(request: Later<RegenerateRequest>) -> Result<Lines, AppError> {
    use crate::server::chat::handler;
    let caller = handler::Caller::of_request().await?;
    handler::streaming(handler::regenerate(caller, request).await)
}

/// Attaches to an answer, running or ended: what it has so far, then the
/// rest as it comes.
#[server(prefix = "/api/chat", endpoint = "stream", input = LaterQuery, output = JsonLines, input_derive = ())]
pub async fn attach_answer(query: Later<StreamQuery>) -> Result<Lines, AppError> {
    use crate::server::chat::handler;
    let caller = handler::Caller::of_request().await?;
    handler::streaming(handler::stream(caller, query).await)
}

crate::later_args!(SendMessage { request }, json);
crate::later_args!(RegenerateAnswer { request }, json);
crate::later_args!(AttachAnswer { query }, query);

/// The streamed calls: they take JSON (or a query) only, never a form.
pub const PATHS: [&str; 3] = ["/api/chat", "/api/chat/regenerate", "/api/chat/stream"];
