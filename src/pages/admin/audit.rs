//! The audit log part of `/admin`: newest first, filtered by account and
//! kind, paged back by id, with whether the whole chain verifies.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{api::admin::admin_audit, domain::dates, tr};

/// How many events a page shows.
const PAGE: i64 = 50;

/// The audit log.
#[component]
pub fn AuditLog() -> impl IntoView {
    let query = use_query_map();
    let param = move |key: &str| query.read().get(key).filter(|v| !v.trim().is_empty());
    let filters = move || {
        (
            param("before").and_then(|v| v.parse::<i64>().ok()),
            param("user_id").and_then(|v| v.parse::<i64>().ok()),
            param("kind"),
        )
    };
    let page = Resource::new(filters, |(before, user_id, kind)| {
        admin_audit(before, Some(PAGE), user_id, kind)
    });
    view! {
        <section class="card settings-card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{tr!(admin.audit)}</h2>
            <form method="get" action="/admin" class="search-form">
                <label for="audit-user">{tr!(admin.audit_user)}</label>
                <input id="audit-user" name="user_id" type="number" min="1" value=move || param("user_id").unwrap_or_default()/>
                <label for="audit-kind">{tr!(admin.audit_kind)}</label>
                <input id="audit-kind" name="kind" type="text" value=move || param("kind").unwrap_or_default()/>
                <button type="submit" class="btn">{tr!(admin.search_button)}</button>
            </form>
            <Suspense fallback=|| view! { <p class="muted">{tr!(settings.loading)}</p> }>
                {move || page.get().map(|answer| match answer {
                    Ok(page) => {
                        let older = page.events.last().map(|e| e.id).filter(|_| page.events.len() as i64 == PAGE);
                        view! {
                            {if page.chain_ok {
                                view! { <p class="alert alert-success" role="status">{tr!(admin.chain_ok)}</p> }.into_any()
                            } else {
                                view! { <p class="alert alert-error" role="alert">{tr!(admin.chain_broken)}</p> }.into_any()
                            }}
                            <div class="table-wrap">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">"#"</th>
                                        <th scope="col">{tr!(settings.event_when)}</th>
                                        <th scope="col">{tr!(settings.event_what)}</th>
                                        <th scope="col">{tr!(admin.audit_user)}</th>
                                        <th scope="col">{tr!(admin.audit_actor)}</th>
                                        <th scope="col">{tr!(settings.event_where)}</th>
                                        <th scope="col">{tr!(admin.audit_detail)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.events.into_iter().map(|e| view! {
                                            <tr>
                                                <td>{e.id}</td>
                                                <td>{dates::format_utc(e.at)}</td>
                                                <td><code>{e.kind}</code></td>
                                                <td>{e.user_id.map(|id| id.to_string()).unwrap_or_default()}</td>
                                                <td>{e.actor_id.map(|id| id.to_string()).unwrap_or_default()}</td>
                                                <td>{e.ip.unwrap_or_default()}</td>
                                                <td><code>{e.detail}</code></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {older.map(|id| view! {
                                <p><a href=format!("/admin?before={id}")>{tr!(admin.older)}</a></p>
                            })}
                        }.into_any()
                    }
                    Err(err) => view! { <p class="alert alert-error" role="alert">{err.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
