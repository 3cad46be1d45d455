//! `RATE_LIMIT_*`: how many hits each rule allows per window.

use std::fmt;

use super::parse::LIFETIME_SECS;

/// At most `max` hits per `window_secs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Hits allowed in one window.
    pub max: u32,
    /// Window length in seconds.
    pub window_secs: i64,
}

impl Limit {
    /// Parses `COUNT/SECONDS`, e.g. `10/600`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let (max, secs) = raw
            .split_once('/')
            .ok_or_else(|| format!("`{raw}` (expected COUNT/SECONDS, e.g. 10/600)"))?;
        let max: u32 = max
            .trim()
            .parse()
            .map_err(|_| format!("`{raw}`: bad count"))?;
        let window_secs: i64 = secs
            .trim()
            .parse()
            .map_err(|_| format!("`{raw}`: bad seconds"))?;
        if max == 0 || !LIFETIME_SECS.contains(&window_secs) {
            return Err(format!(
                "`{raw}`: the count must be positive and the window from {} to {} seconds",
                LIFETIME_SECS.start(),
                LIFETIME_SECS.end()
            ));
        }
        Ok(Self { max, window_secs })
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.max, self.window_secs)
    }
}

/// Every limit the app enforces, each configurable (`RATE_LIMIT_*`).
#[derive(Clone, Debug)]
pub struct RateLimits {
    /// Registrations per client address.
    pub register_ip: Limit,
    /// Registrations per e-mail address.
    pub register_email: Limit,
    /// Login attempts per client address.
    pub login_ip: Limit,
    /// Login attempts per identifier.
    pub login_identifier: Limit,
    /// Reset requests per client address.
    pub forgot_ip: Limit,
    /// Reset requests per identifier.
    pub forgot_identifier: Limit,
    /// Chat messages per user.
    pub chat_user: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            register_ip: Limit {
                max: 10,
                window_secs: 3600,
            },
            register_email: Limit {
                max: 3,
                window_secs: 3600,
            },
            login_ip: Limit {
                max: 10,
                window_secs: 600,
            },
            login_identifier: Limit {
                max: 10,
                window_secs: 600,
            },
            forgot_ip: Limit {
                max: 20,
                window_secs: 3600,
            },
            forgot_identifier: Limit {
                max: 5,
                window_secs: 3600,
            },
            chat_user: Limit {
                max: 30,
                window_secs: 60,
            },
        }
    }
}

impl RateLimits {
    /// The environment variable and field of each limit, for configuration.
    pub fn fields(&mut self) -> [(&'static str, &mut Limit); 7] {
        [
            ("RATE_LIMIT_REGISTER_IP", &mut self.register_ip),
            ("RATE_LIMIT_REGISTER_EMAIL", &mut self.register_email),
            ("RATE_LIMIT_LOGIN_IP", &mut self.login_ip),
            ("RATE_LIMIT_LOGIN_IDENTIFIER", &mut self.login_identifier),
            ("RATE_LIMIT_FORGOT_IP", &mut self.forgot_ip),
            ("RATE_LIMIT_FORGOT_IDENTIFIER", &mut self.forgot_identifier),
            ("RATE_LIMIT_CHAT_USER", &mut self.chat_user),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_count_per_seconds() {
        assert_eq!(
            Limit::parse("10/600").unwrap(),
            Limit {
                max: 10,
                window_secs: 600
            }
        );
        for bad in ["10", "x/600", "10/x", "0/60", "5/-1", "5/99999999999"] {
            assert!(Limit::parse(bad).is_err(), "{bad}");
        }
    }
}
