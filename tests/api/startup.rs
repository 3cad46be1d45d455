//! The real binary: bad configuration, start and graceful stop.

use std::{process::Stdio, time::Duration};

use serde_json::json;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

use crate::{
    fake_llm::{FakeLlm, Script},
    helpers::spawn_app_with,
};

fn palaver() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_palaver"));
    let dir = tempfile::tempdir().unwrap().keep();
    cmd.current_dir(&dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

async fn fails_with(var: &str, value: &str, expected: &str) {
    let out = palaver().env(var, value).output().await.unwrap();
    assert!(!out.status.success(), "{var}={value} should stop start-up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(lines[0].contains(var), "{var} not named: {stderr}");
    assert!(lines[0].contains(expected), "{stderr}");
}

#[tokio::test]
async fn a_bad_value_stops_start_up_with_one_line_naming_it() {
    fails_with("LEPTOS_SITE_ADDR", "nowhere", "HOST:PORT").await;
    fails_with("APP_ENV", "staging", "staging").await;
    fails_with("DATABASE_URL", "mysql://localhost/x", "unknown scheme").await;
    fails_with("TRUSTED_PROXIES", "banana", "banana").await;
    fails_with("PUBLIC_BASE_URL", "not a url", "PUBLIC_BASE_URL").await;
}

#[tokio::test]
async fn an_unreachable_database_stops_start_up_clearly() {
    let out = palaver()
        .env("DATABASE_URL", "postgres://palaver@127.0.0.1:1/palaver")
        .env("DB_ACQUIRE_TIMEOUT_SECONDS", "2")
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn serves_on_defaults_and_stops_gracefully_on_sigterm() {
    let mut child = palaver().spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.contains("palaver listening") {
                return line.split("addr=").nth(1).unwrap().trim().to_owned();
            }
        }
        panic!("server exited before listening");
    })
    .await
    .expect("server did not start");

    let res = reqwest::get(format!("http://{addr}/auth/healthz"))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let pid = child.id().unwrap().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("did not stop on SIGTERM")
        .unwrap();
    assert!(status.success(), "exit status {status}");
}

#[tokio::test]
async fn shutdown_does_not_wait_forever_for_an_open_stream() {
    let fake = FakeLlm::start(Script::Hang).await;
    let app = spawn_app_with(&[
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_TIMEOUT_SECONDS", "600"),
    ])
    .await;
    let cookie = app.signed_in("drain@example.com").await;
    let mut res = app
        .post_json(
            "/api/chat",
            &json!({"message": "Still there?"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    let first = res.chunk().await.unwrap().expect("the first line");
    assert!(String::from_utf8_lossy(&first).contains("conversation_id"));

    // The model never answers and the stream stays open, yet shutdown
    // completes (at the drain limit) rather than waiting for it.
    tokio::time::timeout(Duration::from_secs(30), app.shut_down())
        .await
        .expect("shutdown ends with a stream still open")
        .expect("and ends cleanly");
}
