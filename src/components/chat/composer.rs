//! The input at the bottom: Enter sends, Shift+Enter makes a new line.

use leptos::prelude::*;

/// The message box, the model picker and the Send/Stop buttons.
#[component]
pub fn Composer(
    draft: RwSignal<String>,
    streaming: Signal<bool>,
    models: Signal<Vec<String>>,
    model: RwSignal<String>,
    max_chars: Signal<usize>,
    on_send: Callback<()>,
    on_stop: Callback<()>,
) -> impl IntoView {
    let too_long = move || draft.read().chars().count() > max_chars.get();
    let can_send = move || !streaming.get() && !draft.read().trim().is_empty() && !too_long();
    let submit = move || {
        if can_send() {
            on_send.run(());
        }
    };
    // Text typed into the server-rendered box before the page hydrated is
    // still in the field: it becomes the draft, so Send works on it.
    let field = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(field) = field.get() {
            let typed = field.value();
            if !typed.is_empty() && draft.get_untracked().is_empty() {
                draft.set(typed);
            }
        }
    });
    view! {
        <form class="composer needs-js" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <label for="composer-input" class="visually-hidden">{crate::tr!(chat.message)}</label>
            <textarea
                id="composer-input"
                node_ref=field
                name="message"
                rows="1"
                placeholder=crate::tr!(chat.placeholder)
                aria-describedby="composer-hint"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            <span id="composer-hint" class="visually-hidden">{crate::tr!(chat.composer_hint)}</span>
            <Show when=move || { models.read().len() > 1 }>
                <select
                    class="model-picker"
                    aria-label=crate::tr!(chat.model)
                    prop:value=move || model.get()
                    on:change=move |ev| model.set(event_target_value(&ev))
                >
                    {move || models.get().into_iter().map(|m| view! { <option value=m.clone()>{m.clone()}</option> }).collect_view()}
                </select>
            </Show>
            <Show
                when=move || streaming.get()
                fallback=move || view! {
                    <button type="submit" class="btn btn-primary" disabled=move || !can_send()>{crate::tr!(chat.send)}</button>
                }
            >
                <button type="button" class="btn btn-danger" on:click=move |_| on_stop.run(())>{crate::tr!(chat.stop)}</button>
            </Show>
        </form>
        <Show when=too_long>
            <p class="field-error" role="alert">{move || crate::tr!(chat.too_long, max = max_chars.get())}</p>
        </Show>
    }
}
