//! Syntax highlighting for code blocks, small enough for the WASM bundle:
//! one hand-written lexer driven by a table per language, not a grammar
//! engine. It only colours: the pieces it returns, put back together, are
//! exactly the code. It is a pure function of its input, so the server and
//! the browser cut a block into the same pieces and hydration matches.
//!
//! Every cut falls on an ASCII byte or at the end (all the characters it
//! looks for are ASCII, and a byte of a multi-byte UTF-8 character is never
//! ASCII), so no piece starts or ends inside a character.

/// What a piece of code is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    Keyword,
    /// Types and builtins; also annotations, lifetimes, shell variables,
    /// the keys of config files and the attributes of markup tags.
    Type,
    /// A name being called.
    Function,
    String,
    Number,
    Comment,
    /// A diff's added line.
    Added,
    /// A diff's removed line.
    Removed,
}

impl Token {
    /// The class of the piece's `<span>`; `None` for plain text.
    pub fn class(self) -> Option<&'static str> {
        Some(match self {
            Token::Plain => return None,
            Token::Keyword => "tok-kw",
            Token::Type => "tok-ty",
            Token::Function => "tok-fn",
            Token::String => "tok-str",
            Token::Number => "tok-num",
            Token::Comment => "tok-com",
            Token::Added => "tok-add",
            Token::Removed => "tok-del",
        })
    }
}

/// `code` cut into pieces by their kind, or `None` for a language this
/// does not know (the block then shows as plain text). `lang` is matched
/// without regard to case.
pub fn highlight<'a>(lang: &str, code: &'a str) -> Option<Vec<(Token, &'a str)>> {
    let syntax = LANGS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(lang))?
        .1;
    let mut pieces = Vec::new();
    let mut start = 0;
    for (token, end) in cut(syntax, code.as_bytes()) {
        // Cuts are always on character boundaries (tested); this is only so
        // that a mistake could never panic.
        let mut end = end.min(code.len());
        while !code.is_char_boundary(end) {
            end += 1;
        }
        if end > start {
            pieces.push((token, &code[start..end]));
            start = end;
        }
    }
    if start < code.len() {
        pieces.push((Token::Plain, &code[start..]));
    }
    Some(pieces)
}

/// The pieces as (kind, end offset), the same kind never twice in a row.
fn cut(syntax: Syntax, code: &[u8]) -> Vec<(Token, usize)> {
    let mut out = Out {
        pieces: Vec::new(),
        base: 0,
    };
    match syntax {
        Syntax::Code(lang) => lex(lang, code, &mut out),
        Syntax::Markup => markup(code, &mut out),
        Syntax::Diff => diff(code, &mut out),
    }
    out.pieces
}

// ---------- The tables ----------

