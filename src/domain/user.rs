//! An account, as storage returns it and its owner sees it.

use serde::{Deserialize, Serialize};

/// What an account may do. The first account of a database is `Admin`;
/// later ones are `User`, or `Pending` under `SIGNUP_MODE=approval` until an
/// admin approves them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = AccountRole))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees `/admin`, manages accounts and reads the audit log.
    Admin,
    /// Chats.
    #[default]
    User,
    /// Signed in, but waiting for an admin: cannot chat.
    Pending,
}

impl Role {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::User => "user",
            Self::Pending => "pending",
        }
    }

    /// The role named `s`, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "user" => Some(Self::User),
            "pending" => Some(Self::Pending),
            _ => None,
        }
    }
}

/// An account as shown to its owner (`GET /auth/me`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct User {
    /// Internal id.
    pub id: i64,
    /// Random public id.
    pub uid: String,
    /// Normalised e-mail.
    pub email: String,
    /// Normalised phone, if given.
    pub phone: Option<String>,
    /// The name shown in the app.
    pub display_name: String,
    /// False for a disabled account.
    pub is_active: bool,
    /// The language of its mails (`en`, `zh-CN`, `vi`).
    #[serde(default)]
    pub lang: String,
    /// What the account may do.
    #[serde(default)]
    pub role: Role,
    /// Whether two-factor sign-in is on.
    #[serde(default)]
    pub mfa: bool,
    /// Whether the address was confirmed (always true for accounts made
    /// while verification was not required).
    #[serde(default)]
    pub email_verified: bool,
}
