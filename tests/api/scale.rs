//! Two Palaver instances on one database share everything a user can see.
//! Runs on SQLite (two pools on one file) and, in the test command's second
//! pass, on PostgreSQL.

use std::time::Duration;

use palaver::server::startup::clean_up;
use serde_json::json;

use crate::{
    helpers::{execute, query_text_int, session_cookie, spawn_app_with, TestApp, PASSWORD},
    smtp::SmtpSink,
};

async fn pair(extra: &[(&str, &str)]) -> (TestApp, TestApp) {
    let first = spawn_app_with(extra).await;
    let mut env = extra.to_vec();
    env.push(("DATABASE_URL", &first.db_url));
    let second = spawn_app_with(&env).await;
    (first, second)
}

#[tokio::test]
async fn a_session_made_on_one_instance_works_and_ends_on_the_other() {
    let (a, b) = pair(&[]).await;
    let cookie = a.signed_in("both@example.com").await;
    let me: serde_json::Value = b.get_as("/auth/me", &cookie).await.json().await.unwrap();
    assert_eq!(me["user"]["email"], "both@example.com");

    assert_eq!(
        a.post_json("/auth/logout", &json!({}), Some(&cookie))
            .await
            .status(),
        200
    );
    assert_eq!(
        b.get_as("/auth/me", &cookie).await.status(),
        401,
        "logout on A ends the session on B"
    );
}

#[tokio::test]
async fn rate_limits_hold_across_instances() {
    let (a, b) = pair(&[]).await;
    a.register("shared-limit@example.com", PASSWORD).await;
    for i in 0..10 {
        let app = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            app.login("shared-limit@example.com", "wrong-guess-1")
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        a.login("shared-limit@example.com", PASSWORD).await.status(),
        401
    );
    assert_eq!(
        b.login("shared-limit@example.com", PASSWORD).await.status(),
        401
    );
}

#[tokio::test]
async fn a_reset_on_one_instance_ends_sessions_made_on_the_other() {
    let sink = SmtpSink::start().await;
    let (a, b) = pair(&[("SMTP_URL", &sink.url())]).await;
    let on_a = a.signed_in("reset-both@example.com").await;
    b.post_json(
        "/auth/password/forgot",
        &json!({"identifier": "reset-both@example.com"}),
        None,
    )
    .await;
    let token = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            if let Some(token) = sink.mails().await.iter().find_map(|m| m.reset_token()) {
                return token;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the reset mail arrives");
    let res = b
        .post_json(
            "/auth/password/reset",
            &json!({"token": token, "password": "fresh-pass-42"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(a.get_as("/auth/me", &on_a).await.status(), 401);
    let res = a.login("reset-both@example.com", "fresh-pass-42").await;
    assert!(session_cookie(&res).is_some());
}

#[tokio::test]
async fn two_mail_workers_send_each_mail_once() {
    let sink = SmtpSink::start().await;
    let (a, b) = pair(&[
        ("SMTP_URL", &sink.url()),
        ("RATE_LIMIT_REGISTER_IP", "100/3600"),
    ])
    .await;
    for i in 0..12 {
        let app = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            app.register(&format!("once{i}@example.com"), PASSWORD)
                .await
                .status(),
            201
        );
    }
    let mails = sink.wait_for(12).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut to: Vec<String> = sink.mails().await.into_iter().flat_map(|m| m.to).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 12, "every user got a welcome");
    assert_eq!(
        sink.mails().await.len(),
        12,
        "and nobody got two (first wait saw {})",
        mails.len()
    );
}

#[tokio::test]
async fn both_instances_clean_up_expired_sessions_without_fighting() {
    let (a, b) = pair(&[]).await;
    let live_on_a = a.signed_in("live-a@example.com").await;
    let live_on_b = b.signed_in("live-b@example.com").await;
    // Sessions that ended long ago, as after a weekend without clean-up.
    let expired: Vec<String> = (0..400)
        .map(|i| format!("('expired-{i}', NULL, '{{}}', 1)"))
        .collect();
    execute(
        &a.db_url,
        &format!(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES {}",
            expired.join(", ")
        ),
    )
    .await;

    let mut removed = 0;
    for _ in 0..5 {
        let (on_a, on_b) = tokio::join!(clean_up(&a.state), clean_up(&b.state));
        removed += on_a.expect("A's pass succeeds") + on_b.expect("B's pass succeeds");
    }
    assert_eq!(
        removed, 400,
        "each expired session removed once, by one of them"
    );
    assert_eq!(
        query_text_int(&a.db_url, "SELECT 'left', COUNT(*) FROM sessions").await,
        vec![("left".to_owned(), 4)],
        "the live sessions stay: each user's from registering and from signing in"
    );
    assert_eq!(b.get_as("/auth/me", &live_on_a).await.status(), 200);
    assert_eq!(a.get_as("/auth/me", &live_on_b).await.status(), 200);
}
