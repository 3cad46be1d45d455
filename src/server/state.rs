//! What every handler and server function can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::{
    assets::Assets,
    clock::Clock,
    config::Settings,
    db::Repo,
    llm::LlmClient,
    mail::{Mailer, Outbox},
    password::PasswordHashing,
    rate_limit::RateLimiter,
    sign_outs::SignOuts,
};

/// Shared application state. A clone is one reference count: pages clone it
/// into their context several times per request, and cloning each field
/// (Leptos' options alone hold a dozen shared strings) showed in `perf`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// Wraps the parts built at start-up.
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts of [`AppState`].
pub struct Shared {
    /// Storage.
    pub db: Arc<dyn Repo>,
    /// The start-up configuration.
    pub settings: Arc<Settings>,
    /// Leptos' own options (site root, output name...).
    pub leptos_options: LeptosOptions,
    /// The bundle's file names, for the page shell.
    pub assets: Assets,
    /// The time; tests move it forward.
    pub clock: Clock,
    /// argon2id at the configured cost.
    pub passwords: PasswordHashing,
    /// The mail transport (used by the outbox worker only).
    pub mailer: Arc<Mailer>,
    /// Where mail is queued; it wakes the worker.
    pub outbox: Outbox,
    /// The rate-limit counters.
    pub limiter: RateLimiter,
    /// The model client.
    pub llm: LlmClient,
    /// Tells open answers that sessions ended.
    pub sign_outs: SignOuts,
    /// The answers running on this instance.
    pub answers: super::chat::registry::Registry,
    /// The account pages rendered once (see `page_cache`).
    pub page_cache: super::page_cache::PageCache,
    /// `/metrics`, when `METRICS_TOKEN` is set.
    pub metrics: Option<super::metrics::Metrics>,
    /// The key of TOTP secrets; `None` in production without
    /// `MFA_ENCRYPTION_KEY` (two-factor setup then says so).
    pub mfa_key: Option<super::mfa::MfaKey>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
