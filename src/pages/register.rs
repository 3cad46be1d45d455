//! `/register`: create an account (and be signed in at once).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::auth::Register,
    browser::open,
    components::{
        form::{form_error, FormAlert, ProgressiveForm, SubmitButton},
        password_field::PasswordField,
    },
    domain::safe_next,
};

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let action = ServerAction::<Register>::new();
    let error = form_error(action);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            // A full load: the server renders the app with the new session.
            open(&safe_next(Some(&next())));
        }
    });

    view! {
        <Title text="Create an account"/>
        <section class="card narrow auth-card">
            <h1>"Create your account"</h1>
            <p class="muted">"One account, all your conversations."</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <input type="hidden" name="next" value=next/>
                <div class="field">
                    <label for="email">"E-mail"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required=true/>
                </div>
                <div class="field">
                    <label for="display_name">"Name " <span class="muted small">"(optional)"</span></label>
                    <input id="display_name" name="display_name" type="text" autocomplete="name" maxlength="64"/>
                </div>
                <div class="field">
                    <label for="phone">"Phone " <span class="muted small">"(optional)"</span></label>
                    <input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel"/>
                </div>
                <PasswordField id="password" name="password" label="Password" autocomplete="new-password"/>
                <SubmitButton pending=action.pending() idle="Create account" busy="Creating account…"/>
            </ProgressiveForm>
            <p class="form-footer">"Already have an account? " <A href="/login">"Sign in"</A></p>
        </section>
    }
}
