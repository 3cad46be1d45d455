//! The two-factor part of `/settings`: set up (QR code and secret), enable
//! with a code (recovery codes shown once), turn off with password and code.
//! `/settings?mfa=setup` starts a setup, so the link works without
//! JavaScript: the server renders the new secret into the page.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

use super::{done, section_error};
use crate::{
    api::account::{mfa_setup, MfaDisable, MfaEnable},
    components::{
        form::{FormAlert, KeptFields, ProgressiveForm, SubmitButton},
        session::use_auth,
    },
    domain::account::MfaSetup,
    error::AppError,
    tr,
};

/// The two-factor section.
#[component]
pub fn TwoFactor() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    // `None` while the account is loading.
    let on = move || auth.user.get().map(|me| me.is_ok_and(|me| me.user.mfa));
    let setting_up = move || query.read().get("mfa").as_deref() == Some("setup");
    let enable = ServerAction::<MfaEnable>::new();
    // Codes from a plain post's redirect (kept for one read), or the action's.
    let kept = StoredValue::new(KeptFields::take().get("recovery_codes"));
    let codes = move || match enable.value().get() {
        Some(Ok(done)) => done.recovery_codes,
        _ => kept
            .get_value()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    };
    // The setup is started here, once per page, not in the view below: the
    // server runs a view's closures more than once while it renders
    // (Suspense's dry run among them), and each run would start a setup
    // whose secret replaces the one the page shows.
    let setup = Resource::new(
        move || setting_up() && on().is_some_and(|on| !on),
        |go| async move {
            if go {
                Some(mfa_setup().await)
            } else {
                None
            }
        },
    );
    view! {
        <section class="card settings-card" aria-labelledby="mfa-heading">
            <h2 id="mfa-heading">{tr!(settings.mfa)}</h2>
            <Show when=move || !codes().is_empty()>
                <div class="alert alert-success" role="status">
                    <p>{tr!(settings.mfa_on_codes)}</p>
                    <ul class="recovery-codes">
                        {move || codes().into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                </div>
            </Show>
            <Suspense fallback=|| ()>
                {move || {
                    let on = on();
                    if !codes().is_empty() || on.is_none() {
                        ().into_any()
                    } else if on == Some(true) {
                        view! { <Disable/> }.into_any()
                    } else if setting_up() {
                        view! { <Setup setup enable/> }.into_any()
                    } else {
                        view! {
                            <p class="muted">{tr!(settings.mfa_lead)}</p>
                            <A href="/settings?mfa=setup" attr:class="btn btn-primary">{tr!(settings.mfa_set_up)}</A>
                        }.into_any()
                    }
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Setup(
    setup: Resource<Option<Result<MfaSetup, AppError>>>,
    enable: ServerAction<MfaEnable>,
) -> impl IntoView {
    let error = section_error(enable, "mfa");
    view! {
        <Suspense fallback=|| view! { <p class="muted">{tr!(settings.loading)}</p> }>
            {move || setup.get().flatten().map(|answer| match answer {
                Ok(setup) => view! {
                    <p>{tr!(settings.mfa_scan)}</p>
                    // The SVG is made by the server (the `qrcode` crate) from
                    // our own otpauth link: no outside text is in it.
                    <div class="qr" role="img" aria-label=tr!(settings.mfa_qr_label) inner_html=setup.qr_svg.clone()></div>
                    <p>{tr!(settings.mfa_secret)} " " <code id="mfa-secret" class="secret">{setup.secret.clone()}</code></p>
                    <ProgressiveForm action=enable class="form">
                        <FormAlert message=error/>
                        <div class="field">
                            <label for="mfa_code">{tr!(mfa.code)}</label>
                            <input id="mfa_code" name="code" type="text" inputmode="numeric"
                                autocomplete="one-time-code" required=true maxlength="6"/>
                        </div>
                        <SubmitButton pending=enable.pending() idle=tr!(settings.mfa_enable) busy=tr!(settings.saving)/>
                    </ProgressiveForm>
                }.into_any(),
                Err(err) => view! { <p class="alert alert-error" role="alert">{err.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Disable() -> impl IntoView {
    let action = ServerAction::<MfaDisable>::new();
    let error = section_error(action, "mfa");
    let off = done(action, "mfa_off");
    view! {
        <Show when=move || !off() fallback=|| view! { <p role="status" class="alert alert-success">{tr!(settings.mfa_now_off)}</p> }>
            <p>{tr!(settings.mfa_is_on)}</p>
            <ProgressiveForm action=action class="form">
                <FormAlert message=error/>
                <div class="field">
                    <label for="mfa_off_password">{tr!(common.password)}</label>
                    <input id="mfa_off_password" name="password" type="password" autocomplete="current-password" required=true/>
                </div>
                <div class="field">
                    <label for="mfa_off_code">{tr!(mfa.code)}</label>
                    <input id="mfa_off_code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required=true/>
                </div>
                <SubmitButton pending=action.pending() idle=tr!(settings.mfa_disable) busy=tr!(settings.saving)/>
            </ProgressiveForm>
        </Show>
    }
}
