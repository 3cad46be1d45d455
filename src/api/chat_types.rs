//! What the chat page and the chat API exchange.

use serde::{Deserialize, Serialize};

/// A conversation in the sidebar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// Id.
    pub id: i64,
    /// Title (the start of the first message, until renamed).
    pub title: String,
    /// The model it talks to.
    pub model: String,
    /// Unix seconds of the last message.
    pub updated_at: i64,
}

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The person.
    User,
    /// The model.
    Assistant,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }
}

/// How a stored message ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageStatus {
    /// Whole.
    Complete,
    /// Stopped by the user, or cut off by an error mid-answer.
    Partial,
    /// Failed before any text arrived.
    Error,
}

impl MessageStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Partial => "partial",
            Self::Error => "error",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Self {
        match s {
            "partial" => Self::Partial,
            "error" => Self::Error,
            _ => Self::Complete,
        }
    }
}

/// One message of a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Id.
    pub id: i64,
    /// Who wrote it.
    pub role: Role,
    /// The text (markdown for answers).
    pub content: String,
    /// How it ended.
    pub status: MessageStatus,
}

/// `POST /api/chat` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The answer failed (what arrived before is kept, marked partial).
    Error {
        /// A message for people; never the upstream's raw body.
        error: String,
    },
}

/// What the page needs to know about the model set-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatConfig {
    /// Models on offer (the first is the default).
    pub models: Vec<String>,
    /// Set when chat cannot work as configured: what to configure.
    pub notice: Option<String>,
    /// The longest message accepted, in characters.
    pub max_message_chars: usize,
}
