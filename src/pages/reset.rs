//! `/reset-password?token=...`: choose a new password. The page is served
//! with `Referrer-Policy: same-origin`, and once the browser has the page it
//! drops the token from the address bar.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::password::ResetPassword,
    browser::{self, open},
    components::{
        form::{form_error, FormAlert, ProgressiveForm, SubmitButton},
        password_field::PasswordField,
    },
    error::AppError,
};

/// The page that the reset mail links to.
#[component]
pub fn ResetPage() -> impl IntoView {
    let query = use_query_map();
    // Read once: the address bar is cleaned below, and the form keeps it.
    let token = query.get_untracked().get("token").unwrap_or_default();
    let action = ServerAction::<ResetPassword>::new();
    let error = form_error(action);
    let link_dead = move || matches!(error(), Some(AppError::InvalidToken));
    Effect::new(move |_| {
        browser::replace_url("/reset-password");
        if let Some(Ok(_)) = action.value().get() {
            open("/login?reset=1");
        }
    });
    let has_token = !token.is_empty();
    let token = StoredValue::new(token);

    view! {
        <Title text="Choose a new password"/>
        <section class="card narrow auth-card">
            <h1>"Choose a new password"</h1>
            <Show
                when=move || has_token
                fallback=|| view! {
                    <p class="alert alert-error" role="alert">{AppError::InvalidToken.to_string()}</p>
                    <A href="/forgot-password" attr:class="btn btn-primary btn-block">"Ask for a new link"</A>
                }
            >
                <ProgressiveForm action=action class="form">
                    <FormAlert message=error/>
                    <Show when=link_dead>
                        <A href="/forgot-password" attr:class="btn btn-ghost btn-block">"Ask for a new link"</A>
                    </Show>
                    <input type="hidden" name="token" value=move || token.get_value()/>
                    <PasswordField id="password" name="password" label="New password" autocomplete="new-password"/>
                    <SubmitButton pending=action.pending() idle="Set new password" busy="Saving…"/>
                </ProgressiveForm>
                <p class="muted small">"Every device signed in to your account will be signed out."</p>
            </Show>
        </section>
    }
}
