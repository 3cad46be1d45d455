//! `/login`: sign in. Works as a plain form post without JavaScript; with it,
//! errors show inline and the app opens without a reload.

use leptos::prelude::*;

use crate::tr;
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
        if let Some(Ok(done)) = action.value().get() {
            let next = safe_next(Some(&next()));
            if done.mfa_required {
                open(&format!("/mfa?next={}", crate::domain::urlencoding(&next)));
            } else {
                // A full load: the server renders the app with the new session.
                open(&next);
            }
        }
    });

    view! {
        <Title text=tr!(login.title)/>
        <section class="card narrow auth-card">
            <h1>{tr!(login.heading)}</h1>
            <p class="muted">{tr!(login.lead)}</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <Show when=move || query.read().get("reset").is_some()>
                    <p class="alert alert-success" role="status">{tr!(login.password_changed)}</p>
                </Show>
                <input type="hidden" name="next" value=next/>
                <TextField id="identifier" label=tr!(common.email) kind="email" autocomplete="username" value=kept.get("identifier")/>
                <div class="field">
                    <label for="password">{tr!(common.password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required=true/>
                </div>
                <SubmitButton pending=action.pending() idle=tr!(login.submit) busy=tr!(login.submitting)/>
            </ProgressiveForm>
            <p class="form-footer">
                <A href="/register">{tr!(login.create_account)}</A>
                " · "
                <A href="/forgot-password">{tr!(login.forgot)}</A>
            </p>
        </section>
    }
}
