//! The streams themselves: one client per batch, both targets, and what
//! each stream delivered.

use std::{
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use futures_util::FutureExt;
use reqwest::{header, StatusCode};
use serde_json::{json, Value};
use tokio::{sync::Semaphore, task::JoinSet};

use crate::{
    batch::Batch,
    fake::{expected, Ask},
    reattach::{follow, transport, Records, TOKENS_BEFORE_DROP},
};

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
    /// The percentage of streams that drop their connection after a few
    /// tokens and re-attach (Palaver only).
    pub reattach_pct: u64,
    /// Streams asked so far, which spreads the re-attaching ones evenly
    /// over every level (one in ten at 10%, even at one stream a round).
    pub asked: AtomicU64,
    /// HTTP/2 with prior knowledge (the fake when it speaks h2c).
    pub h2c: bool,
}

impl Ctx {
    /// Whether the next stream re-attaches.
    fn next_reattaches(&self) -> bool {
        let s = self.asked.fetch_add(1, Ordering::SeqCst);
        self.target == Target::Palaver
            && (s + 1) * self.reattach_pct / 100 > s * self.reattach_pct / 100
    }
}

/// What the streams of one batch share.
struct Shared {
    ctx: Arc<Ctx>,
    client: reqwest::Client,
    ramp: Semaphore,
    tokens: usize,
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
    /// The answer's text: for a stream that re-attached, what the second
    /// connection alone delivered (its "so far" line and the live lines).
    text: String,
    done: bool,
    failure: Option<String>,
    /// Set when the stream re-attached: the answer's id, the text before
    /// the drop, and the time from the second request to its first line.
    reattach: Option<(i64, String, Option<Duration>)>,
}

enum Piece {
    /// Palaver's first line: the answer's id.
    Ids(i64),
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
    if let (Target::Palaver, Some(id)) = (target, v["reply_id"].as_i64()) {
        Piece::Ids(id)
    } else if let Some(text) = text.as_str() {
        Piece::Text(text.to_owned())
    } else if v["done"] == true {
        Piece::Done
    } else if let Some(e) = v.get("error") {
        Piece::Failed(format!("error line: {e}"))
    } else {
        Piece::Other
    }
}

async fn one_stream(shared: Arc<Shared>, ask: Ask, reattaches: bool) -> Outcome {
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
    let cookie = &ctx.cookies[ask.id as usize % ctx.cookies.len()];
    let drop_after = TOKENS_BEFORE_DROP.min(shared.tokens.saturating_sub(1));
    let read = async {
        let request = match ctx.target {
            Target::Palaver => shared
                .client
                .post(&ctx.url)
                .header(header::COOKIE, cookie)
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
        let res = request.send().await.map_err(|e| transport(&e))?;
        out.headers = Some(sent.elapsed());
        if res.status() != StatusCode::OK {
            return Err(format!("status {}", res.status().as_u16()));
        }
        let separator: &'static [u8] = match ctx.target {
            Target::Palaver => b"\n",
            Target::Direct => b"\n\n",
        };
        let mut records = Records::new(res, separator);
        let (mut reply_id, mut seen) = (None, 0);
        while let Some(record) = records.next().await? {
            match piece(ctx.target, &record) {
                Piece::Ids(id) => reply_id = Some(id),
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
                    seen += 1;
                }
                Piece::Done => out.done = true,
                Piece::Failed(e) => return Err(e),
                Piece::Other => {}
            }
            if let (true, Some(id), false) = (reattaches && seen >= drop_after, reply_id, out.done)
            {
                // Dropping the response closes its connection (HTTP/1.1
                // mid-body), as a reload does; the answer goes on.
                drop(records);
                let before = std::mem::take(&mut out.text);
                let followed = follow(&shared.client, &ctx.url, cookie, id).await;
                let (followed, failure) = match followed {
                    Ok(f) => (f, None),
                    Err((f, e)) => (f, Some(e)),
                };
                out.text = followed.text;
                out.done = followed.done;
                out.reattach = Some((id, before, followed.first_line));
                return failure.map_or(Ok(()), Err);
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

/// Streams `n` answers at once, ids from `first_id` (which also names the
/// batch for the fake's gate), on a fresh client: its connections close
/// with it, so no process keeps a level's sockets into the next.
pub async fn batch(ctx: &Arc<Ctx>, n: usize, first_id: u64, tokens: usize) -> Batch {
    let shared = Arc::new(Shared {
        ctx: ctx.clone(),
        client: {
            let client = reqwest::Client::builder()
                .tcp_nodelay(true)
                .connect_timeout(Duration::from_secs(30));
            if ctx.h2c {
                // As Palaver's own client does (src/server/llm/mod.rs): with
                // h2's default window, 10,000 streams a token or two behind
                // end the connection (too_many_data_frames).
                client
                    .http2_prior_knowledge()
                    .http2_initial_connection_window_size(1 << 30)
            } else {
                client
            }
        }
        .build()
        .expect("client"),
        ramp: Semaphore::new(ctx.ramp),
        tokens,
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
        let reattaches = ctx.next_reattaches();
        streams
            .spawn(one_stream(shared.clone(), ask, reattaches).map(move |out| (first_id + k, out)));
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
        let mut failure = out.failure;
        if let Some((id, before, first_line)) = out.reattach {
            b.reattach_firsts.extend(first_line);
            b.reattached.push((id, out.text.clone()));
            if !want.starts_with(&before) && failure.is_none() {
                failure =
                    Some("re-attach: the text before the drop is not the answer's start".into());
            }
        }
        if out.text == want && failure.is_none() {
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
        let reason = failure.unwrap_or_else(|| "text differs from the answer".into());
        *b.failures.entry(reason).or_default() += 1;
    }
    b.opening = last_first - started;
    b.phase = released.map_or(Duration::ZERO, |r| last_end.saturating_duration_since(r));
    b.phase_tokens = b.tokens.saturating_sub(firsts);
    b.peak_open = shared.peak_open.load(Ordering::SeqCst);
    b
}
