//! A password input with a live strength meter: an island, as the meter
//! needs the WASM bundle (without it the hint still states the rules).

use leptos::prelude::*;

use crate::{components::form::FieldError, domain::strength, error::AppError};

/// `<input type=password>` plus the meter (empty until something is
/// typed), and the field's own error under it; `id` is also its name.
/// `error` is the form's error when it is about this field (a plain post
/// that failed comes back with it).
#[island]
pub fn PasswordField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] autocomplete: String,
    error: Option<AppError>,
) -> impl IntoView {
    let (value, set_value) = signal(String::new());
    let score = move || (!value.read().is_empty()).then(|| strength(&value.read()).to_string());
    let hint_id = format!("{id}-hint");
    let described = if error.is_some() {
        format!("{id}-error {hint_id}")
    } else {
        hint_id.clone()
    };
    let invalid = error.is_some().then_some("true");
    let error = Signal::stored(error);
    let text = move || {
        if value.read().is_empty() {
            crate::tr!(password.hint).to_owned()
        } else {
            let label = match strength(&value.read()) {
                0 => crate::tr!(password.too_weak),
                1 => crate::tr!(password.fair),
                2 => crate::tr!(password.good),
                3 => crate::tr!(password.strong),
                _ => crate::tr!(password.very_strong),
            };
            crate::tr!(password.strength, label = label)
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                name=id.clone()
                type="password"
                autocomplete=autocomplete
                required=true
                minlength="8"
                maxlength="128"
                aria-describedby=described
                aria-invalid=invalid
                on:input=move |ev| set_value.set(event_target_value(&ev))
            />
            <FieldError id error/>
            <div class="strength" data-score=score>
                <div class="strength-bar" aria-hidden="true"><div class="strength-fill"></div></div>
                <span id=hint_id class="strength-label" aria-live="polite">{text}</span>
            </div>
        </div>
    }
}
