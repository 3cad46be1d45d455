//! `POST /api/chat` against the fake model server.

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    fake_llm::{cut, sse, FakeLlm, Script},
    helpers::{failure, hold_write_lock, spawn_app_with, TestApp},
};

const ANSWER: [&str; 5] = [
    "你好，世界！",
    " Xin chào thế giới. ",
    "Ünïcödé 🎉 ",
    "`code` ",
    "done.",
];

async fn app_with(fake: &FakeLlm, extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_API_KEY", "test-key"),
        ("LLM_MODELS", "alt-model"),
    ];
    env.extend_from_slice(extra);
    spawn_app_with(&env).await
}

/// Sends a message and reads the whole stream: (status, lines).
async fn chat(app: &TestApp, cookie: &str, body: Value) -> (u16, Vec<Value>) {
    let res = app.post_json("/api/chat", &body, Some(cookie)).await;
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    let lines = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or(Value::String(l.into())))
        .collect();
    (status, lines)
}

fn streamed_text(lines: &[Value]) -> String {
    lines.iter().filter_map(|l| l["text"].as_str()).collect()
}

async fn stored(app: &TestApp, cookie: &str, id: i64) -> Value {
    app.get_as(&format!("/api/conversations/load?id={id}"), cookie)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_answer_streams_byte_for_byte_even_when_cut_mid_character() {
    let fake = FakeLlm::start(Script::Stream {
        writes: cut(&sse(&ANSWER), 5),
        pause: Duration::from_millis(1),
    })
    .await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("stream@example.com").await;

    let res = app
        .client
        .post(app.url("/api/chat"))
        .header("cookie", &cookie)
        .header("accept-encoding", "gzip, br")
        .json(&json!({"message": "Say hello in two languages"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/x-ndjson");
    assert_eq!(res.headers()["cache-control"], "no-cache, no-transform");
    assert_eq!(res.headers()["x-accel-buffering"], "no");
    assert!(
        res.headers().get("content-encoding").is_none(),
        "the stream is never compressed"
    );
    let lines: Vec<Value> = res
        .text()
        .await
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let conversation_id = lines[0]["conversation_id"]
        .as_i64()
        .expect("conversation id first");
    assert_eq!(streamed_text(&lines), ANSWER.concat());
    assert_eq!(lines.last().unwrap(), &json!({"done": true}));
    assert!(lines.len() >= ANSWER.len() + 2);

    let messages = stored(&app, &cookie, conversation_id).await;
    assert_eq!(messages[0]["role"], "user");
    assert_eq!(messages[0]["content"], "Say hello in two languages");
    assert_eq!(messages[1]["role"], "assistant");
    assert_eq!(messages[1]["content"], ANSWER.concat());
    assert_eq!(messages[1]["status"], "complete");

    let list: Value = app
        .get_as("/api/conversations/list", &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["title"], "Say hello in two languages");
}

#[tokio::test]
async fn the_upstream_request_carries_key_model_system_prompt_and_history() {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["First answer."])],
        pause: Duration::ZERO,
    })
    .await;
    let app = app_with(&fake, &[("LLM_SYSTEM_PROMPT", "Be brief.")]).await;
    let cookie = app.signed_in("upstream@example.com").await;
    let (_, lines) = chat(&app, &cookie, json!({"message": "First question"})).await;
    let id = lines[0]["conversation_id"].as_i64().unwrap();
    let (status, _) = chat(
        &app,
        &cookie,
        json!({"message": "Second question", "conversation_id": id, "model": "alt-model"}),
    )
    .await;
    assert_eq!(status, 200);

    let requests = fake.requests.lock().await.clone();
    assert_eq!(requests.len(), 2);
    let (auth, first) = &requests[0];
    assert_eq!(auth.as_deref(), Some("Bearer test-key"));
    assert_eq!(first["model"], "gpt-4o-mini");
    assert_eq!(first["stream"], true);
    let (_, second) = &requests[1];
    assert_eq!(second["model"], "alt-model");
    assert_eq!(
        second["messages"],
        json!([
            // The operator's prompt, and the reader's language (English:
            // the request sent no Accept-Language).
            {"role": "system", "content": "Be brief.\n\nThe person reads Palaver in English. \
                Answer in the language of their message; when that is unclear, answer in English."},
            {"role": "user", "content": "First question"},
            {"role": "assistant", "content": "First answer."},
            {"role": "user", "content": "Second question"},
        ])
    );
}

#[tokio::test]
async fn signed_out_callers_get_401_before_any_byte() {
    let fake = FakeLlm::start(Script::Hang).await;
    let app = app_with(&fake, &[]).await;
    let res = app
        .post_json("/api/chat", &json!({"message": "hi"}), None)
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"ok": false, "error": "Unauthorized", "code": "unauthorized"})
    );
    assert!(
        fake.requests.lock().await.is_empty(),
        "the model was never called"
    );
}

