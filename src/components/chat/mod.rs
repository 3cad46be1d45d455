//! The pieces of the chat page.

pub mod composer;
pub mod message;
pub mod sidebar;
pub mod stream;
