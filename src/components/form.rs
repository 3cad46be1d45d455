//! Pieces shared by the account forms.

use leptos::{form::FromFormData, prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_query_map;
use serde::de::DeserializeOwned;

use crate::{error::AppError, tr};

/// A form that posts to a server function: a plain `<form method=post>` that
/// works without JavaScript. Inside an island (the chat's) the submit
/// dispatches `action` without a reload; on a page without islands it stays
/// the plain form (the server answers with a redirect). Leptos' own
/// `ActionForm` only takes form-encoded server functions; ours accept JSON
/// too (see `api::codec`), so this takes any of them.
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

/// The form field an error is about, where it concerns one: the page
/// shows it there rather than above the form.
pub fn field_of(err: &AppError) -> Option<&'static str> {
    match err {
        AppError::InvalidEmail | AppError::EmailTaken => Some("email"),
        AppError::WeakPassword(_) => Some("password"),
        AppError::InvalidDisplayName => Some("display_name"),
        AppError::InvalidPhone => Some("phone"),
        _ => None,
    }
}

/// The alert box above a form, for errors that concern none of its
/// `fields` (those stand next to their field); nothing when there is
/// nothing to say. Each error comes in as a new `role=alert` element, which
/// screen readers announce, so a page has one alert at a time.
#[component]
pub fn FormAlert(
    message: impl Fn() -> Option<AppError> + Send + Sync + 'static,
    /// The fields of this form that show their own errors.
    #[prop(optional)]
    fields: &'static [&'static str],
) -> impl IntoView {
    let general = move || message().filter(|m| field_of(m).is_none_or(|f| !fields.contains(&f)));
    view! {
        <div class="form-alert">
            {move || general().map(|m| view! { <p class="alert alert-error" role="alert">{m.to_string()}</p> })}
        </div>
    }
}

/// The error of one field, when the form's error is about it: shown under
/// the field (whose `aria-describedby` names it), replacing the one before.
/// A taken e-mail address offers the two ways on.
#[component]
pub fn FieldError(
    /// The field's `name` (and `id`); the message's id is `<id>-error`.
    #[prop(into)]
    id: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div id=format!("{id}-error") class="field-error">
            {move || error.get().map(|err| view! {
                <p role="alert">{err.to_string()}</p>
                {matches!(err, AppError::EmailTaken).then(|| view! {
                    <p class="field-error-links">
                        <a href="/login">{tr!(common.sign_in)}</a>
                        " · "
                        <a href="/forgot-password">{tr!(forgot.title)}</a>
                    </p>
                })}
            })}
        </div>
    }
}

/// The form's error if it is about field `name`.
pub fn error_of(
    error: impl Fn() -> Option<AppError> + Send + Sync + 'static,
    name: &'static str,
) -> Signal<Option<AppError>> {
    Signal::derive(move || error().filter(|err| field_of(err) == Some(name)))
}

/// A labelled text input with its own error under it (`aria-invalid` and
/// `aria-describedby` while there is one), pre-filled with `value` (what a
/// failed plain post kept, see [`KeptFields`]).
#[component]
pub fn TextField(
    /// `id` and `name`.
    id: &'static str,
    label: &'static str,
    /// `email`, `text`, `tel`.
    kind: &'static str,
    autocomplete: &'static str,
    #[prop(optional)] optional: bool,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] value: String,
    /// The form's error when it is about this field; none for a field that
    /// never has one of its own.
    #[prop(optional)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let invalid = move || error.read().is_some();
    view! {
        <div class="field">
            <label for=id>
                {label}
                {optional.then(|| view! { " " <span class="muted small">{tr!(common.optional)}</span> })}
            </label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                required=!optional
                maxlength=maxlength
                inputmode=(kind == "tel").then_some("tel")
                value=value
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || invalid().then(|| format!("{id}-error"))
            />
            <FieldError id error/>
        </div>
    }
}

/// What the person typed into a form whose plain post (no JavaScript)
/// failed, for the page the post went back to: `edge::finish_keeping` puts
/// the fields (never a password or a token) in a cookie for 60 seconds,
/// the server reads them here as it renders that page, and forgets them.
/// The cookie is `HttpOnly`, so the browser's build sees none; it needs
/// none: hydration leaves the server's `value` attributes as they are.
#[derive(Clone, Debug, Default)]
pub struct KeptFields(Vec<(String, String)>);

impl KeptFields {
    /// The cookie's name.
    pub const COOKIE: &'static str = "palaver_form";

    /// Reads the cookie of the request being rendered, and has the
    /// response delete it.
    pub fn take() -> Self {
        #[cfg(feature = "ssr")]
        {
            let Some(raw) = crate::components::page_cookie(Self::COOKIE) else {
                return Self::default();
            };
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                let gone = format!(
                    "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
                    Self::COOKIE
                );
                if let Ok(gone) = http::HeaderValue::from_str(&gone) {
                    res.append_header(http::header::SET_COOKIE, gone);
                }
            }
            Self(
                url::form_urlencoded::parse(raw.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect(),
            )
        }
        #[cfg(not(feature = "ssr"))]
        Self::default()
    }

    /// What field `name` held; empty when nothing was kept.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
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
