//! What the chat page and the chat API exchange.

use serde::{Deserialize, Serialize};

pub use crate::domain::chat::{Conversation, Message, MessageStatus, Role};

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
}
