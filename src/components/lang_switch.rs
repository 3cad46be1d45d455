//! The language switch in the header: one button per language, each in
//! its own language. It is a form (`POST /lang`) that sets the `lang`
//! cookie and comes back to the same page, so it works without JavaScript
//! and the whole page (and every later mail and error) changes language.

use leptos::prelude::*;
use leptos_i18n::Locale as _; // as_str

use crate::lang::{self, Locale};

/// The switch: the language in force is pressed.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let here = crate::components::here();
    let now: Locale = lang::current();
    view! {
        <form method="post" action="/lang" class="lang-switch">
            <input type="hidden" name="next" value=here/>
            <div class="lang-choices" role="group" aria-label=crate::tr!(header.language)>
            {lang::ALL.into_iter().map(|choice| view! {
                <button
                    type="submit"
                    name="lang"
                    value=choice.as_str()
                    class="lang-btn"
                    lang=choice.as_str()
                    title=lang::name(choice)
                    aria-label=lang::name(choice)
                    aria-pressed=(now == choice).to_string()
                >
                    {lang::short(choice)}
                </button>
            }).collect_view()}
            </div>
        </form>
    }
}
