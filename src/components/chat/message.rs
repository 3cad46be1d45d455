//! One message in the conversation view.

use leptos::prelude::*;

use crate::{
    api::chat_types::{Message, MessageStatus, Role},
    components::markdown::Markdown,
};

/// A message as the page holds it: the answer being streamed grows in place.
#[derive(Clone, Copy)]
pub struct UiMessage {
    /// Stable key for the list.
    pub key: u64,
    /// Who wrote it.
    pub role: Role,
    /// Its text so far.
    pub text: RwSignal<String>,
    /// How it ended (Complete while streaming).
    pub status: RwSignal<MessageStatus>,
    /// True while tokens are still arriving.
    pub streaming: RwSignal<bool>,
    /// A failure to show under it, with a retry.
    pub error: RwSignal<Option<String>>,
    /// True when the person stopped this answer (the latest one only): it
    /// offers a retry too.
    pub stopped: RwSignal<bool>,
    /// The model that wrote it (answers only).
    pub model: RwSignal<Option<String>>,
}

impl UiMessage {
    /// A new message with the next key.
    pub fn new(key: u64, role: Role, text: String, status: MessageStatus) -> Self {
        Self {
            key,
            role,
            text: RwSignal::new(text),
            status: RwSignal::new(status),
            streaming: RwSignal::new(false),
            error: RwSignal::new(None),
            stopped: RwSignal::new(false),
            model: RwSignal::new(None),
        }
    }

    /// From a stored message.
    pub fn stored(m: Message) -> Self {
        let status = m.status;
        let ui = Self::new(m.id as u64, m.role, m.content, status);
        ui.model.set(m.model);
        if status == MessageStatus::Error {
            ui.error.set(Some(crate::tr!(chat.answer_failed).into()));
        }
        ui
    }
}

/// Renders one message; `on_retry` is offered when it failed or was stopped.
#[component]
pub fn MessageView(message: UiMessage, on_retry: Callback<()>) -> impl IntoView {
    let text = Signal::derive(move || message.text.get());
    let class = move || {
        let role = match message.role {
            Role::User => "message user",
            Role::Assistant => "message assistant",
        };
        if message.status.get() == MessageStatus::Partial && !message.streaming.get() {
            format!("{role} partial")
        } else {
            role.to_owned()
        }
    };
    let label = match message.role {
        Role::User => crate::tr!(chat.you),
        Role::Assistant => crate::tr!(chat.assistant),
    };
    view! {
        <article class=class aria-label=label aria-busy=move || message.streaming.get().to_string()>
            {match message.role {
                Role::User => view! { <div class="message-body">{move || message.text.get()}</div> }.into_any(),
                Role::Assistant => view! {
                    <Show when=move || !(message.streaming.get() && message.text.read().is_empty()) fallback=|| view! {
                        <div class="typing" role="status" aria-label=crate::tr!(chat.writing)></div>
                    }>
                        <Markdown text=text/>
                    </Show>
                }
                .into_any(),
            }}
            {move || message.error.get().map(|error| view! {
                <div class="error-inline" role="alert">
                    <span>{error}</span>
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_retry.run(())>{crate::tr!(chat.retry)}</button>
                </div>
            })}
            {move || message.model.get().map(|model| view! {
                <p class="message-model">{model}</p>
            })}
            {(message.role == Role::Assistant).then(|| view! { <CopyAnswer message/> })}
            {move || message.stopped.get().then(|| view! {
                <div class="note-inline">
                    <span>{crate::tr!(chat.stopped)}</span>
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_retry.run(())>{crate::tr!(chat.retry)}</button>
                </div>
            })}
        </article>
    }
}

/// "Copy" under a finished answer: puts its whole text (the markdown as the
/// model wrote it) on the clipboard, then says "Copied" for a moment.
#[component]
fn CopyAnswer(message: UiMessage) -> impl IntoView {
    let (copied, set_copied) = signal(false);
    let ready = move || !message.streaming.get() && !message.text.read().is_empty();
    let copy = move |_| {
        let written = crate::browser::copy_text(&message.text.get_untracked());
        leptos::task::spawn_local(async move {
            if written.await {
                let _ = set_copied.try_set(true);
                set_timeout(
                    move || {
                        let _ = set_copied.try_set(false);
                    },
                    std::time::Duration::from_millis(1500),
                );
            }
        });
    };
    view! {
        <Show when=ready>
            <div class="message-actions">
                <button type="button" class="btn btn-ghost" on:click=copy
                    aria-label=move || if copied.get() { crate::tr!(chat.copied) } else { crate::tr!(chat.copy_answer) }>
                    {move || if copied.get() { crate::tr!(chat.copied) } else { crate::tr!(chat.copy) }}
                </button>
            </div>
        </Show>
    }
}
