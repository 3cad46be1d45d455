//! Build steps:
//! - `sqlx::migrate!` embeds `migrations/` at compile time; cargo builds
//!   again when a migration is added or changed, as sqlx's manual asks.
//! - The translations in `locales/*.json` become the `i18n` module
//!   (leptos_i18n's code generator). Before that, every language must have
//!   exactly the keys of English, each with the same `{{ placeholders }}`:
//!   a missing or stray key, or a translation that drops a placeholder,
//!   fails the build (leptos_i18n itself would only warn and show English).

use std::{error::Error, path::PathBuf};

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

// The same check runs as a unit test (`cargo test`).
#[path = "src/locale_check.rs"]
mod locale_check;
use locale_check::LOCALES;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=locales");

    let problems = locale_check::problems(|locale| {
        let path = format!("locales/{locale}.json");
        std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))
    });
    if !problems.is_empty() {
        return Err(format!("translations do not match:\n  {}", problems.join("\n  ")).into());
    }

    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let mut cfg = Config::new(LOCALES[0])?;
    for locale in &LOCALES[1..] {
        cfg = cfg.add_locale(locale)?;
    }
    let cfg = cfg.parse_options(ParseOptions::default().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
