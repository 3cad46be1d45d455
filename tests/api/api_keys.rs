//! API keys: made, listed and revoked from a session; accepted as a bearer
//! token wherever a session is, except to manage keys; stored only hashed.

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    fake_llm::{sse, FakeLlm, Script},
    helpers::{failure, query_text_int, spawn_app, spawn_app_with, TestApp},
};

async fn make_key(app: &TestApp, cookie: &str, name: &str) -> (i64, String) {
    let res = app
        .post_json("/auth/api-keys", &json!({"name": name}), Some(cookie))
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true);
    let key = body["key"].as_str().unwrap().to_owned();
    (body["id"].as_i64().unwrap(), key)
}

#[tokio::test]
async fn a_key_works_as_its_owner_and_is_stored_only_hashed() {
    let app = spawn_app().await;
    let cookie = app.signed_in("ann@example.com").await;
    let (id, key) = make_key(&app, &cookie, "backup script").await;
    assert!(key.starts_with("pal_") && key.len() == 47, "{key}");

    let me: Value = app.get_bearer("/auth/me", &key).await.json().await.unwrap();
    assert_eq!(me["user"]["email"], "ann@example.com", "{me}");
    let list = app.get_bearer("/api/conversations/list", &key).await;
    assert_eq!(list.status(), 200);

    // The list shows the key's name and last four characters, never the key.
    let listed = app.get_json("/auth/api-keys", &cookie).await;
    assert_eq!(listed["ok"], true);
    let keys = listed["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["id"], id);
    assert_eq!(keys[0]["name"], "backup script");
    assert_eq!(keys[0]["hint"], &key[key.len() - 4..]);
    assert!(keys[0]["created_at"].as_i64().is_some());
    assert!(keys[0]["last_used_at"].as_i64().is_some(), "{listed}");
    assert!(!listed.to_string().contains(&key));

    // In the database: a SHA-256, not the key.
    let stored = query_text_int(&app.db_url, "SELECT key_hash, id FROM api_keys").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0.len(), 64);
    assert!(!stored[0].0.contains(&key[4..]));
    let audited = query_text_int(
        &app.db_url,
        "SELECT kind, user_id FROM audit_log WHERE kind = 'api_key_created'",
    )
    .await;
    assert_eq!(audited.len(), 1, "the key's making is in the audit log");
}

