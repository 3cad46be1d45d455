//! The parsed tree written out as HTML text. Every piece of the answer
//! goes through [`text`] or [`attribute`], which escape it; the tags are
//! this file's own. Text instead of views: 50 stored answers render in a
//! fraction of the time (`benches/app_page.sh`), and the browser's bundle
//! carries one small writer instead of a view type per construct.

use super::{
    highlight,
    tree::{Kind, Node},
};

/// Appends `nodes` to `out`.
pub(super) fn write(out: &mut String, nodes: &[Node]) {
    for node in nodes {
        write_node(out, node);
    }
}

fn write_node(out: &mut String, node: &Node) {
    match node {
        Node::Text(t) => text(out, t),
        Node::Code(code) => {
            out.push_str("<code>");
            text(out, code);
            out.push_str("</code>");
        }
        Node::CodeBlock { lang, code } => code_block(out, lang.as_deref(), code),
        Node::Link {
            href: Some(href),
            children,
        } => {
            out.push_str("<a href=\"");
            attribute(out, href);
            out.push_str("\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">");
            write(out, children);
            out.push_str("</a>");
        }
        Node::Link {
            href: None,
            children,
        } => write(out, children),
        Node::Task(done) => out.push_str(if *done {
            r#"<input type="checkbox" disabled checked class="task">"#
        } else {
            r#"<input type="checkbox" disabled class="task">"#
        }),
        Node::Break => out.push_str("<br>"),
        Node::Rule => out.push_str("<hr>"),
        Node::Container(kind, kids) => container(out, *kind, kids),
    }
}

fn container(out: &mut String, kind: Kind, kids: &[Node]) {
    let tag = match kind {
        Kind::Paragraph => "p",
        // Two levels down, so a model's `#` title does not dwarf the chat.
        Kind::Heading(1) => "h3",
        Kind::Heading(2) => "h4",
        Kind::Heading(3) => "h5",
        Kind::Heading(_) => "h6",
        Kind::Quote => "blockquote",
        Kind::List(None) => "ul",
        Kind::List(Some(first)) => {
            if first == 1 {
                out.push_str("<ol>");
            } else {
                out.push_str("<ol start=\"");
                out.push_str(&first.to_string());
                out.push_str("\">");
            }
            write(out, kids);
            out.push_str("</ol>");
            return;
        }
        Kind::Item => "li",
        // The wrapper lets a wide table scroll instead of widening the chat.
        Kind::Table => {
            out.push_str(r#"<div class="table-scroll"><table>"#);
            write(out, kids);
            out.push_str("</table></div>");
            return;
        }
        Kind::TableHead => {
            out.push_str("<thead><tr>");
            write(out, kids);
            out.push_str("</tr></thead>");
            return;
        }
        Kind::TableBody => "tbody",
        Kind::Row => "tr",
        Kind::HeadCell => "th",
        Kind::Cell => "td",
        Kind::Emphasis => "em",
        Kind::Strong => "strong",
        Kind::Strike => "del",
        Kind::Plain => return write(out, kids),
    };
    out.push('<');
    out.push_str(tag);
    out.push('>');
    write(out, kids);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// A code block: a bar with its language and a Copy button (its click is
/// handled by the list of messages, see `browser::copy_code_block`; without
/// the WASM bundle it is hidden), then the code, highlighted when its
/// language is one `highlight` knows.
fn code_block(out: &mut String, lang: Option<&str>, code: &str) {
    out.push_str(r#"<div class="code-block"><div class="code-bar">"#);
    if let Some(lang) = lang {
        // `tree::language` keeps only characters safe in a class name.
        out.push_str(r#"<span class="code-lang">"#);
        text(out, lang);
        out.push_str("</span>");
    }
    out.push_str(
        r#"<button type="button" aria-label="Copy code" class="copy-btn needs-js">Copy</button></div><pre tabindex="0">"#,
    );
    match lang {
        Some(lang) => {
            out.push_str(r#"<code class="language-"#);
            attribute(out, lang);
            out.push_str("\">");
        }
        None => out.push_str("<code>"),
    }
    match lang.and_then(|lang| highlight::highlight(lang, code)) {
        Some(pieces) => {
            for (token, piece) in pieces {
                match token.class() {
                    Some(class) => {
                        out.push_str("<span class=\"");
                        out.push_str(class);
                        out.push_str("\">");
                        text(out, piece);
                        out.push_str("</span>");
                    }
                    None => text(out, piece),
                }
            }
        }
        None => text(out, code),
    }
    out.push_str("</code></pre></div>");
}

/// `s` as the text of an element.
fn text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// `s` inside a double-quoted attribute.
fn attribute(out: &mut String, s: &str) {
    escape(out, s, true);
}

fn escape(out: &mut String, s: &str, quotes: bool) {
    let mut rest = s;
    while let Some(at) = rest.find(|c| matches!(c, '&' | '<' | '>') || (quotes && c == '"')) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}
