//! What the chat page holds, and what the person can do with it: send,
//! stop, open (here); edit, regenerate, switch versions, follow a running
//! answer (in `answer.rs`); rename, delete, clear (in `manage.rs`). The page's
//! views read these signals and call these methods; the methods talk to
//! the server.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{
        chat::{load_conversation, stop_answer},
        chat_types::{ChatRequest, Message},
    },
    browser::{self, Abort},
    components::chat::message::UiMessage,
    domain::urlencoding,
    error::AppError,
    pages::chat::manage::Pending,
};

/// Where the page keeps the [`Abort`] of the answer being streamed. In the
/// browser an `Abort` holds a JS object, which only lives on its one
/// thread: local storage. On the server it is empty and `Send`, and it must
/// be in shared storage there: the server drops a page's state on whichever
/// worker thread finishes the render, and local storage panics when dropped
/// on another thread than its own (which ended that render with a panic
/// and a page that never finished loading, now and then).
#[cfg(feature = "hydrate")]
type AbortStorage = LocalStorage;
#[cfg(not(feature = "hydrate"))]
type AbortStorage = SyncStorage;

/// The message box, where the focus goes back after each action.
pub const COMPOSER: &str = "composer-input";

/// Where a message that could not be sent waits, in this tab, while the
/// person signs in again.
const UNSENT: &str = "palaver.unsent";

/// The chat page's state: signals and stored values, so it is `Copy` and
/// every handler can hold it.
#[derive(Clone, Copy)]
pub struct ChatState {
    /// The open conversation; `None` for a new chat.
    pub current: RwSignal<Option<i64>>,
    /// The messages on screen, the answer being streamed included.
    pub messages: RwSignal<Vec<UiMessage>>,
    /// True while an answer streams in.
    pub streaming: RwSignal<bool>,
    /// What is in the message box.
    pub draft: RwSignal<String>,
    /// The model picked (empty until the configuration has loaded).
    pub model: RwSignal<String>,
    /// True while the view follows the newest message; false once the
    /// reader scrolled up.
    pub pinned: RwSignal<bool>,
    /// Bumped whenever the conversation list must be fetched again.
    pub list_version: RwSignal<u32>,
    /// A failure to show above the messages (rename, delete, clear).
    pub alert: RwSignal<Option<String>>,
    /// A conversation deleted or cleared on screen while its Undo is
    /// offered; the server is told when the offer ends.
    pub pending: RwSignal<Option<Pending>>,
    /// The open conversation's title, once the list has it (the tab's
    /// title, and the Clear notice's).
    pub title: RwSignal<Option<String>>,
    /// What screen readers are told once an answer has ended (a live
    /// region of its own: the growing answer itself is not one, so it is
    /// not read out token by token).
    pub announcement: RwSignal<String>,
    /// The conversation whose own model the picker has already been set
    /// to (once per opening; a conversation started here by an answer
    /// already has the picked one). Set at once by the answer's
    /// conversation event, not by an effect that may run after the answer
    /// has ended and a new model been picked.
    pub model_shown_for: StoredValue<Option<i64>>,
    /// The conversation an answer started on this page: until the list
    /// fetched again has it, its system prompt is the user's default, which
    /// it was started with (so the prompt's disclosure shows at once, with
    /// the other tools, instead of moving the messages when the list comes).
    pub started_here: StoredValue<Option<i64>>,
    /// The page's reactive owner (see [`ChatState::in_page`]).
    owner: StoredValue<Owner>,
    /// Keys for messages made here; far above any stored message's id.
    next_key: StoredValue<u64>,
    /// True once the conversation in the address bar has been shown.
    seeded: StoredValue<bool>,
    /// Cancels the reading of the answer being streamed (the answer itself
    /// runs on at the server: see [`ChatState::stop`]).
    pub(super) abort: StoredValue<Option<Abort>, AbortStorage>,
    /// The stored id of the answer being streamed, once its first line came.
    pub(super) reply_id: StoredValue<Option<i64>>,
    /// A message to bring into view once its conversation is shown (a
    /// search result's).
    pub(super) found: StoredValue<Option<i64>>,
}

impl ChatState {
    /// The state of a page opened on `opened` (`/app?c=ID`), or on a new
    /// chat. Call it in the page's component: its signals belong to it.
    pub fn new(opened: Option<i64>) -> Self {
        Self {
            current: RwSignal::new(opened),
            messages: RwSignal::new(Vec::new()),
            streaming: RwSignal::new(false),
            draft: RwSignal::new(String::new()),
            model: RwSignal::new(String::new()),
            pinned: RwSignal::new(true),
            list_version: RwSignal::new(0),
            alert: RwSignal::new(None),
            pending: RwSignal::new(None),
            title: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            model_shown_for: StoredValue::new(None),
            started_here: StoredValue::new(None),
            owner: StoredValue::new(Owner::current().expect("the page has an owner")),
            next_key: StoredValue::new(1_u64 << 40),
            seeded: StoredValue::new(false),
            abort: StoredValue::new_with_storage(None),
            reply_id: StoredValue::new(None),
            found: StoredValue::new(None),
        }
    }

