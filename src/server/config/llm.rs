//! `LLM_*` and chat limits: how Palaver talks to the model.

use std::{fmt, time::Duration};

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::{
    parse::{number, switch, Lookup, TIMEOUT_SECS},
    AppEnv, ConfigError,
};

/// A bearer key that never reaches a log.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// Wraps a secret read from the environment.
    pub fn new(secret: String) -> Self {
        Self(secret.into())
    }

    /// The key, for the Authorization header only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// `LLM_PROVIDER`: who writes the answers.
#[derive(Clone, Debug)]
pub enum Provider {
    /// `openai` (the default): an OpenAI-compatible Chat Completions API at
    /// `LLM_BASE_URL`.
    OpenAi,
    /// `webhook`: an n8n-style workflow behind `WEBHOOK_URL`.
    Webhook(WebhookSettings),
}

/// `WEBHOOK_URL` and `WEBHOOK_JWT_SECRET`.
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Where each message is POSTed.
    pub url: Url,
    /// The HS256 key of the bearer token sent with it.
    pub jwt_secret: ApiKey,
}

/// The shortest `WEBHOOK_JWT_SECRET` production accepts: HS256's own key
/// size, so the token cannot be forged by guessing a short secret.
pub const MIN_WEBHOOK_SECRET_BYTES: usize = 32;

/// How Palaver talks to the model.
#[derive(Clone, Debug)]
pub struct LlmSettings {
    /// `LLM_PROVIDER` (with `WEBHOOK_*`).
    pub provider: Provider,
    /// `LLM_BASE_URL`; `/chat/completions` is appended.
    pub base_url: Url,
    /// `LLM_API_KEY`, else `OPENAI_API_KEY`.
    pub api_key: Option<ApiKey>,
    /// `LLM_MODEL` first, then the rest of `LLM_MODELS`.
    pub models: Vec<String>,
    /// `LLM_SYSTEM_PROMPT`.
    pub system_prompt: String,
    /// `LLM_ANSWER_IN_USER_LANGUAGE` (on unless `0`): the system prompt
    /// also names the language the person's pages are in.
    pub answer_in_user_language: bool,
    /// `LLM_STREAM_USAGE` (on unless `0`): asks for the token counts at the
    /// end of each stream (`stream_options.include_usage`). Off for a
    /// server that refuses unknown fields (some answer 400 or 422).
    pub stream_usage: bool,
    /// `LLM_HTTP2_PRIOR_KNOWLEDGE` (off unless `1`): speak HTTP/2 over
    /// plain TCP (h2c) to an `http://` base URL, all streams over one
    /// connection instead of one connection (a descriptor and its buffers)
    /// each.
    pub http2_prior_knowledge: bool,
    /// `LLM_TIMEOUT_SECONDS`: until the first token.
    pub first_token_timeout: Duration,
    /// `LLM_IDLE_TIMEOUT_SECONDS`: between two tokens.
    pub idle_timeout: Duration,
    /// `LLM_TOTAL_TIMEOUT_SECONDS`: for a whole answer.
    pub total_timeout: Duration,
    /// `MAX_HISTORY`: earlier turns sent with each message.
    pub max_history: usize,
    /// `MAX_HISTORY_CHARS`: and at most this many characters of them.
    pub max_history_chars: usize,
    /// `CHAT_MAX_MESSAGE_CHARS`: the longest message accepted.
    pub max_message_chars: usize,
}

const DEFAULT_PROMPT: &str = "You are a helpful assistant. Answer clearly and concisely; use Markdown for structure and code.";

impl LlmSettings {
    /// True when the answers come from OpenAI's own API, which needs a key.
    pub fn is_openai(&self) -> bool {
        matches!(self.provider, Provider::OpenAi)
            && self.base_url.host_str() == Some("api.openai.com")
    }

    /// The webhook's settings, when `LLM_PROVIDER=webhook`.
    pub fn webhook(&self) -> Option<&WebhookSettings> {
        match &self.provider {
            Provider::Webhook(webhook) => Some(webhook),
            Provider::OpenAi => None,
        }
    }

    /// What an operator must set before chat can work, if anything.
    pub fn missing_configuration(&self) -> Option<String> {
        (self.api_key.is_none() && self.is_openai()).then(|| {
            "Chat is not configured yet: set LLM_API_KEY (or OPENAI_API_KEY) for OpenAI, \
             or point LLM_BASE_URL at a local OpenAI-compatible server such as Ollama."
                .to_owned()
        })
    }

