//! The outbox worker: sends queued mails off the request path, retries with
//! exponential backoff while the transport fails, and survives restarts
//! (the queue is in the database; a mail leased by a worker that died is
//! picked up again when its lease runs out).

use std::time::Duration;

use super::{
    jobs::{self, MailJob},
    MailError,
};
use crate::server::{
    db::{DbError, MailOutcome, QueuedMail},
    reset,
    state::AppState,
};

/// How long a leased mail stays invisible to other workers.
const LEASE_SECS: i64 = 120;
/// Mails leased per round.
const BATCH: i64 = 10;
/// How often the queue is looked at when nobody rings.
const POLL: Duration = Duration::from_secs(2);
/// After this many failed attempts (about six hours of backoff) a mail is
/// marked dead and an error is logged.
pub const MAX_ATTEMPTS: i64 = 30;

/// Seconds to wait after the `attempts`-th failure: 2, 4, 8... up to 15 minutes.
pub fn backoff_secs(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 20) - 1;
    (2_i64 << exp).min(900)
}

/// Runs forever: drains due mails, then sleeps until woken or [`POLL`].
pub async fn run(state: AppState) {
    loop {
        if let Err(e) = drain(&state).await {
            tracing::warn!(error = %e, "mail queue unavailable; will retry");
        }
        tokio::select! {
            () = state.outbox.woken() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Sends every mail that is due now.
pub async fn drain(state: &AppState) -> Result<(), DbError> {
    loop {
        let batch = state
            .db
            .mail_claim(state.clock.now(), LEASE_SECS, BATCH)
            .await?;
        if batch.is_empty() {
            return Ok(());
        }
        for mail in batch {
            let outcome = process(state, &mail).await;
            match &outcome {
                MailOutcome::Sent => tracing::info!(mail_id = mail.id, "mail sent"),
                MailOutcome::Dropped => {
                    tracing::debug!(mail_id = mail.id, "mail dropped: nothing to send")
                }
                MailOutcome::Retry { error, .. } => {
                    tracing::warn!(
                        mail_id = mail.id,
                        attempts = mail.attempts,
                        error,
                        "mail failed; will retry"
                    )
                }
                MailOutcome::Dead { error } => {
                    tracing::error!(mail_id = mail.id, error, "mail given up")
                }
            }
            state
                .db
                .mail_finish(mail.id, &outcome, state.clock.now())
                .await?;
        }
    }
}

async fn process(state: &AppState, mail: &QueuedMail) -> MailOutcome {
    let job: MailJob = match serde_json::from_str(&mail.job) {
        Ok(job) => job,
        Err(e) => {
            return MailOutcome::Dead {
                error: format!("unreadable job: {e}"),
            }
        }
    };
    match send(state, job).await {
        Ok(true) => MailOutcome::Sent,
        Ok(false) => MailOutcome::Dropped,
        Err(Failure::Permanent(error)) => MailOutcome::Dead { error },
        Err(Failure::Transient(error)) if mail.attempts >= MAX_ATTEMPTS => {
            MailOutcome::Dead { error }
        }
        Err(Failure::Transient(error)) => MailOutcome::Retry {
            at: state.clock.now() + backoff_secs(mail.attempts),
            error,
        },
    }
}

/// Why a send failed, by whether waiting can help.
enum Failure {
    /// The database or the transport is down for now: retried with backoff.
    Transient(String),
    /// The mail itself is wrong (or refused for good): given up at once,
    /// rather than retried for six hours.
    Permanent(String),
}

impl From<MailError> for Failure {
    fn from(err: MailError) -> Self {
        if err.is_permanent() {
            Self::Permanent(err.to_string())
        } else {
            Self::Transient(err.to_string())
        }
    }
}

/// The language stored with an account (English for one it does not know).
fn lang_of(stored: &str) -> crate::lang::Locale {
    crate::lang::parse_tag(stored).unwrap_or_default()
}

/// Renders and sends one job; `Ok(false)` when there is nobody to send to.
async fn send(state: &AppState, job: MailJob) -> Result<bool, Failure> {
    let settings = &state.settings;
    let base = &settings.public_base_url;
    let db_err = |e: DbError| Failure::Transient(e.to_string());
    let (to, rendered) = match job {
        MailJob::Welcome { user_id } => match state.db.user_by_id(user_id).await.map_err(db_err)? {
            Some(user) => {
                let lang = lang_of(&user.lang);
                (user.email, jobs::welcome(base, lang))
            }
            None => return Ok(false),
        },
        MailJob::VerifyEmail { user_id } => {
            match state.db.user_by_id(user_id).await.map_err(db_err)? {
                Some(user) if user.is_active && !user.email_verified => {
                    let link = crate::server::verify::issue_link(state, user.id)
                        .await
                        .map_err(db_err)?;
                    (user.email, jobs::verify_email(&link, lang_of(&user.lang)))
                }
                _ => return Ok(false),
            }
        }
        MailJob::PasswordChanged { user_id } => {
            match state.db.user_by_id(user_id).await.map_err(db_err)? {
                Some(user) => {
                    let lang = lang_of(&user.lang);
                    (user.email, jobs::password_changed(base, lang))
                }
                None => return Ok(false),
            }
        }
        MailJob::PasswordReset { email } => {
            match state.db.user_by_email(&email).await.map_err(db_err)? {
                Some((user, _)) if user.is_active => {
                    // The token is made now, so only its hash is ever stored; a
                    // retry makes a new one, which retires the old.
                    let link = reset::issue_link(state, user.id).await.map_err(db_err)?;
                    let lang = lang_of(&user.lang);
                    (
                        user.email,
                        jobs::password_reset(&link, settings.reset_token_ttl_secs, lang),
                    )
                }
                _ => return Ok(false),
            }
        }
    };
    state.mailer.send(&to, &rendered).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[test]
    fn backoff_doubles_up_to_a_cap() {
        assert_eq!(backoff_secs(1), 2);
        assert_eq!(backoff_secs(2), 4);
        assert_eq!(backoff_secs(5), 32);
        assert_eq!(backoff_secs(10), 900);
        assert_eq!(backoff_secs(30), 900);
    }
}
