//! Query, configuration, markup and style languages, and diffs.

use super::*;

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
