//! The contract rows of register, login, logout and me, over JSON.

use serde_json::{json, Value};

use crate::helpers::{failure, session_cookie, set_cookie_header, spawn_app, PASSWORD};

#[tokio::test]
async fn register_creates_an_account_and_me_describes_it() {
    let app = spawn_app().await;
    let res = app
        .post_json(
            "/auth/register",
            &json!({"email": "  Nguyễn.Minh@Example.COM ", "password": PASSWORD,
                    "display_name": "Nguyễn Thị Minh 明", "phone": "+84 (90) 123-4567"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"ok": true}));

    let res = app.login("NGUYỄN.MINH@example.com", PASSWORD).await;
    assert_eq!(res.status(), 200, "login is case-insensitive");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let cookie = session_cookie(&res).unwrap();

    let res = app.get_as("/auth/me", &cookie).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["ok"], true);
    let user = &me["user"];
    assert_eq!(user["email"], "nguyễn.minh@example.com");
    assert_eq!(user["display_name"], "Nguyễn Thị Minh 明");
    assert_eq!(user["phone"], "+84901234567");
    assert_eq!(user["is_active"], true);
    assert!(user["id"].is_i64());
    assert_eq!(user["uid"].as_str().unwrap().len(), 32);
    assert!(user.get("password_hash").is_none());
}

#[tokio::test]
async fn display_name_defaults_to_the_email_local_part() {
    let app = spawn_app().await;
    let cookie = app.signed_in("ada@example.com").await;
    let me: Value = app.get_as("/auth/me", &cookie).await.json().await.unwrap();
    assert_eq!(me["user"]["display_name"], "ada");
    assert_eq!(me["user"]["phone"], Value::Null);
}

#[tokio::test]
async fn bad_registrations_get_400_with_a_reason() {
    let app = spawn_app().await;
    for (email, password, needle, code, reason) in [
        (
            "not-an-email",
            PASSWORD,
            "valid e-mail",
            "invalid_email",
            None,
        ),
        (
            "a@example.com",
            "short1",
            "at least 8 characters",
            "weak_password",
            Some("too_short"),
        ),
        (
            "a@example.com",
            "onlyletters",
            "only one kind of character",
            "weak_password",
            Some("one_kind_of_character"),
        ),
        (
            "a@example.com",
            "Password123",
            "common password",
            "weak_password",
            Some("common"),
        ),
        (
            "a@example.com",
            &"a1".repeat(65),
            "at most 128 characters",
            "weak_password",
            Some("too_long"),
        ),
    ] {
        let body = failure(app.register(email, password).await, 400, code).await;
        assert!(body["error"].as_str().unwrap().contains(needle), "{body}");
        assert_eq!(body.get("reason").and_then(Value::as_str), reason, "{body}");
    }
    for (field, value, code) in [
        ("display_name", "tab\tname", "invalid_display_name"),
        ("phone", "call me", "invalid_phone"),
    ] {
        let mut body = json!({"email": "b@example.com", "password": PASSWORD});
        body[field] = value.into();
        let res = app.post_json("/auth/register", &body, None).await;
        failure(res, 400, code).await;
    }
}

#[tokio::test]
async fn a_taken_email_is_409_and_a_shared_phone_is_not_told() {
    let app = spawn_app().await;
    assert_eq!(
        app.register("grace@example.com", PASSWORD).await.status(),
        201
    );
    let res = app.register(" GRACE@example.com", "another-pass-1").await;
    let body = failure(res, 409, "email_taken").await;
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("already registered"));

    let with_phone =
        |email: &str| json!({"email": email, "password": PASSWORD, "phone": "+1 555 0100 200"});
    assert_eq!(
        app.post_json("/auth/register", &with_phone("a@example.com"), None)
            .await
            .status(),
        201
    );
    // A phone number already on an account is answered like any other:
    // registration says nothing about who else has it, and both keep it.
    let second = app
        .post_json("/auth/register", &with_phone("b@example.com"), None)
        .await;
    assert_eq!(second.status(), 201);
    let cookie = session_cookie(&second).expect("registration signs in");
    let me = app.get_json("/auth/me", &cookie).await;
    assert_eq!(me["user"]["phone"], "+15550100200", "{me}");
}

#[tokio::test]
async fn login_sets_a_strict_cookie_with_a_new_session_id() {
    let app = spawn_app().await;
    let res = app.register("hopper@example.com", PASSWORD).await;
    let at_register = session_cookie(&res).expect("registration signs in");

    let res = app
        .post_json(
            "/auth/login",
            &json!({"identifier": "hopper@example.com", "password": PASSWORD}),
            Some(&at_register),
        )
        .await;
    assert_eq!(res.status(), 200);
    let header = set_cookie_header(&res).unwrap();
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=604800"] {
        assert!(header.contains(attr), "{attr} missing: {header}");
    }
    assert!(
        !header.contains("Secure"),
        "no Secure over plain HTTP in development"
    );
    let at_login = session_cookie(&res).unwrap();
    assert_ne!(at_login, at_register, "login must issue a new session id");
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));

    // The id planted before login is dead.
    assert_eq!(app.get_as("/auth/me", &at_register).await.status(), 401);
    assert_eq!(app.get_as("/auth/me", &at_login).await.status(), 200);
}

