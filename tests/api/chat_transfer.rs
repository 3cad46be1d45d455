//! Export (Markdown of the branch shown, JSON of the whole tree) and import
//! (Palaver's JSON, ChatGPT's `conversations.json` with its branches).

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    chat_lines::{app_with, ids, load, post_lines},
    fake_llm::{sse, FakeLlm, Script},
    helpers::{failure, TestApp},
};

async fn model_saying(answer: &str) -> FakeLlm {
    FakeLlm::start(Script::Stream {
        writes: vec![sse(&[answer])],
        pause: Duration::ZERO,
    })
    .await
}

async fn say(fake: &FakeLlm, answer: &str) {
    fake.set(Script::Stream {
        writes: vec![sse(&[answer])],
        pause: Duration::ZERO,
    })
    .await;
}

async fn import(app: &TestApp, cookie: &str, body: &Value) -> reqwest::Response {
    app.post_json("/api/conversations/import", body, Some(cookie))
        .await
}

fn contents(messages: &Value) -> Vec<String> {
    messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect()
}

/// A ChatGPT `conversations.json` as the export writes it: a root without
/// a message, a hidden system prompt, a question edited once (two
/// branches), a tool call, and `current_node` on the edited branch.
fn chatgpt_export() -> Value {
    let node = |id: &str, parent: Option<&str>, children: &[&str], message: Value| json!({"id": id, "parent": parent, "children": children, "message": message});
    let message = |role: &str, text: &str, time: f64, extra: Value| {
        let mut m = json!({
            "id": format!("m-{time}"),
            "author": {"role": role, "name": null, "metadata": {}},
            "create_time": time,
            "content": {"content_type": "text", "parts": [text]},
            "status": "finished_successfully",
            "metadata": extra,
        });
        if role == "tool" {
            m["content"] = json!({"content_type": "code", "text": "print(1)"});
        }
        m
    };
    json!([{
        "title": "Bánh mì recipe",
        "create_time": 1_700_000_000.5,
        "update_time": 1_700_000_900.0,
        "current_node": "a2",
        "mapping": {
            "root": node("root", None, &["sys"], Value::Null),
            "sys": node("sys", Some("root"), &["u1", "u2"], message("system", "", 1_700_000_001.0,
                json!({"is_visually_hidden_from_conversation": true}))),
            "u1": node("u1", Some("sys"), &["a1"], message("user", "How do I bake bánh mì?", 1_700_000_010.0, json!({}))),
            "a1": node("a1", Some("u1"), &[], message("assistant", "First, the dough.", 1_700_000_020.0,
                json!({"model_slug": "gpt-4o"}))),
            "u2": node("u2", Some("sys"), &["t2"], message("user", "How do I bake bánh mì at home?", 1_700_000_100.0, json!({}))),
            "t2": node("t2", Some("u2"), &["a2"], message("tool", "", 1_700_000_110.0, json!({}))),
            "a2": node("a2", Some("t2"), &[], message("assistant", "At home, use a hot oven.", 1_700_000_120.0,
                json!({"model_slug": "gpt-4o-mini"}))),
        }
    }])
}

#[tokio::test]
async fn a_chatgpt_export_is_imported_with_its_branches() {
    let fake = model_saying("Ok.").await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("import@example.com").await;
    let res = import(&app, &cookie, &chatgpt_export()).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true);
    let c = body["imported"][0].as_i64().expect("an imported id");

    let list = app.get_json("/api/conversations/list", &cookie).await;
    assert_eq!(list[0]["title"], "Bánh mì recipe");
    assert_eq!(list[0]["model"], "gpt-4o-mini");
    // The branch ChatGPT showed last, the tool call and system prompt left out.
    let shown = load(&app, &cookie, c).await;
    assert_eq!(
        contents(&shown),
        ["How do I bake bánh mì at home?", "At home, use a hot oven."]
    );
    assert_eq!(shown[0]["siblings"].as_array().unwrap().len(), 2, "{shown}");
    assert_eq!(shown[0]["created_at"], 1_700_000_100);
    assert_eq!(shown[1]["model"], "gpt-4o-mini");
    // The other branch is there too.
    let first = shown[0]["siblings"][0].clone();
    let res = app
        .post_json(
            "/api/conversations/switch",
            &json!({"id": c, "message_id": first}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        contents(&load(&app, &cookie, c).await),
        ["How do I bake bánh mì?", "First, the dough."]
    );
}

