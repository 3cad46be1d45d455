//! One turn of a conversation, up to the moment the answer can stream:
//! the message and the model are checked, the conversation is the user's,
//! its history is loaded, the model is asked and the user's message stored.
//!
//! Every refusal happens here, before the handler sends a byte, so it can
//! still be an HTTP status; after this, failures are lines of the stream.

use super::{
    super::{llm::Asker, state::AppState},
    conversations,
    prompt::{build_prompt, system_prompt, title_for},
    upstream::Upstream,
};
use crate::{
    api::chat_types::ChatRequest,
    domain::{
        chat::{Conversation, MessageStatus, Role},
        User,
    },
    error::AppError,
};

/// A turn that passed every rule: the user's message is stored and the
/// model's answer is under way.
pub struct Turn {
    /// The conversation the exchange belongs to: the one asked for, or a new
    /// one started with this message.
    pub conversation: Conversation,
    /// The model that answers.
    pub model: String,
    /// The model's request; dropping the turn cancels it.
    pub(super) upstream: Upstream,
}

/// Checks `request` for `user`, in this order: the message (not empty once
/// trimmed, at most `max_message_chars` characters), the model set-up, the
/// model asked for (one of those offered), the conversation (the user's
/// own, else [`AppError::NotFound`]). Then it asks the model and stores the
/// trimmed message: in the conversation, or as the first message of a new
/// one titled after it.
///
/// Without a model in the request, a conversation keeps talking to its own
/// model while that is still offered; anything else gets the default.
pub async fn start(state: &AppState, user: &User, request: &ChatRequest) -> Result<Turn, AppError> {
    let llm = state.llm.settings();
    let message = checked_message(&request.message, llm.max_message_chars)?;
    if let Some(notice) = llm.missing_configuration() {
        return Err(AppError::NotConfigured(notice));
    }
    if let Some(model) = &request.model {
        if !llm.models.contains(model) {
            return Err(AppError::UnknownModel);
        }
    }
    let now = state.clock.now();
    let (conversation, history) = match request.conversation_id {
        Some(id) => {
            let conversation = conversations::owned(state, user, id).await?;
            let history = state
                .db
                .messages(conversation.id, Some(llm.max_history as i64))
                .await?;
            (Some(conversation), history)
        }
        None => (None, Vec::new()),
    };
    let model = pick_model(request.model.as_deref(), conversation.as_ref(), &llm.models);
    let system = system_prompt(
        &llm.system_prompt,
        llm.answer_in_user_language.then(crate::lang::current),
    );
    let prompt = build_prompt(&system, &history, message, llm.max_history_chars);
    let asker = |conversation_id| Asker {
        uid: user.uid.clone(),
        display_name: user.display_name.clone(),
        conversation_id,
    };
    // The model is asked now, so that its round trip overlaps the write
    // below; if that fails, dropping the request cancels it. A webhook is
    // told the conversation's id, so a new conversation is stored before it
    // is asked (`Err` holds that prompt until then).
    let asked = if conversation.is_none() && llm.webhook().is_some() {
        Err(prompt)
    } else {
        let id = conversation.as_ref().map(|c| c.id);
        Ok(Upstream::ask(state, model.clone(), prompt, asker(id)))
    };
    let conversation = match conversation {
        Some(conversation) => {
            state
                .db
                .message_add(
                    conversation.id,
                    Role::User,
                    message,
                    MessageStatus::Complete,
                    None,
                    now,
                )
                .await?;
            conversation
        }
        None => {
            state
                .db
                .conversation_start(user.id, &title_for(message), &model, message, now)
                .await?
        }
    };
    let upstream = asked.unwrap_or_else(|prompt| {
        Upstream::ask(state, model.clone(), prompt, asker(Some(conversation.id)))
    });
    Ok(Turn {
        conversation,
        model,
        upstream,
    })
}

/// The message as it will be stored and sent (trimmed), or why it cannot
/// be. Its length is counted in characters, whatever their bytes.
fn checked_message(message: &str, max_chars: usize) -> Result<&str, AppError> {
    let message = message.trim();
    if message.is_empty() {
        return Err(AppError::EmptyMessage);
    }
    if message.chars().count() > max_chars {
        return Err(AppError::MessageTooLong { max: max_chars });
    }
    Ok(message)
}

/// The model asked for (already checked to be offered); else the
/// conversation's own while it is still offered; else the default, the
/// first offered.
fn pick_model(
    requested: Option<&str>,
    conversation: Option<&Conversation>,
    offered: &[String],
) -> String {
    match (requested, conversation) {
        (Some(model), _) => model.to_owned(),
        (None, Some(c)) if offered.contains(&c.model) => c.model.clone(),
        (None, _) => offered[0].clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(model: &str) -> Conversation {
        Conversation {
            id: 1,
            title: "t".into(),
            model: model.into(),
            updated_at: 0,
        }
    }

    #[test]
    fn messages_are_trimmed_and_measured_in_characters() {
        assert_eq!(checked_message("  hi \n", 2), Ok("hi"));
        assert_eq!(checked_message("你好", 2), Ok("你好"));
        assert_eq!(
            checked_message("你好!", 2),
            Err(AppError::MessageTooLong { max: 2 })
        );
        assert_eq!(checked_message(" \n\t", 2), Err(AppError::EmptyMessage));
    }

    #[test]
    fn a_conversation_keeps_its_model_while_it_is_offered() {
        let offered = ["default".to_owned(), "alt".to_owned()];
        assert_eq!(pick_model(None, None, &offered), "default");
        assert_eq!(
            pick_model(None, Some(&conversation("alt")), &offered),
            "alt"
        );
        assert_eq!(
            pick_model(Some("default"), Some(&conversation("alt")), &offered),
            "default"
        );
        assert_eq!(
            pick_model(None, Some(&conversation("retired")), &offered),
            "default"
        );
    }
}
