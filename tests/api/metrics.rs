//! `GET /metrics`: absent without `METRICS_TOKEN`, behind its bearer token
//! with it, and counting what happened under fixed labels (a route's
//! pattern, never its raw path). nextest runs each test in its own process,
//! so each sees only its own app's counts.

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    fake_llm::{sse, FakeLlm, Script},
    helpers::{spawn_app, spawn_app_with, TestApp, PASSWORD},
};

const TOKEN: &str = "scraper-token-0123456789abcdef";

async fn scrape(app: &TestApp) -> String {
    let res = app.get_bearer("/metrics", TOKEN).await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

/// The value of the series written exactly as `series` (name and labels).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        l.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

#[tokio::test]
async fn without_a_token_there_is_no_metrics_route() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status(), 404);
}

#[tokio::test]
async fn metrics_answer_only_to_the_bearer_token_and_are_never_cached() {
    let app = spawn_app_with(&[("METRICS_TOKEN", TOKEN)]).await;
    let bare = app.get("/metrics").await;
    assert_eq!(bare.status(), 401);
    assert_eq!(
        bare.headers()["www-authenticate"],
        "Bearer realm=\"metrics\""
    );
    for wrong in ["wrong", "scraper-token-0123456789abcdeF", ""] {
        let res = app.get_bearer("/metrics", wrong).await;
        assert_eq!(res.status(), 401, "token {wrong:?}");
    }
    let basic = app
        .client
        .get(app.url("/metrics"))
        .basic_auth("prometheus", Some(TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);

    let res = app.get_bearer("/metrics", TOKEN).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    let text = res.text().await.unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        value(
            &text,
            &format!("palaver_build_info{{version=\"{version}\"}}")
        ),
        Some(1.0),
        "{text}"
    );
    assert!(value(&text, "palaver_start_time_seconds").is_some_and(|t| t > 1.7e9));
    assert_eq!(
        value(&text, "palaver_mail_queue_depth"),
        Some(0.0),
        "{text}"
    );
    assert_eq!(value(&text, "palaver_password_hash_queue"), Some(0.0));
    let idle = value(&text, "palaver_db_pool_connections{state=\"idle\"}");
    let in_use = value(&text, "palaver_db_pool_connections{state=\"in_use\"}");
    assert!(idle.is_some() && in_use.is_some(), "{text}");
}

#[tokio::test]
async fn requests_are_counted_by_route_pattern_with_their_status_and_latency() {
    let app = spawn_app_with(&[("METRICS_TOKEN", TOKEN)]).await;
    let cookie = app.signed_in("ann@example.com").await;
    for _ in 0..2 {
        assert_eq!(
            app.login("ann@example.com", "not her password")
                .await
                .status(),
            401
        );
    }
    assert_eq!(app.get("/pkg/palaver.css").await.status(), 200);
    // A path that carries something secret-looking must not become a label.
    let odd = "/reset-password/tok_5ecret_value_in_path";
    assert_eq!(app.get(odd).await.status(), 404);
    assert_eq!(app.get_as("/app", &cookie).await.status(), 200);
    // A method a client makes up is counted, but cannot add series at will.
    for made_up in ["BREW", "WHEN"] {
        let method = reqwest::Method::from_bytes(made_up.as_bytes()).unwrap();
        let res = app
            .client
            .request(method, app.url("/auth/me"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405);
    }
    let text = scrape(&app).await;

    let series = |labels: &str| value(&text, &format!("http_requests_total{{{labels}}}"));
    assert_eq!(
        series("method=\"POST\",route=\"/auth/login\",status=\"200\""),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        series("method=\"POST\",route=\"/auth/login\",status=\"401\""),
        Some(2.0)
    );
    assert_eq!(
        series("method=\"POST\",route=\"/auth/register\",status=\"201\""),
        Some(1.0)
    );
    assert_eq!(
        series("method=\"GET\",route=\"/pkg/{file}\",status=\"200\""),
        Some(1.0)
    );
    assert_eq!(
        series("method=\"GET\",route=\"/app\",status=\"200\""),
        Some(1.0)
    );
    assert_eq!(
        series("method=\"GET\",route=\"fallback\",status=\"404\""),
        Some(1.0)
    );
    assert_eq!(
        series("method=\"other\",route=\"/auth/me\",status=\"405\""),
        Some(2.0),
        "{text}"
    );
    assert!(!text.contains("BREW"));
    assert!(!text.contains("5ecret"), "a raw path reached a label");
    assert!(!text.contains("ann@example.com"));

    // The latency histogram, by route, with its buckets and count.
    assert_eq!(
        value(
            &text,
            "http_request_duration_seconds_count{route=\"/auth/login\"}"
        ),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            "http_request_duration_seconds_bucket{route=\"/auth/login\",le=\"+Inf\"}"
        ),
        Some(3.0)
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{route=\"/auth/login\",le=\"0.001\"}")
    );

    assert_eq!(
        value(&text, "palaver_logins_total{result=\"success\"}"),
        Some(1.0)
    );
    assert_eq!(
        value(&text, "palaver_logins_total{result=\"failure\"}"),
        Some(2.0)
    );
}

