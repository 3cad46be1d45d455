//! The system prompt: each conversation's own, and the person's default
//! that new conversations start from. Either may be empty, which means the
//! operator's `LLM_SYSTEM_PROMPT`.

use super::super::state::AppState;
use crate::{domain::User, error::AppError};

pub use crate::domain::chat::MAX_SYSTEM_PROMPT_CHARS;

/// The prompt as stored: trimmed, `None` when nothing is left, or why it
/// cannot be stored.
pub fn checked_prompt(raw: &str) -> Result<Option<&str>, AppError> {
    let prompt = raw.trim();
    if prompt.chars().count() > MAX_SYSTEM_PROMPT_CHARS {
        return Err(AppError::SystemPromptTooLong {
            max: MAX_SYSTEM_PROMPT_CHARS,
        });
    }
    Ok((!prompt.is_empty()).then_some(prompt))
}

/// Sets the system prompt of one of the user's conversations; the next
/// answer follows it. [`AppError::NotFound`] for anyone else's.
pub async fn set_conversation_prompt(
    state: &AppState,
    user: &User,
    id: i64,
    raw: &str,
) -> Result<(), AppError> {
    let prompt = checked_prompt(raw)?;
    // The update is the owner's only: anyone else's id changes no row.
    if !state
        .db
        .conversation_set_prompt(user.id, id, prompt)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The user's default system prompt for new conversations.
pub async fn default_prompt(state: &AppState, user: &User) -> Result<Option<String>, AppError> {
    Ok(state.db.chat_default_prompt(user.id).await?)
}

/// Sets the user's default system prompt; conversations already started
/// keep theirs.
pub async fn set_default_prompt(state: &AppState, user: &User, raw: &str) -> Result<(), AppError> {
    let prompt = checked_prompt(raw)?;
    Ok(state.db.chat_set_default_prompt(user.id, prompt).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompt_is_trimmed_empty_is_none_and_length_counts_characters() {
        assert_eq!(checked_prompt("  Be brief.\n"), Ok(Some("Be brief.")));
        assert_eq!(checked_prompt(" \n\t"), Ok(None));
        let chinese = "简".repeat(MAX_SYSTEM_PROMPT_CHARS);
        assert_eq!(checked_prompt(&chinese), Ok(Some(chinese.as_str())));
        assert_eq!(
            checked_prompt(&format!("{chinese}!")),
            Err(AppError::SystemPromptTooLong {
                max: MAX_SYSTEM_PROMPT_CHARS
            })
        );
    }
}
