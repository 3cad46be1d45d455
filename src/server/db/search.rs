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
//!
//! Messages are first looked for among the newest [`RECENT`] (a range of
//! the primary key): a page found there is the answer, and only a search
//! that finds less reads the whole history through the indexes. On
//! PostgreSQL a word its planner expects in few messages ([`LEAD_BELOW`])
//! goes to the index at once instead.

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

/// How many of the newest messages (everyone's, by id) a search reads
/// first. When they hold a whole page of matches, that page is the answer,
/// since every message outside them is older; only when they do not is the
/// whole history searched. A common word then costs a short scan from the
/// newest message instead of every match in the index: over 100,000
/// messages, `二分` (no trigram, so LIKE on every message of the person)
/// took 236 ms and `binary search` on PostgreSQL 112 ms
/// (`benches/search.sh`, 2026-12-04).
const RECENT: i64 = 5_000;

/// On PostgreSQL, the words the trigram index may serve; the others are
/// checked on the rows it gives. (SQLite's FTS5 serves every word of three
/// characters or more, restricted to the id range itself.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Indexed {
    /// Every word: the planner chooses.
    All,
    /// The word at this position, the rarest (see [`LEAD_BELOW`]).
    Only(usize),
    /// None: the rows of the id range are read one by one.
    Rows,
}

/// A word that PostgreSQL's planner expects in fewer messages than this
/// (everyone's, from its statistics) leads the search through the trigram
/// index over the whole history, the other words checked on the rows it
/// finds: reading the newest [`RECENT`] messages first costs 11 ms of
/// case-folding there, and finds nothing for a rare word (`kubernetes`,
/// `quokka`: 27 to 30 ms at p50 over 100,000 messages, against 0.3 ms for
/// the index alone). A common word still reads the newest messages first.
const LEAD_BELOW: f64 = 2_000.0;

/// Whether a trigram index can look `word` up: three characters or more.
fn has_trigrams(word: &str) -> bool {
    word.chars().count() >= 3
}

/// One search's SQL and its text arguments (bound after the user id, `$1`).
struct Statement {
    sql: String,
    args: Vec<String>,
}

/// The condition on `column` (`m.content`, `c.title`, of the row `id`) for
/// every word, and its arguments. On SQLite, words of three characters or
/// more go to the FTS5 table `fts` (restricted to rowids above `after`),
/// shorter ones to LIKE; on PostgreSQL every word is an ILIKE, which the
/// trigram index serves over the whole history (the newest messages are
/// read by their id range).
fn conditions(
    sqlite: bool,
    words: &[String],
    (column, id, fts): (&str, &str, &str),
    after: Option<i64>,
    indexed: Indexed,
) -> Statement {
    let mut sql = String::new();
    let mut args = Vec::new();
    let mut next = |value: String| {
        args.push(value);
        format!("${}", args.len() + 1)
    };
    if sqlite {
        let (long, short): (Vec<&String>, Vec<&String>) =
            words.iter().partition(|w| has_trigrams(w));
        if !long.is_empty() {
            let p = next(match_all(&long));
            // FTS5 seeks to the rowid range itself, so a common word does
            // not list every match in the index first.
            let range = after
                .map(|a| format!(" AND rowid > {a}"))
                .unwrap_or_default();
            sql.push_str(&format!(
                " AND {id} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH {p}{range})"
            ));
        }
        for word in &short {
            let p = next(like_pattern(word));
            sql.push_str(&format!(" AND {column} LIKE {p} ESCAPE '\\'"));
        }
    } else {
        // A word the index may not serve is checked on the rows the others
        // give: `|| ''` hides the column from the index and changes nothing
        // else. Among the newest messages no word goes through the index:
        // with two common words the planner took it, whose bitmaps then held
        // most of the table (`thuật toán` 68 ms at p50 over 100,000
        // messages, against 3 ms on SQLite).
        for (i, word) in words.iter().enumerate() {
            let through_index = match indexed {
                Indexed::All => true,
                Indexed::Only(lead) => lead == i,
                Indexed::Rows => false,
            };
            let target = if through_index {
                column.to_owned()
            } else {
                format!("({column} || '')")
            };
            let p = next(like_pattern(word));
            sql.push_str(&format!(" AND {target} ILIKE {p} ESCAPE '\\'"));
        }
    }
    Statement { sql, args }
}

