//! `LLM_PROVIDER=webhook`: chat through a fake n8n-style webhook that checks
//! the token as a workflow would (HS256 signature, expiry, a fresh `jti`)
//! and answers in each shape such workflows send.

use std::{collections::HashSet, sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Json, Router,
};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};
use tokio::sync::Mutex;

use crate::{
    fake_llm::{cut, sse},
    helpers::{spawn_app_with, TestApp},
};

const SECRET: &str = "a-webhook-secret-of-32-bytes-ok!";

/// How the fake answers.
#[derive(Clone)]
enum Reply {
    /// 200 with this content type and these writes, a pause before each.
    Writes(&'static str, Vec<Vec<u8>>),
    Status(u16),
    Hang,
}

#[derive(Clone, Debug, serde::Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
    jti: String,
}

#[derive(Default)]
struct Seen {
    /// The claims and body of each request whose token was good.
    accepted: Vec<(Claims, Value)>,
    /// Requests refused for their token.
    refused: usize,
    jtis: HashSet<String>,
}

#[derive(Clone)]
struct Fake {
    reply: Arc<Mutex<Reply>>,
    seen: Arc<Mutex<Seen>>,
}

impl Fake {
    async fn start(reply: Reply) -> (Self, String) {
        let fake = Self {
            reply: Arc::new(Mutex::new(reply)),
            seen: Arc::default(),
        };
        let app = Router::new()
            .route("/webhook/palaver", post(answer))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/webhook/palaver", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (fake, url)
    }

    async fn set(&self, reply: Reply) {
        *self.reply.lock().await = reply;
    }
}

/// Checks the token as an n8n JWT credential does, then answers.
async fn answer(State(fake): State<Fake>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "iat", "sub", "jti"]);
    validation.leeway = 0;
    let claims = match decode::<Claims>(
        token,
        &DecodingKey::from_secret(SECRET.as_bytes()).unwrap(),
        &validation,
    ) {
        Ok(data) => data.claims,
        Err(_) => {
            fake.seen.lock().await.refused += 1;
            return (StatusCode::UNAUTHORIZED, "bad token").into_response();
        }
    };
    {
        let mut seen = fake.seen.lock().await;
        if !seen.jtis.insert(claims.jti.clone()) {
            seen.refused += 1;
            return (StatusCode::UNAUTHORIZED, "replayed token").into_response();
        }
        seen.accepted.push((claims, body));
    }
    match fake.reply.lock().await.clone() {
        Reply::Status(code) => (
            StatusCode::from_u16(code).unwrap(),
            "SECRET-WORKFLOW-DETAIL",
        )
            .into_response(),
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            StatusCode::OK.into_response()
        }
        Reply::Writes(content_type, writes) => {
            let body = futures_util::stream::iter(writes).then(|w| async move {
                tokio::time::sleep(Duration::from_millis(2)).await;
                Ok::<_, std::io::Error>(Bytes::from(w))
            });
            (
                [(header::CONTENT_TYPE, content_type)],
                Body::from_stream(body),
            )
                .into_response()
        }
    }
}

use futures_util::StreamExt as _;

const PIECES: [&str; 3] = ["你好，", "Việt Nam ", "🎉 done."];

fn lines(values: &[Value]) -> Vec<u8> {
    values
        .iter()
        .map(|v| format!("{v}\n"))
        .collect::<String>()
        .into_bytes()
}

/// Every shape the contract names, cut into small writes (mid-character).
fn shapes() -> Vec<(&'static str, Reply)> {
    let whole: String = PIECES.concat();
    let n8n: Vec<Value> = std::iter::once(json!({"type": "begin", "metadata": {}}))
        .chain(PIECES.iter().map(|p| json!({"type": "item", "content": p})))
        .chain(std::iter::once(json!({"type": "end"})))
        .collect();
    let text_lines: Vec<Value> = PIECES.iter().map(|p| json!({"text": p})).collect();
    let pretty = serde_json::to_vec_pretty(&json!([{"output": whole}])).unwrap();
    vec![
        (
            "SSE",
            Reply::Writes("text/event-stream", cut(&sse(&PIECES), 5)),
        ),
        (
            "n8n chunks",
            Reply::Writes("application/json", cut(&lines(&n8n), 7)),
        ),
        (
            "text lines",
            Reply::Writes("application/x-ndjson", cut(&lines(&text_lines), 3)),
        ),
        (
            "one output",
            Reply::Writes(
                "application/json; charset=utf-8",
                vec![json!({"output": whole}).to_string().into_bytes()],
            ),
        ),
        (
            "items, pretty",
            Reply::Writes("application/json", cut(&pretty, 4)),
        ),
    ]
}

async fn app_on(url: &str, secret: &str, extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("LLM_PROVIDER", "webhook"),
        ("WEBHOOK_URL", url),
        ("WEBHOOK_JWT_SECRET", secret),
    ];
    env.extend_from_slice(extra);
    spawn_app_with(&env).await
}

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

fn streamed(lines: &[Value]) -> String {
    lines.iter().filter_map(|l| l["text"].as_str()).collect()
}

