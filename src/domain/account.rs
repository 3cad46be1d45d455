//! Accounts, v2, as the API shows them: the admin's list, sessions, the
//! audit log, two-factor setup, API keys. Shared by the server and the pages.

use serde::{Deserialize, Serialize};

/// One account as `GET /api/admin/users` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"id": 2, "uid": "u_7HkP2mxa", "email": "bo@example.com", "display_name": "Bo", "role": "user", "is_active": true, "mfa": false, "created_at": 1764750000, "last_login_at": 1764836400})))]
pub struct AdminUser {
    /// Internal id.
    pub id: i64,
    /// Public id.
    pub uid: String,
    /// Normalised e-mail.
    pub email: String,
    /// Shown name.
    pub display_name: String,
    /// `admin`, `user` or `pending`.
    pub role: String,
    /// False when deactivated.
    pub is_active: bool,
    /// Whether two-factor sign-in is on.
    pub mfa: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last successful sign-in.
    pub last_login_at: Option<i64>,
}

/// One stored event, as `GET /api/admin/audit` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"id": 41, "at": 1764836400, "kind": "login", "user_id": 2, "actor_id": 2, "ip": "203.0.113.7", "detail": "{}"})))]
pub struct AuditRow {
    /// Its place in the chain (1, 2, ...).
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// What happened.
    pub kind: String,
    /// Whose account.
    pub user_id: Option<i64>,
    /// Who did it, if not the user.
    pub actor_id: Option<i64>,
    /// From where.
    pub ip: Option<String>,
    /// More about it: a JSON object, as text.
    pub detail: String,
    /// The previous row's hash.
    #[serde(skip, default)]
    pub prev_hash: String,
    /// This row's hash.
    #[serde(skip, default)]
    pub hash: String,
}

/// One session as `GET /auth/sessions` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"id": "s_3f9a", "created_at": 1764750000, "last_seen_at": 1764836400, "ip": "203.0.113.7", "user_agent": "Mozilla/5.0", "current": true})))]
pub struct SessionView {
    /// Its id for revoking: the hash it is stored under, not the cookie.
    pub id: String,
    /// When it signed in.
    pub created_at: Option<i64>,
    /// When it was last used (its expiry minus its lifetime: sessions
    /// expire after a time without use).
    pub last_seen_at: i64,
    /// From where it signed in.
    pub ip: Option<String>,
    /// With which browser.
    pub user_agent: Option<String>,
    /// Whether it is the session asking.
    pub current: bool,
}

/// `POST /auth/mfa/setup`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "secret": "JBSWY3DPEHPK3PXP", "otpauth_url": "otpauth://totp/Palaver:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Palaver", "qr_svg": "<svg ...>"})))]
pub struct MfaSetup {
    /// Always true.
    pub ok: bool,
    /// The secret in base32, for typing into an app.
    pub secret: String,
    /// The `otpauth://` link the QR code holds.
    pub otpauth_url: String,
    /// The QR code, as an SVG document.
    pub qr_svg: String,
}

/// API keys one account may hold.
pub const MAX_API_KEYS: usize = 20;
/// The longest name of an API key, in characters.
pub const MAX_API_KEY_NAME_CHARS: usize = 60;

/// One API key as its owner sees it (never the key itself): its form in
/// `GET /auth/api-keys` and on `/settings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"id": 1, "name": "backup script", "hint": "x9Qa", "created_at": 1764750000, "last_used_at": 1764753600})))]
pub struct ApiKeyRow {
    /// Its id, for revoking it.
    pub id: i64,
    /// What its owner called it.
    pub name: String,
    /// The key's last four characters.
    pub hint: String,
    /// When it was made (Unix seconds).
    pub created_at: i64,
    /// When it was last used, to the minute; `None` if never.
    pub last_used_at: Option<i64>,
}
