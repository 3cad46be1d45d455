//! `SMTP_URL`, `MAIL_*`: how mail leaves the app.

use std::{fmt, path::PathBuf};

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::{parse::Lookup, AppEnv, ConfigError};

/// `SMTP_URL`, whose credentials must never reach a log.
#[derive(Clone)]
pub struct SmtpUrl(SecretString);

impl SmtpUrl {
    /// The URL with its password, for the transport only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// True when the URL asks for TLS (implicit, or STARTTLS required/opportunistic).
    pub fn uses_tls(&self) -> bool {
        let url = self.expose();
        url.starts_with("smtps://")
            || url.contains("tls=required")
            || url.contains("tls=opportunistic")
    }
}

impl fmt::Debug for SmtpUrl {
    /// Scheme, host and port only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Url::parse(self.expose()) {
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

impl MailSettings {
    /// Reads the variables through `get`. Production refuses to start
    /// without SMTP: it would answer "check your inbox" and send nothing.
    pub fn from_lookup(get: &impl Lookup, env: AppEnv) -> Result<Self, ConfigError> {
        let bad = |var: &'static str, reason: String| ConfigError { var, reason };
        let smtp_url = match get("SMTP_URL") {
            Some(raw) => {
                let url = Url::parse(&raw).map_err(|e| bad("SMTP_URL", e.to_string()))?;
                if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
                    return Err(bad(
                        "SMTP_URL",
                        "expected smtp://HOST:PORT or smtps://USER:PASS@HOST:PORT".into(),
                    ));
                }
                Some(SmtpUrl(raw.into()))
            }
            None if env == AppEnv::Production => {
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
        Ok(Self {
            smtp_url,
            from_address,
            sender_name: get("MAIL_SENDER_NAME").unwrap_or_else(|| "Palaver".into()),
            outbox_dir: PathBuf::from(
                get("MAIL_OUTBOX_DIR").unwrap_or_else(|| "data/outbox".into()),
            ),
        })
    }
}
