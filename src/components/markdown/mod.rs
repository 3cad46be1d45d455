//! A language model's markdown answer, rendered safely. pulldown-cmark parses
//! the text into a small tree of our own, and every node becomes escaped text
//! or an element chosen here: raw HTML shows as literal text, only http(s) and
//! mailto links become links, and images become links rather than `<img>`, so
//! an answer cannot make the browser run or fetch anything by itself.

use leptos::prelude::*;

mod highlight;
mod tree;

use tree::{parse, Kind, Node};

/// The answer so far. Re-parsed in full on every change of `text`: cheap at
/// chat sizes, and it keeps streaming (half-written markdown) simple.
#[component]
pub fn Markdown(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <div class="message-body">{move || text.with(|text| render(parse(text)))}</div> }
}

/// A code block: a bar with its language and a button that copies it (without
/// the WASM bundle the button does nothing), then the code, highlighted when
/// its language is one `highlight` knows.
#[component]
fn CodeBlock(lang: Option<String>, code: String) -> impl IntoView {
    let (copied, set_copied) = signal(false);
    let body = highlighted(lang.as_deref(), &code);
    // Two branches: `class=None` would still render an empty `class=""`.
    let (label, body) = match lang {
        Some(lang) => {
            let class = format!("language-{lang}");
            let body = view! { <code class=class>{body}</code> }.into_any();
            (Some(span("code-lang", lang)), body)
        }
        None => (None, view! { <code>{body}</code> }.into_any()),
    };
    view! {
        <div class="code-block">
            // Above the code, so neither covers a line of it.
            <div class="code-bar">
                {label}
                <button
                    type="button"
                    class="copy-btn needs-js"
                    aria-label=move || if copied.get() { "Copied" } else { "Copy code" }
                    on:click=move |_| copy(&code, set_copied)
                >
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
            // Focusable, so a keyboard can scroll a long line into view.
            <pre tabindex="0">{body}</pre>
        </div>
    }
}

/// The code as a `<span class="tok-…">` per coloured piece and bare text for
/// the plain ones; all plain text in a language `highlight` does not know.
fn highlighted(lang: Option<&str>, code: &str) -> AnyView {
    let Some(pieces) = lang.and_then(|lang| highlight::highlight(lang, code)) else {
        return code.to_owned().into_any();
    };
    let pieces: Vec<AnyView> = pieces
        .into_iter()
        .map(|(token, text)| match token.class() {
            Some(class) => span(class, text.to_owned()),
            None => text.to_owned().into_any(),
        })
        .collect();
    pieces.into_any()
}

/// `<span class=…>text</span>`: one element type for every token kind and
/// the label, for the reason `element` gives.
fn span(class: &'static str, text: String) -> AnyView {
    leptos::html::span().class(class).child(text).into_any()
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
