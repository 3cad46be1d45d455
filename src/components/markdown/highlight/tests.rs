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

#[test]
fn unknown_languages_and_case() {
    assert!(highlight("brainfuck", "+-").is_none());
    assert!(highlight("", "x").is_none());
    assert_eq!(kind("RUST", "fn x", "fn"), Keyword);
    assert_eq!(kind("Py", "def x", "def"), Keyword);
    assert_eq!(highlight("rust", ""), Some(vec![]));
}

#[test]
fn rust() {
    let code = "fn format(s: &str) -> u8 { for x in 0..1 { println!(\"a \\\"b\\\" c\"); } }";
    check(
        "rust",
        code,
        &[
            ("fn", Keyword),
            ("format", Function),
            ("for", Keyword),
            ("in", Keyword),
            ("u8", Type),
            ("str", Type),
            ("println", Function),
            ("\"a \\\"b\\\" c\"", STR),
            ("0", Number),
            ("1", Number),
        ],
    );
    let code = "let r = r#\"raw \"x\"\"#; // done\n/* a\nb */ 'a' '\\'' b'x' &'a T Option<String> MAX s.type";
    check(
        "rs",
        code,
        &[
            ("r#\"raw \"x\"\"#", STR),
            ("// done", Comment),
            ("/* a\nb */", Comment),
            ("'a'", STR),
            ("'\\''", STR),
            ("b'x'", STR),
            ("'a", Type),
            ("T", Type),
            ("Option", Type),
            ("String", Type),
            ("MAX", Plain),
            ("type", Plain),
        ],
    );
    check(
        "rust",
        "0x1F 1_000 3.14e-2 2.5f32 '中' b\"x\"",
        &[
            ("0x1F", Number),
            ("1_000", Number),
            ("3.14e-2", Number),
            ("2.5f32", Number),
            ("'中'", STR),
            ("b\"x\"", STR),
        ],
    );
    // A raw identifier is not a string.
    assert_eq!(kind("rust", "r#type", "r"), Plain);
}

#[test]
fn python() {
    let code = "def format(x): # if\n    return f\"{x}\" + r'\\d' + '''a\n'b'\n''' if True else None\n@dataclass\nclass Foo: pass";
    check(
        "python",
        code,
        &[
            ("def", Keyword),
            ("format", Function),
            ("# if", Comment),
            ("return", Keyword),
            ("f\"{x}\"", STR),
            ("r'\\d'", STR),
            ("'''a\n'b'\n'''", STR),
            ("True", Keyword),
            ("None", Keyword),
            ("@dataclass", Type),
            ("Foo", Type),
        ],
    );
    check(
        "py",
        "x = 'it\\'s' # c",
        &[("'it\\'s'", STR), ("# c", Comment)],
    );
}

#[test]
fn javascript_and_typescript() {
    let code = "const s = `a\n${b}` // c\nfunction formatDate() { return obj.default; }";
    check(
        "js",
        code,
        &[
            ("const", Keyword),
            ("`a\n${b}`", STR),
            ("// c", Comment),
            ("function", Keyword),
            ("formatDate", Function),
            ("return", Keyword),
            ("default", Plain),
        ],
    );
    let code = "interface A { n: number }\ntype B = string | null;";
    check(
        "tsx",
        code,
        &[
            ("interface", Keyword),
            ("A", Type),
            ("number", Type),
            ("type", Keyword),
            ("string", Type),
            ("null", Keyword),
        ],
    );
    // Not TypeScript, so `interface` is a plain name in JavaScript.
    assert_eq!(kind("javascript", "interface", "interface"), Plain);
    check(
        "mjs",
        "$el.on('x')",
        &[("$el", Plain), ("on", Function), ("'x'", STR)],
    );
}

#[test]
fn json() {
    let code = "{\"key\": \"va\\\"lue\", \"n\": -1.5e3, \"ok\": true, \"x\": null}";
    check(
        "json",
        code,
        &[
            ("\"key\"", Type),
            ("\"va\\\"lue\"", STR),
            ("1.5e3", Number),
            ("true", Keyword),
            ("null", Keyword),
        ],
    );
}

#[test]
fn shell() {
    let code = "#!/bin/sh\nfor f in *.rs; do echo \"$f\" $HOME ${x#y} $1; done # c\napt-get install --for format a#b";
    check(
        "bash",
        code,
        &[
            ("#!/bin/sh", Comment),
            ("for", Keyword),
            ("in", Keyword),
            ("do", Keyword),
            ("echo", Type),
            ("\"$f\"", STR),
            ("$HOME", Type),
            ("${x#y}", Type),
            ("$1", Type),
            ("done", Keyword),
            ("# c", Comment),
            ("apt-get install --for format a#b", Plain),
        ],
    );
    let pieces = highlight("console", "$ ls --for").unwrap();
    assert!(
        pieces.iter().all(|(token, _)| *token == Plain),
        "{pieces:?}"
    );
}

