//! Managing a conversation from the page: rename, delete, clear. A refusal
//! (the conversation was deleted elsewhere, the title is too long, the
//! service is down) is shown in the page's alert, never dropped.

use leptos::{prelude::*, task::spawn_local};

use super::state::ChatState;
use crate::{
    api::chat::{clear_conversation, delete_conversation, rename_conversation},
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

    /// Deletes conversation `id` once the person confirms; a new chat
    /// replaces it on screen if it was open.
    pub fn delete(self, id: i64) {
        if !browser::confirm("Delete this conversation? This cannot be undone.") {
            return;
        }
        self.alert.set(None);
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
