//! The conversation list, under headings by age (Today, Yesterday…): new,
//! open, rename, delete.

use leptos::prelude::*;

use crate::{
    api::chat_types::{Conversation, SearchResults},
    browser,
    components::page_cookie,
    domain::dates::{parse_offset, Age, UTC_OFFSET_COOKIE},
    error::AppError,
    tr,
};

/// The sidebar. Links work without JavaScript (`/app?c=ID`); with it, the
/// page switches conversations in place.
#[component]
pub fn Sidebar(
    /// The list (always `Some`; a signal of the same shape as a resource's).
    conversations: Signal<Option<Result<Vec<Conversation>, AppError>>>,
    current: RwSignal<Option<i64>>,
    on_select: Callback<Option<i64>>,
    on_rename: Callback<(i64, String)>,
    on_delete: Callback<(i64, String)>,
    /// A conversation deleted on screen (its Undo still on offer).
    hidden: Signal<Option<i64>>,
    /// On phones the list is a menu that slides out; true while it is out.
    menu_open: RwSignal<bool>,
    /// A search result opened: its conversation and message.
    on_found: Callback<(i64, Option<i64>)>,
    /// A file imported: its new conversations (see `import::ImportButton`).
    on_imported: Callback<Vec<i64>>,
    /// An import that stored nothing: why.
    on_import_failed: Callback<String>,
    /// The words of `/app?q=` (the search form without JavaScript).
    search: String,
    /// What they found, rendered by the server.
    found: Option<Result<SearchResults, AppError>>,
) -> impl IntoView {
    // What the search box holds; while it holds words, the results take
    // the list's place.
    let query = RwSignal::new(search);
    // The conversation whose name is being edited in place, if any.
    let editing = RwSignal::new(None::<i64>);
    // The headings (Today, Yesterday…) are the reader's days: the server
    // renders them with the offset the `tz` cookie gave on an earlier visit
    // (UTC on the first), the page hydrates with the same, then takes the
    // device's own and keeps it in the cookie for next time.
    let offset = RwSignal::new(
        page_cookie(UTC_OFFSET_COOKIE)
            .and_then(|v| parse_offset(&v))
            .unwrap_or(0),
    );
    Effect::new(move |_| {
        if let Some(real) = browser::utc_offset().filter(|m| *m != offset.get_untracked()) {
            let secure = if browser::is_https() { "; Secure" } else { "" };
            browser::set_cookie(&format!(
                "{UTC_OFFSET_COOKIE}={real}; Path=/; Max-Age=31536000; SameSite=Lax{secure}"
            ));
            offset.set(real);
        }
    });
    view! {
        <aside id="conversations" class="sidebar" class:open=move || menu_open.get() aria-label=tr!(chat.conversations)>
            <div class="sidebar-header">
                <h2 class="sidebar-title">{tr!(chat.conversations)}</h2>
                // Phones only; without JavaScript the menu is the link's #target.
                <a href="#main" class="btn btn-ghost menu-close" role="button" on:click=move |ev| {
                    ev.prevent_default();
                    menu_open.set(false);
                }>{tr!(chat.close)}</a>
                <a href="/app" rel="external" class="btn btn-ghost" on:click=move |ev| {
                    ev.prevent_default();
                    on_select.run(None);
                }>{tr!(chat.new_chat)}</a>
            </div>
            <super::search::Search query found on_found/>
            <Show when=move || query.read().trim().is_empty()>
                {move || conversations.get().map(|list| match list {
                    Ok(list) if list.is_empty() => view! { <p class="muted small">{tr!(chat.no_conversations)}</p> }.into_any(),
                    Ok(list) => {
                        let now = browser::now_unix();
                        let at = offset.get();
                        by_age(list, now, at).into_iter().map(|(age, list)| {
                            // A heading whose one conversation is deleted on screen goes too.
                            let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
                            let empty = move || ids.iter().all(|id| hidden.get() == Some(*id));
                            view! {
                                <div class="conv-group" hidden=empty>
                                    <h3 class="conv-group-title">{age.label()}</h3>
                                    <ul class="conv-list">
                                        {list.into_iter().map(|c| view! {
                                            <Entry c current on_select on_rename on_delete hidden editing/>
                                        }).collect_view()}
                                    </ul>
                                </div>
                            }
                        }).collect_view().into_any()
                    }
                    Err(_) => view! { <p class="muted small">{tr!(chat.list_failed)}</p> }.into_any(),
                })}
            </Show>
            <super::import::ImportButton on_imported on_failed=on_import_failed/>
        </aside>
    }
}

