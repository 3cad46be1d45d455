//! `/login`: sign in. Works as a plain form post without JavaScript; with it,
//! errors show inline and the app opens without a reload.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::auth::Login,
    browser::open,
    components::form::{
        form_error, FormAlert, KeptFields, ProgressiveForm, SubmitButton, TextField,
    },
    domain::safe_next,
};

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let action = ServerAction::<Login>::new();
    let error = form_error(action);
    let kept = KeptFields::take();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            // A full load: the server renders the app with the new session.
            open(&safe_next(Some(&next())));
        }
    });

    view! {
        <Title text="Sign in"/>
        <section class="card narrow auth-card">
            <h1>"Sign in to Palaver"</h1>
            <p class="muted">"Chat with a language model, on your own server."</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <Show when=move || query.read().get("reset").is_some()>
                    <p class="alert alert-success" role="status">"Your password was changed. Sign in with the new one."</p>
                </Show>
                <input type="hidden" name="next" value=next/>
                <TextField id="identifier" label="E-mail" kind="email" autocomplete="username" value=kept.get("identifier")/>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required=true/>
                </div>
                <SubmitButton pending=action.pending() idle="Sign in" busy="Signing in…"/>
            </ProgressiveForm>
            <p class="form-footer">
                <A href="/register">"Create an account"</A>
                " · "
                <A href="/forgot-password">"Forgot your password?"</A>
            </p>
        </section>
    }
}
