//! Chat v2's tree of messages: edit and resend, regenerate, switching
//! branches, and what the model is sent (the branch shown only).

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    chat_lines::{app_with, ids, load, post_lines, streamed_text},
    fake_llm::{sse, FakeLlm, Script},
    helpers::{failure, TestApp},
};

async fn model(answer: &str) -> FakeLlm {
    FakeLlm::start(Script::Stream {
        writes: vec![sse(&[answer])],
        pause: Duration::ZERO,
    })
    .await
}

async fn send(app: &TestApp, cookie: &str, body: Value) -> (i64, i64, i64) {
    let (status, lines) = post_lines(app, "/api/chat", &body, cookie).await;
    assert_eq!(status, 200);
    assert_eq!(lines.last().unwrap(), &json!({"done": true}), "{lines:?}");
    ids(&lines[0])
}

/// What the model was sent last: the contents after the system prompt.
async fn last_history(fake: &FakeLlm) -> Vec<String> {
    let requests = fake.requests.lock().await;
    let messages = requests.last().unwrap().1["messages"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(messages[0]["role"], "system");
    messages[1..]
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect()
}

fn shown(messages: &Value) -> Vec<(i64, String)> {
    messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_i64().unwrap(),
                m["content"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_edited_question_is_a_sibling_branch_and_the_model_sees_only_the_branch_shown() {
    let fake = model("Sure.").await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("edit@example.com").await;

    let (c, u1, r1) = send(&app, &cookie, json!({"message": "Plan a trip"})).await;
    assert!(u1 < r1, "the question, then its answer");
    let (c2, u2, r2) = send(
        &app,
        &cookie,
        json!({"message": "To Huế", "conversation_id": c}),
    )
    .await;
    assert_eq!(c2, c);
    // Edit and resend the second question: a sibling of it, under r1.
    let (_, u3, r3) = send(
        &app,
        &cookie,
        json!({"message": "To Hà Nội", "conversation_id": c, "parent_id": r1}),
    )
    .await;
    assert_eq!(
        last_history(&fake).await,
        ["Plan a trip", "Sure.", "To Hà Nội"],
        "the old branch is not sent"
    );

    let messages = load(&app, &cookie, c).await;
    assert_eq!(
        shown(&messages),
        [
            (u1, "Plan a trip".to_owned()),
            (r1, "Sure.".to_owned()),
            (u3, "To Hà Nội".to_owned()),
            (r3, "Sure.".to_owned())
        ]
    );
    let m = messages.as_array().unwrap();
    assert_eq!(m[0]["parent_id"], Value::Null);
    assert_eq!(m[0]["siblings"], json!([u1]));
    assert_eq!(m[1]["parent_id"], u1);
    assert_eq!(m[1]["model"], "gpt-4o-mini");
    assert_eq!(m[1]["status"], "complete");
    assert_eq!(m[2]["parent_id"], r1);
    assert_eq!(
        m[2]["siblings"],
        json!([u2, u3]),
        "both questions, oldest first"
    );
    assert_eq!(m[3]["siblings"], json!([r3]));
    assert!(m[0]["created_at"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(m[0]["role"], "user");
    assert_eq!(m[0]["model"], Value::Null);

    // Back to the first branch: its newest message becomes the leaf.
    let res = app
        .post_json(
            "/api/conversations/switch",
            &json!({"id": c, "message_id": u2}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["ok"], true);
    let ids_shown: Vec<i64> = shown(&load(&app, &cookie, c).await)
        .iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(ids_shown, [u1, r1, u2, r2]);
    // A message without parent_id follows the branch shown.
    let (_, u4, _) = send(
        &app,
        &cookie,
        json!({"message": "By train", "conversation_id": c}),
    )
    .await;
    assert_eq!(
        last_history(&fake).await,
        ["Plan a trip", "Sure.", "To Huế", "Sure.", "By train"]
    );
    let messages = load(&app, &cookie, c).await;
    assert_eq!(messages[4]["id"], u4);
    assert_eq!(messages[4]["parent_id"], r2);

    // Switching to the first message shows its newest descendant's branch.
    let res = app
        .post_json(
            "/api/conversations/switch",
            &json!({"id": c, "message_id": u1}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(load(&app, &cookie, c).await.as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn a_regenerated_answer_is_a_sibling_asked_with_the_same_question() {
    let fake = model("Answer.").await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("regen@example.com").await;
    let (c, u1, r1) = send(&app, &cookie, json!({"message": "Why is the sky blue?"})).await;

    let (status, lines) = post_lines(
        &app,
        "/api/chat/regenerate",
        &json!({"message_id": r1}),
        &cookie,
    )
    .await;
    assert_eq!(status, 200);
    let (c2, u2, r2) = ids(&lines[0]);
    assert_eq!((c2, u2), (c, u1), "the same conversation and question");
    assert_ne!(r2, r1);
    assert_eq!(streamed_text(&lines), "Answer.");
    assert_eq!(lines.last().unwrap(), &json!({"done": true}));
    assert_eq!(last_history(&fake).await, ["Why is the sky blue?"]);

    let messages = load(&app, &cookie, c).await;
    assert_eq!(messages.as_array().unwrap().len(), 2);
    assert_eq!(messages[1]["id"], r2);
    assert_eq!(messages[1]["parent_id"], u1);
    assert_eq!(messages[1]["siblings"], json!([r1, r2]));

    // Only an answer can be regenerated; a stranger's is not found.
    let res = app
        .post_json(
            "/api/chat/regenerate",
            &json!({"message_id": u1}),
            Some(&cookie),
        )
        .await;
    failure(res, 400, "bad_request").await;
    let mallory = app.signed_in("mallory-regen@example.com").await;
    let res = app
        .post_json(
            "/api/chat/regenerate",
            &json!({"message_id": r1}),
            Some(&mallory),
        )
        .await;
    failure(res, 404, "not_found").await;
    let res = app
        .post_json(
            "/api/conversations/switch",
            &json!({"id": c, "message_id": r1}),
            Some(&mallory),
        )
        .await;
    failure(res, 404, "not_found").await;
    assert_eq!(
        fake.requests.lock().await.len(),
        2,
        "no refused call asked the model"
    );
}

#[tokio::test]
async fn a_parent_from_another_conversation_is_404_and_null_starts_a_new_first_message() {
    let fake = model("Ok.").await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("parents@example.com").await;
    let (a, a1, _) = send(&app, &cookie, json!({"message": "First"})).await;
    let (b, _, b_reply) = send(&app, &cookie, json!({"message": "Other"})).await;

    for body in [
        json!({"message": "Wrong", "conversation_id": a, "parent_id": b_reply}),
        json!({"message": "Wrong", "parent_id": b_reply}),
        json!({"message": "Wrong", "conversation_id": a, "parent_id": 999_999}),
    ] {
        let res = app.post_json("/api/chat", &body, Some(&cookie)).await;
        failure(res, 404, "not_found").await;
    }
    let res = app
        .post_json(
            "/api/conversations/switch",
            &json!({"id": a, "message_id": b_reply}),
            Some(&cookie),
        )
        .await;
    failure(res, 404, "not_found").await;

    // null: a new first message, beside the old one.
    let (_, n1, _) = send(
        &app,
        &cookie,
        json!({"message": "Start over", "conversation_id": a, "parent_id": null}),
    )
    .await;
    assert_eq!(last_history(&fake).await, ["Start over"]);
    let messages = load(&app, &cookie, a).await;
    assert_eq!(messages.as_array().unwrap().len(), 2);
    assert_eq!(messages[0]["id"], n1);
    assert_eq!(messages[0]["parent_id"], Value::Null);
    assert_eq!(messages[0]["siblings"], json!([a1, n1]));
    assert_eq!(load(&app, &cookie, b).await.as_array().unwrap().len(), 2);
}
