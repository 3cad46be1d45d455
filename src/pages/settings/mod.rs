//! `/settings`: the signed-in person's own account: profile, password,
//! the chat's default system prompt, sessions, two-factor sign-in, API
//! keys, security events, deleting the account.
//! The page has no islands: every form is a plain post, answered with a
//! redirect; a failed post comes back as
//! `/settings?form=<which>&error=<code>`, so only the form that failed
//! shows the error.

mod chat;
mod keys;
mod mfa;
mod sessions;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::account::{ChangePassword, DeleteAccount, UpdateProfile},
    components::{
        form::{FormAlert, ProgressiveForm, SubmitButton},
        session::use_auth,
    },
    error::AppError,
    tr,
};

/// The error of one form: its last failed submission, or the code of a
/// plain post that came back for this form (`?form=` names it).
pub(crate) fn section_error<S>(
    action: ServerAction<S>,
    form: &'static str,
) -> impl Fn() -> Option<AppError> + Copy + Send + Sync + 'static
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    let value = action.value();
    // `try_`: leaving the page (signing out from it) disposes the action
    // while a view that reads it may still run once; that reads nothing.
    move || match value.try_get().flatten() {
        Some(Err(err)) => Some(err),
        Some(Ok(_)) => None,
        None => query
            .try_with(|query| {
                (query.get("form").as_deref() == Some(form))
                    .then(|| query.get("error"))
                    .flatten()
                    .map(|code| AppError::from_query(&code, query.get("reason").as_deref()))
            })
            .flatten(),
    }
}

/// Whether a plain post for `done` just succeeded, or `action` did.
pub(crate) fn done<S>(action: ServerAction<S>, done: &'static str) -> impl Fn() -> bool + Copy
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    let value = action.value();
    move || {
        matches!(value.try_get().flatten(), Some(Ok(_)))
            || query
                .try_with(|query| query.get("done").as_deref() == Some(done))
                .unwrap_or(false)
    }
}

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text=tr!(settings.title)/>
        <div class="settings">
            <h1>{tr!(settings.title)}</h1>
            <Profile/>
            <Password/>
            <chat::ChatDefaults/>
            <mfa::TwoFactor/>
            <sessions::Sessions/>
            <keys::ApiKeys/>
            <sessions::Events/>
            <DeleteAccount/>
        </div>
    }
}

#[component]
fn Profile() -> impl IntoView {
    let auth = use_auth();
    let action = ServerAction::<UpdateProfile>::new();
    let error = section_error(action, "profile");
    let saved = done(action, "profile");
    let user = move || auth.user.get().and_then(Result::ok).map(|me| me.user);
    view! {
        <section class="card settings-card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{tr!(settings.profile)}</h2>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <Show when=saved>
                    <p class="alert alert-success" role="status">{tr!(settings.saved)}</p>
                </Show>
                <Suspense fallback=|| ()>
                    {move || user().map(|user| view! {
                        <p class="muted">{tr!(common.email)} ": " {user.email.clone()}</p>
                        <div class="field">
                            <label for="display_name">{tr!(register.name)}</label>
                            <input id="display_name" name="display_name" type="text" autocomplete="name"
                                maxlength="80" required=true value=user.display_name.clone()/>
                        </div>
                        <div class="field">
                            <label for="phone">{tr!(register.phone)} " " <span class="muted small">{tr!(common.optional)}</span></label>
                            <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel"
                                value=user.phone.clone().unwrap_or_default()/>
                        </div>
                    })}
                </Suspense>
                <SubmitButton pending=action.pending() idle=tr!(settings.save) busy=tr!(settings.saving)/>
            </ProgressiveForm>
        </section>
    }
}

#[component]
fn Password() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = section_error(action, "password");
    let changed = done(action, "password");
    view! {
        <section class="card settings-card" aria-labelledby="password-heading">
            <h2 id="password-heading">{tr!(settings.password)}</h2>
            <p class="muted">{tr!(settings.password_lead)}</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <Show when=changed>
                    <p class="alert alert-success" role="status">{tr!(settings.password_changed)}</p>
                </Show>
                <div class="field">
                    <label for="current_password">{tr!(settings.current_password)}</label>
                    <input id="current_password" name="current_password" type="password"
                        autocomplete="current-password" required=true/>
                </div>
                <div class="field">
                    <label for="new_password">{tr!(settings.new_password)}</label>
                    <input id="new_password" name="new_password" type="password"
                        autocomplete="new-password" required=true minlength="8"/>
                </div>
                <SubmitButton pending=action.pending() idle=tr!(settings.change_password) busy=tr!(settings.saving)/>
            </ProgressiveForm>
        </section>
    }
}

#[component]
fn DeleteAccount() -> impl IntoView {
    let action = ServerAction::<DeleteAccount>::new();
    let error = section_error(action, "delete");
    view! {
        <section class="card settings-card danger-zone" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{tr!(settings.delete)}</h2>
            <p class="muted">{tr!(settings.delete_lead)}</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <div class="field">
                    <label for="delete_password">{tr!(common.password)}</label>
                    <input id="delete_password" name="password" type="password"
                        autocomplete="current-password" required=true/>
                </div>
                <button type="submit" class="btn btn-danger" disabled=move || action.pending().get()>
                    {tr!(settings.delete_button)}
                </button>
            </ProgressiveForm>
        </section>
    }
}
