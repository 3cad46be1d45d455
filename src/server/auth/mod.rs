//! Accounts and sign-in: the logic behind the `/auth/*` server functions,
//! testable without HTTP. Server functions parse, call one of these, and map
//! the error.

use leptos_i18n::Locale as _; // as_str
use std::net::IpAddr;

use http::HeaderMap;
use tower_sessions::Session;

mod session;

pub use session::{half_signed_in, start_half_session, start_session, ClientMeta, MFA_PENDING_KEY};

use super::{
    api_keys, audit,
    config::SignupMode,
    db::NewUser,
    mail::jobs::MailJob,
    metrics::{self, LoginResult},
    rate_limit::limit_subject,
    session_store::{stored_id, USER_ID_KEY},
    sign_outs::Credential,
    state::AppState,
};
use crate::{
    domain::{DisplayName, Email, Password, Phone},
    domain::{Role, User},
    error::AppError,
};

/// What a registration form or JSON body carries, before validation. Its
/// `Debug` leaves the password out.
#[derive(Default)]
pub struct Registration<'a> {
    /// E-mail, as typed.
    pub email: &'a str,
    /// Password, as typed.
    pub password: &'a str,
    /// Optional display name (defaults to the e-mail's local part).
    pub display_name: Option<&'a str>,
    /// Optional phone number.
    pub phone: Option<&'a str>,
}

impl std::fmt::Debug for Registration<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration").finish_non_exhaustive()
    }
}

/// Creates an account. The per-address limit comes first, then validation,
/// then the per-e-mail limit, then the argon2 hash on the blocking pool, then one
/// transaction for the user and their credential.
pub async fn register(
    state: &AppState,
    ip: IpAddr,
    input: Registration<'_>,
) -> Result<User, AppError> {
    let limits = &state.settings.rate_limits;
    let limiter = &state.limiter;
    let mode = state.settings.accounts.signup_mode;
    // A closed instance still lets its very first account in: that is how
    // its admin is made.
    if mode == SignupMode::Closed && state.db.any_user().await? {
        return Err(AppError::SignupClosed);
    }
    if !limiter
        .allow("register:ip", &limit_subject(ip), limits.register_ip)
        .await?
    {
        return Err(AppError::RateLimited);
    }
    let email = Email::parse(input.email)?;
    let password = Password::parse(input.password)?;
    let display_name = DisplayName::for_account(input.display_name, &email)?;
    let phone = Phone::parse_optional(input.phone)?;
    // Counted only for well-formed attempts, so typos do not lock anyone out.
    if !limiter
        .allow("register:email", email.as_str(), limits.register_email)
        .await?
    {
        return Err(AppError::RateLimited);
    }

    let password_hash = state.passwords.hash(password.expose()).await?;
    let uid = uuid::Uuid::new_v4().simple().to_string();
    let verify = state.settings.accounts.require_email_verification;
    // The first mail: the verification link when addresses must be
    // confirmed, else the welcome.
    let welcome = move |user_id| {
        if verify {
            MailJob::VerifyEmail { user_id }.to_json()
        } else {
            MailJob::Welcome { user_id }.to_json()
        }
    };
    let new = NewUser {
        uid: &uid,
        email: email.as_str(),
        phone: phone.as_ref().map(Phone::as_str),
        display_name: display_name.as_str(),
        password_hash: &password_hash,
        // The language the page was in: mails go in it.
        lang: crate::lang::current().as_str(),
        role: match mode {
            SignupMode::Approval => Role::Pending,
            SignupMode::Open | SignupMode::Closed => Role::User,
        },
        verified: !state.settings.accounts.require_email_verification,
        event: audit::event(audit::kind::REGISTER, None, Some(ip)),
    };
    let user = state
        .outbox
        .queued_by(state.db.create_user(&new, state.clock.now(), &welcome))
        .await?;
    tracing::info!(user_id = user.id, "account created");
    Ok(user)
}

/// The longest identifier worth looking at: the longest e-mail address.
/// Longer ones are refused before anything is counted or stored.
pub const MAX_IDENTIFIER_CHARS: usize = 254;

