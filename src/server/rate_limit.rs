//! Fixed-window rate limits, counted in the database so that every instance
//! on it enforces the same budget. The rules themselves are settings
//! ([`crate::server::config::limits`]).

use std::sync::Arc;

use super::{
    clock::Clock,
    config::Limit,
    db::{DbError, Limits},
};

/// Counts hits against limits.
#[derive(Clone)]
pub struct RateLimiter {
    store: Arc<dyn Limits>,
    clock: Clock,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RateLimiter")
    }
}

impl RateLimiter {
    /// A limiter over `store`, with windows timed by `clock`.
    pub fn new(store: Arc<dyn Limits>, clock: Clock) -> Self {
        Self { store, clock }
    }

    /// Counts a hit on `scope:subject` and says whether it is within
    /// `limit`. The subject (an address or e-mail) is never logged.
    pub async fn allow(&self, scope: &str, subject: &str, limit: Limit) -> Result<bool, DbError> {
        let key = format!("{scope}:{subject}");
        let count = self
            .store
            .rate_limit_hit(&key, limit.window_secs, self.clock.now())
            .await?;
        let allowed = count <= i64::from(limit.max);
        if !allowed {
            tracing::warn!(scope, "rate limit reached");
        }
        Ok(allowed)
    }
}
