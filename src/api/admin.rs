//! The admin's calls (`/admin`, `/api/admin/*`): accounts and the audit
//! log. Everyone else gets `403 forbidden`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::GetUrl;

use crate::{
    api::{auth::Done, codec::FormOrJson},
    domain::account::{AdminUser, AuditRow},
    error::AppError,
};

/// `{"ok":true, "users":[...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "users": [{"id": 2, "uid": "u_7HkP2mxa", "email": "bo@example.com", "display_name": "Bo", "role": "pending", "is_active": true, "mfa": false, "created_at": 1764750000, "last_login_at": null}]})))]
pub struct UserList {
    /// Always true.
    pub ok: bool,
    /// Newest first.
    pub users: Vec<AdminUser>,
}

/// `201 {"ok":true, "id": n}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "id": 7})))]
pub struct Created {
    /// Always true.
    pub ok: bool,
    /// The new account's id.
    pub id: i64,
}

/// `{"ok":true, "events":[...], "chain_ok": bool}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "events": [{"id": 41, "at": 1764836400, "kind": "role_changed", "user_id": 2, "actor_id": 1, "ip": "203.0.113.7", "detail": "{\"role\":\"user\"}"}], "chain_ok": true})))]
pub struct AuditPage {
    /// Always true.
    pub ok: bool,
    /// Newest first.
    pub events: Vec<AuditRow>,
    /// Whether the whole chain verifies.
    pub chain_ok: bool,
}

/// Accounts, newest first; `q` filters by e-mail or name.
#[server(prefix = "/api/admin", endpoint = "users", input = GetUrl)]
pub async fn admin_users(q: Option<String>) -> Result<UserList, AppError> {
    use crate::server::{admin, edge};
    let (state, _) = edge::admin().await?;
    Ok(UserList {
        ok: true,
        users: admin::users(&state, q.as_deref()).await?,
    })
}

/// Changes an account's role or activity (approving a pending account is
/// `role: "user"`); losing rights ends its sessions; the last admin stays.
#[server(prefix = "/api/admin/users", endpoint = "update", input = FormOrJson)]
pub async fn admin_update_user(
    id: i64,
    role: Option<String>,
    is_active: Option<bool>,
) -> Result<Done, AppError> {
    use crate::server::{admin, db::UserChange, edge};
    let result = async {
        let (state, me) = edge::admin().await?;
        let ip = edge::client_ip(&state).await;
        let change = UserChange {
            role: role.as_deref().map(admin::parse_role).transpose()?,
            is_active,
        };
        admin::update(&state, &me, ip, id, change).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/admin", "/admin?form=users")
}

/// Makes an account (any sign-up mode): `201 {"ok":true,"id":n}`.
#[server(prefix = "/api/admin/users", endpoint = "create", input = FormOrJson)]
pub async fn admin_create_user(
    email: String,
    password: String,
    display_name: Option<String>,
    role: Option<String>,
) -> Result<Created, AppError> {
    use crate::server::{admin, edge};
    let result = async {
        let (state, me) = edge::admin().await?;
        let ip = edge::client_ip(&state).await;
        let input = admin::NewAccount {
            email: &email,
            password: &password,
            display_name: display_name.as_deref().filter(|n| !n.trim().is_empty()),
            role: role
                .as_deref()
                .filter(|r| !r.trim().is_empty())
                .map(admin::parse_role)
                .transpose()?,
        };
        let user = admin::create(&state, &me, ip, input).await?;
        edge::set_status(http::StatusCode::CREATED);
        Ok(Created {
            ok: true,
            id: user.id,
        })
    }
    .await;
    edge::finish(result, "/admin", "/admin?form=create")
}

/// Deletes an account and everything of it; its audit events stay.
#[server(prefix = "/api/admin/users", endpoint = "delete", input = FormOrJson)]
pub async fn admin_delete_user(id: i64) -> Result<Done, AppError> {
    use crate::server::{admin, edge};
    let result = async {
        let (state, me) = edge::admin().await?;
        let ip = edge::client_ip(&state).await;
        admin::delete(&state, &me, ip, id).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/admin", "/admin?form=users")
}

/// Turns two-factor sign-in off for a locked-out account (audited).
#[server(prefix = "/api/admin/users", endpoint = "reset-mfa", input = FormOrJson)]
pub async fn admin_reset_mfa(id: i64) -> Result<Done, AppError> {
    use crate::server::{edge, mfa};
    let result = async {
        let (state, me) = edge::admin().await?;
        let ip = edge::client_ip(&state).await;
        mfa::reset_by_admin(&state, &me, ip, id).await?;
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/admin", "/admin?form=users")
}

/// A page of the audit log, newest first: `before` (an id) pages back,
/// `limit` (at most 200), `user_id` and `kind` filter.
#[server(prefix = "/api/admin", endpoint = "audit", input = GetUrl)]
pub async fn admin_audit(
    before: Option<i64>,
    limit: Option<i64>,
    user_id: Option<i64>,
    kind: Option<String>,
) -> Result<AuditPage, AppError> {
    use crate::server::{admin, db::AuditFilter, edge};
    let (state, _) = edge::admin().await?;
    let filter = AuditFilter {
        before,
        limit: limit.unwrap_or(50),
        user_id,
        kind: kind.filter(|k| !k.trim().is_empty()),
    };
    let (events, chain_ok) = admin::audit_page(&state, filter).await?;
    Ok(AuditPage {
        ok: true,
        events,
        chain_ok,
    })
}

crate::form_or_json!(
    AdminUpdateUser,
    AdminCreateUser,
    AdminDeleteUser,
    AdminResetMfa
);
