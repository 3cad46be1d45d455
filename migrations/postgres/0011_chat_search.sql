-- Search over one's conversations (titles and messages), with
-- PostgreSQL's own trigram index (pg_trgm, shipped with PostgreSQL's
-- contrib): a GIN index of every three characters, whatever the script,
-- so Chinese (no spaces between words) and Vietnamese (syllables with
-- diacritics) are found like English. ILIKE '%word%' uses it; a word
-- shorter than three characters (a two-character Chinese word such as 二分)
-- has no trigram, and `db::search` matches it among the person's own
-- messages. The index is PostgreSQL's own, kept in step with every write.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX messages_content_trgm ON messages USING gin (content gin_trgm_ops);
CREATE INDEX conversations_title_trgm ON conversations USING gin (title gin_trgm_ops);
