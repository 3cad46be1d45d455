//! `GET /api/conversations/search?q=`: the words of the query, the
//! database's own index (see `db::search`), and a snippet per result.
//!
//! The snippet is HTML: the text around the first match, HTML-escaped, with
//! every match of a query word in `<mark>...</mark>`. A page can put it in
//! the document as it is; nothing else in it is markup.

use super::super::state::AppState;
use crate::{api::chat_types::SearchHit, domain::User, error::AppError};

/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words of a query are used.
const MAX_WORDS: usize = 8;
/// Characters of context on each side of the first match.
const CONTEXT_CHARS: usize = 40;

/// The user's conversations whose title or messages contain every word of
/// `query`, newest first. A blank query finds nothing.
pub async fn search(
    state: &AppState,
    user: &User,
    query: &str,
) -> Result<Vec<SearchHit>, AppError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::BadRequest(format!(
            "Invalid request: a search is at most {MAX_QUERY_CHARS} characters"
        )));
    }
    let words = words_of(query);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let rows = state.db.search(user.id, &words).await?;
    Ok(rows
        .into_iter()
        .map(|row| SearchHit {
            snippet: snippet(&row.text, &words),
            conversation_id: row.conversation_id,
            title: row.title,
            message_id: row.message_id,
        })
        .collect())
}

/// The distinct words of a query, split at white space.
fn words_of(query: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in query.split_whitespace() {
        if !words.iter().any(|w| w == word) && words.len() < MAX_WORDS {
            words.push(word.to_owned());
        }
    }
    words
}

/// A character folded for comparison: one character for one, so that
/// positions in the folded text are positions in the text.
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Where the words occur in `text`, as character ranges, in order and not
/// overlapping.
fn matches(text: &[char], words: &[String]) -> Vec<(usize, usize)> {
    let folded: Vec<char> = text.iter().copied().map(fold).collect();
    let words: Vec<Vec<char>> = words
        .iter()
        .map(|w| w.chars().map(fold).collect())
        .collect();
    let mut found = Vec::new();
    let mut at = 0;
    while at < folded.len() {
        let hit = words
            .iter()
            .filter(|w| !w.is_empty() && folded[at..].starts_with(w))
            .map(Vec::len)
            .max();
        match hit {
            Some(len) => {
                found.push((at, at + len));
                at += len;
            }
            None => at += 1,
        }
    }
    found
}

fn escape_into(out: &mut String, chars: &[char]) {
    for &c in chars {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// The text around the first match, escaped, matches marked.
pub fn snippet(text: &str, words: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let found = matches(&chars, words);
    let first = found.first().map_or(0, |m| m.0);
    let start = first.saturating_sub(CONTEXT_CHARS);
    let end = (first + CONTEXT_CHARS * 2).min(chars.len()).max(start);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for &(from, to) in found.iter().filter(|m| m.0 >= start && m.1 <= end) {
        escape_into(&mut out, &chars[at..from]);
        out.push_str("<mark>");
        escape_into(&mut out, &chars[from..to]);
        out.push_str("</mark>");
        at = to;
    }
    escape_into(&mut out, &chars[at..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn matches_are_marked_case_insensitively_and_the_rest_escaped() {
        assert_eq!(
            snippet("Use <b>Binary</b> search & binary trees", &w(&["binary"])),
            "Use &lt;b&gt;<mark>Binary</mark>&lt;/b&gt; search &amp; <mark>binary</mark> trees"
        );
        assert_eq!(
            snippet("我们用二分查找。", &w(&["二分"])),
            "我们用<mark>二分</mark>查找。"
        );
        assert_eq!(
            snippet("Thành phố Huế đẹp", &w(&["huế", "phố"])),
            "Thành <mark>phố</mark> <mark>Huế</mark> đẹp"
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!("{}needle{}", "a".repeat(100), "b".repeat(100));
        let s = snippet(&text, &w(&["needle"]));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>needle</mark>"));
        let plain = s.replace("<mark>", "").replace("</mark>", "");
        assert_eq!(plain.chars().filter(|c| *c == 'a').count(), CONTEXT_CHARS);
    }

    #[test]
    fn queries_are_split_into_distinct_words() {
        assert_eq!(
            words_of("  binary  search binary "),
            w(&["binary", "search"])
        );
        assert!(words_of(" \t ").is_empty());
    }
}
