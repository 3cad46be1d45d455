//! The effective configuration as `NAME=value` lines (`palaver serve
//! --check`), every secret replaced by `***`.
//!
//! The lines use the variables' own names and the forms they are read in, so
//! the output (secrets aside) can be pasted back as a `.env` and gives the
//! same settings. A value that is unset prints as `NAME=`, which reads back
//! as unset.

use url::Url;

use super::{ApiKey, AppEnv, DatabaseUrl, Provider, Settings, SmtpUrl};

/// What a redacted secret prints as.
pub const REDACTED: &str = "***";

impl Settings {
    /// Every setting as `(variable, value)`, grouped as in the README's
    /// table, with `LLM_API_KEY`, `WEBHOOK_JWT_SECRET`, `METRICS_TOKEN` and
    /// the passwords inside `DATABASE_URL` and `SMTP_URL` shown as `***`.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        let secret = |key: Option<&ApiKey>| key.map(|_| REDACTED.to_owned()).unwrap_or_default();
        let switch = |on: bool| if on { "1" } else { "0" }.to_owned();
        let llm = &self.llm;
        let webhook = llm.webhook();
        let mut lines = vec![
            ("LEPTOS_SITE_ADDR", self.site_addr.to_string()),
            (
                "APP_ENV",
                match self.app_env {
                    AppEnv::Development => "development",
                    AppEnv::Production => "production",
                }
                .to_owned(),
            ),
            ("DATABASE_URL", self.db.url.redacted()),
            ("DB_MAX_CONNECTIONS", self.db.max_connections.to_string()),
            (
                "DB_ACQUIRE_TIMEOUT_SECONDS",
                self.db.acquire_timeout.as_secs().to_string(),
            ),
            ("PUBLIC_BASE_URL", self.public_base_url.to_string()),
            (
                "TRUSTED_PROXIES",
                self.trusted_proxies
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            ("DISABLE_HTTPS_REDIRECT", switch(!self.https_redirect)),
            ("RUST_LOG", self.log_filter.clone()),
            ("LEPTOS_SITE_ROOT", self.site_root.display().to_string()),
            ("SESSION_TTL_SECONDS", self.session_ttl_secs.to_string()),
            ("AUTH_COOKIE_NAME", self.cookie_name.clone()),
            (
                "SMTP_URL",
                self.mail
                    .smtp_url
                    .as_ref()
                    .map(SmtpUrl::redacted)
                    .unwrap_or_default(),
            ),
            ("MAIL_FROM", self.mail.from_address.clone()),
            ("MAIL_SENDER_NAME", self.mail.sender_name.clone()),
            (
                "MAIL_OUTBOX_DIR",
                self.mail.outbox_dir.display().to_string(),
            ),
            ("PWRESET_TOKEN_TTL", self.reset_token_ttl_secs.to_string()),
        ];
        let mut limits = self.rate_limits.clone();
        lines.extend(
            limits
                .fields()
                .into_iter()
                .map(|(var, limit)| (var, limit.to_string())),
        );
        lines.extend([
            (
                "LLM_PROVIDER",
                match llm.provider {
                    Provider::OpenAi => "openai",
                    Provider::Webhook(_) => "webhook",
                }
                .to_owned(),
            ),
            ("LLM_BASE_URL", llm.base_url.to_string()),
            ("LLM_API_KEY", secret(llm.api_key.as_ref())),
            ("LLM_MODEL", llm.models[0].clone()),
            ("LLM_MODELS", llm.models[1..].join(",")),
            ("LLM_SYSTEM_PROMPT", llm.system_prompt.clone()),
            (
                "LLM_ANSWER_IN_USER_LANGUAGE",
                switch(llm.answer_in_user_language),
            ),
            ("LLM_STREAM_USAGE", switch(llm.stream_usage)),
            (
                "LLM_HTTP2_PRIOR_KNOWLEDGE",
                switch(llm.http2_prior_knowledge),
            ),
            (
                "LLM_TIMEOUT_SECONDS",
                llm.first_token_timeout.as_secs().to_string(),
            ),
            (
                "LLM_IDLE_TIMEOUT_SECONDS",
                llm.idle_timeout.as_secs().to_string(),
            ),
            (
                "LLM_TOTAL_TIMEOUT_SECONDS",
                llm.total_timeout.as_secs().to_string(),
            ),
            ("MAX_HISTORY", llm.max_history.to_string()),
            ("MAX_HISTORY_CHARS", llm.max_history_chars.to_string()),
            ("CHAT_MAX_MESSAGE_CHARS", llm.max_message_chars.to_string()),
            (
                "WEBHOOK_URL",
                webhook.map(|w| w.url.to_string()).unwrap_or_default(),
            ),
            ("WEBHOOK_JWT_SECRET", secret(webhook.map(|w| &w.jwt_secret))),
            ("ARGON2_MEMORY_KIB", self.argon2.memory_kib.to_string()),
            ("ARGON2_ITERATIONS", self.argon2.iterations.to_string()),
            ("ARGON2_PARALLELISM", self.argon2.parallelism.to_string()),
            ("METRICS_TOKEN", secret(self.metrics_token.as_ref())),
            ("SIGNUP_MODE", self.accounts.signup_mode.as_str().to_owned()),
            (
                "REQUIRE_EMAIL_VERIFICATION",
                switch(self.accounts.require_email_verification),
            ),
            ("MFA_ENCRYPTION_KEY", secret(self.accounts.mfa_key.as_ref())),
        ]);
        // One line per setting, whatever a value holds (a system prompt may
        // span lines).
        for (_, value) in &mut lines {
            if value.contains(['\n', '\r', '\t']) {
                *value = value
                    .replace('\n', "\\n")
                    .replace('\r', "\\r")
                    .replace('\t', "\\t");
            }
        }
        lines
    }
}

/// `url` with its password, if any, replaced by `***`.
fn without_password(url: &mut Url) {
    if url.password().is_some() {
        let _ = url.set_password(Some(REDACTED));
    }
}

impl DatabaseUrl {
    /// The URL with any password, in the user part or in a `password=`
    /// query parameter (which the PostgreSQL driver also reads), replaced
    /// by `***`; `***` alone when it does not parse.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(url) => url.clone(),
            Self::Postgres(_) => match Url::parse(self.expose()) {
                Ok(mut url) => {
                    without_password(&mut url);
                    if url.query_pairs().any(|(k, _)| k == "password") {
                        let pairs: Vec<(String, String)> = url
                            .query_pairs()
                            .map(|(k, v)| {
                                let v = if k == "password" { REDACTED.into() } else { v };
                                (k.into_owned(), v.into_owned())
                            })
                            .collect();
                        url.query_pairs_mut().clear().extend_pairs(pairs);
                    }
                    url.to_string()
                }
                Err(_) => REDACTED.to_owned(),
            },
        }
    }
}

impl SmtpUrl {
    /// The URL with its password replaced by `***` (user, host, port and
    /// TLS options kept); `***` alone when it does not parse.
    pub fn redacted(&self) -> String {
        match Url::parse(self.expose()) {
            Ok(mut url) => {
                without_password(&mut url);
                url.to_string()
            }
            Err(_) => REDACTED.to_owned(),
        }
    }
}
