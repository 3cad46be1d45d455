//! Conversations and messages as storage returns them and the pages show them.

use serde::{Deserialize, Serialize};

/// A conversation in the sidebar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Conversation {
    /// Its number, unique across all users; the `c` of `/app?c=ID`.
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Message {
    /// Its number; messages of a conversation are ordered by it.
    pub id: i64,
    /// Who wrote it.
    pub role: Role,
    /// The text (markdown for answers).
    pub content: String,
    /// How it ended.
    pub status: MessageStatus,
    /// The model that wrote it: answers only, and not those stored before
    /// Palaver kept it.
    #[serde(default)]
    pub model: Option<String>,
}
