//! The pages' side: plain form posts (JavaScript off) and page redirects.

use crate::helpers::{session_cookie, spawn_app, PASSWORD};

fn form_post<'a>(
    app: &'a crate::helpers::TestApp,
    path: &str,
    body: &'a str,
) -> reqwest::RequestBuilder {
    app.client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("origin", format!("http://{}", app.addr))
        .body(body.to_owned())
}

#[tokio::test]
async fn a_plain_form_login_redirects_to_the_next_page_with_a_session() {
    let app = spawn_app().await;
    app.register("form@example.com", PASSWORD).await;
    let res = form_post(
        &app,
        "/auth/login",
        "identifier=form%40example.com&password=correct-horse-9&next=%2Fapp%3Fc%3D1",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/app?c=1");
    let cookie = session_cookie(&res).unwrap();
    assert_eq!(app.get_as("/auth/me", &cookie).await.status(), 200);
}

#[tokio::test]
async fn a_failed_form_login_goes_back_with_an_error_code() {
    let app = spawn_app().await;
    let res = form_post(
        &app,
        "/auth/login",
        "identifier=x%40example.com&password=nope-nope-1&next=%2Fapp",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/login?next=/app&error=invalid_credentials"
    );
    let html = app
        .get(res.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Invalid credentials"),
        "the page shows the error"
    );
}

#[tokio::test]
async fn open_redirects_are_refused() {
    let app = spawn_app().await;
    app.register("redir@example.com", PASSWORD).await;
    for next in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let body = format!("identifier=redir%40example.com&password=correct-horse-9&next={next}");
        let res = form_post(&app, "/auth/login", &body).send().await.unwrap();
        assert_eq!(res.headers()["location"], "/app", "{next}");
    }
}

#[tokio::test]
async fn a_form_registration_with_a_weak_password_explains_why() {
    let app = spawn_app().await;
    let res = form_post(
        &app,
        "/auth/register",
        "email=w%40example.com&password=weak&display_name=&phone=",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, "/register?error=weak_password&reason=too_short");
    let html = app.get(&location).await.text().await.unwrap();
    assert!(
        html.contains("too short: use at least 8 characters"),
        "{html}"
    );
}

