-- Accounts, v2: roles, e-mail verification, last sign-in, TOTP two-factor
-- sign-in with recovery codes, and the hash-chained audit log.

-- admin, user or pending (waiting for an admin's approval). The oldest
-- account of a database made before roles existed becomes its admin, so an
-- operator who upgrades is not locked out of /admin.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user'
    CHECK (role IN ('admin', 'user', 'pending'));
UPDATE users SET role = 'admin' WHERE id = (SELECT MIN(id) FROM users);
-- Unix seconds; accounts made before verification existed count as verified.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;
ALTER TABLE users ADD COLUMN last_login_at BIGINT;
CREATE INDEX users_role ON users (role);

-- One TOTP secret per account, encrypted (AES-256-GCM, key from
-- MFA_ENCRYPTION_KEY): `secret` is base64 of nonce ‖ ciphertext. A secret
-- being set up has `enabled_at` NULL. `last_step` is the newest time step
-- accepted, so no code is accepted twice.
CREATE TABLE mfa_credentials (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     TEXT    NOT NULL,
    enabled_at BIGINT,
    last_step  BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Single-use recovery codes, as hex SHA-256 (each has 50 random bits and
-- sign-in attempts are rate-limited, so a fast hash is enough).
CREATE TABLE mfa_recovery_codes (
    id        BIGSERIAL PRIMARY KEY,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   BIGINT
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes (user_id);

CREATE TABLE email_verification_tokens (
    token_hash TEXT    PRIMARY KEY,                   -- hex SHA-256 of the token
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX email_verification_tokens_user ON email_verification_tokens (user_id);

-- Append-only. `id` is given by the appender (the previous row's id + 1,
-- under the database's write lock), `hash` = SHA-256(prev_hash ‖ canonical
-- JSON of the row), so an edited, deleted or reordered row breaks the chain.
-- `user_id` and `actor_id` are not foreign keys: the log outlives accounts.
CREATE TABLE audit_log (
    id        BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    kind      TEXT    NOT NULL,
    user_id   BIGINT,
    actor_id  BIGINT,
    ip        TEXT,
    detail    TEXT    NOT NULL,                       -- JSON object
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_kind ON audit_log (kind, id);
