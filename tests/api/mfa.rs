//! Two-factor sign-in: setup, enabling with a right code, the two-step
//! sign-in, replay and drift, recovery codes, the wrong-code limit, turning
//! it off, and an admin's reset. Codes are computed from the secret the
//! setup showed, at the app's own (injected) clock.

use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::{failure, query_text_int, session_cookie, spawn_app, TestApp, PASSWORD};

fn code_at(secret: &str, unix: i64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    totp.generate(unix as u64)
}

fn now(app: &TestApp) -> i64 {
    app.state.clock.now()
}

/// Signs up `email` and turns MFA on; returns (cookie, secret, recovery codes).
async fn with_mfa(app: &TestApp, email: &str) -> (String, String, Vec<String>) {
    let cookie = app.signed_in(email).await;
    let res = app
        .post_json("/auth/mfa/setup", &json!({}), Some(&cookie))
        .await;
    assert_eq!(res.status(), 200);
    let setup: Value = res.json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(
        setup["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/"),
        "{setup}"
    );
    assert!(
        setup["qr_svg"].as_str().unwrap().contains("<svg"),
        "the QR code is an SVG"
    );
    assert_eq!(
        app.get_json("/auth/me", &cookie).await["user"]["mfa"],
        false
    );

    let wrong = app
        .post_json(
            "/auth/mfa/enable",
            &json!({"code": "000000"}),
            Some(&cookie),
        )
        .await;
    failure(wrong, 400, "invalid_mfa_code").await;
    let res = app
        .post_json(
            "/auth/mfa/enable",
            &json!({"code": code_at(&secret, now(app))}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let codes: Vec<String> = body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(app.get_json("/auth/me", &cookie).await["user"]["mfa"], true);
    (cookie, secret, codes)
}

/// Signs in with the password only: the half-signed-in cookie.
async fn first_step(app: &TestApp, email: &str) -> String {
    let res = app.login(email, PASSWORD).await;
    assert_eq!(res.status(), 200);
    let cookie = session_cookie(&res).unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"ok": true, "mfa_required": true}));
    cookie
}

async fn verify(app: &TestApp, cookie: &str, code: &str) -> reqwest::Response {
    app.post_json("/auth/mfa/verify", &json!({"code": code}), Some(cookie))
        .await
}

