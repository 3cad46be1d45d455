//! The chat: `POST /api/chat` and the conversations it writes to, split
//! along its seams so each part can be read and tested on its own.
//!
//! - [`handler`]: the HTTP side of `POST /api/chat`, `/api/chat/regenerate`
//!   and `GET /api/chat/stream`: sign-in, rate limit and body, every
//!   refusal as a status before the first byte, then JSON lines.
//! - [`turn`]: the rules of one turn (the message, the model, whose
//!   conversation it is, which branch it follows), then the model asked and
//!   the exchange stored. No HTTP: tests call it with a state and a user.
//! - [`answer`]: the task that owns the model's request, tied to no
//!   request: it runs until the model ends, a stop or the total timeout,
//!   and stores the answer; [`registry`] holds the answers running here,
//!   [`attach`] the readers that stream them, [`upkeep`] what ties the
//!   instances together through the database (text so far, stops, answers
//!   left by a dead instance).
//! - [`search`]: finding words in one's titles and messages;
//!   [`transfer`] and [`import`]: export and import.
//! - [`settings`]: the system prompt, each conversation's own and the
//!   person's default.
//! - [`conversations`]: listing, reading (the branch shown), switching
//!   branches, renaming, clearing and deleting, each only for the owner.
//! - `prompt`: what the model is sent, and a new conversation's title;
//!   `upstream`: the model's request, started before the turn is stored.

pub mod answer;
pub mod attach;
pub mod conversations;
pub mod handler;
pub mod import;
mod polled;
mod prompt;
pub mod registry;
pub mod search;
pub mod settings;
pub mod transfer;
pub mod turn;
pub mod upkeep;
mod upstream;

use super::state::AppState;
use crate::{api::chat_types::ChatConfig, domain::User, error::AppError};

/// What the chat page needs to know about the model set-up: the models on
/// offer, what is missing from the configuration, the longest message;
/// and the user's default system prompt.
pub async fn config(state: &AppState, user: &User) -> Result<ChatConfig, AppError> {
    let llm = state.llm.settings();
    Ok(ChatConfig {
        models: llm.models.clone(),
        notice: llm.missing_configuration(),
        max_message_chars: llm.max_message_chars,
        system_prompt: settings::default_prompt(state, user).await?,
        max_system_prompt_chars: settings::MAX_SYSTEM_PROMPT_CHARS,
    })
}
