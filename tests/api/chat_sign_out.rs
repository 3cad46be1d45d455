//! A stream of an answer ends when the session it streams to ends: signed
//! out, a password reset, or a session ended by another instance on the
//! database. The answer itself runs on for the account (chat v2).

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::{
    fake_llm::{cut, sse, FakeLlm, Script},
    helpers::{execute, session_cookie, spawn_app_with, TestApp, PASSWORD},
    smtp::SmtpSink,
};

/// A model that talks for about `seconds`, one piece every 100 ms.
async fn slow_model(seconds: usize) -> FakeLlm {
    let pieces: Vec<String> = (0..seconds * 10).map(|i| format!("w{i} ")).collect();
    let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let body = sse(&refs);
    let size = body.len() / (seconds * 10);
    FakeLlm::start(Script::Stream {
        writes: cut(&body, size),
        pause: Duration::from_millis(100),
    })
    .await
}

async fn app_with(fake: &FakeLlm, extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_API_KEY", "test-key"),
    ];
    env.extend_from_slice(extra);
    spawn_app_with(&env).await
}

/// An answer being read, line by line.
struct Reading {
    res: reqwest::Response,
    text: String,
}

impl Reading {
    async fn start(app: &TestApp, cookie: &str) -> Self {
        let res = app
            .post_json("/api/chat", &json!({"message": "Talk a lot"}), Some(cookie))
            .await;
        assert_eq!(res.status(), 200);
        let mut reading = Self {
            res,
            text: String::new(),
        };
        while !reading.text.contains("\"text\"") {
            assert!(reading.more().await, "the answer began");
        }
        reading
    }

    async fn more(&mut self) -> bool {
        match self.res.chunk().await.unwrap() {
            Some(chunk) => {
                self.text.push_str(std::str::from_utf8(&chunk).unwrap());
                true
            }
            None => false,
        }
    }

    /// Reads to the end (within `limit`) and returns the last line.
    async fn last_line(mut self, limit: Duration) -> (Value, String) {
        tokio::time::timeout(limit, async { while self.more().await {} })
            .await
            .expect("the stream ended in time");
        let last = self.text.lines().last().unwrap();
        (serde_json::from_str(last).unwrap(), self.text)
    }
}

fn conversation_of(text: &str) -> i64 {
    serde_json::from_str::<Value>(text.lines().next().unwrap()).unwrap()["conversation_id"]
        .as_i64()
        .unwrap()
}

