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
//!   user at once, and that user's watched sessions are looked up;
//! - sessions ended by another instance on the same database are seen at
//!   the next look-up, which is made every [`RECHECK`] anyway.
//!
//! Either way what is asked is whether each stream's *own* session is still
//! there, so signing out one browser does not cut off the answer that
//! another browser of the same user is reading. An answer asked with an API
//! key watches that key the same way: revoking it ends the answer.
//!
//! The look-ups are made by one task per instance for every watched
//! session at once (a query per 512), not by each stream: with 10,000
//! streams open, one look-up each every 5 s was 2,000 reads a second, which
//! starved the pool of 10 connections until new requests got `503`
//! (`chat_load --reattach 10`, 2026-12-04). Streams read with the same
//! session share one entry, and the task runs only while something is
//! watched.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, Weak},
    time::Duration,
};

use tokio::sync::{watch, Notify};

use super::{clock::Clock, db::Repo};

/// How often the watched sessions are looked up when nothing was
/// announced: the longest a sign-out on another instance goes unseen. One
/// indexed query per instance (per 512 sessions) every few seconds.
pub const RECHECK: Duration = Duration::from_secs(5);

/// Tells open answers that their session ended; one per instance.
#[derive(Clone)]
pub struct SignOuts {
    shared: Arc<Shared>,
}

struct Shared {
    db: Arc<dyn Repo>,
    clock: Clock,
    watched: Mutex<Watched>,
    /// Wakes the checker when a user was announced.
    announced: Notify,
}

#[derive(Default)]
struct Watched {
    /// Every credential some stream reads with. Weak: the entry goes when
    /// its last stream does, and the checker sweeps what is left.
    entries: HashMap<Credential, Weak<Entry>>,
    /// Users announced since the checker last looked.
    users: HashSet<i64>,
    /// Whether the checker task runs.
    checking: bool,
}

/// One watched credential, shared by the streams that read with it.
struct Entry {
    user_id: i64,
    credential: Credential,
    gone: watch::Sender<bool>,
}

impl SignOuts {
    /// Watches sessions in `db`, expired by `clock`'s time.
    pub fn new(db: Arc<dyn Repo>, clock: Clock) -> Self {
        Self {
            shared: Arc::new(Shared {
                db,
                clock,
                watched: Mutex::new(Watched::default()),
                announced: Notify::new(),
            }),
        }
    }

    /// Some or all sessions of `user_id` have just ended.
    pub fn announce(&self, user_id: i64) {
        let mut watched = self.shared.lock();
        // Nobody watching means no open answer: nothing to tell.
        if watched.checking {
            watched.users.insert(user_id);
            self.shared.announced.notify_one();
        }
    }

    /// Watches `credential` of `user_id`, from now on: a sign-out announced
    /// before the stream begins still ends it.
    pub fn watch(&self, user_id: i64, credential: Credential) -> SessionWatch {
        let mut watched = self.shared.lock();
        let live = watched
            .entries
            .get(&credential)
            .and_then(Weak::upgrade)
            .filter(|entry| !*entry.gone.borrow());
        let entry = live.unwrap_or_else(|| {
            let entry = Arc::new(Entry {
                user_id,
                credential: credential.clone(),
                gone: watch::channel(false).0,
            });
            watched.entries.insert(credential, Arc::downgrade(&entry));
            entry
        });
        if !watched.checking {
            watched.checking = true;
            tokio::spawn(check(self.shared.clone()));
        }
        SessionWatch {
            gone: entry.gone.subscribe(),
            _entry: entry,
        }
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Watched> {
        self.watched.lock().expect("sign-outs lock")
    }
}

/// The checker: every [`RECHECK`], and at once for announced users, looks
/// the watched credentials up and tells the streams of those that are gone.
/// Ends when nothing is watched any more (the next watch starts it again).
async fn check(shared: Arc<Shared>) {
    let mut every = tokio::time::interval(RECHECK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    every.tick().await; // the first tick is now; the session was just checked
    loop {
        let all = tokio::select! {
            _ = every.tick() => true,
            () = shared.announced.notified() => false,
        };
        let entries = {
            let mut watched = shared.lock();
            watched.entries.retain(|_, entry| entry.strong_count() > 0);
            if watched.entries.is_empty() {
                watched.checking = false;
                watched.users.clear();
                return;
            }
            let users = std::mem::take(&mut watched.users);
            watched
                .entries
                .values()
                .filter_map(Weak::upgrade)
                .filter(|entry| all || users.contains(&entry.user_id))
                .collect::<Vec<_>>()
        };
        if let Some(gone) = look_up(&shared, &entries).await {
            let mut watched = shared.lock();
            for entry in gone {
                entry.gone.send_replace(true);
                watched.entries.remove(&entry.credential);
            }
        }
    }
}

/// The entries whose credential is gone; `None` when the look-up failed,
/// which counts as alive: a database hiccup must not cut answers off.
async fn look_up(shared: &Shared, entries: &[Arc<Entry>]) -> Option<Vec<Arc<Entry>>> {
    let mut sessions = Vec::new();
    let mut keys = Vec::new();
    for entry in entries {
        match &entry.credential {
            Credential::Session(id) => sessions.push(id.clone()),
            Credential::ApiKey(id) => keys.push(*id),
        }
    }
    let live: HashSet<String> = if sessions.is_empty() {
        HashSet::new()
    } else {
        let now = shared.clock.now();
        match shared.db.sessions_live(&sessions, now).await {
            Ok(live) => live.into_iter().collect(),
            Err(e) => {
                tracing::warn!(error = %e, "could not look up the sessions of open answers");
                return None;
            }
        }
    };
    let existing: HashSet<i64> = if keys.is_empty() {
        HashSet::new()
    } else {
        match shared.db.api_keys_existing(&keys).await {
            Ok(existing) => existing.into_iter().collect(),
            Err(e) => {
                tracing::warn!(error = %e, "could not look up the API keys of open answers");
                return None;
            }
        }
    };
    let gone = entries.iter().filter(|entry| match &entry.credential {
        Credential::Session(id) => !live.contains(id),
        Credential::ApiKey(id) => !existing.contains(id),
    });
    Some(gone.cloned().collect())
}

/// What a request was signed in with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Credential {
    /// A browser session, by its stored id.
    Session(String),
    /// An API key, by its id.
    ApiKey(i64),
}

/// One open answer's session.
pub struct SessionWatch {
    gone: watch::Receiver<bool>,
    /// Keeps the entry watched for as long as this stream lives.
    _entry: Arc<Entry>,
}

impl SessionWatch {
    /// Returns once the session is gone (deleted, or expired); pending for
    /// as long as it lives.
    pub async fn ended(&mut self) {
        // The sender lives in the entry this watch holds, so waiting
        // cannot fail.
        let _ = self.gone.wait_for(|gone| *gone).await;
    }
}
