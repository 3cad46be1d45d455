//! Ends the streams of answers whose reader's session has ended.
//!
//! An answer streams for as long as the model writes, which can outlast the
//! session it is read with: the user signs out, resets the password from
//! a mail (which ends every session), or is signed out by an admin. The
//! stream must not go on serving someone whose session is gone. The answer
//! itself belongs to the account and runs on (chat v2: only Stop, the total
//! timeout or the model's end stop it): it is stored, and shown once they
//! sign in again; what ends is every stream read with that session.
//!
//! Two ways tell a stream that its session may have ended:
//! - on this instance, whatever ends sessions [`SignOuts::announce`]s the
//!   user at once, and each of that user's streams looks its own session up;
//! - sessions ended by another instance on the same database are seen at
//!   the next look-up, which every stream makes every [`RECHECK`] anyway.
//!
//! Either way the stream asks the database whether *its* session is still
//! there, so signing out one browser does not cut off the answer that
//! another browser of the same user is reading. An answer asked with an API
//! key watches that key the same way: revoking it ends the answer.

use std::time::Duration;

use tokio::sync::broadcast;

use super::{clock::Clock, db::Repo};

/// How often an open answer looks its session up when nothing was
/// announced: the longest a sign-out on another instance goes unseen. One
/// indexed read per open answer every few seconds.
pub const RECHECK: Duration = Duration::from_secs(5);

/// Announcements missed by a stream that fell behind are not lost: it looks
/// its session up instead (see [`SessionWatch::ended`]).
const BUFFERED: usize = 256;

/// Sessions ended on this instance, by user.
#[derive(Clone)]
pub struct SignOuts {
    sender: broadcast::Sender<i64>,
}

impl Default for SignOuts {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(BUFFERED).0,
        }
    }
}

impl SignOuts {
    /// Some or all sessions of `user_id` have just ended.
    pub fn announce(&self, user_id: i64) {
        // No receiver means no open answer: nothing to tell.
        let _ = self.sender.send(user_id);
    }

    /// Watches `credential` of `user_id`.
    pub fn watch(&self, user_id: i64, credential: Credential) -> SessionWatch {
        SessionWatch {
            user_id,
            credential,
            announced: self.sender.subscribe(),
        }
    }
}

/// What a request was signed in with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A browser session, by its stored id.
    Session(String),
    /// An API key, by its id.
    ApiKey(i64),
}

/// One open answer's session.
pub struct SessionWatch {
    user_id: i64,
    credential: Credential,
    announced: broadcast::Receiver<i64>,
}

impl SessionWatch {
    /// Returns once the session is gone (deleted, or expired); pending for
    /// as long as it lives. A failed look-up counts as alive: a database
    /// hiccup must not cut answers off.
    pub async fn ended(&mut self, db: &dyn Repo, clock: &Clock) {
        let mut every = tokio::time::interval(RECHECK);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        every.tick().await; // the first tick is now; the session was just checked
        loop {
            tokio::select! {
                _ = every.tick() => {}
                heard = self.announced.recv() => match heard {
                    Ok(user_id) if user_id != self.user_id => continue,
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    // The sender lives as long as the app.
                    Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
                },
            }
            let alive = match &self.credential {
                Credential::Session(id) => {
                    db.session_load(id, clock.now()).await.map(|s| s.is_some())
                }
                Credential::ApiKey(id) => db.api_key_exists(*id).await,
            };
            match alive {
                Ok(false) => return,
                Ok(true) => {}
                Err(e) => tracing::warn!(error = %e, "could not look up the session of an answer"),
            }
        }
    }
}