#[tokio::test]
async fn wrong_keys_are_refused_and_never_fall_back_to_the_cookie() {
    let app = spawn_app().await;
    let cookie = app.signed_in("bob@example.com").await;
    let (_, key) = make_key(&app, &cookie, "ci").await;
    let forged = format!("{}x", &key[..key.len() - 1]);
    for wrong in [forged.as_str(), "pal_", "not-a-key"] {
        failure(app.get_bearer("/auth/me", wrong).await, 401, "unauthorized").await;
        // A wrong key beside a good cookie is still refused.
        let res = app
            .client
            .get(app.url("/api/conversations/list"))
            .bearer_auth(wrong)
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        failure(res, 401, "unauthorized").await;
    }
    // Another scheme (a proxy's Basic authentication) is not ours to judge.
    let res = app
        .client
        .get(app.url("/auth/me"))
        .basic_auth("proxy", Some("secret"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn keys_cannot_manage_keys_and_names_are_checked() {
    let app = spawn_app().await;
    let cookie = app.signed_in("cat@example.com").await;
    let (id, key) = make_key(&app, &cookie, "tool").await;
    let res = app
        .post_bearer("/auth/api-keys", &json!({"name": "another"}), &key)
        .await;
    failure(res, 403, "session_required").await;
    failure(
        app.get_bearer("/auth/api-keys", &key).await,
        403,
        "session_required",
    )
    .await;
    let res = app
        .post_bearer("/auth/api-keys/revoke", &json!({"id": id}), &key)
        .await;
    failure(res, 403, "session_required").await;

    for name in ["", "   ", &"n".repeat(61), "tab\there"] {
        let res = app
            .post_json("/auth/api-keys", &json!({"name": name}), Some(&cookie))
            .await;
        let body = failure(res, 400, "invalid_key_name").await;
        assert_eq!(body["max"], 60);
    }
    let res = app
        .post_json("/auth/api-keys", &json!({}), Some(&cookie))
        .await;
    failure(res, 400, "bad_request").await;
    let res = app
        .post_json("/auth/api-keys", &json!({"name": "x"}), None)
        .await;
    failure(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn an_account_holds_at_most_twenty_keys() {
    let app = spawn_app().await;
    let cookie = app.signed_in("dan@example.com").await;
    for n in 1..=20 {
        make_key(&app, &cookie, &format!("key {n}")).await;
    }
    let res = app
        .post_json(
            "/auth/api-keys",
            &json!({"name": "one more"}),
            Some(&cookie),
        )
        .await;
    let body = failure(res, 409, "too_many_keys").await;
    assert_eq!(body["max"], 20);
}

#[tokio::test]
async fn a_revoked_key_stops_at_once_and_only_its_owner_can_revoke_it() {
    let app = spawn_app().await;
    let ann = app.signed_in("ann@example.com").await;
    let eve = app.signed_in("eve@example.com").await;
    let (id, key) = make_key(&app, &ann, "laptop").await;

    let res = app
        .post_json("/auth/api-keys/revoke", &json!({"id": id}), Some(&eve))
        .await;
    failure(res, 404, "not_found").await;
    assert_eq!(app.get_bearer("/auth/me", &key).await.status(), 200);

    let res = app
        .post_json("/auth/api-keys/revoke", &json!({"id": id}), Some(&ann))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    failure(app.get_bearer("/auth/me", &key).await, 401, "unauthorized").await;
    assert_eq!(
        app.get_json("/auth/api-keys", &ann).await["keys"],
        json!([])
    );
    let res = app
        .post_json("/auth/api-keys/revoke", &json!({"id": id}), Some(&ann))
        .await;
    failure(res, 404, "not_found").await;
}

#[tokio::test]
async fn a_key_can_chat_within_its_owners_limit() {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["Hello ", "script"])],
        pause: Duration::from_millis(1),
    })
    .await;
    let app = spawn_app_with(&[
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_API_KEY", "test-key"),
        ("RATE_LIMIT_CHAT_USER", "2/60"),
    ])
    .await;
    let cookie = app.signed_in("fay@example.com").await;
    let (_, key) = make_key(&app, &cookie, "bot").await;
    let ask = |by_key: bool| {
        let req = app
            .client
            .post(app.url("/api/chat"))
            .json(&json!({"message": "hi"}));
        let req = if by_key {
            req.bearer_auth(&key)
        } else {
            req.header("cookie", &cookie)
        };
        req.send()
    };
    let res = ask(true).await.unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("\"Hello \"") && text.contains("\"done\":true"),
        "{text}"
    );
    // The key spends its owner's chat budget, and the cookie shares it.
    assert_eq!(ask(false).await.unwrap().status(), 200);
    failure(ask(true).await.unwrap(), 429, "rate_limited").await;
}

#[tokio::test]
async fn revoking_a_key_ends_the_answer_streaming_to_it() {
    let pieces: Vec<String> = (0..100).map(|i| format!("w{i} ")).collect();
    let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let body = sse(&refs);
    let fake = FakeLlm::start(Script::Stream {
        writes: crate::fake_llm::cut(&body, body.len() / 100),
        pause: Duration::from_millis(100),
    })
    .await;
    let app = spawn_app_with(&[
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_API_KEY", "test-key"),
    ])
    .await;
    let cookie = app.signed_in("gus@example.com").await;
    let (id, key) = make_key(&app, &cookie, "long job").await;
    let mut res = app
        .post_bearer("/api/chat", &json!({"message": "talk a lot"}), &key)
        .await;
    assert_eq!(res.status(), 200);
    let mut text = String::new();
    while !text.contains("\"text\"") {
        let chunk = res.chunk().await.unwrap().expect("the answer began");
        text.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    let res_revoke = app
        .post_json("/auth/api-keys/revoke", &json!({"id": id}), Some(&cookie))
        .await;
    assert_eq!(res_revoke.status(), 200);
    tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(chunk) = res.chunk().await.unwrap() {
            text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    })
    .await
    .expect("the answer ended soon after the key was revoked");
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["code"], "unauthorized", "{text}");
    assert!(!text.contains("w90 "), "the answer went on");
}
