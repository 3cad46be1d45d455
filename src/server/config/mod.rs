//! Typed settings, read once at start-up from the environment (and `.env`).
//!
//! Every variable of `../shared/API.md` that the server uses is parsed here and
//! nowhere else. A bad value is a [`ConfigError`] that names the variable, so
//! `main` can print one line and exit non-zero.

use std::{fmt, net::SocketAddr, path::PathBuf};

use ipnet::IpNet;
use url::Url;

use super::{db::PoolSettings, llm::LlmSettings, rate_limit::RateLimits};

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

/// `SMTP_URL`, whose credentials must never reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    /// The URL with its password, for the transport only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the URL asks for TLS (implicit, or STARTTLS required/opportunistic).
    pub fn uses_tls(&self) -> bool {
        self.0.starts_with("smtps://")
            || self.0.contains("tls=required")
            || self.0.contains("tls=opportunistic")
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Url::parse(&self.0) {
            Ok(url) => write!(
                f,
                "SmtpUrl({}://{}:{})",
                url.scheme(),
                url.host_str().unwrap_or(""),
                url.port().unwrap_or(0)
            ),
            Err(_) => f.write_str("SmtpUrl(***)"),
        }
    }
}

/// How mail leaves the app.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `SMTP_URL`; `None` writes `.eml` files to `outbox_dir` (development only).
    pub smtp_url: Option<SmtpUrl>,
    /// `MAIL_FROM`.
    pub from_address: String,
    /// `MAIL_SENDER_NAME`.
    pub sender_name: String,
    /// `MAIL_OUTBOX_DIR`: where the file transport writes.
    pub outbox_dir: PathBuf,
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

/// Where the data lives, chosen by the scheme of `DATABASE_URL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://path` (relative to the working directory) or `sqlite:///abs/path`.
    Sqlite(String),
    /// `postgres://...` or `postgresql://...`.
    Postgres(String),
}

impl DatabaseUrl {
    fn parse(raw: &str) -> Result<Self, String> {
        let (scheme, _) = raw
            .split_once("://")
            .ok_or_else(|| "expected sqlite://PATH or postgres://...".to_owned())?;
        match scheme {
            "sqlite" => Ok(Self::Sqlite(raw.to_owned())),
            "postgres" | "postgresql" => {
                Url::parse(raw).map_err(|e| e.to_string())?;
                Ok(Self::Postgres(raw.to_owned()))
            }
            other => Err(format!(
                "unknown scheme `{other}` (use sqlite:// or postgres://)"
            )),
        }
    }
}

/// The start-up configuration of one Palaver process.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `LEPTOS_SITE_ADDR`: where the server listens (port 0 picks a free one).
    pub site_addr: SocketAddr,
    /// `APP_ENV`.
    pub app_env: AppEnv,
    /// `DATABASE_URL`.
    pub database_url: DatabaseUrl,
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
    /// `DB_MAX_CONNECTIONS`, `DB_ACQUIRE_TIMEOUT_SECONDS`.
    pub db_pool: PoolSettings,
}

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

        let database_url = DatabaseUrl::parse(
            &get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/palaver.db".into()),
        )
        .map_err(|e| bad("DATABASE_URL", e))?;

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
            .map(|raw| parse_cidrs(&raw))
            .transpose()
            .map_err(|e| bad("TRUSTED_PROXIES", e))?
            .unwrap_or_default();

        let https_redirect = !parse_bool(get("DISABLE_HTTPS_REDIRECT").as_deref().unwrap_or("0"))
            .map_err(|e| bad("DISABLE_HTTPS_REDIRECT", e))?;

        let log_filter = get("RUST_LOG").unwrap_or_else(|| "info".into());
        tracing_subscriber::EnvFilter::try_new(&log_filter)
            .map_err(|e| bad("RUST_LOG", e.to_string()))?;

        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()));

        let session_ttl_secs = parse_positive(&get, "SESSION_TTL_SECONDS", 604_800)?;
        let cookie_name = get("AUTH_COOKIE_NAME").unwrap_or_else(|| "palaver_session".into());
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
                *limit = super::rate_limit::Limit::parse(&raw).map_err(|e| bad(var, e))?;
            }
        }

        let min = Argon2Cost::MINIMUM;
        let argon2 = Argon2Cost {
            memory_kib: parse_at_least(&get, "ARGON2_MEMORY_KIB", min.memory_kib)?,
            iterations: parse_at_least(&get, "ARGON2_ITERATIONS", min.iterations)?,
            parallelism: parse_at_least(&get, "ARGON2_PARALLELISM", min.parallelism)?,
        };

        let smtp_url = match get("SMTP_URL") {
            Some(raw) => {
                let url = Url::parse(&raw).map_err(|e| bad("SMTP_URL", e.to_string()))?;
                if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
                    return Err(bad(
                        "SMTP_URL",
                        "expected smtp://HOST:PORT or smtps://USER:PASS@HOST:PORT".into(),
                    ));
                }
                Some(SmtpUrl(raw))
            }
            None if app_env == AppEnv::Production => {
                return Err(bad(
                    "SMTP_URL",
                    "required in production, where mail cannot go to the file outbox \
                     (set SMTP_URL, or APP_ENV=development to try Palaver out)"
                        .into(),
                ));
            }
            None => None,
        };
        let from_address = get("MAIL_FROM").unwrap_or_else(|| "noreply@localhost".into());
        if from_address.parse::<lettre::Address>().is_err() {
            return Err(bad(
                "MAIL_FROM",
                format!("`{from_address}` is not an e-mail address"),
            ));
        }
        let mail = MailSettings {
            smtp_url,
            from_address,
            sender_name: get("MAIL_SENDER_NAME").unwrap_or_else(|| "Palaver".into()),
            outbox_dir: PathBuf::from(
                get("MAIL_OUTBOX_DIR").unwrap_or_else(|| "data/outbox".into()),
            ),
        };
        let reset_token_ttl_secs = parse_positive(&get, "PWRESET_TOKEN_TTL", 900)?;

        let llm = LlmSettings::from_lookup(&get)?;
        let db_pool = PoolSettings {
            max_connections: match get("DB_MAX_CONNECTIONS") {
                None => 10,
                Some(_) => parse_at_least(&get, "DB_MAX_CONNECTIONS", 1)?,
            },
            acquire_timeout: std::time::Duration::from_secs(parse_positive(
                &get,
                "DB_ACQUIRE_TIMEOUT_SECONDS",
                5,
            )? as u64),
        };

        Ok(Self {
            db_pool,
            llm,
            mail,
            reset_token_ttl_secs,
            session_ttl_secs,
            cookie_name,
            rate_limits,
            argon2,
            site_addr,
            app_env,
            database_url,
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

fn parse_positive(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: i64,
) -> Result<i64, ConfigError> {
    match get(var) {
        None => Ok(default),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ConfigError {
                var,
                reason: format!("`{raw}` (expected a positive number)"),
            }),
        },
    }
}

/// A number no lower than `min` (which is also the default).
fn parse_at_least(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    min: u32,
) -> Result<u32, ConfigError> {
    match get(var) {
        None => Ok(min),
        Some(raw) => match raw.parse::<u32>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(ConfigError {
                var,
                reason: format!("`{raw}` (expected a number of at least {min})"),
            }),
        },
    }
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(format!("`{other}` (expected 0 or 1)")),
    }
}

/// Parses a comma list of CIDRs; a bare address counts as a single host.
fn parse_cidrs(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{s}` is not a CIDR or IP address"))
        })
        .collect()
}

#[cfg(test)]
mod tests;
