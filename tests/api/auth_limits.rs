//! Rate limits, timing, and password re-hashing.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{failure, spawn_app, spawn_app_with, PASSWORD};

#[tokio::test]
async fn register_is_limited_per_email_then_per_address() {
    let app = spawn_app().await;
    assert_eq!(
        app.register("same@example.com", PASSWORD).await.status(),
        201
    );
    assert_eq!(
        app.register("same@example.com", PASSWORD).await.status(),
        409
    );
    assert_eq!(
        app.register("Same@example.com", PASSWORD).await.status(),
        409
    );
    let res = app.register("same@example.com", PASSWORD).await;
    assert_eq!(res.status(), 429, "4th try for one address within the hour");
    failure(res, 429, "rate_limited").await;

    // Six more addresses fill the per-address budget of ten.
    for i in 0..6 {
        assert_eq!(
            app.register(&format!("u{i}@example.com"), PASSWORD)
                .await
                .status(),
            201
        );
    }
    assert_eq!(
        app.register("eleventh@example.com", PASSWORD)
            .await
            .status(),
        429
    );

    // A new window opens an hour after the first hit.
    app.state.clock.advance(3600);
    assert_eq!(
        app.register("eleventh@example.com", PASSWORD)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn login_limit_answers_the_uniform_401_and_its_window_is_not_extended() {
    let app = spawn_app().await;
    app.register("limited@example.com", PASSWORD).await;
    for _ in 0..10 {
        assert_eq!(
            app.login("limited@example.com", "wrong-password-1")
                .await
                .status(),
            401
        );
    }
    app.state.clock.advance(500);
    let res = app.login("limited@example.com", PASSWORD).await;
    assert_eq!(
        res.status(),
        401,
        "the right password is refused while limited"
    );
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"ok": false, "error": "Invalid credentials", "code": "invalid_credentials"})
    );
    // Hits inside the window (the last one at +500 s) did not push it back:
    // it closes 600 s after the first.
    app.state.clock.advance(100);
    assert_eq!(
        app.login("limited@example.com", PASSWORD).await.status(),
        200
    );
}