#[tokio::test]
async fn production_cookies_are_secure() {
    let app = crate::helpers::spawn_app_with(&[
        ("APP_ENV", "production"),
        ("TRUSTED_PROXIES", "127.0.0.1"),
    ])
    .await;
    let res = app
        .client
        .post(app.url("/auth/register"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"email": "s@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let cookie = set_cookie_header(&res).unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.starts_with("__Host-palaver_session="), "{cookie}");
    assert!(
        cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
}

#[tokio::test]
async fn the_sessions_table_holds_no_live_cookie() {
    let app = crate::helpers::spawn_app().await;
    let cookie = app.signed_in("hashed@example.com").await;
    let value = cookie.split_once('=').unwrap().1.to_owned();
    let rows = crate::helpers::query_text_int(
        &app.db_url,
        "SELECT id, CAST(expires_at AS BIGINT) FROM sessions",
    )
    .await;
    assert!(!rows.is_empty());
    for (stored, _) in &rows {
        assert_ne!(stored, &value);
        assert_eq!(stored.len(), 64, "a SHA-256 in hex: {stored}");
        // The stored id, used as a cookie, signs nobody in.
        let forged = format!("palaver_session={stored}");
        assert_eq!(app.get_as("/auth/me", &forged).await.status(), 401);
    }
    assert_eq!(app.get_as("/auth/me", &cookie).await.status(), 200);
}

#[tokio::test]
async fn every_login_failure_is_the_same_401() {
    let app = spawn_app().await;
    app.register("lovelace@example.com", PASSWORD).await;
    let expected =
        json!({"ok": false, "error": "Invalid credentials", "code": "invalid_credentials"});
    for (identifier, password) in [
        ("lovelace@example.com", "wrong-password-1"),
        ("nobody@example.com", PASSWORD),
        ("not an email", PASSWORD),
        ("", ""),
    ] {
        let res = app.login(identifier, password).await;
        assert_eq!(res.status(), 401, "{identifier}");
        assert!(set_cookie_header(&res).is_none());
        assert_eq!(res.json::<Value>().await.unwrap(), expected);
    }
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let cookie = app.signed_in("turing@example.com").await;
    let res = app
        .post_json("/auth/logout", &json!({}), Some(&cookie))
        .await;
    assert_eq!(res.status(), 200);
    let cleared = set_cookie_header(&res).expect("cookie cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    // The browser would drop the cookie; an attacker who kept it gets nothing.
    let res = app.get_as("/auth/me", &cookie).await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"ok": false, "error": "Unauthorized", "code": "unauthorized"})
    );

    // Without a session, or without a body at all, logout still answers ok.
    let res = app
        .client
        .post(app.url("/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn me_without_a_session_is_401() {
    let app = spawn_app().await;
    let res = app.get("/auth/me").await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"ok": false, "error": "Unauthorized", "code": "unauthorized"})
    );
    assert_eq!(
        app.get_as("/auth/me", "palaver_session=forged")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn sessions_expire_after_their_ttl() {
    let app = crate::helpers::spawn_app_with(&[("SESSION_TTL_SECONDS", "60")]).await;
    let cookie = app.signed_in("ttl@example.com").await;
    assert_eq!(app.get_as("/auth/me", &cookie).await.status(), 200);
    app.state.clock.advance(61);
    let res = app.get_as("/auth/me", &cookie).await;
    assert_eq!(res.status(), 401);
    // The browser is told to drop the dead cookie.
    let cleared = set_cookie_header(&res).expect("stale cookie cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_400_and_big_ones_413() {
    let app = spawn_app().await;
    let send = |body: String| {
        app.client
            .post(app.url("/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for body in [
        r#"{"identifier": "a@b.c""#,
        r#"{"identifier": "a@b.c"}"#,
        r#"{"identifier": 5, "password": "x"}"#,
        "[]",
    ] {
        let json = failure(send(body.to_owned()).await.unwrap(), 400, "bad_request").await;
        assert!(
            json["error"]
                .as_str()
                .unwrap()
                .starts_with("Invalid request"),
            "{json}"
        );
    }
    let huge = format!(
        r#"{{"identifier": "{}", "password": "x"}}"#,
        "a".repeat(17 * 1024)
    );
    failure(send(huge).await.unwrap(), 413, "payload_too_large").await;
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    let body = json!({"email": "x@example.com", "password": PASSWORD});
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "null"),
    ] {
        let res = app
            .client
            .post(app.url("/auth/register"))
            .header(header, value)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{header}: {value}");
        failure(res, 403, "forbidden").await;
    }
    let res = app
        .client
        .post(app.url("/auth/register"))
        .header("origin", format!("http://{}", app.addr))
        .header("sec-fetch-site", "same-origin")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "the app's own pages may post");
}
