//! The browser side of `POST /api/chat`, `POST /api/chat/regenerate` and
//! `GET /api/chat/stream`: the typed server functions of
//! `api::chat_stream`, whose answer is read as it arrives. Bytes are
//! buffered until a newline, so a JSON line (and any UTF-8 character in it)
//! is only ever decoded whole.

use futures_util::future::{select, Either};

use crate::{
    api::{
        chat_stream::{attach_answer, regenerate_answer, send_message},
        chat_types::{ChatEvent, ChatRequest, RegenerateRequest, StreamQuery},
        lines::{Later, Lines},
    },
    browser::{Abort, FetchError},
    error::AppError,
};

/// How a stream ended, when it did not end with `{"done":true}` or an error line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// The person pressed Stop.
    Aborted,
    /// The session is gone (signed out elsewhere, a password reset): a
    /// `401` before the answer, or a last line with code `unauthorized`.
    SignedOut,
    /// The request was refused or the connection broke; the message says why.
    Failed(String),
}

/// Splits complete lines off the front of `buf` and parses them.
pub fn drain_lines(buf: &mut Vec<u8>) -> Vec<ChatEvent> {
    let mut events = Vec::new();
    while let Some(pos) = buf.iter().position(|b| *b == b'\n') {
        let line: Vec<u8> = buf.drain(..=pos).collect();
        if let Ok(event) = serde_json::from_slice::<ChatEvent>(&line[..pos]) {
            events.push(event);
        }
    }
    events
}

/// Which streamed call to make.
pub enum Call<'a> {
    /// `POST /api/chat`: a new message.
    Send(&'a ChatRequest),
    /// `POST /api/chat/regenerate`: another answer.
    Regenerate(&'a RegenerateRequest),
    /// `GET /api/chat/stream`: an answer already running (after a reload).
    Attach(i64),
}

/// Makes `call` and calls `on_event` for every line of the answer; `abort`
/// stops reading it (the answer itself runs on at the server). Whatever
/// stops first drops the call: before the answer began, that cancels the
/// request; after, it cancels reading the body, which closes it.
pub async fn stream_chat(
    call: Call<'_>,
    abort: &Abort,
    on_event: impl FnMut(ChatEvent),
) -> Result<(), StreamError> {
    let read = std::pin::pin!(read_answer(call, on_event));
    let aborted = std::pin::pin!(abort.aborted());
    match select(read, aborted).await {
        Either::Left((ended, _)) => ended,
        Either::Right(_) => Err(StreamError::Aborted),
    }
}

async fn read_answer(
    call: Call<'_>,
    mut on_event: impl FnMut(ChatEvent),
) -> Result<(), StreamError> {
    let started = match call {
        Call::Send(body) => send_message(Later::new(body.clone())).await,
        Call::Regenerate(body) => regenerate_answer(Later::new(body.clone())).await,
        Call::Attach(reply_id) => attach_answer(Later::new(StreamQuery { reply_id })).await,
    };
    let mut lines: Lines = started.map_err(|err| match err {
        AppError::Unauthorized => StreamError::SignedOut,
        other => StreamError::Failed(other.to_string()),
    })?;
    let mut buf = Vec::new();
    while let Some(piece) = lines.next().await {
        let piece =
            piece.map_err(|_| StreamError::Failed(crate::tr!(chat.connection_lost).into()))?;
        buf.extend_from_slice(&piece);
        for event in drain_lines(&mut buf) {
            on_event(event);
        }
    }
    Ok(())
}

/// What the person is told when a call of their own (`fetch`) failed:
/// when the server refused, the words that belong to its error's code
/// (never the body's own text).
pub(super) fn failure_message(err: &FetchError) -> String {
    match err {
        FetchError::Aborted | FetchError::Lost => crate::tr!(chat.connection_lost).into(),
        FetchError::Refused { status, body } => {
            serde_json::from_str::<crate::error::AppError>(body)
                .map(|err| err.to_string())
                .unwrap_or_else(|_| crate::tr!(chat.request_failed, status = status))
        }
        FetchError::Empty => crate::tr!(chat.empty_answer).into(),
        FetchError::Unsupported => crate::tr!(chat.cannot_stream).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_parsed_only_when_complete() {
        let line = "{\"text\":\"你好\"}\n".as_bytes();
        // Cut inside the first Chinese character.
        let mut buf = line[..9].to_vec();
        assert!(drain_lines(&mut buf).is_empty());
        buf.extend_from_slice(&line[9..]);
        buf.extend_from_slice(b"{\"done\":true}\n{\"conv");
        let events = drain_lines(&mut buf);
        assert_eq!(
            events,
            [
                ChatEvent::Text {
                    text: "你好".into()
                },
                ChatEvent::Done {
                    done: true,
                    usage: None
                }
            ]
        );
        assert_eq!(buf, b"{\"conv");
    }

    #[test]
    fn a_refusal_shows_the_words_of_its_code_or_its_status() {
        let refused = |status, body: &str| FetchError::Refused {
            status,
            body: body.into(),
        };
        assert_eq!(
            failure_message(&refused(
                429,
                r#"{"ok":false,"error":"<b>anything</b>","code":"rate_limited"}"#
            )),
            crate::error::AppError::RateLimited.to_string()
        );
        assert_eq!(
            failure_message(&refused(502, "<html>Bad gateway</html>")),
            "The request failed (status 502)."
        );
    }
}
