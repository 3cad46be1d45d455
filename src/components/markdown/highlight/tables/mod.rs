//! The languages, one table each. Left as laid out: rustfmt would put
//! most keyword lists one word a line.

use super::*;

#[rustfmt::skip]
mod c_family;
use c_family::{C, CPP, CSHARP, GO, JAVA, KOTLIN, SWIFT};

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
