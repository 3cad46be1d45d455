//! Answers and their versions: streaming an answer in (a new message, an
//! edited one, a regenerated answer, or one already running when the page
//! was opened), and switching between the versions a message has.
//!
//! Edits and regenerations are siblings in the conversation's tree: an
//! edited message is sent beside the old one (`parent_id` of the old one),
//! a regenerated answer is written beside the old answer. The page shows
//! one branch; `‹ 2 / 3 ›` under a message switches between its siblings
//! through `POST /api/conversations/switch`, which the server remembers.

use leptos::{prelude::*, task::spawn_local};

use super::state::{show_in_address_bar, ChatState, COMPOSER};
use crate::{
    api::{
        chat::{clear_conversation, load_conversation, switch_branch},
        chat_types::{ChatEvent, ChatRequest, MessageStatus, RegenerateRequest, Role},
    },
    browser::{self, Abort},
    components::chat::{
        message::UiMessage,
        stream::{stream_chat, Call, StreamError},
    },
    error::AppError,
};

/// Which streamed call an answer comes from.
enum Ask {
    Send(ChatRequest),
    Regenerate(RegenerateRequest),
    /// An answer already running at the server (the page was reloaded, or
    /// opened in another tab).
    Follow(i64),
}

impl ChatState {
    /// Sends `request` as a new message after `parent` (shown below the
    /// messages before `cut`, when it replaces a message with an edited
    /// version), with `siblings` as the versions beside it.
    pub(super) fn ask_after(
        self,
        request: ChatRequest,
        cut: Option<u64>,
        parent: Option<i64>,
        siblings: Vec<i64>,
    ) {
        self.alert.set(None);
        let (question, reply) = self.in_page(|| {
            let question = UiMessage::new(
                self.new_key(),
                Role::User,
                request.message.trim().to_owned(),
                MessageStatus::Complete,
            );
            question.parent_id.set(parent);
            question.siblings.set(siblings);
            (question, self.new_reply())
        });
        self.messages.update(|list| {
            if let Some(at) = cut.and_then(|key| list.iter().position(|m| m.key == key)) {
                list.truncate(at);
            }
            list.push(question);
            list.push(reply);
        });
        self.run(Ask::Send(request), Some(question), reply);
    }

    /// A new, empty answer, marked with the model picked.
    fn new_reply(self) -> UiMessage {
        let reply = UiMessage::new(
            self.new_key(),
            Role::Assistant,
            String::new(),
            MessageStatus::Complete,
        );
        reply
            .model
            .set(Some(self.model.get_untracked()).filter(|m| !m.is_empty()));
        reply
    }

    /// Sends an edited version of `message` (a question): the new version
    /// and its answer replace it and what followed it on screen; the old
    /// version stays, one click of `‹` away.
    pub fn edit(self, message: UiMessage, text: String) {
        if self.streaming.get_untracked() || text.trim().is_empty() {
            return;
        }
        let parent = message.parent_id.get_untracked();
        let request = ChatRequest {
            message: text,
            conversation_id: self.current.get_untracked(),
            model: Some(self.model.get_untracked()).filter(|m| !m.is_empty()),
            parent_id: Some(parent),
        };
        self.ask_after(
            request,
            Some(message.key),
            parent,
            message.siblings.get_untracked(),
        );
    }

    /// Writes another version of the answer `message`; it replaces the old
    /// one on screen, which stays among the versions.
    pub fn regenerate(self, message: UiMessage) {
        let Some(id) = message.id.get_untracked() else {
            return;
        };
        if self.streaming.get_untracked() {
            return;
        }
        self.alert.set(None);
        let reply = self.in_page(|| self.new_reply());
        reply.parent_id.set(message.parent_id.get_untracked());
        reply.siblings.set(message.siblings.get_untracked());
        self.messages.update(|list| {
            if let Some(at) = list.iter().position(|m| m.key == message.key) {
                list.truncate(at);
            }
            list.push(reply);
        });
        let request = RegenerateRequest {
            message_id: id,
            model: Some(self.model.get_untracked()).filter(|m| !m.is_empty()),
        };
        self.run(Ask::Regenerate(request), None, reply);
    }

