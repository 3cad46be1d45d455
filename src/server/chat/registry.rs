//! The answers running on this instance: each one's text so far and the
//! readers attached to it.
//!
//! A reader attaches by taking, under one lock, the text so far and a
//! subscription to what comes next, so nothing falls between the two. The
//! pieces that follow go out on a broadcast channel; a reader that falls
//! behind (a slow client) misses some, and catches up from the text, which
//! is why every piece says where in the text it starts.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::{broadcast, watch};

use crate::domain::chat::{Exchange, Usage};

/// Pieces buffered per reader before it must catch up from the text. The
/// channel keeps its slots (and the last pieces in them) for as long as the
/// answer runs, so they cost memory on every answer: a slot is about 90
/// bytes, so 64 were 5.6 KiB an answer (56 MiB at 10,000) before the
/// pieces they keep. A reader that lags is caught up from the text
/// in one line, so a small buffer loses nothing.
const BUFFERED: usize = 16;

/// How an answer ended, as its readers are told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Whole and stored, with the token counts where the model gave them.
    Done(Option<Usage>),
    /// Stopped (`POST /api/chat/stop`); what it had is stored.
    Stopped,
    /// Failed or cut off: the message for people and its stable code.
    Failed {
        /// For people.
        error: String,
        /// Stable.
        code: String,
    },
}

/// What a running answer tells its readers.
#[derive(Clone, Debug)]
pub enum Event {
    /// `text` was appended at byte `start` of the answer.
    Text {
        /// Where it starts in the answer, in bytes.
        start: usize,
        /// The piece.
        text: Arc<str>,
    },
    /// The answer ended (the text is final).
    End(Ending),
}

struct Progress {
    text: String,
    /// How much of `text` the database has.
    flushed: usize,
    ended: Option<Ending>,
}

/// One answer running on this instance.
pub struct Running {
    /// Where it is stored.
    pub exchange: Exchange,
    /// Whose it is.
    pub user_id: i64,
    progress: Mutex<Progress>,
    events: broadcast::Sender<Event>,
    stop: watch::Sender<bool>,
}

/// What a reader gets when it attaches.
pub struct Attached {
    /// The text so far.
    pub text: String,
    /// Set when the answer has already ended.
    pub ended: Option<Ending>,
    /// What follows.
    pub events: broadcast::Receiver<Event>,
}

impl Running {
    /// Appends a piece and tells the readers.
    pub fn push(&self, piece: &str) {
        let mut progress = self.progress.lock().expect("answer lock");
        let start = progress.text.len();
        progress.text.push_str(piece);
        // No reader is fine: the text keeps it for those who come later.
        let _ = self.events.send(Event::Text {
            start,
            text: piece.into(),
        });
    }

    /// The text so far.
    pub fn text(&self) -> String {
        self.progress.lock().expect("answer lock").text.clone()
    }

    /// The text from byte `offset` on (empty when there is nothing new).
    pub fn text_from(&self, offset: usize) -> String {
        let progress = self.progress.lock().expect("answer lock");
        progress.text.get(offset..).unwrap_or_default().to_owned()
    }

    /// Marks the answer ended and tells the readers.
    pub fn end(&self, ending: Ending) {
        let mut progress = self.progress.lock().expect("answer lock");
        progress.ended = Some(ending.clone());
        let _ = self.events.send(Event::End(ending));
    }

    /// Attaches a reader.
    pub fn attach(&self) -> Attached {
        let progress = self.progress.lock().expect("answer lock");
        Attached {
            text: progress.text.clone(),
            ended: progress.ended.clone(),
            events: self.events.subscribe(),
        }
    }

    /// The text to write to the database, if it grew since the last time.
    pub fn unflushed(&self) -> Option<String> {
        let mut progress = self.progress.lock().expect("answer lock");
        (progress.text.len() > progress.flushed).then(|| {
            progress.flushed = progress.text.len();
            progress.text.clone()
        })
    }

    /// Asks the answer to stop.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Returns once the answer was asked to stop.
    pub async fn stopped(&self) {
        let mut asked = self.stop.subscribe();
        // The sender lives in `self`, so waiting cannot fail.
        let _ = asked.wait_for(|stop| *stop).await;
    }
}

/// The answers running on this instance, by reply id.
#[derive(Clone, Default)]
pub struct Registry {
    running: Arc<Mutex<HashMap<i64, Arc<Running>>>>,
}

impl Registry {
    /// Registers a new answer.
    pub fn start(&self, exchange: Exchange, user_id: i64) -> Arc<Running> {
        let running = Arc::new(Running {
            exchange,
            user_id,
            progress: Mutex::new(Progress {
                text: String::new(),
                flushed: 0,
                ended: None,
            }),
            events: broadcast::channel(BUFFERED).0,
            stop: watch::channel(false).0,
        });
        self.lock().insert(exchange.reply_id, running.clone());
        running
    }

    /// The answer `reply_id`, if it runs here.
    pub fn get(&self, reply_id: i64) -> Option<Arc<Running>> {
        self.lock().get(&reply_id).cloned()
    }

    /// Forgets an answer that ended (and is stored).
    pub fn finish(&self, reply_id: i64) {
        self.lock().remove(&reply_id);
    }

    /// Every answer running here.
    pub fn all(&self) -> Vec<Arc<Running>> {
        self.lock().values().cloned().collect()
    }

    /// How many answers run here.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no answer runs here.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<Running>>> {
        self.running.lock().expect("registry lock")
    }
}
