//! The references for `benches/run.sh` and `benches/assets.sh`: a minimal
//! axum handler that returns the same bytes as Palaver's `/login` (so the
//! ratio of the two shows what rendering the page costs), and, given a site
//! root, its files served the way Palaver served them before they were
//! compressed at build time: `ServeDir` under tower-http's
//! `CompressionLayer`, which compresses each response as it goes out.
//! Usage: ref_server BODY_FILE [ADDR] [SITE_ROOT]

use tower_http::{compression::CompressionLayer, services::ServeDir};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .expect("usage: ref_server BODY_FILE [ADDR] [SITE_ROOT]");
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3601".into());
    let site_root = args.next();
    let body: &'static str = Box::leak(
        std::fs::read_to_string(file)
            .expect("readable body")
            .into_boxed_str(),
    );
    let mut app = axum::Router::new().route(
        "/login",
        axum::routing::get(move || async move { axum::response::Html(body) }),
    );
    if let Some(root) = site_root {
        // Not `precompressed_br()`: the point is the per-request compression.
        app = app.fallback_service(ServeDir::new(root));
    }
    let app = app.layer(CompressionLayer::new());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("free port");
    axum::serve(listener, app).await.expect("serve");
}
