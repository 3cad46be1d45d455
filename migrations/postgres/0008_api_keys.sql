-- API keys for scripts and tools: a key works as its user's session does,
-- except for the calls that change the account. Only the SHA-256 of a key is
-- kept (a key is 256 random bits, so a fast hash is enough); `hint` is its
-- last four characters, for people to tell their keys apart.
CREATE TABLE api_keys (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT   NOT NULL,
    key_hash     TEXT   NOT NULL UNIQUE,
    hint         TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id, id);
