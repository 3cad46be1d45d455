//! The Palaver under test: started, watched (memory, descriptors, log) and
//! read back (its database).

use std::{
    collections::BTreeMap,
    path::Path,
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use reqwest::{header, StatusCode};
use serde_json::json;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

use crate::{
    fake::{expected, Ask},
    Config,
};

const PASSWORD: &str = "correct-horse-9";

/// A running Palaver (killed when dropped).
pub struct Palaver {
    pub child: Child,
    pub pid: u32,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// What it logged: each line with its time cut and numbers as `N`,
    /// and how often.
    pub log: Log,
}

/// Starts Palaver on a free port with its database and outbox in `dir`.
pub async fn start_palaver(config: &Config, fake: &str, dir: &Path) -> Result<Palaver, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let unlimited = "1000000000/60";
    let mut child = Command::new(&config.palaver)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", &config.site)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/bench.db", dir.display()),
        )
        .env("MAIL_OUTBOX_DIR", dir.join("outbox"))
        .env("RUST_LOG", "warn")
        .env("LLM_BASE_URL", format!("{fake}/v1"))
        .env("LLM_MODEL", "fake")
        .env("RATE_LIMIT_CHAT_USER", unlimited)
        .env("RATE_LIMIT_REGISTER_IP", unlimited)
        .env("RATE_LIMIT_LOGIN_IP", unlimited)
        .env("RATE_LIMIT_LOGIN_IDENTIFIER", unlimited)
        .env(
            "LLM_HTTP2_PRIOR_KNOWLEDGE",
            if config.h2c { "1" } else { "0" },
        )
        .envs(config.palaver_env.iter().cloned())
        // Away from the checkout, so no `.env` there is read.
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", config.palaver.display()))?;
    let pid = child.id().expect("running");
    let log = Log::default();
    let out = child.stdout.take().expect("piped");
    let err = child.stderr.take().expect("piped");
    tokio::spawn(collect_log(BufReader::new(out).lines(), log.clone()));
    tokio::spawn(collect_log(BufReader::new(err).lines(), log.clone()));
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let up = client.get(format!("{base}/auth/healthz")).send().await;
        if up.is_ok_and(|r| r.status() == 200) {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("palaver exited at start-up ({status})"));
        }
        if Instant::now() > deadline {
            return Err("palaver did not answer /auth/healthz within 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(Palaver {
        child,
        pid,
        base,
        log,
    })
}

/// Log lines folded as described at [`Palaver::log`]: how many, and the
/// last one as written.
pub type Log = Arc<Mutex<BTreeMap<String, (usize, String)>>>;

async fn collect_log<R: tokio::io::AsyncBufRead + Unpin>(mut lines: tokio::io::Lines<R>, log: Log) {
    while let Ok(Some(line)) = lines.next_line().await {
        // Drop the timestamp; fold numbers so that like lines count together.
        let text = line
            .split_once(' ')
            .filter(|(time, _)| time.starts_with(|c: char| c.is_ascii_digit()))
            .map_or(line.as_str(), |(_, rest)| rest)
            .trim();
        let mut key = String::with_capacity(text.len());
        for c in text.chars() {
            if !c.is_ascii_digit() {
                key.push(c);
            } else if !key.ends_with('N') {
                key.push('N');
            }
        }
        let mut log = log.lock().expect("log lock");
        if log.len() >= 100 && !log.contains_key(&key) {
            key = "(other lines)".into();
        }
        let entry = log.entry(key).or_default();
        entry.0 += 1;
        entry.1 = line;
    }
}

/// How many descriptors a process has open.
pub fn open_fds(pid: u32) -> Option<u64> {
    Some(std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64)
}

/// `VmRSS` or `VmHWM` of a process, in KiB.
pub fn memory_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Registers the bench users one after the other (one argon2 hash each, as
/// people arrive); returns their session cookies.
pub async fn sign_up(base: &str, users: usize) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    let mut cookies = Vec::new();
    for u in 0..users {
        let body = json!({"email": format!("load{u}@example.com"), "password": PASSWORD});
        let res = client
            .post(format!("{base}/auth/register"))
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("register: {e}"))?;
        if res.status() != StatusCode::CREATED {
            return Err(format!("register answered {}", res.status()));
        }
        let cookie = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("palaver_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
            .ok_or("register set no session cookie")?;
        cookies.push(cookie);
    }
    Ok(cookies)
}

/// Palaver's database in `dir`, opened read-only beside it (WAL lets
/// readers and a writer share it).
pub async fn database(dir: &Path) -> Result<sqlx::SqlitePool, String> {
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            sqlx::sqlite::SqliteConnectOptions::new()
                .filename(dir.join("bench.db"))
                .read_only(true),
        )
        .await
        .map_err(|e| format!("cannot read the bench database: {e}"))
}

/// How many answers of the batch from `first_id` Palaver stored whole, with
/// the status `complete`. It stores an answer before it sends `done`, so
/// once the batch is over every answer is stored, or never will be.
pub async fn stored(db: &sqlx::SqlitePool, first_id: u64, tokens: usize) -> Result<usize, String> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.title, m.content FROM conversations c
         JOIN messages m ON m.conversation_id = c.id
         WHERE m.role = 'assistant' AND m.status = 'complete' AND c.title LIKE ?1",
    )
    .bind(format!("bench stream % batch {first_id} of %"))
    .fetch_all(db)
    .await
    .map_err(|e| format!("reading the stored answers: {e}"))?;
    Ok(rows
        .iter()
        .filter(|(title, content)| {
            Ask::parse(title).is_some_and(|ask| *content == expected(ask.id, tokens))
        })
        .count())
}

/// How many re-attached answers Palaver stored exactly as their second
/// connection delivered them (`(answer id, text)`).
pub async fn stored_as_reattached(
    db: &sqlx::SqlitePool,
    reattached: &[(i64, String)],
) -> Result<usize, String> {
    let mut same = 0;
    for (id, text) in reattached {
        let content: Option<String> = sqlx::query_scalar(
            "SELECT content FROM messages WHERE id = ?1 AND status = 'complete'",
        )
        .bind(id)
        .fetch_optional(db)
        .await
        .map_err(|e| format!("reading a re-attached answer: {e}"))?;
        same += usize::from(content.as_ref() == Some(text));
    }
    Ok(same)
}
