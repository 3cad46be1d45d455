-- A phone number is contact information, not an identifier (sign-in is by
-- e-mail only), and a household may share one. Its uniqueness only let
-- registration tell a stranger which numbers have an account (a 409), so
-- it goes.
--
-- SQLite cannot drop a column's UNIQUE, so the table is rebuilt as its
-- manual says (https://sqlite.org/lang_altertable.html, "other kinds of
-- table schema changes"). This needs foreign keys off, or dropping the old
-- table would delete every session, credential and conversation that
-- points at it: `db::pool` runs the SQLite migrations so, and checks the
-- foreign keys when they are done. The id counter carries over, so the id
-- of a deleted account is never given out again.
CREATE TABLE users_rebuilt (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid          TEXT    NOT NULL UNIQUE,             -- random public id
    email        TEXT    NOT NULL UNIQUE,             -- trimmed, lower-cased
    phone        TEXT,
    display_name TEXT    NOT NULL,
    is_active    INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at   INTEGER NOT NULL,                    -- unix seconds
    updated_at   INTEGER NOT NULL
);
INSERT INTO users_rebuilt (id, uid, email, phone, display_name, is_active, created_at, updated_at)
    SELECT id, uid, email, phone, display_name, is_active, created_at, updated_at FROM users;
DELETE FROM sqlite_sequence WHERE name = 'users_rebuilt';
UPDATE sqlite_sequence SET name = 'users_rebuilt' WHERE name = 'users';
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
-- Nothing may point at an account that is not there: a violation fails
-- the migration (the CHECK), so its transaction is rolled back whole.
CREATE TEMP TABLE foreign_keys_hold (violations INTEGER CHECK (violations = 0));
INSERT INTO foreign_keys_hold SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE foreign_keys_hold;
