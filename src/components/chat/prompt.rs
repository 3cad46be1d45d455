//! The open conversation's system prompt, under its tools: shown and
//! edited in a disclosure, saved with `POST /api/conversations/settings`.

use leptos::prelude::*;

use crate::{
    api::chat::SetConversationSettings,
    components::form::{FormAlert, ProgressiveForm, SubmitButton},
    domain::chat::MAX_SYSTEM_PROMPT_CHARS,
    tr,
};

/// The system prompt of conversation `id`; `saved` is what the server has
/// (from the conversation list). Once saved, `on_saved` runs (the page
/// fetches the list again, which shows this anew, closed). A plain post
/// (no JavaScript) comes back to `/app?c=ID`.
#[component]
pub fn ConversationPrompt(id: i64, saved: Option<String>, on_saved: Callback<()>) -> impl IntoView {
    let action = ServerAction::<SetConversationSettings>::new();
    let error = move || match action.value().get() {
        Some(Err(err)) => Some(err),
        _ => None,
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            on_saved.run(());
        }
    });
    let is_set = saved.as_deref().is_some_and(|p| !p.is_empty());
    view! {
        <details class="conversation-prompt" open=move || error().is_some()>
            <summary>
                {tr!(chat.system_prompt)}
                {is_set.then(|| view! { <span class="prompt-set">{tr!(chat.prompt_set)}</span> })}
            </summary>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <input type="hidden" name="id" value=id/>
                <p class="muted small" id="system-prompt-lead">{tr!(chat.system_prompt_lead)}</p>
                <label class="visually-hidden" for="system-prompt">{tr!(chat.system_prompt)}</label>
                <textarea id="system-prompt" name="system_prompt" rows="4"
                    aria-describedby="system-prompt-lead" maxlength=MAX_SYSTEM_PROMPT_CHARS.to_string()>
                    {saved.unwrap_or_default()}
                </textarea>
                <SubmitButton pending=action.pending() idle=tr!(chat.save_prompt) busy=tr!(settings.saving)/>
            </ProgressiveForm>
        </details>
    }
}
