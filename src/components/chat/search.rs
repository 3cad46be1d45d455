//! Search across one's conversations, at the top of the sidebar: titles
//! and message text (`GET /api/conversations/search`), each result with
//! the matching words marked, opening the conversation at that message.
//! Without JavaScript it is a plain `GET /app?q=` form whose results the
//! server renders; with it, results follow the typing.

use leptos::prelude::*;

use leptos::task::spawn_local;

use crate::{
    api::{chat::search_conversations, chat_types::SearchResults},
    error::AppError,
    tr,
};

/// How long typing must pause before the search is made.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// The search box and, while it holds words, the results (in place of the
/// conversation list, which the sidebar hides meanwhile).
#[component]
pub fn Search(
    /// What is in the box.
    query: RwSignal<String>,
    /// What the box's first words found (the server's search, for
    /// `/app?q=`).
    found: Option<Result<SearchResults, AppError>>,
    /// A result opened: its conversation, and the message that matched.
    on_found: Callback<(i64, Option<i64>)>,
) -> impl IntoView {
    // The words searched for: the box's, once typing has paused.
    let asked = RwSignal::new(query.get_untracked());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // What they found; an answer to words no longer asked is dropped.
    let results = RwSignal::new(found);
    Effect::new(move |first: Option<()>| {
        let q = asked.get();
        if first.is_none() {
            return;
        }
        if q.trim().is_empty() {
            results.set(None);
            return;
        }
        spawn_local(async move {
            let answer = search_conversations(q.clone()).await;
            if asked.get_untracked() == q {
                results.set(Some(answer));
            }
        });
    });
    let on_input = move |ev| {
        query.set(event_target_value(&ev));
        if let Some(pending) = timer.get_value() {
            pending.clear();
        }
        let handle = set_timeout_with_handle(move || asked.set(query.get_untracked()), PAUSE);
        timer.set_value(handle.ok());
    };
    view! {
        <form class="conv-search" role="search" method="get" action="/app" on:submit=move |ev| {
            ev.prevent_default();
            asked.set(query.get_untracked());
        }>
            <label for="conv-search" class="visually-hidden">{tr!(chat.search)}</label>
            <input id="conv-search" type="search" name="q" autocomplete="off"
                placeholder=tr!(chat.search_placeholder) prop:value=move || query.get() on:input=on_input/>
        </form>
        <Show when=move || !query.read().trim().is_empty()>
                {move || results.get().map(|found| match found {
                    Ok(found) if found.results.is_empty() => view! {
                        <p class="muted small" role="status">{tr!(chat.search_none)}</p>
                    }.into_any(),
                    Ok(found) => view! {
                        <ul class="search-results" aria-label=tr!(chat.search)>
                            {found.results.into_iter().map(|hit| {
                                let (id, message) = (hit.conversation_id, hit.message_id);
                                let href = match message {
                                    Some(m) => format!("/app?c={id}#m-{m}"),
                                    None => format!("/app?c={id}"),
                                };
                                view! {
                                    <li>
                                        <a href=href rel="external" on:click=move |ev| {
                                            ev.prevent_default();
                                            on_found.run((id, message));
                                        }>
                                            <span class="search-title">{hit.title}</span>
                                            // Escaped by the server, the matches in <mark>.
                                            <span class="search-snippet" inner_html=hit.snippet></span>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! {
                        <p class="muted small" role="alert">{tr!(chat.search_failed, why = e.to_string())}</p>
                    }.into_any(),
                })}
        </Show>
    }
}
