//! What Palaver counts for Prometheus, and the one recorder that keeps it.
//!
//! Recording is a call of the `metrics` crate's macros: without a recorder
//! (`METRICS_TOKEN` unset) each is a check of one global and nothing more,
//! so the parts that count (`auth`, `rate_limit`, `chat`) call the helpers
//! below unconditionally. [`install`] sets the process-wide recorder once;
//! [`endpoint`] serves it and times each request.
//!
//! Labels are fixed, small sets (a route's *pattern*, a status, an error
//! code, a rule's name), never anything a client chooses: an id or a token
//! in a label would make a new series per request.

pub mod endpoint;

use std::{cell::RefCell, collections::HashMap, fmt::Write as _, sync::OnceLock};

use http::Method;
use metrics::{counter, gauge, histogram, Counter, Histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests answered, by `method`, `route` (the pattern) and `status`.
pub const HTTP_REQUESTS: &str = "http_requests_total";
/// Seconds until the response's head, by `route`.
pub const HTTP_DURATION: &str = "http_request_duration_seconds";
/// Answers being streamed right now.
pub const CHAT_STREAMS: &str = "palaver_chat_streams_active";
/// Pieces of answer streamed (each delta of the model, normally one token).
pub const CHAT_TOKENS: &str = "palaver_chat_tokens_total";
/// Answers that failed, by `kind` (the error line's `code`).
pub const LLM_ERRORS: &str = "palaver_llm_errors_total";
/// Sign-in attempts by `result`: success, failure, rate_limited, error.
pub const LOGINS: &str = "palaver_logins_total";
/// Requests refused by a rate limit, by `rule` (e.g. `login:ip`).
pub const RATE_LIMITED: &str = "palaver_rate_limit_refusals_total";

/// Latency buckets, in seconds: 1 ms up to a minute (chat answers start
/// within seconds; pages and JSON within milliseconds).
const DURATION_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// How often the recorder folds the latencies recorded since into its
/// histograms. The exporter keeps each sample until then, so without this
/// an instance nobody scrapes would hold every request's latency.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The process-wide recorder, installed by the first call (within the
/// runtime: it starts the upkeep task). Several instances in one process
/// (as in tests) share it.
fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), &DURATION_BUCKETS)
                .expect("the bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!(
                    "another metrics recorder was installed first; /metrics stays empty"
                );
            }
            let upkeep = handle.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(UPKEEP_EVERY);
                loop {
                    every.tick().await;
                    upkeep.run_upkeep();
                }
            });
            handle
        })
        .clone()
}

/// One request answered.
///
/// This runs on every request, so each thread keeps the handles of the
/// series it has met: after the first request of a kind, counting is a
/// look-up without allocation and two atomic updates, not a new key built,
/// hashed and found in the registry (`benches/metrics.sh` measures what is
/// left). The set is bounded: routes are the
/// router's patterns, methods outside the standard ones count as `other`,
/// and statuses are three digits.
pub fn http_request(method: &Method, route: &str, status: u16, seconds: f64) {
    /// A reused key buffer, and the handles by `method status route`.
    type Seen = (String, HashMap<Box<str>, (Counter, Histogram)>);
    thread_local! {
        static SEEN: RefCell<Seen> = RefCell::default();
    }
    let method = method_label(method);
    SEEN.with_borrow_mut(|(key, seen)| {
        key.clear();
        let _ = write!(key, "{method} {status} {route}");
        if let Some((count, time)) = seen.get(key.as_str()) {
            count.increment(1);
            time.record(seconds);
            return;
        }
        let count = counter!(
            HTTP_REQUESTS,
            "method" => method,
            "route" => route.to_owned(),
            "status" => status.to_string()
        );
        let time = histogram!(HTTP_DURATION, "route" => route.to_owned());
        count.increment(1);
        time.record(seconds);
        seen.insert(key.as_str().into(), (count, time));
    });
}

/// A method as a label: the standard ones by name, anything a client
/// invents as `other`, so no request can add series at will.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// Holds [`CHAT_STREAMS`] one higher while it lives.
pub struct StreamGuard(());

impl StreamGuard {
    /// A stream begins.
    pub fn start() -> Self {
        gauge!(CHAT_STREAMS).increment(1.0);
        Self(())
    }
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        gauge!(CHAT_STREAMS).decrement(1.0);
    }
}

/// One piece of an answer reached its stream.
pub fn chat_token() {
    counter!(CHAT_TOKENS).increment(1);
}

/// An answer failed with the error line's `code`.
pub fn llm_error(kind: &'static str) {
    counter!(LLM_ERRORS, "kind" => kind).increment(1);
}

/// How a sign-in attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginResult {
    /// Signed in.
    Success,
    /// Wrong e-mail or password (or an inactive account).
    Failure,
    /// Refused by a rate limit before the password was checked.
    RateLimited,
    /// The server failed (storage, hashing queue).
    Error,
}

/// One sign-in attempt.
pub fn login(result: LoginResult) {
    let result = match result {
        LoginResult::Success => "success",
        LoginResult::Failure => "failure",
        LoginResult::RateLimited => "rate_limited",
        LoginResult::Error => "error",
    };
    counter!(LOGINS, "result" => result).increment(1);
}

/// A rate limit refused a request under `rule`.
pub fn rate_limited(rule: &'static str) {
    counter!(RATE_LIMITED, "rule" => rule).increment(1);
}

/// What `/metrics` needs: the recorder's handle, the scraper's token (as a
/// digest, compared digest to digest so the comparison's time tells
/// nothing of the token).
pub struct Metrics {
    handle: PrometheusHandle,
    token_digest: [u8; 32],
}

impl Metrics {
    /// Installs the recorder (once per process) for a scraper holding
    /// `token`, and sets the gauges that never change: build and start time.
    pub fn new(token: &str) -> Self {
        let handle = install();
        let started_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        gauge!("palaver_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
        gauge!("palaver_start_time_seconds").set(started_at);
        Self {
            handle,
            token_digest: digest(token),
        }
    }

    /// Whether `presented` is the scraper's token.
    pub fn accepts(&self, presented: &str) -> bool {
        digest(presented) == self.token_digest
    }

    /// The text exposition of every series, after `gauges` have set the
    /// values read at scrape time.
    pub fn render(&self, gauges: &ScrapeGauges) -> String {
        gauge!("palaver_mail_queue_depth").set(gauges.mail_pending as f64);
        gauge!("palaver_db_pool_connections", "state" => "idle").set(f64::from(gauges.pool_idle));
        gauge!("palaver_db_pool_connections", "state" => "in_use")
            .set(f64::from(gauges.pool_in_use));
        gauge!("palaver_password_hash_queue").set(gauges.hash_queue as f64);
        self.handle.run_upkeep();
        self.handle.render()
    }
}

/// Values read when Prometheus scrapes, not counted as they happen.
pub struct ScrapeGauges {
    /// Mails waiting in the outbox.
    pub mail_pending: i64,
    /// Idle connections of the database pool.
    pub pool_idle: u32,
    /// Connections of the pool in use.
    pub pool_in_use: u32,
    /// Password hashes running or waiting for a core.
    pub hash_queue: usize,
}

fn digest(token: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes()).into()
}
