//! Managing a conversation from the page: rename, delete and clear (each
//! with Undo), its system prompt saved, a file imported. A refusal
//! (the conversation was deleted elsewhere, the title is too long, the
//! service is down) is shown in the page's alert, never dropped.

use std::time::Duration;

use leptos::{prelude::*, server_fn::ServerFn, task::spawn_local};

use super::state::ChatState;
use crate::{
    api::chat::{
        clear_conversation, delete_conversation, rename_conversation, ClearConversation,
        DeleteConversation,
    },
    browser,
    components::chat::message::UiMessage,
    error::AppError,
};

impl ChatState {
    /// Renames conversation `id` to `title` (edited in place in the list).
    pub fn rename(self, id: i64, title: String) {
        self.alert.set(None);
        spawn_local(async move {
            match rename_conversation(id, title).await {
                Err(AppError::Unauthorized) => return self.signed_out(None),
                Err(err) => self.alert.set(Some(failure(Done::Renamed, &err))),
                Ok(_) => {}
            }
            self.refresh_list();
        });
    }

    /// A file was imported: the list shows its conversations, and the
    /// newest of them opens.
    pub fn imported(self, ids: Vec<i64>) {
        self.alert.set(None);
        self.announcement
            .set(crate::tr!(chat.imported, count = ids.len()));
        self.refresh_list();
        if let Some(last) = ids.last() {
            self.select(Some(*last));
        }
    }

    /// The open conversation's system prompt was saved.
    pub fn prompt_saved(self) {
        self.announcement.set(crate::tr!(chat.prompt_saved).into());
        self.refresh_list();
    }

    /// Deletes conversation `id` on screen at once (a new chat replaces it
    /// if it was open) and offers Undo for [`UNDO_FOR`]; then the server
    /// deletes it. Leaving the page ends the offer too (see
    /// [`Self::delete_on_leave`]).
    pub fn delete(self, id: i64, title: String) {
        if self.current.get_untracked() == Some(id) {
            self.select(None);
        }
        self.offer_undo(Pending {
            id,
            title,
            action: Action::Delete,
            kept: Vec::new(),
        });
    }

    /// Clears the open conversation: its messages leave the screen (and it
    /// leaves the list, which shows only conversations with messages) at
    /// once, with Undo on offer for [`UNDO_FOR`]; then the server deletes
    /// them. The conversation stays open, with its title and model, for the
    /// next message; sending one ends the offer first.
    pub fn clear(self) {
        let Some(id) = self.current.get_untracked() else {
            return;
        };
        if self.streaming.get_untracked() {
            return;
        }
        let title = self
            .title
            .get_untracked()
            .unwrap_or_else(|| crate::tr!(chat.this_conversation).to_owned());
        let kept = self.messages.get_untracked();
        self.messages.set(Vec::new());
        self.offer_undo(Pending {
            id,
            title,
            action: Action::Clear,
            kept,
        });
    }

    fn offer_undo(self, pending: Pending) {
        self.end_offer();
        self.alert.set(None);
        let (id, action) = (pending.id, pending.action);
        self.pending.set(Some(pending));
        set_timeout(
            move || {
                let same = self
                    .pending
                    .try_with_untracked(|p| p.as_ref().map(|p| (p.id, p.action)))
                    .flatten();
                if same == Some((id, action)) {
                    self.end_offer();
                }
            },
            UNDO_FOR,
        );
    }

    /// Takes back the delete or clear on offer: a deleted conversation
    /// opens again, a cleared one gets its messages back.
    pub fn undo(self) {
        let Some(pending) = self.pending.get_untracked() else {
            return;
        };
        self.pending.set(None);
        match pending.action {
            Action::Delete => self.select(Some(pending.id)),
            Action::Clear if self.current.get_untracked() == Some(pending.id) => {
                self.messages.set(pending.kept);
            }
            Action::Clear => self.select(Some(pending.id)),
        }
    }

    /// Ends the Undo offer: the server is told now.
    pub fn end_offer(self) {
        let Some(pending) = self.pending.try_get_untracked().flatten() else {
            return;
        };
        self.pending.set(None);
        self.send_pending(pending.id, pending.action);
    }

