//! Fixed-window rate limits, counted in the database so that every instance
//! on it enforces the same budget. The rules themselves are settings
//! ([`crate::server::config::limits`]). Keys are stored as SHA-256 of
//! `scope:subject`: fixed-size whatever a client sends, and no address or
//! e-mail sits in the table in the clear.

use std::{
    net::{IpAddr, Ipv6Addr},
    sync::Arc,
};

use sha2::{Digest, Sha256};

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
    pub async fn allow(
        &self,
        scope: &'static str,
        subject: &str,
        limit: Limit,
    ) -> Result<bool, DbError> {
        let count = self
            .store
            .rate_limit_hit(&key(scope, subject), limit.window_secs, self.clock.now())
            .await?;
        let allowed = count <= i64::from(limit.max);
        if !allowed {
            tracing::warn!(scope, "rate limit reached");
            super::metrics::rate_limited(scope);
        }
        Ok(allowed)
    }

    /// Counts a hit on `scope:subject` without deciding anything (e.g. a
    /// failure, for a budget of failures).
    pub async fn count_hit(&self, scope: &str, subject: &str, limit: Limit) -> Result<(), DbError> {
        self.store
            .rate_limit_hit(&key(scope, subject), limit.window_secs, self.clock.now())
            .await?;
        Ok(())
    }

    /// Whether `scope:subject` has room left in `limit`, without a hit.
    pub async fn has_room(
        &self,
        scope: &'static str,
        subject: &str,
        limit: Limit,
    ) -> Result<bool, DbError> {
        let count = self
            .store
            .rate_limit_count(&key(scope, subject), self.clock.now())
            .await?;
        let room = count < i64::from(limit.max);
        if !room {
            tracing::warn!(scope, "rate limit reached");
            super::metrics::rate_limited(scope);
        }
        Ok(room)
    }
}

/// The rate-limit subject for an address: an IPv4 address as it is, an
/// IPv6 address by its /64, the block one subscriber is usually given (a
/// client that hops between the addresses of its /64 is still one client).
pub fn limit_subject(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let net = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{net}/64")
        }
    }
}

/// The stored key: hex SHA-256 of `scope:subject`.
fn key(scope: &str, subject: &str) -> String {
    let digest = Sha256::new()
        .chain_update(scope)
        .chain_update(":")
        .chain_update(subject)
        .finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64() {
        assert_eq!(
            limit_subject(ip("2001:db8:1:2:aaaa::1")),
            limit_subject(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        );
        assert_eq!(limit_subject(ip("2001:db8:1:2::9")), "2001:db8:1:2::/64");
        assert_ne!(
            limit_subject(ip("2001:db8:1:2::1")),
            limit_subject(ip("2001:db8:1:3::1"))
        );
    }

    #[test]
    fn mapped_ipv4_is_limited_as_ipv4() {
        assert_eq!(limit_subject(ip("::ffff:9.9.9.9")), "9.9.9.9");
    }

    #[test]
    fn keys_are_fixed_size_and_differ_by_scope() {
        assert_eq!(key("login:ip", "1.2.3.4").len(), 64);
        assert_eq!(key("login:ip", &"x".repeat(10_000)).len(), 64);
        assert_ne!(key("login:ip", "a"), key("forgot:ip", "a"));
    }
}