#[test]
fn c_family() {
    let code = "#include <stdio.h>\nint main(void) { char c = '\\n'; return 0x1F; } // x";
    check(
        "c",
        code,
        &[
            ("#include", Keyword),
            ("int", Type),
            ("main", Function),
            ("void", Type),
            ("'\\n'", STR),
            ("return", Keyword),
            ("0x1F", Number),
            ("// x", Comment),
        ],
    );
    let code = "auto s = R\"x(a\")\"b)x\"; std::vector<Foo> v; nullptr; u8\"z\"";
    check(
        "c++",
        code,
        &[
            ("auto", Keyword),
            ("R\"x(a\")\"b)x\"", STR),
            ("Foo", Type),
            ("nullptr", Keyword),
            ("u8\"z\"", STR),
        ],
    );
    let code = "#region x\nvar p = @\"C:\\dir\\\"; var q = $\"{a}\\\"\"; string s;";
    check(
        "c#",
        code,
        &[
            ("#region", Keyword),
            ("var", Keyword),
            ("@\"C:\\dir\\\"", STR),
            ("$\"{a}\\\"\"", STR),
            ("string", Type),
        ],
    );
    let code = "@Override public String format() { return \"\"\"\n  hi \"\"\"; }";
    check(
        "java",
        code,
        &[
            ("@Override", Type),
            ("public", Keyword),
            ("String", Type),
            ("format", Function),
            ("\"\"\"\n  hi \"\"\"", STR),
        ],
    );
    let code = "fun main() { val s = \"\"\"C:\\\"\"\" }";
    check(
        "kt",
        code,
        &[
            ("fun", Keyword),
            ("val", Keyword),
            ("\"\"\"C:\\\"\"\"", STR),
        ],
    );
    let code = "func main() { s := `raw\\` + \"x\"; var n int64 = 1e9 }";
    check(
        "go",
        code,
        &[
            ("func", Keyword),
            ("`raw\\`", STR),
            ("\"x\"", STR),
            ("int64", Type),
            ("1e9", Number),
        ],
    );
    let code = "guard let x: Int = y else { return }";
    check(
        "swift",
        code,
        &[("guard", Keyword), ("let", Keyword), ("Int", Type)],
    );
}

#[test]
fn sql() {
    let code = "SELECT name, COUNT(*) FROM users WHERE note = 'it''s' -- c\nselect id::VarChar(10) /* x */";
    check(
        "sql",
        code,
        &[
            ("SELECT", Keyword),
            ("COUNT", Function),
            ("FROM", Keyword),
            ("WHERE", Keyword),
            ("'it''s'", STR),
            ("-- c", Comment),
            ("select", Keyword),
            ("VarChar", Type),
            ("10", Number),
            ("/* x */", Comment),
            ("name", Plain),
        ],
    );
}

#[test]
fn config_files() {
    let code = "name: x # c\nurl: http://a#b\n- run: cargo\n  \"q k\": 'v' \non: true\nport: 8080";
    check(
        "yaml",
        code,
        &[
            ("name", Type),
            ("# c", Comment),
            ("url", Type),
            ("run", Type),
            ("\"q k\"", Type),
            ("'v'", STR),
            ("on", Type),
            ("true", Keyword),
            ("8080", Number),
        ],
    );
    assert_eq!(kind("yml", "a: http://a#b", "http"), Plain);
    let code = "[package]\nname = \"x\" # c\nedition.workspace = true\n[[bin]]\n; ini";
    check(
        "toml",
        code,
        &[
            ("[package]", Keyword),
            ("name", Type),
            ("\"x\"", STR),
            ("# c", Comment),
            ("edition.workspace", Type),
            ("true", Keyword),
            ("[[bin]]", Keyword),
            ("; ini", Comment),
        ],
    );
}

#[test]
fn markup() {
    let code = "<!DOCTYPE html>\n<a href=\"x\" data-x=y>t &amp; u</a><!-- c -->\n<script>let x = 1;</script><style>p { color: red }</style>";
    check(
        "html",
        code,
        &[
            ("DOCTYPE", Keyword),
            ("a", Keyword),
            ("href", Type),
            ("\"x\"", STR),
            ("data-x", Type),
            ("y", STR),
            ("&amp;", Type),
            ("<!-- c -->", Comment),
            ("script", Keyword),
            ("let", Keyword),
            ("color", Type),
        ],
    );
    check(
        "xml",
        "<?xml version=\"1.0\"?><r/>",
        &[("xml", Keyword), ("version", Type), ("r", Keyword)],
    );
    // Text that only looks like a tag stays text.
    assert!(highlight("html", "a < b && c")
        .unwrap()
        .iter()
        .all(|(t, _)| *t == Plain));
}

#[test]
fn css() {
    let code = "@media (x) { .a:hover { color: #fff; margin: -1.5em !important; --my-var: rgb(1 2 3); } } /* c */";
    check(
        "css",
        code,
        &[
            ("@media", Keyword),
            ("hover", Plain),
            ("color", Type),
            ("#fff", Number),
            ("margin", Type),
            ("1.5em", Number),
            ("important", Keyword),
            ("--my-var", Type),
            ("rgb", Function),
            ("/* c */", Comment),
        ],
    );
    check("scss", "// c\na { b: c }", &[("// c", Comment)]);
    // Plain CSS has no line comments: `//` in a URL is not one.
    assert_eq!(kind("css", "a { b: url(//x) }", "url"), Function);
}

#[test]
fn ruby_and_php() {
    let code = "def format(x) # c\n  @name = \"hi\" unless x.nil?\nend";
    check(
        "rb",
        code,
        &[
            ("def", Keyword),
            ("format", Function),
            ("# c", Comment),
            ("@name", Type),
            ("\"hi\"", STR),
            ("unless", Keyword),
            ("end", Keyword),
        ],
    );
    let code = "<?php $for = 'x'; echo $this->format($for); // c";
    check(
        "php",
        code,
        &[
            ("php", Keyword),
            ("$for", Plain),
            ("echo", Keyword),
            ("$this", Keyword),
            ("format", Function),
            ("// c", Comment),
        ],
    );
}

#[test]
fn diffs() {
    let code = "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same";
    let pieces = highlight("diff", code).unwrap();
    assert_eq!(
        pieces,
        vec![
            (Keyword, "--- a\n+++ b\n"),
            (Function, "@@ -1 +1 @@\n"),
            (Token::Removed, "-old\n"),
            (Token::Added, "+new\n"),
            (Plain, " same"),
        ]
    );
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
