//! `/auth/register`, `/auth/login`, `/auth/logout`, `/auth/me`: the same
//! functions serve the pages (form posts) and API clients (JSON).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::GetUrl;

pub use crate::domain::User;
use crate::{api::codec::FormOrJson, error::AppError};

/// `{"ok": true}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Done {
    /// Always true.
    pub ok: bool,
}

impl Done {
    pub const OK: Self = Self { ok: true };
}

/// `{"ok": true, "user": {...}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeResponse {
    /// Always true.
    pub ok: bool,
    /// The signed-in user.
    pub user: User,
}

/// Creates an account: `201 {"ok":true}`. The pages then sign in; API
/// clients call `/auth/login`.
#[server(prefix = "/auth", endpoint = "register", input = FormOrJson)]
pub async fn register(
    email: String,
    password: String,
    display_name: Option<String>,
    phone: Option<String>,
    next: Option<String>,
) -> Result<Done, AppError> {
    use crate::server::{auth, edge};
    let result = async {
        let state = edge::state()?;
        let ip = edge::client_ip(&state).await;
        let input = auth::Registration {
            email: &email,
            password: &password,
            display_name: display_name.as_deref(),
            phone: phone.as_deref(),
        };
        let user = auth::register(&state, ip, input).await?;
        // A new account is signed in at once, as people expect.
        let meta = edge::client_meta(&state).await;
        auth::start_session(&edge::session().await?, &user, &meta).await?;
        edge::set_status(http::StatusCode::CREATED);
        Ok(Done::OK)
    }
    .await;
    // Back to the page as it was asked for: with its `next`, if it had one.
    let back = next.as_deref().filter(|n| !n.is_empty()).map_or_else(
        || "/register".to_owned(),
        |next| {
            let next = crate::domain::safe_next(Some(next));
            format!("/register?next={}", crate::domain::urlencoding(&next))
        },
    );
    let next = crate::domain::safe_next(next.as_deref());
    let kept = [
        ("email", email.as_str()),
        ("display_name", display_name.as_deref().unwrap_or_default()),
        ("phone", phone.as_deref().unwrap_or_default()),
    ];
    edge::finish_keeping(result, &next, &back, &kept)
}

/// `POST /auth/login`'s answer: `mfa_required` when the account has
/// two-factor sign-in on and the code is still to come.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"ok": true, "mfa_required": true})))]
pub struct LoginDone {
    /// Always true.
    pub ok: bool,
    /// True: call `/auth/mfa/verify` (the page goes to `/mfa`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mfa_required: bool,
}

/// Signs in: `200 {"ok":true}` and a fresh session cookie, or the uniform
/// `401 {"ok":false,"error":"Invalid credentials"}`. With MFA on, a right
/// password gives `{"ok":true,"mfa_required":true}` and a session that can
/// only verify the code or sign out.
#[server(prefix = "/auth", endpoint = "login", input = FormOrJson)]
pub async fn login(
    identifier: String,
    password: String,
    next: Option<String>,
) -> Result<LoginDone, AppError> {
    use crate::server::{auth, edge};
    let next = crate::domain::safe_next(next.as_deref());
    let result = async {
        let state = edge::state()?;
        let ip = edge::client_ip(&state).await;
        let user = auth::login(&state, ip, &identifier, &password).await?;
        let session = edge::session().await?;
        if user.mfa {
            auth::start_half_session(&session, &user).await?;
        } else {
            let meta = edge::client_meta(&state).await;
            auth::start_session(&session, &user, &meta).await?;
        }
        Ok(LoginDone {
            ok: true,
            mfa_required: user.mfa,
        })
    }
    .await;
    let back = format!("/login?next={}", crate::domain::urlencoding(&next));
    let ok_to = match &result {
        Ok(done) if done.mfa_required => format!("/mfa?next={}", crate::domain::urlencoding(&next)),
        _ => next.clone(),
    };
    edge::finish_keeping(result, &ok_to, &back, &[("identifier", &identifier)])
}

/// The second step of signing in: `{code}` (6 digits, or a recovery code).
/// `200 {"ok":true}` and a new session id with full rights; `401
/// invalid_mfa_code`; after 5 wrong codes in 15 minutes, `429`.
#[server(prefix = "/auth/mfa", endpoint = "verify", input = FormOrJson)]
pub async fn mfa_verify(code: String, next: Option<String>) -> Result<Done, AppError> {
    use crate::server::{auth, edge, mfa};
    let next = crate::domain::safe_next(next.as_deref());
    let result = async {
        let state = edge::state()?;
        let session = edge::session().await?;
        let user = auth::half_signed_in(&state, &session).await?;
        let ip = edge::client_ip(&state).await;
        mfa::verify(&state, &user, ip, &code).await?;
        let meta = edge::client_meta(&state).await;
        auth::start_session(&session, &user, &meta).await?;
        Ok(Done::OK)
    }
    .await;
    let back = format!("/mfa?next={}", crate::domain::urlencoding(&next));
    edge::finish(result, &next, &back)
}

/// Signs out: always `200 {"ok":true}`; the session is deleted on the server
/// and its cookie cleared.
#[server(prefix = "/auth", endpoint = "logout", input = FormOrJson)]
pub async fn logout() -> Result<Done, AppError> {
    use crate::server::{auth, edge};
    let result = async {
        if let Ok(session) = edge::session().await {
            auth::end_session(&edge::state()?, &session).await?;
        }
        Ok(Done::OK)
    }
    .await;
    edge::finish(result, "/login", "/login")
}

/// The signed-in user, or `401 {"ok":false,"error":"Unauthorized"}`.
#[server(prefix = "/auth", endpoint = "me", input = GetUrl)]
pub async fn me() -> Result<MeResponse, AppError> {
    let (_, user) = crate::server::edge::signed_in().await?;
    Ok(MeResponse { ok: true, user })
}

crate::form_or_json!(Register, Login, Logout, MfaVerify);
