//! The account pages that a signed-out visitor opens without a query
//! (`/login`, `/register`, `/forgot-password`) are the same bytes every
//! time but for the CSP nonce of their one inline script. They are
//! rendered once per theme and language and kept in memory, with a placeholder where
//! the nonce goes; each response gets a fresh nonce put in, in the page and
//! in its `Content-Security-Policy` header, so the policy stays as strict
//! as a rendered page's.
//!
//! Anything that could make the page differ is rendered as usual, never
//! cached: a query (`?error=`, `?next=`), a session cookie (even a stale
//! one: the header may name the user), the cookie of a refused form's kept
//! fields, a response that sets a cookie or is not a `200` page.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};

use super::state::AppState;
use crate::{
    components::{form::KeptFields, theme::Theme},
    domain::cookie_value,
    lang::Locale,
};

/// The pages kept.
const PAGES: [&str; 3] = ["/login", "/register", "/forgot-password"];

/// Largest page kept (they are about 10 KB).
const MAX_PAGE_BYTES: usize = 256 * 1024;

/// Tells the shell to render with this nonce instead of a random one (a
/// request extension, set here and for the 404 page).
#[derive(Clone, Debug)]
pub struct RenderNonce(pub Arc<str>);

/// What a kept page varies by: its path, theme and language.
type Key = (&'static str, Theme, Locale);

/// The kept pages, by [`Key`], and the placeholder they carry.
#[derive(Debug)]
pub struct PageCache {
    /// A nonce made at start-up: as long as a real one, and random, so no
    /// page text can be mistaken for it.
    placeholder: Arc<str>,
    pages: RwLock<HashMap<Key, Arc<Kept>>>,
}

#[derive(Debug)]
struct Kept {
    status: StatusCode,
    headers: HeaderMap,
    /// The body cut where the placeholder was (once, when it is kept), so
    /// a response only joins the pieces around its nonce.
    pieces: Vec<Bytes>,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            placeholder: new_nonce(),
            pages: RwLock::default(),
        }
    }
}

impl PageCache {
    /// How many pages are kept.
    pub fn len(&self) -> usize {
        self.pages.read().map_or(0, |p| p.len())
    }

    /// True before any page is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A fresh script nonce (as Leptos makes them: 128 random bits, base64url).
pub fn new_nonce() -> Arc<str> {
    leptos::nonce::Nonce::new().as_inner().clone()
}

/// The middleware (inside the page guard, so signed-in visitors of
/// `/login` are redirected before it).
pub async fn serve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(key) = cacheable(&req, &state.settings.cookie_name) else {
        return next.run(req).await;
    };
    let cache = &state.page_cache;
    let kept = cache.pages.read().ok().and_then(|p| p.get(&key).cloned());
    let kept = match kept {
        Some(kept) => kept,
        None => {
            req.extensions_mut()
                .insert(RenderNonce(cache.placeholder.clone()));
            let res = next.run(req).await;
            match read_page(res, &cache.placeholder).await {
                Ok((kept, true)) => {
                    let kept = Arc::new(kept);
                    if let Ok(mut pages) = cache.pages.write() {
                        pages.insert(key, kept.clone());
                    }
                    kept
                }
                // A page not to keep still goes out with a nonce of its own.
                Ok((page, false)) => Arc::new(page),
                Err(res) => return res,
            }
        }
    };
    with_nonce(&kept, &cache.placeholder, &new_nonce())
}

/// The key of a request whose page can come from the cache.
fn cacheable(req: &Request, session_cookie: &str) -> Option<Key> {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return None;
    }
    let path = PAGES.into_iter().find(|p| *p == req.uri().path())?;
    let cookies: Vec<&str> = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let has = |name: &str| cookies.iter().any(|c| cookie_value(c, name).is_some());
    if has(session_cookie) || has(KeptFields::COOKIE) {
        return None;
    }
    let theme = cookies
        .iter()
        .map(|c| Theme::from_cookie_header(c))
        .find(|t| *t != Theme::System)
        .unwrap_or_default();
    // Decided by server::lang, which runs first.
    let locale = req
        .extensions()
        .get::<Locale>()
        .copied()
        .unwrap_or_default();
    Some((path, theme, locale))
}

