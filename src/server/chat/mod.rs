//! The chat: `POST /api/chat` and the conversations it writes to, split
//! along its seams so each part can be read and tested on its own.
//!
//! - [`handler`]: the HTTP side of `POST /api/chat`: sign-in, rate limit and
//!   body, every refusal as a status before the first byte, then the
//!   streamed JSON-lines response.
//! - [`turn`]: the rules of one turn (the message, the model, whose
//!   conversation it is), then the model asked and the user's message
//!   stored. No HTTP: tests call it with a state and a user.
//! - [`pump`]: the task that owns the model's request, forwards the answer
//!   piece by piece and stores it, whole or partial.
//! - [`conversations`]: listing, reading, renaming, clearing and deleting,
//!   each only for the conversation's owner.
//! - `prompt`: what the model is sent, and a new conversation's title;
//!   `upstream`: the model's request, started before the turn is stored.

pub mod conversations;
pub mod handler;
mod prompt;
pub mod pump;
pub mod turn;
mod upstream;

pub use handler::chat;

use super::state::AppState;
use crate::api::chat_types::ChatConfig;

/// What the chat page needs to know about the model set-up: the models on
/// offer, what is missing from the configuration, the longest message.
pub fn config(state: &AppState) -> ChatConfig {
    let llm = state.llm.settings();
    ChatConfig {
        models: llm.models.clone(),
        notice: llm.missing_configuration(),
        max_message_chars: llm.max_message_chars,
    }
}
