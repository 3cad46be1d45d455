//! `/app`: the chat.

use leptos::prelude::*;
use leptos_meta::Title;

/// The chat page: conversations on the left, messages on the right.
#[component]
pub fn ChatPage() -> impl IntoView {
    view! {
        <Title text="Chat"/>
        <div class="chat-layout">
            <aside class="sidebar" aria-label="Conversations">
                <h2 class="sidebar-title">"Conversations"</h2>
                <p class="muted small">"No conversations yet."</p>
            </aside>
            <section class="conversation" aria-label="Messages">
                <div class="empty-state">
                    <h1>"What shall we talk about?"</h1>
                    <p class="muted">"Ask anything; the answer streams in as it is written."</p>
                </div>
            </section>
        </div>
    }
}
