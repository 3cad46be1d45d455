//! The browser side of `POST /api/chat`: a `fetch` whose body is read as it
//! arrives. Bytes are buffered until a newline, so a JSON line (and any
//! UTF-8 character in it) is only ever decoded whole.

use crate::api::chat_types::ChatEvent;

/// How a stream ended, when it did not end with `{"done":true}` or an error line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// The person pressed Stop.
    Aborted,
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

/// Sends `body` and calls `on_event` for every line of the answer.
#[cfg(feature = "hydrate")]
pub async fn stream_chat(
    body: &crate::api::chat_types::ChatRequest,
    signal: &web_sys::AbortSignal,
    mut on_event: impl FnMut(ChatEvent),
) -> Result<(), StreamError> {
    use js_sys::{Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{ReadableStreamDefaultReader, Request, RequestInit, Response};

    let failed = |e: JsValue| {
        let aborted = e
            .dyn_ref::<web_sys::DomException>()
            .is_some_and(|d| d.name() == "AbortError");
        if aborted {
            StreamError::Aborted
        } else {
            StreamError::Failed("The connection to Palaver was lost. Please try again.".into())
        }
    };
    let json = serde_json::to_string(body).map_err(|e| StreamError::Failed(e.to_string()))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&json));
    init.set_signal(Some(signal));
    let request = Request::new_with_str_and_init("/api/chat", &init).map_err(failed)?;
    request
        .headers()
        .set("content-type", "application/json")
        .map_err(failed)?;
    let response: Response = JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        let text = JsFuture::from(response.text().map_err(failed)?)
            .await
            .map_err(failed)?;
        // The words come from the error's code, never from the body's text.
        let message =
            serde_json::from_str::<crate::error::AppError>(&text.as_string().unwrap_or_default())
                .map(|err| err.to_string())
                .unwrap_or_else(|_| format!("The request failed (status {}).", response.status()));
        return Err(StreamError::Failed(message));
    }
    let Some(stream) = response.body() else {
        return Err(StreamError::Failed("The answer was empty.".into()));
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut buf = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(failed)?;
        buf.extend(Uint8Array::new(&value).to_vec());
        for event in drain_lines(&mut buf) {
            on_event(event);
        }
    }
    Ok(())
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
                ChatEvent::Done { done: true }
            ]
        );
        assert_eq!(buf, b"{\"conv");
    }
}
