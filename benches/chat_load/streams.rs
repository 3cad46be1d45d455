//! The streams themselves: one client per batch, both targets, and what
//! each stream delivered.

use std::{
    collections::BTreeMap,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use futures_util::FutureExt;
use reqwest::{header, StatusCode};
use serde_json::{json, Value};
use tokio::{sync::Semaphore, task::JoinSet};

use crate::fake::{expected, Ask};

const SYSTEM_PROMPT: &str = "You are a helpful assistant.";

/// Where a stream is asked for: Palaver's `/api/chat`, or the fake model
/// directly (the reference).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Palaver,
    Direct,
}

/// How to ask one target.
pub struct Ctx {
    pub target: Target,
    pub url: String,
    /// Session cookies, spread over the streams (Palaver only).
    pub cookies: Arc<Vec<String>>,
    /// How many streams may be between sending and their first token.
    pub ramp: usize,
    /// For a whole stream, from the client's side.
    pub timeout: Duration,
}

/// What the streams of one batch share.
struct Shared {
    ctx: Arc<Ctx>,
    client: reqwest::Client,
    ramp: Semaphore,
    /// Streams open now, and at most.
    open: AtomicUsize,
    peak_open: AtomicUsize,
}

/// What one stream delivered, and when.
#[derive(Default)]
struct Outcome {
    /// Until the response headers: Palaver sends them once its checks and
    /// database writes are done, before it calls the model.
    headers: Option<Duration>,
    ttft: Option<Duration>,
    first_at: Option<Instant>,
    /// When the second token arrived: the batch had been released.
    second_at: Option<Instant>,
    ended: Option<Instant>,
    text: String,
    done: bool,
    failure: Option<String>,
}

enum Piece {
    Text(String),
    Done,
    Failed(String),
    Other,
}

/// One record: a JSON line from Palaver, an SSE event from the fake.
fn piece(target: Target, record: &[u8]) -> Piece {
    let record = String::from_utf8_lossy(record);
    let data = match target {
        Target::Palaver => record.trim().to_owned(),
        Target::Direct => record
            .lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(str::trim)
            .collect(),
    };
    if data.is_empty() {
        return Piece::Other;
    }
    if target == Target::Direct && data == "[DONE]" {
        return Piece::Done;
    }
    let Ok(v) = serde_json::from_str::<Value>(&data) else {
        return Piece::Failed(format!("unreadable record: {data}"));
    };
    let text = match target {
        Target::Palaver => &v["text"],
        Target::Direct => &v["choices"][0]["delta"]["content"],
    };
    if let Some(text) = text.as_str() {
        Piece::Text(text.to_owned())
    } else if v["done"] == true {
        Piece::Done
    } else if let Some(e) = v.get("error") {
        Piece::Failed(format!("error line: {e}"))
    } else {
        Piece::Other
    }
}

async fn one_stream(shared: Arc<Shared>, ask: Ask) -> Outcome {
    // At most `ramp` streams are between sending and their first token, so
    // that 10,000 connects at once do not overflow the listen backlogs (128
    // here, as `ss -ltn` shows for Palaver and the fake: with 256 at once,
    // TcpExtListenOverflows counted 254 and those streams waited a second
    // for the SYN to be sent again).
    let permit = shared.ramp.acquire().await.expect("open");
    let now = shared.open.fetch_add(1, Ordering::SeqCst) + 1;
    shared.peak_open.fetch_max(now, Ordering::SeqCst);
    let ctx = &shared.ctx;
    let sent = Instant::now();
    let mut out = Outcome::default();
    let mut permit = Some(permit);
    let read = async {
        let request = match ctx.target {
            Target::Palaver => shared
                .client
                .post(&ctx.url)
                .header(
                    header::COOKIE,
                    &ctx.cookies[ask.id as usize % ctx.cookies.len()],
                )
                .json(&json!({"message": ask.message()})),
            Target::Direct => shared
                .client
                .post(&ctx.url)
                .header(header::ACCEPT, "text/event-stream")
                .json(&json!({"model": "fake", "stream": true, "messages": [
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": ask.message()},
                ]})),
        };
        let mut res = request.send().await.map_err(|e| transport(&e))?;
        out.headers = Some(sent.elapsed());
        if res.status() != StatusCode::OK {
            return Err(format!("status {}", res.status().as_u16()));
        }
        let separator: &[u8] = match ctx.target {
            Target::Palaver => b"\n",
            Target::Direct => b"\n\n",
        };
        let mut buf = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(|e| transport(&e))? {
            buf.extend_from_slice(&chunk);
            while let Some(at) = buf.windows(separator.len()).position(|w| w == separator) {
                let record: Vec<u8> = buf.drain(..at + separator.len()).collect();
                match piece(ctx.target, &record[..at]) {
                    Piece::Text(text) if text.is_empty() => {}
                    Piece::Text(text) => {
                        if out.ttft.is_none() {
                            out.ttft = Some(sent.elapsed());
                            out.first_at = Some(Instant::now());
                            permit = None;
                        } else if out.second_at.is_none() {
                            out.second_at = Some(Instant::now());
                        }
                        out.text.push_str(&text);
                    }
                    Piece::Done => out.done = true,
                    Piece::Failed(e) => return Err(e),
                    Piece::Other => {}
                }
            }
        }
        Ok(())
    };
    match tokio::time::timeout(ctx.timeout, read).await {
        Ok(Ok(())) if !out.done => out.failure = Some("ended without done".into()),
        Ok(Ok(())) => {}
        Ok(Err(e)) => out.failure = Some(e),
        Err(_) => out.failure = Some("client timeout".into()),
    }
    drop(permit);
    shared.open.fetch_sub(1, Ordering::SeqCst);
    out.ended = Some(Instant::now());
    out
}