async fn stored_answer(app: &TestApp, cookie: &str, conversation: i64) -> Value {
    let path = format!("/api/conversations/load?id={conversation}");
    for _ in 0..100 {
        let messages = app.get_json(&path, cookie).await;
        if messages.as_array().is_some_and(|m| m.len() == 2) {
            return messages[1].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the answer of conversation {conversation} was not stored");
}

#[tokio::test]
async fn signing_out_ends_the_answer_of_that_session_only() {
    let fake = slow_model(20).await;
    let app = app_with(&fake, &[]).await;
    let laptop = app.signed_in("two@example.com").await;
    let phone = session_cookie(&app.login("two@example.com", PASSWORD).await).unwrap();
    let on_laptop = Reading::start(&app, &laptop).await;
    let on_phone = Reading::start(&app, &phone).await;

    let signed_out = Instant::now();
    let res = app
        .post_json("/auth/logout", &json!({}), Some(&laptop))
        .await;
    assert_eq!(res.status(), 200);

    let (last, text) = on_laptop.last_line(Duration::from_secs(3)).await;
    assert!(
        signed_out.elapsed() < Duration::from_secs(2),
        "ended at once, not at a later check"
    );
    assert_eq!(last["code"], "unauthorized", "{last}");
    assert!(
        last["error"].as_str().unwrap().contains("signed out"),
        "{last}"
    );
    // The answer belongs to the account, not to the session: it runs on
    // and is stored, for when they sign in again (only Stop, the total
    // timeout or the model's end stop an answer).
    let again = session_cookie(&app.login("two@example.com", PASSWORD).await).unwrap();
    let answer = stored_answer(&app, &again, conversation_of(&text)).await;
    assert_eq!(answer["status"], "streaming", "{answer}");

    // The phone's session lives on, and so does its answer.
    let (last, _) = on_phone.last_line(Duration::from_secs(40)).await;
    assert_eq!(last, json!({"done": true}));
}

#[tokio::test]
async fn a_password_reset_ends_every_open_answer_of_that_user() {
    let fake = slow_model(20).await;
    let sink = SmtpSink::start().await;
    let app = app_with(
        &fake,
        &[
            ("SMTP_URL", &sink.url()),
            ("PUBLIC_BASE_URL", "https://chat.example.com/"),
        ],
    )
    .await;
    let cookie = app.signed_in("reset@example.com").await;
    sink.wait_for(1).await; // the welcome mail
    let reading = Reading::start(&app, &cookie).await;

    let res = app
        .post_json(
            "/auth/password/forgot",
            &json!({"identifier": "reset@example.com"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let token = sink.wait_for(2).await.pop().unwrap().reset_token().unwrap();
    let res = app
        .post_json(
            "/auth/password/reset",
            &json!({"token": token, "password": "brand-new-pass-7"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let reset_at = Instant::now();

    let (last, _) = reading.last_line(Duration::from_secs(3)).await;
    assert!(reset_at.elapsed() < Duration::from_secs(2));
    assert_eq!(last["code"], "unauthorized", "{last}");
}

#[tokio::test]
async fn a_session_ended_by_another_instance_ends_the_answer_within_seconds() {
    let fake = slow_model(30).await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("far@example.com").await;
    let reading = Reading::start(&app, &cookie).await;

    // Another instance on the same database ended it: nothing is announced
    // here, so only the stream's own check of its session can see it.
    execute(&app.db_url, "DELETE FROM sessions").await;
    let deleted = Instant::now();

    let (last, _) = reading.last_line(Duration::from_secs(10)).await;
    assert!(
        deleted.elapsed() < Duration::from_secs(8),
        "{:?}",
        deleted.elapsed()
    );
    assert_eq!(last["code"], "unauthorized", "{last}");
}

/// The stored id of a `palaver_session=VALUE` cookie.
fn stored_id_of(cookie: &str) -> String {
    let value = cookie.split_once('=').unwrap().1;
    palaver::server::session_store::stored_id(&value.parse().unwrap())
}

#[tokio::test]
async fn the_batched_check_ends_only_the_stream_of_the_session_ended_elsewhere() {
    let fake = slow_model(12).await;
    let app = app_with(&fake, &[]).await;
    let laptop = app.signed_in("pair@example.com").await;
    let phone = session_cookie(&app.login("pair@example.com", PASSWORD).await).unwrap();
    let other = app.signed_in("other@example.com").await;
    let on_laptop = Reading::start(&app, &laptop).await;
    let on_phone = Reading::start(&app, &phone).await;
    let on_other = Reading::start(&app, &other).await;

    // Ended on another instance: only the look-up every RECHECK sees it,
    // and it looks up all three sessions at once.
    let sql = format!(
        "DELETE FROM sessions WHERE id = '{}'",
        stored_id_of(&laptop)
    );
    execute(&app.db_url, &sql).await;
    let deleted = Instant::now();

    let (last, _) = on_laptop.last_line(Duration::from_secs(10)).await;
    assert!(deleted.elapsed() < Duration::from_secs(8));
    assert_eq!(last["code"], "unauthorized", "{last}");
    for reading in [on_phone, on_other] {
        let (last, _) = reading.last_line(Duration::from_secs(30)).await;
        assert_eq!(last, json!({"done": true}));
    }
}

#[tokio::test]
async fn the_batched_look_up_answers_for_more_sessions_than_one_query_holds() {
    let app = spawn_app_with(&[]).await;
    app.signed_in("many@example.com").await;
    let user_id = crate::helpers::query_text_int(&app.db_url, "SELECT email, id FROM users")
        .await
        .pop()
        .unwrap()
        .1;
    let now = app.state.clock.now();
    let mut ids = Vec::new();
    for i in 0..1300 {
        let row = palaver::server::db::SessionRow {
            id: format!("s{i}"),
            user_id: Some(user_id),
            data: "{}".into(),
            // Every third one has expired.
            expires_at: if i % 3 == 0 { now - 1 } else { now + 60 },
        };
        assert!(app.state.db.session_insert(&row).await.unwrap());
        ids.push(row.id);
    }
    ids.push("never-stored".into());
    let mut live = app.state.db.sessions_live(&ids, now).await.unwrap();
    live.sort();
    let mut expected: Vec<String> = (0..1300)
        .filter(|i| i % 3 != 0)
        .map(|i| format!("s{i}"))
        .collect();
    expected.sort();
    assert_eq!(live, expected);
}
