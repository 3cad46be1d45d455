//! `/register`: create an account (and be signed in at once). A plain form
//! post; its one island is the password strength meter.

use leptos::prelude::*;

use crate::tr;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::auth::Register,
    components::{
        form::{
            error_of, form_error, FormAlert, KeptFields, ProgressiveForm, SubmitButton, TextField,
        },
        password_field::PasswordField,
    },
};

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let action = ServerAction::<Register>::new();
    let error = form_error(action);
    let kept = KeptFields::take();

    view! {
        <Title text=tr!(register.title)/>
        <section class="card narrow auth-card">
            <h1>{tr!(register.heading)}</h1>
            <p class="muted">{tr!(register.lead)}</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error fields=&["email", "display_name", "phone", "password"]/>
                <input type="hidden" name="next" value=next/>
                <TextField id="email" label=tr!(common.email) kind="email" autocomplete="email"
                    value=kept.get("email") error=error_of(error, "email")/>
                <TextField id="display_name" label=tr!(register.name) kind="text" autocomplete="name" optional=true maxlength=64
                    value=kept.get("display_name") error=error_of(error, "display_name")/>
                <TextField id="phone" label=tr!(register.phone) kind="tel" autocomplete="tel" optional=true
                    value=kept.get("phone") error=error_of(error, "phone")/>
                <PasswordField id="password" label=tr!(common.password) autocomplete="new-password" error=error_of(error, "password").get_untracked()/>
                <SubmitButton pending=action.pending() idle=tr!(register.submit) busy=tr!(register.submitting)/>
            </ProgressiveForm>
            <p class="form-footer">{tr!(register.have_account)}" " <A href="/login">{tr!(common.sign_in)}</A></p>
        </section>
    }
}
