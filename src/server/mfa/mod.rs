//! Two-factor sign-in with TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps,
//! what every authenticator app speaks) and single-use recovery codes.
//!
//! The secret is kept encrypted with AES-256-GCM under `MFA_ENCRYPTION_KEY`
//! (the user's id is the associated data, so a secret copied to another
//! account's row does not decrypt). A code is accepted for the current time
//! step or one step either side (clock drift), and only once: the database
//! keeps the newest step accepted. Wrong codes count against the account:
//! 5 per 15 minutes, then `429`.

use std::net::IpAddr;

use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, TOTP};

mod key;

pub use key::MfaKey;

use super::{
    audit::{self, kind},
    config::Limit,
    state::AppState,
};
use crate::{
    domain::{account::MfaSetup, User},
    error::AppError,
};

/// Seconds per time step.
const STEP_SECS: i64 = 30;
/// How many recovery codes enabling gives.
pub const RECOVERY_CODES: usize = 10;
/// Wrong codes allowed per account per window.
pub const WRONG_CODES: Limit = Limit {
    max: 5,
    window_secs: 900,
};
/// The name shown in authenticator apps.
const ISSUER: &str = "Palaver";

fn key(state: &AppState) -> Result<&MfaKey, AppError> {
    state.mfa_key.as_ref().ok_or_else(|| {
        AppError::NotConfigured(
            "Two-factor sign-in needs MFA_ENCRYPTION_KEY (64 hex digits, `openssl rand -hex 32`)"
                .into(),
        )
    })
}

fn totp(secret: Vec<u8>, account: &str) -> Result<TOTP, AppError> {
    // An account name with ':' would break the otpauth label.
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS as u64,
        secret,
        Some(ISSUER.to_owned()),
        account.replace(':', " "),
    )
    .map_err(|e| {
        tracing::error!(error = %e, "TOTP parameters refused");
        AppError::Internal
    })
}

/// The time step of `code` near `now` (this step or one either side),
/// checked in constant time per step.
fn matching_step(totp: &TOTP, code: &str, now: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = now.div_euclid(STEP_SECS);
    [step - 1, step, step + 1].into_iter().find(|s| {
        let expected = totp.generate((*s * STEP_SECS).max(0) as u64);
        constant_eq(expected.as_bytes(), code.as_bytes())
    })
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Makes a new secret (replacing one set up but never enabled); nothing is
/// on until [`enable`] gets a right code.
pub async fn setup(state: &AppState, user: &User) -> Result<MfaSetup, AppError> {
    if user.mfa {
        return Err(AppError::MfaAlreadyEnabled);
    }
    let key = key(state)?;
    let mut secret = vec![0u8; 20];
    rand::rng().fill_bytes(&mut secret);
    let sealed = key.seal(user.id, &secret);
    if !state
        .db
        .mfa_begin(user.id, &sealed, state.clock.now())
        .await?
    {
        return Err(AppError::MfaAlreadyEnabled);
    }
    let totp = totp(secret, &user.email)?;
    let otpauth_url = totp.get_url();
    let qr_svg = qrcode::QrCode::new(otpauth_url.as_bytes())
        .map_err(|e| {
            tracing::error!(error = %e, "QR code not made");
            AppError::Internal
        })?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(MfaSetup {
        ok: true,
        secret: totp.get_secret_base32(),
        otpauth_url,
        qr_svg,
    })
}

/// A new recovery code: ten characters of a 32-letter alphabet without look-alikes (50 bits), shown as `xxxxx-xxxxx`.
fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut code = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            code.push('-');
        }
        let n = (rng.next_u32() as usize) % ALPHABET.len();
        code.push(ALPHABET[n] as char);
    }
    code
}

