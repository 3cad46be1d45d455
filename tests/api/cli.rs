//! The subcommands of the real binary: `serve --check`, `migrate`, `user
//! create`, on a fresh database of the backend under test.

use std::{path::Path, process::Stdio};

use tokio::{io::AsyncWriteExt, process::Command};

use crate::helpers::{fresh_database, query_text_int, spawn_app_with, PASSWORD};

/// The binary in `dir`, with nothing of this process's environment but PATH.
pub(crate) fn palaver(dir: &Path, db_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_palaver"));
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", db_url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub(crate) async fn run(mut cmd: Command, args: &[&str], stdin: Option<&str>) -> Run {
    cmd.args(args);
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("the binary starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input.as_bytes()).await.unwrap();
        drop(pipe);
    }
    let out = child.wait_with_output().await.unwrap();
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

async fn create_user(dir: &Path, db_url: &str, args: &[&str], password: &str) -> Run {
    let mut all = vec!["user", "create"];
    all.extend_from_slice(args);
    run(palaver(dir, db_url), &all, Some(&format!("{password}\n"))).await
}

#[tokio::test]
async fn serve_check_prints_the_settings_without_secrets_and_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db_file = dir.path().join("data/check.db");
    // The port is taken: serving would fail, checking must not try.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let secrets = [
        "sk-llm-secret-4711",
        "jwt-secret-0123456789abcdef0123456789",
        "metrics-secret-0123456789",
    ];
    let mut cmd = palaver(dir.path(), &format!("sqlite://{}", db_file.display()));
    cmd.env("LEPTOS_SITE_ADDR", taken.local_addr().unwrap().to_string())
        .env("LLM_API_KEY", secrets[0])
        .env("LLM_PROVIDER", "webhook")
        .env("WEBHOOK_URL", "http://127.0.0.1:5678/webhook/palaver")
        .env("WEBHOOK_JWT_SECRET", secrets[1])
        .env("METRICS_TOKEN", secrets[2]);
    let out = run(cmd, &["serve", "--check"], None).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    for line in [
        format!("LEPTOS_SITE_ADDR={}", taken.local_addr().unwrap()),
        format!("DATABASE_URL=sqlite://{}", db_file.display()),
        "APP_ENV=development".into(),
        "LLM_PROVIDER=webhook".into(),
        "LLM_API_KEY=***".into(),
        "WEBHOOK_JWT_SECRET=***".into(),
        "METRICS_TOKEN=***".into(),
        "RATE_LIMIT_LOGIN_IP=10/600".into(),
    ] {
        assert!(
            out.stdout.lines().any(|l| l == line),
            "{line} in:\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout.lines().all(|l| l.contains('=')),
        "NAME=value lines only:\n{}",
        out.stdout
    );
    for secret in secrets {
        assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));
    }
    assert!(!db_file.exists(), "no database was created");
    assert!(!dir.path().join("data").exists());

    // A PostgreSQL URL's password is hidden, and no connection is tried
    // (nothing listens on port 1).
    let out = run(
        palaver(
            dir.path(),
            "postgres://palaver:db-secret-42@127.0.0.1:1/palaver",
        ),
        &["serve", "--check"],
        None,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out
        .stdout
        .contains("DATABASE_URL=postgres://palaver:***@127.0.0.1:1/palaver"));
    assert!(
        out.stdout.contains("METRICS_TOKEN=\n"),
        "unset prints empty"
    );
    assert!(!out.stdout.contains("db-secret-42"));
}

#[tokio::test]
async fn a_bad_setting_exits_2_naming_it_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("data/x.db").display());
    for args in [&["serve", "--check"][..], &["migrate"], &[]] {
        let mut cmd = palaver(dir.path(), &db);
        cmd.env("RATE_LIMIT_LOGIN_IP", "lots");
        let out = run(cmd, args, None).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_eq!(
            out.stderr.trim(),
            "palaver: invalid RATE_LIMIT_LOGIN_IP: `lots` (expected COUNT/SECONDS, e.g. 10/600)"
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
    assert!(!dir.path().join("data").exists());
}

#[tokio::test]
async fn migrate_applies_the_migrations_then_says_the_database_is_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database(&dir).await;
    let first = run(palaver(dir.path(), &db), &["migrate"], None).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout.starts_with("migrations applied: "),
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains("pending -> 0"), "{}", first.stdout);
    let again = run(palaver(dir.path(), &db), &["migrate"], None).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.starts_with("database is up to date ("),
        "{}",
        again.stdout
    );
    // The version both name is the newest migration's.
    let version = |s: &str| {
        s.split("version ")
            .nth(1)
            .map(|v| v.split([' ', ')']).next().unwrap().to_owned())
    };
    assert_eq!(version(&first.stdout), version(&again.stdout));
    let newest = query_text_int(
        &db,
        "SELECT 'v', CAST(MAX(version) AS BIGINT) FROM _sqlx_migrations",
    )
    .await;
    assert_eq!(version(&again.stdout), Some(newest[0].1.to_string()));
}

