//! The streamed `fetch` behind the import (and any other request whose
//! answer is read as it arrives), and [`Abort`], which cancels it or any
//! other request.

/// Cancels a request (an `AbortController`): a [`post_streaming`] one
/// directly, any other by whoever awaits [`Abort::aborted`]. Cloning it
/// gives another handle on the same request.
#[derive(Clone)]
pub struct Abort {
    /// `None` in a browser without `AbortController`, which cannot stream.
    #[cfg(feature = "hydrate")]
    controller: Option<web_sys::AbortController>,
}

impl Default for Abort {
    fn default() -> Self {
        Self::new()
    }
}

impl Abort {
    /// A handle for one new request.
    pub fn new() -> Self {
        Self {
            #[cfg(feature = "hydrate")]
            controller: web_sys::AbortController::new().ok(),
        }
    }

    /// Cancels the request: it ends with [`FetchError::Aborted`]. Does
    /// nothing once the request has ended.
    pub fn abort(&self) {
        #[cfg(feature = "hydrate")]
        if let Some(controller) = &self.controller {
            controller.abort();
        }
    }

    /// Resolves once [`Abort::abort`] has been called (never, where the
    /// browser has no `AbortController`, or in the server build).
    pub async fn aborted(&self) {
        #[cfg(feature = "hydrate")]
        if let Some(controller) = &self.controller {
            let signal = controller.signal();
            if signal.aborted() {
                return;
            }
            let fired = js_sys::Promise::new(&mut |resolve, _| {
                let _ = signal.add_event_listener_with_callback("abort", &resolve);
            });
            let _ = wasm_bindgen_futures::JsFuture::from(fired).await;
            return;
        }
        std::future::pending::<()>().await
    }
}

/// Why a [`post_streaming`] request did not run to the end of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// [`Abort::abort`] was called.
    Aborted,
    /// The network failed, before or during the answer.
    Lost,
    /// The server answered with a failure status; `body` is its text.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The response body (`{"ok":false,"error":...}` from Palaver).
        body: String,
    },
    /// The answer had no body to read.
    Empty,
    /// This browser cannot stream a response (or this is the server build).
    Unsupported,
}

/// POSTs `json` to `url` and hands each piece of the response body to
/// `on_chunk` as it arrives. Pieces are cut wherever the network cut them,
/// even inside a UTF-8 character: framing is the caller's.
pub async fn post_streaming(
    url: &str,
    json: &str,
    abort: &Abort,
    on_chunk: impl FnMut(&[u8]),
) -> Result<(), FetchError> {
    #[cfg(feature = "hydrate")]
    {
        fetch_streaming(url, json, abort, on_chunk).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (url, json, abort, on_chunk);
        Err(FetchError::Unsupported)
    }
}

/// The POST of [`post_streaming`].
#[cfg(feature = "hydrate")]
async fn fetch_streaming(
    url: &str,
    json: &str,
    abort: &Abort,
    mut on_chunk: impl FnMut(&[u8]),
) -> Result<(), FetchError> {
    use js_sys::{Reflect, Uint8Array};
    use leptos::prelude::window;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{ReadableStreamDefaultReader, Request, RequestInit, Response};

    let failed = |e: JsValue| {
        let aborted = e
            .dyn_ref::<web_sys::DomException>()
            .is_some_and(|d| d.name() == "AbortError");
        if aborted {
            FetchError::Aborted
        } else {
            FetchError::Lost
        }
    };
    let Some(controller) = &abort.controller else {
        return Err(FetchError::Unsupported);
    };
    let init = RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    init.set_method("POST");
    init.set_body(&JsValue::from_str(json));
    let request = Request::new_with_str_and_init(url, &init).map_err(failed)?;
    request
        .headers()
        .set("content-type", "application/json")
        .map_err(failed)?;
    let response: Response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        let body = JsFuture::from(response.text().map_err(failed)?)
            .await
            .map_err(failed)?;
        return Err(FetchError::Refused {
            status: response.status(),
            body: body.as_string().unwrap_or_default(),
        });
    }
    let Some(stream) = response.body() else {
        return Err(FetchError::Empty);
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            return Ok(());
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(failed)?;
        on_chunk(&Uint8Array::new(&value).to_vec());
    }
}