/// The stored form of a recovery code: hex SHA-256 of it without its
/// dash, lower-cased.
fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Sha256::digest(normal.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Turns MFA on with a right code for the secret being set up; returns the
/// recovery codes (shown once, stored hashed).
pub async fn enable(
    state: &AppState,
    user: &User,
    ip: IpAddr,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let wrong = AppError::InvalidMfaCode { at_sign_in: false };
    let Some(row) = state.db.mfa_of(user.id).await? else {
        return Err(AppError::MfaNotEnabled);
    };
    if row.enabled {
        return Err(AppError::MfaAlreadyEnabled);
    }
    let totp = totp(key(state)?.open(user.id, &row.secret)?, &user.email)?;
    let now = state.clock.now();
    let step = matching_step(&totp, code, now).ok_or(wrong.clone())?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    let event = audit::event(kind::MFA_ENABLED, Some(user.id), Some(ip));
    if !state
        .db
        .mfa_enable(user.id, step, &hashes, &event, now)
        .await?
    {
        return Err(wrong);
    }
    Ok(codes)
}

/// Whether `code` is a right TOTP code (used up now) or an unused recovery
/// code (used up now) of `user_id`, within the wrong-code limit.
async fn check_code(
    state: &AppState,
    user_id: i64,
    account: &str,
    code: &str,
    at_sign_in: bool,
) -> Result<&'static str, AppError> {
    let subject = user_id.to_string();
    if !state
        .limiter
        .has_room("mfa:user", &subject, WRONG_CODES)
        .await?
    {
        return Err(AppError::RateLimited);
    }
    let row = state.db.mfa_of(user_id).await?.filter(|r| r.enabled);
    let Some(row) = row else {
        return Err(AppError::MfaNotEnabled);
    };
    let now = state.clock.now();
    let totp = totp(key(state)?.open(user_id, &row.secret)?, account)?;
    let used = match matching_step(&totp, code, now) {
        Some(step) => state
            .db
            .mfa_accept_step(user_id, step)
            .await?
            .then_some("totp"),
        None if code.trim().len() > 6 => state
            .db
            .mfa_use_recovery(user_id, &recovery_hash(code), now)
            .await?
            .then_some("recovery_code"),
        None => None,
    };
    match used {
        Some(how) => Ok(how),
        None => {
            state
                .limiter
                .count_hit("mfa:user", &subject, WRONG_CODES)
                .await?;
            Err(AppError::InvalidMfaCode { at_sign_in })
        }
    }
}

/// The second step of signing in: a right code for `user`. Records
/// `mfa_success` (and notes the sign-in) or `mfa_failure`.
pub async fn verify(state: &AppState, user: &User, ip: IpAddr, code: &str) -> Result<(), AppError> {
    match check_code(state, user.id, &user.email, code, true).await {
        Ok(how) => {
            let event = audit::event(kind::MFA_SUCCESS, Some(user.id), Some(ip))
                .with(serde_json::json!({"with": how}));
            state
                .db
                .user_signed_in(user.id, &event, state.clock.now())
                .await?;
            Ok(())
        }
        Err(e) => {
            if matches!(e, AppError::InvalidMfaCode { .. }) {
                let event = audit::event(kind::MFA_FAILURE, Some(user.id), Some(ip));
                audit::record(state, &event).await?;
            }
            Err(e)
        }
    }
}

/// Turns MFA off; needs the password (checked by the caller) and a code.
pub async fn disable(
    state: &AppState,
    user: &User,
    ip: IpAddr,
    code: &str,
) -> Result<(), AppError> {
    match check_code(state, user.id, &user.email, code, false).await {
        Ok(_) => {}
        Err(AppError::InvalidMfaCode { .. }) => {
            return Err(AppError::InvalidMfaCode { at_sign_in: false })
        }
        Err(e) => return Err(e),
    }
    let event = audit::event(kind::MFA_DISABLED, Some(user.id), Some(ip))
        .with(serde_json::json!({"by": "self"}));
    state
        .db
        .mfa_disable(user.id, &event, state.clock.now())
        .await?;
    Ok(())
}

/// Turns MFA off for a locked-out user, as an admin.
pub async fn reset_by_admin(
    state: &AppState,
    admin: &User,
    ip: IpAddr,
    user_id: i64,
) -> Result<bool, AppError> {
    let event = audit::event(kind::MFA_DISABLED, Some(user_id), Some(ip))
        .by(admin.id)
        .with(serde_json::json!({"by": "admin"}));
    Ok(state
        .db
        .mfa_disable(user_id, &event, state.clock.now())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_and_one_either_side_only() {
        let totp = totp(vec![7u8; 20], "a@example.com").unwrap();
        let now = 1_700_000_000;
        let step = now / STEP_SECS;
        let code = totp.generate((step * STEP_SECS) as u64);
        assert_eq!(matching_step(&totp, &code, now), Some(step));
        assert_eq!(matching_step(&totp, &code, now + STEP_SECS), Some(step));
        assert_eq!(matching_step(&totp, &code, now - STEP_SECS), Some(step));
        assert_eq!(matching_step(&totp, &code, now + 2 * STEP_SECS), None);
        assert_eq!(matching_step(&totp, "12345", now), None);
    }

    #[test]
    fn recovery_codes_hash_the_same_with_or_without_the_dash() {
        let code = recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(
            recovery_hash(&code),
            recovery_hash(&code.replace('-', "").to_uppercase())
        );
    }
}
