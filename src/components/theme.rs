//! The colour theme: System (follow the device), Light or Dark.
//!
//! The choice lives in the `theme` cookie (a year; none means System), so
//! the server renders `<html data-theme=…>` right in the first byte and the
//! page never flashes the other theme before the WASM arrives. The switch is
//! a form (`POST /theme`) that works without JavaScript; with it, the
//! choice applies at once and the cookie is written in the browser.

use leptos::prelude::*;

/// One of the three themes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Follow the device's light or dark setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The cookie that remembers the choice.
    pub const COOKIE: &'static str = "theme";
    /// The choices, in the switch's order.
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];

    /// The value of the cookie, the form field and `<html data-theme>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    /// Reads [`Self::as_str`]'s names back.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }

    /// The theme a request's `Cookie` header asks for; System when none
    /// (or an unknown one) is set.
    pub fn from_cookie_header(header: &str) -> Self {
        crate::domain::cookie_value(header, Self::COOKIE)
            .and_then(Self::parse)
            .unwrap_or_default()
    }

    /// The `Set-Cookie` value that remembers this choice: System forgets it.
    pub fn cookie(self, secure: bool) -> String {
        let age = if self == Self::System { 0 } else { 31_536_000 };
        let secure = if secure { "; Secure" } else { "" };
        format!(
            "{}={}; Path=/; Max-Age={age}; SameSite=Lax{secure}",
            Self::COOKIE,
            self.as_str()
        )
    }

    /// The button's name, for screen readers and the tooltip.
    fn label(self) -> &'static str {
        match self {
            Self::System => crate::tr!(theme.system),
            Self::Light => crate::tr!(theme.light),
            Self::Dark => crate::tr!(theme.dark),
        }
    }

    /// The button's face.
    fn icon(self) -> &'static str {
        match self {
            Self::System => "◐",
            Self::Light => "☀",
            Self::Dark => "☾",
        }
    }
}

/// The theme the page opens with: on the server, the request's cookie; in
/// the browser, what the server put on `<html>` (so hydration agrees).
pub fn initial_theme() -> Theme {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                let cookies = parts.headers.get_all(http::header::COOKIE);
                cookies
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .map(Theme::from_cookie_header)
                    .find(|t| *t != Theme::System)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::browser::root_attribute("data-theme")
            .and_then(|t| Theme::parse(&t))
            .unwrap_or_default()
    }
}

/// The switch on a page that loads the WASM bundle: an island, so a click
/// applies the theme in place (nothing typed on the page is lost).
#[island]
pub fn ThemeSwitch(next: String) -> impl IntoView {
    view! { <ThemeForm next/> }
}

/// The switch: three buttons, the one in force pressed. Each submits the
/// form, which sets the cookie and comes back to `next` (this page). Alone
/// (on the pages without islands, see `app::LoadsBundle`) it is just that
/// form; inside [`ThemeSwitch`] the click applies the theme in place.
#[component]
pub fn ThemeForm(next: String) -> impl IntoView {
    let theme = RwSignal::new(initial_theme());
    Effect::new(move |first: Option<()>| {
        let chosen = theme.get();
        // The server already rendered the opening theme.
        if first.is_some() {
            crate::browser::set_root_attribute("data-theme", chosen.as_str());
            crate::browser::set_cookie(&chosen.cookie(crate::browser::is_https()));
        }
    });
    view! {
        <form method="post" action="/theme" class="theme-switch">
            <input type="hidden" name="next" value=next/>
            <div class="theme-choices" role="group" aria-label=crate::tr!(theme.group)>
            {Theme::ALL.into_iter().map(|choice| view! {
                <button
                    type="submit"
                    name="theme"
                    value=choice.as_str()
                    class="theme-btn"
                    title=choice.label()
                    aria-label=choice.label()
                    aria-pressed=move || (theme.get() == choice).to_string()
                    on:click=move |ev| {
                        ev.prevent_default();
                        theme.set(choice);
                    }
                >
                    <span aria-hidden="true">{choice.icon()}</span>
                </button>
            }).collect_view()}
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cookie_among_others() {
        assert_eq!(
            Theme::from_cookie_header("a=1; theme=dark; b=2"),
            Theme::Dark
        );
        assert_eq!(Theme::from_cookie_header("theme=light"), Theme::Light);
        assert_eq!(Theme::from_cookie_header("theme=purple"), Theme::System);
        assert_eq!(Theme::from_cookie_header("xtheme=dark"), Theme::System);
        assert_eq!(Theme::from_cookie_header(""), Theme::System);
    }

    #[test]
    fn system_forgets_the_cookie_and_secure_sites_get_secure_cookies() {
        assert_eq!(
            Theme::Dark.cookie(true),
            "theme=dark; Path=/; Max-Age=31536000; SameSite=Lax; Secure"
        );
        assert_eq!(
            Theme::System.cookie(false),
            "theme=system; Path=/; Max-Age=0; SameSite=Lax"
        );
    }
}
