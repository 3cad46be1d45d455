//! Chat v2's answers that outlive their request: a reader that leaves does
//! not stop them, a reload re-attaches (on any instance), Stop works from
//! any instance on the database, and answers left by a dead instance are
//! marked partial.

use std::{
    sync::atomic::Ordering,
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use crate::{
    chat_lines::{app_with, ids, load, settled, slow_model, streamed_text, Reader},
    helpers::{execute, failure, query_text_int, TestApp},
};

async fn ask(app: &TestApp, cookie: &str, message: &str) -> Reader {
    Reader::new(
        app.post_json("/api/chat", &json!({"message": message}), Some(cookie))
            .await,
    )
}

async fn attach(app: &TestApp, cookie: &str, reply: i64) -> Reader {
    Reader::new(
        app.get_as(&format!("/api/chat/stream?reply_id={reply}"), cookie)
            .await,
    )
}

#[tokio::test]
async fn a_reader_that_leaves_does_not_stop_the_answer_which_is_stored_whole() {
    let (fake, answer) = slow_model(40, Duration::from_millis(25)).await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("leave@example.com").await;
    let mut reading = ask(&app, &cookie, "Talk a lot").await;
    reading.some_text().await;
    let (c, _, r) = ids(&reading.lines(1).await[0]);
    drop(reading); // the tab was closed

    let stored = settled(&app, &cookie, c, r).await;
    assert_eq!(stored["status"], "complete");
    assert_eq!(stored["content"], answer);
    assert!(
        !fake.client_closed.load(Ordering::SeqCst),
        "the model's answer was read to its end"
    );
}

#[tokio::test]
async fn a_reload_re_attaches_to_a_running_answer_and_to_a_finished_one() {
    let (fake, answer) = slow_model(30, Duration::from_millis(50)).await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("reload@example.com").await;
    let mallory = app.signed_in("mallory-reload@example.com").await;
    let mut first = ask(&app, &cookie, "Talk a lot").await;
    first.some_text().await;
    let (c, u, r) = ids(&first.lines(1).await[0]);

    // While it runs, the conversation says so, and a second reader gets
    // the same ids, then one line with everything so far, then the rest.
    let shown = load(&app, &cookie, c).await;
    assert_eq!(shown[1]["id"], r);
    assert_eq!(shown[1]["status"], "streaming");
    let mut second = attach(&app, &cookie, r).await;
    let head = second.lines(2).await;
    assert_eq!(
        head[0],
        json!({"conversation_id": c, "message_id": u, "reply_id": r})
    );
    let so_far = head[1]["text"].as_str().expect("a text line second");
    assert!(!so_far.is_empty() && answer.starts_with(so_far), "{so_far}");
    assert!(so_far.len() < answer.len(), "attached while it ran");
    // Nor can anyone else attach while it runs (here, known by the
    // registry, not read from the database).
    failure(
        app.get_as(&format!("/api/chat/stream?reply_id={r}"), &mallory)
            .await,
        404,
        "not_found",
    )
    .await;

    let second = second.read_to_end(Duration::from_secs(10)).await;
    assert_eq!(streamed_text(&second), answer);
    assert_eq!(second.last().unwrap(), &json!({"done": true}));
    let first = first.read_to_end(Duration::from_secs(10)).await;
    assert_eq!(streamed_text(&first), answer);

    // Once it is over: the stored text, then done.
    let after = attach(&app, &cookie, r)
        .await
        .read_to_end(Duration::from_secs(5))
        .await;
    assert_eq!(
        after,
        [
            json!({"conversation_id": c, "message_id": u, "reply_id": r}),
            json!({"text": answer}),
            json!({"done": true})
        ]
    );
    // Not someone else's, and not a question.
    failure(
        app.get_as(&format!("/api/chat/stream?reply_id={r}"), &mallory)
            .await,
        404,
        "not_found",
    )
    .await;
    failure(
        app.get_as(&format!("/api/chat/stream?reply_id={u}"), &cookie)
            .await,
        404,
        "not_found",
    )
    .await;
    failure(
        app.get_as("/api/chat/stream?reply_id=x", &cookie).await,
        400,
        "bad_request",
    )
    .await;
    assert_eq!(app.get("/api/chat/stream?reply_id=1").await.status(), 401);
}

/// Two instances on one database, as `scale.rs` makes them.
async fn pair(fake: &crate::fake_llm::FakeLlm) -> (TestApp, TestApp) {
    let first = app_with(fake, &[]).await;
    let second = app_with(fake, &[("DATABASE_URL", &first.db_url)]).await;
    (first, second)
}

#[tokio::test]
async fn stop_from_another_instance_ends_every_reader_within_a_second_and_keeps_the_text() {
    let (fake, answer) = slow_model(200, Duration::from_millis(50)).await;
    let (a, b) = pair(&fake).await;
    let cookie = a.signed_in("stop-far@example.com").await;
    let mut on_a = ask(&a, &cookie, "Talk a lot").await;
    on_a.some_text().await;
    let (c, _, r) = ids(&on_a.lines(1).await[0]);

    // B does not run it: it follows the database, where A writes the text
    // so far every two seconds at most.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mut on_b = attach(&b, &cookie, r).await;
    let head = on_b.lines(2).await;
    let so_far = head[1]["text"].as_str().unwrap();
    assert!(
        !so_far.is_empty(),
        "the text so far is stored while it runs"
    );
    assert!(answer.starts_with(so_far));

    let stopped_at = Instant::now();
    let res = b
        .post_json("/api/chat/stop", &json!({"reply_id": r}), Some(&cookie))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));

    let a_lines = on_a.read_to_end(Duration::from_secs(5)).await;
    assert!(
        stopped_at.elapsed() < Duration::from_millis(1500),
        "stopped within a second: {:?}",
        stopped_at.elapsed()
    );
    assert_eq!(a_lines.last().unwrap(), &json!({"stopped": true}));
    let b_lines = on_b.read_to_end(Duration::from_secs(5)).await;
    assert_eq!(b_lines.last().unwrap(), &json!({"stopped": true}));

    let stored = settled(&a, &cookie, c, r).await;
    assert_eq!(stored["status"], "partial");
    let text = stored["content"].as_str().unwrap();
    assert!(
        text.starts_with("w0 ") && text.len() < answer.len(),
        "{text}"
    );
    assert_eq!(
        streamed_text(&a_lines),
        text,
        "the reader saw what is stored"
    );
    assert_eq!(streamed_text(&b_lines), text, "so did the far reader");
    // Stopping what has ended changes nothing; a stranger's is not found.
    let res = a
        .post_json("/api/chat/stop", &json!({"reply_id": r}), Some(&cookie))
        .await;
    assert_eq!(res.status(), 200);
    let mallory = a.signed_in("mallory-stop@example.com").await;
    let res = a
        .post_json("/api/chat/stop", &json!({"reply_id": r}), Some(&mallory))
        .await;
    failure(res, 404, "not_found").await;
}

