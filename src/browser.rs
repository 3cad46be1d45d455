//! Everything that touches the browser directly (`window()`, `web_sys`):
//! the address bar, page loads, the clipboard, the tab's
//! `sessionStorage`, a streamed `fetch` (`fetch.rs`), and picked files.
//!
//! The real code is built with the `hydrate` feature. The server build gets
//! fallbacks that do nothing (a dialog is declined, a copy or a fetch
//! fails), which is never seen: the server only renders, and these run from
//! event handlers and effects, which only run in the browser. So pages and
//! components call them without `cfg` blocks of their own.

mod fetch;
mod file;

use std::future::Future;

pub use fetch::{post_streaming, Abort, FetchError};
pub use file::picked_file_text;

#[cfg(feature = "hydrate")]
use leptos::prelude::window;

/// Shows `url` in the address bar without a navigation or a history entry
/// (`history.replaceState`).
pub fn replace_url(url: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

/// Loads `path` as a new page, so the server renders it with the current
/// session (after sign-in and sign-out, when everything on screen changes).
pub fn open(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Keeps `value` under `key` for this tab (`sessionStorage`: it survives a
/// reload and a sign-in, and goes when the tab closes). Best effort: a
/// browser that refuses storage (private modes) keeps nothing.
pub fn keep_for_tab(key: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(storage)) = window().session_storage() {
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

/// Takes back what [`keep_for_tab`] kept under `key`, removing it.
pub fn take_from_tab(key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let storage = window().session_storage().ok().flatten()?;
        let value = storage.get_item(key).ok().flatten()?;
        let _ = storage.remove_item(key);
        Some(value)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

/// Moves the keyboard focus to the element with id `id`, if there is one;
/// true when it took it (a disabled button does not).
pub fn focus(id: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let document = window().document();
        let element = document
            .as_ref()
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
            let active = document.and_then(|d| d.active_element());
            return active.as_ref() == Some(&*element);
        }
        false
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        false
    }
}

/// Scrolls the element with id `id` into the middle of the view.
pub fn scroll_into_view(id: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(element) = window().document().and_then(|d| d.get_element_by_id(id)) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// An attribute of `<html>`, as the server rendered it or as it is now.
pub fn root_attribute(name: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    return window().document()?.document_element()?.get_attribute(name);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        None
    }
}

/// Sets the tab's title (`document.title`).
pub fn set_title(title: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(doc) = window().document() {
        doc.set_title(title);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = title;
}

/// Sets an attribute of `<html>` (the theme, which styles the whole page).
pub fn set_root_attribute(name: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute(name, value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, value);
}

/// Writes one cookie (`document.cookie = …`), e.g. the theme's; never a
/// secret: these are readable by scripts.
pub fn set_cookie(cookie: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = window()
            .document()
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = doc.set_cookie(cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = cookie;
}

/// The page's cookies as scripts see them (`document.cookie`); empty on
/// the server, which reads the request's instead.
pub fn cookies() -> String {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        window()
            .document()
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// The time now, in Unix seconds (the browser's clock in the browser: Rust's
/// `SystemTime` is not there in WASM).
pub fn now_unix() -> i64 {
    #[cfg(feature = "hydrate")]
    return (js_sys::Date::now() / 1000.0) as i64;
    #[cfg(not(feature = "hydrate"))]
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The device's offset to UTC now, in minutes east; `None` on the server.
pub fn utc_offset() -> Option<i32> {
    #[cfg(feature = "hydrate")]
    return Some(-(js_sys::Date::new_0().get_timezone_offset() as i32));
    #[cfg(not(feature = "hydrate"))]
    None
}

/// True when the page came over HTTPS (so its cookies may be `Secure`).
pub fn is_https() -> bool {
    #[cfg(feature = "hydrate")]
    return window().location().protocol().is_ok_and(|p| p == "https:");
    #[cfg(not(feature = "hydrate"))]
    false
}

/// POSTs `form` to `url` as the page goes away (`navigator.sendBeacon`):
/// the browser sends it after the page has gone. False if it refused.
pub fn send_on_leave(url: &str, form: &[(&str, &str)]) -> bool {
    #[cfg(feature = "hydrate")]
    {
        let Ok(params) = web_sys::UrlSearchParams::new() else {
            return false;
        };
        for (name, value) in form {
            params.append(name, value);
        }
        window()
            .navigator()
            .send_beacon_with_opt_url_search_params(url, Some(&params))
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (url, form);
        false
    }
}

/// The page's path and query (`/app?c=3`), for `?next=` links back here.
pub fn here() -> String {
    #[cfg(feature = "hydrate")]
    {
        let location = window().location();
        let path = location.pathname().unwrap_or_else(|_| "/app".into());
        path + &location.search().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    "/app".to_owned()
}

/// Puts `text` on the clipboard; the future says whether it worked. The
/// write starts at once, not when the future is first polled, so it runs
/// while the click that asked for it still counts as the person's gesture.
pub fn copy_text(text: &str) -> impl Future<Output = bool> + 'static {
    #[cfg(feature = "hydrate")]
    {
        // Absent outside secure contexts (plain http); calling into
        // `undefined` would throw straight through the WASM.
        let clipboard = window().navigator().clipboard();
        let written = (!clipboard.is_undefined())
            .then(|| wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text)));
        async move {
            match written {
                Some(written) => written.await.is_ok(),
                None => false,
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        std::future::ready(false)
    }
}

/// Handles a click inside the list of messages that landed on a code
/// block's Copy button (the markdown is HTML text, so its buttons have no
/// handler of their own): copies the block's code, then says "Copied" on
/// the button for a moment. Any other click is left alone.
pub fn copy_code_block(ev: &leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest(".copy-btn").ok().flatten())
        else {
            return;
        };
        let code = button
            .closest(".code-block")
            .ok()
            .flatten()
            .and_then(|block| block.query_selector("code").ok().flatten())
            .and_then(|code| code.text_content())
            .unwrap_or_default();
        let written = copy_text(&code);
        leptos::task::spawn_local(async move {
            if written.await {
                let say = move |face: &str, label: &str| {
                    button.set_text_content(Some(face));
                    let _ = button.set_attribute("aria-label", label);
                };
                say("Copied", "Copied");
                let reset = move || say("Copy", "Copy code");
                leptos::prelude::set_timeout(reset, std::time::Duration::from_millis(1500));
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
