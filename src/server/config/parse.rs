//! The parsers every setting goes through: one for bounded numbers, one for
//! switches, one for address lists.

use std::{fmt::Display, ops::RangeInclusive, str::FromStr};

use ipnet::IpNet;

use super::ConfigError;

/// Looks a variable up, trimmed; an empty value counts as unset.
pub trait Lookup: Fn(&str) -> Option<String> {}
impl<F: Fn(&str) -> Option<String>> Lookup for F {}

/// A whole number within `range`, or `default` when unset. Every numeric
/// setting has an upper bound, so that no value can overflow later
/// arithmetic (a timeout of `u64::MAX` seconds panics when added to an
/// `Instant`): a value outside the range stops start-up with one line.
pub fn number<T>(
    get: &impl Lookup,
    var: &'static str,
    default: T,
    range: RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: FromStr + PartialOrd + Display + Copy,
{
    let Some(raw) = get(var) else {
        return Ok(default);
    };
    match raw.parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(ConfigError {
            var,
            reason: format!(
                "`{raw}` (expected a whole number from {} to {})",
                range.start(),
                range.end()
            ),
        }),
    }
}

/// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`.
pub fn switch(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(format!("`{other}` (expected 0 or 1)")),
    }
}

/// A comma list of CIDRs; a bare address counts as a single host.
pub fn cidrs(raw: &str) -> Result<Vec<IpNet>, String> {
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

/// One second to one day: the longest any timeout may be.
pub const TIMEOUT_SECS: RangeInclusive<u64> = 1..=86_400;
/// One second to one year: the longest any lifetime or window may be.
pub const LIFETIME_SECS: RangeInclusive<i64> = 1..=31_536_000;
