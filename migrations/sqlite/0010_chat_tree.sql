-- Chat v2: messages form a tree, so that an edited question or a
-- regenerated answer is a branch beside the old one, which stays. A
-- conversation shows the branch that ends at its current_leaf_id.
--
-- An answer is stored from its first moment, status 'streaming', so that
-- a reload or another instance can find it and follow it: the instance
-- that runs it writes what it has every few seconds (heartbeat_at says
-- when it last did), and a Stop pressed anywhere sets stop_requested,
-- which that instance polls. ended_by keeps why an answer that is not
-- 'complete' ended ('stopped', or the model's failure code), so a late
-- reader is told the same last line as the one who watched it live.
--
-- SQLite cannot change a CHECK, so the table is rebuilt as its manual says
-- (https://sqlite.org/lang_altertable.html); `db::pool` runs the SQLite
-- migrations with foreign keys off, and the check at the end holds them.
-- Each existing message's parent is the message before it in its
-- conversation: every old conversation becomes a single branch.
CREATE TABLE messages_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    parent_id       INTEGER REFERENCES messages_rebuilt (id) ON DELETE CASCADE,
    role            TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
    content         TEXT    NOT NULL,
    -- complete; partial (stopped, or cut off mid-answer); error (nothing
    -- came); streaming (still being written)
    status          TEXT    NOT NULL DEFAULT 'complete'
                    CHECK (status IN ('complete', 'partial', 'error', 'streaming')),
    model           TEXT,
    created_at      INTEGER NOT NULL,
    heartbeat_at    INTEGER,
    stop_requested  INTEGER NOT NULL DEFAULT 0 CHECK (stop_requested IN (0, 1)),
    ended_by        TEXT
);
INSERT INTO messages_rebuilt (id, conversation_id, parent_id, role, content, status, model, created_at)
    SELECT m.id, m.conversation_id,
           (SELECT MAX(p.id) FROM messages p
             WHERE p.conversation_id = m.conversation_id AND p.id < m.id),
           m.role, m.content, m.status, m.model, m.created_at
      FROM messages m;
DELETE FROM sqlite_sequence WHERE name = 'messages_rebuilt';
UPDATE sqlite_sequence SET name = 'messages_rebuilt' WHERE name = 'messages';
DROP TABLE messages;
ALTER TABLE messages_rebuilt RENAME TO messages;
CREATE INDEX messages_conversation ON messages (conversation_id, id);
CREATE INDEX messages_parent ON messages (parent_id, id);
-- The few answers being written: what the stop poll and the sweep of
-- answers left by a dead instance read.
CREATE INDEX messages_streaming ON messages (id) WHERE status = 'streaming';

ALTER TABLE conversations ADD COLUMN current_leaf_id INTEGER;
UPDATE conversations SET current_leaf_id =
    (SELECT MAX(m.id) FROM messages m WHERE m.conversation_id = conversations.id);

CREATE TEMP TABLE foreign_keys_hold (violations INTEGER CHECK (violations = 0));
INSERT INTO foreign_keys_hold SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE foreign_keys_hold;
