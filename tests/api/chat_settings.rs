//! Per-conversation settings and what answers cost: each conversation's
//! own system prompt, the person's default that new conversations start
//! from, and the token counts the model service reports.

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    chat_lines::{app_with, ids, load, parse, post_lines},
    fake_llm::{sse, FakeLlm, Script},
    helpers::{failure, TestApp},
};

const OPERATOR: &str = "The operator's prompt.";

async fn model(writes: Vec<u8>) -> FakeLlm {
    FakeLlm::start(Script::Stream {
        writes: vec![writes],
        pause: Duration::ZERO,
    })
    .await
}

/// An app whose model is `fake`, with the operator's prompt sent as it is.
async fn app(fake: &FakeLlm, extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("LLM_SYSTEM_PROMPT", OPERATOR),
        ("LLM_ANSWER_IN_USER_LANGUAGE", "0"),
    ];
    env.extend_from_slice(extra);
    app_with(fake, &env).await
}

/// Sends `body` to `/api/chat` and returns the conversation and the lines.
async fn chat(app: &TestApp, cookie: &str, body: Value) -> (i64, Vec<Value>) {
    let (status, lines) = post_lines(app, "/api/chat", &body, cookie).await;
    assert_eq!(status, 200, "{lines:?}");
    assert_eq!(lines.last().unwrap()["done"], true, "{lines:?}");
    (ids(&lines[0]).0, lines)
}

/// The system message of the model's last request.
async fn last_system(fake: &FakeLlm) -> String {
    let requests = fake.requests.lock().await;
    let first = &requests.last().unwrap().1["messages"][0];
    assert_eq!(first["role"], "system");
    first["content"].as_str().unwrap().to_owned()
}

/// `system_prompt` of conversation `id` in the list.
async fn listed_prompt(app: &TestApp, cookie: &str, id: i64) -> Value {
    let list = app.get_json("/api/conversations/list", cookie).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .expect("listed")["system_prompt"]
        .clone()
}

/// Sets conversation `id`'s prompt, signed in with `cookie` (`None`: not).
async fn set_prompt(
    app: &TestApp,
    cookie: Option<&str>,
    id: i64,
    prompt: &str,
) -> reqwest::Response {
    let body = json!({"id": id, "system_prompt": prompt});
    app.post_json("/api/conversations/settings", &body, cookie)
        .await
}

#[tokio::test]
async fn a_conversations_own_prompt_is_what_the_model_is_sent_from_the_next_answer_on() {
    let fake = model(sse(&["Arr."])).await;
    let app = app(&fake, &[]).await;
    let cookie = app.signed_in("pirate@example.com").await;
    let (c, lines) = chat(&app, &cookie, json!({"message": "Hello"})).await;
    assert_eq!(last_system(&fake).await, OPERATOR);
    assert_eq!(listed_prompt(&app, &cookie, c).await, Value::Null);

    let res = set_prompt(&app, Some(&cookie), c, "  Talk like a pirate.\n").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    assert_eq!(listed_prompt(&app, &cookie, c).await, "Talk like a pirate.");
    chat(
        &app,
        &cookie,
        json!({"message": "Where?", "conversation_id": c}),
    )
    .await;
    assert_eq!(last_system(&fake).await, "Talk like a pirate.");

    // A regenerated answer follows it too.
    let reply = ids(&lines[0]).2;
    let body = json!({"message_id": reply});
    let (status, _) = post_lines(&app, "/api/chat/regenerate", &body, &cookie).await;
    assert_eq!(status, 200);
    assert_eq!(last_system(&fake).await, "Talk like a pirate.");

    // Emptied: the operator's again.
    assert_eq!(set_prompt(&app, Some(&cookie), c, " ").await.status(), 200);
    assert_eq!(listed_prompt(&app, &cookie, c).await, Value::Null);
    chat(
        &app,
        &cookie,
        json!({"message": "Back", "conversation_id": c}),
    )
    .await;
    assert_eq!(last_system(&fake).await, OPERATOR);
}

#[tokio::test]
async fn new_conversations_start_from_the_default_and_keep_theirs_when_it_changes() {
    let fake = model(sse(&["Ok."])).await;
    let app = app(&fake, &[]).await;
    let cookie = app.signed_in("defaults@example.com").await;
    let config = app.get_json("/api/chat/config", &cookie).await;
    assert_eq!(config["system_prompt"], Value::Null);
    assert_eq!(config["max_system_prompt_chars"], 8000);

    let body = json!({"system_prompt": "Be terse."});
    let res = app
        .post_json("/api/chat/defaults", &body, Some(&cookie))
        .await;
    assert_eq!(res.status(), 200);
    let config = app.get_json("/api/chat/config", &cookie).await;
    assert_eq!(config["system_prompt"], "Be terse.");
    let (first, _) = chat(&app, &cookie, json!({"message": "One"})).await;
    assert_eq!(last_system(&fake).await, "Be terse.");
    assert_eq!(listed_prompt(&app, &cookie, first).await, "Be terse.");

    let body = json!({"system_prompt": "Be thorough."});
    assert_eq!(
        app.post_json("/api/chat/defaults", &body, Some(&cookie))
            .await
            .status(),
        200
    );
    let (second, _) = chat(&app, &cookie, json!({"message": "Two"})).await;
    assert_eq!(last_system(&fake).await, "Be thorough.");
    assert_eq!(listed_prompt(&app, &cookie, second).await, "Be thorough.");
    // The first conversation keeps the prompt it started with.
    assert_eq!(listed_prompt(&app, &cookie, first).await, "Be terse.");
    chat(
        &app,
        &cookie,
        json!({"message": "Again", "conversation_id": first}),
    )
    .await;
    assert_eq!(last_system(&fake).await, "Be terse.");

    // Another person's default is their own.
    let other = app.signed_in("someone-else@example.com").await;
    chat(&app, &other, json!({"message": "Hi"})).await;
    assert_eq!(last_system(&fake).await, OPERATOR);
}

