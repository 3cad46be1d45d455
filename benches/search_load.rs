//! Search under a large history (issue #18): `GET
//! /api/conversations/search?q=` over one user's 100,000 messages (5,000
//! conversations in English, Chinese and Vietnamese), on SQLite and on
//! PostgreSQL, through a release Palaver.
//!
//! Usage: search_load [--palaver BIN] [--site DIR] [--postgres URL]
//!   [--messages 100000] [--per-conversation 20] [--requests 200]
//! `--postgres` is a server URL without a database name (as
//! `.ci/lib.sh`'s `start_test_postgres` gives); without it only SQLite runs.
//! The rows are written straight into the database Palaver migrated (see
//! `search_load/seed.rs`). Each query is asked `--requests` times one after
//! the other on one kept-alive connection, after 20 not counted; `GET
//! /auth/me` (one session read) is measured the same way beside them, as
//! the floor of a signed-in request. Prints a table, `search_load ...`
//! lines and `row|...` rows for `benches/run.sh`. Exits 1 when a search
//! failed or found nothing where it should, 2 when it could not run.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};

use tokio::process::{Child, Command};

#[path = "search_load/seed.rs"]
mod seed;
#[path = "search_load/text.rs"]
mod text;

/// The queries: what each stands for, the query, and whether it must find
/// something.
const QUERIES: &[(&str, &str, bool)] = &[
    ("common English word", "function", true),
    ("rare word", text::RARE, true),
    ("two-character Chinese word", "二分", true),
    ("three-character Chinese word", "数据库", true),
    ("Vietnamese, two words", "thuật toán", true),
    ("two words, English", "binary search", true),
    ("nowhere", "kubernetes", false),
];

struct Config {
    palaver: PathBuf,
    site: PathBuf,
    postgres: Option<String>,
    messages: usize,
    per_conversation: usize,
    requests: usize,
}

impl Config {
    fn parse() -> Self {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let get = |name: &str| {
            let flag = format!("--{name}");
            args.iter()
                .position(|a| *a == flag)
                .and_then(|i| args.get(i + 1).cloned())
        };
        let num = |name: &str, default: usize| {
            get(name).map_or(default, |v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("--{name}: `{v}` is not a whole number"))
            })
        };
        let target_dir = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target").to_owned());
        Self {
            palaver: get("palaver")
                .unwrap_or_else(|| format!("{target_dir}/release/palaver"))
                .into(),
            site: get("site")
                .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/target/site").into())
                .into(),
            postgres: get("postgres"),
            messages: num("messages", 100_000).max(1),
            per_conversation: num("per-conversation", 20).max(2),
            requests: num("requests", 200).max(1),
        }
    }
}

