//! The check that every language has exactly English's keys, each with the
//! same `{{ placeholders }}`. `build.rs` runs it before generating the
//! `i18n` module (leptos_i18n alone would only warn and show English), so a
//! missing, stray or broken translation fails the build; the unit test
//! below runs it on the files as committed.

use std::collections::{BTreeMap, BTreeSet};

/// The languages, English first (the default and the reference).
pub const LOCALES: [&str; 3] = ["en", "zh-CN", "vi"];

/// What is wrong with the translations (nothing: empty). `read` gives the
/// text of `locales/<locale>.json`.
pub fn problems(read: impl Fn(&str) -> Result<String, String>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut keys_of = |locale: &str| match read(locale).and_then(|text| keys(locale, &text)) {
        Ok(keys) => Some(keys),
        Err(err) => {
            problems.push(err);
            None
        }
    };
    let reference = keys_of(LOCALES[0]);
    let others: Vec<_> = LOCALES[1..].iter().map(|l| (*l, keys_of(l))).collect();
    let Some(reference) = reference else {
        return problems;
    };
    for (locale, keys) in others {
        let Some(keys) = keys else { continue };
        for (key, vars) in &reference {
            match keys.get(key) {
                None => problems.push(format!("locales/{locale}.json lacks `{key}`")),
                Some(theirs) if theirs != vars => problems.push(format!(
                    "locales/{locale}.json: `{key}` uses {theirs:?}, English uses {vars:?}"
                )),
                Some(_) => {}
            }
        }
        for key in keys.keys().filter(|k| !reference.contains_key(*k)) {
            problems.push(format!(
                "locales/{locale}.json has `{key}`, which English lacks"
            ));
        }
    }
    problems
}

/// Each key of a locale file (nested objects joined with `.`) and the
/// placeholders its text uses.
fn keys(locale: &str, text: &str) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let path = format!("locales/{locale}.json");
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{path}: {e}"))?;
    let mut keys = BTreeMap::new();
    walk(&path, "", &value, &mut keys)?;
    Ok(keys)
}

fn walk(
    path: &str,
    prefix: &str,
    value: &serde_json::Value,
    keys: &mut BTreeMap<String, BTreeSet<String>>,
) -> Result<(), String> {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                walk(path, &name, inner, keys)?;
            }
            Ok(())
        }
        serde_json::Value::String(text) if text.trim().is_empty() => {
            Err(format!("{path}: `{prefix}` is empty"))
        }
        serde_json::Value::String(text) => {
            keys.insert(prefix.to_owned(), placeholders(text));
            Ok(())
        }
        _ => Err(format!("{path}: `{prefix}` is not a string")),
    }
}

/// The names inside `{{ ... }}`.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        found.insert(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committed(locale: &str) -> Result<String, String> {
        match locale {
            "en" => Ok(include_str!("../locales/en.json").to_owned()),
            "zh-CN" => Ok(include_str!("../locales/zh-CN.json").to_owned()),
            "vi" => Ok(include_str!("../locales/vi.json").to_owned()),
            other => Err(format!("no file for {other}")),
        }
    }

    #[test]
    fn every_key_exists_in_every_language() {
        assert_eq!(problems(committed), Vec::<String>::new());
    }

    #[test]
    fn a_missing_key_or_a_dropped_placeholder_is_found() {
        let broken = |locale: &str| match locale {
            "en" => Ok(r#"{"a": {"b": "x {{ n }}", "c": "y"}}"#.to_owned()),
            "zh-CN" => Ok(r#"{"a": {"b": "x"}, "d": "z"}"#.to_owned()),
            _ => Ok(r#"{"a": {"b": "{{n}}", "c": ""}}"#.to_owned()),
        };
        assert_eq!(
            problems(broken),
            [
                "locales/vi.json: `a.c` is empty",
                "locales/zh-CN.json: `a.b` uses {}, English uses {\"n\"}",
                "locales/zh-CN.json lacks `a.c`",
                "locales/zh-CN.json has `d`, which English lacks",
            ]
        );
    }
}
