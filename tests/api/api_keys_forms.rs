//! API keys from `/settings` without JavaScript: plain form posts to the
//! same paths the JSON callers use, redirects back to the page, and the key
//! shown once on it.

use serde_json::{json, Value};

use crate::helpers::{failure, spawn_app, TestApp};

/// A browser's form post without JavaScript, signed in with `cookie`.
async fn form_post(app: &TestApp, path: &str, body: &str, cookie: &str) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("origin", format!("http://{}", app.addr))
        .header("cookie", cookie)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

/// `palaver_form=...` of a response that sets the kept-fields cookie.
fn kept_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("palaver_form="))
        .map(str::to_owned)
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// The key shown in `<code id="new-api-key">`, if the page shows one.
fn shown_key(html: &str) -> Option<String> {
    let start = html.find(r#"id="new-api-key""#)?;
    let after = &html[start..];
    let text = &after[after.find('>')? + 1..];
    Some(text[..text.find('<')?].to_owned())
}

#[tokio::test]
async fn a_key_made_by_a_form_post_is_shown_once_on_settings_and_works() {
    let app = spawn_app().await;
    let cookie = app.signed_in("form-key@example.com").await;
    let res = form_post(&app, "/auth/api-keys", "name=nightly+backup", &cookie).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/settings?done=api_key");
    let kept = kept_cookie(&res).expect("the key travels in the one-read cookie");
    assert!(
        kept.contains("HttpOnly") && kept.contains("Max-Age=60"),
        "{kept}"
    );
    assert!(!location(&res).contains("pal_"), "never in the address");

    let both = format!("{cookie}; {}", kept.split(';').next().unwrap());
    let res = app.get_as("/settings?done=api_key", &both).await;
    assert_eq!(res.status(), 200);
    let forget = kept_cookie(&res).expect("the page forgets the key once shown");
    assert!(forget.contains("Max-Age=0"), "{forget}");
    let html = res.text().await.unwrap();
    let key = shown_key(&html).expect("the page shows the new key");
    assert!(key.starts_with("pal_") && key.len() == 47, "{key}");
    assert!(html.contains("it will not be shown again"), "{html}");
    assert!(html.contains("nightly backup"), "the list has it: {html}");
    assert!(html.contains("never"), "not used yet: {html}");

    let me: Value = app.get_bearer("/auth/me", &key).await.json().await.unwrap();
    assert_eq!(me["user"]["email"], "form-key@example.com");
    // Shown once: the same page again has no key in it.
    let html = app.get_as("/settings", &cookie).await.text().await.unwrap();
    assert_eq!(shown_key(&html), None);
    assert!(!html.contains(&key));
    assert!(html.contains("nightly backup"));
}

#[tokio::test]
async fn a_refused_name_goes_back_to_the_form_with_its_error() {
    let app = spawn_app().await;
    let cookie = app.signed_in("form-bad@example.com").await;
    let res = form_post(&app, "/auth/api-keys", "name=+++", &cookie).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        "/settings?form=api_keys&error=invalid_key_name"
    );
    let html = app
        .get_as(&location(&res), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("A key&#x27;s name must be 1 to 60 characters")
            || html.contains("A key's name must be 1 to 60 characters"),
        "the page states the limit: {html}"
    );
    assert_eq!(shown_key(&html), None);
}

#[tokio::test]
async fn a_key_is_revoked_by_a_form_post_and_only_by_its_owner() {
    let app = spawn_app().await;
    let ann = app.signed_in("form-ann@example.com").await;
    let eve = app.signed_in("form-eve@example.com").await;
    let res = app
        .post_json("/auth/api-keys", &json!({"name": "laptop"}), Some(&ann))
        .await;
    assert_eq!(res.status(), 201);
    let made: Value = res.json().await.unwrap();
    let (id, key) = (made["id"].as_i64().unwrap(), made["key"].as_str().unwrap());

    let res = form_post(&app, "/auth/api-keys/revoke", &format!("id={id}"), &eve).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        "/settings?form=api_key_revoke&error=not_found"
    );
    assert_eq!(app.get_bearer("/auth/me", key).await.status(), 200);

    let res = form_post(&app, "/auth/api-keys/revoke", &format!("id={id}"), &ann).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/settings?done=api_key_revoked");
    failure(app.get_bearer("/auth/me", key).await, 401, "unauthorized").await;
    let html = app
        .get_as("/settings?done=api_key_revoked", &ann)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("The key was revoked."), "{html}");
    assert!(html.contains("You have no API keys."), "{html}");
}

#[tokio::test]
async fn a_key_cannot_manage_keys_by_form_either() {
    let app = spawn_app().await;
    let cookie = app.signed_in("form-bearer@example.com").await;
    let made: Value = app
        .post_json("/auth/api-keys", &json!({"name": "tool"}), Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    let key = made["key"].as_str().unwrap();
    let res = app
        .client
        .post(app.url("/auth/api-keys"))
        .bearer_auth(key)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=another")
        .send()
        .await
        .unwrap();
    failure(res, 403, "session_required").await;
}
