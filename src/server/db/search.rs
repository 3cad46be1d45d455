//! Search over a user's conversations with each database's own index:
//! SQLite's FTS5 trigram tables (`messages_fts`, `titles_fts`, kept in step
//! by triggers), PostgreSQL's pg_trgm GIN indexes (see the migrations
//! `0011_chat_search.sql`).
//!
//! A trigram index finds a word of three characters or more. A shorter
//! word (Chinese words are often two characters: 二分) has no trigram to
//! look up, so it is matched with LIKE, but only among the rows the other
//! words found, or, when every word is short, among the person's own
//! messages (reached through `conversations_user` and
//! `messages_conversation`), never across every message stored.

use async_trait::async_trait;

use super::{pool::Pool, DbError, SqlRepo};

/// One message or title that matched.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SearchRow {
    /// The conversation.
    pub conversation_id: i64,
    /// Its title.
    pub title: String,
    /// The message that matched; `None` when the title did.
    pub message_id: Option<i64>,
    /// The text that matched (the message's, or the title).
    pub text: String,
    /// When it was written (a message) or last updated (a title).
    pub at: i64,
}

/// The most rows a search gives.
pub const MAX_RESULTS: i64 = 50;

/// Searching a user's conversations.
#[async_trait]
pub trait Search: Send + Sync {
    /// The user's messages and conversation titles that contain every one
    /// of `words` (case-insensitively), newest first, at most
    /// [`MAX_RESULTS`]. `words` are not empty.
    async fn search(&self, user_id: i64, words: &[String]) -> Result<Vec<SearchRow>, DbError>;
}

/// `%word%` with LIKE's own characters escaped (`\` is the escape).
fn like_pattern(word: &str) -> String {
    let mut pattern = String::from("%");
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An FTS5 query that needs every word, each as a quoted string (so that
/// nothing in it is read as FTS5 syntax).
fn match_all(words: &[&String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The SQL of one search and its text arguments (bound after the user id,
/// `$1`), for the messages and for the titles.
fn statements(sqlite: bool, words: &[String]) -> (String, String, Vec<String>, Vec<String>) {
    let (long, short): (Vec<&String>, Vec<&String>) =
        words.iter().partition(|w| w.chars().count() >= 3);
    let mut message_where = String::new();
    let mut title_where = String::new();
    let mut message_args = Vec::new();
    let mut title_args = Vec::new();
    let next = |args: &mut Vec<String>, value: String| {
        args.push(value);
        format!("${}", args.len() + 1)
    };
    if sqlite {
        if !long.is_empty() {
            let query = match_all(&long);
            let p = next(&mut message_args, query.clone());
            message_where.push_str(&format!(
                " AND m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH {p})"
            ));
            let p = next(&mut title_args, query);
            title_where.push_str(&format!(
                " AND c.id IN (SELECT rowid FROM titles_fts WHERE titles_fts MATCH {p})"
            ));
        }
        for word in &short {
            let p = next(&mut message_args, like_pattern(word));
            message_where.push_str(&format!(" AND m.content LIKE {p} ESCAPE '\\'"));
            let p = next(&mut title_args, like_pattern(word));
            title_where.push_str(&format!(" AND c.title LIKE {p} ESCAPE '\\'"));
        }
    } else {
        for word in long.iter().chain(&short) {
            let p = next(&mut message_args, like_pattern(word));
            message_where.push_str(&format!(" AND m.content ILIKE {p} ESCAPE '\\'"));
            let p = next(&mut title_args, like_pattern(word));
            title_where.push_str(&format!(" AND c.title ILIKE {p} ESCAPE '\\'"));
        }
    }
    let messages = format!(
        "SELECT m.conversation_id, c.title, m.id AS message_id, m.content AS text,
                m.created_at AS at
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE c.user_id = $1 AND m.status <> 'streaming'{message_where}
         ORDER BY m.id DESC LIMIT {MAX_RESULTS}"
    );
    let titles = format!(
        "SELECT c.id AS conversation_id, c.title, CAST(NULL AS BIGINT) AS message_id,
                c.title AS text, c.updated_at AS at
         FROM conversations c
         WHERE c.user_id = $1{title_where}
           AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)
         ORDER BY c.updated_at DESC LIMIT {MAX_RESULTS}"
    );
    (messages, titles, message_args, title_args)
}

#[async_trait]
impl Search for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn search(&self, user_id: i64, words: &[String]) -> Result<Vec<SearchRow>, DbError> {
        let sqlite = matches!(self.pool, Pool::Sqlite(_));
        let (messages, titles, message_args, title_args) = statements(sqlite, words);
        let mut rows: Vec<SearchRow> = Vec::new();
        for (sql, args) in [(&titles, &title_args), (&messages, &message_args)] {
            let found: Vec<SearchRow> = super::pool::on_pool!(&self.pool, |p| {
                let mut query = sqlx::query_as(sql).bind(user_id);
                for arg in args {
                    query = query.bind(arg);
                }
                query.fetch_all(p).await
            })?;
            rows.extend(found);
        }
        rows.sort_by(|a, b| b.at.cmp(&a.at).then(b.message_id.cmp(&a.message_id)));
        rows.truncate(MAX_RESULTS as usize);
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_and_match_quote_what_the_person_typed() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        let words = ["say \"hi\"".to_owned(), "二分查找".to_owned()];
        assert_eq!(
            match_all(&words.iter().collect::<Vec<_>>()),
            "\"say \"\"hi\"\"\" \"二分查找\""
        );
    }

    #[test]
    fn short_words_are_matched_with_like_beside_the_index() {
        let words = ["二分".to_owned(), "search".to_owned()];
        let (messages, _, args, _) = statements(true, &words);
        assert!(messages.contains("messages_fts MATCH $2"), "{messages}");
        assert!(messages.contains("m.content LIKE $3"), "{messages}");
        assert_eq!(args, ["\"search\"", "%二分%"]);
        let (messages, _, args, _) = statements(false, &words);
        assert!(messages.contains("m.content ILIKE $2"), "{messages}");
        assert_eq!(args, ["%search%", "%二分%"]);
    }
}
