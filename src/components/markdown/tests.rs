use super::{tree::MAX_DEPTH, *};

/// The server's HTML for `markdown`, less the `<!>` hydration markers.
fn html(markdown: &str) -> String {
    let text = markdown.to_owned();
    let out = Owner::new().with(|| view! { <Markdown text=Signal::stored(text)/> }.to_html());
    out.replace("<!>", "")
}

fn assert_contains(out: &str, parts: &[&str]) {
    for part in parts {
        assert!(out.contains(part), "{part} not in {out}");
    }
}

#[test]
fn raw_html_shows_as_text() {
    for md in ["<script>alert(1)</script>", "Hi <script>alert(1)</script>!"] {
        let out = html(md);
        assert_contains(&out, &["&lt;script&gt;alert(1)&lt;/script&gt;"]);
        assert!(!out.contains("<script"), "{out}");
    }
    let out = html("<img src=x onerror=alert(1)>\n<b>two</b>");
    assert_contains(
        &out,
        &["<p>&lt;img src=x onerror=alert(1)&gt;<br>&lt;b&gt;two"],
    );
}

#[test]
fn only_web_and_mail_links_become_links() {
    let md = "[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](data:text/html,x) [d](/admin)";
    assert_eq!(
        html(md),
        r#"<div class="message-body"><p>a b c d</p></div>"#
    );
    assert!(!html("<vbscript:x> [x]( javascript:y)").contains("href"));
    // A quote cannot end the attribute early.
    let out = html(r#"[q](https://a.example/"onmouseover=alert(1))"#);
    assert_contains(
        &out,
        &[r#"href="https://a.example/&quot;onmouseover=alert(1)""#],
    );
    let out = html("[site](https://example.com/?q=1&r=2) <me@example.com> <HTTP://A.B>");
    assert_contains(
        &out,
        &[
            r#"<a href="https://example.com/?q=1&amp;r=2" rel="noopener noreferrer nofollow" target="_blank">site</a>"#,
            r#"href="mailto:me@example.com""#,
            r#"href="HTTP://A.B""#,
        ],
    );
}

#[test]
fn images_become_links() {
    let out = html("![a cat](https://example.com/cat.png) ![x](javascript:alert(1))");
    assert!(
        !out.contains("<img") && !out.contains("javascript"),
        "{out}"
    );
    assert_contains(
        &out,
        &[r#"href="https://example.com/cat.png""#, ">a cat</a> x"],
    );
}

#[test]
fn code_blocks_get_a_copy_button_and_a_safe_language() {
    let out = html("```rust\nlet s = \"<b>\";\n```");
    assert_contains(
        &out,
        &[
            r#"<div class="code-block"><div class="code-bar"><span class="code-lang">rust</span><button type="button" aria-label="Copy code" class="copy-btn needs-js">Copy</button></div>"#,
            r#"<pre tabindex="0"><code class="language-rust"><span class="tok-kw">let</span> s = <span class="tok-str">"&lt;b&gt;"</span>;"#,
            "\n</code></pre></div></div>",
        ],
    );
    let out = html("```rust\"><b onclick=x\ncode\n```");
    assert_contains(
        &out,
        &[
            r#"<span class="code-lang">rustb</span>"#,
            r#"<code class="language-rustb">code"#,
        ],
    );
    let out = html("    indented\n");
    assert_contains(
        &out,
        &[
            r#"<div class="code-bar"><button"#,
            "<pre tabindex=\"0\"><code>indented\n</code></pre>",
        ],
    );
    assert!(!out.contains("code-lang"), "{out}");
}

#[test]
fn code_blocks_are_highlighted_under_their_language() {
    let out = html("```rust\nfn main() { let n = 0x1F; } // done\n```");
    assert_contains(
        &out,
        &[
            r#"<div class="code-bar"><span class="code-lang">rust</span><button"#,
            concat!(
                r#"<code class="language-rust"><span class="tok-kw">fn</span> "#,
                r#"<span class="tok-fn">main</span>() { <span class="tok-kw">let</span> n = "#,
                r#"<span class="tok-num">0x1F</span>; } <span class="tok-com">// done</span>"#,
                "\n</code>",
            ),
        ],
    );
    // A language the highlighter does not know: labelled, and plain escaped text.
    let out = html("```brainfuck\nfn <b> & \"x\"\n```");
    assert_contains(
        &out,
        &[
            r#"<span class="code-lang">brainfuck</span>"#,
            "<code class=\"language-brainfuck\">fn &lt;b&gt; &amp; \"x\"\n</code>",
        ],
    );
    assert!(!out.contains("tok-"), "{out}");
    // Non-Latin text inside highlighted code comes through whole.
    let out = html("```py\ns = \"你好, Xin chào\"  # bình luận\n```");
    assert_contains(
        &out,
        &[
            r#"<span class="tok-str">"你好, Xin chào"</span>  <span class="tok-com"># bình luận</span>"#,
        ],
    );
}

#[test]
fn block_and_inline_markdown_renders() {
    let out = html("# Title\n\n*em* **strong** ~~gone~~ `x<y`\n\n> quoted\n\n---\n\na  \nb");
    assert_contains(
        &out,
        &[
            "<h3>Title</h3><p><em>em</em> <strong>strong</strong> <del>gone</del>",
            "<code>x&lt;y</code></p><blockquote><p>quoted</p></blockquote><hr><p>a<br>b</p>",
        ],
    );
    let out = html("- a\n- b\n\n3. c\n4. d\n\nand\n\n1. e\n\n- [x] done\n- [ ] todo");
    assert_contains(
        &out,
        &[
            "<ul><li>a</li><li>b</li></ul>",
            "<ol start=\"3\"><li>c</li><li>d</li></ol>",
            "<ol><li>e</li></ol>",
        ],
    );
    assert_contains(
        &out,
        &[r#"<li><input type="checkbox" disabled checked class="task">done</li>"#],
    );
    assert_eq!(out.matches("checked").count(), 1, "{out}");
    let out = html("| a | b |\n|---|---|\n| 1 | 2 |");
    let table = "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>";
    assert_contains(&out, &[table]);
}

#[test]
fn non_latin_text_survives() {
    let out = html("你好，世界\n\nXin chào thế giới");
    assert_contains(&out, &["<p>你好，世界</p><p>Xin chào thế giới</p>"]);
}

#[test]
fn deep_nesting_is_flattened() {
    let out = html(&format!("{} deep", ">".repeat(5000)));
    assert!(out.contains("deep") && out.matches("<blockquote>").count() <= MAX_DEPTH);
}
