//! A language model's markdown answer, rendered safely. pulldown-cmark parses
//! the text into a small tree of our own, and every node becomes escaped text
//! or an element chosen here: raw HTML shows as literal text, only http(s) and
//! mailto links become links, and images become links rather than `<img>`, so
//! an answer cannot make the browser run or fetch anything by itself.

use leptos::prelude::*;
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag};

/// Nesting deeper than this is flattened: the tree is built and rendered
/// recursively, and `>` repeated ten thousand times must not overflow the
/// (small, fixed) WASM stack.
const MAX_DEPTH: usize = 32;

/// Containers of the tree; each holds child nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
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
enum Node {
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

/// The answer so far. Re-parsed in full on every change of `text`: cheap at
/// chat sizes, and it keeps streaming (half-written markdown) simple.
#[component]
pub fn Markdown(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <div class="message-body">{move || text.with(|text| render(parse(text)))}</div> }
}

/// A code block with a button that copies it; without the WASM bundle the
/// button does nothing.
#[component]
fn CodeBlock(lang: Option<String>, code: String) -> impl IntoView {
    let (copied, set_copied) = signal(false);
    let text = code.clone();
    // Two branches: `class=None` would still render an empty `class=""`.
    let code = match lang {
        Some(lang) => view! { <code class=format!("language-{lang}")>{code}</code> }.into_any(),
        None => view! { <code>{code}</code> }.into_any(),
    };
    view! {
        <div class="code-block">
            <button
                type="button"
                class="copy-btn"
                aria-label=move || if copied.get() { "Copied" } else { "Copy code" }
                on:click=move |_| copy(&text, set_copied)
            >
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
            <pre>{code}</pre>
        </div>
    }
}

/// Puts `code` on the clipboard, then shows "Copied" for a moment.
fn copy(code: &str, set_copied: WriteSignal<bool>) {
    let written = crate::browser::copy_text(code);
    leptos::task::spawn_local(async move {
        if written.await {
            // `try_set`: the block may have been re-rendered away meanwhile.
            let _ = set_copied.try_set(true);
            let reset = move || {
                let _ = set_copied.try_set(false);
            };
            set_timeout(reset, std::time::Duration::from_millis(1500));
        }
    });
}

fn parse(text: &str) -> Vec<Node> {
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
fn language(info: &str) -> Option<String> {
    let word = info.split([' ', '\t', ',', '{']).next().unwrap_or_default();
    let lang: String = word
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))
        .take(32)
        .collect();
    (!lang.is_empty()).then_some(lang)
}

/// `url`, if its scheme is one an answer may link with; anything else
/// (`javascript:`, `data:`, relative paths) is shown as its label only.
fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let allowed = ["http://", "https://", "mailto:"].iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    });
    allowed.then(|| url.to_owned())
}

fn render(nodes: Vec<Node>) -> Vec<AnyView> {
    nodes.into_iter().map(render_node).collect()
}

fn render_node(node: Node) -> AnyView {
    let (kind, kids) = match node {
        Node::Text(text) => return text.into_any(),
        Node::Code(code) => return view! { <code>{code}</code> }.into_any(),
        Node::CodeBlock { lang, code } => {
            return view! { <CodeBlock lang=lang code=code/> }.into_any()
        }
        Node::Link {
            href: Some(href),
            children,
        } => return view! {
            <a href=href rel="noopener noreferrer nofollow" target="_blank">{render(children)}</a>
        }
        .into_any(),
        Node::Link {
            href: None,
            children,
        } => return render(children).into_any(),
        Node::Task(done) => {
            return view! { <input type="checkbox" class="task" disabled=true checked=done/> }
                .into_any()
        }
        Node::Break => return view! { <br/> }.into_any(),
        Node::Rule => return view! { <hr/> }.into_any(),
        Node::Container(kind, kids) => (kind, render(kids)),
    };
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
            let start = (first != 1).then(|| first.to_string());
            return view! { <ol start=start>{kids}</ol> }.into_any();
        }
        Kind::Item => "li",
        // The wrapper lets a wide table scroll instead of widening the chat.
        Kind::Table => {
            return view! { <div class="table-scroll">{element("table", kids)}</div> }.into_any()
        }
        Kind::TableHead => return element("thead", vec![element("tr", kids)]),
        Kind::TableBody => "tbody",
        Kind::Row => "tr",
        Kind::HeadCell => "th",
        Kind::Cell => "td",
        Kind::Emphasis => "em",
        Kind::Strong => "strong",
        Kind::Strike => "del",
        Kind::Plain => return kids.into_any(),
    };
    element(tag, kids)
}

/// `<tag>` around `kids`. Every container goes through this one element
/// type: a `view!` per tag compiled the whole render and hydrate machinery
/// once per tag into the WASM bundle (22 KB of it).
fn element(tag: &'static str, kids: Vec<AnyView>) -> AnyView {
    leptos::html::custom(tag).child(kids).into_any()
}

#[cfg(all(test, feature = "ssr"))]
mod tests;
