//! argon2id hashing, always on the blocking pool so the async runtime stays free.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use tokio::sync::Semaphore;

use argon2::{
    password_hash::{phc::PasswordHash as Phc, PasswordHasher, PasswordVerifier},
    Algorithm, Argon2, Params, Version,
};

use super::{config::Argon2Cost, db::PasswordHash};
use crate::error::AppError;

/// Hashes and verifies passwords at one configured cost.
#[derive(Clone, Debug)]
pub struct PasswordHashing {
    cost: Argon2Cost,
    /// Hashes running at once. Each takes a core and ~19 MiB; unbounded, a
    /// login storm would take every core (and a gigabyte) from the async
    /// runtime. One core is always left to it.
    running: Arc<Semaphore>,
    /// Hashes running or waiting, and how many may be: past the bound a
    /// request is refused at once (503) rather than queued without end,
    /// since a client that waits seconds for a login has given up anyway.
    queued: Arc<AtomicUsize>,
    max_queued: usize,
    /// A hash of a random password, verified against when the account does
    /// not exist, so that an unknown e-mail costs as much time as a known one.
    dummy: PasswordHash,
}

/// The outcome of a verification.
#[derive(Debug, PartialEq, Eq)]
pub struct Verified {
    /// The password matches.
    pub ok: bool,
    /// The stored hash was made with other parameters and should be replaced.
    pub needs_rehash: bool,
}

fn argon2(cost: Argon2Cost) -> Result<Argon2<'static>, AppError> {
    let params =
        Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None).map_err(|e| {
            tracing::error!(error = %e, "bad argon2 parameters");
            AppError::Internal
        })?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(cost: Argon2Cost, password: &str) -> Result<PasswordHash, AppError> {
    argon2(cost)?
        .hash_password(password.as_bytes())
        .map(|h| PasswordHash::new(h.to_string()))
        .map_err(|e| {
            tracing::error!(error = %e, "argon2 hashing failed");
            AppError::Internal
        })
}

fn verify_blocking(cost: Argon2Cost, password: &str, stored: &PasswordHash) -> Verified {
    let Ok(parsed) = Phc::new(stored.expose()) else {
        tracing::error!("stored password hash is not a PHC string");
        return Verified {
            ok: false,
            needs_rehash: false,
        };
    };
    let ok = argon2(cost).is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok());
    let current = Params::try_from(&parsed).ok();
    let needs_rehash = parsed.algorithm.as_str() != "argon2id"
        || current.is_none_or(|p| {
            p.m_cost() != cost.memory_kib
                || p.t_cost() != cost.iterations
                || p.p_cost() != cost.parallelism
        });
    Verified { ok, needs_rehash }
}

/// How many hashes may run at once: every core but one (at least one).
fn max_running() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

/// Hashes that may wait for a core at once. One argon2id at the minimum
/// cost takes ~50 ms of a core, so a full queue is a few seconds of work.
pub const MAX_QUEUED: usize = 64;

/// Gives the queue place back however the hash ends (done, failed, or the
/// request dropped while waiting).
struct Place<'a>(&'a AtomicUsize);

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn blocking<T: Send + 'static>(
    running: &Semaphore,
    queued: &AtomicUsize,
    max_queued: usize,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let place = Place(queued);
    if queued.fetch_add(1, Ordering::AcqRel) >= max_queued {
        drop(place);
        tracing::warn!(max_queued, "password hashing queue full; refusing");
        return Err(AppError::Unavailable);
    }
    // Waiting for a permit is async: queued logins cost the runtime nothing.
    let _permit = running.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "blocking task failed");
        AppError::Internal
    })
}

impl PasswordHashing {
    /// Hashes running or waiting for a core right now (for `/metrics`).
    pub fn in_queue(&self) -> usize {
        self.queued.load(Ordering::Relaxed)
    }

    /// Prepares hashing at `cost`, computing the dummy hash on the blocking pool.
    pub async fn new(cost: Argon2Cost) -> Result<Self, AppError> {
        Self::with_queue(cost, MAX_QUEUED).await
    }

    /// Like [`PasswordHashing::new`], with at most `max_queued` hashes
    /// running or waiting.
    pub async fn with_queue(cost: Argon2Cost, max_queued: usize) -> Result<Self, AppError> {
        let random = uuid::Uuid::new_v4().to_string();
        let running = Arc::new(Semaphore::new(max_running()));
        let queued = Arc::new(AtomicUsize::new(0));
        let dummy = blocking(&running, &queued, max_queued.max(1), move || {
            hash_blocking(cost, &random)
        })
        .await??;
        Ok(Self {
            cost,
            running,
            queued,
            max_queued: max_queued.max(1),
            dummy,
        })
    }

    /// A new hash of `password`.
    pub async fn hash(&self, password: &str) -> Result<PasswordHash, AppError> {
        let (cost, password) = (self.cost, password.to_owned());
        blocking(&self.running, &self.queued, self.max_queued, move || {
            hash_blocking(cost, &password)
        })
        .await?
    }

    /// Checks `password` against `stored`, or against the dummy hash when
    /// there is no stored hash (the answer is then always "no").
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&PasswordHash>,
    ) -> Result<Verified, AppError> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or(&self.dummy).clone();
        let (cost, password) = (self.cost, password.to_owned());
        let verified = blocking(&self.running, &self.queued, self.max_queued, move || {
            verify_blocking(cost, &password, &stored)
        })
        .await?;
        Ok(Verified {
            ok: verified.ok && exists,
            needs_rehash: verified.needs_rehash && exists,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_queue_bound_hashing_is_refused_at_once() {
        let hashing = PasswordHashing::with_queue(Argon2Cost::MINIMUM, 2)
            .await
            .unwrap();
        let results =
            futures_util::future::join_all((0..12).map(|_| hashing.hash("correct horse 1"))).await;
        let refused = results
            .iter()
            .filter(|r| matches!(r, Err(AppError::Unavailable)))
            .count();
        assert_eq!(results.len() - refused, 2, "two fit in the queue");
        assert_eq!(refused, 10);
        // The queue drains: once those are done, hashing works again.
        assert!(hashing.hash("correct horse 1").await.is_ok());
        assert_eq!(hashing.queued.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn hashes_verify_and_old_parameters_ask_for_a_rehash() {
        let hashing = PasswordHashing::new(Argon2Cost::MINIMUM).await.unwrap();
        let hash = hashing.hash("correct horse 1").await.unwrap();
        assert!(
            hash.expose().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash:?}"
        );
        assert_eq!(format!("{hash:?}"), "PasswordHash(***)");
        assert_eq!(
            hashing
                .verify("correct horse 1", Some(&hash))
                .await
                .unwrap(),
            Verified {
                ok: true,
                needs_rehash: false
            }
        );
        assert!(
            !hashing
                .verify("wrong horse 1", Some(&hash))
                .await
                .unwrap()
                .ok
        );
        assert!(!hashing.verify("anything", None).await.unwrap().ok);

        let stronger = Argon2Cost {
            iterations: 3,
            ..Argon2Cost::MINIMUM
        };
        let rehash = PasswordHashing::new(stronger).await.unwrap();
        let verified = rehash.verify("correct horse 1", Some(&hash)).await.unwrap();
        assert_eq!(
            verified,
            Verified {
                ok: true,
                needs_rehash: true
            }
        );
    }
}
