//! A password input with a live strength meter (the meter needs the WASM
//! bundle; without it the hint still states the rules).

use leptos::prelude::*;

use crate::domain::strength;

const LABELS: [&str; 5] = ["Too weak", "Fair", "Good", "Strong", "Very strong"];

/// `<input type=password>` plus the meter; `name` is the form field name.
#[component]
pub fn PasswordField(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] autocomplete: String,
) -> impl IntoView {
    let (value, set_value) = signal(String::new());
    let score = move || strength(&value.read());
    let hint_id = format!("{id}-hint");
    let text = move || {
        if value.read().is_empty() {
            "8 or more characters, mixing at least two of letters, digits and symbols".to_owned()
        } else {
            format!("Strength: {}", LABELS[usize::from(score())])
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type="password"
                autocomplete=autocomplete
                required=true
                minlength="8"
                maxlength="128"
                aria-describedby=hint_id.clone()
                on:input=move |ev| set_value.set(event_target_value(&ev))
            />
            <div class="strength" data-score=move || score().to_string()>
                <div class="strength-bar" aria-hidden="true"><div class="strength-fill"></div></div>
                <span id=hint_id class="strength-label" aria-live="polite">{text}</span>
            </div>
        </div>
    }
}
