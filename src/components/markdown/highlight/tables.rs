//! The languages, one table each. Left as laid out: rustfmt would put
//! most keyword lists one word a line.

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