#[tokio::test]
async fn each_kind_of_weak_password_is_refused_with_its_reason() {
    let app = spawn_app().await;
    for (password, reason, needle) in [
        ("abc1", "too_short", "too short: use at least 8 characters"),
        (
            "onlyletters",
            "one_kind_of_character",
            "only one kind of character",
        ),
        ("Password123", "common", "This is a common password"),
    ] {
        // JSON: the status and code of before, and a message naming the rule.
        let res = app.register("weak@example.com", password).await;
        assert_eq!(res.status(), 400, "{password}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "weak_password", "{body}");
        assert_eq!(body["reason"], reason, "{body}");
        assert!(body["error"].as_str().unwrap().contains(needle), "{body}");

        // Without JavaScript: the page it goes back to says the same.
        let form = format!("email=weak%40example.com&password={password}&display_name=&phone=");
        let res = form_post(&app, "/auth/register", &form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let html = app.get(&location).await.text().await.unwrap();
        assert!(html.contains(needle), "{password}: {html}");
    }
}

#[tokio::test]
async fn a_dead_reset_link_by_form_offers_a_new_one() {
    let app = spawn_app().await;
    let res = form_post(
        &app,
        "/auth/password/reset",
        "token=no-such-token&password=brand-new-pass-7",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        "/reset-password?token=no-such-token&error=invalid_token"
    );
    let html = app.get(&location).await.text().await.unwrap();
    assert!(html.contains("already used, or expired"), "{html}");
    // The page knows the link is dead by its code, and offers a new one.
    assert!(html.contains("Ask for a new link"), "{html}");
}

/// The `Set-Cookie` of a refused form's kept fields, if the response has one.
fn kept_fields(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("palaver_form="))
}

#[tokio::test]
async fn a_failed_form_keeps_what_was_typed_but_never_the_password() {
    let app = spawn_app().await;
    app.register("taken@example.com", PASSWORD).await;
    let res = form_post(
        &app,
        "/auth/register",
        "email=Taken%40example.com&password=correct-horse-9&display_name=Nguy%E1%BB%85n+%22Mai%22&phone=%2B84+90+123+4567&next=%2Fapp%3Fc%3D3",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, "/register?next=/app%3Fc%3D3&error=email_taken");
    assert!(
        !location.contains("Taken"),
        "nothing typed goes in the address"
    );
    let kept = kept_fields(&res).expect("the fields are kept in a cookie");
    assert!(
        kept.contains("Max-Age=60") && kept.contains("HttpOnly"),
        "{kept}"
    );
    assert!(
        !kept.contains("correct-horse"),
        "never the password: {kept}"
    );
    let cookie = kept.split(';').next().unwrap().to_owned();

    let res = app.get_as(&location, &cookie).await;
    let forget = kept_fields(&res).expect("the page forgets the fields once shown");
    assert!(forget.contains("Max-Age=0"), "{forget}");
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"value="Taken@example.com""#), "{html}");
    assert!(html.contains(r#"value="Nguyễn &quot;Mai&quot;""#), "{html}");
    assert!(html.contains(r#"value="+84 90 123 4567""#), "{html}");
    // The error stands at the e-mail field, with the two ways on.
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains(r#"aria-describedby="email-error""#), "{html}");
    let at_field = &html[html.find(r#"id="email-error""#).unwrap()..];
    assert!(at_field.contains("already registered"), "{html}");
    assert!(at_field.contains(r#"href="/forgot-password""#), "{html}");
    assert!(at_field.contains(r#"href="/login""#), "{html}");
    assert!(html.contains(r#"value="/app?c=3""#), "next is kept: {html}");

    // Sign-in keeps the address it was given, not the password.
    let res = form_post(
        &app,
        "/auth/login",
        "identifier=someone%40example.com&password=wrong-pass-1",
    )
    .send()
    .await
    .unwrap();
    let kept = kept_fields(&res).unwrap();
    assert!(!kept.contains("wrong-pass"), "{kept}");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let html = app
        .get_as(&location, kept.split(';').next().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"value="someone@example.com""#), "{html}");
    // JSON callers get no cookie: their fields are theirs.
    let res = app.login("someone@example.com", "wrong-pass-1").await;
    assert_eq!(kept_fields(&res), None);
}

#[tokio::test]
async fn a_form_registration_signs_in_and_opens_the_app() {
    let app = spawn_app().await;
    let res = form_post(
        &app,
        "/auth/register",
        "email=new%40example.com&password=correct-horse-9&display_name=Zo%C3%AB&phone=",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/app");
    let cookie = session_cookie(&res).unwrap();
    let res = app.get_as("/app", &cookie).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Zoë"), "the header names the user");
}

#[tokio::test]
async fn the_app_redirects_signed_out_visitors_before_rendering() {
    let app = spawn_app().await;
    let res = app.get("/app?conversation=7").await;
    assert!(res.status().is_redirection());
    assert_eq!(
        res.headers()["location"],
        "/login?next=/app%3Fconversation%3D7"
    );
    assert!(
        res.text().await.unwrap().is_empty(),
        "no flash of protected content"
    );
    assert_eq!(app.get("/").await.headers()["location"], "/login");
}

#[tokio::test]
async fn signed_in_people_skip_the_login_page() {
    let app = spawn_app().await;
    let cookie = app.signed_in("skip@example.com").await;
    assert_eq!(app.get_as("/", &cookie).await.headers()["location"], "/app");
    assert_eq!(
        app.get_as("/login", &cookie).await.headers()["location"],
        "/app"
    );
    assert_eq!(
        app.get_as("/login?next=%2Fapp%3Fx%3D1", &cookie)
            .await
            .headers()["location"],
        "/app?x=1"
    );
}

#[tokio::test]
async fn logout_by_form_returns_to_login() {
    let app = spawn_app().await;
    let cookie = app.signed_in("bye@example.com").await;
    let res = form_post(&app, "/auth/logout", "")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login");
    assert_eq!(app.get_as("/auth/me", &cookie).await.status(), 401);
}
