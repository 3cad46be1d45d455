//! Password reset by mail, against a real SMTP server on loopback.

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    helpers::{failure, spawn_app_with, TestApp, PASSWORD},
    smtp::SmtpSink,
};

async fn app_with_mail(sink: &SmtpSink) -> TestApp {
    spawn_app_with(&[
        ("SMTP_URL", &sink.url()),
        ("PUBLIC_BASE_URL", "https://chat.example.com/"),
    ])
    .await
}

async fn forgot(app: &TestApp, identifier: &str) -> reqwest::Response {
    app.post_json(
        "/auth/password/forgot",
        &json!({"identifier": identifier}),
        None,
    )
    .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post_json(
        "/auth/password/reset",
        &json!({"token": token, "password": password}),
        None,
    )
    .await
}

/// What `POST /auth/password/check` says of a link.
async fn link_works(app: &TestApp, token: &str) -> bool {
    let res = app
        .post_json("/auth/password/check", &json!({"token": token}), None)
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true, "{body}");
    body["valid"].as_bool().unwrap()
}

/// The reset page the mail's link opens, as the server renders it.
async fn reset_page(app: &TestApp, token: &str) -> String {
    let res = app.get(&format!("/reset-password?token={token}")).await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn outbox_statuses(app: &TestApp) -> Vec<(String, i64)> {
    crate::helpers::query_text_int(
        &app.db_url,
        "SELECT status, attempts FROM mail_outbox ORDER BY id",
    )
    .await
}

#[tokio::test]
async fn registration_sends_a_welcome_mail() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    app.register("welcome@example.com", PASSWORD).await;
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, ["welcome@example.com"]);
    assert_eq!(mails[0].subject(), "Welcome to Palaver");
    assert!(mails[0].data.contains("multipart/alternative"));
    assert!(mails[0].data.contains("text/html"));
    assert!(mails[0].text().contains("https://chat.example.com/app"));
}

#[tokio::test]
async fn mails_to_an_unverified_address_carry_no_text_the_registrant_chose() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    let res = app
        .post_json(
            "/auth/register",
            &serde_json::json!({
                "email": "someone-else@example.com",
                "password": PASSWORD,
                "display_name": "Call +1 555 0100 to keep your account",
            }),
            None,
        )
        .await;
    assert_eq!(res.status(), 201);
    forgot(&app, "someone-else@example.com").await;
    let mails = sink.wait_for(2).await;
    for mail in &mails {
        assert!(!mail.data.contains("555 0100"), "{}", mail.data);
        assert!(mail.text().contains("\r\nHello,\r\n"), "{}", mail.text());
    }
}

#[tokio::test]
async fn the_reset_link_works_once_and_ends_every_session() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    let victim = app.signed_in("reset@example.com").await;
    let second_device =
        crate::helpers::session_cookie(&app.login("reset@example.com", PASSWORD).await).unwrap();
    let bystander = app.signed_in("other@example.com").await;
    sink.wait_for(2).await; // the welcome mails

    let res = forgot(&app, " Reset@Example.com ").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));

    let mail = sink.wait_for(3).await.pop().unwrap();
    assert_eq!(mail.to, ["reset@example.com"]);
    assert_eq!(mail.subject(), "Reset your Palaver password");
    assert!(
        mail.text()
            .contains("https://chat.example.com/reset-password?token="),
        "{}",
        mail.text()
    );
    let token = mail.reset_token().unwrap();
    assert!(token.len() >= 43, "32 random bytes, base64url: {token}");
    // Looking at the link neither uses it nor changes anything.
    for _ in 0..2 {
        assert!(link_works(&app, &token).await);
        let page = reset_page(&app, &token).await;
        assert!(page.contains("Set new password"), "{page}");
        assert!(!page.contains("This link no longer works"), "{page}");
    }

    let res = reset(&app, &token, "brand-new-pass-7").await;
    assert_eq!(res.status(), 200);
    // Registration's session, the first login's and the second device's.
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"ok": true, "revoked_sessions": 3})
    );

    let again = reset(&app, &token, "another-pass-8").await;
    let again = failure(again, 400, "invalid_token").await;
    assert!(again["error"].as_str().unwrap().contains("invalid"));
    // A used link opens a page that says so, and offers a new one, not a form.
    assert!(!link_works(&app, &token).await);
    let page = reset_page(&app, &token).await;
    assert!(page.contains("This link no longer works"), "{page}");
    assert!(page.contains("Ask for a new link"), "{page}");
    assert!(!page.contains("Set new password"), "{page}");

    assert_eq!(app.get_as("/auth/me", &victim).await.status(), 401);
    assert_eq!(app.get_as("/auth/me", &second_device).await.status(), 401);
    assert_eq!(
        app.get_as("/auth/me", &bystander).await.status(),
        200,
        "other users keep their sessions"
    );
    assert_eq!(app.login("reset@example.com", PASSWORD).await.status(), 401);
    assert_eq!(
        app.login("reset@example.com", "brand-new-pass-7")
            .await
            .status(),
        200
    );

    let confirmation = sink.wait_for(4).await.pop().unwrap();
    assert_eq!(confirmation.to, ["reset@example.com"]);
    assert_eq!(confirmation.subject(), "Your Palaver password was changed");
}

#[tokio::test]
async fn unknown_addresses_get_the_same_answer_and_no_mail() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    for identifier in ["nobody@example.com", "not an address"] {
        let res = forgot(&app, identifier).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(sink.mails().await.is_empty());
    assert_eq!(outbox_statuses(&app).await, [("dropped".to_owned(), 1)]);
}

