//! `/forgot-password`: ask for a reset link. The answer is the same whether
//! or not the address has an account.

use leptos::prelude::*;

use crate::tr;
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
        <Title text=tr!(forgot.title)/>
        <section class="card narrow auth-card">
            <h1>{tr!(forgot.title)}</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p class="muted">{tr!(forgot.lead)}</p>
                    <ProgressiveForm action=action class="form">
                        <FormAlert message=error/>
                        <TextField id="identifier" label=tr!(common.email) kind="email" autocomplete="username" value=kept.get_value()/>
                        <SubmitButton pending=action.pending() idle=tr!(forgot.submit) busy=tr!(forgot.submitting)/>
                    </ProgressiveForm>
                }
            >
                <div role="status" class="alert alert-success">
                    {tr!(forgot.sent)}
                </div>
            </Show>
            <p class="form-footer"><A href="/login">{tr!(forgot.back)}</A></p>
        </section>
    }
}