/// A transport error with its innermost cause (connect refused, reset...).
fn transport(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    format!("transport: {cause}")
}

/// The figures of one or more batches at one level, for one target.
#[derive(Default)]
pub struct Batch {
    pub streams: usize,
    pub ok: usize,
    /// Streams that missed tokens (failed, cut off, or never started).
    pub lost: usize,
    /// Streams with every token, but not in order, or with another's tokens.
    pub disordered: usize,
    pub tokens: usize,
    /// Until every stream had its first token: how long opening them took.
    pub opening: Duration,
    /// From the first token after the release until the last stream ended,
    /// and the tokens delivered meanwhile (all but the first of each).
    pub phase: Duration,
    pub phase_tokens: usize,
    pub headers: Vec<Duration>,
    pub ttfts: Vec<Duration>,
    pub peak_open: usize,
    pub failures: BTreeMap<String, usize>,
    /// Answers stored whole, complete, in their conversation (Palaver only).
    pub stored: Option<usize>,
}

impl Batch {
    /// Adds another round of the same level.
    pub fn add(&mut self, other: Batch) {
        self.streams += other.streams;
        self.ok += other.ok;
        self.lost += other.lost;
        self.disordered += other.disordered;
        self.tokens += other.tokens;
        self.opening += other.opening;
        self.phase += other.phase;
        self.phase_tokens += other.phase_tokens;
        self.headers.extend(other.headers);
        self.ttfts.extend(other.ttfts);
        self.peak_open = self.peak_open.max(other.peak_open);
        if let Some(n) = other.stored {
            self.stored = Some(self.stored.unwrap_or(0) + n);
        }
        for (k, n) in other.failures {
            *self.failures.entry(k).or_default() += n;
        }
    }

    /// Tokens per second while every stream of the batch was open.
    pub fn tokens_per_s(&self) -> f64 {
        self.phase_tokens as f64 / self.phase.as_secs_f64().max(1e-9)
    }

    /// Streams opened per second, up to the first token of each.
    pub fn opened_per_s(&self) -> f64 {
        self.streams as f64 / self.opening.as_secs_f64().max(1e-9)
    }

    /// The `q` quantile of the time to first token, in ms.
    pub fn ttft_ms(&mut self, q: f64) -> f64 {
        quantile_ms(&mut self.ttfts, q)
    }
}

/// The `q` quantile in ms (nearest rank); NaN when there is none.
pub fn quantile_ms(v: &mut [Duration], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_unstable();
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1].as_secs_f64() * 1000.0
}

/// Streams `n` answers at once, ids from `first_id` (which also names the
/// batch for the fake's gate), on a fresh client: its connections close
/// with it, so no process keeps a level's sockets into the next.
pub async fn batch(ctx: &Arc<Ctx>, n: usize, first_id: u64, tokens: usize) -> Batch {
    let shared = Arc::new(Shared {
        ctx: ctx.clone(),
        client: reqwest::Client::builder()
            .tcp_nodelay(true)
            .connect_timeout(Duration::from_secs(30))
            .build()
            .expect("client"),
        ramp: Semaphore::new(ctx.ramp),
        open: AtomicUsize::new(0),
        peak_open: AtomicUsize::new(0),
    });
    let started = Instant::now();
    // A task per stream, so that reading them spreads over the cores.
    let mut streams = JoinSet::new();
    for k in 0..n as u64 {
        let ask = Ask {
            id: first_id + k,
            batch: first_id,
            streams: n,
        };
        streams.spawn(one_stream(shared.clone(), ask).map(move |out| (first_id + k, out)));
    }
    let (mut last_first, mut last_end, mut firsts) = (started, started, 0);
    let mut released: Option<Instant> = None;
    let mut b = Batch {
        streams: n,
        ..Batch::default()
    };
    while let Some(joined) = streams.join_next().await {
        let (id, out) = joined.expect("stream task");
        let want = expected(id, tokens);
        let got: Vec<&str> = out.text.split_inclusive(' ').collect();
        let mut sorted_want: Vec<&str> = want.split_inclusive(' ').collect();
        sorted_want.sort_unstable();
        let mine = got
            .iter()
            .filter(|t| sorted_want.binary_search(t).is_ok())
            .count();
        b.tokens += mine;
        b.headers.extend(out.headers);
        b.ttfts.extend(out.ttft);
        if let Some(at) = out.first_at {
            last_first = last_first.max(at);
            firsts += 1;
        }
        if let Some(at) = out.second_at {
            released = Some(released.map_or(at, |r| r.min(at)));
        }
        last_end = last_end.max(out.ended.unwrap_or(started));
        if out.text == want && out.failure.is_none() {
            b.ok += 1;
            continue;
        }
        let mut sorted_got = got.clone();
        sorted_got.sort_unstable();
        if sorted_got == sorted_want {
            b.disordered += 1;
        } else {
            b.lost += 1;
        }
        let reason = out
            .failure
            .unwrap_or_else(|| "text differs from the answer".into());
        *b.failures.entry(reason).or_default() += 1;
    }
    b.opening = last_first - started;
    b.phase = released.map_or(Duration::ZERO, |r| last_end.saturating_duration_since(r));
    b.phase_tokens = b.tokens.saturating_sub(firsts);
    b.peak_open = shared.peak_open.load(Ordering::SeqCst);
    b
}
