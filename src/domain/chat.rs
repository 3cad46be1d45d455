//! Conversations and messages as storage returns them and the pages show them.

use serde::{Deserialize, Serialize};

/// The longest system prompt, in characters: room for detailed
/// instructions (ChatGPT allows 1,500 for each of its two boxes), small
/// next to what a model reads. The page's boxes use it as their
/// `maxlength`; the server refuses more.
pub const MAX_SYSTEM_PROMPT_CHARS: usize = 8_000;

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
    /// The last message of the branch shown (`None` when it has none).
    #[serde(default)]
    pub current_leaf_id: Option<i64>,
    /// Its own system prompt; `None`: the operator's (`LLM_SYSTEM_PROMPT`).
    #[serde(default)]
    pub system_prompt: Option<String>,
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
    /// Still being written (an answer running now, here or on another
    /// instance).
    Streaming,
}

/// The two messages one exchange stores at once: the person's, and the
/// answer being written to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The conversation.
    pub conversation_id: i64,
    /// The person's message.
    pub message_id: i64,
    /// The answer (status `streaming` until it ends).
    pub reply_id: i64,
}

impl MessageStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Partial => "partial",
            Self::Error => "error",
            Self::Streaming => "streaming",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Self {
        match s {
            "partial" => Self::Partial,
            "error" => Self::Error,
            "streaming" => Self::Streaming,
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
    /// The message it follows (`None` for a first message). Messages form
    /// a tree: edits and regenerations are siblings.
    #[serde(default)]
    pub parent_id: Option<i64>,
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
    /// Unix seconds.
    #[serde(default)]
    pub created_at: i64,
    /// Every child of this message's parent, itself included, oldest
    /// first: the branches the page can switch between here.
    #[serde(default)]
    pub siblings: Vec<i64>,
    /// What the answer cost, where the model service said (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
}

/// An answer's token counts, as the model service reported them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Usage {
    /// Tokens of the prompt: the system prompt and the branch sent.
    pub prompt_tokens: i64,
    /// Tokens of the answer.
    pub completion_tokens: i64,
}
