//! Helpers for server functions: reaching the state, the session, the
//! signed-in user and the client address, and answering plain form posts
//! (JavaScript off) with redirects instead of JSON.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use http::{header, request::Parts, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

use super::{
    api_keys, auth,
    proxy::{client_ip as forwarded_client_ip, UNKNOWN_PEER},
    sign_outs::Credential,
    state::AppState,
};
use crate::{domain::User, error::AppError};

/// The application state provided to every server function.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server-function context");
        AppError::Internal
    })
}

/// The request's session.
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

/// The state and the signed-in user, for server functions that need an
/// account: [`AppError::Unauthorized`] without a valid session or API key.
pub async fn signed_in() -> Result<(AppState, User), AppError> {
    let (state, user, _) = caller().await?;
    Ok((state, user))
}

/// [`signed_in`], for calls that change the account: a person's session
/// only, never an API key (`403 session_required`).
pub async fn signed_in_person() -> Result<(AppState, User), AppError> {
    let (state, user, credential) = caller().await?;
    api_keys::require_session(&credential)?;
    Ok((state, user))
}

async fn caller() -> Result<(AppState, User, Credential), AppError> {
    let state = state()?;
    let headers = use_context::<Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let (user, credential) = auth::caller(&state, &headers, &session().await?).await?;
    Ok((state, user, credential))
}

/// The client's address, believing `X-Forwarded-For` only from trusted proxies.
pub async fn client_ip(state: &AppState) -> IpAddr {
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map_or(UNKNOWN_PEER, |ConnectInfo(addr)| addr.ip());
    match use_context::<Parts>() {
        Some(parts) => forwarded_client_ip(peer, &parts.headers, &state.settings.trusted_proxies),
        None => peer.to_canonical(),
    }
}

/// Where this request comes from, for a session about to start.
pub async fn client_meta(state: &AppState) -> auth::ClientMeta {
    let user_agent = use_context::<Parts>().and_then(|p| {
        p.headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    auth::ClientMeta {
        ip: client_ip(state).await,
        user_agent,
        now: state.clock.now(),
    }
}

/// [`signed_in`], for the admin's calls (an admin's API key works too):
/// `403 forbidden` for anyone who is not an admin.
pub async fn admin() -> Result<(AppState, User), AppError> {
    let (state, user) = signed_in().await?;
    super::admin::require_admin(&user)?;
    Ok((state, user))
}

/// Sets the status of a successful answer (e.g. 201).
pub fn set_status(status: StatusCode) {
    if let Some(res) = use_context::<ResponseOptions>() {
        res.set_status(status);
    }
}

/// Longest value of a field kept for the page a failed post goes back to.
const MAX_KEPT_CHARS: usize = 256;

fn keep_fields(kept: &[(&str, &str)]) {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in kept {
        form.append_pair(
            name,
            &value.chars().take(MAX_KEPT_CHARS).collect::<String>(),
        );
    }
    let secure = state().is_ok_and(|s| s.settings.is_production());
    let cookie = format!(
        "{}={}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax{}",
        crate::components::form::KeptFields::COOKIE,
        form.finish(),
        if secure { "; Secure" } else { "" }
    );
    if let (Some(res), Ok(cookie)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        res.append_header(header::SET_COOKIE, cookie);
    }
}

/// For a plain form post that succeeded: `fields` for the page it is sent
/// to, through the same one-read cookie as [`finish_keeping`]'s. Nothing
/// for JSON callers, who have the answer.
pub fn keep_for_next_page(fields: &[(&str, &str)]) {
    if is_plain_form_post() {
        keep_fields(fields);
    }
}

/// True for a browser form post without JavaScript: it asks for HTML, not JSON.
fn is_plain_form_post() -> bool {
    use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// Finishes a server function. JSON callers get the result as it is. A plain
/// form post is redirected: on success to `ok_to`, on failure back to `back`
/// with `error=<code>` in the query, which the page turns into a message.
pub fn finish<T>(result: Result<T, AppError>, ok_to: &str, back: &str) -> Result<T, AppError> {
    finish_keeping(result, ok_to, back, &[])
}

/// [`finish`], and when a plain form post fails, `kept` (what was typed in
/// its fields, never a password or token) goes back too, in a cookie of 60
/// seconds that the page reads once as it renders (see
/// `components::form::KeptFields`): not in the address, where it would be
/// logged.
pub fn finish_keeping<T>(
    result: Result<T, AppError>,
    ok_to: &str,
    back: &str,
    kept: &[(&str, &str)],
) -> Result<T, AppError> {
    if is_plain_form_post() {
        if result.is_err() && !kept.is_empty() {
            keep_fields(kept);
        }
        let target = match &result {
            Ok(_) => ok_to.to_owned(),
            Err(err) => {
                let sep = if back.contains('?') { '&' } else { '?' };
                // A weak password's reason is one of a few fixed words, so
                // the page can say which rule it broke.
                match err {
                    AppError::WeakPassword(Some(reason)) => {
                        format!("{back}{sep}error={}&reason={}", err.code(), reason.as_str())
                    }
                    _ => format!("{back}{sep}error={}", err.code()),
                }
            }
        };
        // 303: the browser follows with a GET, never re-posting the form.
        if let Some(res) = use_context::<ResponseOptions>() {
            res.set_status(StatusCode::SEE_OTHER);
            if let Ok(location) = http::HeaderValue::from_str(&target) {
                res.insert_header(header::LOCATION, location);
            }
        }
    }
    result
}
