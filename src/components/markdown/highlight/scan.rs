//! The lexer's scanners: where a quoted string, a raw string, a number or
//! a name ends, and the small byte searches they share.

use super::*;

/// A string of the language's own delimiters opening at `b[i]`: its end.
pub(super) fn quoted(lang: &Lang, b: &[u8], i: usize) -> Option<usize> {
    let quote = lang
        .quotes
        .iter()
        .find(|q| b[i..].starts_with(q.open.as_bytes()))?;
    Some(scan(
        b,
        i,
        quote.open.as_bytes(),
        quote.escapes,
        quote.multiline,
    ))
}

/// A string that opens at `b[i]` with `delim` and closes with it.
pub(super) fn scan(b: &[u8], i: usize, delim: &[u8], escapes: bool, multiline: bool) -> usize {
    let mut j = i + delim.len();
    while j < b.len() {
        if escapes && b[j] == b'\\' {
            j += 2;
        } else if b[j..].starts_with(delim) {
            return j + delim.len();
        } else if !multiline && b[j] == b'\n' {
            return j;
        } else {
            j += 1;
        }
    }
    b.len()
}

/// A string key (`"name": 1`) is a key, where the language has them.
pub(super) fn string_or_key(lang: &Lang, b: &[u8], end: usize) -> Token {
    let key =
        lang.flags & STRING_KEYS != 0 && next_non_blank(b, end).is_some_and(|(c, _)| c == b':');
    if key {
        Token::Type
    } else {
        Token::String
    }
}

/// A string whose prefix is the name `b[start..end]` (`r"…"`, `f'…'`,
/// `u8"…"`): where it ends.
pub(super) fn prefixed_string(lang: &Lang, b: &[u8], start: usize, end: usize) -> Option<usize> {
    let has = |flag| lang.flags & flag != 0;
    let prefix = &b[start..end];
    let next = *b.get(end)?;
    let quote = next == b'"' || next == b'\'';
    if has(RUST_LIKE) {
        return match prefix {
            b"r" | b"br" | b"cr" if next == b'"' || next == b'#' => rust_raw(b, end),
            b"b" | b"c" if next == b'"' => Some(scan(b, end, b"\"", true, true)),
            b"b" if next == b'\'' => rust_char(b, end),
            _ => None,
        };
    }
    if has(PY_PREFIXES)
        && quote
        && prefix.len() <= 2
        && prefix.iter().all(|c| b"rbfuRBFU".contains(c))
    {
        return quoted(lang, b, end);
    }
    if has(CPP_PREFIXES) {
        return match prefix {
            b"R" | b"LR" | b"uR" | b"UR" | b"u8R" if next == b'"' => cpp_raw(b, end),
            b"L" | b"u" | b"U" | b"u8" if quote => quoted(lang, b, end),
            _ => None,
        };
    }
    None
}

/// `r"…"`, `r#"…"#`: `b[i]` is the first `"` or `#`.
pub(super) fn rust_raw(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
    if b.get(i + hashes) != Some(&b'"') {
        return None; // `r#name`, a raw identifier
    }
    let mut close = vec![b'"'];
    close.resize(1 + hashes, b'#');
    let from = i + hashes + 1;
    Some(find(b, from, &close).map_or(b.len(), |p| p + close.len()))
}

/// `R"delim(…)delim"`: `b[i]` is the `"`.
pub(super) fn cpp_raw(b: &[u8], i: usize) -> Option<usize> {
    let open = b[i + 1..].iter().take(17).position(|&c| c == b'(')?;
    let delim = &b[i + 1..i + 1 + open];
    if delim
        .iter()
        .any(|&c| c.is_ascii_whitespace() || matches!(c, b'\\' | b')' | b'"'))
    {
        return None;
    }
    let mut close = vec![b')'];
    close.extend_from_slice(delim);
    close.push(b'"');
    let from = i + open + 2;
    Some(find(b, from, &close).map_or(b.len(), |p| p + close.len()))
}

/// A char literal at `b[i] == '\''` (`'a'`, `'\n'`, `'中'`), not a
/// lifetime (`'a`).
pub(super) fn rust_char(b: &[u8], i: usize) -> Option<usize> {
    let c = *b.get(i + 1)?;
    if c == b'\\' {
        // `'\''`, `'\u{1F600}'`: the closing quote is near.
        let end = (i + 14).min(b.len());
        let close = b
            .get(i + 3..end)?
            .iter()
            .take_while(|&&c| c != b'\n')
            .position(|&c| c == b'\'')?;
        return Some(i + 3 + close + 1);
    }
    if c == b'\'' || c == b'\n' {
        return None;
    }
    let len = utf8_len(c);
    (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 2 + len)
}

/// `0x1F`, `1_000`, `3.14e-2`, `2.5f32`, `10px`: where it ends.
pub(super) fn number(b: &[u8], i: usize) -> usize {
    let hex = b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X'));
    let mut dot = b[i] == b'.';
    let mut j = i + usize::from(dot);
    loop {
        while b
            .get(j)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            j += 1;
        }
        let sign = matches!(b.get(j), Some(b'+' | b'-')) && matches!(b[j - 1], b'e' | b'E');
        if !hex && sign && next_is_digit(b, j + 1) {
            j += 1;
        } else if !hex && !dot && b.get(j) == Some(&b'.') && next_is_digit(b, j + 1) {
            dot = true;
            j += 1;
        } else {
            return j;
        }
    }
}

pub(super) fn next_is_digit(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_digit)
}

/// Part of a name: ASCII letters, digits, `_`, any non-ASCII byte (so a
/// name never ends inside a character), and the language's extras.
pub(super) fn is_name(lang: &Lang, c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || c == b'_'
        || c >= 0x80
        || lang.first.contains(&c)
        || lang.rest.contains(&c)
}

pub(super) fn starts_name(lang: &Lang, b: &[u8], i: usize) -> bool {
    let c = b[i];
    let next = b.get(i + 1).copied().unwrap_or(0);
    c.is_ascii_alphabetic()
        || c == b'_'
        || c >= 0x80
        || lang.first.contains(&c)
        // CSS: `-webkit-box`, `--custom`, but not `-2px`.
        || (c == b'-' && lang.flags & CSS_LIKE != 0 && (next.is_ascii_alphabetic() || next == b'-' || next == b'_'))
}

pub(super) fn name_end(lang: &Lang, b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() && is_name(lang, b[j]) {
        j += 1;
    }
    j.min(b.len())
}

/// Whether `word` is in one of the sorted `lists`.
pub(super) fn lookup(lists: &[&[&str]], word: &[u8], no_case: bool) -> bool {
    lists.iter().any(|list| {
        list.binary_search_by(|entry| {
            let entry = entry.as_bytes().iter();
            if no_case {
                entry.cmp(word.to_ascii_lowercase().iter())
            } else {
                entry.cmp(word.iter())
            }
        })
        .is_ok()
    })
}

/// The next byte after `i` that is not a space or tab, and where.
pub(super) fn next_non_blank(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let skip = b
        .get(i..)?
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    b.get(i + skip).map(|&c| (c, i + skip))
}

pub(super) fn line_end(b: &[u8], i: usize) -> usize {
    find(b, i, b"\n").unwrap_or(b.len())
}

pub(super) fn find(b: &[u8], from: usize, pattern: &[u8]) -> Option<usize> {
    let hay = b.get(from..)?;
    hay.windows(pattern.len())
        .position(|w| w == pattern)
        .map(|p| from + p)
}

/// The length of the UTF-8 character whose first byte is `c`.
pub(super) fn utf8_len(c: u8) -> usize {
    match c {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}
