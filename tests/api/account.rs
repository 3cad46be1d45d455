//! What people do to their own account: change the password (other
//! sessions end), list and end sessions, edit the profile, delete the
//! account (nothing of it stays but its audit events).

use serde_json::{json, Value};

use crate::helpers::{failure, query_text_int, session_cookie, spawn_app, TestApp, PASSWORD};

async fn second_session(app: &TestApp, email: &str) -> String {
    let res = app.login(email, PASSWORD).await;
    assert_eq!(res.status(), 200);
    session_cookie(&res).unwrap()
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    let here = app.signed_in("ann@example.com").await;
    let there = second_session(&app, "ann@example.com").await;
    let wrong = app
        .post_json(
            "/auth/password/change",
            &json!({"current_password": "not-it-at-all-1", "new_password": "a-new-horse-42"}),
            Some(&here),
        )
        .await;
    failure(wrong, 401, "invalid_credentials").await;
    let weak = app
        .post_json(
            "/auth/password/change",
            &json!({"current_password": PASSWORD, "new_password": "short"}),
            Some(&here),
        )
        .await;
    failure(weak, 400, "weak_password").await;

    let res = app
        .post_json(
            "/auth/password/change",
            &json!({"current_password": PASSWORD, "new_password": "a-new-horse-42"}),
            Some(&here),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    // The session registration opened, and the second sign-in.
    assert_eq!(body, json!({"ok": true, "revoked_sessions": 2}));
    assert_eq!(app.get_as("/auth/me", &here).await.status(), 200);
    failure(app.get_as("/auth/me", &there).await, 401, "unauthorized").await;
    failure(
        app.login("ann@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        app.login("ann@example.com", "a-new-horse-42")
            .await
            .status(),
        200
    );
    // The owner is told by mail, through the outbox.
    let jobs = query_text_int(
        &app.db_url,
        "SELECT job, id FROM mail_outbox WHERE job LIKE '%PasswordChanged%' OR job LIKE '%password_changed%'",
    )
    .await;
    assert_eq!(jobs.len(), 1, "{jobs:?}");
}

#[tokio::test]
async fn an_api_key_cannot_change_the_account() {
    let app = spawn_app().await;
    let cookie = app.signed_in("ann@example.com").await;
    let res = app
        .post_json("/auth/api-keys", &json!({"name": "bot"}), Some(&cookie))
        .await;
    let key = res.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    for (path, body) in [
        (
            "/auth/password/change",
            json!({"current_password": PASSWORD, "new_password": "a-new-horse-42"}),
        ),
        ("/auth/account/delete", json!({"password": PASSWORD})),
        ("/auth/mfa/setup", json!({})),
    ] {
        failure(
            app.post_bearer(path, &body, &key).await,
            403,
            "session_required",
        )
        .await;
    }
}

#[tokio::test]
async fn people_see_their_sessions_and_end_one_or_all_others() {
    let app = spawn_app().await;
    let here = app.signed_in("ann@example.com").await;
    let phone = app
        .client
        .post(app.url("/auth/login"))
        .header("user-agent", "PhoneBrowser/1.0")
        .json(&json!({"identifier": "ann@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let phone = session_cookie(&phone).unwrap();
    let third = second_session(&app, "ann@example.com").await;

    let list = app.get_json("/auth/sessions", &here).await;
    assert_eq!(list["ok"], true);
    let sessions = list["sessions"].as_array().unwrap();
    // Registration signs in too: that session, and three sign-ins.
    assert_eq!(sessions.len(), 4, "{list}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let cookie_value = here.split_once('=').unwrap().1;
    assert!(
        !list.to_string().contains(cookie_value),
        "no cookie in the list"
    );
    let on_phone = sessions
        .iter()
        .find(|s| s["user_agent"] == "PhoneBrowser/1.0")
        .expect("the phone's session shows its browser");
    assert_eq!(on_phone["ip"], "127.0.0.1");
    assert!(on_phone["created_at"].as_i64().is_some());
    assert!(on_phone["last_seen_at"].as_i64().is_some());

    let res = app
        .post_json(
            "/auth/sessions/revoke",
            &json!({"id": on_phone["id"]}),
            Some(&here),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"ok": true, "revoked_sessions": 1})
    );
    failure(app.get_as("/auth/me", &phone).await, 401, "unauthorized").await;
    assert_eq!(app.get_as("/auth/me", &third).await.status(), 200);

    let res = app
        .post_json(
            "/auth/sessions/revoke",
            &json!({"all_others": true}),
            Some(&here),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"ok": true, "revoked_sessions": 2})
    );
    failure(app.get_as("/auth/me", &third).await, 401, "unauthorized").await;
    assert_eq!(app.get_as("/auth/me", &here).await.status(), 200);

    let unknown = app
        .post_json("/auth/sessions/revoke", &json!({"id": "f00"}), Some(&here))
        .await;
    failure(unknown, 404, "not_found").await;
    let neither = app
        .post_json("/auth/sessions/revoke", &json!({}), Some(&here))
        .await;
    failure(neither, 400, "bad_request").await;
}

#[tokio::test]
async fn the_profile_changes_the_name_and_phone() {
    let app = spawn_app().await;
    let cookie = app.signed_in("ann@example.com").await;
    let res = app
        .post_json(
            "/auth/profile",
            &json!({"display_name": "Ann Example", "phone": "+84 912 345 678"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    let me = app.get_json("/auth/me", &cookie).await;
    assert_eq!(me["user"]["display_name"], "Ann Example", "{me}");
    assert!(me["user"]["phone"].as_str().is_some());
    let bad = app
        .post_json(
            "/auth/profile",
            &json!({"display_name": "   "}),
            Some(&cookie),
        )
        .await;
    failure(bad, 400, "invalid_display_name").await;
    let res = app
        .post_json("/auth/profile", &json!({"phone": ""}), Some(&cookie))
        .await;
    assert_eq!(res.status(), 200);
    let me = app.get_json("/auth/me", &cookie).await;
    assert_eq!(me["user"]["phone"], Value::Null);
    assert_eq!(me["user"]["display_name"], "Ann Example");
}

#[tokio::test]
async fn deleting_the_account_removes_everything_of_it() {
    let app = spawn_app().await;
    let _admin = app.signed_in("root@example.com").await;
    let cookie = app.signed_in("ann@example.com").await;
    let other = second_session(&app, "ann@example.com").await;
    let id = app.get_json("/auth/me", &cookie).await["user"]["id"]
        .as_i64()
        .unwrap();
    crate::helpers::execute(
        &app.db_url,
        &format!(
            "INSERT INTO conversations (user_id, title, model, created_at, updated_at) \
             VALUES ({id}, 'mine', 'm', 1, 1)"
        ),
    )
    .await;
    let wrong = app
        .post_json(
            "/auth/account/delete",
            &json!({"password": "not-it-at-all-1"}),
            Some(&cookie),
        )
        .await;
    failure(wrong, 401, "invalid_credentials").await;

    let res = app
        .post_json(
            "/auth/account/delete",
            &json!({"password": PASSWORD}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    failure(app.get_as("/auth/me", &other).await, 401, "unauthorized").await;
    failure(
        app.login("ann@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    for (table, column) in [
        ("users", "id"),
        ("sessions", "user_id"),
        ("conversations", "user_id"),
    ] {
        let left = query_text_int(
            &app.db_url,
            &format!("SELECT 'x', COUNT(*) FROM {table} WHERE {column} = {id}"),
        )
        .await;
        assert_eq!(left[0].1, 0, "{table}");
    }
    let kept = query_text_int(
        &app.db_url,
        &format!(
            "SELECT kind, user_id FROM audit_log WHERE user_id = {id} AND kind = 'account_deleted'"
        ),
    )
    .await;
    assert_eq!(kept.len(), 1);
}
