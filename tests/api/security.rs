use crate::helpers::{spawn_app, spawn_app_with, PUBLIC_ORIGIN};

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/login", "/auth/healthz", "/favicon.svg", "/missing"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS in development"
        );
        assert!(h.contains_key("x-request-id"), "{path}");
    }
}

#[tokio::test]
async fn request_ids_are_generated_or_propagated() {
    let app = spawn_app().await;
    let a = app.get("/auth/healthz").await.headers()["x-request-id"].clone();
    let b = app.get("/auth/healthz").await.headers()["x-request-id"].clone();
    assert_ne!(a, b);
    let res = app
        .client
        .get(app.url("/auth/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-me-123");
}

#[tokio::test]
async fn production_redirects_plain_http_to_https_and_sends_hsts() {
    let app = spawn_app_with(&[("APP_ENV", "production")]).await;
    let res = app.get("/login?next=%2Fapp").await;
    assert_eq!(res.status(), 308);
    assert_eq!(
        res.headers()["location"],
        format!("{PUBLIC_ORIGIN}/login?next=%2Fapp")
    );
    // The target is PUBLIC_BASE_URL's origin, whatever Host the request claims.
    let res = app
        .client
        .get(app.url("/app"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], format!("{PUBLIC_ORIGIN}/app"));
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );

    // Health probes come over plain HTTP from inside the network.
    assert_eq!(app.get("/auth/healthz").await.status(), 200);
}

#[tokio::test]
async fn forwarded_proto_counts_only_from_trusted_proxies() {
    let untrusted = spawn_app_with(&[("APP_ENV", "production")]).await;
    let res = untrusted
        .client
        .get(untrusted.url("/login"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        308,
        "a client must not be able to claim https"
    );

    let trusted = spawn_app_with(&[
        ("APP_ENV", "production"),
        ("TRUSTED_PROXIES", "127.0.0.1/32"),
    ])
    .await;
    let res = trusted
        .client
        .get(trusted.url("/login"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn the_redirect_can_be_disabled() {
    let app = spawn_app_with(&[("APP_ENV", "production"), ("DISABLE_HTTPS_REDIRECT", "1")]).await;
    let res = app.get("/login").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("strict-transport-security"));
}
