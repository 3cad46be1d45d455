//! Who is signed in, as the pages see it: one `me` resource for the whole
//! app, fetched again whenever sign-in state changes.

use leptos::prelude::*;

use crate::{
    api::auth::{me, MeResponse},
    error::AppError,
};

/// The signed-in user (or why there is none), shared through context.
#[derive(Clone, Copy)]
pub struct Auth {
    /// `me()`, re-run when `version` changes.
    pub user: Resource<Result<MeResponse, AppError>>,
    version: RwSignal<u32>,
}

impl Auth {
    /// Fetches the user again, after login, registration or logout.
    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }
}

/// Creates the context; call once, in `<App/>`.
pub fn provide_auth() {
    let version = RwSignal::new(0);
    let user = Resource::new(move || version.get(), |_| me());
    provide_context(Auth { user, version });
}

/// The context created by [`provide_auth`].
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
