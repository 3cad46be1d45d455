//! The parsed form of an answer: pulldown-cmark's events folded into a
//! small tree of our own, with depth bounded and link targets checked.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag};

/// Nesting deeper than this is flattened: the tree is built and rendered
/// recursively, and `>` repeated ten thousand times must not overflow the
/// (small, fixed) WASM stack.
pub(super) const MAX_DEPTH: usize = 32;

/// Containers of the tree; each holds child nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Paragraph,
    Heading(u8),
    Quote,
    /// `Some(start)` for an ordered list.
    List(Option<u64>),
    Item,
    Table,
    TableHead,
    TableBody,
    Row,
    HeadCell,
    Cell,
    Emphasis,
    Strong,
    Strike,
    /// Renders only its children (constructs whose options are off).
    Plain,
}

/// One node of a parsed answer. Text stays text; the view escapes it.
#[derive(Debug, PartialEq)]
pub(super) enum Node {
    Text(String),
    Code(String),
    CodeBlock {
        lang: Option<String>,
        code: String,
    },
    /// `href` is `None` when the scheme is not allowed: the label alone shows.
    Link {
        href: Option<String>,
        children: Vec<Node>,
    },
    Task(bool),
    Break,
    Rule,
    Container(Kind, Vec<Node>),
}

pub(super) fn parse(text: &str) -> Vec<Node> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    children(&mut Parser::new_ext(text, options), 0)
}

/// Collects nodes up to the `End` that closes the caller's tag (pulldown-cmark
/// always nests events properly).
fn children(events: &mut Parser<'_>, depth: usize) -> Vec<Node> {
    let mut out = Vec::new();
    // Tags opened past MAX_DEPTH: dropped, so their `End`s are ours to skip.
    let mut flattened = 0usize;
    while let Some(event) = events.next() {
        match event {
            Event::End(_) if flattened > 0 => flattened -= 1,
            Event::End(_) => break,
            Event::Start(_) if depth >= MAX_DEPTH => flattened += 1,
            Event::Start(tag) => out.push(start(tag, events, depth + 1)),
            // Raw HTML is shown, never injected. Block HTML comes a line per
            // event; keep the lines apart.
            Event::Html(html) => {
                push_text(&mut out, html.trim_end_matches('\n'));
                if html.ends_with('\n') {
                    out.push(Node::Break);
                }
            }
            Event::Text(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => push_text(&mut out, &text),
            Event::SoftBreak => push_text(&mut out, "\n"),
            Event::Code(code) => out.push(Node::Code(code.into_string())),
            Event::HardBreak => out.push(Node::Break),
            Event::Rule => out.push(Node::Rule),
            Event::TaskListMarker(done) => out.push(Node::Task(done)),
        }
    }
    out
}

/// Appends text, merging it into a preceding text node: pulldown-cmark splits
/// text at every special character, and fewer DOM nodes hydrate faster.
fn push_text(out: &mut Vec<Node>, text: &str) {
    match out.last_mut() {
        Some(Node::Text(last)) => last.push_str(text),
        _ => out.push(Node::Text(text.to_owned())),
    }
}

/// The node for `tag`, with everything up to its `End`.
fn start(tag: Tag<'_>, events: &mut Parser<'_>, depth: usize) -> Node {
    let kind = match tag {
        Tag::CodeBlock(kind) => {
            let lang = match kind {
                CodeBlockKind::Fenced(info) => language(&info),
                CodeBlockKind::Indented => None,
            };
            let code = children(events, depth)
                .into_iter()
                .filter_map(|node| match node {
                    Node::Text(text) => Some(text),
                    _ => None,
                })
                .collect();
            return Node::CodeBlock { lang, code };
        }
        Tag::Link {
            link_type,
            dest_url,
            ..
        } => {
            // `<user@example.com>` autolinks arrive without their scheme.
            let url = match link_type {
                LinkType::Email => format!("mailto:{dest_url}"),
                _ => dest_url.into_string(),
            };
            let children = children(events, depth);
            return Node::Link {
                href: safe_href(&url),
                children,
            };
        }
        Tag::Image { dest_url, .. } => {
            let mut alt = children(events, depth);
            if alt.is_empty() {
                alt.push(Node::Text(dest_url.to_string()));
            }
            return Node::Link {
                href: safe_href(&dest_url),
                children: alt,
            };
        }
        Tag::Paragraph | Tag::HtmlBlock => Kind::Paragraph,
        Tag::Heading { level, .. } => Kind::Heading(level as u8),
        Tag::BlockQuote(_) => Kind::Quote,
        Tag::List(start) => Kind::List(start),
        Tag::Item => Kind::Item,
        Tag::Table(_) => Kind::Table,
        Tag::TableHead => Kind::TableHead,
        Tag::TableRow => Kind::Row,
        Tag::TableCell => Kind::Cell,
        Tag::Emphasis => Kind::Emphasis,
        Tag::Strong => Kind::Strong,
        Tag::Strikethrough => Kind::Strike,
        _ => Kind::Plain,
    };
    let mut kids = children(events, depth);
    match kind {
        // pulldown-cmark puts head cells straight in the head, rows after it.
        Kind::TableHead => {
            for kid in &mut kids {
                if let Node::Container(cell @ Kind::Cell, _) = kid {
                    *cell = Kind::HeadCell;
                }
            }
        }
        Kind::Table => {
            let body = kids.split_off(kids.len().min(1));
            kids.push(Node::Container(Kind::TableBody, body));
        }
        _ => {}
    }
    Node::Container(kind, kids)
}

/// The code block's language from its info string (`rust,ignore` → `rust`),
/// reduced to characters that are safe in a class name.
pub(super) fn language(info: &str) -> Option<String> {
    let word = info.split([' ', '\t', ',', '{']).next().unwrap_or_default();
    let lang: String = word
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-' | '#'))
        .take(32)
        .collect();
    (!lang.is_empty()).then_some(lang)
}

/// `url`, if its scheme is one an answer may link with; anything else
/// (`javascript:`, `data:`, relative paths) is shown as its label only.
pub(super) fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let allowed = ["http://", "https://", "mailto:"].iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    });
    allowed.then(|| url.to_owned())
}
