use super::*;

/// The kind of the first piece that is exactly `text`, or `Plain` if
/// a plain piece (they are merged) contains it.
fn kind(lang: &str, code: &str, text: &str) -> Token {
    let pieces = highlight(lang, code).expect("a known language");
    let exact = pieces.iter().find(|(_, piece)| *piece == text);
    let plain = || {
        pieces
            .iter()
            .find(|(t, piece)| *t == Plain && piece.contains(text))
    };
    match exact.or_else(plain) {
        Some((token, _)) => *token,
        None => panic!("no piece {text:?} in {pieces:?}"),
    }
}

fn check(lang: &str, code: &str, expected: &[(&str, Token)]) {
    for (text, token) in expected {
        assert_eq!(
            kind(lang, code, text),
            *token,
            "{text:?} in {lang}: {code:?}"
        );
    }
}

use Token::{Comment, Function, Keyword, Number, Plain, Type};
const STR: Token = Token::String;

mod data_and_markup;
mod languages;

#[test]
fn unknown_languages_and_case() {
    assert!(highlight("brainfuck", "+-").is_none());
    assert!(highlight("", "x").is_none());
    assert_eq!(kind("RUST", "fn x", "fn"), Keyword);
    assert_eq!(kind("Py", "def x", "def"), Keyword);
    assert_eq!(highlight("rust", ""), Some(vec![]));
}

#[test]
fn tables_are_sorted() {
    for (name, syntax) in LANGS {
        let Syntax::Code(lang) = syntax else { continue };
        for list in lang.keywords.iter().chain(lang.types) {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{name}: {list:?}");
            if lang.flags & NO_CASE != 0 {
                assert!(list.iter().all(|w| w.to_ascii_lowercase() == *w), "{name}");
            }
        }
    }
}

/// Every piece is non-empty, the pieces make up the input exactly,
/// and every cut is on a character boundary (so the fallback in
/// `highlight` never has to move one).
fn assert_round_trip(code: &str) {
    for (name, syntax) in LANGS {
        let cuts = cut(*syntax, code.as_bytes());
        let mut last = 0;
        for (_, end) in &cuts {
            assert!(
                *end > last && *end <= code.len(),
                "{name}: {cuts:?} {code:?}"
            );
            assert!(
                code.is_char_boundary(*end),
                "{name}: cut at {end} in {code:?}"
            );
            last = *end;
        }
        let pieces = highlight(name, code).unwrap();
        assert!(
            pieces.iter().all(|(_, piece)| !piece.is_empty()),
            "{name}: {code:?}"
        );
        let text: String = pieces.iter().map(|(_, piece)| *piece).collect();
        assert_eq!(text, code, "{name}");
    }
}

#[test]
fn odd_input_round_trips() {
    let cases = [
        "",
        "\"unterminated",
        "'",
        "'\\",
        "\"\\",
        "/* open",
        "<!-- open",
        "<a href=\"x",
        "<script>let s = \"",
        "<style",
        "r#\"open",
        "R\"x(open",
        "@\"open",
        "$",
        "${",
        "#",
        "[",
        "`",
        "\"\"\"",
        "0x",
        "1.",
        "1e+",
        ".5",
        "'中",
        "'中'",
        "'\\u{4e2d}'",
        "// 你好，世界\nlet s = \"Xin chào thế giới\";",
        "x = 'Tiếng Việt' # bình luận\r\n",
        "line one\r\nline two\r\n\"crlf\r\nstring\"",
        "中文标识符 = 变量 + 1",
        "\u{1F600}\"\u{1F600}\"'\u{1F600}'#\u{1F600}@\u{1F600}$\u{1F600}<\u{1F600}>&\u{1F600};",
        "a\\\u{e9}\"\\\u{e9}\"",
        "+\n-\n@@",
        "\u{0}\u{7f}\t\r",
    ];
    for code in cases {
        assert_round_trip(code);
    }
}

#[test]
fn random_input_round_trips() {
    const PARTS: &[&str] = &[
        "\"",
        "'",
        "\\",
        "/*",
        "*/",
        "//",
        "#",
        "<",
        ">",
        "<!--",
        "-->",
        "`",
        "r#\"",
        "\"#",
        "\"\"\"",
        "'''",
        "中",
        "ệ",
        "\u{1F600}",
        "\r\n",
        "\n",
        " ",
        "$",
        "${",
        "}",
        "{",
        "@",
        "0x",
        "1.5e-",
        "9",
        "_",
        "a",
        "fn",
        "for",
        "Type",
        "(",
        "!",
        "-",
        "--",
        ":",
        "=",
        "[",
        "]",
        "&",
        ";",
        "R\"x(",
        ")x\"",
        "@\"",
        "$\"",
        "b'",
        "<script>",
        "</script>",
        "<style>",
        ".",
        "+",
        "\t",
        "é",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..1500 {
        let len = next() % 40;
        let code: String = (0..len)
            .map(|_| PARTS[(next() % PARTS.len() as u64) as usize])
            .collect();
        assert_round_trip(&code);
    }
    // Random bytes made valid UTF-8.
    for _ in 0..300 {
        let bytes: Vec<u8> = (0..next() % 64).map(|_| next() as u8).collect();
        assert_round_trip(&String::from_utf8_lossy(&bytes));
    }
}