/// Checks credentials. Every failure, the rate limit included, is the same
/// [`AppError::InvalidCredentials`]; an unknown e-mail still costs one argon2
/// verification, so timing does not tell which accounts exist.
///
/// Limits: every attempt counts against the client's address. The
/// identifier's budget counts only *failed* passwords from addresses that
/// were within their own limit, so an address past its limit spends nothing
/// of anyone's budget, and the owner's successful sign-ins never use it up.
/// Once an identifier has had its budget of failures in a window, every
/// attempt on it is refused until the window closes (the contract's
/// per-identifier limit, which stops guessing spread over many addresses).
pub async fn login(
    state: &AppState,
    ip: IpAddr,
    identifier: &str,
    password: &str,
) -> Result<User, AppError> {
    let mut limited = false;
    let result = attempt_login(state, ip, identifier, password, &mut limited).await;
    let now = state.clock.now();
    match &result {
        Ok(user) => {
            let kind = if user.mfa {
                // The password alone is half of it: the success is
                // recorded when the second factor is right.
                None
            } else {
                Some(audit::kind::LOGIN_SUCCESS)
            };
            if let Some(kind) = kind {
                let event = audit::event(kind, Some(user.id), Some(ip));
                state.db.user_signed_in(user.id, &event, now).await?;
            }
        }
        Err(AppError::InvalidCredentials) if !limited => {
            // Which account was tried, if it exists: what an admin needs to
            // see an attack on one account. Unknown addresses are not
            // recorded (a log of typos is not a security event).
            if let Ok(email) = Email::parse(identifier.trim()) {
                if let Some((user, _)) = state.db.user_by_email(email.as_str()).await? {
                    let event = audit::event(audit::kind::LOGIN_FAILURE, Some(user.id), Some(ip));
                    audit::record(state, &event).await?;
                }
            }
        }
        Err(_) => {}
    }
    metrics::login(match &result {
        _ if limited => LoginResult::RateLimited,
        Ok(_) => LoginResult::Success,
        Err(AppError::InvalidCredentials) => LoginResult::Failure,
        Err(_) => LoginResult::Error,
    });
    result
}

/// [`login`], telling through `limited` whether a limit refused it.
async fn attempt_login(
    state: &AppState,
    ip: IpAddr,
    identifier: &str,
    password: &str,
    limited: &mut bool,
) -> Result<User, AppError> {
    let limits = &state.settings.rate_limits;
    let identifier = identifier.trim().to_lowercase();
    if identifier.chars().count() > MAX_IDENTIFIER_CHARS {
        return Err(AppError::InvalidCredentials);
    }
    let limiter = &state.limiter;
    if !limiter
        .allow("login:ip", &limit_subject(ip), limits.login_ip)
        .await?
    {
        *limited = true;
        return Err(AppError::InvalidCredentials);
    }
    let budget = limits.login_identifier;
    if !limiter
        .has_room("login:identifier-failures", &identifier, budget)
        .await?
    {
        *limited = true;
        return Err(AppError::InvalidCredentials);
    }
    let result = check_password(state, &identifier, password).await;
    if matches!(result, Err(AppError::InvalidCredentials)) {
        limiter
            .count_hit("login:identifier-failures", &identifier, budget)
            .await?;
    }
    result
}

/// The active user whose e-mail is `identifier` and whose password is
/// `password`; re-hashes a hash made at an older cost.
async fn check_password(
    state: &AppState,
    identifier: &str,
    password: &str,
) -> Result<User, AppError> {
    let found = match Email::parse(identifier) {
        Ok(email) => state.db.user_by_email(email.as_str()).await?,
        Err(_) => None,
    };
    let (user, stored) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    let verified = state.passwords.verify(password, stored.as_ref()).await?;
    let user = match user {
        Some(user) if verified.ok && user.is_active => user,
        _ => return Err(AppError::InvalidCredentials),
    };
    if verified.needs_rehash {
        // Parameters were raised since this hash was made: upgrade it now that
        // we hold the plain password. A failure here must not fail the login.
        match state.passwords.hash(password).await {
            Ok(hash) => {
                if let Err(e) = state
                    .db
                    .set_password_hash(user.id, &hash, state.clock.now())
                    .await
                {
                    tracing::warn!(error = %e, "password re-hash not saved");
                }
            }
            Err(e) => tracing::warn!(error = %e, "password re-hash failed"),
        }
    }
    Ok(user)
}