#[tokio::test]
async fn a_prompt_too_long_or_for_someone_elses_conversation_changes_nothing() {
    let fake = model(sse(&["Ok."])).await;
    let app = app(&fake, &[]).await;
    let owner = app.signed_in("owner@example.com").await;
    let (c, _) = chat(&app, &owner, json!({"message": "Mine"})).await;
    set_prompt(&app, Some(&owner), c, "Kept.").await;

    let long = "简".repeat(8001);
    let body = failure(
        set_prompt(&app, Some(&owner), c, &long).await,
        400,
        "system_prompt_too_long",
    )
    .await;
    assert_eq!(body["max"], 8000);
    let body = json!({"system_prompt": long});
    failure(
        app.post_json("/api/chat/defaults", &body, Some(&owner))
            .await,
        400,
        "system_prompt_too_long",
    )
    .await;
    // 8,000 Chinese characters are not too long: characters, not bytes.
    let at_limit = "简".repeat(8000);
    assert_eq!(
        set_prompt(&app, Some(&owner), c, &at_limit).await.status(),
        200
    );
    set_prompt(&app, Some(&owner), c, "Kept.").await;

    let stranger = app.signed_in("stranger@example.com").await;
    failure(
        set_prompt(&app, Some(&stranger), c, "Mine now.").await,
        404,
        "not_found",
    )
    .await;
    failure(
        set_prompt(&app, None, c, "Anyone's.").await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(listed_prompt(&app, &owner, c).await, "Kept.");
}

#[tokio::test]
async fn the_default_prompt_saved_by_a_plain_form_post_is_on_the_settings_page() {
    let fake = model(sse(&["Ok."])).await;
    let app = app(&fake, &[]).await;
    let cookie = app.signed_in("form-prompt@example.com").await;
    let post = |body: String| {
        app.client
            .post(app.url("/api/chat/defaults"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .header("origin", format!("http://{}", app.addr))
            .header("cookie", &cookie)
            .body(body)
            .send()
    };
    let res = post("system_prompt=Answer+in+haiku.".into()).await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/settings?done=chat");
    let page = app
        .get_as("/settings?done=chat", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Answer in haiku."), "{page}");

    let res = post(format!("system_prompt={}", "a".repeat(8001)))
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/settings?form=chat&error=system_prompt_too_long"
    );
}

/// An answer whose stream ends with OpenAI's usage chunk.
fn sse_with_usage(pieces: &[&str], prompt: i64, completion: i64) -> Vec<u8> {
    let mut body = sse(pieces);
    let done = b"data: [DONE]\n\n";
    body.truncate(body.len() - done.len());
    let usage = json!({"choices": [], "usage": {
        "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion
    }});
    body.extend_from_slice(format!("data: {usage}\n\n").as_bytes());
    body.extend_from_slice(done);
    body
}

#[tokio::test]
async fn the_token_counts_the_model_sends_end_the_stream_and_are_stored() {
    let fake = model(sse_with_usage(&["Hello", " there"], 21, 2)).await;
    let app = app(&fake, &[]).await;
    let cookie = app.signed_in("usage@example.com").await;
    let (c, lines) = chat(&app, &cookie, json!({"message": "Hi"})).await;
    let usage = json!({"prompt_tokens": 21, "completion_tokens": 2});
    assert_eq!(
        lines.last().unwrap(),
        &json!({"done": true, "usage": usage})
    );
    let asked = fake.requests.lock().await.last().unwrap().1.clone();
    assert_eq!(asked["stream_options"], json!({"include_usage": true}));

    let messages = load(&app, &cookie, c).await;
    assert_eq!(messages[0].get("usage"), None, "a question has none");
    assert_eq!(messages[1]["usage"], usage);
    assert_eq!(messages[1]["content"], "Hello there");
    // Read back after the end, the last line says the same.
    let reply = ids(&lines[0]).2;
    let res = app
        .get_as(&format!("/api/chat/stream?reply_id={reply}"), &cookie)
        .await;
    let again = parse(&res.text().await.unwrap());
    assert_eq!(
        again.last().unwrap(),
        &json!({"done": true, "usage": usage})
    );
}

#[tokio::test]
async fn without_usage_from_the_model_or_with_it_turned_off_nothing_is_made_up() {
    let fake = model(sse(&["Plain."])).await;
    let app = app(&fake, &[("LLM_STREAM_USAGE", "0")]).await;
    let cookie = app.signed_in("no-usage@example.com").await;
    let (c, lines) = chat(&app, &cookie, json!({"message": "Hi"})).await;
    assert_eq!(lines.last().unwrap(), &json!({"done": true}));
    let asked = fake.requests.lock().await.last().unwrap().1.clone();
    assert_eq!(asked.get("stream_options"), None, "{asked}");
    let messages = load(&app, &cookie, c).await;
    assert_eq!(messages[1].get("usage"), None);
}