#[tokio::test]
async fn expired_garbage_and_superseded_tokens_are_refused() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    app.register("exp@example.com", PASSWORD).await;
    forgot(&app, "exp@example.com").await;
    let first = sink.wait_for(2).await.pop().unwrap().reset_token().unwrap();
    forgot(&app, "exp@example.com").await;
    let second = sink.wait_for(3).await.pop().unwrap().reset_token().unwrap();
    assert_ne!(first, second);

    assert_eq!(
        reset(&app, &first, "brand-new-pass-7").await.status(),
        400,
        "a newer link retires older ones"
    );
    let garbage = reset(&app, "garbage", "brand-new-pass-7").await;
    failure(garbage, 400, "invalid_token").await;
    failure(
        reset(&app, "", "brand-new-pass-7").await,
        400,
        "invalid_token",
    )
    .await;

    let weak = failure(reset(&app, &second, "weak").await, 400, "weak_password").await;
    assert!(weak["error"]
        .as_str()
        .unwrap()
        .contains("at least 8 characters"));
    assert_eq!(weak["reason"], "too_short");

    app.state.clock.advance(901);
    assert!(!link_works(&app, &second).await, "expired");
    assert!(reset_page(&app, &second)
        .await
        .contains("This link no longer works"));
    assert!(!link_works(&app, "").await);
    assert!(!link_works(&app, &"x".repeat(500)).await);
    assert_eq!(
        reset(&app, &second, "brand-new-pass-7").await.status(),
        400,
        "expired after PWRESET_TOKEN_TTL"
    );
    assert_eq!(
        app.login("exp@example.com", PASSWORD).await.status(),
        200,
        "password unchanged"
    );
}

#[tokio::test]
async fn forgot_is_rate_limited_silently() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    app.register("rl@example.com", PASSWORD).await;
    for _ in 0..7 {
        let res = forgot(&app, "rl@example.com").await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let resets = sink
        .mails()
        .await
        .iter()
        .filter(|m| m.subject().starts_with("Reset"))
        .count();
    assert_eq!(resets, 5, "5 per hour per identifier");
}

#[tokio::test]
async fn a_mail_queued_while_smtp_is_down_arrives_once_it_is_back() {
    let port = SmtpSink::start().await.stop();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("SMTP_URL", &url)]).await;
    app.register("down@example.com", PASSWORD).await;
    let res = forgot(&app, "down@example.com").await;
    assert_eq!(res.status(), 200, "the request does not wait for SMTP");

    // Both mails fail and wait for their retry.
    tokio::time::timeout(Duration::from_secs(10), async {
        while !outbox_statuses(&app)
            .await
            .iter()
            .all(|(s, a)| s == "pending" && *a >= 1)
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the worker tried and failed");

    let sink = SmtpSink::start_on(port).await;
    let mails = sink.wait_for(2).await;
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().any(|m| m.reset_token().is_some()));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.mails().await.len(), 2, "nothing is sent twice");
    assert!(outbox_statuses(&app).await.iter().all(|(s, _)| s == "sent"));
}

#[tokio::test]
async fn a_mail_the_server_refuses_for_good_is_given_up_at_once_not_retried() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[("SMTP_URL", &sink.url())]).await;
    app.register("nobody-here@example.com", PASSWORD).await;
    app.register("somebody@example.com", PASSWORD).await;
    // The other welcome arrives; the refused one is dead after one attempt
    // instead of waiting six hours of backoff.
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, ["somebody@example.com"]);
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let statuses = outbox_statuses(&app).await;
            if statuses.contains(&("dead".to_owned(), 1)) {
                break statuses;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the refused mail is marked dead after its first attempt");
}

#[tokio::test]
async fn queued_mail_survives_a_restart() {
    let port = SmtpSink::start().await.stop();
    let url = format!("smtp://127.0.0.1:{port}");
    let first = spawn_app_with(&[("SMTP_URL", &url)]).await;
    first.register("restart@example.com", PASSWORD).await;
    let db = first.db_url.clone();
    // Dropping all but the files stops the first instance.
    let TestApp { dir: keep, .. } = first;

    let sink = SmtpSink::start_on(port).await;
    let _second = spawn_app_with(&[("SMTP_URL", &url), ("DATABASE_URL", &db)]).await;
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, ["restart@example.com"]);
    drop(keep);
}

#[tokio::test]
async fn without_smtp_mail_goes_to_the_outbox_folder() {
    let app = crate::helpers::spawn_app().await;
    app.register("file@example.com", PASSWORD).await;
    let outbox = app.dir.path().join("outbox");
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Ok(mut entries) = std::fs::read_dir(&outbox) {
                if let Some(Ok(entry)) = entries.next() {
                    return std::fs::read_to_string(entry.path()).unwrap();
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("an .eml file appears");
    assert!(found.contains("To: file@example.com"), "{found}");
    assert!(found.contains("Subject: Welcome to Palaver"));
}

#[tokio::test]
async fn two_links_made_at_once_leave_only_one_valid() {
    let app = crate::helpers::spawn_app().await;
    app.register("twice@example.com", PASSWORD).await;
    let users = crate::helpers::query_text_int(&app.db_url, "SELECT email, id FROM users").await;
    let user_id = users[0].1;
    // Without a lock on the user's row, two transactions on PostgreSQL each
    // retire the tokens they can see (none of the other's) and both links work.
    for round in 0..20 {
        let (a, b) = tokio::join!(
            palaver::server::reset::issue_link(&app.state, user_id),
            palaver::server::reset::issue_link(&app.state, user_id),
        );
        a.unwrap();
        b.unwrap();
        let valid = crate::helpers::query_text_int(
            &app.db_url,
            "SELECT 'valid', COUNT(*) FROM password_reset_tokens WHERE used_at IS NULL",
        )
        .await;
        assert_eq!(valid, [("valid".to_owned(), 1)], "round {round}");
    }
}
