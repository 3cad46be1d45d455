//! Validated input types: pure, no I/O, shared by the server and the browser
//! (the browser uses them for the strength meter and early hints; the server
//! is the authority).

pub mod chat;
mod password;
mod user;

pub use password::{strength, Password, WEAK_PASSWORD};
pub use user::User;

use serde::{Deserialize, Serialize};

/// The message for an address that cannot be an e-mail address.
pub const INVALID_EMAIL: &str = "Please enter a valid e-mail address";

/// The message for a reset token that is unknown, used, or expired.
pub const INVALID_RESET_LINK: &str =
    "This reset link is invalid, already used, or expired. Please ask for a new one.";

/// An e-mail address: trimmed, lower-cased, plausibly deliverable.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Trims and lower-cases `raw`, and checks its shape (one `@`, a dotted
    /// domain, no spaces, at most 254 characters). Non-ASCII is allowed.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        let (local, domain) = email.rsplit_once('@').ok_or(INVALID_EMAIL)?;
        let ok = email.chars().count() <= 254
            && !local.is_empty()
            && local.chars().count() <= 64
            && !local.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Self(email))
        } else {
            Err(INVALID_EMAIL)
        }
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`, used as a default display name.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

/// A name shown to people: 1 to 64 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    /// Trims `raw` and checks its length and characters.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let name = raw.trim();
        let len = name.chars().count();
        if len == 0 || len > 64 || name.chars().any(char::is_control) {
            return Err("The display name must be 1 to 64 characters");
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number in E.164 shape: an optional `+` and 7 to 15 digits, with
/// spaces, dots, dashes and parentheses removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    /// Normalises `raw`; `Ok(None)` when it is blank.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, &'static str> {
        let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let (plus, rest) = match raw.strip_prefix('+') {
            Some(rest) => ("+", rest),
            None => ("", raw),
        };
        let mut digits = String::new();
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' => {}
                _ => return Err("Please enter a valid phone number"),
            }
        }
        if !(7..=15).contains(&digits.len()) {
            return Err("Please enter a valid phone number");
        }
        Ok(Some(Self(format!("{plus}{digits}"))))
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Alice@Example.COM ").unwrap().as_str(),
            "alice@example.com"
        );
        assert_eq!(
            Email::parse("Zoë@Exämple.org").unwrap().as_str(),
            "zoë@exämple.org"
        );
        assert_eq!(
            Email::parse("ALICE@example.com").unwrap().local_part(),
            "alice"
        );
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in [
            "",
            "alice",
            "@example.com",
            "alice@",
            "alice@example",
            "a b@example.com",
            "alice@.example.com",
            "alice@example..com",
            "alice@example.com.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(65))).is_err());
    }

    #[test]
    fn display_names_keep_non_ascii() {
        assert_eq!(
            DisplayName::parse(" Nguyễn Thị Minh ").unwrap().as_str(),
            "Nguyễn Thị Minh"
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"名".repeat(65)).is_err());
        assert!(DisplayName::parse(&"名".repeat(64)).is_ok());
    }

    #[test]
    fn phones_are_normalised() {
        assert_eq!(
            Phone::parse_optional(Some("+1 (555) 010-9999"))
                .unwrap()
                .unwrap()
                .as_str(),
            "+15550109999"
        );
        assert_eq!(Phone::parse_optional(Some("  ")).unwrap(), None);
        assert_eq!(Phone::parse_optional(None).unwrap(), None);
        assert!(Phone::parse_optional(Some("12ab")).is_err());
        assert!(Phone::parse_optional(Some("123")).is_err());
    }
}

/// Percent-encodes a path for use inside a query value.
pub fn urlencoding(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where to go after signing in: `next` when it is a path on this site, else
/// `/app`. Anything that could leave the site (`//evil`, `/\evil`,
/// `https://...`) is refused, so there is no open redirect.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control() || c == '\\') =>
        {
            path.to_owned()
        }
        _ => "/app".to_owned(),
    }
}

#[cfg(test)]
mod next_tests {
    use super::safe_next;

    #[test]
    fn only_same_site_paths_are_followed() {
        assert_eq!(safe_next(Some("/app?c=1")), "/app?c=1");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil",
            "",
            "/a\\b",
            "/a\tb",
        ] {
            assert_eq!(safe_next(Some(bad)), "/app", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/app");
    }
}
