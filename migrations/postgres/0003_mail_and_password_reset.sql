-- A transactional outbox: mails are stored in the same transaction as the
-- change that causes them, then sent (and retried) by a background worker.
-- `job` names what to send (JSON, never a secret): reset links are made at
-- send time, so the token itself is never stored, only its hash.
CREATE TABLE mail_outbox (
    id              BIGSERIAL PRIMARY KEY,
    job             TEXT   NOT NULL,
    status          TEXT   NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'dropped', 'dead')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);

CREATE TABLE password_reset_tokens (
    token_hash TEXT   PRIMARY KEY,                    -- hex SHA-256 of the token
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id);
