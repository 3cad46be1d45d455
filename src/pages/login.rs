//! `/login`: sign in. A plain form post, rendered on the server only (no
//! islands, no script): the server answers it with a redirect to `next`
//! (or `/mfa`), or back here with the error's code.

use leptos::prelude::*;

use crate::tr;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::auth::Login,
    components::form::{
        form_error, FormAlert, KeptFields, ProgressiveForm, SubmitButton, TextField,
    },
};

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let action = ServerAction::<Login>::new();
    let error = form_error(action);
    let kept = KeptFields::take();

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
