-- Accounts. Credentials live in their own tables so that other kinds
-- (TOTP, WebAuthn, OAuth) can join later without touching `users`.
CREATE TABLE users (
    id           BIGSERIAL PRIMARY KEY,
    uid          TEXT    NOT NULL UNIQUE,             -- random public id
    email        TEXT    NOT NULL UNIQUE,             -- trimmed, lower-cased
    phone        TEXT    UNIQUE,
    display_name TEXT    NOT NULL,
    is_active    BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   BIGINT  NOT NULL,                    -- unix seconds
    updated_at   BIGINT  NOT NULL
);

CREATE TABLE password_credentials (
    user_id       BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT   NOT NULL,                    -- argon2id PHC string
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
