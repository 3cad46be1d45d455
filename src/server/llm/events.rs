//! The events of a Chat Completions stream, read into [`Step`]s.

use std::pin::Pin;

use futures_util::Stream;
use serde::Deserialize;

use crate::domain::chat::Usage;

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    error: Option<serde_json::Value>,
    /// OpenAI sends it in a chunk of its own, with no choices; llama.cpp
    /// beside the last `finish_reason`.
    #[serde(default)]
    usage: Option<ChunkUsage>,
}

#[derive(Deserialize)]
struct ChunkUsage {
    #[serde(default)]
    prompt_tokens: Option<i64>,
    #[serde(default)]
    completion_tokens: Option<i64>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    delta: Delta,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize, Default)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
}

/// What one event (or line) of an answer says.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// A piece of the answer (may be empty: a role-only event).
    Text(String),
    /// The last piece (may be empty): the model says it has finished, and
    /// the connection may end without [`Step::Done`].
    Finish(String),
    /// The answer is complete.
    Done,
    /// The token counts (may come with the model's finish, or after it).
    Usage {
        usage: Usage,
        /// The same event said the model had finished.
        finished: bool,
    },
}

/// An answer's events, already read: the body's bytes are cut into events
/// or lines before any decoding, so a character split across reads arrives
/// whole.
pub(super) type Steps = Pin<Box<dyn Stream<Item = Result<Step, String>> + Send>>;

/// One event of a Chat Completions stream: `[DONE]`, or a chunk whose
/// choices' text is joined ([`Step::Finish`] when one has a
/// `finish_reason`).
pub(super) fn completion_event(data: &str) -> Result<Step, String> {
    let data = data.trim();
    if data == "[DONE]" {
        return Ok(Step::Done);
    }
    if data.is_empty() {
        return Ok(Step::Text(String::new()));
    }
    let chunk: Chunk =
        serde_json::from_str(data).map_err(|e| format!("unreadable model event: {e}"))?;
    if let Some(error) = chunk.error {
        return Err(format!("the model reported an error mid-stream: {error}"));
    }
    let finished = chunk.choices.iter().any(|c| c.finish_reason.is_some());
    let text: String = chunk
        .choices
        .into_iter()
        .filter_map(|c| c.delta.content)
        .collect();
    // Usage comes after (or with) the last piece of text, never with text
    // of its own; a chunk with both would keep its text.
    if let Some(ChunkUsage {
        prompt_tokens: Some(prompt_tokens),
        completion_tokens: Some(completion_tokens),
    }) = chunk.usage
    {
        if text.is_empty() {
            let usage = Usage {
                prompt_tokens,
                completion_tokens,
            };
            return Ok(Step::Usage { usage, finished });
        }
    }
    Ok(if finished {
        Step::Finish(text)
    } else {
        Step::Text(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_the_finish_are_read() {
        let text = r#"{"choices":[{"delta":{"content":"Hi"}}]}"#;
        assert_eq!(completion_event(text), Ok(Step::Text("Hi".into())));
        let last = r#"{"choices":[{"delta":{"content":"!"},"finish_reason":"stop"}]}"#;
        assert_eq!(completion_event(last), Ok(Step::Finish("!".into())));
        assert_eq!(completion_event("[DONE]"), Ok(Step::Done));
    }

    #[test]
    fn the_usage_chunk_of_openai_gives_the_token_counts() {
        let usage = r#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}}"#;
        assert_eq!(
            completion_event(usage),
            Ok(Step::Usage {
                usage: Usage {
                    prompt_tokens: 12,
                    completion_tokens: 34
                },
                finished: false
            })
        );
    }

    #[test]
    fn usage_beside_the_finish_as_llama_cpp_sends_it_keeps_the_finish() {
        let last = r#"{"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":7}}"#;
        assert_eq!(
            completion_event(last),
            Ok(Step::Usage {
                usage: Usage {
                    prompt_tokens: 5,
                    completion_tokens: 7
                },
                finished: true
            })
        );
    }

    #[test]
    fn a_usage_of_null_or_half_a_usage_is_no_usage() {
        let null = r#"{"choices":[{"delta":{"content":"a"}}],"usage":null}"#;
        assert_eq!(completion_event(null), Ok(Step::Text("a".into())));
        let half = r#"{"choices":[],"usage":{"prompt_tokens":5}}"#;
        assert_eq!(completion_event(half), Ok(Step::Text(String::new())));
    }
}