fn main() -> std::process::ExitCode {
    let config = Config::parse();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(run(&config)) {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::from(1),
        Err(e) => {
            eprintln!("search_load: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// One query's figures on one database.
struct Figure {
    backend: &'static str,
    kind: &'static str,
    query: &'static str,
    results: usize,
    p50: f64,
    p99: f64,
    ok: bool,
}

async fn run(config: &Config) -> Result<bool, String> {
    let rows = seed::rows(config.messages, config.per_conversation);
    let chars: usize = rows
        .messages
        .iter()
        .map(|m| m.content.chars().count())
        .sum();
    eprintln!(
        "search_load: {} messages in {} conversations, {:.1} M characters",
        rows.messages.len(),
        rows.conversations.len(),
        chars as f64 / 1e6
    );
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut figures = Vec::new();
    let sqlite_url = format!("sqlite://{}/search.db", dir.path().display());
    figures.extend(backend(config, "SQLite", &sqlite_url, dir.path(), &rows).await?);
    if let Some(server) = &config.postgres {
        let admin = sqlx::PgPool::connect(&format!("{server}/postgres"))
            .await
            .map_err(|e| format!("PostgreSQL at {server}: {e}"))?;
        sqlx::query("CREATE DATABASE palaver_search_bench")
            .execute(&admin)
            .await
            .map_err(|e| format!("creating the bench database: {e}"))?;
        let url = format!("{server}/palaver_search_bench");
        figures.extend(backend(config, "PostgreSQL", &url, dir.path(), &rows).await?);
    }
    Ok(report(config, &figures))
}

/// Starts Palaver on `url`, seeds it, measures every query.
async fn backend(
    config: &Config,
    backend: &'static str,
    url: &str,
    dir: &Path,
    rows: &seed::Rows,
) -> Result<Vec<Figure>, String> {
    let (mut child, base) = start_palaver(config, url, dir).await?;
    let client = reqwest::Client::new();
    let cookie = register(&client, &base).await?;
    let began = Instant::now();
    if backend == "SQLite" {
        let pool = sqlx::SqlitePool::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        let user = last_user(&pool).await?;
        seed::sqlite(&pool, user, rows)
            .await
            .map_err(|e| format!("seeding SQLite: {e}"))?;
    } else {
        let pool = sqlx::PgPool::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        let user: i64 = sqlx::query_scalar("SELECT MAX(id) FROM users")
            .fetch_one(&pool)
            .await
            .map_err(|e| e.to_string())?;
        seed::postgres(&pool, user, rows)
            .await
            .map_err(|e| format!("seeding PostgreSQL: {e}"))?;
    }
    eprintln!(
        "search_load: {backend} seeded in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    let mut figures = Vec::new();
    let me = format!("{base}/auth/me");
    let (p50, p99, answered) = measure(&client, &me, &cookie, config.requests).await?;
    figures.push(Figure {
        backend,
        kind: "reference: GET /auth/me",
        query: "",
        results: 0,
        p50,
        p99,
        ok: answered.is_some(),
    });
    for &(kind, query, must_find) in QUERIES {
        let url = reqwest::Url::parse_with_params(
            &format!("{base}/api/conversations/search"),
            [("q", query)],
        )
        .map_err(|e| e.to_string())?;
        let (p50, p99, results) = measure(&client, url.as_str(), &cookie, config.requests).await?;
        let ok = results.is_some_and(|n| (n > 0) == must_find);
        figures.push(Figure {
            backend,
            kind,
            query,
            results: results.unwrap_or(0),
            p50,
            p99,
            ok,
        });
    }
    let _ = child.kill().await;
    Ok(figures)
}

/// p50 and p99 in ms of `n` GETs of `url` one after another (after 20 not
/// counted), and how many results the last one had (`None`: it failed).
async fn measure(
    client: &reqwest::Client,
    url: &str,
    cookie: &str,
    n: usize,
) -> Result<(f64, f64, Option<usize>), String> {
    let mut times = Vec::with_capacity(n);
    let mut results = None;
    for i in 0..n + 20 {
        let sent = Instant::now();
        let res = client
            .get(url)
            .header(reqwest::header::COOKIE, cookie)
            .send()
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        let status = res.status();
        let body = res.bytes().await.map_err(|e| format!("GET {url}: {e}"))?;
        if i >= 20 {
            times.push(sent.elapsed());
        }
        results = status.is_success().then(|| {
            serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["results"].as_array().map(Vec::len))
                .unwrap_or(0)
        });
    }
    times.sort_unstable();
    let q = |q: f64| {
        let rank = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len());
        times[rank - 1].as_secs_f64() * 1000.0
    };
    Ok((q(0.5), q(0.99), results))
}

/// A release Palaver on a free port, on `url`; killed when dropped.
async fn start_palaver(config: &Config, url: &str, dir: &Path) -> Result<(Child, String), String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let mut child = Command::new(&config.palaver)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", &config.site)
        .env("DATABASE_URL", url)
        .env("MAIL_OUTBOX_DIR", dir.join("outbox"))
        .env("RUST_LOG", "warn")
        // Away from the checkout, so no `.env` there is read.
        .current_dir(dir)
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", config.palaver.display()))?;
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let up = reqwest::get(format!("{base}/auth/healthz")).await;
        if up.is_ok_and(|r| r.status() == 200) {
            return Ok((child, base));
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("palaver exited at start-up ({status})"));
        }
        if Instant::now() > deadline {
            return Err("palaver did not answer /auth/healthz within 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Registers the bench user; returns its session cookie.
async fn register(client: &reqwest::Client, base: &str) -> Result<String, String> {
    let body = serde_json::json!({"email": "search@example.com", "password": "correct-horse-9"});
    let res = client
        .post(format!("{base}/auth/register"))
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("register: {e}"))?;
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("palaver_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| format!("register answered {} with no session", res.status()))
}

async fn last_user(pool: &sqlx::SqlitePool) -> Result<i64, String> {
    sqlx::query_scalar("SELECT MAX(id) FROM users")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())
}

/// Prints the table and the script lines; true when every query did as
/// expected.
fn report(config: &Config, figures: &[Figure]) -> bool {
    println!(
        "\nsearch: {} messages of one user, {} a conversation; {} requests a query, one at a time; ms",
        config.messages, config.per_conversation, config.requests
    );
    println!(
        "{:<11} {:<30} {:<14} {:>7} {:>8} {:>8}",
        "database", "query", "q", "results", "p50", "p99"
    );
    let mut all_ok = true;
    for f in figures {
        println!(
            "{:<11} {:<30} {:<14} {:>7} {:>8.2} {:>8.2}{}",
            f.backend,
            f.kind,
            f.query,
            f.results,
            f.p50,
            f.p99,
            if f.ok {
                ""
            } else {
                "  FAILED (an error, or results where none belong)"
            }
        );
        all_ok &= f.ok;
    }
    for f in figures {
        println!(
            "search_load backend={} kind={:?} q={:?} results={} p50_ms={:.3} p99_ms={:.3} ok={}",
            f.backend, f.kind, f.query, f.results, f.p50, f.p99, f.ok
        );
    }
    for f in figures {
        let target = if f.query.is_empty() {
            ""
        } else {
            "< 20 ms p50"
        };
        let q = if f.query.is_empty() {
            String::new()
        } else {
            format!(" `{}`", f.query)
        };
        println!(
            "row|search {}, {}{q}: p50 / p99 (ms)|{:.2} / {:.2}||{target}",
            f.backend, f.kind, f.p50, f.p99
        );
    }
    all_ok
}