#[tokio::test]
async fn an_export_downloads_and_reads_back_as_the_same_tree() {
    let fake = model_saying("Phở is a soup.").await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("export@example.com").await;
    let (_, lines) = post_lines(
        &app,
        "/api/chat",
        &json!({"message": "What is phở?"}),
        &cookie,
    )
    .await;
    let (c, _, r1) = ids(&lines[0]);
    say(&fake, "A Vietnamese noodle soup.").await;
    let (status, _) = post_lines(
        &app,
        "/api/chat/regenerate",
        &json!({"message_id": r1}),
        &cookie,
    )
    .await;
    assert_eq!(status, 200);

    let res = app
        .get_as(
            &format!("/api/conversations/export?id={c}&format=md"),
            &cookie,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/markdown; charset=utf-8"
    );
    assert_eq!(
        res.headers()["content-disposition"],
        format!("attachment; filename=\"palaver-{c}.md\"")
    );
    let md = res.text().await.unwrap();
    assert_eq!(
        md,
        "# What is phở?\n\n## You\n\nWhat is phở?\n\n## Assistant (gpt-4o-mini)\n\nA Vietnamese noodle soup.\n",
        "the branch shown only"
    );

    let res = app
        .get_as(
            &format!("/api/conversations/export?id={c}&format=json"),
            &cookie,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let tree: Value = res.json().await.unwrap();
    assert_eq!(tree["title"], "What is phở?");
    assert_eq!(tree["model"], "gpt-4o-mini");
    assert!(tree["created_at"].as_i64().unwrap() > 0);
    let messages = tree["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3, "both answers: {tree}");
    assert_eq!(messages[1]["parent_id"], messages[0]["id"]);
    assert_eq!(messages[2]["parent_id"], messages[0]["id"]);
    assert_eq!(messages[2]["status"], "complete");

    // Read back: the same branches, the same one shown.
    let res = import(&app, &cookie, &tree).await;
    assert_eq!(res.status(), 200);
    let copy = res.json::<Value>().await.unwrap()["imported"][0]
        .as_i64()
        .unwrap();
    assert_ne!(copy, c);
    let shown = load(&app, &cookie, copy).await;
    assert_eq!(
        contents(&shown),
        ["What is phở?", "A Vietnamese noodle soup."]
    );
    assert_eq!(shown[1]["siblings"].as_array().unwrap().len(), 2);

    // Someone else's is not found; a format not offered is refused.
    let mallory = app.signed_in("mallory-export@example.com").await;
    failure(
        app.get_as(
            &format!("/api/conversations/export?id={c}&format=md"),
            &mallory,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    failure(
        app.get_as(
            &format!("/api/conversations/export?id={c}&format=pdf"),
            &cookie,
        )
        .await,
        400,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn a_bad_file_is_400_with_its_reason_and_imports_nothing() {
    let fake = model_saying("Ok.").await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("bad-import@example.com").await;
    let mut broken = chatgpt_export();
    let mut second = broken[0].clone();
    second["mapping"]["a1"]["parent"] = json!("nowhere");
    broken.as_array_mut().unwrap().push(second);
    for (body, reason) in [
        (json!({"hello": "world"}), "neither"),
        (json!([]), "no conversation"),
        (broken, "conversation 2"),
        (
            json!({"title": "x", "messages": [{"id": 1, "role": "robot", "content": "x"}]}),
            "role",
        ),
    ] {
        let res = import(&app, &cookie, &body).await;
        let answer = failure(res, 400, "bad_request").await;
        let error = answer["error"].as_str().unwrap();
        assert!(error.contains(reason), "{error}");
    }
    let res = app
        .client
        .post(app.url("/api/conversations/import"))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert!(failure(res, 400, "bad_request").await["error"]
        .as_str()
        .unwrap()
        .contains("not JSON"));
    assert_eq!(
        app.get_json("/api/conversations/list", &cookie).await,
        json!([]),
        "nothing was imported, not even the good conversation"
    );
    failure(
        app.post_json("/api/conversations/import", &chatgpt_export(), None)
            .await,
        401,
        "unauthorized",
    )
    .await;

    // Larger than the 64 KiB of other calls: an import may be megabytes.
    let long = "chữ ".repeat(100_000);
    let big = json!({"title": "Long", "messages": [
        {"id": 1, "parent_id": null, "role": "user", "content": long}
    ]});
    let res = import(&app, &cookie, &big).await;
    assert_eq!(res.status(), 200);
}
