//! The API keys of `/settings`: the person's keys (name, when made, when
//! last used), making one (the key is shown once, in `#new-api-key`) and
//! revoking one. Every form is a plain post without JavaScript; a key made
//! so reaches the page after the redirect through the one-read cookie of
//! kept fields, never the address.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{done, section_error};
use crate::{
    api::keys::{list_api_keys, CreateApiKey, RevokeApiKey, KEPT_KEY, KEPT_NAME},
    components::form::{FormAlert, KeptFields, ProgressiveForm, SubmitButton},
    domain::{
        account::{ApiKeyRow, MAX_API_KEYS, MAX_API_KEY_NAME_CHARS},
        dates,
    },
    error::AppError,
    tr,
};

/// The error of the form that makes keys. A plain post's redirect carries
/// only the code, and `AppError::from_query` makes up no number; the
/// limits are constants of the domain, so this page can state them.
fn create_error(
    action: ServerAction<CreateApiKey>,
) -> impl Fn() -> Option<AppError> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    let error = section_error(action, "api_keys");
    move || {
        let err = error()?;
        let from_url = action.value().try_with(Option::is_none).unwrap_or(true);
        let code = query.try_with(|q| q.get("error")).flatten();
        Some(match code.as_deref() {
            Some("invalid_key_name") if from_url => AppError::InvalidKeyName {
                max: MAX_API_KEY_NAME_CHARS,
            },
            Some("too_many_keys") if from_url => AppError::TooManyKeys { max: MAX_API_KEYS },
            _ => err,
        })
    }
}

/// The API keys section.
#[component]
pub fn ApiKeys() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let error = create_error(create);
    let revoke_error = section_error(revoke, "api_key_revoke");
    let revoked = done(revoke, "api_key_revoked");
    let kept = KeptFields::take();
    // The key just made: from the post's redirect (kept for one read).
    let new_key = RwSignal::new(Some(kept.get(KEPT_KEY)).filter(|k| !k.is_empty()));
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let invalid = move || error().is_some();
    view! {
        <section class="card settings-card" aria-labelledby="api-keys-heading">
            <h2 id="api-keys-heading">{tr!(settings.keys)}</h2>
            <p class="muted">{tr!(settings.keys_lead)}</p>
            <Show when=move || new_key.read().is_some()>
                <div class="alert alert-success" role="status">
                    <p>{tr!(settings.key_made)}</p>
                    <p><code id="new-api-key" class="secret">{move || new_key.get().unwrap_or_default()}</code></p>
                </div>
            </Show>
            <FormAlert message=revoke_error/>
            <Show when=revoked>
                <p class="alert alert-success" role="status">{tr!(settings.key_revoked)}</p>
            </Show>
            <Suspense fallback=|| view! { <p class="muted">{tr!(settings.loading)}</p> }>
                {move || keys.get().map(|answer| match answer {
                    Ok(list) if list.keys.is_empty() => view! { <p class="muted">{tr!(settings.no_keys)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="session-list">
                            {list.keys.into_iter().map(|key| view! { <Key row=key revoke/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => view! { <p class="alert alert-error" role="alert">{err.to_string()}</p> }.into_any(),
                })}
            </Suspense>
            <ProgressiveForm action=create class="form">
                <FormAlert message=error/>
                <div class="field">
                    <label for="api_key_name">{tr!(settings.key_name)}</label>
                    <input id="api_key_name" name="name" type="text" autocomplete="off" required=true
                        maxlength=MAX_API_KEY_NAME_CHARS.to_string() value=kept.get(KEPT_NAME)
                        aria-invalid=move || invalid().then_some("true")/>
                </div>
                <SubmitButton pending=create.pending() idle=tr!(settings.create_key) busy=tr!(settings.saving)/>
            </ProgressiveForm>
        </section>
    }
}

/// One key of the list, with its Revoke button.
#[component]
fn Key(row: ApiKeyRow, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let key = row;
    let made = dates::format_utc(key.created_at);
    let used = key
        .last_used_at
        .map_or_else(|| tr!(settings.key_never).to_owned(), dates::format_utc);
    view! {
        <li class="session">
            <div>
                <strong>{key.name}</strong>
                <p class="muted small">{tr!(settings.key_meta, hint = key.hint, made = made, used = used)}</p>
            </div>
            <ProgressiveForm action=revoke>
                <input type="hidden" name="id" value=key.id.to_string()/>
                <button type="submit" class="btn btn-ghost" disabled=move || revoke.pending().get()>
                    {tr!(settings.revoke_key)}
                </button>
            </ProgressiveForm>
        </li>
    }
}