    /// Reads the variables through `get` (which trims and drops empty values).
    /// Production refuses a webhook secret shorter than
    /// [`MIN_WEBHOOK_SECRET_BYTES`]; development takes any, for local tries.
    pub fn from_lookup(get: &impl Lookup, app_env: AppEnv) -> Result<Self, ConfigError> {
        let bad = |var: &'static str, reason: String| ConfigError { var, reason };
        let provider = match get("LLM_PROVIDER").as_deref().unwrap_or("openai") {
            "openai" => Provider::OpenAi,
            "webhook" => Provider::Webhook(webhook_settings(get, app_env)?),
            other => {
                return Err(bad(
                    "LLM_PROVIDER",
                    format!("`{other}` (expected openai or webhook)"),
                ))
            }
        };
        let mut base_url =
            Url::parse(&get("LLM_BASE_URL").unwrap_or_else(|| "https://api.openai.com/v1".into()))
                .map_err(|e| bad("LLM_BASE_URL", e.to_string()))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.host_str().is_none() {
            return Err(bad(
                "LLM_BASE_URL",
                "expected an http:// or https:// URL".into(),
            ));
        }
        // `join` needs a trailing slash to keep the last path segment (`/v1`).
        if !base_url.path().ends_with('/') {
            base_url.set_path(&format!("{}/", base_url.path()));
        }
        let api_key = get("LLM_API_KEY")
            .or_else(|| get("OPENAI_API_KEY"))
            .map(|key| ApiKey(key.into()));
        // A webhook's workflow picks its own model; the name is what the
        // conversation list and the stored answers show.
        let default_model = match provider {
            Provider::OpenAi => "gpt-4o-mini",
            Provider::Webhook(_) => "webhook",
        };
        let model = get("LLM_MODEL").unwrap_or_else(|| default_model.into());
        let mut models = vec![model];
        for m in get("LLM_MODELS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            if !models.iter().any(|known| known == m) {
                models.push(m.to_owned());
            }
        }
        let http2_prior_knowledge =
            switch(get("LLM_HTTP2_PRIOR_KNOWLEDGE").as_deref().unwrap_or("0"))
                .map_err(|e| bad("LLM_HTTP2_PRIOR_KNOWLEDGE", e))?;
        // Over TLS the protocol is agreed by ALPN (reqwest offers h2 there by
        // itself); prior knowledge would skip that, and a server that does not
        // speak h2 would fail every stream.
        // The webhook shares the client, and n8n does not speak h2c.
        let reason = match (&provider, base_url.scheme()) {
            (Provider::Webhook(_), _) => Some("1 is for LLM_BASE_URL, not LLM_PROVIDER=webhook"),
            (Provider::OpenAi, "http") => None,
            (Provider::OpenAi, _) => {
                Some("1 needs an http:// LLM_BASE_URL (over https, HTTP/2 is agreed by ALPN)")
            }
        };
        if let Some(reason) = reason.filter(|_| http2_prior_knowledge) {
            return Err(bad("LLM_HTTP2_PRIOR_KNOWLEDGE", reason.into()));
        }
        let secs = |var: &'static str, default: u64| -> Result<Duration, ConfigError> {
            number(get, var, default, TIMEOUT_SECS).map(Duration::from_secs)
        };
        Ok(Self {
            provider,
            base_url,
            api_key,
            models,
            system_prompt: get("LLM_SYSTEM_PROMPT").unwrap_or_else(|| DEFAULT_PROMPT.into()),
            answer_in_user_language: get("LLM_ANSWER_IN_USER_LANGUAGE")
                .is_none_or(|v| !matches!(v.trim(), "0" | "false" | "off" | "no")),
            stream_usage: get("LLM_STREAM_USAGE")
                .is_none_or(|v| !matches!(v.trim(), "0" | "false" | "off" | "no")),
            http2_prior_knowledge,
            first_token_timeout: secs("LLM_TIMEOUT_SECONDS", 20)?,
            idle_timeout: secs("LLM_IDLE_TIMEOUT_SECONDS", 30)?,
            total_timeout: secs("LLM_TOTAL_TIMEOUT_SECONDS", 300)?,
            max_history: number(get, "MAX_HISTORY", 6, 1..=1_000)?,
            max_history_chars: number(get, "MAX_HISTORY_CHARS", 12_000, 1..=1_000_000)?,
            max_message_chars: number(get, "CHAT_MAX_MESSAGE_CHARS", 4_000, 1..=100_000)?,
        })
    }
}

