//! An account, as storage returns it and its owner sees it.

use serde::{Deserialize, Serialize};

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
}