/// One conversation of the list: its link, and Rename and Delete.
#[component]
fn Entry(
    c: Conversation,
    current: RwSignal<Option<i64>>,
    on_select: Callback<Option<i64>>,
    on_rename: Callback<(i64, String)>,
    on_delete: Callback<(i64, String)>,
    hidden: Signal<Option<i64>>,
    editing: RwSignal<Option<i64>>,
) -> impl IntoView {
    let id = c.id;
    let active = move || current.get() == Some(id);
    let deleted = move || hidden.get() == Some(id);
    let title = c.title.clone();
    let renaming = move || editing.get() == Some(id);
    view! {
        <li class="conv-item" class:active=active hidden=deleted>
            <Show when=renaming>
                <RenameField title=title.clone() on_done=Callback::new(move |name: Option<String>| {
                    editing.set(None);
                    if let Some(name) = name {
                        on_rename.run((id, name));
                    }
                })/>
            </Show>
            <a
                hidden=renaming
                href=format!("/app?c={id}")
                rel="external"
                aria-current=move || active().then_some("page")
                on:click=move |ev| {
                    ev.prevent_default();
                    on_select.run(Some(id));
                }
            >{c.title.clone()}</a>
            <button type="button" class="icon-btn needs-js" aria-label=tr!(chat.rename, title = c.title.clone())
                hidden=renaming
                on:click=move |_| editing.set(Some(id))>"✎"</button>
            <button type="button" class="icon-btn needs-js" aria-label=tr!(chat.delete, title = c.title.clone())
                on:click={
                    let title = c.title.clone();
                    move |_| on_delete.run((id, title.clone()))
                }>"✕"</button>
        </li>
    }
}

/// The list cut into runs under one heading each, in its order (newest
/// first).
fn by_age(list: Vec<Conversation>, now: i64, offset: i32) -> Vec<(Age, Vec<Conversation>)> {
    let mut runs: Vec<(Age, Vec<Conversation>)> = Vec::new();
    for c in list {
        let age = Age::of(c.updated_at, now, offset);
        match runs.last_mut() {
            Some((last, run)) if *last == age => run.push(c),
            _ => runs.push((age, vec![c])),
        }
    }
    runs
}

/// The name of a conversation as an editable field, pre-filled and
/// focused: Enter (or leaving the field) saves, Escape cancels. `on_done`
/// gets the new name, or `None` when nothing changed.
#[component]
fn RenameField(title: String, on_done: Callback<Option<String>>) -> impl IntoView {
    let field = NodeRef::<leptos::html::Input>::new();
    let done = StoredValue::new(false);
    let old = StoredValue::new(title.clone());
    let finish = move |save: bool| {
        if done.get_value() {
            return; // Enter, then the blur that follows
        }
        done.set_value(true);
        let name = field
            .get_untracked()
            .map(|f| f.value().trim().to_owned())
            .filter(|name| save && !name.is_empty() && old.with_value(|old| name != old));
        on_done.run(name);
    };
    Effect::new(move |_| {
        if let Some(field) = field.get() {
            let _ = field.focus();
            field.select();
        }
    });
    view! {
        <input
            class="rename-input"
            type="text"
            maxlength="120"
            aria-label=tr!(chat.new_name)
            value=title
            node_ref=field
            on:keydown=move |ev| match ev.key().as_str() {
                "Enter" => {
                    ev.prevent_default();
                    finish(true);
                }
                "Escape" => {
                    ev.prevent_default();
                    ev.stop_propagation();
                    finish(false);
                }
                _ => {}
            }
            on:blur=move |_| finish(true)
        />
    }
}
