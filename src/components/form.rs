//! Pieces shared by the account forms.

use leptos::{form::FromFormData, prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_query_map;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A form that posts to a server function: a plain `<form method=post>` that
/// works without JavaScript, and with it, a dispatch of `action` without a
/// reload. Leptos' own `ActionForm` only takes form-encoded server functions;
/// ours accept JSON too (see `api::codec`), so this takes any of them.
#[component]
pub fn ProgressiveForm<S>(
    action: ServerAction<S>,
    #[prop(optional, into)] class: String,
    children: Children,
) -> impl IntoView
where
    S: ServerFn<Error = AppError> + DeserializeOwned + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return; // no double submit
        }
        match S::from_event(&ev) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(err) => {
                leptos::logging::error!("form fields do not fit the server function: {err}");
            }
        }
    };
    view! {
        <form action=S::url() method="post" class=class on:submit=on_submit>
            {children()}
        </form>
    }
}

/// The error to show above a form: the last failed submission (with
/// JavaScript, or decoded by Leptos from `?__err=` after a plain post), else
/// the `error` code a no-JavaScript redirect put in the URL. Either way the
/// error is rebuilt from its code, so the URL cannot choose the words.
pub fn form_error<S>(
    action: ServerAction<S>,
) -> impl Fn() -> Option<AppError> + Copy + Send + Sync + 'static
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    let value = action.value();
    move || match value.get() {
        Some(Err(err)) => Some(err),
        Some(Ok(_)) => None,
        None => {
            let query = query.read();
            query
                .get("error")
                .map(|code| AppError::from_query(&code, query.get("reason").as_deref()))
        }
    }
}

/// The alert box; empty when there is nothing to say. It is a live region,
/// so screen readers announce errors as they appear.
#[component]
pub fn FormAlert(message: impl Fn() -> Option<AppError> + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div role="alert" aria-live="assertive">
            {move || message().map(|m| view! { <p class="alert alert-error">{m.to_string()}</p> })}
        </div>
    }
}

/// A submit button that shows progress and cannot be pressed twice.
#[component]
pub fn SubmitButton(
    pending: Memo<bool>,
    #[prop(into)] idle: String,
    #[prop(into)] busy: String,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="btn btn-primary btn-block"
            disabled=move || pending.get()
            aria-busy=move || pending.get().to_string()
        >
            {move || if pending.get() { busy.clone() } else { idle.clone() }}
        </button>
    }
}