    /// After a failed or stopped answer: a new version of it, or, when the
    /// question was never stored (refused before the answer began), the
    /// question sent again.
    pub fn retry(self) {
        let last = self.messages.with_untracked(|list| list.last().copied());
        match last {
            Some(answer)
                if answer.role == Role::Assistant && answer.id.get_untracked().is_some() =>
            {
                self.regenerate(answer)
            }
            _ => {
                let question = self.messages.with_untracked(|list| {
                    list.iter()
                        .rev()
                        .find(|m| m.role == Role::User)
                        .map(|m| m.text.get_untracked())
                });
                if let Some(text) = question {
                    self.send(text);
                }
            }
        }
    }

    /// Goes on showing `reply`, an answer still being written at the
    /// server: what has arrived is replaced by the stream's own copy, then
    /// grows as the rest arrives.
    pub(super) fn follow(self, reply: UiMessage) {
        let (Some(id), true) = (reply.id.get_untracked(), cfg!(feature = "hydrate")) else {
            return;
        };
        if self.streaming.get_untracked() {
            return;
        }
        // After the render that showed it (hydration included).
        spawn_local(async move { self.run(Ask::Follow(id), None, reply) });
    }

    /// Shows the version `to` of `message` (one of its siblings) and the
    /// branch below it, as the server remembers it from now on.
    pub fn switch_version(self, message: UiMessage, to: i64, focus: &'static str) {
        let Some(conversation) = self.current.get_untracked() else {
            return;
        };
        if self.streaming.get_untracked() || message.id.get_untracked() == Some(to) {
            return;
        }
        spawn_local(async move {
            let shown = match switch_branch(conversation, to).await {
                Ok(_) => load_conversation(conversation).await,
                Err(e) => Err(e),
            };
            match shown {
                Ok(list) => {
                    self.pinned.set(false);
                    self.show_stored(list);
                    // The same arrow of the version now shown, else the other.
                    let (same, other) = (format!("{focus}-{to}"), format!("{}-{to}", flip(focus)));
                    request_animation_frame(move || {
                        if !browser::focus(&same) {
                            browser::focus(&other);
                        }
                    });
                }
                Err(AppError::Unauthorized) => self.signed_out(None),
                Err(e) => self.alert.set(Some(e.to_string())),
            }
        });
    }

    /// Opens a search result: the conversation, on the branch through
    /// `message`, scrolled to it.
    pub fn open_found(self, conversation: i64, message: Option<i64>) {
        self.found.set_value(message);
        spawn_local(async move {
            if let Some(message) = message {
                // A message on another branch: that branch is shown.
                let _ = switch_branch(conversation, message).await;
            }
            self.select(Some(conversation));
        });
    }

    /// Brings the search result's message into view, once shown.
    pub(super) fn scroll_to_found(self) {
        if let Some(id) = self.found.get_value() {
            self.found.set_value(None);
            self.pinned.set(false);
            request_animation_frame(move || browser::scroll_into_view(&format!("m-{id}")));
        }
    }

