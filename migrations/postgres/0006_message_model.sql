-- The model that wrote each answer (null for the person's own messages and
-- for answers stored before this version).
ALTER TABLE messages ADD COLUMN model TEXT;
