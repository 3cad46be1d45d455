//! The conversation list: new, open, rename, delete.

use leptos::prelude::*;

use crate::{api::chat_types::Conversation, error::AppError};

/// The sidebar. Links work without JavaScript (`/app?c=ID`); with it, the
/// page switches conversations in place.
#[component]
pub fn Sidebar(
    conversations: Resource<Result<Vec<Conversation>, AppError>>,
    current: RwSignal<Option<i64>>,
    on_select: Callback<Option<i64>>,
    on_rename: Callback<i64>,
    on_delete: Callback<i64>,
) -> impl IntoView {
    view! {
        <aside class="sidebar" aria-label="Conversations">
            <div class="sidebar-header">
                <h2 class="sidebar-title">"Conversations"</h2>
                <a href="/app" rel="external" class="btn btn-ghost" on:click=move |ev| {
                    ev.prevent_default();
                    on_select.run(None);
                }>"New chat"</a>
            </div>
            <Transition fallback=|| ()>
                {move || conversations.get().map(|list| match list {
                    Ok(list) if list.is_empty() => view! { <p class="muted small">"No conversations yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="conv-list">
                            {list.into_iter().map(|c| {
                                let id = c.id;
                                let active = move || current.get() == Some(id);
                                view! {
                                    <li class="conv-item" class:active=active>
                                        <a
                                            href=format!("/app?c={id}")
                                            rel="external"
                                            aria-current=move || active().then_some("page")
                                            on:click=move |ev| {
                                                ev.prevent_default();
                                                on_select.run(Some(id));
                                            }
                                        >{c.title.clone()}</a>
                                        <button type="button" class="icon-btn needs-js" aria-label=format!("Rename “{}”", c.title)
                                            on:click=move |_| on_rename.run(id)>"✎"</button>
                                        <button type="button" class="icon-btn needs-js" aria-label=format!("Delete “{}”", c.title)
                                            on:click=move |_| on_delete.run(id)>"✕"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => view! { <p class="muted small">"Conversations could not be loaded."</p> }.into_any(),
                })}
            </Transition>
        </aside>
    }
}
