use crate::helpers::spawn_app;

#[tokio::test]
async fn login_is_server_rendered_without_any_script() {
    let app = spawn_app().await;
    let res = app.get("/login").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Sign in to Palaver</h1>"), "{html}");
    assert!(html.contains("<title>Sign in · Palaver</title>"));
    // No island on it: nothing to download but the HTML and the CSS (its
    // only scripts are Leptos' few bytes of inline resource bootstrap).
    assert!(!html.contains(r#"<script type="module""#), "{html}");
    assert!(!html.contains("/pkg/palaver.js"), "{html}");
    assert!(!html.contains(".wasm"), "{html}");
    // Its theme switch is the plain form.
    assert!(html.contains(r#"action="/theme""#), "{html}");
}

#[tokio::test]
async fn pages_load_the_bundle_exactly_where_they_have_islands() {
    let app = spawn_app().await;
    let admin = app.signed_in("first-admin@example.com").await;
    let pages = [
        ("/login", "", false),
        ("/forgot-password", "", false),
        ("/mfa", "", false),
        ("/no/such/page", "", false),
        ("/register", "", true),
        ("/reset-password?token=abc", "", true),
        ("/settings", admin.as_str(), false),
        ("/admin", admin.as_str(), false),
        ("/waiting", admin.as_str(), false),
        ("/app", admin.as_str(), true),
    ];
    for (path, cookie, islands) in pages {
        let res = app.get_as(path, cookie).await;
        let html = res.text().await.unwrap();
        assert_eq!(html.contains("<leptos-island"), islands, "{path}: {html}");
        assert_eq!(html.contains(".wasm"), islands, "{path}");
        assert_eq!(html.contains(r#"<script type="module""#), islands, "{path}");
        let path = path.split('?').next().unwrap();
        assert_eq!(
            palaver::app::PAGES_WITH_ISLANDS.contains(&path),
            islands,
            "{path}"
        );
    }
}

/// The page's body and its script nonce, checked against its CSP header.
async fn page_and_nonce(res: reqwest::Response) -> (String, String) {
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = res.text().await.unwrap();
    let nonce = html
        .split("<script nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an inline script with a nonce")
        .to_owned();
    assert_eq!(nonce.len(), 22, "128 random bits, base64url");
    assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
    (html, nonce)
}

#[tokio::test]
async fn each_page_gets_a_fresh_nonce_even_when_it_is_served_from_memory() {
    let app = spawn_app().await;
    for path in ["/login", "/register", "/forgot-password"] {
        let (first, a) = page_and_nonce(app.get(path).await).await;
        let (second, b) = page_and_nonce(app.get(path).await).await;
        assert_ne!(a, b, "{path}");
        assert!(
            !second.contains(&a),
            "{path}: no trace of another page's nonce"
        );
        assert_eq!(first.replace(&a, "N"), second.replace(&b, "N"), "{path}");
    }
    assert_eq!(app.state.page_cache.len(), 3, "rendered once each");
    // Kept per theme: the dark page is not the light one.
    let dark = app
        .get_as("/login", "theme=dark")
        .await
        .text()
        .await
        .unwrap();
    assert!(dark.contains(r#"data-theme="dark""#), "{dark}");
    let plain = app.get("/login").await.text().await.unwrap();
    assert!(plain.contains(r#"data-theme="system""#), "{plain}");
    assert_eq!(app.state.page_cache.len(), 4);

    // What depends on the request is rendered for it: an error in the
    // query, and a signed-in visitor (the header names them).
    let html = app
        .get("/login?error=invalid_credentials")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Invalid credentials"), "{html}");
    let cookie = app.signed_in("cached@example.com").await;
    let html = app
        .get_as("/forgot-password", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Sign out"), "{html}");
    assert!(!app
        .get("/forgot-password")
        .await
        .text()
        .await
        .unwrap()
        .contains("Sign out"));
    assert_eq!(app.state.page_cache.len(), 4, "nothing else was kept");
}

#[tokio::test]
async fn app_page_renders_the_chat_layout() {
    let app = spawn_app().await;
    let cookie = app.signed_in("layout@example.com").await;
    let res = app.get_as("/app", &cookie).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Conversations"));
}

#[tokio::test]
async fn root_redirects_to_login() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/login");
}

#[tokio::test]
async fn unknown_paths_get_a_404_page() {
    let app = spawn_app().await;
    for _ in 0..20 {
        let res = app.get("/no/such/page").await;
        assert_eq!(res.status(), 404);
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = res.text().await.unwrap();
        assert!(html.contains("Page not found"));
        // No bundle; its inline scripts run under the nonce that the CSP
        // names, every time.
        assert!(!html.contains(r#"<script type="module""#), "{html}");
        let nonce = html
            .split("<script nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("an inline script with a nonce");
        assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
    }
}

#[tokio::test]
async fn static_assets_are_served_with_cache_lifetimes() {
    let app = spawn_app().await;
    let res = app.get("/favicon.svg").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");
    // Without a hash file the asset names are stable, so they must be revalidated.
    let res = app.get("/pkg/palaver.css").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn pages_are_compressed_and_static_files_are_sent_as_built() {
    let app = spawn_app().await;
    let get = |path: &'static str, accept: &'static str| {
        app.client
            .get(app.url(path))
            .header("accept-encoding", accept)
            .send()
    };
    let res = get("/login", "gzip").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip", "pages are");

    // A release build writes compressed copies beside each file
    // (`--precompress`); they are sent as they are, never made per request.
    let pkg = app.dir.path().join("site/pkg");
    std::fs::write(pkg.join("palaver.css.br"), b"brotli copy").unwrap();
    std::fs::write(pkg.join("palaver.css.gz"), b"gzip copy").unwrap();
    for (accept, encoding, body) in [
        ("br, gzip", "br", "brotli copy"),
        ("gzip", "gzip", "gzip copy"),
    ] {
        let res = get("/pkg/palaver.css", accept).await.unwrap();
        assert_eq!(res.status(), 200, "{accept}");
        assert_eq!(res.headers()["content-encoding"], encoding, "{accept}");
        assert_eq!(res.text().await.unwrap(), body, "{accept}");
    }
    let res = get("/pkg/palaver.css", "identity").await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.text().await.unwrap(), "body{color:black}".repeat(100));
    // A file without copies goes out uncompressed, whatever is accepted.
    let res = get("/favicon.svg", "br, gzip").await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers().get("content-encoding").is_none(),
        "{:?}",
        res.headers()
    );
    // The 404 page is a page: compressed.
    let res = get("/no/such/file.js", "gzip").await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn redirects_that_depend_on_the_session_are_never_stored() {
    let app = spawn_app().await;
    let cookie = app.signed_in("loop@example.com").await;
    let signed_out = [("/", "/login"), ("/app", "/login?next=/app")];
    let signed_in = [("/", "/app"), ("/login", "/app"), ("/register", "/app")];
    for (path, cookie, to) in signed_out
        .iter()
        .map(|(p, t)| (p, None, t))
        .chain(signed_in.iter().map(|(p, t)| (p, Some(&cookie), t)))
    {
        let res = match cookie {
            Some(c) => app.get_as(path, c).await,
            None => app.get(path).await,
        };
        assert!(res.status().is_redirection(), "{path}: {}", res.status());
        assert_eq!(res.headers()["location"], *to, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn pages_are_private_and_vary_on_the_cookie() {
    let app = spawn_app().await;
    let cookie = app.signed_in("private@example.com").await;
    for res in [app.get("/login").await, app.get_as("/app", &cookie).await] {
        assert_eq!(res.headers()["cache-control"], "private, no-cache");
        let vary: Vec<_> = res.headers().get_all("vary").iter().collect();
        assert!(
            vary.iter()
                .any(|v| v.to_str().unwrap().to_ascii_lowercase().contains("cookie")),
            "{vary:?}"
        );
    }
}

/// The server renders on several worker threads, and a page's state may be
/// dropped on another thread than the one that made it. State kept in
/// thread-local storage then panics, which cut the page off mid-way (seen
/// on `/app` in the browser tests, now and then). Many renders at once on a
/// multi-threaded runtime must all arrive whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_on_many_threads_arrive_whole() {
    use futures_util::{stream, StreamExt};
    let panics = crate::helpers::count_panics();
    let app = spawn_app().await;
    let cookie = app.signed_in("threads@example.com").await;
    let whole = stream::iter(0..200)
        .map(|i| {
            let (app, cookie) = (&app, &cookie);
            async move {
                let path = if i % 2 == 0 { "/app" } else { "/login" };
                let res = app.get_as(path, cookie).await;
                let status = res.status().as_u16();
                let body = res.text().await.unwrap_or_default();
                // Streamed: the resources' chunks may follow `</html>`.
                let ok = status == 303 || (status == 200 && body.contains("</html>"));
                if !ok {
                    eprintln!("{path}: {status}, {} bytes, no </html>", body.len());
                }
                ok
            }
        })
        .buffer_unordered(16)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    assert_eq!(
        panics.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "a render panicked"
    );
    assert_eq!(whole, 200, "pages cut off");
}

/// The theme switch works without JavaScript: the form post remembers the
/// choice in a cookie and goes back; every page then renders that theme on
/// `<html>` in its first byte (no flash of the other one).
#[tokio::test]
async fn the_theme_is_remembered_in_a_cookie_and_rendered_by_the_server() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/theme"))
        .form(&[("theme", "dark"), ("next", "/register?next=%2Fapp")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/register?next=%2Fapp");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("theme=dark; Path=/; Max-Age=31536000"),
        "{cookie}"
    );

    let html = app
        .get_as("/login", "theme=dark")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<html lang="en" data-theme="dark">"#),
        "{html}"
    );
    let html = app.get("/login").await.text().await.unwrap();
    assert!(html.contains(r#"data-theme="system""#), "{html}");
    // The switch names each choice and marks the one in force.
    let pressed = r#"aria-label="Dark theme" aria-pressed="true""#;
    let dark = app
        .get_as("/login", "theme=dark")
        .await
        .text()
        .await
        .unwrap();
    assert!(dark.contains(pressed), "{dark}");

    // Only a site path is a way back, and only a real theme is taken.
    let res = app
        .client
        .post(app.url("/theme"))
        .form(&[("theme", "light"), ("next", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/app");
    let res = app
        .client
        .post(app.url("/theme"))
        .form(&[("theme", "purple")])
        .send()
        .await
        .unwrap();
    crate::helpers::failure(res, 400, "bad_request").await;
}

/// Without JavaScript the sign-in form itself carries where to go next:
/// the server renders it into the hidden field (a `prop:` would not be).
#[tokio::test]
async fn the_sign_in_pages_carry_next_in_their_forms() {
    let app = spawn_app().await;
    for page in ["/login", "/register"] {
        let html = app
            .get(&format!("{page}?next=%2Fapp%3Fc%3D3"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(r#"<input type="hidden" name="next" value="/app?c=3">"#),
            "{page}: {html}"
        );
    }
}
