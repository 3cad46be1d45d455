//! A language model's markdown answer, rendered safely. pulldown-cmark parses
//! the text into a small tree of our own, and every node becomes escaped text
//! or an element chosen here: raw HTML shows as literal text, only http(s) and
//! mailto links become links, and images become links rather than `<img>`, so
//! an answer cannot make the browser run or fetch anything by itself.

use leptos::prelude::*;

mod highlight;
mod html;
mod tree;

/// The answer so far. Re-parsed in full on every change of `text`: cheap at
/// chat sizes, and it keeps streaming (half-written markdown) simple.
#[component]
pub fn Markdown(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <div class="message-body" inner_html=move || text.with(|text| to_html(text))></div> }
}

/// `markdown` as HTML text, every piece of it escaped (see `html`).
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::write(&mut out, &tree::parse(markdown));
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests;
