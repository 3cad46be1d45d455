//! Where the browser finds the bundle (the JS glue, the WASM and the
//! stylesheet), worked out once at start-up; and how static files are sent.
//!
//! Release builds are made with `cargo leptos build --release --precompress`,
//! which writes a brotli (quality 11) and a gzip (level 9) copy beside every
//! file of the site. Leptos' file handler (`ServeDir` with
//! `precompressed_br` and `precompressed_gzip`) sends the copy the browser
//! accepts, and the compression layer leaves static files alone
//! ([`NotStaticFile`]): no static file is ever compressed per request, which
//! cost 66 to 144 ms of CPU per download of the WASM. A site built without
//! the copies is sent uncompressed (start-up warns in a release build).
//!
//! `cargo leptos build` with `hash-files` writes each file's content hash to
//! `hash.txt` beside the server binary. Leptos' `<HydrationScripts/>` and
//! `<HashedStylesheet/>` find and re-read that file on every page they
//! render, which `perf` showed as about a tenth of the time spent serving
//! `/login`; the shell renders the same tags from these names instead.

use std::path::Path;

use axum::{
    body::{Body, HttpBody},
    http::{header, Response, StatusCode},
};

/// Marks a response that is a file of the site (see [`mark_static`]).
#[derive(Clone, Copy, Debug)]
pub struct StaticFile;

/// Marks `res` as a static file when it is one: a successful answer of the
/// file handler that is not the rendered 404 page.
pub fn mark_static(mut res: Response<Body>) -> Response<Body> {
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if res.status() == StatusCode::OK && !is_page {
        res.extensions_mut().insert(StaticFile);
    }
    res
}

/// The compression layer's rule: never a static file (sent precompressed,
/// or as it is).
#[derive(Clone, Copy, Debug)]
pub struct NotStaticFile;

impl tower_http::compression::Predicate for NotStaticFile {
    fn should_compress<B>(&self, response: &Response<B>) -> bool
    where
        B: HttpBody,
    {
        response.extensions().get::<StaticFile>().is_none()
    }
}

/// Site-absolute URLs of the bundle's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assets {
    /// The wasm-bindgen JS glue, e.g. `/pkg/palaver.Ab12.js`.
    pub js: String,
    /// The WASM module.
    pub wasm: String,
    /// The stylesheet.
    pub css: String,
}

impl Assets {
    /// The names from `hash.txt` beside the running binary, or the plain
    /// names when there is none (a build without `hash-files`).
    pub fn locate() -> Self {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
            .and_then(|path| read(&path));
        Self::from_hashes(hashes.as_deref())
    }

    fn from_hashes(hashes: Option<&str>) -> Self {
        let hash = |kind: &str| {
            hashes
                .and_then(|text| {
                    text.lines()
                        .filter_map(|line| line.split_once(':'))
                        .find(|(k, _)| k.trim() == kind)
                })
                .map(|(_, h)| format!(".{}", h.trim()))
        };
        // Without hashes, wasm-bindgen's own name applies unless cargo-leptos
        // built us (it names the WASM after the crate), as Leptos does.
        let plain_wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
            ""
        } else {
            "_bg"
        };
        Self {
            js: format!("/pkg/palaver{}.js", hash("js").unwrap_or_default()),
            wasm: format!(
                "/pkg/palaver{}.wasm",
                hash("wasm").unwrap_or_else(|| plain_wasm.to_owned())
            ),
            css: format!("/pkg/palaver{}.css", hash("css").unwrap_or_default()),
        }
    }

    /// True when the WASM has its brotli copy beside it under `site_root`
    /// (the site was built with `--precompress`).
    pub fn precompressed(&self, site_root: &Path) -> bool {
        site_root
            .join(format!("{}.br", self.wasm.trim_start_matches('/')))
            .is_file()
    }

    /// The module script that loads the bundle and hydrates the page's
    /// islands: each `<leptos-island>` names the function the bundle
    /// exports for it (`data-component`), which takes over that element.
    /// Islands here are never nested in one another, so only outermost
    /// ones are called. Once all have run, `.shell` gets
    /// `data-hydrated="true"` (styles and the browser tests key off it);
    /// an island that fails leaves it `false`.
    pub fn hydration_script(&self) -> String {
        format!(
            "import init, * as bundle from \"{}\";\n\
             init({{ module_or_path: \"{}\" }}).then(async () => {{\n\
             bundle.hydrate();\n\
             for (const el of document.querySelectorAll(\"leptos-island\")) {{\n\
             if (el.parentElement.closest(\"leptos-island\")) continue;\n\
             const island = bundle[el.dataset.component];\n\
             if (!island) {{ console.error(\"no island \" + el.dataset.component); return; }}\n\
             await island(el);\n\
             }}\n\
             document.querySelector(\".shell\")?.setAttribute(\"data-hydrated\", \"true\");\n\
             }});",
            self.js, self.wasm
        )
    }
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let a = Assets::from_hashes(Some("js: J1\nwasm: W2\ncss: C3\n"));
        assert_eq!(a.js, "/pkg/palaver.J1.js");
        assert_eq!(a.wasm, "/pkg/palaver.W2.wasm");
        assert_eq!(a.css, "/pkg/palaver.C3.css");
        assert!(a
            .hydration_script()
            .contains("import init, * as bundle from \"/pkg/palaver.J1.js\""));
        assert!(a
            .hydration_script()
            .contains("module_or_path: \"/pkg/palaver.W2.wasm\""));
    }

    #[test]
    fn without_a_hash_file_the_plain_names_are_used() {
        let a = Assets::from_hashes(None);
        assert_eq!(a.js, "/pkg/palaver.js");
        assert_eq!(a.css, "/pkg/palaver.css");
        assert!(a.wasm.starts_with("/pkg/palaver") && a.wasm.ends_with(".wasm"));
    }
}
