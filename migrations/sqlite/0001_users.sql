-- Accounts. Credentials live in their own tables so that other kinds
-- (TOTP, WebAuthn, OAuth) can join later without touching `users`.
CREATE TABLE users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid          TEXT    NOT NULL UNIQUE,             -- random public id
    email        TEXT    NOT NULL UNIQUE,             -- trimmed, lower-cased
    phone        TEXT    UNIQUE,
    display_name TEXT    NOT NULL,
    is_active    INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at   INTEGER NOT NULL,                    -- unix seconds
    updated_at   INTEGER NOT NULL
);

CREATE TABLE password_credentials (
    user_id       INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT    NOT NULL,                   -- argon2id PHC string
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