    /// Runs `make` under the page's owner: every message's signals belong
    /// to the page, not to whichever reactive closure happened to create
    /// them (those are disposed when they re-run).
    pub(super) fn in_page<T>(self, make: impl FnOnce() -> T) -> T {
        self.owner.with_value(|owner| owner.with(make))
    }

    pub(super) fn new_key(self) -> u64 {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        key
    }

    /// Has the conversation list fetched again.
    pub(super) fn refresh_list(self) {
        self.list_version.update(|v| *v += 1);
    }

    pub(super) fn show_stored(self, list: Vec<Message>) {
        let shown: Vec<UiMessage> =
            self.in_page(|| list.into_iter().map(UiMessage::stored).collect());
        let running = shown
            .last()
            .copied()
            .filter(|m| m.streaming.get_untracked());
        self.messages.set(shown);
        self.scroll_to_found();
        if let Some(reply) = running {
            self.follow(reply);
        }
    }

    /// Shows the conversation the page was opened with, the first time its
    /// messages arrive (the view that calls this re-runs); one that cannot
    /// be loaded leaves a new chat.
    pub fn seed(self, loaded: Result<Vec<Message>, AppError>) {
        if self.seeded.get_value() {
            return;
        }
        self.seeded.set_value(true);
        match loaded {
            Ok(list) => self.show_stored(list),
            Err(_) => self.current.set(None),
        }
    }

    /// The session ended (signed out elsewhere, a password reset, expired):
    /// keeps `unsent` (else what is in the message box) for this tab and
    /// opens the sign-in page, which comes back here. [`Self::restore_unsent`]
    /// puts it back in the box.
    pub fn signed_out(self, unsent: Option<String>) {
        let unsent = unsent.unwrap_or_else(|| self.draft.get_untracked());
        if !unsent.trim().is_empty() {
            browser::keep_for_tab(UNSENT, &unsent);
        }
        browser::open(&format!("/login?next={}", urlencoding(&browser::here())));
    }

    /// Puts a message kept by [`Self::signed_out`] back in the message box.
    pub fn restore_unsent(self) {
        if let Some(text) = browser::take_from_tab(UNSENT) {
            self.draft.set(text);
        }
    }

    /// Sends what is in the message box, and empties it.
    pub fn send_draft(self) {
        let text = self.draft.get_untracked();
        self.draft.set(String::new());
        self.send(text);
    }

    /// Sends `text` in the open conversation (a new one when none is open),
    /// after the message shown last, and streams the answer in below it.
    /// Nothing happens while another answer streams, or for blank text.
    pub fn send(self, text: String) {
        if self.streaming.get_untracked() || text.trim().is_empty() {
            return;
        }
        let after = self
            .messages
            .with_untracked(|list| list.last().and_then(|m| m.id.get_untracked()));
        let request = ChatRequest {
            message: text,
            conversation_id: self.current.get_untracked(),
            model: Some(self.model.get_untracked()).filter(|m| !m.is_empty()),
            parent_id: None,
        };
        self.ask_after(request, None, after, Vec::new());
    }

    /// Stops the answer being streamed: the server is told (the answer no
    /// longer ends with the request) and keeps what arrived.
    pub fn stop(self) {
        if let Some(reply_id) = self
            .reply_id
            .get_value()
            .filter(|_| self.streaming.get_untracked())
        {
            spawn_local(async move {
                if let Err(e) = stop_answer(reply_id).await {
                    leptos::logging::warn!("stop: {e}");
                }
            });
        }
        self.detach();
        browser::focus(COMPOSER);
    }

    /// Stops reading the answer being streamed, which runs on and is stored.
    pub(super) fn detach(self) {
        if let Some(abort) = self.abort.get_value() {
            abort.abort();
        }
    }

    /// Opens a conversation (`None`: a new chat). An answer being streamed
    /// runs on at the server and is there when its conversation is opened
    /// again.
    pub fn select(self, id: Option<i64>) {
        self.detach();
        self.alert.set(None);
        self.current.set(id);
        show_in_address_bar(id);
        // New chat or another conversation: the keyboard goes on in the box.
        browser::focus(COMPOSER);
        match id {
            None => self.messages.set(Vec::new()),
            Some(id) => spawn_local(async move {
                match load_conversation(id).await {
                    Ok(list) => self.show_stored(list),
                    Err(_) => {
                        self.messages.set(Vec::new());
                        self.current.set(None);
                        show_in_address_bar(None);
                    }
                }
            }),
        }
    }
}

/// Shows `/app?c=ID` (or `/app`) in the address bar without a navigation,
/// so a reload opens the same conversation.
pub(super) fn show_in_address_bar(id: Option<i64>) {
    let url = id.map_or_else(|| "/app".to_owned(), |id| format!("/app?c={id}"));
    browser::replace_url(&url);
}
