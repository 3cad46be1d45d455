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
mod tables {
    use super::*;

    const C_QUOTES: &[Quote] = &[q("\"", true, false), q("'", true, false)];

    pub(super) static RUST: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: &[q("\"", true, true)],
        keywords: &[&[
            "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
            "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod",
            "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
            "true", "type", "unsafe", "use", "where", "while",
        ]],
        types: &[&[
            "bool", "char", "f32", "f64", "i128", "i16", "i32", "i64", "i8", "isize", "str", "u128",
            "u16", "u32", "u64", "u8", "usize",
        ]],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS | RUST_LIKE,
    };

    pub(super) static PYTHON: Lang = Lang {
        line: &["#"],
        block: None,
        quotes: &[
            q("\"\"\"", true, true),
            q("'''", true, true),
            q("\"", true, false),
            q("'", true, false),
        ],
        keywords: &[&[
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
            "return", "self", "try", "while", "with", "yield",
        ]],
        types: &[&[
            "bool", "bytearray", "bytes", "complex", "dict", "float", "frozenset", "int", "list",
            "object", "set", "str", "tuple", "type",
        ]],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS | AT_TYPE | PY_PREFIXES,
    };

    const JS_KEYWORDS: &[&str] = &[
        "async", "await", "break", "case", "catch", "class", "const", "continue", "debugger",
        "default", "delete", "do", "else", "export", "extends", "false", "finally", "for", "from",
        "function", "if", "import", "in", "instanceof", "let", "new", "null", "of", "return",
        "static", "super", "switch", "this", "throw", "true", "try", "typeof", "undefined", "var",
        "void", "while", "with", "yield",
    ];
    const JS_QUOTES: &[Quote] = &[
        q("`", true, true),
        q("\"", true, false),
        q("'", true, false),
    ];

    pub(super) static JAVASCRIPT: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: JS_QUOTES,
        keywords: &[JS_KEYWORDS],
        types: &[],
        first: b"$",
        rest: b"$",
        flags: CAPS | CALLS | AT_TYPE,
    };

    pub(super) static TYPESCRIPT: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: JS_QUOTES,
        keywords: &[
            JS_KEYWORDS,
            &[
                "abstract", "as", "asserts", "declare", "enum", "implements", "infer", "interface",
                "is", "keyof", "namespace", "override", "private", "protected", "public",
                "readonly", "satisfies", "type",
            ],
        ],
        types: &[&[
            "any", "bigint", "boolean", "never", "number", "object", "string", "symbol", "unknown",
        ]],
        first: b"$",
        rest: b"$",
        flags: CAPS | CALLS | AT_TYPE,
    };

    pub(super) static JSON: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: &[q("\"", true, false)],
        keywords: &[&["false", "null", "true"]],
        types: &[],
        first: b"",
        rest: b"",
        flags: STRING_KEYS,
    };

    pub(super) static SHELL: Lang = Lang {
        line: &["#"],
        block: None,
        quotes: &[q("\"", true, true), q("'", false, true)],
        keywords: &[&[
            "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in",
            "select", "then", "time", "until", "while",
        ]],
        types: &[&[
            "alias", "cd", "declare", "echo", "eval", "exec", "exit", "export", "local", "printf",
            "pwd", "read", "readonly", "return", "set", "shift", "source", "test", "trap", "unset",
        ]],
        first: b"",
        rest: b"-",
        flags: CALLS | HASH_BLANK | DOLLAR,
    };

    const C_KEYWORDS: &[&str] = &[
        "NULL", "auto", "break", "case", "const", "continue", "default", "do", "else", "enum",
        "extern", "false", "for", "goto", "if", "inline", "register", "restrict", "return",
        "sizeof", "static", "struct", "switch", "true", "typedef", "union", "volatile", "while",
    ];
    const C_TYPES: &[&str] = &[
        "bool", "char", "double", "float", "int", "int16_t", "int32_t", "int64_t", "int8_t", "long",
        "ptrdiff_t", "short", "signed", "size_t", "ssize_t", "uint16_t", "uint32_t", "uint64_t",
        "uint8_t", "uintptr_t", "unsigned", "void",
    ];

    pub(super) static C: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: C_QUOTES,
        keywords: &[C_KEYWORDS],
        types: &[C_TYPES],
        first: b"",
        rest: b"",
        flags: CALLS | DIRECTIVES | CPP_PREFIXES,
    };

    pub(super) static CPP: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: C_QUOTES,
        keywords: &[
            C_KEYWORDS,
            &[
                "alignas", "alignof", "catch", "class", "co_await", "co_return", "co_yield",
                "concept", "consteval", "constexpr", "decltype", "delete", "explicit", "export",
                "final", "friend", "mutable", "namespace", "new", "noexcept", "nullptr", "operator",
                "override", "private", "protected", "public", "requires", "static_assert",
                "template", "this", "throw", "try", "typename", "using", "virtual",
            ],
        ],
        types: &[C_TYPES, &["char16_t", "char32_t", "char8_t", "wchar_t"]],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS | DIRECTIVES | CPP_PREFIXES,
    };

    pub(super) static GO: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: &[
            q("`", false, true),
            q("\"", true, false),
            q("'", true, false),
        ],
        keywords: &[&[
            "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
            "false", "for", "func", "go", "goto", "if", "import", "interface", "iota", "map", "nil",
            "package", "range", "return", "select", "struct", "switch", "true", "type", "var",
        ]],
        types: &[&[
            "any", "bool", "byte", "complex128", "complex64", "error", "float32", "float64", "int",
            "int16", "int32", "int64", "int8", "rune", "string", "uint", "uint16", "uint32",
            "uint64", "uint8", "uintptr",
        ]],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS,
    };

    pub(super) static JAVA: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: &[
            q("\"\"\"", true, true),
            q("\"", true, false),
            q("'", true, false),
        ],
        keywords: &[&[
            "abstract", "assert", "break", "case", "catch", "class", "const", "continue", "default",
            "do", "else", "enum", "extends", "false", "final", "finally", "for", "goto", "if",
            "implements", "import", "instanceof", "interface", "native", "new", "null", "package",
            "permits", "private", "protected", "public", "record", "return", "sealed", "static",
            "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient",
            "true", "try", "var", "void", "volatile", "while", "yield",
        ]],
        types: &[&[
            "boolean", "byte", "char", "double", "float", "int", "long", "short",
        ]],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS | AT_TYPE,
    };

    pub(super) static KOTLIN: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: &[
            q("\"\"\"", false, true),
            q("\"", true, false),
            q("'", true, false),
        ],
        keywords: &[&[
            "abstract", "annotation", "as", "break", "by", "catch", "class", "companion", "const",
            "constructor", "continue", "data", "do", "else", "enum", "false", "final", "finally",
            "for", "fun", "if", "import", "in", "init", "inline", "interface", "internal", "is",
            "lateinit", "null", "object", "open", "operator", "out", "override", "package",
            "private", "protected", "public", "return", "sealed", "super", "suspend", "this",
            "throw", "true", "try", "typealias", "val", "var", "vararg", "when", "where", "while",
        ]],
        types: &[],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS | AT_TYPE,
    };

    pub(super) static CSHARP: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: &[
            q("\"\"\"", false, true),
            q("\"", true, false),
            q("'", true, false),
        ],
        keywords: &[&[
            "abstract", "as", "async", "await", "base", "break", "case", "catch", "checked",
            "class", "const", "continue", "default", "delegate", "do", "else", "enum", "event",
            "explicit", "extern", "false", "finally", "fixed", "for", "foreach", "get", "goto",
            "if", "implicit", "in", "init", "interface", "internal", "is", "lock", "namespace",
            "new", "null", "operator", "out", "override", "params", "private", "protected",
            "public", "readonly", "record", "ref", "return", "sealed", "set", "sizeof",
            "stackalloc", "static", "struct", "switch", "this", "throw", "true", "try", "typeof",
            "unchecked", "unsafe", "using", "var", "virtual", "void", "volatile", "when", "where",
            "while", "yield",
        ]],
        types: &[&[
            "bool", "byte", "char", "decimal", "double", "dynamic", "float", "int", "long", "nint",
            "nuint", "object", "sbyte", "short", "string", "uint", "ulong", "ushort",
        ]],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS | DIRECTIVES | CS_PREFIXES,
    };

    pub(super) static SQL: Lang = Lang {
        line: &["--"],
        block: Some(("/*", "*/")),
        quotes: &[q("'", false, true), q("\"", false, false)],
        keywords: &[&[
            "add", "all", "alter", "and", "as", "asc", "begin", "between", "by", "case", "check",
            "commit", "constraint", "create", "cross", "default", "delete", "desc", "distinct",
            "drop", "else", "end", "exists", "false", "foreign", "from", "full", "group", "having",
            "if", "in", "index", "inner", "insert", "into", "is", "join", "key", "left", "like",
            "limit", "not", "null", "offset", "on", "or", "order", "outer", "primary", "references",
            "returning", "right", "rollback", "select", "set", "table", "then", "transaction",
            "true", "union", "unique", "update", "values", "view", "when", "where", "with",
        ]],
        types: &[&[
            "bigint", "blob", "boolean", "char", "date", "decimal", "double", "float", "int",
            "integer", "json", "jsonb", "numeric", "real", "serial", "smallint", "text", "time",
            "timestamp", "timestamptz", "uuid", "varchar",
        ]],
        first: b"",
        rest: b"",
        flags: CALLS | NO_CASE,
    };

    pub(super) static YAML: Lang = Lang {
        line: &["#"],
        block: None,
        quotes: &[q("\"", true, false), q("'", false, false)],
        keywords: &[&["false", "no", "null", "off", "on", "true", "yes"]],
        types: &[],
        first: b"",
        rest: b"-.",
        flags: HASH_BLANK | KEY_COLON | STRING_KEYS,
    };

    pub(super) static TOML: Lang = Lang {
        line: &["#", ";"],
        block: None,
        quotes: &[
            q("\"\"\"", true, true),
            q("'''", false, true),
            q("\"", true, false),
            q("'", false, false),
        ],
        keywords: &[&["false", "true"]],
        types: &[],
        first: b"",
        rest: b"-.",
        flags: KEY_EQUALS | SECTIONS,
    };

    const CSS_KEYWORDS: &[&str] = &["auto", "important", "inherit", "initial", "none", "unset"];

    pub(super) static CSS: Lang = Lang {
        line: &[],
        block: Some(("/*", "*/")),
        quotes: &[q("\"", true, false), q("'", true, false)],
        keywords: &[CSS_KEYWORDS],
        types: &[],
        first: b"",
        rest: b"-",
        flags: CALLS | AT_KEYWORD | CSS_LIKE,
    };

    pub(super) static SCSS: Lang = Lang {
        line: &["//"],
        ..CSS
    };

    pub(super) static RUBY: Lang = Lang {
        line: &["#"],
        block: None,
        quotes: &[q("\"", true, true), q("'", true, true)],
        keywords: &[&[
            "BEGIN", "END", "alias", "and", "begin", "break", "case", "class", "def", "do", "else",
            "elsif", "end", "ensure", "false", "for", "if", "in", "module", "next", "nil", "not",
            "or", "redo", "rescue", "retry", "return", "self", "super", "then", "true", "undef",
            "unless", "until", "when", "while", "yield",
        ]],
        types: &[&[
            "attr_accessor", "attr_reader", "attr_writer", "extend", "include", "lambda", "private",
            "proc", "protected", "public", "puts", "raise", "require", "require_relative",
        ]],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS | AT_TYPE,
    };

    pub(super) static PHP: Lang = Lang {
        line: &["//", "#"],
        block: Some(("/*", "*/")),
        quotes: &[q("\"", true, true), q("'", true, true)],
        keywords: &[&[
            "$this", "abstract", "and", "as", "break", "case", "catch", "class", "clone", "const",
            "continue", "declare", "default", "do", "echo", "else", "elseif", "empty", "enum",
            "extends", "false", "final", "finally", "fn", "for", "foreach", "function", "global",
            "if", "implements", "include", "instanceof", "interface", "isset", "list", "match",
            "namespace", "new", "null", "or", "php", "print", "private", "protected", "public",
            "readonly", "require", "require_once", "return", "static", "switch", "throw", "trait",
            "true", "try", "unset", "use", "var", "while", "yield",
        ]],
        types: &[&[
            "array", "bool", "float", "int", "iterable", "mixed", "never", "object", "string",
            "void",
        ]],
        first: b"$",
        rest: b"",
        flags: CAPS | CALLS,
    };

    pub(super) static SWIFT: Lang = Lang {
        line: &["//"],
        block: Some(("/*", "*/")),
        quotes: &[q("\"\"\"", true, true), q("\"", true, false)],
        keywords: &[&[
            "any", "as", "associatedtype", "async", "await", "break", "case", "catch", "class",
            "continue", "default", "defer", "deinit", "do", "else", "enum", "extension",
            "fallthrough", "false", "fileprivate", "for", "func", "guard", "if", "import", "in",
            "init", "inout", "internal", "is", "let", "mutating", "nil", "open", "operator",
            "private", "protocol", "public", "repeat", "rethrows", "return", "self", "some",
            "static", "struct", "subscript", "super", "switch", "throw", "throws", "true", "try",
            "typealias", "var", "where", "while",
        ]],
        types: &[],
        first: b"",
        rest: b"",
        flags: CAPS | CALLS | AT_TYPE,
    };

    /// Language names as written after the fence, compared without case.
    pub(super) static LANGS: &[(&str, Syntax)] = &[
        ("rust", Syntax::Code(&RUST)),
        ("rs", Syntax::Code(&RUST)),
        ("python", Syntax::Code(&PYTHON)),
        ("py", Syntax::Code(&PYTHON)),
        ("python3", Syntax::Code(&PYTHON)),
        ("javascript", Syntax::Code(&JAVASCRIPT)),
        ("js", Syntax::Code(&JAVASCRIPT)),
        ("jsx", Syntax::Code(&JAVASCRIPT)),
        ("mjs", Syntax::Code(&JAVASCRIPT)),
        ("cjs", Syntax::Code(&JAVASCRIPT)),
        ("typescript", Syntax::Code(&TYPESCRIPT)),
        ("ts", Syntax::Code(&TYPESCRIPT)),
        ("tsx", Syntax::Code(&TYPESCRIPT)),
        ("json", Syntax::Code(&JSON)),
        ("jsonc", Syntax::Code(&JSON)),
        ("bash", Syntax::Code(&SHELL)),
        ("sh", Syntax::Code(&SHELL)),
        ("shell", Syntax::Code(&SHELL)),
        ("zsh", Syntax::Code(&SHELL)),
        ("console", Syntax::Code(&SHELL)),
        ("c", Syntax::Code(&C)),
        ("h", Syntax::Code(&C)),
        ("cpp", Syntax::Code(&CPP)),
        ("c++", Syntax::Code(&CPP)),
        ("cc", Syntax::Code(&CPP)),
        ("cxx", Syntax::Code(&CPP)),
        ("hpp", Syntax::Code(&CPP)),
        ("go", Syntax::Code(&GO)),
        ("golang", Syntax::Code(&GO)),
        ("java", Syntax::Code(&JAVA)),
        ("kotlin", Syntax::Code(&KOTLIN)),
        ("kt", Syntax::Code(&KOTLIN)),
        ("csharp", Syntax::Code(&CSHARP)),
        ("cs", Syntax::Code(&CSHARP)),
        ("c#", Syntax::Code(&CSHARP)),
        ("sql", Syntax::Code(&SQL)),
        ("yaml", Syntax::Code(&YAML)),
        ("yml", Syntax::Code(&YAML)),
        ("toml", Syntax::Code(&TOML)),
        ("ini", Syntax::Code(&TOML)),
        ("html", Syntax::Markup),
        ("xml", Syntax::Markup),
        ("svg", Syntax::Markup),
        ("css", Syntax::Code(&CSS)),
        ("scss", Syntax::Code(&SCSS)),
        ("ruby", Syntax::Code(&RUBY)),
        ("rb", Syntax::Code(&RUBY)),
        ("php", Syntax::Code(&PHP)),
        ("swift", Syntax::Code(&SWIFT)),
        ("diff", Syntax::Diff),
        ("patch", Syntax::Diff),
    ];
}

