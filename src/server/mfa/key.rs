//! The key that encrypts TOTP secrets at rest (AES-256-GCM), from
//! `MFA_ENCRYPTION_KEY` or, in development, a file made once.

use std::path::Path;

use aes_gcm::{aead::Aead, Aes256Gcm, Key, KeyInit, Nonce};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use rand::RngCore;

use crate::{error::AppError, server::config::Settings};

/// The key that encrypts TOTP secrets.
#[derive(Clone)]
pub struct MfaKey([u8; 32]);

impl std::fmt::Debug for MfaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaKey(***)")
    }
}

impl MfaKey {
    /// `MFA_ENCRYPTION_KEY`; in development without it, a key made once and
    /// kept in `mfa.key` beside the SQLite file (or under `data/`). In
    /// production without it, `None`: MFA setup then says what to set.
    pub fn load(settings: &Settings) -> std::io::Result<Option<Self>> {
        if let Some(hex) = &settings.accounts.mfa_key {
            return Ok(Some(Self(
                from_hex(hex.expose()).expect("checked by config"),
            )));
        }
        if settings.is_production() {
            return Ok(None);
        }
        let dir = settings
            .db
            .url
            .sqlite_path()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| "data".into());
        let file = dir.join("mfa.key");
        if let Ok(text) = std::fs::read_to_string(&file) {
            if let Some(key) = from_hex(text.trim()) {
                return Ok(Some(Self(key)));
            }
        }
        std::fs::create_dir_all(&dir)?;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        write_private(&file, &hex)?;
        tracing::warn!(file = %file.display(), "MFA_ENCRYPTION_KEY is unset: made a development key");
        Ok(Some(Self(key)))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&self.0))
    }

    /// base64 of nonce ‖ ciphertext, bound to `user_id`.
    pub(super) fn seal(&self, user_id: i64, secret: &[u8]) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let payload = aes_gcm::aead::Payload {
            msg: secret,
            aad: &user_id.to_be_bytes(),
        };
        let sealed = self
            .cipher()
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("AES-GCM encrypts any short message");
        STANDARD.encode([nonce.as_slice(), &sealed].concat())
    }

    pub(super) fn open(&self, user_id: i64, stored: &str) -> Result<Vec<u8>, AppError> {
        let raw = STANDARD.decode(stored).map_err(|_| undecryptable())?;
        if raw.len() < 12 {
            return Err(undecryptable());
        }
        let (nonce, sealed) = raw.split_at(12);
        let payload = aes_gcm::aead::Payload {
            msg: sealed,
            aad: &user_id.to_be_bytes(),
        };
        self.cipher()
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| undecryptable())
    }
}

fn undecryptable() -> AppError {
    tracing::error!("a TOTP secret does not decrypt: MFA_ENCRYPTION_KEY changed?");
    AppError::Internal
}

fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(file)?.write_all(text.as_bytes())
}

fn from_hex(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_user() {
        let key = MfaKey([9u8; 32]);
        let sealed = key.seal(1, b"secret bytes here!!!");
        assert_eq!(key.open(1, &sealed).unwrap(), b"secret bytes here!!!");
        assert!(key.open(2, &sealed).is_err());
        assert!(!sealed.contains("secret"));
    }
}
