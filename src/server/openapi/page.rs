//! `GET /api/docs`: the API document, shown by Swagger UI.
//!
//! The viewer is served from this server, never from a CDN: `swagger-ui-dist`
//! (pinned in `end2end/package.json`) is copied into `public/api-docs/`
//! before each build (`vendor_api_viewer` in `.ci/lib.sh`), so it ships in
//! the site like any other file. The page holds no inline script or style,
//! so the site's strict CSP (`script-src 'self'`, `style-src 'self'`)
//! applies unchanged: `public/api-docs/init.js` starts the viewer, and
//! Swagger UI styles its elements through the DOM (`element.style`), which
//! the CSP allows, not through `style` attributes or `<style>` elements.
//! The standalone preset, whose top bar has an SVG logo with a `<style>`
//! inside, is left out.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};

/// The page: the viewer's stylesheet and ours, and the viewer's mount
/// point (the viewer brings the `<main>` landmark and the `<h1>`, the
/// document's title), with a link to the document itself for a browser
/// without JavaScript.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Palaver API reference</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/api-docs/swagger-ui.css">
<link rel="stylesheet" href="/api-docs/palaver.css">
<script src="/api-docs/swagger-ui-bundle.js" defer></script>
<script src="/api-docs/init.js" defer></script>
</head>
<body>
<div id="api-docs" data-spec-url="/api/openapi.json">
<noscript><p>This page needs JavaScript to show the API document; <a href="/api/openapi.json">read it as JSON</a> (OpenAPI 3.1).</p></noscript>
</div>
</body>
</html>
"#;

/// The answer to `GET /api/docs`: a fixed page, with the site's usual
/// headers added by the HTTP layers. Its CSP is the site's without a
/// script nonce (the layers give other pages one): it has no inline
/// script to allow.
pub async fn docs_page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                crate::csp::content_security_policy(None),
            ),
        ],
        PAGE,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::PAGE;

    #[test]
    fn the_page_has_no_inline_script_or_style() {
        for (i, _) in PAGE.match_indices("<script") {
            let tag = &PAGE[i..i + PAGE[i..].find('>').unwrap()];
            assert!(tag.contains(" src="), "inline script: {tag}");
        }
        assert!(!PAGE.contains("<style"));
        assert!(!PAGE.contains("style="));
        assert!(PAGE.contains(r#"<html lang="en">"#));
    }
}
