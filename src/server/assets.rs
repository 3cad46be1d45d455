//! Where the browser finds the bundle (the JS glue, the WASM and the
//! stylesheet), worked out once at start-up.
//!
//! `cargo leptos build` with `hash-files` writes each file's content hash to
//! `hash.txt` beside the server binary. Leptos' `<HydrationScripts/>` and
//! `<HashedStylesheet/>` find and re-read that file on every page they
//! render, which `perf` showed as about a tenth of the time spent serving
//! `/login`; the shell renders the same tags from these names instead.

use std::path::Path;

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

    /// The module script that loads the bundle and hydrates the page.
    pub fn hydration_script(&self) -> String {
        format!(
            "import init, {{ hydrate }} from \"{}\";\n\
             init({{ module_or_path: \"{}\" }}).then(hydrate);",
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
        assert!(a.hydration_script().contains("from \"/pkg/palaver.J1.js\""));
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
