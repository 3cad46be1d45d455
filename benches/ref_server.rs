//! The reference for the SSR benchmark (`benches/run.sh`): a minimal axum
//! handler that returns the same bytes as Palaver's `/login`, so the ratio of
//! the two shows what rendering the page costs.
//! Usage: ref_server BODY_FILE [ADDR]

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("usage: ref_server BODY_FILE [ADDR]");
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3601".into());
    let body: &'static str = Box::leak(
        std::fs::read_to_string(file)
            .expect("readable body")
            .into_boxed_str(),
    );
    let app = axum::Router::new().route(
        "/login",
        axum::routing::get(move || async move { axum::response::Html(body) }),
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("free port");
    axum::serve(listener, app).await.expect("serve");
}