/// The newest messages of the user with every word; with `after`, only
/// among those whose id is above it. The bound is written into the SQL, not
/// bound, so that PostgreSQL's planner sees how few rows it leaves (a scan
/// of the primary key from the newest), and SQLite's `CROSS JOIN` keeps the
/// messages' rowid range as the outer loop, stopped at the limit.
fn messages_statement(
    sqlite: bool,
    words: &[String],
    after: Option<i64>,
    indexed: Indexed,
) -> Statement {
    let Statement {
        sql: conditions,
        args,
    } = conditions(
        sqlite,
        words,
        ("m.content", "m.id", "messages_fts"),
        after,
        indexed,
    );
    let (join, range) = match after {
        Some(after) if sqlite => ("CROSS JOIN", format!(" AND m.id > {after}")),
        Some(after) => ("JOIN", format!(" AND m.id > {after}")),
        None => ("JOIN", String::new()),
    };
    let sql = format!(
        "SELECT m.conversation_id, c.title, m.id AS message_id, m.content AS text,
                m.created_at AS at
         FROM messages m {join} conversations c ON c.id = m.conversation_id
         WHERE c.user_id = $1 AND m.status <> 'streaming'{range}{conditions}
         ORDER BY m.id DESC LIMIT {MAX_RESULTS}"
    );
    Statement { sql, args }
}

/// The user's conversations whose title has every word, newest first.
fn titles_statement(sqlite: bool, words: &[String]) -> Statement {
    let Statement {
        sql: conditions,
        args,
    } = conditions(
        sqlite,
        words,
        ("c.title", "c.id", "titles_fts"),
        None,
        Indexed::All,
    );
    let sql = format!(
        "SELECT c.id AS conversation_id, c.title, CAST(NULL AS BIGINT) AS message_id,
                c.title AS text, c.updated_at AS at
         FROM conversations c
         WHERE c.user_id = $1{conditions}
           AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)
         ORDER BY c.updated_at DESC LIMIT {MAX_RESULTS}"
    );
    Statement { sql, args }
}

impl SqlRepo {
    /// The messages with every word, newest first. While the history is
    /// short, it is read whole through the indexes. Otherwise a rare word
    /// (PostgreSQL only, [`LEAD_BELOW`]) leads through the index at once;
    /// else the newest [`RECENT`] messages are read first, and the whole
    /// history only when they hold less than a page.
    async fn messages(
        &self,
        user_id: i64,
        sqlite: bool,
        words: &[String],
    ) -> Result<Vec<SearchRow>, DbError> {
        let newest: i64 = super::pool::on_pool!(&self.pool, |p| {
            sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM messages")
                .fetch_one(p)
                .await
        })?;
        let after = newest - RECENT;
        let all = |indexed| messages_statement(sqlite, words, None, indexed);
        if after <= 0 {
            return self.search_rows(user_id, &all(Indexed::All)).await;
        }
        if let Some(lead) = self.rare_word(words).await? {
            return self.search_rows(user_id, &all(Indexed::Only(lead))).await;
        }
        let recent = messages_statement(sqlite, words, Some(after), Indexed::Rows);
        let messages = self.search_rows(user_id, &recent).await?;
        if messages.len() < MAX_RESULTS as usize {
            return self.search_rows(user_id, &all(Indexed::All)).await;
        }
        Ok(messages)
    }

    /// On PostgreSQL, the position of the word of three characters or more
    /// that the planner expects in the fewest messages, if that is under
    /// [`LEAD_BELOW`]. The estimate is the planner's own (`EXPLAIN`, from
    /// the table's statistics), so it costs a plan and no read of a row.
    async fn rare_word(&self, words: &[String]) -> Result<Option<usize>, DbError> {
        let Pool::Postgres(pool) = &self.pool else {
            return Ok(None);
        };
        let mut rarest: Option<(usize, f64)> = None;
        for (i, word) in words.iter().enumerate() {
            if !has_trigrams(word) {
                continue;
            }
            // Not a prepared statement: planned each time with the
            // pattern itself, never a generic plan that ignores it.
            let plan: Vec<String> = sqlx::query_scalar(
                "EXPLAIN SELECT 1 FROM messages WHERE content ILIKE $1 ESCAPE '\\'",
            )
            .bind(like_pattern(word))
            .persistent(false)
            .fetch_all(pool)
            .await?;
            let Some(rows) = plan.first().and_then(|line| planned_rows(line)) else {
                continue;
            };
            if rarest.is_none_or(|(_, fewest)| rows < fewest) {
                rarest = Some((i, rows));
            }
        }
        Ok(rarest
            .filter(|&(_, rows)| rows < LEAD_BELOW)
            .map(|(i, _)| i))
    }

