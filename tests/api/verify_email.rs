//! `REQUIRE_EMAIL_VERIFICATION=1`: a new account is sent a link instead of
//! the welcome, cannot chat until it follows it, and the link works once.

use serde_json::json;

use crate::{
    helpers::{failure, query_text_int, spawn_app_with},
    smtp::SmtpSink,
};

fn token_of(text: &str) -> String {
    let start = text
        .find("/auth/verify-email?token=")
        .expect("a verification link")
        + "/auth/verify-email?token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn a_new_address_is_confirmed_by_its_link_before_chatting() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &sink.url()),
        ("PUBLIC_BASE_URL", "https://chat.example.com/"),
        ("REQUIRE_EMAIL_VERIFICATION", "1"),
    ])
    .await;
    let cookie = app.signed_in("new@example.com").await;
    let me = app.get_json("/auth/me", &cookie).await;
    assert_eq!(me["user"]["email_verified"], false, "{me}");
    let chat = app
        .post_json("/api/chat", &json!({"message": "hello"}), Some(&cookie))
        .await;
    failure(chat, 403, "email_unverified").await;
    // The chat page sends the person to the page that says why.
    let page = app.get_as("/app", &cookie).await;
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/waiting");

    let mail = sink.wait_for(1).await.pop().unwrap();
    assert!(mail.subject().contains("Confirm"), "{}", mail.subject());
    let token = token_of(&mail.text());
    // Only the token's hash is stored.
    let stored = query_text_int(
        &app.db_url,
        "SELECT token_hash, user_id FROM email_verification_tokens",
    )
    .await;
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, token);

    let res = app.get(&format!("/auth/verify-email?token={token}")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/app");
    let me = app.get_json("/auth/me", &cookie).await;
    assert_eq!(me["user"]["email_verified"], true);
    let chat = app
        .post_json("/api/chat", &json!({"message": "hello"}), Some(&cookie))
        .await;
    assert_ne!(chat.status(), 403);
    // Single use.
    let again = app.get(&format!("/auth/verify-email?token={token}")).await;
    assert_eq!(again.headers()["location"], "/app?verify=invalid");
    let audit = query_text_int(
        &app.db_url,
        "SELECT kind, id FROM audit_log WHERE kind = 'email_verified'",
    )
    .await;
    assert_eq!(audit.len(), 1);
}

#[tokio::test]
async fn the_link_can_be_sent_again_three_times_an_hour() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &sink.url()),
        ("REQUIRE_EMAIL_VERIFICATION", "1"),
    ])
    .await;
    let cookie = app.signed_in("again@example.com").await;
    sink.wait_for(1).await;
    for _ in 0..3 {
        let res = app
            .post_json("/auth/verify-email/resend", &json!({}), Some(&cookie))
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = app
        .post_json("/auth/verify-email/resend", &json!({}), Some(&cookie))
        .await;
    failure(res, 429, "rate_limited").await;
    let mails = sink.wait_for(4).await;
    // Each new link retires the ones before it.
    let tokens: Vec<String> = mails.iter().map(|m| token_of(&m.text())).collect();
    let old = app
        .get(&format!("/auth/verify-email?token={}", tokens[0]))
        .await;
    assert_eq!(old.headers()["location"], "/app?verify=invalid");
    let newest = app
        .get(&format!("/auth/verify-email?token={}", tokens[3]))
        .await;
    assert_eq!(newest.headers()["location"], "/app");
}
