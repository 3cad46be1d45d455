//! `/admin` (admins only; anyone else gets a `403` page): accounts, with
//! search, approval, roles, deactivation, creation and deletion, and the
//! audit log with its chain check. Every form works without JavaScript.

mod audit;
mod users;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{components::session::use_auth, domain::Role, tr};

/// The admin page.
#[component]
pub fn AdminPage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Title text=tr!(admin.title)/>
        <Suspense fallback=|| ()>
            {move || auth.user.get().map(|me| match me {
                Ok(me) if me.user.role == Role::Admin => view! {
                    <div class="settings admin">
                        <h1>{tr!(admin.title)}</h1>
                        <users::Users/>
                        <audit::AuditLog/>
                    </div>
                }.into_any(),
                _ => view! { <Forbidden/> }.into_any(),
            })}
        </Suspense>
    }
}

/// What anyone but an admin sees, with the status `403`.
#[component]
fn Forbidden() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <section class="card narrow auth-card">
            <h1>{tr!(admin.forbidden)}</h1>
            <p class="muted">{tr!(admin.forbidden_lead)}</p>
            <p><a href="/app">{tr!(admin.back)}</a></p>
        </section>
    }
}
