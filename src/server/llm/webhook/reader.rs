//! Reading a webhook's answer that is not an event stream: JSON lines
//! (ours or n8n's chunks), one JSON document, or plain text, each turned
//! into the same [`Step`]s (see the shapes in [`super`]).

use std::collections::VecDeque;

use bytes::Bytes;
use futures_util::{stream, Stream, StreamExt};
use serde_json::Value;

use super::super::{completion_event, Step, Steps};
use super::MAX_DOCUMENT_BYTES;

/// The steps of a webhook's answer that is not an event stream.
pub(in crate::server::llm) fn answer(response: reqwest::Response) -> Steps {
    let plain_text = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("text/"));
    let body = response
        .bytes_stream()
        .map(|r| r.map_err(|e| e.to_string()));
    Box::pin(steps(body, plain_text))
}

/// Reads `body` as JSON lines, falling back to one document (or, when
/// `plain_text`, the text itself) when its first line is not JSON.
fn steps(
    body: impl Stream<Item = Result<Bytes, String>> + Send + 'static,
    plain_text: bool,
) -> impl Stream<Item = Result<Step, String>> + Send {
    let reader = Reader {
        body: Box::pin(body),
        plain_text,
        line: Vec::new(),
        whole: None,
        seen: Some(Vec::new()),
        queue: VecDeque::new(),
        answered: false,
        ended: false,
    };
    stream::unfold(reader, |mut reader| async move {
        let item = reader.next().await?;
        Some((item, reader))
    })
}

type ByteStream = std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, String>> + Send>>;

struct Reader {
    body: ByteStream,
    plain_text: bool,
    /// The line being received.
    line: Vec<u8>,
    /// The whole answer so far, once it is read as one document.
    whole: Option<Vec<u8>>,
    /// Every byte received until the first piece of text, to read again as
    /// one document if a line turns out not to be JSON.
    seen: Option<Vec<u8>>,
    queue: VecDeque<Step>,
    /// A piece of text (or the end) has been read.
    answered: bool,
    ended: bool,
}

impl Reader {
    async fn next(&mut self) -> Option<Result<Step, String>> {
        loop {
            if let Some(step) = self.queue.pop_front() {
                return Some(Ok(step));
            }
            if self.ended {
                return None;
            }
            match self.body.next().await {
                Some(Ok(bytes)) => {
                    if let Err(e) = self.take(&bytes) {
                        return Some(self.fail(e));
                    }
                }
                Some(Err(e)) => return Some(self.fail(e)),
                None => {
                    self.ended = true;
                    if let Err(e) = self.finish() {
                        return Some(Err(e));
                    }
                }
            }
        }
    }

    fn fail(&mut self, e: String) -> Result<Step, String> {
        self.ended = true;
        self.queue.clear();
        Err(e)
    }

    fn take(&mut self, bytes: &[u8]) -> Result<(), String> {
        if let Some(whole) = &mut self.whole {
            whole.extend_from_slice(bytes);
            return within_limit(whole.len());
        }
        if let Some(seen) = &mut self.seen {
            seen.extend_from_slice(bytes);
        }
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|&b| b == b'\n') {
            self.line.extend_from_slice(&rest[..at]);
            rest = &rest[at + 1..];
            let line = std::mem::take(&mut self.line);
            if !self.line_done(&line)? {
                // Not JSON lines: everything received is one document.
                self.whole = self.seen.take();
                return within_limit(self.whole.as_ref().map_or(0, Vec::len));
            }
        }
        self.line.extend_from_slice(rest);
        within_limit(self.line.len())
    }

    /// Reads one complete line; false when it is not JSON and nothing has
    /// been answered yet (then the answer is read as one document).
    fn line_done(&mut self, line: &[u8]) -> Result<bool, String> {
        match read_line(line) {
            Line::Step(step) => self.push(step),
            Line::Nothing => {}
            Line::Failed(e) => return Err(e),
            Line::NotJson if !self.answered => return Ok(false),
            Line::NotJson => {
                return Err(format!(
                    "a line of the webhook's answer is not JSON: {}",
                    preview(line)
                ))
            }
        }
        Ok(true)
    }

    fn push(&mut self, step: Step) {
        self.answered = true;
        self.seen = None;
        self.queue.push_back(step);
    }

    /// The body has ended: the last line or the document, then the end.
    fn finish(&mut self) -> Result<(), String> {
        if let Some(whole) = self.whole.take() {
            let text = document(&whole, self.plain_text)?;
            self.push(Step::Text(text));
        } else if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            if !self.line_done(&line)? {
                let text = document(self.seen.as_deref().unwrap_or_default(), self.plain_text)?;
                self.push(Step::Text(text));
            }
        }
        if !self.answered {
            return Err("the webhook answered no text".into());
        }
        self.queue.push_back(Step::Done);
        Ok(())
    }
}

