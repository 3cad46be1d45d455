//! A seeded fuzzer over every JSON route of the contract. Each run sends
//! `FUZZ_REQUESTS` (default 20,000) generated requests: wrong methods, wrong
//! and missing content types, truncated and deeply nested JSON, huge and
//! odd numbers, invalid UTF-8, odd cookies and query strings, header floods.
//! It asserts what a client must be able to rely on: no 5xx (the database
//! is not made to fail here), no panic and no dropped connection, every
//! failure body the contract's `{"ok":false,"error":...,"code":...}`, and
//! the server still healthy afterwards. (A flood of more headers than hyper
//! reads is answered `431` by hyper itself, before any handler: allowed.) `FUZZ_SEED` replays a run; the
//! seed of each run is printed. A longer soak runs from `benches/`.

use std::{sync::atomic::Ordering, time::Duration};

use futures_util::{stream, StreamExt};
use reqwest::{header::HeaderMap, Method};
use serde_json::{json, Value};

use crate::{
    fake_llm::{sse, FakeLlm, Script},
    helpers::{count_panics, spawn_app_with, TestApp},
};

/// xorshift64*: small, seedable, good enough to pick cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// The JSON routes of the contract, with the method each expects and the
/// fields of its body (or query).
const ROUTES: &[(&str, &str, &[&str])] = &[
    (
        "POST",
        "/auth/register",
        &["email", "password", "display_name", "phone"],
    ),
    ("POST", "/auth/login", &["identifier", "password"]),
    ("POST", "/auth/logout", &[]),
    ("GET", "/auth/me", &[]),
    ("POST", "/auth/password/forgot", &["identifier"]),
    ("POST", "/auth/password/reset", &["token", "password"]),
    ("GET", "/auth/healthz", &[]),
    (
        "POST",
        "/api/chat",
        &["message", "conversation_id", "model"],
    ),
    ("GET", "/api/chat/config", &[]),
    ("GET", "/api/conversations/list", &[]),
    ("GET", "/api/conversations/load", &["id"]),
    ("POST", "/api/conversations/rename", &["id", "title"]),
    ("POST", "/api/conversations/delete", &["id"]),
    ("POST", "/api/conversations/clear", &["id"]),
];

fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 9 } else { 11 }) {
        0 => json!(null),
        1 => json!(rng.chance(50)),
        2 => json!(rng.next() as i64),
        3 => json!(-1),
        4 => json!(0.5),
        5 => json!("a@b.c"),
        6 => json!("correct-horse-9"),
        7 => json!("x".repeat(rng.below(5000))),
        8 => json!("𝄞ǅ\u{0}\u{202e}<script>"),
        9 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth + 1)).collect()),
        _ => {
            let mut map = serde_json::Map::new();
            for i in 0..rng.below(4) {
                map.insert(format!("k{i}"), value(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

/// A body for `fields`, sometimes well-formed, mostly not.
fn body(rng: &mut Rng, fields: &[&str]) -> Vec<u8> {
    let mut object = serde_json::Map::new();
    for field in fields {
        if rng.chance(80) {
            object.insert((*field).into(), value(rng, 0));
        }
    }
    if rng.chance(10) {
        object.insert("unexpected".into(), value(rng, 0));
    }
    let mut bytes = serde_json::to_vec(&Value::Object(object)).unwrap();
    match rng.below(12) {
        0 => bytes.truncate(rng.below(bytes.len() + 1)), // cut off anywhere
        1 => {
            // Nested far deeper than any parser should follow.
            let depth = 1 + rng.below(5000);
            bytes = format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes();
        }
        2 => {
            bytes =
                br#"{"id": 1e999, "conversation_id": 18446744073709551616, "message": -0}"#.to_vec()
        }
        3 => {
            let at = rng.below(bytes.len() + 1);
            bytes.splice(at..at, [0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
        }
        4 => bytes.clear(),
        5 => bytes = vec![b'a'; 16 * 1024 + 1 + rng.below(70 * 1024)],
        6 => {
            // A form, with keys serde_qs nests.
            bytes = format!(
                "{}=a&email[a][b][c][d][e][f]=x&password=%ff%fe&id=9999999999999999999999&{}",
                fields.first().unwrap_or(&"x"),
                "k=v&".repeat(rng.below(300))
            )
            .into_bytes();
        }
        7 => bytes = b"\"just a string\"".to_vec(),
        8 => bytes = b"[1,2,3]".to_vec(),
        _ => {}
    }
    bytes
}

fn content_type(rng: &mut Rng) -> Option<&'static str> {
    *rng.pick(&[
        Some("application/json"),
        Some("application/json; charset=utf-8"),
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
        Some("application/vnd.api+json"),
        Some("\u{7f}garbage"),
        None,
    ])
}

fn odd_headers(rng: &mut Rng, headers: &mut HeaderMap) {
    if rng.chance(30) {
        let cookie = match rng.below(4) {
            0 => "palaver_session=not-a-session-id".to_owned(),
            1 => format!("palaver_session={}", "A".repeat(4000)),
            2 => (0..50).map(|i| format!("c{i}=v;")).collect(),
            _ => "palaver_session=; palaver_session=x; =; ;;".to_owned(),
        };
        if let Ok(v) = cookie.parse() {
            headers.insert("cookie", v);
        }
    }
    if rng.chance(10) {
        for i in 0..(50 + rng.below(100)) {
            headers.insert(
                reqwest::header::HeaderName::from_bytes(format!("x-flood-{i}").as_bytes()).unwrap(),
                "y".repeat(rng.below(200)).parse().unwrap(),
            );
        }
    }
    if rng.chance(5) {
        headers.insert("accept", "text/html".parse().unwrap()); // as a form post would
    }
    if rng.chance(5) {
        headers.insert(
            "x-forwarded-for",
            "1.2.3.4:99, [::1]:8, nonsense".parse().unwrap(),
        );
    }
}

struct Case {
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

fn case(rng: &mut Rng) -> Case {
    let (method, path, fields) = *rng.pick(ROUTES);
    let method = if rng.chance(15) {
        rng.pick(&[
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
            Method::GET,
            Method::POST,
        ])
        .clone()
    } else {
        method.parse().unwrap()
    };
    let mut path = path.to_owned();
    if rng.chance(30) {
        let query = match rng.below(4) {
            0 => "id=1".to_owned(),
            1 => "id=-99999999999999999999".to_owned(),
            2 => "id=%ff%00&id=2&id[x]=3".to_owned(),
            _ => format!("q={}", "z".repeat(rng.below(3000))),
        };
        path = format!("{path}?{query}");
    }
    let mut headers = HeaderMap::new();
    if let Some(ct) = content_type(rng) {
        if let Ok(v) = ct.parse() {
            headers.insert("content-type", v);
        }
    }
    odd_headers(rng, &mut headers);
    let body = if method == Method::GET && rng.chance(80) {
        Vec::new()
    } else {
        body(rng, fields)
    };
    Case {
        method,
        path,
        headers,
        body,
    }
}

/// What is wrong with one answer, if anything.
async fn check(app: &TestApp, case: Case) -> Option<String> {
    let label = format!("{} {}", case.method, case.path.split('?').next().unwrap());
    let res = match app
        .client
        .request(case.method, app.url(&case.path))
        .headers(case.headers)
        .body(case.body)
        .timeout(Duration::from_secs(30))
        .send()
        .await
    {
        Ok(res) => res,
        Err(e) => return Some(format!("{label}: no answer: {e}")),
    };
    let status = res.status();
    // hyper refuses a header flood itself, before any handler runs: a
    // plain HTTP answer, as every server gives.
    if status == reqwest::StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE {
        return None;
    }
    if status.is_server_error() {
        return Some(format!("{label}: {status}"));
    }
    if status.is_success() || status.is_redirection() {
        return None;
    }
    let bytes = res.bytes().await.unwrap_or_default();
    let body: Value = match serde_json::from_slice(&bytes) {
        Ok(body) => body,
        Err(_) => {
            return Some(format!(
                "{label}: {status} body is not JSON: {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            ))
        }
    };
    let shaped = body["ok"] == false
        && body["error"].as_str().is_some_and(|e| !e.is_empty())
        && body["code"].as_str().is_some_and(|c| {
            !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')
        });
    (!shaped).then(|| format!("{label}: {status} body lacks ok/error/code: {body}"))
}

#[tokio::test]
async fn generated_requests_never_break_the_contract() {
    let panics = count_panics();
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand_seed);
    let requests: usize = std::env::var("FUZZ_REQUESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    eprintln!("fuzz: seed {seed}, {requests} requests (FUZZ_SEED={seed} replays this run)");

    // A model is set up, so that a well-formed chat runs to the end like any
    // other request (without one, chat answers `503 not_configured`, which
    // is right for a server without a model, but not what is fuzzed here).
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["fuzzed ", "answer"])],
        pause: Duration::ZERO,
    })
    .await;
    let app = spawn_app_with(&[
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_API_KEY", "test-key"),
    ])
    .await;
    let cookie = app.signed_in("fuzz@example.com").await;
    let mut rng = Rng(seed | 1);
    let cases: Vec<Case> = (0..requests)
        .map(|i| {
            let mut case = case(&mut rng);
            // A tenth as a signed-in user, so the routes behind the session run too.
            if i % 10 == 0 && !case.headers.contains_key("cookie") {
                case.headers.insert("cookie", cookie.parse().unwrap());
            }
            case
        })
        .collect();
    let (rss_before, started) = (rss_kib(), std::time::Instant::now());
    let failures: Vec<String> = stream::iter(cases)
        .map(|case| check(&app, case))
        .buffer_unordered(32)
        .filter_map(|failure| async move { failure })
        .collect()
        .await;

    let secs = started.elapsed().as_secs_f64();
    // The figures the soak in benches/ reports (server and client share
    // this process, so RSS is both).
    eprintln!(
        "fuzz: {requests} requests in {secs:.1} s ({:.0}/s), {} broke the contract; RSS {} -> {} MiB",
        requests as f64 / secs,
        failures.len(),
        rss_before / 1024,
        rss_kib() / 1024
    );
    let health = app.get("/auth/healthz").await;
    assert_eq!(health.status(), 200, "healthz after the run");
    assert_eq!(
        panics.load(Ordering::SeqCst),
        0,
        "the server panicked (seed {seed})"
    );
    let mut kinds: Vec<&String> = failures.iter().collect();
    kinds.sort();
    kinds.dedup_by(|a, b| a.split(':').next() == b.split(':').next());
    assert!(
        failures.is_empty(),
        "{} of {requests} requests broke the contract (seed {seed}); first of each route:\n{}",
        failures.len(),
        kinds
            .iter()
            .take(20)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// This process's resident memory, from `/proc/self/status` (0 elsewhere).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn rand_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}
