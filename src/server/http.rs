//! HTTP layers that every response passes through: security headers, cache
//! lifetimes and the production HTTPS redirect. Who the client is, behind
//! proxies, is in [`super::proxy`].

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use super::{
    proxy::{peer_ip, request_is_https},
    state::AppState,
};
use crate::csp::content_security_policy;

/// The CSP for a response that has none: with the request's script
/// `nonce` for a page (Leptos' pages carry their own, with the same nonce;
/// this is for one that lost it), without for anything else.
fn missing_policy(headers: &HeaderMap, nonce: Option<&str>) -> Option<HeaderValue> {
    if headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        return None;
    }
    let is_page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    let nonce = nonce.filter(|_| is_page);
    HeaderValue::from_str(&content_security_policy(nonce)).ok()
}

/// Paths a load balancer probes over plain HTTP: never redirected.
const HEALTH_PATH: &str = "/auth/healthz";

/// In production, sends plain-HTTP requests to the same path on
/// `PUBLIC_BASE_URL` (which production requires to be `https://`), never
/// to the request's own `Host`: a forged `Host` cannot send anyone
/// elsewhere. 308 keeps the method and body.
pub async fn https_redirect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let settings = &state.settings;
    if !settings.is_production()
        || !settings.https_redirect
        || req.uri().path() == HEALTH_PATH
        || request_is_https(peer_ip(&req), req.headers(), &settings.trusted_proxies)
    {
        return next.run(req).await;
    }
    let origin = settings.public_base_url.origin().ascii_serialization();
    let path = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    match format!("{origin}{path}").parse::<Uri>() {
        Ok(target) => Redirect::permanent(&target.to_string()).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// Adds the security headers and cache lifetimes to every response.
pub async fn security_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    // A page's script nonce is chosen here, where its header is written:
    // the shell renders with it (`RenderNonce`), and a page whose policy
    // did not come back through Leptos' response options (seen now and
    // then on `/app`, `/reset-password` and the 404 page under load: the
    // page's scripts were then blocked and it never hydrated) still gets
    // the policy that allows them. A layer inside may choose another
    // (the page cache's placeholder, see `page_cache`) and send its own
    // header, which is kept.
    let nonce = (req.method() == Method::GET).then(super::page_cache::new_nonce);
    if let Some(nonce) = &nonce {
        req.extensions_mut()
            .insert(super::page_cache::RenderNonce(nonce.clone()));
    }
    let mut res = next.run(req).await;
    let status = res.status();
    let headers = res.headers_mut();

    // leptos_axum gives every server function asked for HTML with a
    // Referer (a form posted without JavaScript) `Location: <referer>`;
    // the chat streams then set 200 to stream their lines, and a 200 with
    // a Location only misleads a client. A 201 would keep its own.
    if status == StatusCode::OK {
        headers.remove(header::LOCATION);
    }

    if let Some(policy) = missing_policy(headers, nonce.as_deref()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // The reset page carries its token in the URL: it never leaves in a
    // Referer to another site (same-origin still sends it to us, which keeps
    // the form's Origin header intact).
    let referrer = if path == "/reset-password" {
        "same-origin"
    } else {
        "strict-origin-when-cross-origin"
    };
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if state.settings.is_production() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }

    let cache = cache_control(&path, status, headers, state.leptos_options.hash_files);
    if let Some(value) = cache {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    if cache == Some(PAGE_CACHE) {
        // A page shows who is signed in: a cache keyed on the URL alone must
        // not hand one person's page to another.
        headers.append(header::VARY, HeaderValue::from_static("cookie"));
    }
    res
}

/// How pages are cached: only by the browser, and revalidated every time.
const PAGE_CACHE: &str = "private, no-cache";

/// The `Cache-Control` a response should carry, if it must change.
///
/// Only what cannot depend on the session may be `public`: a successful
/// static file (`/pkg/*` and the files of `public/`). Redirects are never
/// stored (`/app -> /login` is only true while signed out; a browser that
/// replayed it after signing in looped between `/login` and `/app`), and
/// neither is any response that sets a cookie or is an error.
fn cache_control(
    path: &str,
    status: StatusCode,
    headers: &HeaderMap,
    hashed_assets: bool,
) -> Option<&'static str> {
    if path.starts_with("/auth/") || status.is_redirection() && status != StatusCode::NOT_MODIFIED {
        // Answers about accounts, and redirects, are never cached by anyone.
        return Some("no-store");
    }
    if path.starts_with("/api/") && !headers.contains_key(header::CACHE_CONTROL) {
        return Some("no-store");
    }
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if is_html {
        // Pages may show who is signed in: private, and revalidated every time.
        return Some(PAGE_CACHE);
    }
    let is_static_file = (status.is_success() || status == StatusCode::NOT_MODIFIED)
        && !headers.contains_key(header::SET_COOKIE);
    if !is_static_file {
        return Some("no-store");
    }
    if path.starts_with("/pkg/") {
        // Hashed file names change with their content, so they may live forever.
        return Some(if hashed_assets {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        });
    }
    if headers.contains_key(header::CACHE_CONTROL) {
        return None;
    }
    Some("public, max-age=3600")
}

#[cfg(test)]
mod tests {
    use super::{super::proxy::tests::headers, *};

    #[test]
    fn a_page_without_its_policy_gets_one_with_its_nonce() {
        let html = headers(&[("content-type", "text/html; charset=utf-8")]);
        let policy = missing_policy(&html, Some("n0nce")).unwrap();
        assert!(policy.to_str().unwrap().contains("'nonce-n0nce'"));
        let json = headers(&[("content-type", "application/json")]);
        let policy = missing_policy(&json, Some("n0nce")).unwrap();
        assert!(!policy.to_str().unwrap().contains("nonce"));
        let kept = headers(&[
            ("content-type", "text/html"),
            ("content-security-policy", "script-src 'nonce-other'"),
        ]);
        assert_eq!(missing_policy(&kept, Some("n0nce")), None);
    }

    #[test]
    fn cache_lifetimes() {
        let ok = StatusCode::OK;
        let html = headers(&[("content-type", "text/html; charset=utf-8")]);
        assert_eq!(
            cache_control("/login", ok, &html, true),
            Some("private, no-cache")
        );
        assert_eq!(cache_control("/auth/me", ok, &html, true), Some("no-store"));
        assert_eq!(
            cache_control("/pkg/palaver.abc.wasm", ok, &HeaderMap::new(), true),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(
            cache_control("/pkg/palaver.wasm", ok, &HeaderMap::new(), false),
            Some("no-cache")
        );
        assert_eq!(
            cache_control("/favicon.svg", ok, &HeaderMap::new(), true),
            Some("public, max-age=3600")
        );
    }

    #[test]
    fn redirects_errors_and_cookies_are_never_stored() {
        let none = HeaderMap::new();
        for path in ["/", "/app", "/login", "/register"] {
            assert_eq!(
                cache_control(path, StatusCode::SEE_OTHER, &none, true),
                Some("no-store"),
                "{path}"
            );
        }
        assert_eq!(
            cache_control("/missing.png", StatusCode::NOT_FOUND, &none, true),
            Some("no-store")
        );
        let cookie = headers(&[("set-cookie", "palaver_session=x")]);
        assert_eq!(
            cache_control("/favicon.svg", StatusCode::OK, &cookie, true),
            Some("no-store")
        );
    }
}
