//! `spawn_app()`: a fresh Palaver per test.

use std::{collections::HashMap, net::SocketAddr};

use palaver::server::{config::Settings, startup::Application, state::AppState};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// A running app and a client for it. Dropping it stops the server.
pub struct TestApp {
    pub addr: SocketAddr,
    /// The database this app uses (a fresh one per test).
    pub db_url: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub dir: TempDir,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// GET with a session cookie (`name=value`).
    pub async fn get_as(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request failed")
    }

    /// GET with a session cookie, the answer's body as JSON.
    pub async fn get_json(&self, path: &str, cookie: &str) -> Value {
        self.get_as(path, cookie)
            .await
            .json()
            .await
            .expect("a JSON body")
    }

    /// POST a JSON body, optionally with a session cookie.
    pub async fn post_json(
        &self,
        path: &str,
        body: &Value,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        req.send().await.expect("request failed")
    }

    /// GET with `Authorization: Bearer <token>`.
    pub async fn get_bearer(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request failed")
    }

    /// POST a JSON body with `Authorization: Bearer <token>`.
    pub async fn post_bearer(&self, path: &str, body: &Value, token: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request failed")
    }

    pub async fn register(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/auth/register",
            &json!({"email": email, "password": password}),
            None,
        )
        .await
    }

    pub async fn login(&self, identifier: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/auth/login",
            &json!({"identifier": identifier, "password": password}),
            None,
        )
        .await
    }

    /// Asks the app to shut down, as SIGTERM does, and waits until it has.
    pub async fn shut_down(self) -> std::io::Result<()> {
        drop(self.stop);
        self.server.await.expect("the server task ends")
    }

    /// Registers and logs in; returns the session cookie.
    pub async fn signed_in(&self, email: &str) -> String {
        assert_eq!(self.register(email, PASSWORD).await.status(), 201);
        let res = self.login(email, PASSWORD).await;
        assert_eq!(res.status(), 200);
        session_cookie(&res).expect("login sets the session cookie")
    }
}

/// Asserts a failure answer: its status, `"ok": false`, a message for people
/// and the stable `code`. Returns the body for further checks.
pub async fn failure(res: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status(), status, "{}", res.url());
    let body: Value = res.json().await.expect("a JSON failure body");
    assert_eq!(body["ok"], false, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    body
}

/// A password the policy accepts.
pub const PASSWORD: &str = "correct-horse-9";

/// The `Set-Cookie` header of the session cookie, whole.
pub fn set_cookie_header(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("palaver_session=") || v.starts_with("__Host-palaver_session="))
        .map(str::to_owned)
}

/// `palaver_session=VALUE`, ready for a `Cookie` header.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    set_cookie_header(res).map(|h| h.split(';').next().unwrap().to_owned())
}

/// With `TEST_LOG=1`, the server's log lines (filtered by `RUST_LOG`,
/// default `info`) are printed with the test's output, so a failing test
/// shows what the server did. Each test runs in its own process under
/// nextest; under `cargo test` the first test's subscriber serves them all.
fn init_test_log() {
    if std::env::var_os("TEST_LOG").is_none_or(|v| v.is_empty() || v == "0") {
        return;
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Fails only when a subscriber is already installed, which is fine.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

/// The `PUBLIC_BASE_URL` a production test app gets unless it sets its own.
pub const PUBLIC_ORIGIN: &str = "https://chat.example.test";

/// Starts the app with the defaults plus `overrides` (as environment variables would).
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    init_test_log();
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(
        site.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(
        site.join("pkg/palaver.css"),
        "body{color:black}".repeat(100),
    )
    .unwrap();

    let mut env: HashMap<String, String> = HashMap::from([
        ("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into()),
        ("DATABASE_URL".into(), fresh_database(&dir).await),
        ("LEPTOS_SITE_ROOT".into(), site.display().to_string()),
        (
            "MAIL_OUTBOX_DIR".into(),
            dir.path().join("outbox").display().to_string(),
        ),
    ]);
    // Production refuses to start without SMTP; a closed port will do where
    // no test reads the mail.
    if overrides.contains(&("APP_ENV", "production")) {
        env.insert("SMTP_URL".into(), "smtp://127.0.0.1:9".into());
        env.insert("PUBLIC_BASE_URL".into(), PUBLIC_ORIGIN.into());
    }
    for (k, v) in overrides {
        env.insert((*k).into(), (*v).into());
    }
    let db_url = env["DATABASE_URL"].clone();
    let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("valid test settings");
    let app = Application::build(settings).await.expect("app builds");
    let addr = app.local_addr();
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        addr,
        db_url,
        client,
        state,
        dir,
        stop,
        server,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The backend under test: `PALAVER_TEST_POSTGRES` (a server URL, as the test
/// command sets when it runs the suite against PostgreSQL) or SQLite.
pub fn postgres_server() -> Option<String> {
    std::env::var("PALAVER_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A new, empty database for one test: a database on the PostgreSQL server,
/// or a SQLite file in the test's folder.
pub async fn fresh_database(dir: &TempDir) -> String {
    let Some(server) = postgres_server() else {
        return format!("sqlite://{}", dir.path().join("data/test.db").display());
    };
    let name = format!("palaver_test_{}", uuid_like());
    let admin = sqlx::PgPool::connect(&format!("{server}/postgres"))
        .await
        .expect("connect to the test PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    format!("{server}/{name}")
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Rows of `sql` as strings and numbers, whichever backend the app is on.
pub async fn query_text_int(db_url: &str, sql: &str) -> Vec<(String, i64)> {
    if db_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(db_url).await.unwrap();
        let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    } else {
        let pool = sqlx::SqlitePool::connect(db_url).await.unwrap();
        let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    }
}

/// Runs one statement of `sql` directly on the app's database, either backend.
pub async fn execute(db_url: &str, sql: &str) {
    if db_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(db_url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(db_url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

/// Takes the database's write lock from outside the app, as a long writer
/// would, and releases it after `held`. SQLite: `BEGIN IMMEDIATE`; the app's
/// writes fail with "database is locked" once its 5 s busy timeout runs
/// out. PostgreSQL: an exclusive lock on `messages`, which writes wait for.
pub async fn hold_write_lock(
    db_url: &str,
    held: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    if db_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(db_url).await.unwrap();
        let mut tx = pool.begin().await.unwrap();
        sqlx::query("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await
            .unwrap();
        tokio::spawn(async move {
            tokio::time::sleep(held).await;
            tx.rollback().await.unwrap();
            pool.close().await;
        })
    } else {
        let pool = sqlx::SqlitePool::connect(db_url).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *conn)
            .await
            .unwrap();
        tokio::spawn(async move {
            tokio::time::sleep(held).await;
            sqlx::query("ROLLBACK").execute(&mut *conn).await.unwrap();
            drop(conn);
            pool.close().await;
        })
    }
}

/// Counts the panics of this test process from now on (the app runs in
/// it), passing each on to the hook that was there; read it at the end.
pub fn count_panics() -> std::sync::Arc<std::sync::atomic::AtomicUsize> {
    let panics = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let previous = std::panic::take_hook();
    let counted = panics.clone();
    std::panic::set_hook(Box::new(move |info| {
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        previous(info);
    }));
    panics
}