    /// Streams the answer of `ask` into `reply` (after `question`, when the
    /// call stores one).
    fn run(self, ask: Ask, question: Option<UiMessage>, reply: UiMessage) {
        // Retry belongs to the latest answer only.
        self.messages
            .with_untracked(|list| list.iter().for_each(|m| m.stopped.set(false)));
        reply.streaming.set(true);
        self.streaming.set(true);
        self.pinned.set(true);
        self.reply_id.set_value(None);
        let abort = Abort::new();
        self.abort.set_value(Some(abort.clone()));
        // A clear still on offer happens before the new message is stored.
        let clear_first = match &ask {
            Ask::Send(request) => self.take_clear_of(request.conversation_id),
            _ => None,
        };
        spawn_local(async move {
            let unsent = match &ask {
                Ask::Send(request) => Some(request.message.clone()),
                _ => None,
            };
            if let Some(id) = clear_first {
                if let Err(AppError::Unauthorized) = clear_conversation(id).await {
                    return self.signed_out(unsent);
                }
            }
            let call = match &ask {
                Ask::Send(request) => Call::Send(request),
                Ask::Regenerate(request) => Call::Regenerate(request),
                Ask::Follow(id) => Call::Attach(*id),
            };
            // A followed answer's first text line is everything so far.
            let mut replace = matches!(ask, Ask::Follow(_));
            let ended = stream_chat(call, &abort, |event| {
                if replace && matches!(event, ChatEvent::Text { .. }) {
                    replace = false;
                    reply.text.set(String::new());
                }
                self.on_event(question, reply, event)
            })
            .await;
            match ended {
                Ok(()) => {}
                Err(StreamError::Aborted) => {
                    reply.status.set(MessageStatus::Partial);
                    reply.stopped.set(true);
                }
                // Refused before anything was stored: the question goes back
                // in the box once the person has signed in again.
                Err(StreamError::SignedOut) => return self.signed_out(unsent),
                Err(StreamError::Failed(message)) => {
                    reply.status.set(MessageStatus::Partial);
                    reply.error.set(Some(message));
                }
            }
            if reply.status.get_untracked() == MessageStatus::Streaming {
                reply.status.set(MessageStatus::Complete);
            }
            reply.streaming.set(false);
            self.streaming.set(false);
            // Stopped by the person: the box is where they go on, once the
            // answer has settled (the Stop button it replaced is gone).
            if reply.stopped.get_untracked() {
                browser::focus(COMPOSER);
            }
            self.announce(reply);
            self.refresh_list();
        });
    }

    /// Tells screen readers how `reply` ended.
    fn announce(self, reply: UiMessage) {
        self.announcement.set(if reply.stopped.get_untracked() {
            crate::tr!(chat.announce_stopped).to_owned()
        } else if let Some(error) = reply.error.get_untracked() {
            crate::tr!(chat.announce_failed, error = error)
        } else {
            let text = reply.text.get_untracked();
            let start: String = text.chars().take(240).collect();
            let more = if start.len() < text.len() { "…" } else { "" };
            crate::tr!(chat.announce_answer, text = format!("{start}{more}"))
        });
    }

    /// One line of the answer to `reply`.
    fn on_event(self, question: Option<UiMessage>, reply: UiMessage, event: ChatEvent) {
        match event {
            ChatEvent::Conversation {
                conversation_id,
                message_id,
                reply_id,
            } => {
                self.reply_id.set_value(Some(reply_id));
                if let Some(question) = question {
                    question.stored_as(message_id);
                }
                reply.parent_id.set(Some(message_id));
                reply.stored_as(reply_id);
                if self.current.get_untracked() != Some(conversation_id) {
                    self.model_shown_for.set_value(Some(conversation_id));
                    self.started_here.set_value(Some(conversation_id));
                    self.current.set(Some(conversation_id));
                    show_in_address_bar(Some(conversation_id));
                    self.refresh_list();
                }
            }
            ChatEvent::Text { text } => reply.text.update(|t| t.push_str(&text)),
            ChatEvent::Done { usage, .. } => {
                reply.status.set(MessageStatus::Complete);
                reply.usage.set(usage);
            }
            ChatEvent::Stopped { .. } => {
                reply.status.set(MessageStatus::Partial);
                reply.stopped.set(true);
            }
            // The question and what arrived are stored; signing in again
            // shows them.
            ChatEvent::Error { code, .. } if code == AppError::Unauthorized.code() => {
                self.signed_out(None)
            }
            ChatEvent::Error { error, .. } => {
                reply.status.set(MessageStatus::Partial);
                reply.error.set(Some(error));
            }
        }
    }
}

/// The other arrow of the version switch.
fn flip(arrow: &str) -> &'static str {
    if arrow == "version-prev" {
        "version-next"
    } else {
        "version-prev"
    }
}
