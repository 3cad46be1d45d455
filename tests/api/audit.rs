//! The audit log: security events land in one hash chain; `palaver audit
//! verify` finds the first edited, deleted or reordered row; two instances
//! appending at once still make one chain.

use serde_json::json;

use crate::{
    cli::{palaver, run},
    helpers::{execute, failure, spawn_app, spawn_app_with, PASSWORD},
};

async fn verify(app: &crate::helpers::TestApp) -> crate::cli::Run {
    run(
        palaver(app.dir.path(), &app.db_url),
        &["audit", "verify"],
        None,
    )
    .await
}

#[tokio::test]
async fn security_events_are_recorded_and_the_chain_verifies() {
    let app = spawn_app().await;
    let admin = app.signed_in("root@example.com").await;
    let _bob = app.signed_in("bob@example.com").await;
    failure(
        app.login("bob@example.com", "not-it-at-all-1").await,
        401,
        "invalid_credentials",
    )
    .await;
    let page = app.get_json("/api/admin/audit", &admin).await;
    assert_eq!(page["ok"], true);
    assert_eq!(page["chain_ok"], true, "{page}");
    let kinds: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    // Newest first.
    assert_eq!(
        kinds,
        [
            "login_failure",
            "login_success",
            "register",
            "login_success",
            "register"
        ],
        "{page}"
    );
    let event = &page["events"][0];
    for key in ["id", "at", "kind", "user_id", "actor_id", "ip", "detail"] {
        assert!(event.get(key).is_some(), "{key} in {event}");
    }
    assert!(
        event.get("hash").is_none(),
        "the chain's hashes stay inside"
    );
    let older = app
        .get_json("/api/admin/audit?before=3&limit=1", &admin)
        .await;
    assert_eq!(older["events"].as_array().unwrap().len(), 1);
    assert_eq!(older["events"][0]["id"], 2);
    let bobs = app
        .get_json("/api/admin/audit?kind=register&user_id=2", &admin)
        .await;
    assert_eq!(bobs["events"].as_array().unwrap().len(), 1, "{bobs}");

    let out = verify(&app).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "audit chain ok: 5 events");
}

#[tokio::test]
async fn an_edited_row_is_named_by_audit_verify_and_on_the_admin_page() {
    let app = spawn_app().await;
    let admin = app.signed_in("root@example.com").await;
    for email in ["b@example.com", "c@example.com"] {
        app.signed_in(email).await;
    }
    execute(
        &app.db_url,
        "UPDATE audit_log SET ip = '203.0.113.9' WHERE id = 3",
    )
    .await;
    let out = verify(&app).await;
    assert_eq!(out.code, 5, "{}", out.stdout);
    assert!(out.stderr.contains("event 3"), "{}", out.stderr);
    let page = app.get_json("/api/admin/audit", &admin).await;
    assert_eq!(page["chain_ok"], false);
}

#[tokio::test]
async fn a_deleted_or_reordered_row_breaks_the_chain_where_it_happened() {
    let app = spawn_app().await;
    app.signed_in("root@example.com").await;
    for email in ["b@example.com", "c@example.com"] {
        app.signed_in(email).await;
    }
    // 6 events: register and login_success for each.
    execute(&app.db_url, "DELETE FROM audit_log WHERE id = 4").await;
    let out = verify(&app).await;
    assert_eq!(out.code, 5);
    assert!(out.stderr.contains("event 5"), "{}", out.stderr);

    let app = spawn_app().await;
    app.signed_in("root@example.com").await;
    app.signed_in("b@example.com").await;
    // Swap two rows' places: each row's hash covers its id.
    execute(&app.db_url, "UPDATE audit_log SET id = 100 WHERE id = 2").await;
    execute(&app.db_url, "UPDATE audit_log SET id = 2 WHERE id = 3").await;
    execute(&app.db_url, "UPDATE audit_log SET id = 3 WHERE id = 100").await;
    let out = verify(&app).await;
    assert_eq!(out.code, 5);
    assert!(out.stderr.contains("event 2"), "{}", out.stderr);
}

#[tokio::test]
async fn two_instances_appending_at_once_make_one_chain() {
    let roomy = [
        ("RATE_LIMIT_LOGIN_IP", "1000/600"),
        ("RATE_LIMIT_LOGIN_IDENTIFIER", "1000/600"),
    ];
    let first = spawn_app_with(&roomy).await;
    let mut env = roomy.to_vec();
    env.push(("DATABASE_URL", &first.db_url));
    let second = spawn_app_with(&env).await;
    assert_eq!(
        first.register("root@example.com", PASSWORD).await.status(),
        201
    );
    let mut tasks = Vec::new();
    for i in 0..24 {
        let app = if i % 2 == 0 { &first } else { &second };
        let client = app.client.clone();
        let url = app.url("/auth/login");
        let password = if i % 3 == 0 {
            "not-it-at-all-1"
        } else {
            PASSWORD
        };
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"identifier": "root@example.com", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        let status = task.await.unwrap();
        assert!(status == 200 || status == 401, "{status}");
    }
    let out = verify(&first).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    // One registration and one event per attempt that reached the password
    // check (none were rate-limited at these numbers).
    assert_eq!(out.stdout.trim(), "audit chain ok: 25 events");
}
