//! `/waiting`: where `/app` sends a signed-in person who cannot chat yet:
//! an account waiting for an admin's approval (`SIGNUP_MODE=approval`), or
//! an address still to confirm (`REQUIRE_EMAIL_VERIFICATION=1`), with a
//! button that sends the link again. Works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::account::ResendVerification,
    components::{
        form::{form_error, FormAlert, ProgressiveForm, SubmitButton},
        session::use_auth,
    },
    domain::Role,
    tr,
};

/// The waiting page.
#[component]
pub fn WaitingPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let resend = ServerAction::<ResendVerification>::new();
    let error = form_error(resend);
    let sent = move || {
        matches!(resend.value().get(), Some(Ok(_)))
            || query.read().get("verify").as_deref() == Some("sent")
    };
    let invalid = move || query.read().get("verify").as_deref() == Some("invalid");
    view! {
        <Title text=tr!(waiting.title)/>
        <section class="card narrow auth-card">
            <h1>{tr!(waiting.title)}</h1>
            <Suspense fallback=|| ()>
                {move || auth.user.get().map(|me| match me {
                    Ok(me) if me.user.role == Role::Pending => view! {
                        <p>{tr!(waiting.pending)}</p>
                    }.into_any(),
                    Ok(me) if !me.user.email_verified => view! {
                        <p>{tr!(waiting.verify, email = me.user.email.clone())}</p>
                        <Show when=invalid>
                            <p class="alert alert-error" role="alert">{tr!(waiting.link_invalid)}</p>
                        </Show>
                        <Show when=sent>
                            <p class="alert alert-success" role="status">{tr!(waiting.sent)}</p>
                        </Show>
                        <ProgressiveForm action=resend class="form">
                            <FormAlert message=error/>
                            <SubmitButton pending=resend.pending() idle=tr!(waiting.resend) busy=tr!(waiting.resending)/>
                        </ProgressiveForm>
                    }.into_any(),
                    _ => view! {
                        <p><A href="/app">{tr!(waiting.ready)}</A></p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
