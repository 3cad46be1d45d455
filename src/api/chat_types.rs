//! What the chat page and the chat API exchange.

use serde::{Deserialize, Serialize};

pub use crate::domain::chat::{Conversation, Exchange, Message, MessageStatus, Role, Usage};

/// `POST /api/chat` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"message": "What is a binary search?"})))]
pub struct ChatRequest {
    /// What the person wrote.
    pub message: String,
    /// Continue this conversation; a new one when absent.
    #[serde(default)]
    pub conversation_id: Option<i64>,
    /// One of the offered models; the default when absent.
    #[serde(default)]
    pub model: Option<String>,
    /// The message this one follows: absent, the conversation's current
    /// leaf; `null`, none (a new first message); an id, that message (a
    /// branch beside its other children: "edit and resend").
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub parent_id: Option<Option<i64>>,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`,
/// through `#[serde(default)]`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// `POST /api/chat/regenerate` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"message_id": 32})))]
pub struct RegenerateRequest {
    /// The answer to write again (it stays; the new one is its sibling).
    pub message_id: i64,
    /// One of the offered models; the conversation's when absent.
    #[serde(default)]
    pub model: Option<String>,
}

/// `GET /api/chat/stream` query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamQuery {
    /// The answer to attach to.
    pub reply_id: i64,
}

/// One line of the `/api/chat` stream (JSON lines).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum ChatEvent {
    /// First line: where the exchange is stored.
    Conversation {
        /// The conversation id.
        conversation_id: i64,
        /// The person's message.
        message_id: i64,
        /// The answer.
        reply_id: i64,
    },
    /// A piece of the answer.
    Text {
        /// The text.
        text: String,
    },
    /// The answer is complete.
    Done {
        /// Always true.
        done: bool,
        /// The token counts, where the model service sent them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        usage: Option<Usage>,
    },
    /// The answer was stopped (`POST /api/chat/stop`); what it had is kept,
    /// marked partial.
    Stopped {
        /// Always true.
        stopped: bool,
    },
    /// The answer failed or was cut off (what arrived before is kept,
    /// marked partial).
    Error {
        /// A message for people; never the upstream's raw body.
        error: String,
        /// Stable: `unauthorized` (the session ended while it streamed),
        /// `not_saved`, or the model's failure (`model_timeout`,
        /// `model_unreachable`, ...; see `LlmError::code`).
        #[serde(default)]
        code: String,
    },
}

/// One result of `GET /api/conversations/search`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"conversation_id": 12, "title": "What is a binary search?", "message_id": 32, "snippet": "A <mark>binary</mark> search halves"})))]
pub struct SearchHit {
    /// The conversation to open.
    pub conversation_id: i64,
    /// Its title.
    pub title: String,
    /// The message that matched; `null` when the title did.
    pub message_id: Option<i64>,
    /// HTML: the text around the match, escaped, each match in
    /// `<mark>...</mark>`.
    pub snippet: String,
}

/// `GET /api/conversations/search` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "results": [{"conversation_id": 12, "title": "What is a binary search?", "message_id": 32, "snippet": "A <mark>binary</mark> search halves"}]})))]
pub struct SearchResults {
    /// Always true.
    pub ok: bool,
    /// Newest first, at most 50.
    pub results: Vec<SearchHit>,
}

/// What the page needs to know about the model set-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChatConfig {
    /// Models on offer (the first is the default).
    pub models: Vec<String>,
    /// Set when chat cannot work as configured: what to configure.
    pub notice: Option<String>,
    /// The longest message accepted, in characters.
    pub max_message_chars: usize,
    /// The user's default system prompt, which new conversations start
    /// from; `null`: the server's.
    #[serde(default)]
    pub system_prompt: Option<String>,
    /// The longest system prompt accepted, in characters.
    #[serde(default)]
    pub max_system_prompt_chars: usize,
}