    async fn search_rows(
        &self,
        user_id: i64,
        statement: &Statement,
    ) -> Result<Vec<SearchRow>, DbError> {
        let Statement { sql, args } = statement;
        Ok(super::pool::on_pool!(&self.pool, |p| {
            let mut query = sqlx::query_as(sql).bind(user_id);
            for arg in args {
                query = query.bind(arg);
            }
            query.fetch_all(p).await
        })?)
    }
}

#[async_trait]
impl Search for SqlRepo {
    #[tracing::instrument(skip_all, err)]
    async fn search(&self, user_id: i64, words: &[String]) -> Result<Vec<SearchRow>, DbError> {
        let sqlite = matches!(self.pool, Pool::Sqlite(_));
        let mut rows = self
            .search_rows(user_id, &titles_statement(sqlite, words))
            .await?;
        rows.extend(self.messages(user_id, sqlite, words).await?);
        rows.sort_by(|a, b| b.at.cmp(&a.at).then(b.message_id.cmp(&a.message_id)));
        rows.truncate(MAX_RESULTS as usize);
        Ok(rows)
    }
}

/// The rows the planner expects, from the top line of a text `EXPLAIN`
/// (`Bitmap Heap Scan on messages  (cost=112.06..139.26 rows=7 width=0)`).
fn planned_rows(line: &str) -> Option<f64> {
    let (_, rest) = line.split_once(" rows=")?;
    rest.split(' ').next()?.parse().ok()
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
        let Statement { sql, args } = messages_statement(true, &words, None, Indexed::All);
        assert!(sql.contains("messages_fts MATCH $2)"), "{sql}");
        assert!(sql.contains("m.content LIKE $3"), "{sql}");
        assert_eq!(args, ["\"search\"", "%二分%"]);
        let Statement { sql, args } = messages_statement(false, &words, None, Indexed::All);
        assert!(sql.contains("m.content ILIKE $2"), "{sql}");
        assert_eq!(args, ["%二分%", "%search%"]);
    }

    #[test]
    fn the_newest_messages_are_bounded_in_the_sql_and_in_the_index() {
        let words = ["二分".to_owned(), "search".to_owned()];
        let Statement { sql, .. } = messages_statement(true, &words, Some(95_000), Indexed::Rows);
        assert!(sql.contains("CROSS JOIN conversations"), "{sql}");
        assert!(sql.contains("m.id > 95000"), "{sql}");
        assert!(sql.contains("MATCH $2 AND rowid > 95000)"), "{sql}");
        let Statement { sql, .. } = messages_statement(false, &words, Some(95_000), Indexed::Rows);
        assert!(sql.contains("m.id > 95000"), "{sql}");
    }

    #[test]
    fn a_rare_word_leads_through_the_index_and_the_others_are_checked_on_its_rows() {
        let words = ["binary".to_owned(), "quokka".to_owned()];
        let Statement { sql, args } = messages_statement(false, &words, None, Indexed::Only(1));
        assert!(sql.contains("(m.content || '') ILIKE $2"), "{sql}");
        assert!(sql.contains(" m.content ILIKE $3"), "{sql}");
        assert_eq!(args, ["%binary%", "%quokka%"]);
        let Statement { sql, .. } = messages_statement(false, &words, Some(95_000), Indexed::Rows);
        assert!(!sql.contains(" m.content ILIKE"), "{sql}");
    }

    #[test]
    fn the_planned_rows_are_read_from_the_top_line_of_explain() {
        let line = "Bitmap Heap Scan on messages  (cost=112.06..139.26 rows=7 width=0)";
        assert_eq!(planned_rows(line), Some(7.0));
        assert_eq!(
            planned_rows("Seq Scan on messages  (cost=0.00..3.50 rows=26505 width=4)"),
            Some(26505.0)
        );
        assert_eq!(
            planned_rows("Recheck Cond: (content ~~* '%a%'::text)"),
            None
        );
    }
}
