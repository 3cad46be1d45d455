//! Which language a page, an error or a mail is in: English (`en`),
//! Simplified Chinese (`zh-CN`) or Vietnamese (`vi`).
//!
//! The words live in `locales/*.json` (checked by `build.rs`: every key in
//! every language); `tr!(key)` gives one in the current language. The
//! choice, made once per request on the server ([`negotiate`]): the `lang`
//! cookie, else the best match of `Accept-Language`, else English. The
//! server renders `<html lang=…>`; the browser reads it back, so hydration
//! uses the same words. Mails use the language stored with the account.

pub use crate::i18n::Locale;
use leptos_i18n::Locale as _; // as_str

/// The cookie that remembers an explicit choice (the header's switcher).
pub const COOKIE: &str = "lang";

/// Every language, in the switcher's order.
pub const ALL: [Locale; 3] = [Locale::en, Locale::zh_CN, Locale::vi];

/// Reads a language tag as this site knows it: `en`, `zh-CN`, `vi`, any
/// case, `_` or `-`; also the tags a browser sends for them (`zh`,
/// `zh-Hans`, `zh-Hans-CN`, `zh-SG`, `vi-VN`, `en-GB`...). Traditional
/// Chinese (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) is not Simplified: no
/// match, so the next preference is tried.
pub fn parse_tag(tag: &str) -> Option<Locale> {
    let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
    let mut parts = tag.split('-');
    match parts.next()? {
        "en" => Some(Locale::en),
        "vi" => Some(Locale::vi),
        "zh" => {
            let rest: Vec<&str> = parts.collect();
            let traditional = rest
                .iter()
                .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"))
                && !rest.contains(&"hans");
            (!traditional).then_some(Locale::zh_CN)
        }
        _ => None,
    }
}

/// The best language for an `Accept-Language` header: the tags in order
/// of their `q` (ties keep the header's order), the first one known; none
/// when no tag matches (the caller falls back to English).
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut ranked: Vec<(u16, usize, &str)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut fields = item.split(';');
            let tag = fields.next()?.trim();
            let q = fields
                .find_map(|f| f.trim().strip_prefix("q="))
                .map_or(Some(1000), parse_q)?;
            (q > 0 && !tag.is_empty()).then_some((q, i, tag))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().find_map(|(_, _, tag)| parse_tag(tag))
}

/// A `q` value in thousandths; `None` for one that is not a number in 0..=1.
fn parse_q(q: &str) -> Option<u16> {
    let value: f32 = q.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

/// The language of a request: the cookie if it names one, else the header,
/// else English.
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
    cookie
        .and_then(parse_tag)
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or_default()
}

/// The `Set-Cookie` value that remembers a choice for a year.
pub fn cookie(locale: Locale, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        locale.as_str()
    )
}

/// The language's own name, for the switcher.
pub fn name(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "English",
        Locale::zh_CN => "简体中文",
        Locale::vi => "Tiếng Việt",
    }
}

/// The switcher's short face.
pub fn short(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "EN",
        Locale::zh_CN => "中文",
        Locale::vi => "VI",
    }
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// The language of the request being answered (set by the server's
    /// `lang` middleware), for errors made outside a page render.
    static REQUEST: Locale;
}

/// Runs `fut` with `locale` as the current language (the server's
/// middleware, and tasks that answer for one request).
#[cfg(feature = "ssr")]
pub async fn scope<F: std::future::Future>(locale: Locale, fut: F) -> F::Output {
    REQUEST.scope(locale, fut).await
}

/// The current language. On the server: the page's (Leptos context) while
/// rendering, else the request's; English outside any request. In the
/// browser: what the server put on `<html lang>`.
pub fn current() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        use_context::<Locale>()
            .or_else(|| REQUEST.try_with(|l| *l).ok())
            // A server function: its request, which server::lang marked.
            .or_else(|| {
                use_context::<http::request::Parts>()
                    .and_then(|parts| parts.extensions.get::<Locale>().copied())
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        thread_local! {
            static PAGE: Locale = crate::browser::root_attribute("lang")
                .and_then(|l| parse_tag(&l))
                .unwrap_or_default();
        }
        PAGE.with(|l| *l)
    }
}

/// A translation in the current language: `tr!(login.title)`, or with
/// values for its placeholders, `tr!(errors.message_too_long, max = 4000)`.
#[macro_export]
macro_rules! tr {
    ($($key:tt)+) => {
        leptos_i18n::td_string!($crate::lang::current(), $($key)+)
    };
}

/// [`tr!`] in a given language (mails, which go in the account's).
#[macro_export]
macro_rules! tr_in {
    ($locale:expr, $($key:tt)+) => {
        leptos_i18n::td_string!($locale, $($key)+)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_vietnamese_tags_map_to_ours() {
        for tag in ["zh", "zh-Hans", "zh-CN", "zh-hans-cn", "ZH_cn", "zh-SG"] {
            assert_eq!(parse_tag(tag), Some(Locale::zh_CN), "{tag}");
        }
        for tag in ["zh-TW", "zh-Hant", "zh-HK", "zh-Hant-TW"] {
            assert_eq!(parse_tag(tag), None, "{tag}");
        }
        assert_eq!(parse_tag("vi-VN"), Some(Locale::vi));
        assert_eq!(parse_tag("en-GB"), Some(Locale::en));
        assert_eq!(parse_tag("fr"), None);
        assert_eq!(parse_tag(""), None);
    }

    #[test]
    fn accept_language_follows_quality_then_order() {
        assert_eq!(
            from_accept_language("vi-VN,vi;q=0.9,en;q=0.8"),
            Some(Locale::vi)
        );
        assert_eq!(
            from_accept_language("fr-FR,fr;q=0.9,zh;q=0.8,en;q=0.7"),
            Some(Locale::zh_CN)
        );
        assert_eq!(
            from_accept_language("en;q=0.5, zh-CN;q=0.9"),
            Some(Locale::zh_CN)
        );
        assert_eq!(
            from_accept_language("zh-TW,zh;q=0.8,en;q=0.6"),
            Some(Locale::zh_CN)
        );
        assert_eq!(from_accept_language("zh-TW,en;q=0.6"), Some(Locale::en));
        assert_eq!(from_accept_language("vi;q=0,en"), Some(Locale::en));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("*"), None);
        assert_eq!(from_accept_language("vi;q=abc, en"), Some(Locale::en));
    }

    #[test]
    fn the_cookie_wins_over_the_header_and_english_is_last() {
        assert_eq!(negotiate(Some("vi"), Some("zh-CN")), Locale::vi);
        assert_eq!(negotiate(Some("klingon"), Some("zh-CN")), Locale::zh_CN);
        assert_eq!(negotiate(None, None), Locale::en);
        assert_eq!(negotiate(None, Some("de")), Locale::en);
    }

    #[test]
    fn the_cookie_lasts_a_year() {
        assert_eq!(
            cookie(Locale::zh_CN, true),
            "lang=zh-CN; Path=/; Max-Age=31536000; SameSite=Lax; Secure"
        );
    }
}