use tables::{CSS, JAVASCRIPT, LANGS};

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

/// A string of the language's own delimiters opening at `b[i]`: its end.
fn quoted(lang: &Lang, b: &[u8], i: usize) -> Option<usize> {
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
fn scan(b: &[u8], i: usize, delim: &[u8], escapes: bool, multiline: bool) -> usize {
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
fn string_or_key(lang: &Lang, b: &[u8], end: usize) -> Token {
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
fn prefixed_string(lang: &Lang, b: &[u8], start: usize, end: usize) -> Option<usize> {
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
fn rust_raw(b: &[u8], i: usize) -> Option<usize> {
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
fn cpp_raw(b: &[u8], i: usize) -> Option<usize> {
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
fn rust_char(b: &[u8], i: usize) -> Option<usize> {
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
fn number(b: &[u8], i: usize) -> usize {
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

fn next_is_digit(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_digit)
}

/// Part of a name: ASCII letters, digits, `_`, any non-ASCII byte (so a
/// name never ends inside a character), and the language's extras.
fn is_name(lang: &Lang, c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || c == b'_'
        || c >= 0x80
        || lang.first.contains(&c)
        || lang.rest.contains(&c)
}

fn starts_name(lang: &Lang, b: &[u8], i: usize) -> bool {
    let c = b[i];
    let next = b.get(i + 1).copied().unwrap_or(0);
    c.is_ascii_alphabetic()
        || c == b'_'
        || c >= 0x80
        || lang.first.contains(&c)
        // CSS: `-webkit-box`, `--custom`, but not `-2px`.
        || (c == b'-' && lang.flags & CSS_LIKE != 0 && (next.is_ascii_alphabetic() || next == b'-' || next == b'_'))
}

fn name_end(lang: &Lang, b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() && is_name(lang, b[j]) {
        j += 1;
    }
    j.min(b.len())
}

/// Whether `word` is in one of the sorted `lists`.
fn lookup(lists: &[&[&str]], word: &[u8], no_case: bool) -> bool {
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
fn next_non_blank(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let skip = b
        .get(i..)?
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    b.get(i + skip).map(|&c| (c, i + skip))
}

fn line_end(b: &[u8], i: usize) -> usize {
    find(b, i, b"\n").unwrap_or(b.len())
}

fn find(b: &[u8], from: usize, pattern: &[u8]) -> Option<usize> {
    let hay = b.get(from..)?;
    hay.windows(pattern.len())
        .position(|w| w == pattern)
        .map(|p| from + p)
}

/// The length of the UTF-8 character whose first byte is `c`.
fn utf8_len(c: u8) -> usize {
    match c {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

// ---------- Markup and diffs ----------

fn markup(b: &[u8], out: &mut Out) {
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

fn diff(b: &[u8], out: &mut Out) {
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

#[cfg(test)]
mod tests {
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
        let code =
            "name: x # c\nurl: http://a#b\n- run: cargo\n  \"q k\": 'v' \non: true\nport: 8080";
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
}
