//! Building the router and serving it: [`Application::build`] binds the port
//! (0 picks a free one, as the tests do) and [`Application::run_until_stopped`]
//! serves until SIGINT/SIGTERM or the given shutdown future.
//!
//! Longer than our ~300-line rule on purpose: the routes and the order of
//! the layers around them are one decision, read best on one screen.

use std::{
    future::{Future, IntoFuture},
    net::SocketAddr,
    path::Path,
    sync::Arc,
    time::Duration,
};

use axum::{middleware, serve::ListenerExt, Router};
use leptos::{config::LeptosOptions, context::provide_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};

use super::{
    assets::{self, Assets},
    clock::Clock,
    compress::CompressLayer,
    config::Settings,
    db, guard, http,
    llm::LlmClient,
    mail::{self, Mailer, Outbox},
    password::PasswordHashing,
    rate_limit::RateLimiter,
    session_store::DbSessionStore,
    sign_outs::SignOuts,
    state::{AppState, Shared},
};
use crate::app::{shell, App};

pub use super::lifecycle::{clean_up, shutdown_signal};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Storage could not be opened or migrated.
    #[error(transparent)]
    Db(#[from] db::DbError),
    /// The password hasher could not be prepared.
    #[error("cannot prepare password hashing: {0}")]
    Hashing(crate::error::AppError),
    /// The mail transport could not be set up.
    #[error(transparent)]
    Mail(#[from] super::mail::MailError),
    /// The development key of TOTP secrets could not be read or made.
    #[error("cannot prepare the MFA key: {0}")]
    MfaKey(std::io::Error),
    /// The HTTP client for the model could not be built.
    #[error("cannot build the model client: {0}")]
    Llm(String),
    /// The listen address is taken or not ours.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address from `LEPTOS_SITE_ADDR`.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A bound, ready-to-serve Palaver.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Opens the database, runs migrations, binds the listener and builds the router.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let db = db::connect(&settings.db).await?;
        let listener = TcpListener::bind(settings.site_addr)
            .await
            .map_err(|source| StartupError::Bind {
                addr: settings.site_addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.site_addr,
            source,
        })?;
        let passwords = PasswordHashing::new(settings.argon2)
            .await
            .map_err(StartupError::Hashing)?;
        let mailer = Arc::new(Mailer::new(&settings.mail, settings.is_production())?);
        let llm =
            LlmClient::new(settings.llm.clone()).map_err(|e| StartupError::Llm(e.to_string()))?;
        let clock = Clock::default();
        let assets = Assets::locate();
        if !cfg!(debug_assertions) && !assets.precompressed(&settings.site_root) {
            tracing::warn!(
                "the site's files have no precompressed copies, so they are sent uncompressed; \
                 build with `cargo leptos build --release --precompress`"
            );
        }
        let metrics = settings
            .metrics_token
            .as_ref()
            .map(|token| super::metrics::Metrics::new(token.expose()));
        let mfa_key = super::mfa::MfaKey::load(&settings).map_err(StartupError::MfaKey)?;
        let state = AppState::new(Shared {
            mfa_key,
            metrics,
            llm,
            mailer,
            outbox: Outbox::new(db.clone(), clock.clone()),
            limiter: RateLimiter::new(db.clone(), clock.clone()),
            sign_outs: SignOuts::new(db.clone(), clock.clone()),
            db,
            leptos_options: leptos_options(&settings, addr),
            assets,
            settings: Arc::new(settings),
            clock,
            passwords,
            answers: Default::default(),
            page_cache: super::page_cache::PageCache::default(),
        });
        let router = router(state.clone());
        Ok(Self {
            listener,
            router,
            state,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// The shared state, for tests that need to reach behind the HTTP surface.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish
    /// and closes the database.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(addr = %self.local_addr(), "palaver listening");
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let cleanup = tokio::spawn(super::lifecycle::clean_up_periodically(self.state.clone()));
        let mail = tokio::spawn(mail::worker::run(self.state.clone()));
        let answers = tokio::spawn(super::chat::upkeep::run(self.state.clone()));
        // Pages stream in several writes; without TCP_NODELAY, Nagle's
        // algorithm and delayed ACKs add ~40 ms to every page.
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        // Draining waits for open connections, but not forever: a chat
        // stream can run for minutes, and container runtimes kill after 10 s.
        let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async move {
            shutdown.await;
            let _ = signalled.send(());
        };
        let deadline = async move {
            match on_signal.await {
                Ok(()) => tokio::time::sleep(DRAIN_LIMIT).await,
                Err(_) => std::future::pending().await,
            }
        };
        let served = axum::serve(listener, service).with_graceful_shutdown(shutdown);
        let served = tokio::select! {
            served = served.into_future() => served,
            () = deadline => {
                tracing::warn!(limit = ?DRAIN_LIMIT, "connections still open at the drain limit; closing them");
                Ok(())
            }
        };
        cleanup.abort();
        mail.abort();
        answers.abort();
        served?;
        self.state.db.close().await;
        tracing::info!("palaver stopped");
        Ok(())
    }
}

/// How long shutdown waits for open connections (streams included) to end.
const DRAIN_LIMIT: Duration = Duration::from_secs(8);

/// Leptos' options, from our settings rather than from Cargo.toml, so the
/// binary runs anywhere on its embedded defaults.
fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("palaver")
        .site_root(settings.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .hash_files(hash_file_present())
        .build()
}

/// `cargo leptos build` with `hash-files` writes `hash.txt` beside the server
/// binary; its presence means the asset names carry content hashes.
fn hash_file_present() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|p| Path::new(&p).is_file())
}

fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let options = state.leptos_options.clone();
    let files =
        leptos_axum::file_and_error_handler_with_context::<AppState, _>(context.clone(), shell);
    let settings = &state.settings;
    let store = DbSessionStore::new(state.db.clone(), state.clock.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(settings.cookie_name.clone())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_secure(settings.is_production())
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            settings.session_ttl_secs,
        )));

    let metrics_on = state.metrics.is_some();
    // Our own routes (JSON calls, `/metrics`, the few form posts and
    // redirects), from one table that the API document is checked against.
    let router = super::routes::add_to(Router::new(), settings);
    let router = router
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        // The 404 page: its script nonce and its CSP come from
        // `http::security_headers`, as every page's.
        .fallback(move |uri, state, req: axum::extract::Request| {
            let files = files.clone();
            async move { assets::mark_static(files(uri, state, req).await) }
        })
        // Outermost first: ids and tracing see everything; the session is
        // loaded only for requests that get past the cheap refusals.
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(middleware::from_fn(super::lang::middleware))
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    http::security_headers,
                ))
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    http::https_redirect,
                ))
                // Compression would buffer the chat stream (which goes
                // around the layer: `compress`), and static files were
                // compressed at build time (`assets`); every other response
                // (pages, JSON) is compressed.
                .layer(CompressLayer::new(
                    DefaultPredicate::new()
                        .and(NotForContentType::const_new("application/x-ndjson"))
                        .and(assets::NotStaticFile),
                ))
                .layer(middleware::from_fn_with_state(state.clone(), guard::csrf))
                .layer(middleware::from_fn(guard::body_limit))
                .layer(middleware::from_fn(guard::json_errors))
                .layer(sessions)
                .layer(middleware::from_fn_with_state(state.clone(), guard::pages))
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    super::page_cache::serve,
                )),
        );
    // Outermost of all, so that every answer is counted with its final
    // status, refusals of the layers above included.
    let router = if metrics_on {
        router.layer(middleware::from_fn(super::metrics::endpoint::track))
    } else {
        router
    };
    router.with_state(state)
}

/// One span per request. Only the path is logged: query strings can carry
/// secrets (reset tokens).
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id)
}
