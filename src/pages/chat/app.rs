//! The chat itself, as one island: everything on `/app` that changes
//! in the browser (the list, the messages and the answer streaming in,
//! the composer). The server renders it with the data `ChatPage` loaded,
//! passed in as props, and the browser takes it over from the same data.
//!
//! What the page holds and does is [`ChatState`]; this file wires the
//! views of `components::chat` to it.

use leptos::{prelude::*, task::spawn_local};

use super::state::{self, ChatState};
use crate::{
    api::{
        chat::list_conversations,
        chat_types::{ChatConfig, Conversation, Message, SearchResults},
    },
    browser,
    components::chat::{
        composer::Composer,
        message::{MessageActions, MessageView},
        prompt::ConversationPrompt,
        sidebar::Sidebar,
    },
    error::AppError,
    tr,
};

/// The chat: conversations on the left, messages on the right.
/// `opened` is the conversation of `/app?c=ID` (its `messages` loaded;
/// `Err` when it could not be: a new chat), `search` the words of
/// `/app?q=` and `found` what they found.
#[island]
pub fn ChatApp(
    opened: Option<i64>,
    messages: Result<Vec<Message>, AppError>,
    conversations: Result<Vec<Conversation>, AppError>,
    config: Result<ChatConfig, AppError>,
    search: String,
    found: Option<Result<SearchResults, AppError>>,
) -> impl IntoView {
    let chat = ChatState::new(opened);
    chat.seed(messages);
    // The conversation list on phones: opening one closes it.
    let menu_open = RwSignal::new(false);
    // The list the server rendered, fetched again each time an action
    // moves `list_version`; an answer that comes after a newer request's
    // is dropped.
    let conversations = RwSignal::new(Some(conversations));
    Effect::new(move |first: Option<()>| {
        let version = chat.list_version.get();
        if first.is_some() {
            spawn_local(async move {
                let fresh = list_conversations().await;
                if chat.list_version.get_untracked() == version {
                    conversations.set(Some(fresh));
                }
            });
        }
    });
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
    let config = config.ok();
    let notice = config.as_ref().and_then(|c| c.notice.clone());
    let default_prompt = config.as_ref().and_then(|c| c.system_prompt.clone());
    let scroller = NodeRef::<leptos::html::Div>::new();

    let models = Signal::stored(
        config
            .as_ref()
            .map(|c| c.models.clone())
            .unwrap_or_default(),
    );
    let max_chars = Signal::stored(config.as_ref().map_or(4000, |c| c.max_message_chars));
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

    // The tab shows the open conversation's title (the server rendered
    // the first one: see `ChatPage`).
    Effect::new(move |_| {
        let id = chat.current.get();
        let title = conversations
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|c| Some(c.id) == id))
            .map(|c| c.title);
        browser::set_title(&super::tab_title(title.as_deref()));
        chat.title.set(title);
    });

    view! {
        <div class="chat-layout">
            <Sidebar conversations=conversations.into() current=chat.current on_select on_rename on_delete menu_open on_found
                search found
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
                {notice.map(|notice| view! {
                    <div class="notice" role="status">{notice}</div>
                })}
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
                // The prompt is the list's; one just started here has the
                // default until the list has it.
                {move || chat.current.get().and_then(|id| {
                    let listed = conversations.get()?.ok()?.into_iter().find(|c| c.id == id);
                    let saved = match listed {
                        Some(c) => c.system_prompt,
                        None if chat.started_here.get_value() == Some(id) => default_prompt.clone(),
                        None => return None,
                    };
                    Some(view! { <ConversationPrompt id saved on_saved=on_prompt_saved/> })
                })}
                <div class="visually-hidden" role="status" aria-live="polite">{move || chat.announcement.get()}</div>
                <div class="messages" node_ref=scroller on:scroll=on_scroll on:click=|ev| browser::copy_code_block(&ev)>
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
                </div>
                <noscript><p class="notice">{tr!(chat.noscript)}</p></noscript>
                <Composer draft=chat.draft streaming=chat.streaming.into() models model=chat.model max_chars on_send on_stop/>
            </section>
        </div>
    }
}