#[tokio::test]
async fn the_login_limit_per_identifier_holds_across_addresses() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    app.register("target@example.com", PASSWORD).await;
    for i in 0..10 {
        let res = app
            .client
            .post(app.url("/auth/login"))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .json(&json!({"identifier": "target@example.com", "password": "guess-number-1"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
    let res = app
        .client
        .post(app.url("/auth/login"))
        .header("x-forwarded-for", "198.51.100.7")
        .json(&json!({"identifier": "target@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

/// A login from `address` (through the trusted proxy on 127.0.0.1).
async fn login_from(
    app: &crate::helpers::TestApp,
    address: &str,
    identifier: &str,
    password: &str,
) -> reqwest::StatusCode {
    app.client
        .post(app.url("/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({"identifier": identifier, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn an_address_past_its_own_limit_spends_nothing_of_an_accounts_budget() {
    let app = spawn_app_with(&[
        ("TRUSTED_PROXIES", "127.0.0.1"),
        ("RATE_LIMIT_LOGIN_IP", "3/600"),
    ])
    .await;
    app.register("victim@example.com", PASSWORD).await;
    // One attacker hammers the account far past its own limit...
    for _ in 0..30 {
        let status = login_from(&app, "203.0.113.66", "victim@example.com", "guess-1").await;
        assert_eq!(status, 401);
    }
    // ...and the owner still signs in from home.
    assert_eq!(
        login_from(&app, "198.51.100.1", "victim@example.com", PASSWORD).await,
        200
    );
}

#[tokio::test]
async fn successful_sign_ins_do_not_use_up_the_identifiers_budget() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    app.register("often@example.com", PASSWORD).await;
    for i in 0..15 {
        let address = format!("198.51.100.{i}");
        assert_eq!(
            login_from(&app, &address, "often@example.com", PASSWORD).await,
            200,
            "sign-in {i}"
        );
    }
}

#[tokio::test]
async fn identifiers_longer_than_an_email_are_refused_before_anything_is_counted() {
    let app = spawn_app().await;
    let long = format!("{}@example.com", "a".repeat(300));
    assert_eq!(app.login(&long, "whatever-1").await.status(), 401);
    let res = app
        .post_json("/auth/password/forgot", &json!({"identifier": long}), None)
        .await;
    assert_eq!(res.status(), 200);
    let rows = crate::helpers::query_text_int(
        &app.db_url,
        "SELECT key, CAST(count AS BIGINT) FROM rate_limits",
    )
    .await;
    assert!(rows.is_empty(), "{rows:?}");

    // Keys that are counted are fixed-size hashes, never the raw subject.
    app.login("someone@example.com", "whatever-1").await;
    let rows = crate::helpers::query_text_int(
        &app.db_url,
        "SELECT key, CAST(count AS BIGINT) FROM rate_limits",
    )
    .await;
    assert!(!rows.is_empty());
    for (key, _) in rows {
        assert_eq!(key.len(), 64, "{key}");
        assert!(
            !key.contains("someone") && !key.contains("127.0.0.1"),
            "{key}"
        );
    }
}

#[tokio::test]
async fn ipv6_clients_share_the_limit_of_their_64() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    app.register("six@example.com", PASSWORD).await;
    // Ten attempts from ten addresses of one /64 use up its budget.
    for i in 1..=10 {
        let address = format!("2001:db8:1:2::{i:x}");
        let status = login_from(&app, &address, &format!("nobody{i}@example.com"), "x-1").await;
        assert_eq!(status, 401);
    }
    assert_eq!(
        login_from(&app, "2001:db8:1:2:ffff::1", "six@example.com", PASSWORD).await,
        401,
        "another address of the same /64"
    );
    assert_eq!(
        login_from(&app, "2001:db8:1:3::1", "six@example.com", PASSWORD).await,
        200,
        "the next /64 is another client"
    );
}

/// Median login times for two identifiers, measured alternately so that
/// load from other tests weighs on both alike.
async fn median_login_times(
    app: &crate::helpers::TestApp,
    a: &str,
    b: &str,
    tries: usize,
) -> (Duration, Duration) {
    let (mut times_a, mut times_b) = (Vec::new(), Vec::new());
    for _ in 0..tries {
        for (identifier, times) in [(a, &mut times_a), (b, &mut times_b)] {
            let start = Instant::now();
            assert_eq!(
                app.login(identifier, "not-the-password-1").await.status(),
                401
            );
            times.push(start.elapsed());
        }
    }
    times_a.sort();
    times_b.sort();
    (times_a[tries / 2], times_b[tries / 2])
}

#[tokio::test]
async fn unknown_and_known_accounts_cost_similar_time() {
    let app = spawn_app_with(&[
        ("RATE_LIMIT_LOGIN_IP", "1000/600"),
        ("RATE_LIMIT_LOGIN_IDENTIFIER", "1000/600"),
    ])
    .await;
    app.register("known@example.com", PASSWORD).await;
    let (known, unknown) =
        median_login_times(&app, "known@example.com", "unknown@example.com", 9).await;
    // Both run one argon2 verification. Without the dummy hash the unknown
    // case would be a single indexed query, some twenty times quicker; the
    // wide band only absorbs the noise of a shared machine.
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    assert!(
        (0.33..3.0).contains(&ratio),
        "known {known:?}, unknown {unknown:?}"
    );
}

#[tokio::test]
async fn raising_the_argon2_cost_rehashes_at_the_next_login() {
    let first = spawn_app().await;
    first.register("rehash@example.com", PASSWORD).await;
    let db = first.db_url.clone();

    let second = spawn_app_with(&[("DATABASE_URL", &db), ("ARGON2_ITERATIONS", "3")]).await;
    assert_eq!(
        second.login("rehash@example.com", PASSWORD).await.status(),
        200
    );
    let rows = crate::helpers::query_text_int(
        &db,
        "SELECT password_hash, user_id FROM password_credentials",
    )
    .await;
    let hash = rows[0].0.clone();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=3,p=1$"),
        "{hash}"
    );
    assert_eq!(
        first.login("rehash@example.com", PASSWORD).await.status(),
        200,
        "still valid"
    );
}
