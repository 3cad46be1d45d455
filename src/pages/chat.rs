//! `/app`: the chat. The server redirects signed-out visitors before this
//! renders; in the browser, losing the session (logout in another tab) sends
//! the person to `/login` too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::{components::session::use_auth, error::AppError};

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
