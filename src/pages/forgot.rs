//! `/forgot-password`: ask for a reset link. The answer is the same whether
//! or not the address has an account.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::password::ForgotPassword,
    components::form::{
        form_error, FormAlert, KeptFields, ProgressiveForm, SubmitButton, TextField,
    },
};

/// The "forgot your password?" page.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let query = use_query_map();
    let action = ServerAction::<ForgotPassword>::new();
    let error = form_error(action);
    let kept = StoredValue::new(KeptFields::take().get("identifier"));
    let sent =
        move || matches!(action.value().get(), Some(Ok(_))) || query.read().get("sent").is_some();
    view! {
        <Title text="Reset your password"/>
        <section class="card narrow auth-card">
            <h1>"Reset your password"</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p class="muted">"Enter the e-mail address of your account and we will send you a link to choose a new password."</p>
                    <ProgressiveForm action=action class="form">
                        <FormAlert message=error/>
                        <TextField id="identifier" label="E-mail" kind="email" autocomplete="username" value=kept.get_value()/>
                        <SubmitButton pending=action.pending() idle="Send reset link" busy="Sending…"/>
                    </ProgressiveForm>
                }
            >
                <div role="status" class="alert alert-success">
                    "If an account exists for that address, a reset link is on its way. It works once, for a limited time. Check your spam folder too."
                </div>
            </Show>
            <p class="form-footer"><A href="/login">"Back to sign in"</A></p>
        </section>
    }
}
