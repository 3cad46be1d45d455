//! Rows as the queries return them, and their domain types. `FromRow` is
//! derived generically, so one row type serves both backends.

use super::{Conversation, Message, MessageStatus, Role as MessageRole, Usage, User};
use crate::domain::Role;

/// The columns [`UserRow`] reads; a macro, so that every query that uses
/// them is one `concat!`ed literal instead of a string built per call.
macro_rules! user_columns {
    () => {
        "users.id, users.uid, users.email, users.phone, users.display_name, users.is_active, users.lang, \
         users.role, users.email_verified_at IS NOT NULL AS email_verified, \
         EXISTS (SELECT 1 FROM mfa_credentials m \
                 WHERE m.user_id = users.id AND m.enabled_at IS NOT NULL) AS mfa"
    };
}
pub(super) use user_columns;

/// See [`user_columns!`].
#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: i64,
    uid: String,
    email: String,
    phone: Option<String>,
    display_name: String,
    is_active: bool,
    lang: String,
    role: String,
    email_verified: bool,
    mfa: bool,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        Self {
            id: r.id,
            uid: r.uid,
            email: r.email,
            phone: r.phone,
            display_name: r.display_name,
            is_active: r.is_active,
            lang: r.lang,
            // The column's CHECK allows nothing else.
            role: Role::parse(&r.role).unwrap_or(Role::Pending),
            mfa: r.mfa,
            email_verified: r.email_verified,
        }
    }
}

/// A user and their password hash, if they have one.
#[derive(sqlx::FromRow)]
pub(super) struct UserWithHashRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub password_hash: Option<String>,
}

/// `id, title, model, updated_at, current_leaf_id, system_prompt` of
/// `conversations`.
#[derive(sqlx::FromRow)]
pub(super) struct ConversationRow {
    pub id: i64,
    title: String,
    model: String,
    updated_at: i64,
    pub current_leaf_id: Option<i64>,
    system_prompt: Option<String>,
}

impl From<ConversationRow> for Conversation {
    fn from(r: ConversationRow) -> Self {
        Self {
            id: r.id,
            title: r.title,
            model: r.model,
            updated_at: r.updated_at,
            current_leaf_id: r.current_leaf_id,
            system_prompt: r.system_prompt,
        }
    }
}

/// `id, parent_id, role, content, status, model, created_at, prompt_tokens,
/// completion_tokens` of `messages`.
#[derive(sqlx::FromRow)]
pub(super) struct MessageRow {
    id: i64,
    parent_id: Option<i64>,
    role: String,
    content: String,
    status: String,
    model: Option<String>,
    created_at: i64,
    prompt_tokens: Option<i64>,
    completion_tokens: Option<i64>,
}

impl From<MessageRow> for Message {
    fn from(r: MessageRow) -> Self {
        Self {
            id: r.id,
            parent_id: r.parent_id,
            role: if r.role == "user" {
                MessageRole::User
            } else {
                MessageRole::Assistant
            },
            content: r.content,
            status: MessageStatus::parse(&r.status),
            model: r.model,
            created_at: r.created_at,
            // Filled in by the caller, which knows the tree.
            siblings: Vec::new(),
            usage: match (r.prompt_tokens, r.completion_tokens) {
                (Some(prompt_tokens), Some(completion_tokens)) => Some(Usage {
                    prompt_tokens,
                    completion_tokens,
                }),
                _ => None,
            },
        }
    }
}
