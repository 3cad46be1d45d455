-- Search over one's conversations (titles and messages), with SQLite's own
-- full-text index. The trigram tokenizer indexes every three characters,
-- whatever the script: Chinese has no spaces between words and Vietnamese
-- words are syllables with diacritics, which a word tokenizer would split
-- or fold wrongly; trigrams find both, case-insensitively. Words shorter
-- than three characters (a two-character Chinese word such as 二分) have no
-- trigram: `db::search` matches those with LIKE among the person's own
-- messages, found through the longer words when there are some.
--
-- The indexes hold their own copy of the text (not external content), so
-- a row can be removed by its rowid alone. Answers are indexed once they
-- end: an answer being written changes every few seconds.
CREATE VIRTUAL TABLE messages_fts USING fts5(content, tokenize = 'trigram');
CREATE VIRTUAL TABLE titles_fts USING fts5(title, tokenize = 'trigram');

INSERT INTO messages_fts (rowid, content)
    SELECT id, content FROM messages WHERE status <> 'streaming';
INSERT INTO titles_fts (rowid, title) SELECT id, title FROM conversations;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN new.status <> 'streaming' BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, status ON messages
WHEN new.status <> 'streaming' BEGIN
    DELETE FROM messages_fts WHERE rowid = old.id;
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_fts WHERE rowid = old.id;
END;

CREATE TRIGGER titles_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO titles_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER titles_fts_update AFTER UPDATE OF title ON conversations BEGIN
    DELETE FROM titles_fts WHERE rowid = old.id;
    INSERT INTO titles_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER titles_fts_delete AFTER DELETE ON conversations BEGIN
    DELETE FROM titles_fts WHERE rowid = old.id;
END;
