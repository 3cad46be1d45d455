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
        kept_key(&dir).map(|key| Some(Self(key)))
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

/// The key kept in `dir/mfa.key`, made there first when there is none.
fn kept_key(dir: &Path) -> std::io::Result<[u8; 32]> {
    let file = dir.join("mfa.key");
    if file.exists() {
        return read_key(&file);
    }
    std::fs::create_dir_all(dir)?;
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    // Written whole under a name of its own, then linked into place:
    // of instances starting at once, the first link wins, and the
    // others read that key (never a half-written file).
    let temp = dir.join(format!("mfa.key.{}.tmp", uuid::Uuid::new_v4()));
    write_private(&temp, &hex)?;
    let linked = std::fs::hard_link(&temp, &file);
    std::fs::remove_file(&temp)?;
    match linked {
        Ok(()) => {
            tracing::warn!(file = %file.display(), "MFA_ENCRYPTION_KEY is unset: made a development key");
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key(&file),
        Err(e) => Err(e),
    }
}

/// The key kept in `file`; an error when it holds anything else (it is
/// never replaced: secrets sealed with it would no longer open).
fn read_key(file: &Path) -> std::io::Result<[u8; 32]> {
    let text = std::fs::read_to_string(file)?;
    from_hex(text.trim()).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} does not hold a key (64 hex digits)", file.display()),
        )
    })
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

    #[test]
    fn instances_starting_at_once_make_one_key_and_all_use_it() {
        let dir = tempfile::tempdir().unwrap();
        let keys: Vec<[u8; 32]> = std::thread::scope(|scope| {
            let made: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| kept_key(dir.path()).unwrap()))
                .collect();
            made.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert!(keys.iter().all(|k| *k == keys[0]));
        assert_eq!(read_key(&dir.path().join("mfa.key")).unwrap(), keys[0]);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
    }
}