/// An HTML response read whole, and whether it may be kept (a `200` that
/// sets no cookie); anything else comes back as it was.
async fn read_page(res: Response, placeholder: &str) -> Result<(Kept, bool), Response> {
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if !is_html {
        return Err(res);
    }
    let keep = res.status() == StatusCode::OK && !res.headers().contains_key(header::SET_COOKIE);
    let (parts, body) = res.into_parts();
    match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(body) => {
            let mut headers = parts.headers;
            headers.remove(header::CONTENT_LENGTH);
            Ok((
                Kept {
                    status: parts.status,
                    headers,
                    pieces: split(&body, placeholder.as_bytes()),
                },
                keep,
            ))
        }
        Err(e) => {
            tracing::warn!(error = %e, "a page could not be read");
            let mut res = Response::new(Body::empty());
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            Err(res)
        }
    }
}

/// A kept page with `nonce` where `placeholder` was, in the body and in
/// every header (the CSP).
fn with_nonce(kept: &Kept, placeholder: &str, nonce: &str) -> Response {
    let len = kept.pieces.iter().map(Bytes::len).sum::<usize>()
        + nonce.len() * kept.pieces.len().saturating_sub(1);
    let mut body = Vec::with_capacity(len);
    for (i, piece) in kept.pieces.iter().enumerate() {
        if i > 0 {
            body.extend_from_slice(nonce.as_bytes());
        }
        body.extend_from_slice(piece);
    }
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = kept.status;
    for (name, value) in &kept.headers {
        let value = value
            .to_str()
            .ok()
            .filter(|v| v.contains(placeholder))
            .and_then(|v| HeaderValue::from_str(&v.replace(placeholder, nonce)).ok())
            .unwrap_or_else(|| value.clone());
        res.headers_mut().append(name, value);
    }
    res
}

/// `text` cut at each `mark` (which is dropped).
fn split(text: &Bytes, mark: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + mark.len() <= text.len() {
        if &text[i..i + mark.len()] == mark {
            pieces.push(text.slice(start..i));
            i += mark.len();
            start = i;
        } else {
            i += 1;
        }
    }
    pieces.push(text.slice(start..));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_gets_the_nonce() {
        let page = |body: &'static str| Kept {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            pieces: split(&Bytes::from_static(body.as_bytes()), b"XY"),
        };
        let body = |kept: &Kept| {
            let res = with_nonce(kept, "XY", "n0nce");
            futures_util::FutureExt::now_or_never(to_bytes(res.into_body(), 1024))
                .unwrap()
                .unwrap()
        };
        assert_eq!(body(&page("a XY b XY")), "a n0nce b n0nce");
        assert_eq!(body(&page("XYXY")), "n0ncen0nce");
        assert_eq!(body(&page("none here")), "none here");
        assert_eq!(body(&page("X")), "X");
    }

    #[test]
    fn only_plain_signed_out_visits_are_cached() {
        let req = |uri: &str, cookie: Option<&str>| {
            let mut r = Request::builder().uri(uri);
            if let Some(c) = cookie {
                r = r.header(header::COOKIE, c);
            }
            r.body(Body::empty()).unwrap()
        };
        let key = |uri, cookie| cacheable(&req(uri, cookie), "palaver_session");
        assert_eq!(
            key("/login", None),
            Some(("/login", Theme::System, Locale::en))
        );
        assert_eq!(
            key("/register", Some("theme=dark; tz=60")),
            Some(("/register", Theme::Dark, Locale::en))
        );
        // The language comes from server::lang's extension.
        let mut zh = req("/login", None);
        zh.extensions_mut().insert(Locale::zh_CN);
        assert_eq!(
            cacheable(&zh, "palaver_session"),
            Some(("/login", Theme::System, Locale::zh_CN))
        );
        assert_eq!(key("/login?next=/app", None), None);
        assert_eq!(key("/app", None), None);
        assert_eq!(key("/forgot-password", Some("palaver_session=abc")), None);
        assert_eq!(key("/login", Some("palaver_form=email%3Dx")), None);
        let post = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .body(Body::empty())
            .unwrap();
        assert_eq!(cacheable(&post, "palaver_session"), None);
    }
}
