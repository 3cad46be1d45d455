//! Reading a response record by record, and re-attaching to an answer with
//! `GET /api/chat/stream?reply_id=R` after dropping its first connection,
//! as a reload or a second tab does.

use std::time::{Duration, Instant};

use reqwest::{header, StatusCode};

/// Tokens a re-attaching stream reads before it drops its connection
/// (fewer when the answer is shorter): enough that the answer is under
/// way, and has text "so far" to send again.
pub const TOKENS_BEFORE_DROP: usize = 3;

/// The records of a streamed response: lines from Palaver, SSE events
/// from the fake.
pub struct Records {
    res: reqwest::Response,
    buf: Vec<u8>,
    separator: &'static [u8],
}

impl Records {
    pub fn new(res: reqwest::Response, separator: &'static [u8]) -> Self {
        Self {
            res,
            buf: Vec::new(),
            separator,
        }
    }

    /// The next record without its separator; `None` at the end.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, String> {
        loop {
            let sep = self.separator;
            if let Some(at) = self.buf.windows(sep.len()).position(|w| w == sep) {
                let mut record: Vec<u8> = self.buf.drain(..at + sep.len()).collect();
                record.truncate(at);
                return Ok(Some(record));
            }
            match self.res.chunk().await.map_err(|e| transport(&e))? {
                Some(chunk) => self.buf.extend_from_slice(&chunk),
                None => return Ok(None),
            }
        }
    }
}

/// A transport error with its innermost cause (connect refused, reset...).
pub fn transport(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    format!("transport: {cause}")
}

/// What a re-attached stream delivered.
#[derive(Default)]
pub struct Followed {
    /// From sending the request to its first line (the answer's ids).
    pub first_line: Option<Duration>,
    /// The "so far" line and every live line after it.
    pub text: String,
    pub done: bool,
}

/// Re-attaches to answer `reply_id` with the session `cookie` and reads it
/// to its end. `chat_url` is `.../api/chat`.
pub async fn follow(
    client: &reqwest::Client,
    chat_url: &str,
    cookie: &str,
    reply_id: i64,
) -> Result<Followed, (Followed, String)> {
    let mut out = Followed::default();
    let sent = Instant::now();
    let res = client
        .get(format!("{chat_url}/stream?reply_id={reply_id}"))
        .header(header::COOKIE, cookie)
        .send()
        .await;
    let res = match res {
        Ok(res) if res.status() == StatusCode::OK => res,
        Ok(res) => return Err((out, format!("re-attach: status {}", res.status().as_u16()))),
        Err(e) => return Err((out, format!("re-attach: {}", transport(&e)))),
    };
    let mut records = Records::new(res, b"\n");
    loop {
        let record = match records.next().await {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(e) => return Err((out, format!("re-attach: {e}"))),
        };
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&record) else {
            let line = String::from_utf8_lossy(&record).into_owned();
            return Err((out, format!("re-attach: unreadable line: {line}")));
        };
        if out.first_line.is_none() {
            out.first_line = Some(sent.elapsed());
            if v["reply_id"].as_i64() != Some(reply_id) {
                return Err((out, format!("re-attach: first line {v}")));
            }
        } else if let Some(text) = v["text"].as_str() {
            out.text.push_str(text);
        } else if v["done"] == true {
            out.done = true;
        } else if v.get("error").is_some() || v.get("stopped").is_some() {
            return Err((out, format!("re-attach: {v}")));
        }
    }
    Ok(out)
}
