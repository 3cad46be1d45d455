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
ALTER TABLE messages
    ADD COLUMN parent_id BIGINT REFERENCES messages (id) ON DELETE CASCADE,
    ADD COLUMN heartbeat_at BIGINT,
    ADD COLUMN stop_requested BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN ended_by TEXT,
    DROP CONSTRAINT messages_status_check,
    ADD CONSTRAINT messages_status_check
        CHECK (status IN ('complete', 'partial', 'error', 'streaming'));
-- Each existing message's parent is the message before it in its
-- conversation: every old conversation becomes a single branch.
UPDATE messages m SET parent_id = prev.parent_id
  FROM (SELECT id, LAG(id) OVER (PARTITION BY conversation_id ORDER BY id) AS parent_id
          FROM messages) prev
 WHERE prev.id = m.id AND prev.parent_id IS NOT NULL;
CREATE INDEX messages_parent ON messages (parent_id, id);
-- The few answers being written: what the stop poll and the sweep of
-- answers left by a dead instance read.
CREATE INDEX messages_streaming ON messages (id) WHERE status = 'streaming';

ALTER TABLE conversations ADD COLUMN current_leaf_id BIGINT;
UPDATE conversations c SET current_leaf_id =
    (SELECT MAX(m.id) FROM messages m WHERE m.conversation_id = c.id);
