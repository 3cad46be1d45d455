//! `/app`: the chat. The server redirects signed-out visitors before this
//! renders; in the browser, losing the session (logout in another tab) sends
//! the person to `/login` too. `/app?c=ID` opens a conversation, so a reload
//! (even mid-answer) shows what was stored.
//!
//! What the page holds and does is [`state::ChatState`]; this file wires the
//! views of `components::chat` to it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

mod answer;
mod manage;
mod state;

use state::ChatState;

use crate::{
    api::chat::{get_chat_config, list_conversations, load_conversation},
    browser,
    components::{
        chat::{
            composer::Composer,
            message::{MessageActions, MessageView},
            prompt::ConversationPrompt,
            sidebar::Sidebar,
        },
        session::use_auth,
    },
    error::AppError,
    tr,
};

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
    let chat = ChatState::new(opened);
    // The conversation list as a menu on phones: opening one closes it.
    let menu_open = RwSignal::new(false);
    let conversations = Resource::new(move || chat.list_version.get(), |_| list_conversations());
    // Signed out elsewhere: to the sign-in page, keeping what was typed;
    // and back from it, what could not be sent is in the box again.
    Effect::new(move |_| {
        if let Some(Err(AppError::Unauthorized)) = conversations.get() {
            chat.signed_out(None);
        }
    });
    Effect::new(move |_| {
        chat.restore_unsent();
        browser::focus(state::COMPOSER);
    });
    // Escape stops a running answer, wherever the focus is.
    Effect::new(move |_| {
        let listener = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" && menu_open.get_untracked() {
                menu_open.set(false);
            } else if ev.key() == "Escape" && chat.streaming.get_untracked() {
                chat.stop();
            }
        });
        on_cleanup(move || listener.remove());
    });
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
    let scroller = NodeRef::<leptos::html::Div>::new();

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
        if chat.model.read_untracked().is_empty() {
            if let Some(first) = models.read().first() {
                chat.model.set(first.clone());
            }
        }
    });
    // An opened conversation goes on with the model it last used, while
    // that model is still offered: once per opening (see
    // `ChatState::model_shown_for`), so a list refreshed after an answer
    // does not undo a model picked meanwhile.
    Effect::new(move |_| {
        let id = chat.current.get();
        if id.is_none() || chat.model_shown_for.get_value() == id {
            return;
        }
        let used = conversations
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|c| Some(c.id) == id))
            .map(|c| c.model);
        if let Some(used) = used.filter(|m| models.read().contains(m)) {
            chat.model_shown_for.set_value(id);
            chat.model.set(used);
        }
    });

    // Follow the answer as it grows, unless the reader scrolled up.
    Effect::new(move |_| {
        chat.messages
            .with(|list| list.iter().for_each(|m| m.text.track()));
        if chat.pinned.get_untracked() {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            chat.pinned
                .set(el.scroll_height() - el.scroll_top() - el.client_height() < 48);
        }
    };

    let on_send = Callback::new(move |()| chat.send_draft());
    let on_stop = Callback::new(move |()| chat.stop());
    let actions = MessageActions {
        on_retry: Callback::new(move |()| chat.retry()),
        on_edit: Callback::new(move |(message, text)| chat.edit(message, text)),
        on_regenerate: Callback::new(move |message| chat.regenerate(message)),
        on_switch: Callback::new(move |(message, to, arrow)| {
            chat.switch_version(message, to, arrow)
        }),
        busy: chat.streaming.into(),
    };
    let on_select = Callback::new(move |id| {
        menu_open.set(false);
        chat.select(id);
    });
    let on_found = Callback::new(move |(id, message)| {
        menu_open.set(false);
        chat.open_found(id, message);
    });
    let on_imported = Callback::new(move |ids: Vec<i64>| chat.imported(ids));
    let on_import_failed = Callback::new(move |why| chat.alert.set(Some(why)));
    let on_prompt_saved = Callback::new(move |()| chat.prompt_saved());
    let on_rename = Callback::new(move |(id, title)| chat.rename(id, title));
    let on_delete = Callback::new(move |(id, title)| chat.delete(id, title));
    // Leaving the page with a delete on offer: it happens all the same.
    Effect::new(move |_| {
        let listener =
            window_event_listener(leptos::ev::pagehide, move |_| chat.end_offer_on_leave());
        on_cleanup(move || listener.remove());
    });

    // The tab shows the open conversation's title: set by an effect, which
    // may read the list resource (Title's own render may not).
    Effect::new(move |_| {
        let id = chat.current.get();
        let title = conversations
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|c| Some(c.id) == id))
            .map(|c| c.title);
        chat.title.set(title);
    });

    view! {
        <Title text=move || chat.title.get().unwrap_or_else(|| tr!(chat.title).to_owned())/>
        <div class="chat-layout">
            <Sidebar conversations current=chat.current on_select on_rename on_delete menu_open on_found
                on_imported on_import_failed
                hidden=Signal::derive(move || chat.pending.read().as_ref().map(|p| p.id))/>
            <section class="conversation" aria-label=tr!(chat.messages)>
                // The page's one top heading, for screen readers' outline.
                <h1 class="visually-hidden">{tr!(chat.title)}</h1>
                <div class="chat-bar">
                    <a href="#conversations" class="btn btn-ghost menu-btn" role="button"
                        aria-controls="conversations"
                        aria-expanded=move || menu_open.get().to_string()
                        on:click=move |ev| {
                            ev.prevent_default();
                            menu_open.update(|open| *open = !*open);
                        }
                    >
                        <span aria-hidden="true">"☰ "</span>{tr!(chat.conversations)}
                    </a>
                </div>
                <Transition fallback=|| ()>
                    {move || config.get().and_then(Result::ok).and_then(|c| c.notice).map(|notice| view! {
                        <div class="notice" role="status">{notice}</div>
                    })}
                </Transition>
                {move || chat.alert.get().map(|message| view! {
                    <div class="alert alert-error chat-alert" role="alert">
                        <span>{message}</span>
                        <button type="button" class="btn btn-ghost" on:click=move |_| chat.alert.set(None)>{tr!(chat.dismiss)}</button>
                    </div>
                })}
                {move || chat.pending.read().as_ref().map(|pending| view! {
                    <div class="notice undo-notice" role="status">
                        <span>{pending.notice()}</span>
                        <button type="button" class="btn btn-ghost" on:click=move |_| chat.undo()>{tr!(chat.undo)}</button>
                    </div>
                })}
                {move || chat.current.get().map(|id| view! {
                    <div class="conversation-tools">
                        // Downloads (`Content-Disposition: attachment`): plain links.
                        <a class="btn btn-ghost" href=format!("/api/conversations/export?id={id}&format=md") download="">{tr!(chat.export_md)}</a>
                        <a class="btn btn-ghost" href=format!("/api/conversations/export?id={id}&format=json") download="">{tr!(chat.export_json)}</a>
                        <button type="button" class="btn btn-ghost needs-js" on:click=move |_| chat.clear() disabled=move || chat.streaming.get()>{tr!(chat.clear)}</button>
                    </div>
                })}
                // After the list (and the set-up) have come: the prompt is
                // the list's, rendered alike on the server and in the browser.
                <Transition fallback=|| ()>
                    {move || chat.current.get().and_then(|id| {
                        let saved = conversations.get()?.ok()?.into_iter().find(|c| c.id == id)?.system_prompt;
                        Some(view! { <ConversationPrompt id saved on_saved=on_prompt_saved/> })
                    })}
                </Transition>
                <div class="visually-hidden" role="status" aria-live="polite">{move || chat.announcement.get()}</div>
                <div class="messages" node_ref=scroller on:scroll=on_scroll>
                    <Transition fallback=|| view! { <p class="muted">{tr!(chat.loading)}</p> }>
                        {move || initial.get().map(|loaded| {
                            chat.seed(loaded);
                            view! {
                                <Show when=move || !chat.messages.read().is_empty() fallback=|| view! {
                                    <div class="empty-state">
                                        <h2>{tr!(chat.empty_title)}</h2>
                                        <p class="muted">{tr!(chat.empty_lead)}</p>
                                    </div>
                                }>
                                    <For each=move || chat.messages.get() key=|m| m.key let:message>
                                        <MessageView message actions/>
                                    </For>
                                </Show>
                            }
                        })}
                    </Transition>
                </div>
                <noscript><p class="notice">{tr!(chat.noscript)}</p></noscript>
                // Inside a Transition: the model list comes from the config
                // resource, so server and browser render the composer alike.
                <Transition fallback=|| ()>
                    {move || config.get().map(|_| view! {
                        <Composer draft=chat.draft streaming=chat.streaming.into() models model=chat.model max_chars on_send on_stop/>
                    })}
                </Transition>
            </section>
        </div>
    }
}
