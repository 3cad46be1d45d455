//! Validated input types: pure, no I/O, shared by the server and the browser
//! (the browser uses them for the strength meter and early hints; the server
//! is the authority).

pub mod account;
pub mod chat;
pub mod dates;
mod password;
mod user;

pub use password::{strength, Password, PasswordError};
pub use user::{Role, User};

use serde::{Deserialize, Serialize};

/// The value of cookie `name` in a `Cookie` header (or `document.cookie`,
/// which has the same shape), if it is there.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

/// Why a string is not an e-mail address. The words for people live with
/// `AppError`, which every reason maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailError {
    /// Longer than 254 characters, or a local part over 64.
    TooLong,
    /// Not `local@domain.tld`, or with spaces or control characters.
    Malformed,
}

/// An e-mail address: trimmed, lower-cased, plausibly deliverable.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Trims and lower-cases `raw`, and checks its shape (one `@`, a dotted
    /// domain, no spaces, at most 254 characters). Non-ASCII is allowed.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim().to_lowercase();
        let (local, domain) = email.rsplit_once('@').ok_or(EmailError::Malformed)?;
        if email.chars().count() > 254 || local.chars().count() > 64 {
            return Err(EmailError::TooLong);
        }
        let ok = !local.is_empty()
            && !local.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Self(email))
        } else {
            Err(EmailError::Malformed)
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

/// Why a display name is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisplayNameError {
    /// Blank once trimmed.
    Empty,
    /// Over 64 characters.
    TooLong,
    /// A control character (newline, tab, escape...).
    ControlCharacter,
}

/// A name shown to people: 1 to 64 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    /// Trims `raw` and checks its length and characters.
    pub fn parse(raw: &str) -> Result<Self, DisplayNameError> {
        let name = raw.trim();
        match name.chars().count() {
            0 => Err(DisplayNameError::Empty),
            65.. => Err(DisplayNameError::TooLong),
            _ if name.chars().any(char::is_control) => Err(DisplayNameError::ControlCharacter),
            _ => Ok(Self(name.to_owned())),
        }
    }

    /// The name a new account gets: `given` when it is not blank, else the
    /// e-mail's local part (the rule of registration and `palaver user create`).
    pub fn for_account(given: Option<&str>, email: &Email) -> Result<Self, DisplayNameError> {
        match given.map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => Self::parse(name),
            None => Self::parse(email.local_part()),
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a phone number is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Something other than digits, spaces, dots, dashes, parentheses and a leading `+`.
    Character,
    /// Fewer than 7 or more than 15 digits.
    Length,
}

/// A phone number in E.164 shape: an optional `+` and 7 to 15 digits, with
/// spaces, dots, dashes and parentheses removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    /// Normalises `raw`; `Ok(None)` when it is blank.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, PhoneError> {
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
                _ => return Err(PhoneError::Character),
            }
        }
        if !(7..=15).contains(&digits.len()) {
            return Err(PhoneError::Length);
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
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad:?}");
        }
        assert_eq!(
            Email::parse(&format!("{}@example.com", "a".repeat(65))),
            Err(EmailError::TooLong)
        );
        assert_eq!(
            Email::parse(&format!("a@{}.com", "b".repeat(250))),
            Err(EmailError::TooLong)
        );
    }

    #[test]
    fn display_names_keep_non_ascii() {
        assert_eq!(
            DisplayName::parse(" Nguyễn Thị Minh ").unwrap().as_str(),
            "Nguyễn Thị Minh"
        );
        assert_eq!(DisplayName::parse("   "), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse(&"名".repeat(65)),
            Err(DisplayNameError::TooLong)
        );
        assert!(DisplayName::parse(&"名".repeat(64)).is_ok());
        assert_eq!(
            DisplayName::parse("Ada\u{1b}[31m"),
            Err(DisplayNameError::ControlCharacter)
        );
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
        assert_eq!(
            Phone::parse_optional(Some("12ab")),
            Err(PhoneError::Character)
        );
        assert_eq!(Phone::parse_optional(Some("123")), Err(PhoneError::Length));
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
