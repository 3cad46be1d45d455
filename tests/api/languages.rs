//! Languages: which one a request gets (the `lang` cookie, else
//! `Accept-Language`, else English), the switch without JavaScript, JSON
//! errors in it, and mails in the account's language. The expected words
//! are read from `locales/*.json`, the files translators edit.

use serde_json::{json, Value};

use crate::{
    helpers::{failure, spawn_app, spawn_app_with, TestApp, PASSWORD},
    smtp::SmtpSink,
};

/// A translation as the locale file has it (`key` like `login.heading`).
fn words(locale: &str, key: &str) -> String {
    let path = format!("{}/locales/{locale}.json", env!("CARGO_MANIFEST_DIR"));
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    key.split('.')
        .fold(&file, |v, k| &v[k])
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {locale}"))
        .to_owned()
}

async fn page(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (reqwest::header::HeaderMap, String) {
    let mut req = app.client.get(app.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let headers = res.headers().clone();
    (headers, res.text().await.unwrap())
}

#[tokio::test]
async fn the_browsers_languages_choose_the_page_and_the_cookie_overrides_them() {
    let app = spawn_app().await;
    let cases: [(&[(&str, &str)], &str); 8] = [
        (&[], "en"),
        (&[("accept-language", "zh")], "zh-CN"),
        (&[("accept-language", "zh-Hans")], "zh-CN"),
        (&[("accept-language", "zh-CN,zh;q=0.9,en;q=0.8")], "zh-CN"),
        (&[("accept-language", "vi-VN,vi;q=0.9")], "vi"),
        (&[("accept-language", "de-DE,fr;q=0.9")], "en"),
        (
            &[("accept-language", "fr;q=0.9,vi;q=0.5,zh;q=0.7")],
            "zh-CN",
        ),
        (&[("accept-language", "zh-CN"), ("cookie", "lang=vi")], "vi"),
    ];
    // Twice each: the second answer of a plain visit comes from the kept
    // pages (server::page_cache), which must keep one per language.
    for _ in 0..2 {
        for (headers, want) in cases {
            let (h, html) = page(&app, "/login", headers).await;
            assert!(
                html.contains(&format!(r#"<html lang="{want}""#)),
                "{headers:?}: {html}"
            );
            assert!(html.contains(&words(want, "login.heading")), "{headers:?}");
            assert!(html.contains(&words(want, "common.email")), "{headers:?}");
            assert_eq!(h["content-language"], want, "{headers:?}");
        }
    }
    let (_, html) = page(&app, "/register", &[("accept-language", "vi")]).await;
    assert!(html.contains(&words("vi", "register.heading")));
    assert!(html.contains(&words("vi", "password.hint")));
}

#[tokio::test]
async fn the_switch_sets_the_cookie_and_goes_back_to_the_same_page() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/lang"))
        .form(&[("lang", "zh-CN"), ("next", "/register?next=%2Fapp")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/register?next=%2Fapp");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("lang=zh-CN; Path=/; Max-Age=31536000"),
        "{cookie}"
    );

    let (_, html) = page(&app, "/register?next=%2Fapp", &[("cookie", "lang=zh-CN")]).await;
    assert!(html.contains(r#"<html lang="zh-CN""#));
    // Both switches come back to this very page, query included.
    assert_eq!(
        html.matches(r#"name="next" value="/register?next=%2Fapp""#)
            .count(),
        2,
        "{html}"
    );
    // The switch names each language in itself and marks the one in force.
    assert!(
        html.contains(r#"lang="zh-CN" title="简体中文" aria-label="简体中文" aria-pressed="true""#),
        "{html}"
    );
    assert!(
        html.contains(r#"aria-label="Tiếng Việt" aria-pressed="false""#),
        "{html}"
    );

    let res = app
        .client
        .post(app.url("/lang"))
        .form(&[("lang", "vi"), ("next", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/app");
    let res = app
        .client
        .post(app.url("/lang"))
        .form(&[("lang", "fr")])
        .send()
        .await
        .unwrap();
    failure(res, 400, "bad_request").await;
}

#[tokio::test]
async fn json_errors_speak_the_callers_language_with_the_same_code() {
    let app = spawn_app().await;
    app.register("lang@example.com", PASSWORD).await;
    for (header, locale) in [("en", "en"), ("zh-CN", "zh-CN"), ("vi", "vi")] {
        // A server function's error...
        let res = app
            .client
            .post(app.url("/auth/login"))
            .header("accept-language", header)
            .json(&json!({"identifier": "lang@example.com", "password": "wrong-password-1"}))
            .send()
            .await
            .unwrap();
        let body = failure(res, 401, "invalid_credentials").await;
        assert_eq!(body["error"], words(locale, "errors.invalid_credentials"));
        // ...one with a value in it...
        let res = app
            .client
            .post(app.url("/auth/register"))
            .header("accept-language", header)
            .json(&json!({"email": "x@example.com", "password": "short"}))
            .send()
            .await
            .unwrap();
        let body = failure(res, 400, "weak_password").await;
        assert_eq!(
            body["error"],
            words(locale, "errors.password_too_short").replace("{{ min }}", "8")
        );
        // ...and a plain handler's (the chat stream, signed out).
        let res = app
            .client
            .post(app.url("/api/chat"))
            .header("cookie", format!("lang={locale}"))
            .json(&json!({"message": "hi"}))
            .send()
            .await
            .unwrap();
        let body = failure(res, 401, "unauthorized").await;
        assert_eq!(body["error"], words(locale, "errors.unauthorized"));
    }
}

/// A header with its `=?utf-8?b?...?=` words decoded (lettre encodes a
/// subject that is not ASCII that way); the space between two encoded
/// words is not part of the text (RFC 2047), the one between plain words is.
fn decode_header(value: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut last_encoded = false;
    for word in value.split_whitespace() {
        let encoded = word
            .get(..10)
            .is_some_and(|p| p.eq_ignore_ascii_case("=?utf-8?b?"))
            && word.ends_with("?=");
        let joined = encoded && last_encoded;
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        if encoded {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&word[10..word.len() - 2])
                .unwrap();
            out.push_str(&String::from_utf8(bytes).unwrap());
        } else {
            out.push_str(word);
        }
        last_encoded = encoded;
    }
    out
}

#[tokio::test]
async fn mails_go_in_the_language_the_account_registered_in() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &sink.url()),
        ("PUBLIC_BASE_URL", "https://chat.example.com/"),
    ])
    .await;
    let accounts = [
        ("en", "en@example.com"),
        ("zh-CN", "zh@example.com"),
        ("vi", "vi@example.com"),
    ];
    for (locale, email) in accounts {
        let res = app
            .client
            .post(app.url("/auth/register"))
            .header("accept-language", locale)
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{locale}");
    }
    let mails = sink.wait_for(3).await;
    for (locale, email) in accounts {
        let mail = mails
            .iter()
            .find(|m| m.to == [email])
            .expect("a welcome mail");
        assert_eq!(
            decode_header(&mail.subject()),
            words(locale, "mail.welcome.subject"),
            "{locale}"
        );
    }
    // A reset asked from an English page still goes in the account's language.
    app.post_json(
        "/auth/password/forgot",
        &json!({"identifier": "vi@example.com"}),
        None,
    )
    .await;
    let mails = sink.wait_for(4).await;
    assert_eq!(
        decode_header(&mails[3].subject()),
        words("vi", "mail.reset.subject")
    );
}
