//! What the model is sent: the system prompt, the earlier turns that fit,
//! the new message; and a new conversation's title.

use crate::domain::chat::Message;
use crate::server::llm::PromptMessage;

/// A conversation's first title: the first line of its first message.
pub fn title_for(message: &str) -> String {
    let line = message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("New chat")
        .trim();
    if line.chars().count() > 60 {
        format!("{}…", line.chars().take(59).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// The operator's system prompt, and with `reader` the language the
/// person's pages are in: the model answers in the language of the
/// message, and in that one when it cannot tell. The sentence is English
/// whatever the language: models follow English instructions best.
pub fn system_prompt(operator: &str, reader: Option<crate::lang::Locale>) -> String {
    use crate::lang::Locale;
    let Some(reader) = reader else {
        return operator.to_owned();
    };
    let language = match reader {
        Locale::en => "English",
        Locale::zh_CN => "Simplified Chinese",
        Locale::vi => "Vietnamese",
    };
    format!(
        "{operator}\n\nThe person reads Palaver in {language}. Answer in the language of \
         their message; when that is unclear, answer in {language}."
    )
}

/// System prompt, then the most recent earlier turns that fit in
/// `max_chars`, then the new message.
pub fn build_prompt(
    system: &str,
    history: &[Message],
    message: &str,
    max_chars: usize,
) -> Vec<PromptMessage> {
    let mut budget = max_chars;
    let mut earlier = Vec::new();
    for m in history.iter().rev().filter(|m| !m.content.is_empty()) {
        let len = m.content.chars().count();
        if len > budget {
            break;
        }
        budget -= len;
        earlier.push(PromptMessage {
            role: m.role.as_str(),
            content: m.content.clone(),
        });
    }
    earlier.reverse();
    let mut prompt = Vec::with_capacity(earlier.len() + 2);
    prompt.push(PromptMessage {
        role: "system",
        content: system.to_owned(),
    });
    prompt.extend(earlier);
    prompt.push(PromptMessage {
        role: "user",
        content: message.to_owned(),
    });
    prompt
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chat::{MessageStatus, Role};

    fn msg(role: Role, content: &str) -> Message {
        Message {
            id: 0,
            parent_id: None,
            role,
            content: content.into(),
            status: MessageStatus::Complete,
            model: None,
            created_at: 0,
            siblings: Vec::new(),
            usage: None,
        }
    }

    #[test]
    fn the_prompt_keeps_the_newest_turns_within_the_budget() {
        let history = [
            msg(Role::User, "old question"),
            msg(Role::Assistant, "old answer"),
            msg(Role::User, "recent"),
        ];
        let prompt = build_prompt("sys", &history, "now", 16);
        let roles: Vec<_> = prompt
            .iter()
            .map(|m| (m.role, m.content.as_str()))
            .collect();
        assert_eq!(
            roles,
            [
                ("system", "sys"),
                ("assistant", "old answer"),
                ("user", "recent"),
                ("user", "now")
            ]
        );
    }

    #[test]
    fn the_system_prompt_can_name_the_readers_language() {
        use crate::lang::Locale;
        assert_eq!(system_prompt("Be kind.", None), "Be kind.");
        let zh = system_prompt("Be kind.", Some(Locale::zh_CN));
        assert!(zh.starts_with("Be kind.\n\n"), "{zh}");
        assert!(zh.contains("in Simplified Chinese"), "{zh}");
        assert!(system_prompt("x", Some(Locale::vi)).contains("Vietnamese"));
    }

    #[test]
    fn titles_are_short_first_lines() {
        assert_eq!(title_for("\n  Hello there\nsecond"), "Hello there");
        assert_eq!(title_for(&"字".repeat(80)).chars().count(), 60);
    }
}
