//! Managing a conversation from the page: rename, delete, clear. A refusal
//! (the conversation was deleted elsewhere, the title is too long, the
//! service is down) is shown in the page's alert, never dropped.

use std::time::Duration;

use leptos::{prelude::*, server_fn::ServerFn, task::spawn_local};

use super::state::ChatState;
use crate::{
    api::chat::{clear_conversation, delete_conversation, rename_conversation, DeleteConversation},
    browser,
    error::AppError,
};

impl ChatState {
    /// Renames conversation `id` to `title` (edited in place in the list).
    pub fn rename(self, id: i64, title: String) {
        self.alert.set(None);
        spawn_local(async move {
            match rename_conversation(id, title).await {
                Err(AppError::Unauthorized) => return self.signed_out(None),
                Err(err) => self.alert.set(Some(failure("renamed", &err))),
                Ok(_) => {}
            }
            self.refresh_list();
        });
    }

    /// Deletes conversation `id` on screen at once (a new chat replaces it
    /// if it was open) and offers Undo for [`UNDO_FOR`]; then the server
    /// deletes it. Leaving the page ends the offer too (see
    /// [`Self::delete_now`]).
    pub fn delete(self, id: i64, title: String) {
        self.delete_now();
        self.alert.set(None);
        self.deleting.set(Some((id, title)));
        if self.current.get_untracked() == Some(id) {
            self.select(None);
        }
        set_timeout(
            move || {
                if self.deleting.try_get_untracked().flatten().map(|d| d.0) == Some(id) {
                    self.delete_now();
                }
            },
            UNDO_FOR,
        );
    }

    /// Takes back the delete on offer, and opens the conversation again.
    pub fn undo_delete(self) {
        if let Some((id, _)) = self.deleting.get_untracked() {
            self.deleting.set(None);
            self.select(Some(id));
        }
    }

    /// Ends the Undo offer: the server deletes the conversation now.
    pub fn delete_now(self) {
        let Some((id, _)) = self.deleting.try_get_untracked().flatten() else {
            return;
        };
        self.deleting.set(None);
        self.send_delete(id);
    }

    /// The page is going away with a delete on offer: the request is
    /// handed to the browser (`sendBeacon`), which sends it after the page.
    pub fn delete_on_leave(self) {
        if let Some((id, _)) = self.deleting.try_get_untracked().flatten() {
            if browser::send_on_leave(&delete_conversation_url(), &[("id", &id.to_string())]) {
                self.deleting.set(None);
            }
        }
    }

    fn send_delete(self, id: i64) {
        spawn_local(async move {
            let result = delete_conversation(id).await;
            if let Err(AppError::Unauthorized) = result {
                return self.signed_out(None);
            }
            // Not found: it is gone all the same, so it leaves the screen too.
            let gone = matches!(result, Ok(_) | Err(AppError::NotFound));
            if gone && self.current.get_untracked() == Some(id) {
                self.select(None);
            }
            if let Err(err) = result {
                self.alert.set(Some(failure("deleted", &err)));
            }
            self.refresh_list();
        });
    }

    /// Clears the open conversation's messages once the person confirms.
    pub fn clear(self) {
        let Some(id) = self.current.get_untracked() else {
            return;
        };
        if !browser::confirm("Clear all messages of this conversation?") {
            return;
        }
        self.alert.set(None);
        spawn_local(async move {
            match clear_conversation(id).await {
                // Unless the person has opened another one meanwhile.
                Ok(_) if self.current.get_untracked() == Some(id) => self.messages.set(Vec::new()),
                Ok(_) => {}
                Err(AppError::Unauthorized) => self.signed_out(None),
                Err(err) => {
                    self.alert.set(Some(failure("cleared", &err)));
                    self.refresh_list();
                }
            }
        });
    }
}

/// How long a deleted conversation can be brought back.
pub const UNDO_FOR: Duration = Duration::from_secs(6);

fn delete_conversation_url() -> String {
    DeleteConversation::url().to_owned()
}

/// The alert for an action on a conversation that the server refused.
fn failure(action: &str, err: &AppError) -> String {
    match err {
        AppError::NotFound => {
            format!("This conversation could not be {action}: it no longer exists.")
        }
        // The server's own sentence, e.g. "A title must be 1 to 120 characters".
        other => {
            let why = other.to_string();
            let stop = if why.ends_with(['.', '!', '?']) {
                ""
            } else {
                "."
            };
            format!("This conversation could not be {action}. {why}{stop}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_say_what_failed_and_why() {
        assert_eq!(
            failure("renamed", &AppError::NotFound),
            "This conversation could not be renamed: it no longer exists."
        );
        assert_eq!(
            failure(
                "renamed",
                &AppError::BadRequest("A title must be 1 to 120 characters".into())
            ),
            "This conversation could not be renamed. A title must be 1 to 120 characters."
        );
        assert_eq!(
            failure("cleared", &AppError::Unavailable),
            "This conversation could not be cleared. The service is temporarily unavailable."
        );
    }
}
