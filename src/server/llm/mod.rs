//! A streaming client for any OpenAI-compatible Chat Completions API
//! (OpenAI, DeepSeek, Qwen, Ollama, vLLM, llama.cpp...), or for an n8n-style
//! webhook (`LLM_PROVIDER=webhook`, [`webhook`]).
//!
//! SSE is parsed by `eventsource-stream`, which splits events on line breaks
//! in the byte stream before decoding, so events and multi-byte characters
//! split across reads arrive whole. Dropping a [`TokenStream`] drops the
//! HTTP response, which closes the upstream connection at once.

mod events;
mod webhook;

use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use serde::Serialize;
use tokio::time::{timeout_at, Instant};

pub use crate::server::config::LlmSettings;
use events::{completion_event, Step, Steps};

use crate::{domain::chat::Usage, server::config::Provider};

/// Failures, worded for the person chatting. The upstream's own body is
/// logged (truncated), never shown.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LlmError {
    /// No key for OpenAI, and no local server configured.
    #[error("{0}")]
    NotConfigured(String),
    /// 401/403 from upstream.
    #[error("The model service refused Palaver's credentials. Please tell the administrator.")]
    Unauthorized,
    /// 404 from upstream.
    #[error("The model \"{0}\" is not available on the model service.")]
    ModelNotFound(String),
    /// 429 from upstream.
    #[error("The model service is busy right now. Please try again in a moment.")]
    RateLimited,
    /// Any other error status.
    #[error("The model service failed (status {0}). Please try again.")]
    Upstream(u16),
    /// Connection refused, DNS, TLS...
    #[error("The model service cannot be reached. Please try again later.")]
    Unreachable,
    /// No first token within `LLM_TIMEOUT_SECONDS`.
    #[error("The model took too long to start answering. Please try again.")]
    FirstTokenTimeout,
    /// Too long between two tokens.
    #[error("The model stopped answering. Please try again.")]
    IdleTimeout,
    /// The whole answer took too long.
    #[error("The answer took too long and was cut off.")]
    TotalTimeout,
    /// The stream broke or spoke nonsense.
    #[error("The model's answer was interrupted. Please try again.")]
    Broken,
}

impl LlmError {
    /// The stable code of the failure, as the last line of a stream
    /// carries it beside the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotConfigured(_) => "not_configured",
            Self::Unauthorized => "model_refused_credentials",
            Self::ModelNotFound(_) => "model_not_found",
            Self::RateLimited => "model_busy",
            Self::Upstream(_) => "model_failed",
            Self::Unreachable => "model_unreachable",
            Self::FirstTokenTimeout | Self::IdleTimeout | Self::TotalTimeout => "model_timeout",
            Self::Broken => "model_interrupted",
        }
    }
}

/// One message of the prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromptMessage {
    /// `system`, `user` or `assistant`.
    pub role: &'static str,
    /// Its text.
    pub content: String,
}

#[derive(Serialize)]
struct CompletionRequest<'a> {
    model: &'a str,
    messages: &'a [PromptMessage],
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<StreamOptions>,
}

/// Asks for a last chunk with the token counts (`LLM_STREAM_USAGE`).
#[derive(Serialize)]
struct StreamOptions {
    include_usage: bool,
}

/// Who asks: what a back end may want to know beside the prompt (the
/// webhook passes it on; the Chat Completions API is not told).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asker {
    /// The user's public id.
    pub uid: String,
    /// The name they show.
    pub display_name: String,
    /// The conversation, once it exists.
    pub conversation_id: Option<i64>,
}

/// The model client, shared by every request.
#[derive(Clone, Debug)]
pub struct LlmClient {
    http: reqwest::Client,
    settings: LlmSettings,
}

/// Idle connections kept to the model service, for reuse.
const MAX_IDLE_UPSTREAM: usize = 64;

/// The h2c connection's receive window (1 GiB), which also sets how many
/// small frames it may hold unread (half of it) before h2 gives up on it.
const UPSTREAM_H2_WINDOW: u32 = 1 << 30;

