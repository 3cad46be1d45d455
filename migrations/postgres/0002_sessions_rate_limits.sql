-- Server-side sessions (tower-sessions records). `user_id` is copied out of
-- the record's data so that every session of a user can be found and ended
-- without scanning (logout everywhere, password reset).
CREATE TABLE sessions (
    id         TEXT   PRIMARY KEY,
    user_id    BIGINT REFERENCES users (id) ON DELETE CASCADE,
    data       TEXT   NOT NULL,                       -- JSON map
    expires_at BIGINT NOT NULL                        -- unix seconds
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Fixed-window counters, shared by every instance on this database.
CREATE TABLE rate_limits (
    key          TEXT   PRIMARY KEY,                  -- e.g. login:ip:203.0.113.7
    window_start BIGINT NOT NULL,                     -- unix seconds
    window_secs  BIGINT NOT NULL,
    count        BIGINT NOT NULL
);
CREATE INDEX rate_limits_expiry ON rate_limits (window_start);
