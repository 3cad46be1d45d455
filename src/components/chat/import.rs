//! The sidebar's Import: a file of conversations (Palaver's JSON export, or
//! ChatGPT's `conversations.json`) posted to `POST
//! /api/conversations/import`, which stores all of it or nothing.

use leptos::{prelude::*, task::spawn_local};

use crate::{browser, tr};

const INPUT: &str = "import-file";

/// The server's answer to an import that worked.
#[derive(serde::Deserialize)]
struct Imported {
    imported: Vec<i64>,
}

/// A button that picks a file and imports it. `on_imported` gets the new
/// conversations' ids (oldest first, as the file had them); `on_failed`
/// the words to show. It needs JavaScript (`needs-js`): without it the page
/// cannot send a file as the call's JSON body.
#[component]
pub fn ImportButton(on_imported: Callback<Vec<i64>>, on_failed: Callback<String>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let on_change = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = import().await;
            busy.set(false);
            match result {
                Ok(Some(ids)) => on_imported.run(ids),
                Ok(None) => {} // no file picked after all
                Err(why) => on_failed.run(tr!(chat.import_failed, why = why)),
            }
        });
    };
    view! {
        <div class="sidebar-import needs-js">
            // The label is the button; the input itself is hidden but still
            // in the tab order through the label's `for`.
            <label for=INPUT class="btn btn-ghost" class:busy=move || busy.get()>{tr!(chat.import)}</label>
            <input id=INPUT type="file" accept=".json,application/json" class="visually-hidden"
                title=tr!(chat.import_label) on:change=on_change disabled=move || busy.get()/>
        </div>
    }
}

/// Reads the picked file and posts it; the ids imported (`None`: no file
/// was picked), or why not.
async fn import() -> Result<Option<Vec<i64>>, String> {
    let Some(text) = browser::picked_file_text(INPUT).await else {
        return Ok(None);
    };
    let mut body = Vec::new();
    let abort = browser::Abort::new();
    let sent = browser::post_streaming("/api/conversations/import", &text, &abort, |chunk| {
        body.extend_from_slice(chunk)
    })
    .await;
    match sent {
        Ok(()) => serde_json::from_slice::<Imported>(&body)
            .map(|i| Some(i.imported))
            .map_err(|_| tr!(chat.request_failed, status = 200)),
        Err(err) => Err(super::stream::failure_message(&err)),
    }
}