#[tokio::test]
async fn a_mid_stream_failure_ends_with_an_error_line_and_keeps_the_partial_answer() {
    // The connection closes after two pieces, without [DONE].
    let full = sse(&["Half ", "an answer"]);
    let second = full.windows(9).position(|w| w == b"an answer").unwrap();
    let cut_at = second
        + full[second..]
            .windows(2)
            .position(|w| w == b"\n\n")
            .unwrap()
        + 2;
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![full[..cut_at].to_vec()],
        pause: Duration::ZERO,
    })
    .await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("midway@example.com").await;
    let (status, lines) = chat(&app, &cookie, json!({"message": "Go"})).await;
    assert_eq!(status, 200);
    assert_eq!(streamed_text(&lines), "Half an answer");
    let last = lines.last().unwrap();
    assert!(
        last["error"].as_str().unwrap().contains("interrupted"),
        "{last}"
    );
    let messages = stored(&app, &cookie, lines[0]["conversation_id"].as_i64().unwrap()).await;
    assert_eq!(messages[1]["content"], "Half an answer");
    assert_eq!(messages[1]["status"], "partial");
}

#[tokio::test]
async fn an_answer_that_ends_while_the_database_is_busy_is_still_stored() {
    let fake = FakeLlm::start(Script::Stream {
        writes: cut(&sse(&ANSWER), 5),
        pause: Duration::from_millis(15),
    })
    .await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("busy@example.com").await;
    let mut res = app
        .post_json("/api/chat", &json!({"message": "Hello"}), Some(&cookie))
        .await;
    assert_eq!(res.status(), 200);
    let mut text = String::from_utf8(res.chunk().await.unwrap().unwrap().to_vec()).unwrap();
    // While the answer streams in, another writer takes the database for
    // longer than a write waits for it: the first try to store the answer
    // fails, and a later one succeeds.
    let lock = hold_write_lock(&app.db_url, Duration::from_secs(7)).await;
    while let Some(chunk) = res.chunk().await.unwrap() {
        text.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    lock.await.unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(streamed_text(&lines), ANSWER.concat());
    assert_eq!(lines.last().unwrap(), &json!({"done": true}));
    let messages = stored(&app, &cookie, lines[0]["conversation_id"].as_i64().unwrap()).await;
    assert_eq!(messages[1]["content"], ANSWER.concat());
    assert_eq!(messages[1]["status"], "complete");
}

#[tokio::test]
async fn upstream_errors_become_friendly_messages() {
    let fake = FakeLlm::start(Script::Status(429)).await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("busy@example.com").await;
    let (status, lines) = chat(&app, &cookie, json!({"message": "Hello?"})).await;
    assert_eq!(status, 200);
    let error = lines.last().unwrap()["error"].as_str().unwrap().to_owned();
    assert!(error.contains("busy"), "{error}");
    assert!(!format!("{lines:?}").contains("SECRET-UPSTREAM-DETAIL"));
    let messages = stored(&app, &cookie, lines[0]["conversation_id"].as_i64().unwrap()).await;
    assert_eq!(messages[1]["status"], "error");

    for (code, needle) in [
        (401, "credentials"),
        (404, "not available"),
        (502, "failed"),
    ] {
        fake.set(Script::Status(code)).await;
        let (_, lines) = chat(&app, &cookie, json!({"message": "Again?"})).await;
        let error = lines.last().unwrap()["error"].as_str().unwrap().to_owned();
        assert!(error.contains(needle), "{code}: {error}");
    }
}

#[tokio::test]
async fn a_hang_before_the_first_token_times_out() {
    let fake = FakeLlm::start(Script::Hang).await;
    let app = app_with(&fake, &[("LLM_TIMEOUT_SECONDS", "1")]).await;
    let cookie = app.signed_in("hang@example.com").await;
    let started = std::time::Instant::now();
    let (status, lines) = chat(&app, &cookie, json!({"message": "Anyone?"})).await;
    assert_eq!(status, 200);
    assert!(lines.last().unwrap()["error"]
        .as_str()
        .unwrap()
        .contains("too long"));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn nobody_reads_or_continues_another_users_conversation() {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["Private."])],
        pause: Duration::ZERO,
    })
    .await;
    let app = app_with(&fake, &[]).await;
    let alice = app.signed_in("alice@example.com").await;
    let mallory = app.signed_in("mallory@example.com").await;
    let (_, lines) = chat(&app, &alice, json!({"message": "My secret"})).await;
    let id = lines[0]["conversation_id"].as_i64().unwrap();

    let res = app
        .post_json(
            "/api/chat",
            &json!({"message": "Me too", "conversation_id": id}),
            Some(&mallory),
        )
        .await;
    failure(res, 404, "not_found").await;
    assert_eq!(
        app.get_as(&format!("/api/conversations/load?id={id}"), &mallory)
            .await
            .status(),
        404
    );
    let res = app
        .post_json(
            "/api/conversations/delete",
            &json!({"id": id}),
            Some(&mallory),
        )
        .await;
    assert_eq!(res.status(), 404);
    let list: Value = app
        .get_as("/api/conversations/list", &mallory)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list, json!([]));
    assert_eq!(stored(&app, &alice, id).await.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_messages_get_400_and_the_rate_limit_429() {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["ok"])],
        pause: Duration::ZERO,
    })
    .await;
    let app = app_with(&fake, &[("RATE_LIMIT_CHAT_USER", "5/60")]).await;
    let cookie = app.signed_in("limits@example.com").await;
    for (body, code) in [
        (json!({"message": "x".repeat(4001)}), "message_too_long"),
        (json!({"message": "   "}), "empty_message"),
        (
            json!({"message": "hi", "model": "gpt-secret"}),
            "unknown_model",
        ),
        (json!({"text": "wrong field"}), "bad_request"),
    ] {
        let res = app.post_json("/api/chat", &body, Some(&cookie)).await;
        let answer = failure(res, 400, code).await;
        if code == "message_too_long" {
            assert_eq!(answer["max"], 4000, "the limit, so a page can say it");
        }
        if code == "bad_request" {
            let reason = answer["error"].as_str().unwrap();
            assert!(reason.contains("missing field `message`"), "{reason}");
        }
    }
    let res = app
        .post_json(
            "/api/chat",
            &json!({"message": "字".repeat(4000)}),
            Some(&cookie),
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "4,000 characters are fine, whatever their bytes"
    );
    let _ = res.text().await;
    let res = app
        .post_json(
            "/api/chat",
            &json!({"message": "one too many"}),
            Some(&cookie),
        )
        .await;
    failure(res, 429, "rate_limited").await;
}

