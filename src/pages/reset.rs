//! `/reset-password?token=...`: choose a new password. The page is served
//! with `Referrer-Policy: same-origin`, and once the browser has the page it
//! drops the token from the address bar. A link that no longer works gets
//! a page that says so.

use leptos::prelude::*;

use crate::tr;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::password::{check_reset_link, ResetPassword},
    browser,
    components::{
        form::{error_of, form_error, FormAlert, ProgressiveForm, SubmitButton},
        password_field::PasswordField,
    },
    error::AppError,
};

/// The page that the reset mail links to. A link that no longer works
/// (used, expired, never issued) shows a page that says so, with a way to
/// ask for a new one, not a form that cannot succeed: the server checks the
/// token (its hash, without using it) as it renders.
#[component]
pub fn ResetPage() -> impl IntoView {
    let query = use_query_map();
    // Read once: the address bar is cleaned below, and the form keeps it.
    let token = StoredValue::new(query.get_untracked().get("token").unwrap_or_default());
    let action = ServerAction::<ResetPassword>::new();
    let error = form_error(action);
    let link = Resource::new(
        || (),
        move |_| {
            let token = token.get_value();
            async move {
                if token.is_empty() {
                    return Ok(false);
                }
                check_reset_link(token).await.map(|state| state.valid)
            }
        },
    );
    let link_dead = move || {
        matches!(error(), Some(AppError::InvalidToken)) || matches!(link.get(), Some(Ok(false)))
    };

    view! {
        <CleanAddress/>
        <section class="card narrow auth-card">
            <Suspense fallback=|| view! { <p class="muted">{tr!(reset.checking)}</p> }>
                {move || link.get().map(|_| view! {
                    <Show when=move || !link_dead() fallback=|| view! { <DeadLink/> }>
                        <Title text=tr!(reset.title)/>
                        <h1>{tr!(reset.title)}</h1>
                        <ProgressiveForm action=action class="form">
                            <FormAlert message=error fields=&["password"]/>
                            <input type="hidden" name="token" value=move || token.get_value()/>
                            <PasswordField id="password" label=tr!(reset.new_password) autocomplete="new-password"
                                error=error_of(error, "password").get_untracked()/>
                            <SubmitButton pending=action.pending() idle=tr!(reset.submit) busy=tr!(reset.submitting)/>
                        </ProgressiveForm>
                        <p class="muted small">{tr!(reset.signs_out)}</p>
                    </Show>
                })}
            </Suspense>
        </section>
    }
}

/// Takes the token out of the address bar (and the history) once the
/// page is in the browser; the form keeps it. Needs the WASM bundle.
#[island]
fn CleanAddress() -> impl IntoView {
    Effect::new(|_| browser::replace_url("/reset-password"));
}

/// What a link that no longer works shows.
#[component]
fn DeadLink() -> impl IntoView {
    view! {
        <Title text=tr!(reset.dead_title)/>
        <h1>{tr!(reset.dead_title)}</h1>
        <p class="alert alert-error" role="alert">{AppError::InvalidToken.to_string()}</p>
        <p class="muted">{tr!(reset.dead_lead)}</p>
        <A href="/forgot-password" attr:class="btn btn-primary btn-block">{tr!(reset.ask_again)}</A>
    }
}
