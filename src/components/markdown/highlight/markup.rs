//! The two syntaxes that are not a language's tokens: markup (HTML, XML,
//! SVG: tags, attributes, entities, comments) and diffs (by line).

use super::{
    find, lex, line_end,
    tables::{CSS, JAVASCRIPT},
    Out, Token,
};

pub(super) fn markup(b: &[u8], out: &mut Out) {
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let (token, end) = if rest.starts_with(b"<!--") {
            (
                Token::Comment,
                find(b, i + 4, b"-->").map_or(b.len(), |p| p + 3),
            )
        } else if rest.starts_with(b"<![CDATA[") {
            (
                Token::String,
                find(b, i + 9, b"]]>").map_or(b.len(), |p| p + 3),
            )
        } else if let Some(end) = tag(b, i, out) {
            i = end;
            continue;
        } else if let Some(end) = entity(b, i) {
            (Token::Type, end)
        } else {
            let text = rest[1..].iter().position(|&c| c == b'<' || c == b'&');
            (Token::Plain, text.map_or(b.len(), |p| i + 1 + p))
        };
        out.push(token, end);
        i = end;
    }
}

/// `&amp;`, `&#x27;`.
fn entity(b: &[u8], i: usize) -> Option<usize> {
    if b[i] != b'&' {
        return None;
    }
    let len = b[i + 1..]
        .iter()
        .take(10)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
        .count();
    (len > 0 && b.get(i + 1 + len) == Some(&b';')).then_some(i + len + 2)
}

/// A tag at `b[i]`, pushed: `<`, its name, attributes and values, `>`,
/// and for `<script>` and `<style>` their contents. Where it ends.
fn tag(b: &[u8], i: usize, out: &mut Out) -> Option<usize> {
    if b[i] != b'<' {
        return None;
    }
    let mut j = i + 1;
    if matches!(b.get(j), Some(b'/' | b'!' | b'?')) {
        j += 1;
    }
    if !b.get(j).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let is_tag_name = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':' | b'_' | b'.');
    let name_start = j;
    j += b[j..].iter().take_while(|c| is_tag_name(c)).count();
    out.push(Token::Plain, name_start);
    out.push(Token::Keyword, j);
    let name = &b[name_start..j];
    let closing = b[i + 1] == b'/';
    let mut value = false;
    let mut self_closing = false;
    while j < b.len() {
        let c = b[j];
        let (token, end) = match c {
            b'>' => {
                self_closing = b[j - 1] == b'/';
                out.push(Token::Plain, j + 1);
                j += 1;
                break;
            }
            b'"' | b'\'' => (
                Token::String,
                find(b, j + 1, &[c]).map_or(b.len(), |p| p + 1),
            ),
            b'=' | b'/' | b'?' => (Token::Plain, j + 1),
            _ if c.is_ascii_whitespace() => (Token::Plain, j + 1),
            _ => {
                let len = b[j..]
                    .iter()
                    .take_while(|c| {
                        !c.is_ascii_whitespace() && !matches!(c, b'>' | b'=' | b'"' | b'\'')
                    })
                    .count();
                let token = if value { Token::String } else { Token::Type };
                (token, j + len.max(1))
            }
        };
        value = c == b'=' || (value && c.is_ascii_whitespace());
        out.push(token, end);
        j = end;
    }
    let script = name.eq_ignore_ascii_case(b"script");
    if !closing && !self_closing && (script || name.eq_ignore_ascii_case(b"style")) {
        let close: &[u8] = if script { b"</script" } else { b"</style" };
        let end = (j..b.len())
            .find(|&k| {
                b[k..].len() >= close.len() && b[k..k + close.len()].eq_ignore_ascii_case(close)
            })
            .unwrap_or(b.len());
        let base = out.base;
        out.base += j;
        lex(if script { &JAVASCRIPT } else { &CSS }, &b[j..end], out);
        out.base = base;
        j = end;
    }
    Some(j)
}

pub(super) fn diff(b: &[u8], out: &mut Out) {
    let mut i = 0;
    while i < b.len() {
        let end = (line_end(b, i) + 1).min(b.len());
        let line = &b[i..end];
        let token = if line.starts_with(b"+++")
            || line.starts_with(b"---")
            || line.starts_with(b"diff ")
            || line.starts_with(b"index ")
        {
            Token::Keyword
        } else if line.starts_with(b"@@") {
            Token::Function
        } else if line.starts_with(b"+") {
            Token::Added
        } else if line.starts_with(b"-") {
            Token::Removed
        } else if line.starts_with(b"\\") {
            Token::Comment
        } else {
            Token::Plain
        };
        out.push(token, end);
        i = end;
    }
}