#[derive(Clone, Copy)]
enum Syntax {
    Code(&'static Lang),
    /// HTML and XML: tags, attributes, comments, entities; the insides of
    /// `<script>` and `<style>` as JavaScript and CSS.
    Markup,
    /// Whole lines by their first character.
    Diff,
}

/// What the generic lexer needs to know about a language.
struct Lang {
    /// Markers of comments that run to the end of the line.
    line: &'static [&'static str],
    /// A comment's opening and closing markers.
    block: Option<(&'static str, &'static str)>,
    /// String delimiters, longest first (`"""` before `"`).
    quotes: &'static [Quote],
    /// Sorted lists (lower case when `NO_CASE`).
    keywords: &'static [&'static [&'static str]],
    types: &'static [&'static [&'static str]],
    /// Characters besides ASCII letters, digits, `_` and non-ASCII ones
    /// that may start / continue a name.
    first: &'static [u8],
    rest: &'static [u8],
    flags: u32,
}

/// A string that opens and closes with `open`.
struct Quote {
    open: &'static str,
    /// A backslash escapes the next character.
    escapes: bool,
    /// May span lines; otherwise an unclosed one ends with its line.
    multiline: bool,
}

const fn q(open: &'static str, escapes: bool, multiline: bool) -> Quote {
    Quote {
        open,
        escapes,
        multiline,
    }
}

/// A capitalised name (`String`, `T`; not `MAX`) is a type.
const CAPS: u32 = 1;
/// A name followed by `(` is a call.
const CALLS: u32 = 1 << 1;
/// Keywords and types in any case (SQL).
const NO_CASE: u32 = 1 << 2;
/// `#` starts a comment only after a blank or at the start (`$#`, URLs).
const HASH_BLANK: u32 = 1 << 3;
/// `#include` and such at the start of a line are keywords.
const DIRECTIVES: u32 = 1 << 4;
/// `@name` is an annotation / decorator / instance variable.
const AT_TYPE: u32 = 1 << 5;
/// `@name` is a keyword (CSS at-rules).
const AT_KEYWORD: u32 = 1 << 6;
/// `$name`, `${...}`, `$1` are variables (shell).
const DOLLAR: u32 = 1 << 7;
/// The first name of a line before `:` is a key (YAML).
const KEY_COLON: u32 = 1 << 8;
/// The first name of a line before `=` is a key (TOML, INI).
const KEY_EQUALS: u32 = 1 << 9;
/// A string followed by `:` is a key (JSON, YAML).
const STRING_KEYS: u32 = 1 << 10;
/// `[section]` at the start of a line (TOML, INI).
const SECTIONS: u32 = 1 << 11;
/// Lifetimes, chars, raw strings `r#"…"#`, byte strings, `macro!`.
const RUST_LIKE: u32 = 1 << 12;
/// String prefixes `r`, `b`, `f`, `u` and pairs of them.
const PY_PREFIXES: u32 = 1 << 13;
/// `L"…"`, `u8"…"`, raw `R"x(…)x"`.
const CPP_PREFIXES: u32 = 1 << 14;
/// `@"…"` and `$"…"`.
const CS_PREFIXES: u32 = 1 << 15;
/// `#fff` colours, names with `-`, `name:` inside braces is a property.
const CSS_LIKE: u32 = 1 << 16;

/// The languages, one table each. Left as laid out: rustfmt would put
/// most keyword lists one word a line.
#[rustfmt::skip]
mod tables;
use tables::LANGS;

// ---------- The lexer ----------

/// The pieces so far; `base` is added to every end (markup lexes the
/// inside of `<script>` from an offset).
struct Out {
    pieces: Vec<(Token, usize)>,
    base: usize,
}

impl Out {
    fn push(&mut self, token: Token, end: usize) {
        let end = self.base + end;
        match self.pieces.last_mut() {
            Some(last) if end <= last.1 => {}
            Some(last) if last.0 == token => last.1 = end,
            _ if end == 0 => {}
            _ => self.pieces.push((token, end)),
        }
    }
}

fn lex(lang: &Lang, b: &[u8], out: &mut Out) {
    let has = |flag| lang.flags & flag != 0;
    let mut i = 0;
    // Only blanks so far on this line.
    let mut line_start = true;
    // Open braces, for CSS properties.
    let mut depth = 0u32;
    while i < b.len() {
        let c = b[i];
        let rest = &b[i..];
        let after_blank = i == 0 || b[i - 1].is_ascii_whitespace();
        let (token, end) = if let Some(marker) = lang.line.iter().find(|m| {
            rest.starts_with(m.as_bytes()) && (**m != "#" || !has(HASH_BLANK) || after_blank)
        }) {
            (Token::Comment, line_end(b, i + marker.len()))
        } else if let Some((open, close)) =
            lang.block.filter(|(o, _)| rest.starts_with(o.as_bytes()))
        {
            let end =
                find(b, i + open.len(), close.as_bytes()).map_or(b.len(), |p| p + close.len());
            (Token::Comment, end)
        } else if let Some(end) = quoted(lang, b, i) {
            (string_or_key(lang, b, end), end)
        } else if c.is_ascii_digit()
            || (c == b'.'
                && next_is_digit(b, i + 1)
                && !(i > 0 && (is_name(lang, b[i - 1]) || b[i - 1] == b'.')))
        {
            (Token::Number, number(b, i))
        } else if starts_name(lang, b, i) {
            let end = name_end(lang, b, i);
            match prefixed_string(lang, b, i, end) {
                Some(end) => (Token::String, end),
                None => (word(lang, b, i, end, line_start, depth), end),
            }
        } else {
            punctuation(lang, b, i, line_start)
        };
        match c {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        line_start = match c {
            b'\n' => true,
            b' ' | b'\t' | b'\r' => line_start,
            // A YAML list item: `- key: value`.
            b'-' if has(KEY_COLON) && b.get(i + 1) == Some(&b' ') => line_start,
            _ => false,
        };
        out.push(token, end);
        i = end.max(i + 1);
    }
}

/// A name from `start` to `end`: keyword, type, call, key or plain.
fn word(lang: &Lang, b: &[u8], start: usize, end: usize, line_start: bool, depth: u32) -> Token {
    let has = |flag| lang.flags & flag != 0;
    let text = &b[start..end];
    let after = next_non_blank(b, end);
    let blank_or_end = |i: usize| b.get(i).is_none_or(u8::is_ascii_whitespace);
    let key = (line_start
        && ((has(KEY_COLON) && after.is_some_and(|(c, i)| c == b':' && blank_or_end(i + 1)))
            || (has(KEY_EQUALS) && after.is_some_and(|(c, _)| c == b'='))))
        || (has(CSS_LIKE) && depth > 0 && after.is_some_and(|(c, _)| c == b':'));
    if key {
        return Token::Type;
    }
    // `x.type`, `--for`: a field or a flag, not the keyword.
    let member = start > 0 && matches!(b[start - 1], b'.' | b'-');
    if !member && lookup(lang.keywords, text, has(NO_CASE)) {
        return Token::Keyword;
    }
    if !member && lookup(lang.types, text, has(NO_CASE)) {
        return Token::Type;
    }
    let next = b.get(end).copied();
    let macro_call =
        has(RUST_LIKE) && next == Some(b'!') && matches!(b.get(end + 1), Some(b'(' | b'[' | b'{'));
    if has(CALLS) && (next == Some(b'(') || macro_call) {
        return Token::Function;
    }
    let capital = text[0].is_ascii_uppercase()
        && (text.len() == 1 || text.iter().any(u8::is_ascii_lowercase));
    if has(CAPS) && capital {
        return Token::Type;
    }
    Token::Plain
}

/// Whatever starts at `b[i]` that is not a comment, string, number or
/// name: sigils (`@x`, `$x`, `#x`), sections, Rust's `'`, or one
/// character of plain text.
fn punctuation(lang: &Lang, b: &[u8], i: usize, line_start: bool) -> (Token, usize) {
    let has = |flag| lang.flags & flag != 0;
    let c = b[i];
    let next = b.get(i + 1).copied().unwrap_or(0);
    let name_after = |j: usize| {
        b.get(j)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
    };
    match c {
        b'@' if has(AT_TYPE | AT_KEYWORD) && name_after(i + 1) => {
            let token = if has(AT_KEYWORD) {
                Token::Keyword
            } else {
                Token::Type
            };
            return (token, name_end(lang, b, i + 1));
        }
        b'@' | b'$' if has(CS_PREFIXES) => {
            let mut j = i;
            while j < i + 2 && matches!(b.get(j), Some(b'@' | b'$')) {
                j += 1;
            }
            if b.get(j) == Some(&b'"') {
                if b[j..].starts_with(b"\"\"\"") {
                    return (Token::String, scan(b, j, b"\"\"\"", false, true));
                }
                let verbatim = b[i..j].contains(&b'@');
                return (Token::String, scan(b, j, b"\"", !verbatim, verbatim));
            }
        }
        b'$' if has(DOLLAR) => {
            if next == b'{' {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'}' || c == b'\n')
                    .map_or(b.len(), |p| i + p + usize::from(b[i + p] == b'}'));
                return (Token::Type, end);
            }
            if name_after(i + 1) {
                let end = i
                    + 1
                    + b[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                        .count();
                return (Token::Type, end);
            }
            if next.is_ascii_digit() || b"@*#?$!-".contains(&next) {
                return (Token::Type, i + 2);
            }
        }
        b'#' if has(DIRECTIVES) && line_start => {
            let mut j = i + 1;
            while matches!(b.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            if name_after(j) {
                return (Token::Keyword, name_end(lang, b, j));
            }
        }
        b'#' if has(CSS_LIKE) => {
            let end = name_end(lang, b, i + 1);
            let hex = &b[i + 1..end];
            if matches!(hex.len(), 3 | 4 | 6 | 8) && hex.iter().all(u8::is_ascii_hexdigit) {
                return (Token::Number, end);
            }
        }
        b'[' if has(SECTIONS) && line_start => {
            let end = line_end(b, i);
            if let Some(close) = b[i..end].iter().rposition(|&c| c == b']') {
                return (Token::Keyword, i + close + 1);
            }
        }
        b'\'' if has(RUST_LIKE) => {
            if let Some(end) = rust_char(b, i) {
                return (Token::String, end);
            }
            if name_after(i + 1) {
                return (Token::Type, name_end(lang, b, i + 1));
            }
        }
        _ => {}
    }
    (Token::Plain, i + utf8_len(c))
}

mod scan;
use scan::*;

mod markup;
use markup::{diff, markup};

#[cfg(test)]
mod tests;
