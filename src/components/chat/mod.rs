//! The pieces of the chat page.

pub mod composer;
pub mod import;
pub mod message;
pub mod prompt;
pub mod search;
pub mod sidebar;
pub mod stream;
pub mod versions;
