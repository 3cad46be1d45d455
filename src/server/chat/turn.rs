//! One turn of a conversation, up to the moment the answer can stream:
//! the message and the model are checked, the conversation is the user's,
//! its history is loaded, the model is asked and the user's message stored.
//!
//! Every refusal happens here, before the handler sends a byte, so it can
//! still be an HTTP status; after this, failures are lines of the stream.

use super::{
    super::{
        llm::{Asker, LlmSettings, PromptMessage},
        state::AppState,
    },
    conversations,
    prompt::{build_prompt, system_prompt, title_for},
    upstream::Upstream,
};
use crate::{
    api::chat_types::{ChatRequest, RegenerateRequest},
    domain::{
        chat::{Conversation, Exchange, Message, Role},
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
    /// The person's message and the answer being written, as stored.
    pub exchange: Exchange,
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
/// The new message follows `parent_id` when the request gives one (a
/// message of that conversation, else [`AppError::NotFound`]; `null`: a new
/// first message), else the conversation's current leaf. The model is sent
/// the branch that ends at that parent, and nothing of the others.
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
    let conversation = match request.conversation_id {
        Some(id) => Some(conversations::owned(state, user, id).await?),
        None => None,
    };
    let parent = match (request.parent_id, &conversation) {
        (None, conversation) => conversation.as_ref().and_then(|c| c.current_leaf_id),
        (Some(None), _) => None,
        (Some(Some(id)), Some(conversation)) => match state.db.message_ref(user.id, id).await? {
            Some(parent) if parent.conversation_id == conversation.id => Some(parent.id),
            _ => return Err(AppError::NotFound),
        },
        // A new conversation has no message to follow.
        (Some(Some(_)), None) => return Err(AppError::NotFound),
    };
    let history = match (&conversation, parent) {
        (Some(conversation), Some(parent)) => {
            let limit = Some(llm.max_history as i64);
            state.db.branch(conversation.id, parent, limit).await?
        }
        _ => Vec::new(),
    };
    let model = pick_model(request.model.as_deref(), conversation.as_ref(), &llm.models);
    // A new conversation starts from the person's default prompt, stored
    // with it below: what the model is sent is what the conversation keeps.
    let own_prompt = match &conversation {
        Some(conversation) => conversation.system_prompt.clone(),
        None => state.db.chat_default_prompt(user.id).await?,
    };
    let prompt = prompt_for(llm, own_prompt.as_deref(), &history, message);
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
    let (conversation, exchange) = match conversation {
        Some(conversation) => {
            let exchange = state
                .db
                .exchange_add(conversation.id, parent, message, &model, now)
                .await?;
            (conversation, exchange)
        }
        None => {
            state
                .db
                .conversation_start(
                    user.id,
                    &title_for(message),
                    &model,
                    own_prompt.as_deref(),
                    message,
                    now,
                )
                .await?
        }
    };
    let upstream = asked.unwrap_or_else(|prompt| {
        Upstream::ask(state, model.clone(), prompt, asker(Some(conversation.id)))
    });
    Ok(Turn {
        conversation,
        model,
        exchange,
        upstream,
    })
}

/// Checks `request` for `user`: the model set-up, the model asked for, and
/// the message to answer again (an answer in one of the user's
/// conversations, else [`AppError::NotFound`]). Then it asks the model
/// again, with the branch up to the person's message that answer replied
/// to, and stores the new answer beside the old one.
pub async fn regenerate(
    state: &AppState,
    user: &User,
    request: &RegenerateRequest,
) -> Result<Turn, AppError> {
    let llm = state.llm.settings();
    if let Some(notice) = llm.missing_configuration() {
        return Err(AppError::NotConfigured(notice));
    }
    if let Some(model) = &request.model {
        if !llm.models.contains(model) {
            return Err(AppError::UnknownModel);
        }
    }
    let answer = state
        .db
        .message_ref(user.id, request.message_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(question_id) = answer.parent_id.filter(|_| answer.role == Role::Assistant) else {
        return Err(AppError::BadRequest(
            "Invalid request: only an answer can be regenerated".into(),
        ));
    };
    let conversation = conversations::owned(state, user, answer.conversation_id).await?;
    let limit = Some(llm.max_history as i64 + 1);
    let mut history = state.db.branch(conversation.id, question_id, limit).await?;
    let question = history.pop().ok_or(AppError::NotFound)?;
    let model = pick_model(request.model.as_deref(), Some(&conversation), &llm.models);
    let asker = Asker {
        uid: user.uid.clone(),
        display_name: user.display_name.clone(),
        conversation_id: Some(conversation.id),
    };
    let own_prompt = conversation.system_prompt.as_deref();
    let prompt = prompt_for(llm, own_prompt, &history, &question.content);
    let upstream = Upstream::ask(state, model.clone(), prompt, asker);
    let now = state.clock.now();
    let reply_id = state
        .db
        .reply_add(conversation.id, question_id, &model, now)
        .await?;
    Ok(Turn {
        exchange: Exchange {
            conversation_id: conversation.id,
            message_id: question_id,
            reply_id,
        },
        conversation,
        model,
        upstream,
    })
}

/// The prompt: the system prompt (the conversation's own, else the
/// operator's; naming the reader's language when set so), what fits of
/// `history`, then `message`.
fn prompt_for(
    llm: &LlmSettings,
    own_prompt: Option<&str>,
    history: &[Message],
    message: &str,
) -> Vec<PromptMessage> {
    let base = own_prompt
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(&llm.system_prompt);
    let system = system_prompt(base, llm.answer_in_user_language.then(crate::lang::current));
    build_prompt(&system, history, message, llm.max_history_chars)
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
            current_leaf_id: None,
            system_prompt: None,
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
