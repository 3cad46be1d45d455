//! The sessions and security events of `/settings`: where the account is
//! signed in (this browser marked), ending one or all others, and the
//! account's recent security events.

use leptos::prelude::*;

use super::{done, section_error};
use crate::{
    api::account::{list_sessions, my_security_events, RevokeSessions},
    components::form::{FormAlert, ProgressiveForm},
    domain::dates,
    tr,
};

/// A Unix time as the page shows it (UTC, to the minute).
fn when(unix: i64) -> String {
    dates::format_utc(unix)
}

/// The sessions list.
#[component]
pub fn Sessions() -> impl IntoView {
    let revoke = ServerAction::<RevokeSessions>::new();
    let error = section_error(revoke, "sessions");
    let ended = done(revoke, "sessions");
    let sessions = Resource::new(move || revoke.version().get(), |_| list_sessions());
    view! {
        <section class="card settings-card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{tr!(settings.sessions)}</h2>
            <FormAlert message=error/>
            <Show when=ended>
                <p class="alert alert-success" role="status">{tr!(settings.sessions_ended)}</p>
            </Show>
            <Suspense fallback=|| view! { <p class="muted">{tr!(settings.loading)}</p> }>
                {move || sessions.get().map(|list| match list {
                    Ok(list) => view! {
                        <ul class="session-list">
                            {list.sessions.into_iter().map(|s| {
                                let agent = s.user_agent.clone().unwrap_or_else(|| tr!(settings.unknown_browser).to_owned());
                                let ip = s.ip.clone().unwrap_or_default();
                                let since = s.created_at.map(when).unwrap_or_default();
                                let seen = when(s.last_seen_at);
                                let id = s.id.clone();
                                view! {
                                    <li class="session">
                                        <div>
                                            <strong>{agent}</strong>
                                            {s.current.then(|| view! { " " <span class="badge">{tr!(settings.this_browser)}</span> })}
                                            <p class="muted small">{tr!(settings.session_from, ip = ip, since = since, seen = seen)}</p>
                                        </div>
                                        {(!s.current).then(|| view! {
                                            <ProgressiveForm action=revoke>
                                                <input type="hidden" name="id" value=id/>
                                                <button type="submit" class="btn btn-ghost">{tr!(settings.sign_out_session)}</button>
                                            </ProgressiveForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => view! { <p class="alert alert-error" role="alert">{err.to_string()}</p> }.into_any(),
                })}
            </Suspense>
            <ProgressiveForm action=revoke class="form">
                <input type="hidden" name="all_others" value="true"/>
                <button type="submit" class="btn" disabled=move || revoke.pending().get()>{tr!(settings.sign_out_others)}</button>
            </ProgressiveForm>
        </section>
    }
}

/// The account's recent security events.
#[component]
pub fn Events() -> impl IntoView {
    let events = Resource::new(|| (), |_| my_security_events());
    view! {
        <section class="card settings-card" aria-labelledby="events-heading">
            <h2 id="events-heading">{tr!(settings.events)}</h2>
            <Suspense fallback=|| view! { <p class="muted">{tr!(settings.loading)}</p> }>
                {move || events.get().map(|answer| match answer {
                    Ok(page) => view! {
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{tr!(settings.event_when)}</th>
                                <th scope="col">{tr!(settings.event_what)}</th>
                                <th scope="col">{tr!(settings.event_where)}</th>
                            </tr></thead>
                            <tbody>
                                {page.events.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{when(e.at)}</td>
                                        <td><code>{e.kind}</code></td>
                                        <td>{e.ip.unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(err) => view! { <p class="alert alert-error" role="alert">{err.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
