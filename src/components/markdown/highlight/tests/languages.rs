//! The programming languages, each on code that shows its rules.

use super::*;

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