#[tokio::test]
async fn a_body_streamed_past_the_limit_is_413() {
    let fake = FakeLlm::start(Script::Hang).await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("big@example.com").await;
    // No Content-Length: the limit cuts the body off while it streams in.
    let chunks = [
        r#"{"message":""#.to_owned(),
        "x".repeat(70 * 1024),
        r#""}"#.to_owned(),
    ];
    let res = app
        .client
        .post(app.url("/api/chat"))
        .header("content-type", "application/json")
        .header("cookie", &cookie)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks.map(Ok::<_, std::io::Error>),
        )))
        .send()
        .await
        .unwrap();
    failure(res, 413, "payload_too_large").await;
    assert!(fake.requests.lock().await.is_empty());
}

#[tokio::test]
async fn without_a_key_openai_is_not_configured() {
    let app = spawn_app_with(&[]).await;
    let cookie = app.signed_in("nokey@example.com").await;
    let res = app
        .post_json("/api/chat", &json!({"message": "hi"}), Some(&cookie))
        .await;
    let body = failure(res, 503, "not_configured").await;
    let error = body["error"].as_str().unwrap();
    assert!(error.contains("LLM_API_KEY"), "{error}");
    let config: Value = app
        .get_as("/api/chat/config", &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert!(config["notice"].as_str().unwrap().contains("LLM_BASE_URL"));
}

#[tokio::test]
async fn conversations_can_be_renamed_cleared_and_deleted() {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["A."])],
        pause: Duration::ZERO,
    })
    .await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("manage@example.com").await;
    let (_, lines) = chat(&app, &cookie, json!({"message": "Q"})).await;
    let id = lines[0]["conversation_id"].as_i64().unwrap();

    let res = app
        .post_json(
            "/api/conversations/rename",
            &json!({"id": id, "title": "Trip to Huế"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    let list: Value = app
        .get_as("/api/conversations/list", &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["title"], "Trip to Huế");
    for title in ["   ", &"字".repeat(121)] {
        let res = app
            .post_json(
                "/api/conversations/rename",
                &json!({"id": id, "title": title}),
                Some(&cookie),
            )
            .await;
        assert_eq!(failure(res, 400, "invalid_title").await["max"], 120);
    }

    assert_eq!(
        app.post_json(
            "/api/conversations/clear",
            &json!({"id": id}),
            Some(&cookie)
        )
        .await
        .status(),
        200
    );
    assert_eq!(stored(&app, &cookie, id).await, json!([]));
    // A cleared conversation leaves the list (no empty entry) until its
    // next message, which it takes with its title.
    assert_eq!(
        app.get_json("/api/conversations/list", &cookie).await,
        json!([])
    );
    let (_, lines) = chat(
        &app,
        &cookie,
        json!({"message": "Again", "conversation_id": id}),
    )
    .await;
    assert_eq!(lines[0]["conversation_id"], id);
    let listed = app.get_json("/api/conversations/list", &cookie).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["title"], "Trip to Huế");
    assert_eq!(
        app.post_json(
            "/api/conversations/delete",
            &json!({"id": id}),
            Some(&cookie)
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.get_as(&format!("/api/conversations/load?id={id}"), &cookie)
            .await
            .status(),
        404
    );
}