#[tokio::test]
async fn migrate_on_an_unreachable_database_exits_1_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = palaver(dir.path(), "postgres://palaver@127.0.0.1:1/palaver");
    cmd.env("DB_ACQUIRE_TIMEOUT_SECONDS", "1");
    let out = run(cmd, &["migrate"], None).await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("palaver: cannot open the database"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"));
}

#[tokio::test]
async fn a_created_user_signs_in_and_the_address_cannot_be_taken_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database(&dir).await;
    let out = create_user(
        dir.path(),
        &db,
        &["--email", " Ops@Example.COM ", "--name", "The Operator"],
        PASSWORD,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let words: Vec<&str> = out.stdout.split_whitespace().collect();
    assert_eq!(words[..2], ["created", "user"], "{}", out.stdout);
    assert!(words[2].parse::<i64>().is_ok(), "{}", out.stdout);
    assert_eq!(
        words[3], "ops@example.com",
        "normalised as registration does"
    );

    let app = spawn_app_with(&[("DATABASE_URL", &db)]).await;
    let res = app.login("ops@example.com", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let cookie = crate::helpers::session_cookie(&res).unwrap();
    let me = app.get_json("/auth/me", &cookie).await;
    assert_eq!(me["user"]["display_name"], "The Operator");
    assert_eq!(me["user"]["id"].to_string(), words[2]);

    let again = create_user(dir.path(), &db, &["--email", "ops@example.com"], PASSWORD).await;
    assert_eq!(again.code, 3, "{}", again.stderr);
    assert!(again.stderr.contains("already taken"), "{}", again.stderr);
    // The registration form says the same of that address.
    assert_eq!(
        app.register("ops@example.com", PASSWORD).await.status(),
        409
    );
}

#[tokio::test]
async fn a_refused_password_or_address_exits_4_with_the_reason_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database(&dir).await;
    for (email, password, reason) in [
        ("weak@example.com", "short1", "too short"),
        ("weak@example.com", "password123", "common password"),
        ("weak@example.com", "", "too short"),
        ("not-an-address", PASSWORD, "valid e-mail"),
    ] {
        let out = create_user(dir.path(), &db, &["--email", email], password).await;
        assert_eq!(out.code, 4, "{password:?}: {}", out.stderr);
        assert!(out.stderr.contains(reason), "{reason}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    // Nothing was even opened: a refusal needs no database.
    if !db.starts_with("postgres") {
        assert!(!dir.path().join("data").exists());
    }
    let out = create_user(dir.path(), &db, &["--email", "fine@example.com"], PASSWORD).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = query_text_int(&db, "SELECT email, id FROM users").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "fine@example.com");
}

#[tokio::test]
async fn help_lists_the_commands_and_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(palaver(dir.path(), "sqlite://unused.db"), &["--help"], None).await;
    assert_eq!(out.code, 0);
    for word in ["serve", "migrate", "user", "Exit codes:", "3  user create"] {
        assert!(out.stdout.contains(word), "{word}:\n{}", out.stdout);
    }
    let out = run(
        palaver(dir.path(), "sqlite://unused.db"),
        &["user", "create", "--help"],
        None,
    )
    .await;
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("--email") && out.stdout.contains("standard input"));
    let out = run(
        palaver(dir.path(), "sqlite://unused.db"),
        &["--version"],
        None,
    )
    .await;
    assert_eq!(
        out.stdout.trim(),
        format!("palaver {}", env!("CARGO_PKG_VERSION"))
    );
    let out = run(
        palaver(dir.path(), "sqlite://unused.db"),
        &["user", "create"],
        None,
    )
    .await;
    assert_eq!(out.code, 2, "a missing --email is a usage error");
    assert!(out.stderr.contains("--email"));
}
