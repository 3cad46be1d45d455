//! `GET /api/conversations/export` and `POST /api/conversations/import`.
//!
//! Export: Markdown of the branch shown, or JSON of the whole tree (the
//! form import reads back), as a download. Import: a Palaver export or
//! ChatGPT's `conversations.json` (read by [`super::import`]), stored in
//! one transaction, so a bad file imports nothing. Imports may be large
//! (ChatGPT's export of a long history is megabytes), so this one path has
//! its own body limit ([`IMPORT_BODY_LIMIT`], see `guard::body_limit`).

use axum::{
    body::Bytes,
    extract::{rejection::QueryRejection, Query, State},
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::{
    super::{auth, state::AppState},
    conversations, import,
};
use crate::{
    domain::chat::{Message, Role},
    error::AppError,
};

/// Largest body `POST /api/conversations/import` accepts.
pub const IMPORT_BODY_LIMIT: usize = 32 * 1024 * 1024;
/// Where imports are posted.
pub const IMPORT_PATH: &str = "/api/conversations/import";

/// `GET /api/conversations/export` query.
#[derive(Deserialize)]
pub struct ExportQuery {
    id: i64,
    format: String,
}

/// The handler of `GET /api/conversations/export?id=C&format=md|json`.
pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Response {
    let answer = async {
        let (user, _) = auth::caller(&state, &headers, &session).await?;
        let Query(query) = query
            .map_err(|e| AppError::BadRequest(format!("Invalid request: {}", e.body_text())))?;
        let conversation = conversations::owned(&state, &user, query.id).await?;
        let (body, kind, extension) = match query.format.as_str() {
            "md" => {
                let branch = conversations::load(&state, &user, conversation.id).await?;
                (
                    markdown(&conversation.title, &branch),
                    "text/markdown; charset=utf-8",
                    "md",
                )
            }
            "json" => {
                let messages = state.db.messages_all(conversation.id).await?;
                let created_at = state.db.conversation_created_at(conversation.id).await?;
                let tree = tree_json(
                    &conversation.title,
                    &conversation.model,
                    created_at,
                    &messages,
                );
                (tree, "application/json", "json")
            }
            _ => {
                return Err(AppError::BadRequest(
                    "Invalid request: format is md or json".into(),
                ))
            }
        };
        let disposition = format!(
            "attachment; filename=\"palaver-{}.{extension}\"",
            conversation.id
        );
        Ok((
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&disposition).expect("an ASCII header"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response())
    };
    answer.await.unwrap_or_else(IntoResponse::into_response)
}

/// The branch shown as Markdown: the title, then each message under who
/// wrote it.
pub fn markdown(title: &str, branch: &[Message]) -> String {
    let mut out = format!("# {title}\n");
    for m in branch {
        let who = match (m.role, &m.model) {
            (Role::User, _) => "You".to_owned(),
            (Role::Assistant, Some(model)) => format!("Assistant ({model})"),
            (Role::Assistant, None) => "Assistant".to_owned(),
        };
        out.push_str(&format!("\n## {who}\n\n{}\n", m.content.trim_end()));
    }
    out
}

/// The whole tree as JSON, the form import reads back.
pub fn tree_json(title: &str, model: &str, created_at: i64, messages: &[Message]) -> String {
    let messages: Vec<_> = messages
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "parent_id": m.parent_id,
                "role": m.role,
                "content": m.content,
                "status": m.status,
                "model": m.model,
                "created_at": m.created_at,
            })
        })
        .collect();
    let document = json!({
        "title": title,
        "model": model,
        "created_at": created_at,
        "messages": messages,
    });
    serde_json::to_string_pretty(&document).expect("JSON values serialise")
}

/// The handler of `POST /api/conversations/import`.
pub async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let answer = async {
        let (user, _) = auth::caller(&state, &headers, &session).await?;
        let body = body.map_err(|e| {
            if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(format!("Invalid request: {}", e.body_text()))
            }
        })?;
        let model = state.llm.settings().models[0].clone();
        let now = state.clock.now();
        // Megabytes of JSON take a while to parse: off the async workers.
        let parsed = tokio::task::spawn_blocking(move || import::parse(&body, &model, now))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "the import parser failed");
                AppError::Internal
            })?;
        let conversations =
            parsed.map_err(|why| AppError::BadRequest(format!("Invalid import: {why}")))?;
        let imported = state
            .db
            .conversations_import(user.id, &conversations, now)
            .await?;
        tracing::info!(conversations = imported.len(), "conversations imported");
        Ok::<_, AppError>(Json(json!({"ok": true, "imported": imported})).into_response())
    };
    answer.await.unwrap_or_else(IntoResponse::into_response)
}
