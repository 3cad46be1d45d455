//! `GET /api/openapi.json` describes exactly the calls the server serves,
//! and `GET /api/docs` shows it under the site's CSP.

use std::collections::BTreeSet;

use palaver::server::routes;
use serde_json::Value;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

const METRICS_TOKEN: &str = "metrics-token-for-the-openapi-test";

/// Every (METHOD, path) of the document the server sends.
async fn documented(app: &TestApp) -> BTreeSet<(String, String)> {
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect()
}

fn spelled(set: BTreeSet<(http::Method, String)>) -> BTreeSet<(String, String)> {
    set.into_iter().map(|(m, p)| (m.to_string(), p)).collect()
}

#[tokio::test]
async fn the_document_describes_every_call_served_and_nothing_else() {
    let app = spawn_app_with(&[("METRICS_TOKEN", METRICS_TOKEN)]).await;
    let documented = documented(&app).await;
    // From the code: the router's own table and Leptos' registry of server
    // functions, not a list kept by hand.
    let served = spelled(routes::api_calls(&app.state.settings));
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && unserved.is_empty(),
        "served but not in the document: {undocumented:?}; \
         in the document but not served: {unserved:?}"
    );
    assert!(
        served.len() >= 20,
        "only {} calls found: {served:?}",
        served.len()
    );

    // Pages are not calls: none is in the document, and they are served.
    let pages = spelled(routes::pages(&app.state.settings));
    for page in ["/", "/login", "/app", "/api/docs", "/theme", "/lang"] {
        assert!(
            pages.iter().any(|(_, p)| p == page),
            "{page} is not listed as a page"
        );
    }
    let documented_pages: Vec<_> = pages.intersection(&documented).collect();
    assert!(
        documented_pages.is_empty(),
        "pages in the document: {documented_pages:?}"
    );

    // And each documented call really is answered: an empty request gets
    // its own refusal (400, 401...), never the router's 404 or 405.
    for (method, path) in &documented {
        let req = app
            .client
            .request(method.parse().unwrap(), app.url(path))
            .header("content-type", "application/json");
        let status = req.send().await.unwrap().status().as_u16();
        assert!(
            status != 404 && status != 405,
            "{method} {path} answered {status}"
        );
    }
}

#[tokio::test]
async fn without_a_metrics_token_only_metrics_is_not_served() {
    let app = spawn_app().await;
    let documented = documented(&app).await;
    let served = spelled(routes::api_calls(&app.state.settings));
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert_eq!(unserved, [&("GET".to_owned(), "/metrics".to_owned())]);
    assert!(served.is_subset(&documented));
}

#[tokio::test]
async fn the_document_is_public_and_the_same_for_everyone() {
    let app = spawn_app().await;
    let anonymous = app.get("/api/openapi.json").await;
    assert_eq!(anonymous.status(), 200);
    let headers = anonymous.headers().clone();
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(headers["cache-control"], "public, max-age=3600");
    assert!(headers.get("set-cookie").is_none());
    let body = anonymous.text().await.unwrap();

    let cookie = app.signed_in("openapi@example.com").await;
    let signed_in = app.get_as("/api/openapi.json", &cookie).await;
    assert_eq!(
        signed_in.text().await.unwrap(),
        body,
        "the same bytes signed in"
    );

    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["securitySchemes"]["session"]["name"],
        "palaver_session"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn the_session_cookie_is_documented_under_its_configured_name() {
    let app = spawn_app_with(&[("AUTH_COOKIE_NAME", "our_session")]).await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let session = &doc["components"]["securitySchemes"]["session"];
    assert_eq!(session["type"], "apiKey");
    assert_eq!(session["in"], "cookie");
    assert_eq!(session["name"], "our_session");
}

#[tokio::test]
async fn the_docs_page_loads_the_viewer_from_this_server_under_the_strict_csp() {
    let app = spawn_app().await;
    let res = app.get("/api/docs").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let directive = |name: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {csp}"))
            .to_owned()
    };
    assert_eq!(
        directive("script-src "),
        "script-src 'self' 'wasm-unsafe-eval'"
    );
    assert_eq!(directive("style-src "), "style-src 'self'");
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"<html lang="en">"#));
    assert!(page.contains("<title>Palaver API reference</title>"));
    for script in page.split("<script").skip(1) {
        let tag = &script[..script.find('>').unwrap()];
        assert!(
            tag.contains(r#"src="/api-docs/"#),
            "a script not from us: {tag}"
        );
    }
}
