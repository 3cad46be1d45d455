//! Reading the JSON lines of the chat calls, shared by the chat v2 tests.

use std::time::Duration;

use serde_json::Value;

use crate::{
    fake_llm::{cut, sse, FakeLlm, Script},
    helpers::{spawn_app_with, TestApp},
};

/// An app that talks to `fake`, plus `extra` settings.
pub async fn app_with(fake: &FakeLlm, extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_API_KEY", "test-key"),
        ("LLM_MODELS", "alt-model"),
    ];
    env.extend_from_slice(extra);
    spawn_app_with(&env).await
}

/// A model that answers `count` pieces `w0 w1 ...`, one every `every`.
pub async fn slow_model(count: usize, every: Duration) -> (FakeLlm, String) {
    let pieces: Vec<String> = (0..count).map(|i| format!("w{i} ")).collect();
    let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let body = sse(&refs);
    let fake = FakeLlm::start(Script::Stream {
        writes: cut(&body, body.len() / count),
        pause: every,
    })
    .await;
    (fake, pieces.concat())
}

/// The lines of a whole answer body.
pub fn parse(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or(Value::String(l.into())))
        .collect()
}

/// The text of every `{"text"}` line, joined.
pub fn streamed_text(lines: &[Value]) -> String {
    lines.iter().filter_map(|l| l["text"].as_str()).collect()
}

/// POSTs `body` to `path` and reads the whole answer: (status, lines).
pub async fn post_lines(
    app: &TestApp,
    path: &str,
    body: &Value,
    cookie: &str,
) -> (u16, Vec<Value>) {
    let res = app.post_json(path, body, Some(cookie)).await;
    let status = res.status().as_u16();
    (status, parse(&res.text().await.unwrap()))
}

/// The ids of an answer's first line: (conversation, message, reply).
pub fn ids(first: &Value) -> (i64, i64, i64) {
    (
        first["conversation_id"].as_i64().expect("conversation_id"),
        first["message_id"].as_i64().expect("message_id"),
        first["reply_id"].as_i64().expect("reply_id"),
    )
}

/// An answer being read, chunk by chunk.
pub struct Reader {
    res: reqwest::Response,
    /// Everything read so far.
    pub text: String,
}

impl Reader {
    /// Starts reading `res` (which must be a 200).
    pub fn new(res: reqwest::Response) -> Self {
        assert_eq!(res.status(), 200, "{}", res.url());
        Self {
            res,
            text: String::new(),
        }
    }

    /// Reads one more chunk; false at the end.
    pub async fn more(&mut self) -> bool {
        match self.res.chunk().await.unwrap() {
            Some(chunk) => {
                self.text.push_str(std::str::from_utf8(&chunk).unwrap());
                true
            }
            None => false,
        }
    }

    /// Reads until `lines` whole lines have come.
    pub async fn lines(&mut self, lines: usize) -> Vec<Value> {
        while self.text.matches('\n').count() < lines {
            assert!(self.more().await, "the stream ended early: {}", self.text);
        }
        parse(&self.text)
    }

    /// Reads until some answer text has come.
    pub async fn some_text(&mut self) {
        while streamed_text(&parse(&self.text)).is_empty() {
            assert!(self.more().await, "the stream ended early: {}", self.text);
        }
    }

    /// Reads to the end, within `limit`, and returns every line.
    pub async fn read_to_end(mut self, limit: Duration) -> Vec<Value> {
        tokio::time::timeout(limit, async { while self.more().await {} })
            .await
            .expect("the stream ended in time");
        parse(&self.text)
    }
}

/// The branch shown of a conversation, as `load` gives it.
pub async fn load(app: &TestApp, cookie: &str, id: i64) -> Value {
    app.get_json(&format!("/api/conversations/load?id={id}"), cookie)
        .await
}

/// Waits (up to 10 s) until `reply` is stored with a status other than
/// `streaming`, and returns it as `load` shows it.
pub async fn settled(app: &TestApp, cookie: &str, conversation: i64, reply: i64) -> Value {
    for _ in 0..200 {
        let messages = load(app, cookie, conversation).await;
        if let Some(m) = messages
            .as_array()
            .and_then(|list| list.iter().find(|m| m["id"] == reply))
        {
            if m["status"] != "streaming" {
                return m.clone();
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("answer {reply} did not settle");
}