fn within_limit(len: usize) -> Result<(), String> {
    if len > MAX_DOCUMENT_BYTES {
        Err(format!(
            "the webhook's answer passed {MAX_DOCUMENT_BYTES} bytes before it ended"
        ))
    } else {
        Ok(())
    }
}

/// What one line of JSON lines says.
enum Line {
    Step(Step),
    /// Blank, or a line that carries no text (n8n's `begin`, an SSE comment).
    Nothing,
    /// The workflow reports a failure.
    Failed(String),
    NotJson,
}

/// One line of JSON lines (or of an event stream sent without its content
/// type, whose `data:` lines are read as from the model API).
fn read_line(line: &[u8]) -> Line {
    let line = line.trim_ascii();
    if line.is_empty() || line.starts_with(b":") {
        return Line::Nothing;
    }
    if let Some(data) = line.strip_prefix(b"data:") {
        return match completion_event(&String::from_utf8_lossy(data)) {
            Ok(step) => Line::Step(step),
            Err(e) => Line::Failed(e),
        };
    }
    if [&b"event:"[..], b"id:", b"retry:"]
        .iter()
        .any(|field| line.starts_with(field))
    {
        return Line::Nothing;
    }
    match serde_json::from_slice::<Value>(line) {
        Ok(value) => match step_of(&value) {
            Ok(Some(step)) => Line::Step(step),
            Ok(None) => Line::Nothing,
            Err(e) => Line::Failed(e),
        },
        Err(_) => Line::NotJson,
    }
}

/// The step one JSON value says, or the failure it reports.
fn step_of(value: &Value) -> Result<Option<Step>, String> {
    match value {
        Value::Object(object) => {
            let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
            Ok(match object.get("type").and_then(Value::as_str) {
                // n8n's streaming chunks.
                Some("item") => text("content").map(Step::Text),
                Some("end") => Some(Step::Finish(String::new())),
                Some("error") => {
                    return Err(format!(
                        "the workflow reported an error: {}",
                        text("content").unwrap_or_default()
                    ))
                }
                Some(_) => None,
                None => text("text").or_else(|| text("output")).map(Step::Text),
            })
        }
        // "Respond to Webhook" with all incoming items: one per item.
        Value::Array(items) if !items.is_empty() => {
            let mut joined = String::new();
            for item in items {
                if let Some(Step::Text(text) | Step::Finish(text)) = step_of(item)? {
                    joined.push_str(&text);
                }
            }
            Ok(Some(Step::Text(joined)))
        }
        _ => Ok(None),
    }
}

/// The text of a whole answer: a JSON document's `output`/`text`, or, for
/// `text/*` answers that are not JSON, the text itself.
fn document(bytes: &[u8], plain_text: bool) -> Result<String, String> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => match step_of(&value)? {
            Some(Step::Text(text) | Step::Finish(text)) => Ok(text),
            _ => Err(format!(
                "the webhook's answer has no output or text: {}",
                preview(bytes)
            )),
        },
        Err(_) if plain_text => String::from_utf8(bytes.to_vec())
            .map(|text| text.trim().to_owned())
            .map_err(|_| "the webhook's text answer is not UTF-8".into()),
        Err(e) => Err(format!(
            "the webhook's answer is not JSON ({e}): {}",
            preview(bytes)
        )),
    }
}