/// `WEBHOOK_URL` (http or https) and `WEBHOOK_JWT_SECRET`, both required.
fn webhook_settings(get: &impl Lookup, app_env: AppEnv) -> Result<WebhookSettings, ConfigError> {
    let bad = |var: &'static str, reason: &str| ConfigError {
        var,
        reason: reason.to_owned(),
    };
    let raw = get("WEBHOOK_URL").ok_or_else(|| {
        bad(
            "WEBHOOK_URL",
            "LLM_PROVIDER=webhook needs the workflow's address, e.g. https://n8n.example.com/webhook/palaver",
        )
    })?;
    let url = Url::parse(&raw).map_err(|e| ConfigError {
        var: "WEBHOOK_URL",
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("WEBHOOK_URL", "expected an http:// or https:// URL"));
    }
    let secret = get("WEBHOOK_JWT_SECRET").ok_or_else(|| {
        bad(
            "WEBHOOK_JWT_SECRET",
            "LLM_PROVIDER=webhook needs the secret the workflow checks the token with",
        )
    })?;
    if app_env == AppEnv::Production && secret.len() < MIN_WEBHOOK_SECRET_BYTES {
        return Err(ConfigError {
            var: "WEBHOOK_JWT_SECRET",
            reason: format!(
                "{} bytes; production needs at least {MIN_WEBHOOK_SECRET_BYTES} (e.g. `openssl rand -hex 32`)",
                secret.len()
            ),
        });
    }
    Ok(WebhookSettings {
        url,
        jwt_secret: ApiKey(secret.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<LlmSettings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        LlmSettings::from_lookup(&|k: &str| map.get(k).cloned(), AppEnv::Development)
    }

    fn load_in(env: AppEnv, pairs: &[(&str, &str)]) -> Result<LlmSettings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        LlmSettings::from_lookup(&|k: &str| map.get(k).cloned(), env)
    }

    #[test]
    fn the_webhook_needs_its_url_and_secret_and_production_a_long_secret() {
        let url = ("WEBHOOK_URL", "http://127.0.0.1:5678/webhook/palaver");
        let short = ("WEBHOOK_JWT_SECRET", "short");
        let long = ("WEBHOOK_JWT_SECRET", "0123456789abcdef0123456789abcdef");
        let webhook = ("LLM_PROVIDER", "webhook");
        assert_eq!(load(&[webhook]).unwrap_err().var, "WEBHOOK_URL");
        assert_eq!(load(&[webhook, url]).unwrap_err().var, "WEBHOOK_JWT_SECRET");
        assert_eq!(
            load(&[webhook, ("WEBHOOK_URL", "ftp://x"), long])
                .unwrap_err()
                .var,
            "WEBHOOK_URL"
        );
        let dev = load(&[webhook, url, short]).unwrap();
        assert_eq!(dev.webhook().unwrap().jwt_secret.expose(), "short");
        assert_eq!(dev.models, ["webhook"]);
        assert!(
            dev.missing_configuration().is_none(),
            "no OpenAI key needed"
        );
        assert!(
            !format!("{dev:?}").contains("short"),
            "the secret is redacted"
        );
        let err = load_in(AppEnv::Production, &[webhook, url, short]).unwrap_err();
        assert_eq!(err.var, "WEBHOOK_JWT_SECRET");
        assert!(err.reason.contains("32"), "{}", err.reason);
        assert!(!err.reason.contains("short"), "the secret is not echoed");
        assert!(load_in(AppEnv::Production, &[webhook, url, long]).is_ok());
        assert_eq!(
            load(&[("LLM_PROVIDER", "n8n")]).unwrap_err().var,
            "LLM_PROVIDER"
        );
        assert!(load(&[]).unwrap().webhook().is_none());
    }

    #[test]
    fn defaults_and_fallbacks() {
        let s = load(&[("OPENAI_API_KEY", "sk-test")]).unwrap();
        assert_eq!(
            s.base_url.join("chat/completions").unwrap().as_str(),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(s.api_key.as_ref().unwrap().expose(), "sk-test");
        assert!(!format!("{s:?}").contains("sk-test"));
        assert_eq!(s.models, ["gpt-4o-mini"]);
        assert_eq!(s.first_token_timeout, Duration::from_secs(20));
        assert_eq!(s.max_history, 6);
        assert!(s.missing_configuration().is_none());
        assert!(s.answer_in_user_language);
        for off in ["0", "false", "off"] {
            assert!(
                !load(&[("LLM_ANSWER_IN_USER_LANGUAGE", off)])
                    .unwrap()
                    .answer_in_user_language
            );
        }
        assert!(
            load(&[("LLM_ANSWER_IN_USER_LANGUAGE", "1")])
                .unwrap()
                .answer_in_user_language
        );
        assert!(s.stream_usage);
        assert!(!load(&[("LLM_STREAM_USAGE", "0")]).unwrap().stream_usage);
    }

    #[test]
    fn openai_without_a_key_says_what_to_set() {
        assert!(load(&[])
            .unwrap()
            .missing_configuration()
            .unwrap()
            .contains("LLM_API_KEY"));
        let local = load(&[("LLM_BASE_URL", "http://127.0.0.1:11434/v1")]).unwrap();
        assert!(
            local.missing_configuration().is_none(),
            "local servers need no key"
        );
    }

    #[test]
    fn models_list_starts_with_the_default() {
        let s = load(&[
            ("LLM_MODEL", "qwen2"),
            ("LLM_MODELS", "llama3, qwen2,deepseek-chat"),
        ])
        .unwrap();
        assert_eq!(s.models, ["qwen2", "llama3", "deepseek-chat"]);
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            ("LLM_BASE_URL", "ftp://x"),
            ("LLM_TIMEOUT_SECONDS", "-1"),
            ("MAX_HISTORY", "many"),
            ("LLM_TIMEOUT_SECONDS", "18446744073709551615"),
            ("LLM_TOTAL_TIMEOUT_SECONDS", "86401"),
            ("MAX_HISTORY_CHARS", "0"),
        ] {
            assert_eq!(load(&[(var, value)]).unwrap_err().var, var);
        }
    }
}
