//! Who is signed in, as the pages see it: one `me` resource for the whole
//! app. Sign-in and sign-out load a new page, so it never goes stale.

use leptos::prelude::*;

use crate::{
    api::auth::{me, MeResponse},
    error::AppError,
};

/// The signed-in user (or why there is none), shared through context.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The answer of `me()`.
    pub user: Resource<Result<MeResponse, AppError>>,
}

/// Creates the context; call once, in `<App/>`.
pub fn provide_auth() {
    provide_context(Auth {
        user: Resource::new(|| (), |_| me()),
    });
}

/// The context created by [`provide_auth`].
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
