//! `/app`: the chat. The server redirects signed-out visitors before this
//! renders; in the browser, losing the session (logout in another tab) sends
//! the person to `/login` too. `/app?c=ID` opens a conversation, so a reload
//! (even mid-answer) shows what was stored.

use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api::{
        chat::{
            clear_conversation, delete_conversation, get_chat_config, list_conversations,
            load_conversation, rename_conversation,
        },
        chat_types::{ChatRequest, MessageStatus, Role},
    },
    components::{
        chat::{
            composer::Composer,
            message::{MessageView, UiMessage},
            sidebar::Sidebar,
            stream::StreamError,
        },
        session::use_auth,
    },
    error::AppError,
};

/// Shows `/app?c=ID` (or `/app`) in the address bar without a navigation.
fn show_in_address_bar(id: Option<i64>) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = window().history() {
        let url = id.map_or_else(|| "/app".to_owned(), |id| format!("/app?c={id}"));
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    return window().confirm_with_message(question).unwrap_or(false);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}

fn prompt(question: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    return window().prompt_with_message(question).ok().flatten();
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        None
    }
}

/// The chat page: conversations on the left, messages on the right.
#[component]
pub fn ChatPage() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Err(AppError::Unauthorized)) = auth.user.get() {
            navigate("/login?next=%2Fapp", Default::default());
        }
    });

    let opened: Option<i64> = use_query_map()
        .get_untracked()
        .get("c")
        .and_then(|c| c.parse().ok());
    let current = RwSignal::new(opened);
    let list_version = RwSignal::new(0_u32);
    let conversations = Resource::new(move || list_version.get(), |_| list_conversations());
    let config = Resource::new(|| (), |_| get_chat_config());
    let initial = Resource::new(
        || (),
        move |_| async move {
            match opened {
                Some(id) => load_conversation(id).await,
                None => Ok(Vec::new()),
            }
        },
    );

    let messages = RwSignal::new(Vec::<UiMessage>::new());
    // Every message's signals belong to the page, not to whichever reactive
    // closure happened to create them (those are disposed when they re-run).
    let owner = StoredValue::new(Owner::current().expect("the page has an owner"));
    let in_page = move |make: &dyn Fn() -> Vec<UiMessage>| owner.with_value(|o| o.with(make));
    let stored = move |list: Vec<crate::api::chat_types::Message>| {
        in_page(&|| list.iter().cloned().map(UiMessage::stored).collect())
    };
    let seeded = StoredValue::new(false);
    let next_key = StoredValue::new(1_u64 << 40);
    let streaming = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let model = RwSignal::new(String::new());
    let pinned = RwSignal::new(true);
    let scroller = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    let abort = StoredValue::new_local(None::<web_sys::AbortController>);

    let models = Signal::derive(move || {
        config
            .get()
            .and_then(Result::ok)
            .map(|c| c.models)
            .unwrap_or_default()
    });
    let max_chars = Signal::derive(move || {
        config
            .get()
            .and_then(Result::ok)
            .map_or(4000, |c| c.max_message_chars)
    });
    Effect::new(move |_| {
        if model.read_untracked().is_empty() {
            if let Some(first) = models.read().first() {
                model.set(first.clone());
            }
        }
    });

    // Follow the answer as it grows, unless the reader scrolled up.
    Effect::new(move |_| {
        messages.with(|list| list.iter().for_each(|m| m.text.track()));
        if pinned.get_untracked() {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            pinned.set(el.scroll_height() - el.scroll_top() - el.client_height() < 48);
        }
    };

    let new_key = move || {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        key
    };

    let stop = Callback::new(move |()| {
        #[cfg(feature = "hydrate")]
        if let Some(controller) = abort.get_value() {
            controller.abort();
        }
    });

    let send_text = move |text: String| {
        if streaming.get_untracked() || text.trim().is_empty() {
            return;
        }
        let text_now = text.trim().to_owned();
        let pair = in_page(&|| {
            vec![
                UiMessage::new(
                    new_key(),
                    Role::User,
                    text_now.clone(),
                    MessageStatus::Complete,
                ),
                UiMessage::new(
                    new_key(),
                    Role::Assistant,
                    String::new(),
                    MessageStatus::Complete,
                ),
            ]
        });
        let (question, reply) = (pair[0], pair[1]);
        reply.streaming.set(true);
        messages.update(|list| {
            list.push(question);
            list.push(reply);
        });
        streaming.set(true);
        pinned.set(true);
        let request = ChatRequest {
            message: text,
            conversation_id: current.get_untracked(),
            model: Some(model.get_untracked()).filter(|m| !m.is_empty()),
        };
        spawn_local(async move {
            #[cfg(feature = "hydrate")]
            let result = {
                let controller = web_sys::AbortController::new().ok();
                abort.set_value(controller.clone());
                match controller {
                    Some(controller) => {
                        use crate::api::chat_types::ChatEvent;
                        crate::components::chat::stream::stream_chat(
                            &request,
                            &controller.signal(),
                            |event| match event {
                                ChatEvent::Conversation { conversation_id } => {
                                    if current.get_untracked() != Some(conversation_id) {
                                        current.set(Some(conversation_id));
                                        show_in_address_bar(Some(conversation_id));
                                        list_version.update(|v| *v += 1);
                                    }
                                }
                                ChatEvent::Text { text } => {
                                    reply.text.update(|t| t.push_str(&text))
                                }
                                ChatEvent::Done { .. } => {}
                                ChatEvent::Error { error } => {
                                    reply.status.set(MessageStatus::Partial);
                                    reply.error.set(Some(error));
                                }
                            },
                        )
                        .await
                    }
                    None => Err(StreamError::Failed(
                        "This browser cannot stream answers.".into(),
                    )),
                }
            };
            #[cfg(not(feature = "hydrate"))]
            let result: Result<(), StreamError> = {
                let _ = &request;
                Err(StreamError::Aborted)
            };
            match result {
                Ok(()) => {}
                Err(StreamError::Aborted) => reply.status.set(MessageStatus::Partial),
                Err(StreamError::Failed(message)) => {
                    reply.status.set(MessageStatus::Partial);
                    reply.error.set(Some(message));
                }
            }
            reply.streaming.set(false);
            streaming.set(false);
            list_version.update(|v| *v += 1);
        });
    };

    let on_send = Callback::new(move |()| {
        let text = draft.get_untracked();
        draft.set(String::new());
        send_text(text);
    });
    let on_retry = Callback::new(move |()| {
        let last = messages.with_untracked(|list| {
            list.iter()
                .rev()
                .find(|m| m.role == Role::User)
                .map(|m| m.text.get_untracked())
        });
        if let Some(text) = last {
            send_text(text);
        }
    });

    let on_select = Callback::new(move |id: Option<i64>| {
        stop.run(());
        current.set(id);
        show_in_address_bar(id);
        match id {
            None => messages.set(Vec::new()),
            Some(id) => spawn_local(async move {
                match load_conversation(id).await {
                    Ok(list) => messages.set(stored(list)),
                    Err(_) => {
                        messages.set(Vec::new());
                        current.set(None);
                        show_in_address_bar(None);
                    }
                }
            }),
        }
    });
    let on_rename = Callback::new(move |id: i64| {
        if let Some(title) =
            prompt("New name for this conversation:").filter(|t| !t.trim().is_empty())
        {
            spawn_local(async move {
                let _ = rename_conversation(id, title).await;
                list_version.update(|v| *v += 1);
            });
        }
    });
    let on_delete = Callback::new(move |id: i64| {
        if confirm("Delete this conversation? This cannot be undone.") {
            spawn_local(async move {
                let _ = delete_conversation(id).await;
                if current.get_untracked() == Some(id) {
                    on_select.run(None);
                }
                list_version.update(|v| *v += 1);
            });
        }
    });
    let on_clear = move |_| {
        if let Some(id) = current.get_untracked() {
            if confirm("Clear all messages of this conversation?") {
                spawn_local(async move {
                    let _ = clear_conversation(id).await;
                    messages.set(Vec::new());
                });
            }
        }
    };

    view! {
        <Title text="Chat"/>
        <div class="chat-layout">
            <Sidebar conversations current on_select on_rename on_delete/>
            <section class="conversation" aria-label="Messages">
                <Transition fallback=|| ()>
                    {move || config.get().and_then(Result::ok).and_then(|c| c.notice).map(|notice| view! {
                        <div class="notice" role="status">{notice}</div>
                    })}
                </Transition>
                <Show when=move || current.get().is_some()>
                    <div class="conversation-tools">
                        <button type="button" class="btn btn-ghost" on:click=on_clear disabled=move || streaming.get()>"Clear"</button>
                    </div>
                </Show>
                <div class="messages" node_ref=scroller on:scroll=on_scroll aria-live="polite">
                    <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                        {move || initial.get().map(|loaded| {
                            if !seeded.get_value() {
                                seeded.set_value(true);
                                match loaded {
                                    Ok(list) => messages.set(stored(list)),
                                    Err(_) => current.set(None),
                                }
                            }
                            view! {
                                <Show when=move || !messages.read().is_empty() fallback=|| view! {
                                    <div class="empty-state">
                                        <h1>"What shall we talk about?"</h1>
                                        <p class="muted">"Ask anything; the answer streams in as it is written."</p>
                                    </div>
                                }>
                                    <For each=move || messages.get() key=|m| m.key let:message>
                                        <MessageView message on_retry/>
                                    </For>
                                </Show>
                            }
                        })}
                    </Transition>
                </div>
                <noscript><p class="notice">"Chat needs JavaScript to stream answers; your conversations above can be read without it."</p></noscript>
                // Inside a Transition: the model list comes from the config
                // resource, so server and browser render the composer alike.
                <Transition fallback=|| ()>
                    {move || config.get().map(|_| view! {
                        <Composer draft streaming=streaming.into() models model max_chars on_send on_stop=stop/>
                    })}
                </Transition>
            </section>
        </div>
    }
}
