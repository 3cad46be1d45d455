//! `SIGNUP_MODE`, `REQUIRE_EMAIL_VERIFICATION` and `MFA_ENCRYPTION_KEY`:
//! who may make an account, and how second factors are kept.

use super::{parse, ApiKey, AppEnv, ConfigError};

/// Who may register (`SIGNUP_MODE`). The first account of a database is an
/// admin in every mode, so a new install can always be set up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignupMode {
    /// Anyone registers and chats.
    #[default]
    Open,
    /// New accounts wait (`pending`) until an admin approves them.
    Approval,
    /// `POST /auth/register` is refused; admins create accounts.
    Closed,
}

impl SignupMode {
    /// The setting's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Approval => "approval",
            Self::Closed => "closed",
        }
    }
}

/// The account settings.
#[derive(Clone, Debug, Default)]
pub struct AccountSettings {
    /// `SIGNUP_MODE`.
    pub signup_mode: SignupMode,
    /// `REQUIRE_EMAIL_VERIFICATION`: new accounts confirm their address
    /// before they can chat.
    pub require_email_verification: bool,
    /// `MFA_ENCRYPTION_KEY`: 32 bytes, as 64 hex digits, that encrypt TOTP
    /// secrets at rest. Unset in development, a key is made and kept under
    /// `data/`; unset in production, two-factor setup is refused with a
    /// message naming the variable.
    pub mfa_key: Option<ApiKey>,
}

impl AccountSettings {
    /// Reads the account settings.
    pub fn from_lookup(get: &impl parse::Lookup, _env: AppEnv) -> Result<Self, ConfigError> {
        let bad = |var: &'static str, reason: String| ConfigError { var, reason };
        let signup_mode = match get("SIGNUP_MODE").as_deref().unwrap_or("open") {
            "open" => SignupMode::Open,
            "approval" => SignupMode::Approval,
            "closed" => SignupMode::Closed,
            other => {
                return Err(bad(
                    "SIGNUP_MODE",
                    format!("`{other}` (expected open, approval or closed)"),
                ))
            }
        };
        let require_email_verification =
            parse::switch(get("REQUIRE_EMAIL_VERIFICATION").as_deref().unwrap_or("0"))
                .map_err(|e| bad("REQUIRE_EMAIL_VERIFICATION", e))?;
        let mfa_key = get("MFA_ENCRYPTION_KEY").map(ApiKey::new);
        if let Some(key) = &mfa_key {
            let raw = key.expose();
            if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad(
                    "MFA_ENCRYPTION_KEY",
                    "64 hex digits (32 bytes), e.g. `openssl rand -hex 32`".into(),
                ));
            }
        }
        Ok(Self {
            signup_mode,
            require_email_verification,
            mfa_key,
        })
    }
}
