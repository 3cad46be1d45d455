//! The accounts part of `/admin`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{admin_users, AdminCreateUser, AdminDeleteUser, AdminResetMfa, AdminUpdateUser},
    components::form::{FormAlert, ProgressiveForm, SubmitButton},
    domain::{account::AdminUser, dates},
    pages::settings::section_error,
    tr,
};

/// The accounts list and the form that makes one.
#[component]
pub fn Users() -> impl IntoView {
    let query = use_query_map();
    let update = ServerAction::<AdminUpdateUser>::new();
    let delete = ServerAction::<AdminDeleteUser>::new();
    let reset_mfa = ServerAction::<AdminResetMfa>::new();
    let create = ServerAction::<AdminCreateUser>::new();
    let search = move || query.read().get("q").unwrap_or_default();
    let users = Resource::new(
        move || {
            (
                search(),
                update.version().get()
                    + delete.version().get()
                    + reset_mfa.version().get()
                    + create.version().get(),
            )
        },
        |(q, _)| admin_users((!q.is_empty()).then_some(q)),
    );
    let error = move || {
        section_error(update, "users")()
            .or_else(section_error(delete, "users"))
            .or_else(section_error(reset_mfa, "users"))
    };
    let create_error = section_error(create, "create");
    view! {
        <section class="card settings-card" aria-labelledby="users-heading">
            <h2 id="users-heading">{tr!(admin.users)}</h2>
            <form method="get" action="/admin" class="search-form" role="search">
                <label for="user-search">{tr!(admin.search)}</label>
                <input id="user-search" name="q" type="search" value=search/>
                <button type="submit" class="btn">{tr!(admin.search_button)}</button>
            </form>
            <FormAlert message=error/>
            <Suspense fallback=|| view! { <p class="muted">{tr!(settings.loading)}</p> }>
                {move || users.get().map(|answer| match answer {
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{tr!(common.email)}</th>
                                    <th scope="col">{tr!(admin.role)}</th>
                                    <th scope="col">{tr!(admin.status)}</th>
                                    <th scope="col">{tr!(admin.last_login)}</th>
                                    <th scope="col">{tr!(admin.actions)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.users.into_iter().map(|u| view! { <Row user=u update delete reset_mfa/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(err) => view! { <p class="alert alert-error" role="alert">{err.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </section>
        <section class="card settings-card" aria-labelledby="create-heading">
            <h2 id="create-heading">{tr!(admin.create)}</h2>
            <ProgressiveForm action=create class="form">
                <FormAlert message=create_error/>
                <div class="field">
                    <label for="new_email">{tr!(common.email)}</label>
                    <input id="new_email" name="email" type="email" autocomplete="off" required=true/>
                </div>
                <div class="field">
                    <label for="new_name">{tr!(register.name)} " " <span class="muted small">{tr!(common.optional)}</span></label>
                    <input id="new_name" name="display_name" type="text" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="new_password">{tr!(common.password)}</label>
                    <input id="new_password" name="password" type="password" autocomplete="new-password" required=true/>
                </div>
                <div class="field">
                    <label for="new_role">{tr!(admin.role)}</label>
                    <select id="new_role" name="role">
                        <option value="user">{tr!(admin.role_user)}</option>
                        <option value="admin">{tr!(admin.role_admin)}</option>
                    </select>
                </div>
                <SubmitButton pending=create.pending() idle=tr!(admin.create_button) busy=tr!(settings.saving)/>
            </ProgressiveForm>
        </section>
    }
}

#[component]
fn Row(
    user: AdminUser,
    update: ServerAction<AdminUpdateUser>,
    delete: ServerAction<AdminDeleteUser>,
    reset_mfa: ServerAction<AdminResetMfa>,
) -> impl IntoView {
    let id = user.id;
    let role_label = match user.role.as_str() {
        "admin" => tr!(admin.role_admin),
        "pending" => tr!(admin.role_pending),
        _ => tr!(admin.role_user),
    };
    let status = if user.is_active {
        tr!(admin.active)
    } else {
        tr!(admin.inactive)
    };
    let last = user
        .last_login_at
        .map(dates::format_utc)
        .unwrap_or_else(|| "—".to_owned());
    let select_id = format!("role-{}", user.id);
    let pending = user.role == "pending";
    view! {
        <tr>
            <td>
                <strong>{user.display_name.clone()}</strong><br/>
                <span class="muted small">{user.email.clone()}</span>
                {user.mfa.then(|| view! { " " <span class="badge">{tr!(admin.mfa_on)}</span> })}
            </td>
            <td>{role_label}</td>
            <td>{status}</td>
            <td>{last}</td>
            <td class="row-actions">
                {pending.then(|| view! {
                    <ProgressiveForm action=update>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="role" value="user"/>
                        <button type="submit" class="btn btn-primary">{tr!(admin.approve)}</button>
                    </ProgressiveForm>
                })}
                <ProgressiveForm action=update class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label for=select_id.clone() class="visually-hidden">{tr!(admin.role)}</label>
                    <select id=select_id name="role">
                        <option value="user" selected=user.role == "user">{tr!(admin.role_user)}</option>
                        <option value="admin" selected=user.role == "admin">{tr!(admin.role_admin)}</option>
                        <option value="pending" selected=pending>{tr!(admin.role_pending)}</option>
                    </select>
                    <button type="submit" class="btn">{tr!(admin.set_role)}</button>
                </ProgressiveForm>
                <ProgressiveForm action=update>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="is_active" value=if user.is_active { "false" } else { "true" }/>
                    <button type="submit" class="btn">{if user.is_active { tr!(admin.deactivate) } else { tr!(admin.activate) }}</button>
                </ProgressiveForm>
                {user.mfa.then(|| view! {
                    <ProgressiveForm action=reset_mfa>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <button type="submit" class="btn">{tr!(admin.reset_mfa)}</button>
                    </ProgressiveForm>
                })}
                <ProgressiveForm action=delete>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="btn btn-danger">{tr!(admin.delete)}</button>
                </ProgressiveForm>
            </td>
        </tr>
    }
}
