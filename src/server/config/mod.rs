//! Typed settings, read once at start-up from the environment (and `.env`).
//!
//! Every variable of `../shared/API.md` that the server uses is parsed here and
//! nowhere else. A bad value is a [`ConfigError`] that names the variable, so
//! `main` can print one line and exit non-zero. Settings are plain data: this
//! module imports nothing of the server, and each part (`db`, `limits`,
//! `llm`, `mail`) is handed to the layer that needs it.

pub mod accounts;
pub mod db;
mod describe;
pub mod limits;
pub mod llm;
pub mod mail;
mod parse;

use std::{fmt, net::SocketAddr, path::PathBuf};

use ipnet::IpNet;
use url::Url;

pub use self::{
    accounts::{AccountSettings, SignupMode},
    db::{DatabaseUrl, DbSettings},
    limits::{Limit, RateLimits},
    llm::{ApiKey, LlmSettings, Provider, WebhookSettings},
    mail::{MailSettings, SmtpUrl},
};
pub use describe::REDACTED;
use parse::{number, LIFETIME_SECS};

/// argon2id cost. The defaults are OWASP's minimum (m=19456 KiB, t=2, p=1);
/// configuration may raise them, never lower them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Argon2Cost {
    /// Memory in KiB (`ARGON2_MEMORY_KIB`).
    pub memory_kib: u32,
    /// Passes (`ARGON2_ITERATIONS`).
    pub iterations: u32,
    /// Lanes (`ARGON2_PARALLELISM`).
    pub parallelism: u32,
}

impl Argon2Cost {
    /// OWASP's minimum for argon2id.
    pub const MINIMUM: Self = Self {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
    };
}

/// Which kind of deployment this is. `production` turns on Secure cookies,
/// HSTS and the HTTPS redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppEnv {
    /// Local use: plain HTTP, human-readable logs.
    Development,
    /// Behind TLS: HSTS, HTTPS redirect, JSON logs.
    Production,
}

/// The start-up configuration of one Palaver process.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `LEPTOS_SITE_ADDR`: where the server listens (port 0 picks a free one).
    pub site_addr: SocketAddr,
    /// `APP_ENV`.
    pub app_env: AppEnv,
    /// `DATABASE_URL`, `DB_MAX_CONNECTIONS`, `DB_ACQUIRE_TIMEOUT_SECONDS`.
    pub db: DbSettings,
    /// `PUBLIC_BASE_URL`: the origin used in links inside e-mails.
    pub public_base_url: Url,
    /// `TRUSTED_PROXIES`: peers whose `X-Forwarded-*` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// False when `DISABLE_HTTPS_REDIRECT=1`.
    pub https_redirect: bool,
    /// `RUST_LOG`.
    pub log_filter: String,
    /// `LEPTOS_SITE_ROOT`: the built site (WASM, JS, CSS, public assets).
    pub site_root: PathBuf,
    /// `SESSION_TTL_SECONDS`: how long a session lives without use.
    pub session_ttl_secs: i64,
    /// `AUTH_COOKIE_NAME`: the session cookie.
    pub cookie_name: String,
    /// `RATE_LIMIT_*`.
    pub rate_limits: RateLimits,
    /// `ARGON2_*`.
    pub argon2: Argon2Cost,
    /// `SMTP_URL`, `MAIL_FROM`, `MAIL_SENDER_NAME`, `MAIL_OUTBOX_DIR`.
    pub mail: MailSettings,
    /// `PWRESET_TOKEN_TTL`: how long a reset link works, in seconds.
    pub reset_token_ttl_secs: i64,
    /// `LLM_*`, `MAX_HISTORY*`, `CHAT_MAX_MESSAGE_CHARS`.
    pub llm: LlmSettings,
    /// `METRICS_TOKEN`: when set, `GET /metrics` answers to this bearer
    /// token; unset, there is no such route (and no metrics are kept).
    pub metrics_token: Option<ApiKey>,
    /// `SIGNUP_MODE`, `REQUIRE_EMAIL_VERIFICATION`, `MFA_ENCRYPTION_KEY`.
    pub accounts: AccountSettings,
}

/// The shortest `METRICS_TOKEN` accepted.
pub const MIN_METRICS_TOKEN_BYTES: usize = 16;

/// A variable whose value cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The environment variable at fault.
    pub var: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.var, self.reason)
    }
}

