//! `/mfa`: the second step of signing in, for accounts with two-factor
//! sign-in on. Works as a plain form post without JavaScript.

use leptos::prelude::*;

use crate::tr;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::auth::MfaVerify,
    components::form::{form_error, FormAlert, ProgressiveForm, SubmitButton},
};

/// The "enter your code" page.
#[component]
pub fn MfaPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let action = ServerAction::<MfaVerify>::new();
    let error = form_error(action);
    view! {
        <Title text=tr!(mfa.title)/>
        <section class="card narrow auth-card">
            <h1>{tr!(mfa.title)}</h1>
            <p class="muted">{tr!(mfa.lead)}</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <input type="hidden" name="next" value=next/>
                <div class="field">
                    <label for="code">{tr!(mfa.code)}</label>
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                        required=true autofocus=true maxlength="32" aria-describedby="code-hint"/>
                    <p id="code-hint" class="muted small">{tr!(mfa.hint)}</p>
                </div>
                <SubmitButton pending=action.pending() idle=tr!(mfa.submit) busy=tr!(mfa.submitting)/>
            </ProgressiveForm>
            <p class="form-footer"><A href="/login">{tr!(mfa.back)}</A></p>
        </section>
    }
}
