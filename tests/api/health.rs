use serde_json::{json, Value};

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_200_with_the_database_up() {
    let app = spawn_app().await;
    let res = app.get("/auth/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(
        res.text().await.unwrap(),
        r#"{"ok":true,"db":true}"#,
        "the contract's exact bytes"
    );
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.db.close().await;
    let res = app.get("/auth/healthz").await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"ok": false, "db": false}));
}

#[tokio::test]
async fn the_sqlite_file_and_its_folder_are_created_in_wal_mode() {
    if crate::helpers::postgres_server().is_some() {
        return; // a SQLite-only property
    }
    let app = spawn_app().await;
    let db = app.dir.path().join("data/test.db");
    assert!(db.is_file(), "{} missing", db.display());
    assert_eq!(app.get("/auth/healthz").await.status(), 200);
    assert!(
        app.dir.path().join("data/test.db-wal").exists(),
        "WAL journal not in use"
    );
}
