//! The request to the model, started before the user's message is stored.

use super::super::{
    llm::{Asker, LlmError, PromptMessage, TokenStream},
    state::AppState,
};

/// The model's answer, asked for by a task of its own so that the request
/// is under way while the handler stores the user's message. Dropping it
/// cancels the request.
pub(super) struct Upstream(tokio::task::JoinHandle<Result<TokenStream, LlmError>>);

impl Upstream {
    /// Sends `prompt` to `model` for `asker` at once, in the background.
    pub(super) fn ask(
        state: &AppState,
        model: String,
        prompt: Vec<PromptMessage>,
        asker: Asker,
    ) -> Self {
        let state = state.clone();
        Self(tokio::spawn(async move {
            state.llm.stream(&model, &prompt, &asker).await
        }))
    }

    /// The answer's tokens, once the model has accepted the request.
    pub(super) async fn tokens(&mut self) -> Result<TokenStream, LlmError> {
        match (&mut self.0).await {
            Ok(tokens) => tokens,
            Err(e) => {
                tracing::error!(error = %e, "the model request task failed");
                Err(LlmError::Broken)
            }
        }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.0.abort();
    }
}
