//! The Chat section of `/settings`: the system prompt new conversations
//! start from.

use leptos::prelude::*;

use super::{done, section_error};
use crate::{
    api::chat::{get_chat_config, SetChatDefaults},
    components::form::{FormAlert, ProgressiveForm, SubmitButton},
    domain::chat::MAX_SYSTEM_PROMPT_CHARS,
    tr,
};

/// The default system prompt, read from the chat set-up; empty means the
/// server's own.
#[component]
pub fn ChatDefaults() -> impl IntoView {
    let action = ServerAction::<SetChatDefaults>::new();
    let error = section_error(action, "chat");
    let saved = done(action, "chat");
    let config = Resource::new(|| (), |_| get_chat_config());
    view! {
        <section class="card settings-card" aria-labelledby="chat-heading">
            <h2 id="chat-heading">{tr!(settings.chat)}</h2>
            <p class="muted" id="default-prompt-lead">{tr!(settings.chat_lead)}</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <Show when=saved>
                    <p class="alert alert-success" role="status">{tr!(settings.saved)}</p>
                </Show>
                <Suspense fallback=|| ()>
                    {move || config.get().and_then(Result::ok).map(|config| view! {
                        <div class="field">
                            <label for="default_prompt">{tr!(settings.default_prompt)}</label>
                            <textarea id="default_prompt" name="system_prompt" rows="4"
                                aria-describedby="default-prompt-lead"
                                maxlength=MAX_SYSTEM_PROMPT_CHARS.to_string()>
                                {config.system_prompt.unwrap_or_default()}
                            </textarea>
                        </div>
                    })}
                </Suspense>
                <SubmitButton pending=action.pending() idle=tr!(settings.save) busy=tr!(settings.saving)/>
            </ProgressiveForm>
        </section>
    }
}
