//! Upgrading a database made by an earlier version: the migrations that
//! rebuild or change tables keep every account, session and conversation,
//! and what points at them still does.

use palaver::server::{config::Argon2Cost, password::PasswordHashing};
use serde_json::json;
use sqlx::migrate::Migrator;

use crate::helpers::{execute, fresh_database, query_text_int, spawn_app_with, PASSWORD};

/// The last migration of version 1.
const VERSION_1: i64 = 4;

/// Brings `url` to version 1's schema, as a v1 binary left it.
async fn migrate_to_version_1(url: &str) {
    let backend = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut migrator = Migrator::new(dir).await.expect("the migrations read");
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version <= VERSION_1)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    if backend == "postgres" {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        migrator
            .run(&pool)
            .await
            .expect("version 1's migrations run");
        pool.close().await;
    } else {
        let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
        let pool = sqlx::SqlitePool::connect_with(options.create_if_missing(true))
            .await
            .unwrap();
        migrator
            .run(&pool)
            .await
            .expect("version 1's migrations run");
        pool.close().await;
    }
}

#[tokio::test]
async fn a_version_1_database_keeps_its_accounts_and_chats_and_lets_phones_be_shared() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let url = fresh_database(&dir).await;
    migrate_to_version_1(&url).await;

    // What a version 1 server stored: an account with a phone number, its
    // password, a session, and a conversation with one exchange.
    let hashing = PasswordHashing::new(Argon2Cost::MINIMUM).await.unwrap();
    let hash = hashing.hash(PASSWORD).await.unwrap().expose().to_owned();
    for sql in [
        "INSERT INTO users (uid, email, phone, display_name, is_active, created_at, updated_at)
         VALUES ('0123456789abcdef0123456789abcdef', 'ada@example.com', '+15550100200', 'Ada', TRUE, 1, 1)"
            .to_owned(),
        format!(
            "INSERT INTO password_credentials (user_id, password_hash, created_at, updated_at)
             VALUES (1, '{hash}', 1, 1)"
        ),
        // An account deleted under version 1: its id is never given out again.
        "INSERT INTO users (uid, email, display_name, is_active, created_at, updated_at)
         VALUES ('fedcba9876543210fedcba9876543210', 'gone@example.com', 'Gone', TRUE, 1, 1)"
            .to_owned(),
        "DELETE FROM users WHERE email = 'gone@example.com'".to_owned(),
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ('old', 1, '{}', 4102444800)"
            .to_owned(),
        "INSERT INTO conversations (user_id, title, model, created_at, updated_at)
         VALUES (1, 'Notes from version 1', 'gpt-4o-mini', 1, 1)"
            .to_owned(),
        "INSERT INTO messages (conversation_id, role, content, status, created_at)
         VALUES (1, 'user', 'hello', 'complete', 1), (1, 'assistant', 'hi', 'complete', 2)"
            .to_owned(),
    ] {
        execute(&url, &sql).await;
    }

    // This version's server migrates it at start.
    let app = spawn_app_with(&[("DATABASE_URL", &url)]).await;
    let res = app.login("ada@example.com", PASSWORD).await;
    assert_eq!(res.status(), 200, "the old password still signs in");
    let cookie = crate::helpers::session_cookie(&res).unwrap();
    let me = app.get_json("/auth/me", &cookie).await;
    assert_eq!(me["user"]["phone"], "+15550100200");
    let list = app.get_json("/api/conversations/list", &cookie).await;
    assert_eq!(list[0]["title"], "Notes from version 1", "{list}");
    // Each old conversation became one branch: every message follows the
    // one before it, and the last is the one shown.
    let shown = app.get_json("/api/conversations/load?id=1", &cookie).await;
    assert_eq!(shown[0]["content"], "hello", "{shown}");
    assert_eq!(shown[0]["parent_id"], serde_json::Value::Null);
    assert_eq!(shown[1]["content"], "hi");
    assert_eq!(shown[1]["parent_id"], shown[0]["id"]);
    assert_eq!(shown[1]["siblings"], json!([shown[1]["id"]]));
    let messages = query_text_int(
        &url,
        "SELECT content, conversation_id FROM messages ORDER BY id",
    )
    .await;
    assert_eq!(messages.len(), 2);
    let old_session =
        query_text_int(&url, "SELECT id, user_id FROM sessions WHERE id = 'old'").await;
    assert_eq!(old_session, vec![("old".to_owned(), 1)]);

    // The same phone number on a second account is accepted.
    let res = app
        .post_json(
            "/auth/register",
            &json!({"email": "bea@example.com", "password": PASSWORD, "phone": "+1 555 0100 200"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 201);

    // The rebuilt table is still what the others point at: deleting the
    // account takes its password, sessions and conversations with it.
    execute(&url, "DELETE FROM users WHERE email = 'ada@example.com'").await;
    for table in [
        "password_credentials",
        "sessions",
        "conversations",
        "messages",
    ] {
        let left = query_text_int(
            &url,
            &format!(
                "SELECT '{table}', COUNT(*) FROM {table} WHERE {}",
                owner_of(table)
            ),
        )
        .await;
        assert_eq!(left[0].1, 0, "{table} rows of the deleted account");
    }
    // The new account got a new id, not the one deleted under version 1.
    let ids = query_text_int(&url, "SELECT email, id FROM users ORDER BY id").await;
    assert_eq!(ids, vec![("bea@example.com".to_owned(), 3)]);
}

fn owner_of(table: &str) -> &'static str {
    match table {
        "messages" => "conversation_id = 1",
        _ => "user_id = 1",
    }
}
