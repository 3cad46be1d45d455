//! The language of each request (`crate::lang`): a middleware decides it
//! once, from the `lang` cookie or `Accept-Language`, for everything the
//! request answers (pages, JSON errors); and `POST /lang` is the header's
//! switch without JavaScript.

use axum::{
    extract::{rejection::FormRejection, Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::{IntoResponse, Response},
    Form,
};
use leptos_i18n::Locale as _; // as_str
use serde::Deserialize;

use super::state::AppState;
use crate::{
    domain::cookie_value,
    error::AppError,
    lang::{self, Locale},
};

/// The language a request asks for.
pub fn of_request(headers: &http::HeaderMap) -> Locale {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie_value(h, lang::COOKIE));
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    lang::negotiate(cookie, accept)
}

/// Decides the language, puts it in the request's extensions (for the page
/// render and handlers) and in scope for whatever answers; says it in
/// `Content-Language`, and that the answer varies with the header.
pub async fn middleware(mut req: Request, next: Next) -> Response {
    let locale = of_request(req.headers());
    req.extensions_mut().insert(locale);
    let mut res = lang::scope(locale, next.run(req)).await;
    let headers = res.headers_mut();
    if !headers.contains_key(header::CONTENT_LANGUAGE) {
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(locale.as_str()),
        );
    }
    headers.append(header::VARY, HeaderValue::from_static("accept-language"));
    res
}

/// The switch's form: `lang=en|zh-CN|vi`, and the page to go back to.
#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    next: Option<String>,
}

/// Sets the cookie and answers `303` back to `next` (a path of this site
/// only); `400 bad_request` for a language this site does not have.
pub async fn set_lang(
    State(state): State<AppState>,
    form: Result<Form<LangForm>, FormRejection>,
) -> Response {
    let chosen = form
        .ok()
        .and_then(|Form(form)| Some((lang::parse_tag(&form.lang)?, form.next)));
    let Some((locale, next)) = chosen else {
        return AppError::BadRequest("The language must be en, zh-CN or vi".into()).into_response();
    };
    super::theme::remember_and_go_back(
        lang::cookie(locale, state.settings.is_production()),
        next.as_deref(),
    )
}