impl LlmClient {
    /// A client for `settings`.
    pub fn new(settings: LlmSettings) -> Result<Self, reqwest::Error> {
        let mut http = reqwest::Client::builder().connect_timeout(Duration::from_secs(10));
        http = if settings.http2_prior_knowledge {
            // h2c: every stream over one connection, so 10,000 answers at
            // once hold one upstream descriptor, not 10,000 (benches/README.md).
            // h2 closes a connection (ENHANCE_YOUR_CALM) once the small DATA
            // frames it holds unread pass half its window (5 MiB by default):
            // a token is a frame, so 10,000 answers a token or two behind
            // ended every answer at once. The model server is the operator's
            // own, and each stream's window still bounds what it may buffer.
            http.http2_prior_knowledge()
                .http2_initial_connection_window_size(UPSTREAM_H2_WINDOW)
        } else {
            // Else HTTP/1.1 as before, also over TLS, where ALPN would now
            // pick h2: reqwest keeps one h2 connection per host, so answers
            // past the server's stream limit (often 100) would wait for a
            // slot, and time out, instead of opening a connection of their own.
            http.http1_only()
        };
        let http = http
            // Connections to the model are kept for reuse (a TLS handshake
            // costs more than a token), but not one per stream of a past
            // burst: after 10,000 answers at once, 10,000 idle sockets would
            // hold descriptors the database and new clients need.
            .pool_max_idle_per_host(MAX_IDLE_UPSTREAM)
            .user_agent(concat!("palaver/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http, settings })
    }

    /// The settings it was made with.
    pub fn settings(&self) -> &LlmSettings {
        &self.settings
    }

    /// Starts a streamed completion. Resolves once the upstream has accepted
    /// the request; the first-token timeout runs from the call.
    #[tracing::instrument(skip_all, fields(model))]
    pub async fn stream(
        &self,
        model: &str,
        messages: &[PromptMessage],
        asker: &Asker,
    ) -> Result<TokenStream, LlmError> {
        if let Some(notice) = self.settings.missing_configuration() {
            return Err(LlmError::NotConfigured(notice));
        }
        let started = Instant::now();
        let first_deadline = started + self.settings.first_token_timeout;
        let request = match &self.settings.provider {
            Provider::OpenAi => {
                let url = self
                    .settings
                    .base_url
                    .join("chat/completions")
                    .map_err(|_| LlmError::Unreachable)?;
                let mut request = self
                    .http
                    .post(url)
                    .header(reqwest::header::ACCEPT, "text/event-stream")
                    .json(&CompletionRequest {
                        model,
                        messages,
                        stream: true,
                        stream_options: self.settings.stream_usage.then_some(StreamOptions {
                            include_usage: true,
                        }),
                    });
                if let Some(key) = &self.settings.api_key {
                    request = request.bearer_auth(key.expose());
                }
                request
            }
            Provider::Webhook(settings) => webhook::request(&self.http, settings, messages, asker)?,
        };
        let response = match timeout_at(first_deadline, request.send()).await {
            Err(_) => return Err(LlmError::FirstTokenTimeout),
            Ok(Err(e)) => {
                // reqwest's message stops at "error sending request"; the
                // cause (refused, DNS, TLS...) is what an operator needs.
                let mut cause = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(inner) = source {
                    cause.push_str(": ");
                    cause.push_str(&inner.to_string());
                    source = inner.source();
                }
                tracing::warn!(error = %cause, "model service unreachable");
                return Err(LlmError::Unreachable);
            }
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        if !status.is_success() {
            let body = timeout_at(first_deadline, response.text())
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default();
            tracing::warn!(%status, body = %body.chars().take(300).collect::<String>(), "model service refused");
            let webhook = self.settings.webhook().is_some();
            return Err(match status.as_u16() {
                401 | 403 => LlmError::Unauthorized,
                // A webhook's 404 is its address (or an inactive workflow),
                // not a model.
                404 if !webhook => LlmError::ModelNotFound(model.to_owned()),
                429 => LlmError::RateLimited,
                code => LlmError::Upstream(code),
            });
        }
        let is_sse = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("text/event-stream"));
        let steps: Steps = if self.settings.webhook().is_none() || is_sse {
            Box::pin(response.bytes_stream().eventsource().map(|r| match r {
                Ok(event) => completion_event(&event.data),
                Err(e) => Err(e.to_string()),
            }))
        } else {
            webhook::answer(response)
        };
        Ok(TokenStream {
            steps,
            first_deadline,
            total_deadline: started + self.settings.total_timeout,
            idle: self.settings.idle_timeout,
            started_text: false,
            saw_finish: false,
            finished: false,
            usage: None,
        })
    }
}

/// The pieces of one answer, with the timeouts applied.
pub struct TokenStream {
    steps: Steps,
    first_deadline: Instant,
    total_deadline: Instant,
    idle: Duration,
    started_text: bool,
    saw_finish: bool,
    finished: bool,
    usage: Option<Usage>,
}

impl TokenStream {
    /// The token counts the model service sent, once it has (at the end).
    pub fn usage(&self) -> Option<Usage> {
        self.usage
    }

    /// The next piece of text; `None` when the answer is complete.
    pub async fn next(&mut self) -> Option<Result<String, LlmError>> {
        if self.finished {
            return None;
        }
        loop {
            let (deadline, on_timeout) = if self.started_text {
                let idle = Instant::now() + self.idle;
                if idle < self.total_deadline {
                    (idle, LlmError::IdleTimeout)
                } else {
                    (self.total_deadline, LlmError::TotalTimeout)
                }
            } else {
                (
                    self.first_deadline.min(self.total_deadline),
                    LlmError::FirstTokenTimeout,
                )
            };
            let step = match timeout_at(deadline, self.steps.next()).await {
                Err(_) => return self.fail(on_timeout),
                // The connection ended without [DONE]: complete if the model
                // said it had finished (some servers omit [DONE]), else cut off.
                Ok(None) if self.saw_finish => {
                    self.finished = true;
                    return None;
                }
                Ok(None) => return self.fail(LlmError::Broken),
                Ok(Some(Err(e))) => {
                    tracing::warn!(error = %e, "model stream broke");
                    return self.fail(LlmError::Broken);
                }
                Ok(Some(Ok(step))) => step,
            };
            let (text, last) = match step {
                Step::Done => {
                    self.finished = true;
                    return None;
                }
                Step::Text(text) => (text, false),
                Step::Finish(text) => (text, true),
                Step::Usage { usage, finished } => {
                    self.usage = Some(usage);
                    (String::new(), finished)
                }
            };
            self.saw_finish |= last;
            if !text.is_empty() {
                self.started_text = true;
                return Some(Ok(text));
            }
        }
    }

    fn fail(&mut self, err: LlmError) -> Option<Result<String, LlmError>> {
        self.finished = true;
        Some(Err(err))
    }
}