#[tokio::test]
async fn sign_in_takes_two_steps_and_the_first_can_do_nothing_else() {
    let app = spawn_app().await;
    let (_, secret, _) = with_mfa(&app, "ann@example.com").await;
    // The secret is stored encrypted, never as shown.
    let stored = query_text_int(&app.db_url, "SELECT secret, user_id FROM mfa_credentials").await;
    assert!(!stored[0].0.contains(&secret));

    let half = first_step(&app, "ann@example.com").await;
    failure(app.get_as("/auth/me", &half).await, 401, "mfa_required").await;
    failure(
        app.get_as("/api/conversations/list", &half).await,
        401,
        "mfa_required",
    )
    .await;
    failure(verify(&app, &half, "123456").await, 401, "invalid_mfa_code").await;

    // Codes from the setup step's window were used; wait for the next one.
    app.state.clock.advance(30);
    let res = verify(&app, &half, &code_at(&secret, now(&app))).await;
    assert_eq!(res.status(), 200);
    let full = session_cookie(&res).expect("a new session id");
    assert_ne!(full, half);
    let me = app.get_json("/auth/me", &full).await;
    assert_eq!(me["user"]["email"], "ann@example.com", "{me}");
    // The half session's id is gone.
    failure(app.get_as("/auth/me", &half).await, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_code_works_once_and_one_step_of_drift_either_way() {
    let app = spawn_app().await;
    let (_, secret, _) = with_mfa(&app, "ann@example.com").await;
    app.state.clock.advance(60);
    let code = code_at(&secret, now(&app) - 30);
    let half = first_step(&app, "ann@example.com").await;
    assert_eq!(
        verify(&app, &half, &code).await.status(),
        200,
        "one step behind"
    );
    let again = first_step(&app, "ann@example.com").await;
    failure(verify(&app, &again, &code).await, 401, "invalid_mfa_code").await;
    let two_ahead = code_at(&secret, now(&app) + 60);
    failure(
        verify(&app, &again, &two_ahead).await,
        401,
        "invalid_mfa_code",
    )
    .await;
    let one_ahead = code_at(&secret, now(&app) + 30);
    assert_eq!(
        verify(&app, &again, &one_ahead).await.status(),
        200,
        "one step ahead"
    );
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let app = spawn_app().await;
    let (_, _, codes) = with_mfa(&app, "ann@example.com").await;
    let hashes = query_text_int(
        &app.db_url,
        "SELECT code_hash, user_id FROM mfa_recovery_codes",
    )
    .await;
    assert_eq!(hashes.len(), 10);
    assert!(
        hashes.iter().all(|(h, _)| !codes.contains(h)),
        "stored hashed"
    );
    let half = first_step(&app, "ann@example.com").await;
    assert_eq!(
        verify(&app, &half, &codes[3].to_uppercase()).await.status(),
        200
    );
    let again = first_step(&app, "ann@example.com").await;
    failure(
        verify(&app, &again, &codes[3]).await,
        401,
        "invalid_mfa_code",
    )
    .await;
}

#[tokio::test]
async fn five_wrong_codes_lock_the_second_step_for_a_while() {
    let app = spawn_app().await;
    let (_, secret, _) = with_mfa(&app, "ann@example.com").await;
    let half = first_step(&app, "ann@example.com").await;
    for _ in 0..5 {
        failure(verify(&app, &half, "999999").await, 401, "invalid_mfa_code").await;
    }
    app.state.clock.advance(30);
    let right = code_at(&secret, now(&app));
    failure(verify(&app, &half, &right).await, 429, "rate_limited").await;
    app.state.clock.advance(900);
    let right = code_at(&secret, now(&app));
    assert_eq!(verify(&app, &half, &right).await.status(), 200);
}

#[tokio::test]
async fn turning_mfa_off_needs_the_password_and_a_code() {
    let app = spawn_app().await;
    let (cookie, secret, _) = with_mfa(&app, "ann@example.com").await;
    app.state.clock.advance(30);
    let code = code_at(&secret, now(&app));
    let res = app
        .post_json(
            "/auth/mfa/disable",
            &json!({"password": "not-it-at-all-1", "code": code}),
            Some(&cookie),
        )
        .await;
    failure(res, 401, "invalid_credentials").await;
    let res = app
        .post_json(
            "/auth/mfa/disable",
            &json!({"password": PASSWORD, "code": "000000"}),
            Some(&cookie),
        )
        .await;
    failure(res, 400, "invalid_mfa_code").await;
    let res = app
        .post_json(
            "/auth/mfa/disable",
            &json!({"password": PASSWORD, "code": code}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app.login("ann@example.com", PASSWORD).await;
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
}

#[tokio::test]
async fn an_admin_turns_mfa_off_for_a_locked_out_user_and_it_is_audited() {
    let app = spawn_app().await;
    let admin = app.signed_in("root@example.com").await;
    let (cookie, _, _) = with_mfa(&app, "ann@example.com").await;
    let id = app.get_json("/auth/me", &cookie).await["user"]["id"]
        .as_i64()
        .unwrap();
    let res = app
        .post_json(
            "/api/admin/users/reset-mfa",
            &json!({"id": id}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app.login("ann@example.com", PASSWORD).await;
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    let audit = app
        .get_json("/api/admin/audit?kind=mfa_disabled", &admin)
        .await;
    assert_eq!(audit["events"][0]["user_id"], id, "{audit}");
    assert!(audit["events"][0]["actor_id"].as_i64().is_some());
    assert_eq!(audit["chain_ok"], true);
}

#[tokio::test]
async fn setup_twice_replaces_the_unconfirmed_secret_but_not_an_enabled_one() {
    let app = spawn_app().await;
    let (cookie, _, _) = with_mfa(&app, "ann@example.com").await;
    let res = app
        .post_json("/auth/mfa/setup", &json!({}), Some(&cookie))
        .await;
    failure(res, 409, "mfa_already_enabled").await;
}

/// The page's setup link (`/settings?mfa=setup`, which works without
/// JavaScript) shows the secret that is stored: a code made from the shown
/// secret turns MFA on. Once, the page started two setups in one render and
/// showed the one that the other replaced, now and then.
#[tokio::test]
async fn the_setup_page_shows_the_secret_it_stored() {
    let app = spawn_app().await;
    for n in 0..4 {
        let cookie = app.signed_in(&format!("page{n}@example.com")).await;
        let html = app
            .get_as("/settings?mfa=setup", &cookie)
            .await
            .text()
            .await
            .unwrap();
        let shown = html
            .split_once(r#"id="mfa-secret""#)
            .and_then(|(_, rest)| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split_once('<'))
            .map(|(secret, _)| secret.to_owned())
            .unwrap_or_else(|| panic!("no secret on the page: {html}"));
        assert_eq!(
            html.matches(r#"id="mfa-secret""#).count(),
            1,
            "one secret is shown"
        );
        let res = app
            .post_json(
                "/auth/mfa/enable",
                &json!({"code": code_at(&shown, now(&app))}),
                Some(&cookie),
            )
            .await;
        assert_eq!(
            res.status(),
            200,
            "the shown secret {shown} is the stored one"
        );
    }
}
