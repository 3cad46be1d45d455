//! One message in the conversation view.

use leptos::prelude::*;

use crate::{
    api::chat_types::{Message, MessageStatus, Role, Usage},
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
    /// Its token counts, where the model service sent them (answers only).
    pub usage: RwSignal<Option<Usage>>,
    /// Its stored id, once the server has said it.
    pub id: RwSignal<Option<i64>>,
    /// The stored message it follows (`None` for a first message).
    pub parent_id: RwSignal<Option<i64>>,
    /// The ids of its parent's children, itself included, oldest first:
    /// the versions the `‹ 2 / 3 ›` switch goes through.
    pub siblings: RwSignal<Vec<i64>>,
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
            usage: RwSignal::new(None),
            id: RwSignal::new(None),
            parent_id: RwSignal::new(None),
            siblings: RwSignal::new(Vec::new()),
        }
    }

    /// Learns its stored id (from the stream's first line), and that it
    /// is one of its parent's children.
    pub fn stored_as(&self, id: i64) {
        self.id.set(Some(id));
        self.siblings.update(|s| {
            if !s.contains(&id) {
                s.push(id);
            }
        });
    }

    /// From a stored message.
    pub fn stored(m: Message) -> Self {
        let status = m.status;
        let ui = Self::new(m.id as u64, m.role, m.content, status);
        ui.model.set(m.model);
        ui.usage.set(m.usage);
        ui.id.set(Some(m.id));
        ui.parent_id.set(m.parent_id);
        ui.siblings.set(m.siblings);
        ui.streaming.set(status == MessageStatus::Streaming);
        if status == MessageStatus::Error {
            ui.error.set(Some(crate::tr!(chat.answer_failed).into()));
        }
        ui
    }
}

/// Under an answer: the model that wrote it and, where the model service
/// said, its token counts (short on screen, in words for screen readers).
#[component]
fn AnswerFacts(message: UiMessage) -> impl IntoView {
    move || {
        let model = message.model.get();
        let usage = message.usage.get();
        (model.is_some() || usage.is_some()).then(|| {
            let usage = usage.map(|u| {
                let (prompt, completion) = (u.prompt_tokens, u.completion_tokens);
                view! {
                    <span class="message-usage" aria-hidden="true">
                        {crate::tr!(chat.tokens, prompt = prompt, completion = completion)}
                    </span>
                    <span class="visually-hidden">
                        {crate::tr!(chat.tokens_label, prompt = prompt, completion = completion)}
                    </span>
                }
            });
            view! { <p class="message-model">{model.map(|m| view! { <span class="model-name">{m}</span> })}{usage}</p> }
        })
    }
}

/// What can be done to a message, from the conversation view.
#[derive(Clone, Copy)]
pub struct MessageActions {
    /// Offered when an answer failed or was stopped.
    pub on_retry: Callback<()>,
    /// A question edited and sent again (a new version of it).
    pub on_edit: Callback<(UiMessage, String)>,
    /// Another version of an answer.
    pub on_regenerate: Callback<UiMessage>,
    /// Another version shown (see [`super::versions::Versions`]).
    pub on_switch: Callback<(UiMessage, i64, &'static str)>,
    /// True while an answer streams: nothing else may start.
    pub busy: Signal<bool>,
}

/// Renders one message, with what can be done to it.
#[component]
pub fn MessageView(message: UiMessage, actions: MessageActions) -> impl IntoView {
    let on_retry = actions.on_retry;
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
    let editing = RwSignal::new(false);
    view! {
        <article class=class aria-label=label aria-busy=move || message.streaming.get().to_string()
            id=move || message.id.get().map(|id| format!("m-{id}"))>
            {match message.role {
                Role::User => view! {
                    <Show when=move || editing.get() fallback=move || view! {
                        <div class="message-body">{move || message.text.get()}</div>
                    }>
                        <EditForm message editing on_edit=actions.on_edit/>
                    </Show>
                }.into_any(),
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
            <AnswerFacts message/>
            <Show when=move || !editing.get() && !message.streaming.get()>
                <div class="message-actions">
                    {match message.role {
                        Role::Assistant => view! {
                            <CopyAnswer message/>
                            <Show when=move || message.id.get().is_some()>
                                <button type="button" class="btn btn-ghost" disabled=move || actions.busy.get()
                                    on:click=move |_| actions.on_regenerate.run(message)>
                                    {crate::tr!(chat.regenerate)}
                                </button>
                            </Show>
                        }.into_any(),
                        Role::User => view! {
                            <Show when=move || message.id.get().is_some()>
                                <button type="button" class="btn btn-ghost" disabled=move || actions.busy.get()
                                    on:click=move |_| editing.set(true)>
                                    {crate::tr!(chat.edit)}
                                </button>
                            </Show>
                        }.into_any(),
                    }}
                    <super::versions::Versions message busy=actions.busy on_switch=actions.on_switch/>
                </div>
            </Show>
            {move || message.stopped.get().then(|| view! {
                <div class="note-inline">
                    <span>{crate::tr!(chat.stopped)}</span>
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_retry.run(())>{crate::tr!(chat.retry)}</button>
                </div>
            })}
        </article>
    }
}

/// A question being edited: its text in a box, sent as a new version.
#[component]
fn EditForm(
    message: UiMessage,
    editing: RwSignal<bool>,
    on_edit: Callback<(UiMessage, String)>,
) -> impl IntoView {
    let draft = RwSignal::new(message.text.get_untracked());
    let field = format!("edit-{}", message.key);
    let focus_to = field.clone();
    request_animation_frame(move || {
        crate::browser::focus(&focus_to);
    });
    let send = move || {
        editing.set(false);
        on_edit.run((message, draft.get_untracked()));
    };
    view! {
        <form class="edit-form" on:submit=move |ev| {
            ev.prevent_default();
            send();
        }>
            <label class="visually-hidden" for=field.clone()>{crate::tr!(chat.edit_label)}</label>
            <textarea id=field rows="3" prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        ev.stop_propagation();
                        editing.set(false);
                    } else if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        send();
                    }
                }></textarea>
            <div class="edit-actions">
                <button type="submit" class="btn btn-primary" disabled=move || draft.read().trim().is_empty()>
                    {crate::tr!(chat.edit_send)}
                </button>
                <button type="button" class="btn btn-ghost" on:click=move |_| editing.set(false)>{crate::tr!(chat.cancel)}</button>
            </div>
        </form>
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
            <button type="button" class="btn btn-ghost" on:click=copy
                aria-label=move || if copied.get() { crate::tr!(chat.copied) } else { crate::tr!(chat.copy_answer) }>
                {move || if copied.get() { crate::tr!(chat.copied) } else { crate::tr!(chat.copy) }}
            </button>
        </Show>
    }
}
