//! `POST /theme`: the theme switch without JavaScript. It remembers the
//! choice in the `theme` cookie and sends the browser back to the page it
//! came from (a path of this site only).

use axum::{
    extract::{rejection::FormRejection, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Form,
};
use serde::Deserialize;

use super::state::AppState;
use crate::{components::theme::Theme, domain::safe_next, error::AppError};

/// The switch's form: `theme=system|light|dark`, and the page to go back to.
#[derive(Deserialize)]
pub struct ThemeForm {
    theme: String,
    #[serde(default)]
    next: Option<String>,
}

/// Sets the cookie and answers `303` back to `next`; `400 bad_request` for
/// a theme that does not exist.
pub async fn set_theme(
    State(state): State<AppState>,
    form: Result<Form<ThemeForm>, FormRejection>,
) -> Response {
    let theme = form
        .ok()
        .and_then(|Form(form)| Some((Theme::parse(&form.theme)?, form.next)));
    let Some((theme, next)) = theme else {
        return AppError::BadRequest("The theme must be system, light or dark".into())
            .into_response();
    };
    remember_and_go_back(
        theme.cookie(state.settings.is_production()),
        next.as_deref(),
    )
}

/// The answer of a switch's form (theme, language): sets `cookie` and goes
/// `303` back to `next`, a path of this site only.
pub fn remember_and_go_back(cookie: String, next: Option<&str>) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, safe_next(next)),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}
