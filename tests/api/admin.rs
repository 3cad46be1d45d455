//! Roles, sign-up modes and the admin's calls: the first account is the
//! admin, approval and closed modes, the last-admin rule, deactivation
//! ending sessions at once.

use serde_json::{json, Value};

use crate::helpers::{failure, query_text_int, spawn_app, spawn_app_with, TestApp, PASSWORD};

async fn me(app: &TestApp, cookie: &str) -> Value {
    app.get_json("/auth/me", cookie).await["user"].clone()
}

async fn id_of(app: &TestApp, admin: &str, email: &str) -> i64 {
    let list = app.get_json("/api/admin/users", admin).await;
    list["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap_or_else(|| panic!("{email} listed: {list}"))["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_first_account_is_the_admin_and_later_ones_are_users() {
    let app = spawn_app().await;
    let ann = app.signed_in("ann@example.com").await;
    let bob = app.signed_in("bob@example.com").await;
    let first = me(&app, &ann).await;
    assert_eq!(first["role"], "admin", "{first}");
    assert_eq!(first["mfa"], false);
    assert_eq!(first["email_verified"], true);
    assert_eq!(me(&app, &bob).await["role"], "user");

    let list = app.get_json("/api/admin/users", &ann).await;
    assert_eq!(list["ok"], true);
    let users = list["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    // Newest first, with what an admin needs to see.
    assert_eq!(users[0]["email"], "bob@example.com");
    for key in [
        "id",
        "uid",
        "display_name",
        "role",
        "is_active",
        "mfa",
        "created_at",
        "last_login_at",
    ] {
        assert!(users[0].get(key).is_some(), "{key} in {}", users[0]);
    }
    assert!(users[0]["last_login_at"].as_i64().is_some());
    let found = app.get_json("/api/admin/users?q=ANN", &ann).await;
    assert_eq!(found["users"].as_array().unwrap().len(), 1, "{found}");
}

#[tokio::test]
async fn of_first_sign_ups_at_the_same_time_only_one_becomes_the_admin() {
    let app = spawn_app().await;
    let emails: Vec<String> = (0..6).map(|i| format!("first{i}@example.com")).collect();
    let sign_ups = emails.iter().map(|email| app.signed_in(email));
    let cookies = futures_util::future::join_all(sign_ups).await;
    let mut admins = 0;
    for cookie in &cookies {
        if me(&app, cookie).await["role"] == "admin" {
            admins += 1;
        }
    }
    assert_eq!(
        admins,
        1,
        "one admin among {} first sign-ups",
        cookies.len()
    );
}

#[tokio::test]
async fn only_admins_reach_the_admin_calls() {
    let app = spawn_app().await;
    let admin = app.signed_in("root@example.com").await;
    let bob = app.signed_in("bob@example.com").await;
    failure(app.get_as("/api/admin/users", &bob).await, 403, "forbidden").await;
    failure(app.get_as("/api/admin/audit", &bob).await, 403, "forbidden").await;
    let res = app
        .post_json(
            "/api/admin/users/update",
            &json!({"id": 1, "role": "user"}),
            Some(&bob),
        )
        .await;
    failure(res, 403, "forbidden").await;
    failure(app.get("/api/admin/users").await, 401, "unauthorized").await;
    // The page: 403 with the "only administrators" view for a user, 200 with
    // the users for the admin (the status comes before the streamed page).
    let page = app.get_as("/admin", &bob).await;
    assert_eq!(page.status(), 403);
    assert!(page.text().await.unwrap().contains("Only administrators"));
    let page = app.get_as("/admin", &admin).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("bob@example.com"));
}

#[tokio::test]
async fn in_approval_mode_new_accounts_wait_and_cannot_chat_until_approved() {
    let app = spawn_app_with(&[("SIGNUP_MODE", "approval")]).await;
    let admin = app.signed_in("root@example.com").await;
    assert_eq!(me(&app, &admin).await["role"], "admin");
    let eve = app.signed_in("eve@example.com").await;
    assert_eq!(me(&app, &eve).await["role"], "pending");
    let chat = app
        .post_json("/api/chat", &json!({"message": "hello"}), Some(&eve))
        .await;
    failure(chat, 403, "pending_approval").await;

    let id = id_of(&app, &admin, "eve@example.com").await;
    let res = app
        .post_json(
            "/api/admin/users/update",
            &json!({"id": id, "role": "user"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Approval keeps her signed in; she is a user now.
    assert_eq!(me(&app, &eve).await["role"], "user");
    let chat = app
        .post_json("/api/chat", &json!({"message": "hello"}), Some(&eve))
        .await;
    assert_ne!(chat.status(), 403);
}

#[tokio::test]
async fn a_closed_instance_lets_only_admins_make_accounts() {
    let app = spawn_app_with(&[("SIGNUP_MODE", "closed")]).await;
    // Its very first account is how the admin is made.
    let admin = app.signed_in("root@example.com").await;
    failure(
        app.register("walk-in@example.com", PASSWORD).await,
        403,
        "signup_closed",
    )
    .await;

    let res = app
        .post_json(
            "/api/admin/users/create",
            &json!({"email": "Made@Example.com", "password": PASSWORD, "display_name": "Made"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true);
    assert!(body["id"].as_i64().is_some(), "{body}");
    assert_eq!(app.login("made@example.com", PASSWORD).await.status(), 200);

    let taken = app
        .post_json(
            "/api/admin/users/create",
            &json!({"email": "made@example.com", "password": PASSWORD}),
            Some(&admin),
        )
        .await;
    failure(taken, 409, "email_taken").await;
    let weak = app
        .post_json(
            "/api/admin/users/create",
            &json!({"email": "weak@example.com", "password": "short"}),
            Some(&admin),
        )
        .await;
    failure(weak, 400, "weak_password").await;
}

#[tokio::test]
async fn the_last_admin_cannot_lock_everyone_out() {
    let app = spawn_app().await;
    let admin = app.signed_in("root@example.com").await;
    let root = id_of(&app, &admin, "root@example.com").await;
    for change in [
        json!({"id": root, "role": "user"}),
        json!({"id": root, "is_active": false}),
    ] {
        let res = app
            .post_json("/api/admin/users/update", &change, Some(&admin))
            .await;
        failure(res, 400, "last_admin").await;
    }
    let res = app
        .post_json(
            "/api/admin/users/delete",
            &json!({"id": root}),
            Some(&admin),
        )
        .await;
    failure(res, 400, "last_admin").await;
    let res = app
        .post_json(
            "/auth/account/delete",
            &json!({"password": PASSWORD}),
            Some(&admin),
        )
        .await;
    failure(res, 400, "last_admin").await;
    assert_eq!(me(&app, &admin).await["role"], "admin");

    // With a second admin, the first may step down.
    let _bob = app.signed_in("bob@example.com").await;
    let bob = id_of(&app, &admin, "bob@example.com").await;
    let res = app
        .post_json(
            "/api/admin/users/update",
            &json!({"id": bob, "role": "admin"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_json(
            "/api/admin/users/update",
            &json!({"id": root, "role": "user"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Losing the role ended the session that carried it.
    failure(app.get_as("/auth/me", &admin).await, 401, "unauthorized").await;
}

#[tokio::test]
async fn deactivating_an_account_ends_its_sessions_at_once() {
    let app = spawn_app().await;
    let admin = app.signed_in("root@example.com").await;
    let bob = app.signed_in("bob@example.com").await;
    let id = id_of(&app, &admin, "bob@example.com").await;
    let res = app
        .post_json(
            "/api/admin/users/update",
            &json!({"id": id, "is_active": false}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    failure(app.get_as("/auth/me", &bob).await, 401, "unauthorized").await;
    failure(
        app.login("bob@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    let users = app.get_json("/api/admin/users", &admin).await;
    assert_eq!(users["users"][0]["is_active"], false, "{users}");

    let bad = app
        .post_json(
            "/api/admin/users/update",
            &json!({"id": id, "role": "boss"}),
            Some(&admin),
        )
        .await;
    failure(bad, 400, "bad_request").await;
    let missing = app
        .post_json(
            "/api/admin/users/update",
            &json!({"id": 999, "is_active": true}),
            Some(&admin),
        )
        .await;
    failure(missing, 404, "not_found").await;
}

#[tokio::test]
async fn an_admin_deletes_an_account_and_everything_of_it_but_its_audit_events() {
    let app = spawn_app().await;
    let admin = app.signed_in("root@example.com").await;
    let bob = app.signed_in("bob@example.com").await;
    let id = id_of(&app, &admin, "bob@example.com").await;
    let res = app
        .post_json("/auth/api-keys", &json!({"name": "script"}), Some(&bob))
        .await;
    assert_eq!(res.status(), 201);
    let res = app
        .post_json("/api/admin/users/delete", &json!({"id": id}), Some(&admin))
        .await;
    assert_eq!(res.status(), 200);
    failure(app.get_as("/auth/me", &bob).await, 401, "unauthorized").await;
    for table in ["users", "sessions", "api_keys", "password_credentials"] {
        let column = if table == "users" { "id" } else { "user_id" };
        let left = query_text_int(
            &app.db_url,
            &format!("SELECT 'x', COUNT(*) FROM {table} WHERE {column} = {id}"),
        )
        .await;
        assert_eq!(left[0].1, 0, "{table}");
    }
    let audit = app
        .get_json("/api/admin/audit?kind=account_deleted", &admin)
        .await;
    let events = audit["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{audit}");
    assert_eq!(events[0]["user_id"], id);
    assert!(events[0]["actor_id"].as_i64().is_some());
}