#[tokio::test]
async fn refused_sign_ins_are_counted_by_rule_and_as_rate_limited() {
    let app = spawn_app_with(&[("METRICS_TOKEN", TOKEN), ("RATE_LIMIT_LOGIN_IP", "2/600")]).await;
    for _ in 0..3 {
        assert_eq!(app.login("bob@example.com", PASSWORD).await.status(), 401);
    }
    let text = scrape(&app).await;
    assert_eq!(
        value(
            &text,
            "palaver_rate_limit_refusals_total{rule=\"login:ip\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "palaver_logins_total{result=\"rate_limited\"}"),
        Some(1.0)
    );
    assert_eq!(
        value(&text, "palaver_logins_total{result=\"failure\"}"),
        Some(2.0)
    );
}

#[tokio::test]
async fn streams_tokens_and_model_errors_are_counted() {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["one ", "two ", "three"])],
        pause: Duration::from_millis(1),
    })
    .await;
    let app = spawn_app_with(&[
        ("METRICS_TOKEN", TOKEN),
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_API_KEY", "test-key"),
        ("RATE_LIMIT_LOGIN_IP", "2/600"),
    ])
    .await;
    let cookie = app.signed_in("cat@example.com").await;
    let answer = app
        .post_json("/api/chat", &json!({"message": "count"}), Some(&cookie))
        .await;
    assert_eq!(answer.status(), 200);
    assert!(answer.text().await.unwrap().contains("\"done\":true"));

    fake.set(Script::Status(500)).await;
    let failed = app
        .post_json("/api/chat", &json!({"message": "again"}), Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    let code = failed
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find_map(|l| l["code"].as_str().map(str::to_owned))
        .expect("an error line with a code");

    let text = scrape(&app).await;
    assert_eq!(
        value(&text, "palaver_chat_tokens_total"),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            &format!("palaver_llm_errors_total{{kind=\"{code}\"}}")
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(value(&text, "palaver_chat_streams_active"), Some(0.0));
    assert_eq!(
        value(
            &text,
            "http_requests_total{method=\"POST\",route=\"/api/chat\",status=\"200\"}"
        ),
        Some(2.0)
    );

    // By now every family has a series (a refused sign-in adds the last),
    // so the dashboard cannot ask for a name the server does not export.
    for _ in 0..2 {
        app.login("nobody@example.com", "wrong-password").await;
    }
    let text = scrape(&app).await;
    let families: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE ")?.split(' ').next())
        .collect();
    let dashboard: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/deploy/grafana/palaver.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut asked = 0;
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            for word in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                if !(word.starts_with("palaver_") || word.starts_with("http_")) {
                    continue;
                }
                let family = word.strip_suffix("_bucket").unwrap_or(word);
                assert!(
                    families.contains(&family),
                    "{} asks for {word}",
                    panel["title"]
                );
                asked += 1;
            }
        }
    }
    assert!(asked >= 15, "{asked}");
}
