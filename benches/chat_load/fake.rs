//! The fake OpenAI-compatible model server, run as a child process, and the
//! answers it gives.

use std::{
    collections::HashMap,
    convert::Infallible,
    process::Stdio,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Json, Router,
};
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto,
    service::TowerToHyperService,
};
use serde_json::{json, Value};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

use crate::Config;

/// The fake's settings and the gates of the batches it serves.
#[derive(Clone)]
struct Fake {
    tokens: usize,
    first: Duration,
    delay: Duration,
    quiet: Duration,
    gates: Arc<Mutex<HashMap<u64, Arc<Gate>>>>,
}

/// Holds a batch's answers after their first token until every stream of
/// the batch has started, so that N streams are open at once: else at
/// 10,000 the first streams would be over long before the last ones start
/// (Palaver opens under a thousand a second here), and the level would
/// test a few hundred.
struct Gate {
    arrived: AtomicUsize,
    last_arrival: Mutex<Instant>,
    released: tokio::sync::watch::Sender<bool>,
}

/// The OpenAI-compatible fake: prints its address, then serves until its
/// stdin closes, which it does when the bench ends, however it ends.
pub async fn fake_server(config: Config) {
    let fake = Fake {
        tokens: config.tokens,
        first: config.first,
        delay: config.delay,
        quiet: config.quiet,
        gates: Arc::default(),
    };
    let app = Router::new()
        .route("/v1/chat/completions", post(completion))
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    println!("{}", listener.local_addr().expect("bound"));
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        std::process::exit(0);
    });
    // hyper's own loop rather than axum::serve, which keeps hyper's limit of
    // 200 streams per HTTP/2 connection: over h2c Palaver sends every
    // stream on one connection, and the 201st would wait for the first
    // 200 to end, which the gate holds until all have started.
    let mut builder = auto::Builder::new(TokioExecutor::new());
    if config.h2c {
        builder = builder.http2_only();
    }
    builder.http2().max_concurrent_streams(1_000_000);
    loop {
        let tcp = match listener.accept().await {
            Ok((tcp, _)) => tcp,
            // Out of descriptors (EMFILE) at 10,000: wait for some to close.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        // Without TCP_NODELAY, Nagle and delayed ACKs hold tokens back ~40 ms.
        let _ = tcp.set_nodelay(true);
        let (builder, service) = (builder.clone(), TowerToHyperService::new(app.clone()));
        tokio::spawn(async move {
            let _ = builder.serve_connection(TokioIo::new(tcp), service).await;
        });
    }
}

/// The streamed answer to a bench message, as real servers send it: a
/// role-only event, the tokens (the first after `first`, at once by
/// default; the others `delay` apart, once the batch is released), a finish
/// reason, `[DONE]`.
async fn completion(State(fake): State<Fake>, Json(body): Json<Value>) -> Response {
    let ask = body["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["content"].as_str())
        .and_then(Ask::parse);
    let (Some(ask), Some(true)) = (ask, body["stream"].as_bool()) else {
        return (
            StatusCode::BAD_REQUEST,
            "expected stream:true and a bench message",
        )
            .into_response();
    };
    let gate = fake
        .gates
        .lock()
        .expect("gates")
        .entry(ask.batch)
        .or_insert_with(|| {
            Arc::new(Gate {
                arrived: AtomicUsize::new(0),
                last_arrival: Mutex::new(Instant::now()),
                released: tokio::sync::watch::channel(false).0,
            })
        })
        .clone();
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(8);
    tokio::spawn(answer(fake, ask, gate, tx));
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<_, Infallible>(b), rx))
    });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(events),
    )
        .into_response()
}

/// Writes one answer; stops when the reader hangs up.
async fn answer(
    fake: Fake,
    ask: Ask,
    gate: Arc<Gate>,
    tx: tokio::sync::mpsc::Sender<Bytes>,
) -> Option<()> {
    let content = |i| {
        let delta = json!({"choices": [{"delta": {"content": token(ask.id, i)}}]});
        Bytes::from(format!("data: {delta}\n\n"))
    };
    let role = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n";
    tx.send(Bytes::from_static(role.as_bytes())).await.ok()?;
    if !fake.first.is_zero() {
        tokio::time::sleep(fake.first).await;
    }
    tx.send(content(0)).await.ok()?;
    *gate.last_arrival.lock().expect("gate") = Instant::now();
    if gate.arrived.fetch_add(1, Ordering::SeqCst) + 1 >= ask.streams {
        gate.released.send_replace(true);
    }
    let mut released = gate.released.subscribe();
    let mut beat = Instant::now();
    // An empty delta now and then while held: Palaver's idle timeout
    // (between two events) must not cut a stream that waits for the others.
    let heartbeat = b"data: {\"choices\":[{\"delta\":{}}]}\n\n";
    loop {
        let wait = tokio::time::timeout(Duration::from_secs(1), released.wait_for(|r| *r));
        if wait.await.is_ok() {
            break;
        }
        // Streams that failed before reaching here never will: once none
        // has arrived for `quiet`, the others go on without them.
        if gate.last_arrival.lock().expect("gate").elapsed() >= fake.quiet {
            gate.released.send_replace(true);
            break;
        }
        if beat.elapsed() >= Duration::from_secs(5) {
            beat = Instant::now();
            tx.send(Bytes::from_static(heartbeat)).await.ok()?;
        }
    }
    for i in 1..fake.tokens {
        tokio::time::sleep(fake.delay).await;
        tx.send(content(i)).await.ok()?;
    }
    let end = "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
    tx.send(Bytes::from_static(end.as_bytes())).await.ok()
}

/// What a bench message asks: stream `id`, one of `streams` in `batch`.
pub struct Ask {
    pub id: u64,
    pub batch: u64,
    pub streams: usize,
}

impl Ask {
    /// The user's message that asks it.
    pub fn message(&self) -> String {
        format!(
            "bench stream {} batch {} of {}",
            self.id, self.batch, self.streams
        )
    }

    /// Reads a message (or a conversation title, which is the message).
    pub fn parse(message: &str) -> Option<Self> {
        let mut words = message.strip_prefix("bench stream ")?.split(' ');
        let id = words.next()?.parse().ok()?;
        let batch = words.nth(1)?.parse().ok()?;
        let streams = words.nth(1)?.parse().ok()?;
        Some(Self { id, batch, streams })
    }
}

/// Token `i` of stream `id`: unique across the run, so that one out of
/// place or in the wrong stream shows.
fn token(id: u64, i: usize) -> String {
    format!("{id}.{i} ")
}

/// The whole answer to stream `id`.
pub fn expected(id: u64, tokens: usize) -> String {
    (0..tokens).map(|i| token(id, i)).collect()
}

/// Starts the fake in a child process; returns it (dropping it ends the
/// fake) and its base URL.
pub async fn start_fake(config: &Config) -> Result<(Child, String), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .args(["--fake-server", "--tokens", &config.tokens.to_string()])
        .args(["--first-ms", &config.first.as_millis().to_string()])
        .args(["--delay-ms", &config.delay.as_millis().to_string()])
        .args(["--quiet-s", &config.quiet.as_secs().to_string()])
        .args(config.h2c.then_some("--h2c"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start the fake server: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .await
        .map_err(|e| e.to_string())?;
    Ok((child, format!("http://{}", line.trim())))
}
