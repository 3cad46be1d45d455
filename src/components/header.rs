//! The top bar: brand, theme switch, and who is signed in.

use leptos::prelude::*;
use leptos_i18n::Locale as _; // as_str
use leptos_router::components::A;

use crate::{
    api::auth::Logout,
    components::{
        form::ProgressiveForm,
        lang_switch::LangSwitch,
        session::use_auth,
        theme::{ThemeForm, ThemeSwitch},
    },
    lang, tr,
};

/// The site header. The language and theme switches are forms, so they
/// work before the page has hydrated and without JavaScript. On a wide
/// screen they stand in the bar; on a phone, where they and the account's
/// links do not fit beside each other, they sit behind one button that
/// opens them as a popover (`popovertarget`: the browser opens, closes and
/// announces it, with no script of ours). A browser without popovers shows
/// them in the bar as on a wide screen.
#[component]
pub fn Header() -> impl IntoView {
    let here = crate::components::here();
    view! {
        <a class="skip-link" href="#main">{tr!(header.skip)}</a>
        <header class="topbar">
            // External: `/` is a server-side redirect, not a client route.
            // Named even on phones, where only the mark shows.
            <a href="/" rel="external" class="brand" aria-label=tr!(header.home)>
                <span class="brand-mark" aria-hidden="true">"P"</span>
                <span class="brand-name">"Palaver"</span>
            </a>
            <nav class="topnav" aria-label=tr!(header.main_nav)>
                <button
                    type="button"
                    class="prefs-toggle btn btn-ghost"
                    popovertarget="prefs"
                    aria-label=tr!(header.display)
                    title=tr!(header.display)
                >
                    <span lang=lang::current().as_str()>{lang::short(lang::current())}</span>
                    <span aria-hidden="true">"◐"</span>
                </button>
                <div id="prefs" class="prefs" popover="auto">
                    <LangSwitch/>
                    {if crate::app::loads_bundle() {
                        view! { <ThemeSwitch next=here()/> }.into_any()
                    } else {
                        view! { <ThemeForm next=here()/> }.into_any()
                    }}
                </div>
                <UserMenu/>
            </nav>
        </header>
    }
}

/// The signed-in user's name and a sign-out button, or the sign-in links.
#[component]
fn UserMenu() -> impl IntoView {
    let auth = use_auth();
    let logout = ServerAction::<Logout>::new();
    view! {
        <Transition fallback=|| ()>
            {move || {
                auth.user.get().map(|me| match me {
                    Ok(me) => view! {
                        {(me.user.role == crate::domain::Role::Admin).then(|| view! {
                            <A href="/admin" attr:class="btn btn-ghost">{tr!(header.admin)}</A>
                        })}
                        <A href="/settings" attr:class="user-name btn btn-ghost" attr:title=me.user.email.clone()>{me.user.display_name}</A>
                        <ProgressiveForm action=logout class="logout-form">
                            <button type="submit" class="btn btn-ghost" disabled=move || logout.pending().get()>
                                {tr!(header.sign_out)}
                            </button>
                        </ProgressiveForm>
                    }
                    .into_any(),
                    Err(_) => view! {
                        <A href="/login" attr:class="btn btn-ghost">{tr!(common.sign_in)}</A>
                        <A href="/register" attr:class="btn btn-primary">{tr!(header.create_account)}</A>
                    }
                    .into_any(),
                })
            }}
        </Transition>
    }
}
