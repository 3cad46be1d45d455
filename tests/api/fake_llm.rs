//! A fake OpenAI-compatible server on loopback, written over raw TCP so a
//! test decides exactly how the bytes are cut into writes.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::Mutex,
};

/// Every request: its Authorization header and its JSON body.
type Recorded = Arc<Mutex<Vec<(Option<String>, serde_json::Value)>>>;

/// How the fake answers the next requests.
#[derive(Clone, Debug)]
pub enum Script {
    /// 200 and these raw writes, with a pause before each.
    Stream {
        writes: Vec<Vec<u8>>,
        pause: Duration,
    },
    /// This status and a body that must never reach a user.
    Status(u16),
    /// Accepts the request and never answers.
    Hang,
}

pub struct FakeLlm {
    pub base_url: String,
    script: Arc<Mutex<Script>>,
    /// Every request body (JSON) and its Authorization header.
    pub requests: Recorded,
    /// Set when the client hung up before the answer was over.
    pub client_closed: Arc<AtomicBool>,
}

/// The SSE form of an answer given in pieces, with a keep-alive comment and
/// a role-only first event, as real servers send.
pub fn sse(pieces: &[&str]) -> Vec<u8> {
    let mut out = b": keep-alive\n\n".to_vec();
    out.extend_from_slice(b"data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n");
    for piece in pieces {
        let event = serde_json::json!({"choices": [{"delta": {"content": piece}}]});
        out.extend_from_slice(format!("data: {event}\n\n").as_bytes());
    }
    out.extend_from_slice(
        b"data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
    );
    out
}

/// Cuts bytes into writes of `size`, splitting events and UTF-8 sequences.
pub fn cut(bytes: &[u8], size: usize) -> Vec<Vec<u8>> {
    bytes.chunks(size).map(<[u8]>::to_vec).collect()
}

impl FakeLlm {
    pub async fn start(script: Script) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        let fake = Self {
            base_url,
            script: Arc::new(Mutex::new(script)),
            requests: Arc::default(),
            client_closed: Arc::default(),
        };
        let (script, requests, closed) = (
            fake.script.clone(),
            fake.requests.clone(),
            fake.client_closed.clone(),
        );
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let script = script.lock().await.clone();
                tokio::spawn(serve(stream, script, requests.clone(), closed.clone()));
            }
        });
        fake
    }

    pub async fn set(&self, script: Script) {
        *self.script.lock().await = script;
    }
}

async fn serve(mut stream: TcpStream, script: Script, requests: Recorded, closed: Arc<AtomicBool>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_end, content_length) = loop {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (pos + 4, len);
        }
    };
    while buf.len() < head_end + content_length {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let auth = head.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.trim().to_owned())
    });
    let body =
        serde_json::from_slice(&buf[head_end..head_end + content_length]).unwrap_or_default();
    requests.lock().await.push((auth, body));

    match script {
        Script::Status(code) => {
            let body = r#"{"error":{"message":"SECRET-UPSTREAM-DETAIL"}}"#;
            let reply = format!("HTTP/1.1 {code} Nope\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            let _ = stream.write_all(reply.as_bytes()).await;
        }
        Script::Hang => {
            // Wait for the client to give up.
            let _ = stream.read(&mut chunk).await;
            closed.store(true, Ordering::SeqCst);
        }
        Script::Stream { writes, pause } => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let (mut read, mut write) = stream.into_split();
            let watch = closed.clone();
            // A read that ends means the client hung up.
            let hangup = tokio::spawn(async move {
                let mut b = [0u8; 64];
                if let Ok(0) | Err(_) = read.read(&mut b).await {
                    watch.store(true, Ordering::SeqCst);
                }
            });
            for w in writes {
                tokio::time::sleep(pause).await;
                if write.write_all(&w).await.is_err() || write.flush().await.is_err() {
                    closed.store(true, Ordering::SeqCst);
                    return;
                }
            }
            let _ = write.shutdown().await;
            hangup.abort();
        }
    }
}
