//! Accounts and sign-in: the logic behind the `/auth/*` server functions,
//! testable without HTTP. Server functions parse, call one of these, and map
//! the error.

use leptos_i18n::Locale as _; // as_str
use std::net::IpAddr;

use http::HeaderMap;
use tower_sessions::Session;

use super::{
    api_keys,
    db::NewUser,
    mail::jobs::MailJob,
    metrics::{self, LoginResult},
    rate_limit::limit_subject,
    session_store::{stored_id, USER_ID_KEY},
    sign_outs::Credential,
    state::AppState,
};
use crate::{
    domain::User,
    domain::{DisplayName, Email, Password, Phone},
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
    let welcome = |user_id| MailJob::Welcome { user_id }.to_json();
    let new = NewUser {
        uid: &uid,
        email: email.as_str(),
        phone: phone.as_ref().map(Phone::as_str),
        display_name: display_name.as_str(),
        password_hash: &password_hash,
        // The language the page was in: mails go in it.
        lang: crate::lang::current().as_str(),
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

/// Marks `session` as signed in as `user`, under a new session id so that an
/// id planted before login (fixation) is worthless.
pub async fn start_session(session: &Session, user: &User) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_ID_KEY, user.id)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// Ends `session` on the server and clears its cookie; an answer still
/// streaming to it ends too.
pub async fn end_session(state: &AppState, session: &Session) -> Result<(), AppError> {
    let user_id: Option<i64> = session.get(USER_ID_KEY).await.map_err(session_error)?;
    session.flush().await.map_err(session_error)?;
    if let Some(user_id) = user_id {
        state.sign_outs.announce(user_id);
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
    let found = state
        .db
        .user_by_session(&stored_id(&id), state.clock.now())
        .await?;
    match found {
        Some(user) if user.is_active => Ok(user),
        Some(_) => Err(AppError::Unauthorized),
        None => {
            let _: Option<i64> = session.get(USER_ID_KEY).await.map_err(session_error)?;
            Err(AppError::Unauthorized)
        }
    }
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store failed");
    AppError::Unavailable
}
