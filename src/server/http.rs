//! HTTP layers that every response passes through: security headers, cache
//! lifetimes, the production HTTPS redirect, and the proxy-aware client address.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode, Uri},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use ipnet::IpNet;

use super::state::AppState;
use crate::csp::content_security_policy;

/// Paths a load balancer probes over plain HTTP: never redirected.
const HEALTH_PATH: &str = "/auth/healthz";

/// True when `ip` is one of the configured proxies.
fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

/// The address of the person on the other end. `X-Forwarded-For` is read only
/// when the peer is a trusted proxy; the list is walked from the right, past
/// every trusted hop, so a client cannot forge its own entry.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    hops.iter()
        .rev()
        .copied()
        .find(|ip| !is_trusted(*ip, trusted))
        .or_else(|| hops.first().copied())
        .unwrap_or(peer)
}

/// The scheme the client used: `X-Forwarded-Proto` from a trusted proxy, else
/// plain `http` (Palaver itself does not terminate TLS).
pub fn request_is_https(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> bool {
    is_trusted(peer, trusted)
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

fn peer_ip(req: &Request) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]))
}

/// In production, sends plain-HTTP requests to the same URL over HTTPS (308
/// keeps the method and body).
pub async fn https_redirect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let settings = &state.settings;
    if !settings.is_production()
        || !settings.https_redirect
        || req.uri().path() == HEALTH_PATH
        || request_is_https(peer_ip(&req), req.headers(), &settings.trusted_proxies)
    {
        return next.run(req).await;
    }
    let Some(host) = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
    else {
        return (StatusCode::BAD_REQUEST, "missing Host header").into_response();
    };
    let path = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    match format!("https://{host}{path}").parse::<Uri>() {
        Ok(target) => Redirect::permanent(&target.to_string()).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "bad Host header").into_response(),
    }
}

/// Adds the security headers and cache lifetimes to every response.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let headers = res.headers_mut();

    // Pages rendered by Leptos carry a CSP with their own script nonce.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&content_security_policy(None)).expect("static CSP is ASCII"),
        );
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

    let cache = cache_control(&path, headers, state.leptos_options.hash_files);
    if let Some(value) = cache {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// The `Cache-Control` a response should carry, if it must change.
fn cache_control(path: &str, headers: &HeaderMap, hashed_assets: bool) -> Option<&'static str> {
    if path.starts_with("/auth/") {
        // Answers about accounts are never cached, by anyone.
        return Some("no-store");
    }
    if path.starts_with("/api/") && !headers.contains_key(header::CACHE_CONTROL) {
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
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    // Pages may show who is signed in: private, and revalidated every time.
    Some(if is_html {
        "private, no-cache"
    } else {
        "public, max-age=3600"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_for_is_ignored_from_untrusted_peers() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        let peer: IpAddr = "9.9.9.9".parse().unwrap();
        assert_eq!(client_ip(peer, &h, &nets(&["10.0.0.0/8"])), peer);
        assert_eq!(client_ip(peer, &h, &[]), peer);
    }

    #[test]
    fn forwarded_for_walks_past_trusted_hops_from_the_right() {
        // The client wrote "6.6.6.6" itself; the proxy appended the real peer.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 1.2.3.4, 10.0.0.2")]);
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let ip = client_ip(peer, &h, &nets(&["10.0.0.0/8"]));
        assert_eq!(ip, "1.2.3.4".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn forwarded_proto_counts_only_from_trusted_peers() {
        let h = headers(&[("x-forwarded-proto", "https")]);
        let trusted = nets(&["127.0.0.1/32"]);
        assert!(request_is_https("127.0.0.1".parse().unwrap(), &h, &trusted));
        assert!(!request_is_https("8.8.8.8".parse().unwrap(), &h, &trusted));
        assert!(!request_is_https(
            "127.0.0.1".parse().unwrap(),
            &HeaderMap::new(),
            &trusted
        ));
    }

    #[test]
    fn cache_lifetimes() {
        let html = headers(&[("content-type", "text/html; charset=utf-8")]);
        assert_eq!(
            cache_control("/login", &html, true),
            Some("private, no-cache")
        );
        assert_eq!(cache_control("/auth/me", &html, true), Some("no-store"));
        assert_eq!(
            cache_control("/pkg/palaver.abc.wasm", &HeaderMap::new(), true),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(
            cache_control("/pkg/palaver.wasm", &HeaderMap::new(), false),
            Some("no-cache")
        );
    }
}
