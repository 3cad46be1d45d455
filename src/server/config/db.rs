//! `DATABASE_URL` and the pool settings.

use std::{fmt, time::Duration};

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::{
    parse::{number, Lookup, TIMEOUT_SECS},
    ConfigError,
};

/// Where the data lives, chosen by the scheme of `DATABASE_URL`.
#[derive(Clone)]
pub enum DatabaseUrl {
    /// `sqlite://path` (relative to the working directory) or `sqlite:///abs/path`.
    Sqlite(String),
    /// `postgres://...` or `postgresql://...`; may carry a password.
    Postgres(SecretString),
}

impl DatabaseUrl {
    /// Parses a URL of a known scheme.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let (scheme, _) = raw
            .split_once("://")
            .ok_or_else(|| "expected sqlite://PATH or postgres://...".to_owned())?;
        match scheme {
            "sqlite" => Ok(Self::Sqlite(raw.to_owned())),
            "postgres" | "postgresql" => {
                // The parser's message names the problem, never the password.
                Url::parse(raw).map_err(|e| e.to_string())?;
                Ok(Self::Postgres(raw.into()))
            }
            other => Err(format!(
                "unknown scheme `{other}` (use sqlite:// or postgres://)"
            )),
        }
    }

    /// The file of a SQLite URL (`sqlite://data/palaver.db` gives
    /// `data/palaver.db`); `None` for PostgreSQL or an in-memory database.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        match self {
            Self::Sqlite(url) => {
                let rest = url.strip_prefix("sqlite://")?;
                let path = rest.split('?').next().unwrap_or_default();
                (!path.is_empty() && !path.contains(":memory:")).then(|| path.into())
            }
            Self::Postgres(_) => None,
        }
    }

    /// The URL with its password, for the driver only.
    pub fn expose(&self) -> &str {
        match self {
            Self::Sqlite(url) => url,
            Self::Postgres(url) => url.expose_secret(),
        }
    }
}

impl PartialEq for DatabaseUrl {
    fn eq(&self, other: &Self) -> bool {
        matches!(
            (self, other),
            (Self::Sqlite(_), Self::Sqlite(_)) | (Self::Postgres(_), Self::Postgres(_))
        ) && self.expose() == other.expose()
    }
}

impl fmt::Debug for DatabaseUrl {
    /// The URL with any password replaced by `***` (see [`DatabaseUrl::redacted`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(url) => write!(f, "Sqlite({url})"),
            Self::Postgres(_) => write!(f, "Postgres({})", self.redacted()),
        }
    }
}

/// `DATABASE_URL`, `DB_MAX_CONNECTIONS`, `DB_ACQUIRE_TIMEOUT_SECONDS`.
#[derive(Clone, Debug, PartialEq)]
pub struct DbSettings {
    /// Which database.
    pub url: DatabaseUrl,
    /// Connections per instance.
    pub max_connections: u32,
    /// How long a request waits for a free connection.
    pub acquire_timeout: Duration,
}

impl DbSettings {
    /// Reads the variables through `get`.
    pub fn from_lookup(get: &impl Lookup) -> Result<Self, ConfigError> {
        let url = DatabaseUrl::parse(
            &get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/palaver.db".into()),
        )
        .map_err(|reason| ConfigError {
            var: "DATABASE_URL",
            reason,
        })?;
        Ok(Self {
            url,
            max_connections: number(get, "DB_MAX_CONNECTIONS", 10, 1..=1_000)?,
            acquire_timeout: Duration::from_secs(number(
                get,
                "DB_ACQUIRE_TIMEOUT_SECONDS",
                5,
                TIMEOUT_SECS,
            )?),
        })
    }
}
