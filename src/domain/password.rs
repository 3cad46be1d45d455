//! The password policy and a strength estimate for the meter.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which rule of the policy a password breaks. It travels in error bodies as
/// `"reason"` (e.g. `"too_short"`), so that a page can say why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PasswordError {
    /// Fewer than 8 characters.
    TooShort,
    /// More than 128 characters.
    TooLong,
    /// Fewer than two of letters, digits and other characters.
    OneKindOfCharacter,
    /// On the common-password list, in any case.
    Common,
}

/// The shortest password the policy accepts, in characters.
pub const MIN_LEN: usize = 8;
/// The longest password the policy accepts, in characters.
pub const MAX_LEN: usize = 128;

impl PasswordError {
    /// The snake-case name it travels under (`"too_short"`), as serde spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::OneKindOfCharacter => "one_kind_of_character",
            Self::Common => "common",
        }
    }

    /// The inverse of [`PasswordError::as_str`]; anything else is `None`.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::TooShort,
            Self::TooLong,
            Self::OneKindOfCharacter,
            Self::Common,
        ]
        .into_iter()
        .find(|r| r.as_str() == name)
    }
}

/// One sentence per rule, so that a refusal says which rule it was.
impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::tr;
        match self {
            Self::TooShort => f.write_str(&tr!(errors.password_too_short, min = MIN_LEN)),
            Self::TooLong => f.write_str(&tr!(errors.password_too_long, max = MAX_LEN)),
            Self::OneKindOfCharacter => f.write_str(tr!(errors.password_one_kind)),
            Self::Common => f.write_str(tr!(errors.password_common)),
        }
    }
}

const COMMON: &str = include_str!("common_passwords.txt");

/// A password that passed the policy. Its `Debug` hides it and it has no
/// `Serialize`, so it cannot end up in a log or a response by accident.
#[derive(Clone)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Which kinds of character a password mixes: letters, digits, others.
fn classes(pw: &str) -> usize {
    let letters = pw.chars().any(char::is_alphabetic);
    let digits = pw.chars().any(|c| c.is_ascii_digit());
    let others = pw
        .chars()
        .any(|c| !c.is_alphabetic() && !c.is_ascii_digit());
    [letters, digits, others].into_iter().filter(|b| *b).count()
}

fn is_common(pw: &str) -> bool {
    let lower = pw.to_lowercase();
    COMMON.lines().any(|line| line == lower)
}

impl Password {
    /// The contract's policy: 8 to 128 characters, at least two of letters,
    /// digits and other characters, and not on the common-password list.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        match raw.chars().count() {
            n if n < MIN_LEN => Err(PasswordError::TooShort),
            n if n > MAX_LEN => Err(PasswordError::TooLong),
            _ if classes(raw) < 2 => Err(PasswordError::OneKindOfCharacter),
            _ if is_common(raw) => Err(PasswordError::Common),
            _ => Ok(Self(raw.to_owned())),
        }
    }

    /// The secret itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A 0 (refused) to 4 (strong) estimate for the meter on the pages. Anything
/// the policy refuses scores 0, so the meter never calls a refused password good.
pub fn strength(pw: &str) -> u8 {
    if Password::parse(pw).is_err() {
        return 0;
    }
    let len = pw.chars().count();
    let mut score = 1;
    if len >= 12 {
        score += 1;
    }
    if len >= 16 {
        score += 1;
    }
    if classes(pw) == 3 {
        score += 1;
    }
    score.min(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_matches_the_contract() {
        assert!(Password::parse("abcdefg1").is_ok());
        assert!(Password::parse("abc def!").is_ok());
        assert!(Password::parse("12345678!").is_ok());
        let refused = |pw: &str| Password::parse(pw).err();
        assert_eq!(refused("abcdef1"), Some(PasswordError::TooShort));
        assert_eq!(refused(""), Some(PasswordError::TooShort));
        assert_eq!(refused("abcdefgh"), Some(PasswordError::OneKindOfCharacter));
        assert_eq!(refused("12345678"), Some(PasswordError::OneKindOfCharacter));
        assert_eq!(
            refused(&format!("{}1", "a".repeat(128))),
            Some(PasswordError::TooLong)
        );
        assert!(Password::parse(&format!("{}1", "a".repeat(127))).is_ok());
        assert!(
            Password::parse("密码密码密码12").is_ok(),
            "non-ASCII letters count"
        );
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        // A common password that is also one kind of character names the
        // first rule it breaks.
        assert_eq!(
            Password::parse("password").err(),
            Some(PasswordError::OneKindOfCharacter)
        );
        assert_eq!(
            Password::parse("Password1").err(),
            Some(PasswordError::Common)
        );
        assert_eq!(
            Password::parse("QWERTY123").err(),
            Some(PasswordError::Common)
        );
        assert!(Password::parse("Tr0ub4dor&3x").is_ok());
    }

    #[test]
    fn reasons_travel_as_snake_case() {
        assert_eq!(
            serde_json::to_value(PasswordError::OneKindOfCharacter).unwrap(),
            "one_kind_of_character"
        );
        let back: PasswordError = serde_json::from_value("too_short".into()).unwrap();
        assert_eq!(back, PasswordError::TooShort);
        for r in [
            PasswordError::TooShort,
            PasswordError::TooLong,
            PasswordError::OneKindOfCharacter,
            PasswordError::Common,
        ] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
            assert_eq!(PasswordError::from_name(r.as_str()), Some(r));
        }
        assert_eq!(PasswordError::from_name("<b>"), None);
    }

    #[test]
    fn each_refusal_names_its_reason() {
        let message = |pw: &str| Password::parse(pw).unwrap_err().to_string();
        let short = message("abc1");
        assert!(short.contains("too short"), "{short}");
        assert!(short.contains("at least 8 characters"), "{short}");
        let long = message(&"a1".repeat(65));
        assert!(long.contains("too long"), "{long}");
        assert!(long.contains("at most 128 characters"), "{long}");
        let one_kind = message("onlyletters");
        assert!(
            one_kind.contains("only one kind of character"),
            "{one_kind}"
        );
        assert!(
            one_kind.contains("letters, digits and symbols"),
            "{one_kind}"
        );
        let common = message("Password123");
        assert!(common.contains("common password"), "{common}");
    }

    #[test]
    fn debug_hides_the_secret() {
        let pw = Password::parse("s3cret-value").unwrap();
        assert!(!format!("{pw:?}").contains("s3cret"));
    }

    #[test]
    fn strength_grows_with_length_and_variety() {
        assert_eq!(strength("password1"), 0);
        assert_eq!(strength("short1"), 0);
        assert_eq!(strength("abcdefg1"), 1);
        assert_eq!(strength("abcdefghijk1"), 2);
        assert_eq!(strength("abcdefghijklmno1!"), 4);
    }
}
