//! The C family: C, C++, Go, Java, Kotlin, C#, Swift. Laid out by hand,
//! as the other tables.

use super::*;

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
