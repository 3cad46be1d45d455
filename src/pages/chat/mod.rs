//! `/app`: the chat. The server redirects signed-out visitors before this
//! renders; in the browser, losing the session (logout in another tab) sends
//! the person to `/login` too. `/app?c=ID` opens a conversation, so a reload
//! (even mid-answer) shows what was stored; `/app?q=WORDS` shows what a
//! search found (the search form without JavaScript).
//!
//! This component runs on the server only: it loads what the page shows
//! and hands it to the [`app::ChatApp`] island, which the browser takes
//! over.

use futures_util::future::join4;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

mod answer;
mod app;
mod manage;
mod state;

use crate::{
    api::chat::{get_chat_config, list_conversations, load_conversation, search_conversations},
    tr,
};

/// The chat page.
#[component]
pub fn ChatPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let opened: Option<i64> = query.get("c").and_then(|c| c.parse().ok());
    let search = query.get("q").unwrap_or_default();
    let page = Suspend::new(async move {
        let words = search.trim().to_owned();
        let (config, conversations, messages, found) = join4(
            get_chat_config(),
            list_conversations(),
            async move {
                match opened {
                    Some(id) => load_conversation(id).await,
                    None => Ok(Vec::new()),
                }
            },
            async move {
                if words.is_empty() {
                    None
                } else {
                    Some(search_conversations(words).await)
                }
            },
        )
        .await;
        // A conversation that cannot be opened leaves a new chat.
        let opened = opened.filter(|_| messages.is_ok());
        let title = conversations
            .as_ref()
            .ok()
            .and_then(|list| list.iter().find(|c| Some(c.id) == opened))
            .map(|c| c.title.clone());
        view! {
            <Title text=title.unwrap_or_else(|| tr!(chat.title).to_owned())/>
            <app::ChatApp opened messages conversations config search found/>
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">{tr!(chat.loading)}</p> }>{page}</Suspense>
    }
}

/// The tab's title for the open conversation's `title` (none: a new
/// chat), as `<Title>` formats it in the page shell.
pub(crate) fn tab_title(title: Option<&str>) -> String {
    format!("{} · Palaver", title.unwrap_or(tr!(chat.title)))
}