    /// A clear on offer for conversation `id`, taken off the screen so
    /// that the caller can send it before what comes next (a message).
    pub(super) fn take_clear_of(self, id: Option<i64>) -> Option<i64> {
        let pending = self.pending.get_untracked()?;
        if pending.action != Action::Clear || Some(pending.id) != id {
            return None;
        }
        self.pending.set(None);
        Some(pending.id)
    }

    /// The page is going away with an Undo on offer: the request is
    /// handed to the browser (`sendBeacon`), which sends it after the page.
    pub fn end_offer_on_leave(self) {
        if let Some(pending) = self.pending.try_get_untracked().flatten() {
            let url = match pending.action {
                Action::Delete => DeleteConversation::url(),
                Action::Clear => ClearConversation::url(),
            };
            if browser::send_on_leave(url, &[("id", &pending.id.to_string())]) {
                self.pending.set(None);
            }
        }
    }

    fn send_pending(self, id: i64, action: Action) {
        spawn_local(async move {
            let result = match action {
                Action::Delete => delete_conversation(id).await,
                Action::Clear => clear_conversation(id).await,
            };
            if let Err(AppError::Unauthorized) = result {
                return self.signed_out(None);
            }
            // Not found: it is gone all the same, so it leaves the screen too.
            let gone = matches!(result, Ok(_) | Err(AppError::NotFound));
            if gone && action == Action::Delete && self.current.get_untracked() == Some(id) {
                self.select(None);
            }
            if let Err(err) = result {
                let done = match action {
                    Action::Delete => Done::Deleted,
                    Action::Clear => Done::Cleared,
                };
                self.alert.set(Some(failure(done, &err)));
            }
            self.refresh_list();
        });
    }
}

/// What an Undo offer would take back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The conversation goes.
    Delete,
    /// Its messages go; it stays.
    Clear,
}

/// A delete or clear shown on screen but not yet sent, while its Undo is
/// offered.
#[derive(Clone)]
pub struct Pending {
    /// The conversation.
    pub id: i64,
    /// Its title, for the notice.
    pub title: String,
    /// What happens to it.
    pub action: Action,
    /// The messages a clear took off the screen, to put back on Undo.
    kept: Vec<UiMessage>,
}

impl Pending {
    /// The notice's sentence.
    pub fn notice(&self) -> String {
        match self.action {
            Action::Delete => crate::tr!(chat.deleted_notice, title = &self.title),
            Action::Clear => crate::tr!(chat.cleared_notice, title = &self.title),
        }
    }
}

/// How long a deleted or cleared conversation can be brought back.
pub const UNDO_FOR: Duration = Duration::from_secs(6);

/// What was asked of a conversation, for the alert when it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Done {
    Renamed,
    Deleted,
    Cleared,
}

/// The alert for an action on a conversation that the server refused.
fn failure(done: Done, err: &AppError) -> String {
    use crate::tr;
    if *err == AppError::NotFound {
        return match done {
            Done::Renamed => tr!(chat.failed.renamed_gone),
            Done::Deleted => tr!(chat.failed.deleted_gone),
            Done::Cleared => tr!(chat.failed.cleared_gone),
        }
        .to_owned();
    }
    // The server's own sentence, e.g. "A title must be 1 to 120 characters".
    let mut why = err.to_string();
    if !why.ends_with(['.', '!', '?', '。', '！', '？']) {
        why.push_str(tr!(common.full_stop));
    }
    match done {
        Done::Renamed => tr!(chat.failed.renamed, why = why),
        Done::Deleted => tr!(chat.failed.deleted, why = why),
        Done::Cleared => tr!(chat.failed.cleared, why = why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_say_what_failed_and_why() {
        assert_eq!(
            failure(Done::Renamed, &AppError::NotFound),
            "This conversation could not be renamed: it no longer exists."
        );
        assert_eq!(
            failure(
                Done::Renamed,
                &AppError::BadRequest("A title must be 1 to 120 characters".into())
            ),
            "This conversation could not be renamed. A title must be 1 to 120 characters."
        );
        assert_eq!(
            failure(Done::Cleared, &AppError::Unavailable),
            "This conversation could not be cleared. The service is temporarily unavailable."
        );
    }
}
