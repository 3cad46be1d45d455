//! `‹ 2 / 3 ›` under a message that has other versions (edits of a
//! question, regenerations of an answer): its arrows show the version
//! before or after, with the branch that follows it.

use leptos::prelude::*;

use super::message::UiMessage;
use crate::tr;

/// The switch; nothing when the message is its parent's only child.
/// `on_switch` gets the version to show and the arrow's id prefix (for the
/// focus to come back to it).
#[component]
pub fn Versions(
    message: UiMessage,
    busy: Signal<bool>,
    on_switch: Callback<(UiMessage, i64, &'static str)>,
) -> impl IntoView {
    let place = move || {
        let id = message.id.get()?;
        let siblings = message.siblings.get();
        let at = siblings.iter().position(|s| *s == id)?;
        (siblings.len() > 1).then_some((at, siblings))
    };
    move || {
        place().map(|(at, siblings)| {
            let id = message.id.get_untracked().unwrap_or_default();
            let before = at.checked_sub(1).map(|i| siblings[i]);
            let after = siblings.get(at + 1).copied();
            let total = siblings.len();
            view! {
                <div class="versions" role="group" aria-label=tr!(chat.versions)>
                    <button type="button" class="btn btn-ghost" id=format!("version-prev-{id}")
                        aria-label=tr!(chat.version_prev)
                        disabled=move || before.is_none() || busy.get()
                        on:click=move |_| if let Some(to) = before { on_switch.run((message, to, "version-prev")) }>
                        "‹"
                    </button>
                    <span class="versions-at">{tr!(chat.version_of, at = at + 1, total = total)}</span>
                    <button type="button" class="btn btn-ghost" id=format!("version-next-{id}")
                        aria-label=tr!(chat.version_next)
                        disabled=move || after.is_none() || busy.get()
                        on:click=move |_| if let Some(to) = after { on_switch.run((message, to, "version-next")) }>
                        "›"
                    </button>
                </div>
            }
        })
    }
}