#[tokio::test]
async fn every_answer_shape_reaches_the_browser_as_the_same_lines() {
    let (fake, url) = Fake::start(Reply::Hang).await;
    let app = app_on(&url, SECRET, &[]).await;
    let cookie = app.signed_in("hook@example.com").await;
    let me = app.get_json("/auth/me", &cookie).await;
    let uid = me["user"]["uid"].as_str().unwrap().to_owned();
    let whole = PIECES.concat();

    let mut conversation = None;
    for (i, (shape, reply)) in shapes().into_iter().enumerate() {
        fake.set(reply).await;
        let mut body = json!({"message": format!("Question {i}")});
        if let Some(id) = conversation {
            body["conversation_id"] = json!(id);
        }
        let (status, lines) = chat(&app, &cookie, body).await;
        assert_eq!(status, 200, "{shape}");
        assert_eq!(streamed(&lines), whole, "{shape}: {lines:?}");
        let last = lines.last().unwrap();
        assert_eq!(last["done"], true, "{shape}: {last}");
        let id = lines[0]["conversation_id"].as_i64().unwrap();
        conversation = Some(id);

        let seen = fake.seen.lock().await;
        let (claims, sent) = seen.accepted.last().unwrap();
        assert_eq!(claims.sub, uid, "{shape}");
        assert_eq!(claims.exp - claims.iat, 30, "{shape}");
        assert_eq!(sent["message"], format!("Question {i}"), "{shape}");
        assert_eq!(
            sent["conversation_id"], id,
            "{shape}: the id, even for a new one"
        );
        assert_eq!(sent["user"]["uid"], uid);
        assert!(sent["user"]["display_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()));
        let history = sent["history"].as_array().unwrap();
        // The earlier turns, at most MAX_HISTORY (6) of them, and no
        // system prompt: the workflow's agent has its own.
        assert_eq!(history.len(), (2 * i).min(6), "{shape}");
        if let [.., question, answer] = history.as_slice() {
            assert_eq!(
                question,
                &json!({"role": "user", "content": format!("Question {}", i - 1)})
            );
            assert_eq!(answer, &json!({"role": "assistant", "content": whole}));
        }
    }
    let seen = fake.seen.lock().await;
    assert_eq!(seen.refused, 0);
    assert_eq!(seen.jtis.len(), shapes().len(), "a fresh jti each time");
    drop(seen);

    let stored: Value = app
        .get_as(
            &format!("/api/conversations/load?id={}", conversation.unwrap()),
            &cookie,
        )
        .await
        .json()
        .await
        .unwrap();
    let answers: Vec<&Value> = stored
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "assistant")
        .collect();
    assert_eq!(answers.len(), shapes().len());
    for answer in answers {
        assert_eq!(answer["content"], whole);
        assert_eq!(answer["status"], "complete");
    }
}

#[tokio::test]
async fn a_wrong_secret_a_failing_workflow_and_a_silent_one_are_told_plainly() {
    let (fake, url) = Fake::start(Reply::Writes(
        "application/json",
        vec![br#"{"output":"never"}"#.to_vec()],
    ))
    .await;
    let wrong = app_on(&url, "not-the-secret-the-workflow-checks", &[]).await;
    let cookie = wrong.signed_in("wrong@example.com").await;
    let (status, lines) = chat(&wrong, &cookie, json!({"message": "Hi"})).await;
    assert_eq!(status, 200);
    let last = lines.last().unwrap();
    assert_eq!(last["code"], "model_refused_credentials", "{lines:?}");
    assert_eq!(
        fake.seen.lock().await.refused,
        1,
        "the fake refused the token"
    );
    assert!(!format!("{lines:?}").contains("SECRET"));

    let app = app_on(&url, SECRET, &[("LLM_TIMEOUT_SECONDS", "1")]).await;
    let cookie = app.signed_in("fails@example.com").await;
    for (reply, code) in [
        (Reply::Status(500), "model_failed"),
        (Reply::Status(404), "model_failed"),
        (Reply::Hang, "model_timeout"),
        (
            Reply::Writes(
                "application/json",
                vec![br#"{"type":"error","content":"x"}"#.to_vec()],
            ),
            "model_interrupted",
        ),
        (
            Reply::Writes("application/json", vec![b"<html>".to_vec()]),
            "model_interrupted",
        ),
    ] {
        fake.set(reply).await;
        let (status, lines) = chat(&app, &cookie, json!({"message": "Hi"})).await;
        assert_eq!(status, 200);
        let last = lines.last().unwrap();
        assert_eq!(last["code"], code, "{lines:?}");
        assert!(!format!("{lines:?}").contains("SECRET-WORKFLOW-DETAIL"));
    }
    // Plain text from a "Respond with text" node is the answer itself.
    fake.set(Reply::Writes(
        "text/plain; charset=utf-8",
        cut("Xin chào!\n".as_bytes(), 3),
    ))
    .await;
    let (_, lines) = chat(&app, &cookie, json!({"message": "Hi"})).await;
    assert_eq!(streamed(&lines), "Xin chào!");
}