/// The start of a body, for the log.
fn preview(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The steps of `body` cut into writes of `size` bytes.
    async fn read(body: &str, size: usize, plain_text: bool) -> Vec<Result<Step, String>> {
        let writes: Vec<Result<Bytes, String>> = body
            .as_bytes()
            .chunks(size)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        steps(stream::iter(writes), plain_text).collect().await
    }

    fn texts(steps: &[Result<Step, String>]) -> String {
        steps
            .iter()
            .map(|s| match s {
                Ok(Step::Text(t) | Step::Finish(t)) => t.as_str(),
                _ => "",
            })
            .collect()
    }

    #[tokio::test]
    async fn n8n_chunks_split_anywhere_arrive_whole() {
        let body =
            "{\"type\":\"begin\",\"metadata\":{}}\n{\"type\":\"item\",\"content\":\"你好\"}\n\
                    {\"type\":\"item\",\"content\":\", Việt Nam\"}\n{\"type\":\"end\"}\n";
        for size in [1, 2, 3, 7, body.len()] {
            let steps = read(body, size, false).await;
            assert_eq!(texts(&steps), "你好, Việt Nam", "writes of {size}");
            assert_eq!(steps.last(), Some(&Ok(Step::Done)));
            assert!(steps.iter().all(Result::is_ok), "{steps:?}");
        }
    }

    #[tokio::test]
    async fn text_lines_and_one_line_without_a_newline() {
        let steps = read("{\"text\":\"Hello\"}\n\n{\"text\":\" there\"}", 5, false).await;
        assert_eq!(texts(&steps), "Hello there");
        assert_eq!(steps.last(), Some(&Ok(Step::Done)));
    }

    #[tokio::test]
    async fn one_document_on_one_line_or_pretty_printed_or_as_items() {
        for body in [
            "{\"output\":\"Xin chào\"}",
            "{\n  \"output\": \"Xin chào\"\n}\n",
            "[\n  {\n    \"output\": \"Xin chào\"\n  }\n]",
        ] {
            let steps = read(body, 4, false).await;
            assert_eq!(texts(&steps), "Xin chào", "{body}");
            assert_eq!(steps.last(), Some(&Ok(Step::Done)), "{body}");
        }
    }

    #[tokio::test]
    async fn plain_text_is_taken_whole_only_when_it_says_so() {
        let steps = read("Just text,\nover two lines.\n", 3, true).await;
        assert_eq!(texts(&steps), "Just text,\nover two lines.");
        let steps = read("Just text,\nover two lines.\n", 3, false).await;
        assert!(steps.last().unwrap().is_err(), "{steps:?}");
    }

    #[tokio::test]
    async fn an_event_stream_without_its_content_type_is_read_too() {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n";
        let steps = read(body, 6, false).await;
        assert_eq!(texts(&steps), "Hi");
        assert!(steps.contains(&Ok(Step::Done)));
    }

    #[tokio::test]
    async fn failures_and_answers_without_text_are_errors() {
        for body in [
            "",
            "{\"ok\":true}\n",
            "{\"type\":\"begin\"}\n{\"type\":\"error\",\"content\":\"boom\"}\n",
            "{\"text\":\"a\"}\nnot json\n",
            "{\"unrelated\": [1, 2]",
        ] {
            let steps = read(body, 3, false).await;
            assert!(
                matches!(steps.last(), Some(Err(_))),
                "{body:?} gave {steps:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_document_that_never_ends_is_cut_at_the_limit() {
        let big = format!("{{\n\"output\": \"{}", "x".repeat(MAX_DOCUMENT_BYTES));
        let steps = read(&big, 64 * 1024, false).await;
        assert!(
            matches!(steps.last(), Some(Err(e)) if e.contains("passed")),
            "{:?}",
            steps.last()
        );
    }
}