/// Whether `user` may chat: not while waiting for approval, nor before
/// confirming the address when that is required.
pub fn may_chat(state: &AppState, user: &User) -> Result<(), AppError> {
    if user.role == Role::Pending {
        return Err(AppError::PendingApproval);
    }
    if state.settings.accounts.require_email_verification && !user.email_verified {
        return Err(AppError::EmailUnverified);
    }
    Ok(())
}

/// Ends `session` on the server and clears its cookie; an answer still
/// streaming to it ends too.
pub async fn end_session(state: &AppState, session: &Session) -> Result<(), AppError> {
    let user_id: Option<i64> = session.get(USER_ID_KEY).await.map_err(session_error)?;
    session.flush().await.map_err(session_error)?;
    if let Some(user_id) = user_id {
        state.sign_outs.announce(user_id);
        audit::record(
            state,
            &audit::event(audit::kind::LOGOUT, Some(user_id), None),
        )
        .await?;
    }
    Ok(())
}

/// Who is calling: the owner of the API key in `Authorization: Bearer`, if
/// the request has that header (a wrong key is refused, never retried as a
/// cookie), else the signed-in user of `session`; [`AppError::Unauthorized`]
/// otherwise.
pub async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
) -> Result<(User, Credential), AppError> {
    if let Some(key) = api_keys::bearer(headers)? {
        let (user, key_id) = api_keys::owner(state, key).await?;
        return Ok((user, Credential::ApiKey(key_id)));
    }
    let user = current_user(state, session).await?;
    // Signed in means the cookie named a session.
    let id = session.id().ok_or(AppError::Unauthorized)?;
    Ok((user, Credential::Session(stored_id(&id))))
}

/// The signed-in, active user of `session`, or [`AppError::Unauthorized`].
///
/// This runs on every signed-in request, so it reads the stored session and
/// its user in one query, by the cookie's session id, without loading the
/// session's record. It therefore sees the session as stored: call it before
/// changing the session in the same request, never after. When the cookie
/// names no live session, the record is loaded after all, which tells the
/// session layer to clear the stale cookie.
pub async fn current_user(state: &AppState, session: &Session) -> Result<User, AppError> {
    let Some(id) = session.id() else {
        return Err(AppError::Unauthorized);
    };
    let stored = stored_id(&id);
    let now = state.clock.now();
    let found = state.db.user_by_session(&stored, now).await?;
    if let Some((_, expires_at)) = &found {
        // A session in use moves its stored end on, at most once a minute
        // (not a write per request): the sessions list reads "last used"
        // from it, and the record outlives a session that is still used.
        // The cookie's own Max-Age counts from the last time the session
        // record changed (tower-sessions sets it), as before.
        let ttl = state.settings.session_ttl_secs;
        if expires_at - ttl + TOUCH_EVERY_SECS <= now {
            if let Err(e) = state.db.session_touch(&stored, now + ttl).await {
                tracing::warn!(error = %e, "session not touched");
            }
        }
    }
    match found.map(|(user, _)| user) {
        Some(user) if user.is_active => Ok(user),
        Some(_) => Err(AppError::Unauthorized),
        None => {
            let _: Option<i64> = session.get(USER_ID_KEY).await.map_err(session_error)?;
            let half: Option<i64> = session.get(MFA_PENDING_KEY).await.map_err(session_error)?;
            Err(if half.is_some() {
                AppError::MfaRequired
            } else {
                AppError::Unauthorized
            })
        }
    }
}

/// How often a session in use has its expiry moved on.
const TOUCH_EVERY_SECS: i64 = 60;

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store failed");
    AppError::Unavailable
}
