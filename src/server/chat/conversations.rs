//! The signed-in user's conversations: the logic behind the
//! `/api/conversations/*` server functions, testable without HTTP.
//!
//! Every function takes the user, and someone else's conversation is
//! [`AppError::NotFound`], exactly like one that does not exist: answering
//! "forbidden" would tell a stranger which ids are in use.

use std::collections::HashMap;

use super::super::state::AppState;
use crate::{
    domain::{
        chat::{Conversation, Message},
        User,
    },
    error::AppError,
};

/// The longest title a conversation may be given, in characters (not bytes:
/// a Chinese title is as long as an English one with as many letters).
pub const MAX_TITLE_CHARS: usize = 120;

/// The user's conversations, most recent first.
pub async fn list(state: &AppState, user: &User) -> Result<Vec<Conversation>, AppError> {
    Ok(state.db.conversations_list(user.id).await?)
}

/// One of the user's conversations; [`AppError::NotFound`] for anyone else's.
pub async fn owned(state: &AppState, user: &User, id: i64) -> Result<Conversation, AppError> {
    state
        .db
        .conversation_get(user.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The branch shown of one of the user's conversations, first message
/// first, each message with its siblings (the children of its parent,
/// itself included, oldest first).
pub async fn load(state: &AppState, user: &User, id: i64) -> Result<Vec<Message>, AppError> {
    let conversation = owned(state, user, id).await?;
    let Some(leaf) = conversation.current_leaf_id else {
        return Ok(Vec::new());
    };
    let mut branch = state.db.branch(conversation.id, leaf, None).await?;
    let tree = state.db.tree(conversation.id).await?;
    let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
    for (id, parent) in tree {
        children.entry(parent).or_default().push(id);
    }
    for message in &mut branch {
        message.siblings = children
            .get(&message.parent_id)
            .cloned()
            .unwrap_or_else(|| vec![message.id]);
    }
    Ok(branch)
}

/// Shows the branch through `message_id` in one of the user's
/// conversations: its newest descendant becomes the current leaf.
pub async fn switch(
    state: &AppState,
    user: &User,
    id: i64,
    message_id: i64,
) -> Result<(), AppError> {
    let conversation = owned(state, user, id).await?;
    found(state.db.leaf_switch(conversation.id, message_id).await?)
}

/// Stops one of the user's answers wherever it runs: at once when it runs
/// here, else through the database, which the instance running it polls
/// (see `upkeep`). An answer that has already ended is left as it is.
pub async fn stop(state: &AppState, user: &User, reply_id: i64) -> Result<(), AppError> {
    let exchange = super::handler::owned_answer(state, user, reply_id).await?;
    match state.answers.get(exchange.reply_id) {
        Some(running) => running.stop(),
        None => state.db.answer_request_stop(exchange.reply_id).await?,
    }
    Ok(())
}

/// Renames one of the user's conversations. The title is trimmed, and must
/// then be 1 to [`MAX_TITLE_CHARS`] characters.
pub async fn rename(state: &AppState, user: &User, id: i64, title: &str) -> Result<(), AppError> {
    let title = checked_title(title)?;
    let renamed = state
        .db
        .conversation_rename(user.id, id, title, state.clock.now())
        .await?;
    found(renamed)
}

/// Deletes one of the user's conversations and its messages.
pub async fn delete(state: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    found(state.db.conversation_delete(user.id, id).await?)
}

/// Deletes the messages of one of the user's conversations, keeping it (and
/// its title and model) for the next message.
pub async fn clear(state: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    found(state.db.conversation_clear(user.id, id).await?)
}

/// Storage checks ownership as part of the write (no separate look-up that
/// another request could overtake) and answers false when no conversation
/// of that user has the id.
fn found(changed: bool) -> Result<(), AppError> {
    changed.then_some(()).ok_or(AppError::NotFound)
}

/// The title as it will be stored, or why it cannot be.
fn checked_title(title: &str) -> Result<&str, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::InvalidTitle {
            max: MAX_TITLE_CHARS,
        });
    }
    Ok(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_counted_in_characters() {
        assert_eq!(checked_title("  Trip to Huế \n"), Ok("Trip to Huế"));
        let longest = "字".repeat(MAX_TITLE_CHARS);
        assert_eq!(checked_title(&longest), Ok(longest.as_str()));
        let refused = AppError::InvalidTitle { max: 120 };
        assert_eq!(
            checked_title(&"字".repeat(MAX_TITLE_CHARS + 1)),
            Err(refused.clone())
        );
        assert_eq!(checked_title(" \t "), Err(refused));
    }
}