#[tokio::test]
async fn answers_left_streaming_by_a_dead_instance_are_marked_partial() {
    let (fake, _) = slow_model(5, Duration::from_millis(1)).await;
    let first = app_with(&fake, &[]).await;
    let cookie = first.signed_in("dead@example.com").await;
    let (c, _, r) = ids(&ask(&first, &cookie, "Hello")
        .await
        .read_to_end(Duration::from_secs(5))
        .await[0]);
    // What an instance that died mid-answer leaves: a streaming answer
    // whose heartbeat stopped long ago.
    execute(
        &first.db_url,
        &format!(
            "UPDATE messages SET status = 'streaming', content = 'half', heartbeat_at = 1 \
             WHERE id = {r}"
        ),
    )
    .await;
    let second = app_with(&fake, &[("DATABASE_URL", &first.db_url)]).await;
    let stored = settled(&second, &cookie, c, r).await;
    assert_eq!(stored["status"], "partial");
    assert_eq!(stored["content"], "half");
    let lines = attach(&second, &cookie, r)
        .await
        .read_to_end(Duration::from_secs(5))
        .await;
    assert_eq!(lines[1], json!({"text": "half"}));
    assert_eq!(lines.last().unwrap()["code"], "interrupted");
    let left = query_text_int(
        &first.db_url,
        "SELECT status, COUNT(*) FROM messages WHERE status = 'streaming' GROUP BY status",
    )
    .await;
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn a_client_that_asks_for_html_still_gets_the_lines_not_a_redirect() {
    let (fake, answer) = slow_model(3, Duration::from_millis(1)).await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("html@example.com").await;
    let page = app.url("/app");
    let res = app
        .client
        .post(app.url("/api/chat"))
        .header("cookie", &cookie)
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("referer", &page)
        .json(&json!({"message": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/x-ndjson");
    assert_eq!(res.headers().get("location"), None);
    let lines = crate::chat_lines::parse(&res.text().await.unwrap());
    assert_eq!(streamed_text(&lines), answer);
    assert_eq!(lines.last().unwrap()["done"], true);
}