impl std::error::Error for ConfigError {}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| {
            lookup(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let bad = |var: &'static str, reason: String| ConfigError { var, reason };

        let site_addr: SocketAddr = get("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| bad("LEPTOS_SITE_ADDR", format!("{e} (expected HOST:PORT)")))?;

        let app_env = match get("APP_ENV").as_deref().unwrap_or("development") {
            "development" => AppEnv::Development,
            "production" => AppEnv::Production,
            other => {
                return Err(bad(
                    "APP_ENV",
                    format!("`{other}` (expected development or production)"),
                ))
            }
        };

        let db = DbSettings::from_lookup(&get)?;

        let public_base_set = get("PUBLIC_BASE_URL").is_some();
        let public_base_url = match get("PUBLIC_BASE_URL") {
            Some(raw) => Url::parse(&raw).map_err(|e| bad("PUBLIC_BASE_URL", e.to_string()))?,
            None => Url::parse(&format!("http://{site_addr}"))
                .map_err(|e| bad("PUBLIC_BASE_URL", e.to_string()))?,
        };
        if !matches!(public_base_url.scheme(), "http" | "https") {
            return Err(bad(
                "PUBLIC_BASE_URL",
                "expected an http:// or https:// URL".into(),
            ));
        }

        let trusted_proxies = get("TRUSTED_PROXIES")
            .map(|raw| parse::cidrs(&raw))
            .transpose()
            .map_err(|e| bad("TRUSTED_PROXIES", e))?
            .unwrap_or_default();

        let https_redirect =
            !parse::switch(get("DISABLE_HTTPS_REDIRECT").as_deref().unwrap_or("0"))
                .map_err(|e| bad("DISABLE_HTTPS_REDIRECT", e))?;

        let log_filter = get("RUST_LOG").unwrap_or_else(|| "info".into());
        tracing_subscriber::EnvFilter::try_new(&log_filter)
            .map_err(|e| bad("RUST_LOG", e.to_string()))?;

        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()));

        let session_ttl_secs = number(&get, "SESSION_TTL_SECONDS", 604_800, LIFETIME_SECS)?;
        // In production the default name carries the `__Host-` prefix, which
        // browsers accept only with Secure, Path=/ and no Domain: a sibling
        // subdomain or a plain-http page cannot plant or overwrite it.
        let cookie_name = get("AUTH_COOKIE_NAME").unwrap_or_else(|| match app_env {
            AppEnv::Production => "__Host-palaver_session".into(),
            AppEnv::Development => "palaver_session".into(),
        });
        if !cookie_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        {
            return Err(bad(
                "AUTH_COOKIE_NAME",
                format!("`{cookie_name}` (letters, digits, _ - . only)"),
            ));
        }

        let mut rate_limits = RateLimits::default();
        for (var, limit) in rate_limits.fields() {
            if let Some(raw) = get(var) {
                *limit = Limit::parse(&raw).map_err(|e| bad(var, e))?;
            }
        }

        let min = Argon2Cost::MINIMUM;
        let argon2 = Argon2Cost {
            // Raised, never lowered; capped where argon2 itself (or memory) ends.
            memory_kib: number(
                &get,
                "ARGON2_MEMORY_KIB",
                min.memory_kib,
                min.memory_kib..=4_194_304,
            )?,
            iterations: number(
                &get,
                "ARGON2_ITERATIONS",
                min.iterations,
                min.iterations..=100,
            )?,
            parallelism: number(
                &get,
                "ARGON2_PARALLELISM",
                min.parallelism,
                min.parallelism..=64,
            )?,
        };

        let mail = MailSettings::from_lookup(&get, app_env)?;
        // Production redirects plain HTTP to PUBLIC_BASE_URL (never to the
        // request's Host), so that origin must be given, and be https.
        if app_env == AppEnv::Production
            && https_redirect
            && (!public_base_set || public_base_url.scheme() != "https")
        {
            return Err(bad(
                "PUBLIC_BASE_URL",
                "production needs the https:// address people use, e.g. \
                 https://chat.example.com (or DISABLE_HTTPS_REDIRECT=1 when served over plain http)"
                    .into(),
            ));
        }
        let reset_token_ttl_secs = number(&get, "PWRESET_TOKEN_TTL", 900, 60..=604_800)?;

        let llm = LlmSettings::from_lookup(&get, app_env)?;
        let metrics_token = get("METRICS_TOKEN").map(ApiKey::new);
        if let Some(token) = &metrics_token {
            // A scraper's token is typed once into its config; a short one
            // would be guessable from outside.
            if token.expose().len() < MIN_METRICS_TOKEN_BYTES {
                return Err(bad(
                    "METRICS_TOKEN",
                    format!("at least {MIN_METRICS_TOKEN_BYTES} characters, e.g. `openssl rand -hex 32`"),
                ));
            }
        }
        let accounts = AccountSettings::from_lookup(&get, app_env)?;
        Ok(Self {
            accounts,
            metrics_token,
            llm,
            mail,
            reset_token_ttl_secs,
            session_ttl_secs,
            cookie_name,
            rate_limits,
            argon2,
            site_addr,
            app_env,
            db,
            public_base_url,
            trusted_proxies,
            https_redirect,
            log_filter,
            site_root,
        })
    }

    /// True in production.
    pub fn is_production(&self) -> bool {
        self.app_env == AppEnv::Production
    }
}

#[cfg(test)]
mod tests;
