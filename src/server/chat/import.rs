//! Reading an import: a Palaver JSON export (one conversation, or a list)
//! or ChatGPT's `conversations.json` (a list of conversations, each a
//! `mapping` of nodes that form a tree, with `current_node` the branch last
//! shown). Both become [`NewConversation`]s with their branches kept; any
//! file that is neither is refused with the reason, and nothing is stored.
//!
//! Pure: no I/O, so the handler runs it on the blocking pool (a large
//! export takes a while to parse) and tests call it directly.

use std::collections::HashMap;

use serde_json::Value;

use super::{conversations::MAX_TITLE_CHARS, prompt::title_for};
use crate::{
    domain::chat::{MessageStatus, Role},
    server::db::{NewConversation, NewMessage},
};

/// The most conversations one import may hold.
pub const MAX_CONVERSATIONS: usize = 2000;

/// Reads `body` as one of the two formats. `model` is the model of a
/// conversation that names none; `now` the time of one without its own.
pub fn parse(body: &[u8], model: &str, now: i64) -> Result<Vec<NewConversation>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the file is not JSON ({e})"))?;
    let list = match &value {
        Value::Array(list) => list.iter().collect::<Vec<_>>(),
        Value::Object(_) => vec![&value],
        _ => return Err(not_an_export()),
    };
    if list.is_empty() {
        return Err("the file holds no conversation".into());
    }
    if list.len() > MAX_CONVERSATIONS {
        return Err(format!(
            "the file holds more than {MAX_CONVERSATIONS} conversations"
        ));
    }
    let mut imported = Vec::with_capacity(list.len());
    for (n, item) in list.iter().enumerate() {
        let read = if item.get("mapping").is_some() {
            chatgpt(item, model, now)
        } else if item.get("messages").is_some() {
            palaver(item, model, now)
        } else {
            Err(not_an_export())
        };
        let conversation = read.map_err(|e| format!("conversation {}: {e}", n + 1))?;
        imported.extend(conversation);
    }
    if imported.is_empty() {
        return Err("the file holds no message to import".into());
    }
    Ok(imported)
}

fn not_an_export() -> String {
    "this is neither a Palaver export nor ChatGPT's conversations.json".into()
}

/// A title as stored: trimmed, at most [`MAX_TITLE_CHARS`] characters, else
/// the first line of the first message.
fn title(given: Option<&str>, first: Option<&NewMessage>) -> String {
    let given = given.map(str::trim).filter(|t| !t.is_empty());
    let title = match (given, first) {
        (Some(t), _) => t.to_owned(),
        (None, Some(m)) => title_for(&m.content),
        (None, None) => "Imported chat".to_owned(),
    };
    title.chars().take(MAX_TITLE_CHARS).collect()
}

/// Orders `nodes` (each `(key, parent key)`) parents first; an error names
/// a parent that is missing, or a loop.
fn parents_first(nodes: &[(String, Option<String>)]) -> Result<Vec<usize>, String> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, (key, _))| (key.as_str(), i))
        .collect();
    if index.len() != nodes.len() {
        return Err("two messages have the same id".into());
    }
    let mut placed = vec![false; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    for start in 0..nodes.len() {
        // Up to the first placed ancestor (or a root), then down again.
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|i| !placed[*i]) {
            if chain.contains(&i) || chain.len() > nodes.len() {
                return Err("the messages' parents form a loop".into());
            }
            chain.push(i);
            at = match &nodes[i].1 {
                None => None,
                Some(parent) => Some(
                    *index
                        .get(parent.as_str())
                        .ok_or_else(|| format!("the parent {parent} of a message is missing"))?,
                ),
            };
        }
        for &i in chain.iter().rev() {
            placed[i] = true;
            order.push(i);
        }
    }
    Ok(order)
}

fn key_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Palaver's own export: `{title, model, created_at, messages: [{id,
/// parent_id, role, content, status, created_at}]}`.
fn palaver(item: &Value, model: &str, now: i64) -> Result<Option<NewConversation>, String> {
    let messages = item["messages"]
        .as_array()
        .ok_or("`messages` is not a list")?;
    let mut nodes = Vec::with_capacity(messages.len());
    let mut read = Vec::with_capacity(messages.len());
    for m in messages {
        let key = key_of(m.get("id")).ok_or("a message has no `id`")?;
        let parent = match m.get("parent_id") {
            None | Some(Value::Null) => None,
            other => Some(key_of(other).ok_or("a message's `parent_id` is not an id")?),
        };
        let role = match m["role"].as_str() {
            Some("user") => Role::User,
            Some("assistant") => Role::Assistant,
            _ => {
                return Err(format!(
                    "message {key}: `role` is neither user nor assistant"
                ))
            }
        };
        let content = m["content"]
            .as_str()
            .ok_or_else(|| format!("message {key}: `content` is not text"))?;
        let status = match m["status"].as_str().unwrap_or("complete") {
            "complete" => MessageStatus::Complete,
            "error" => MessageStatus::Error,
            // An answer exported while it was written is as far as it got.
            "partial" | "streaming" => MessageStatus::Partial,
            other => return Err(format!("message {key}: unknown status {other:?}")),
        };
        nodes.push((key, parent));
        read.push(NewMessage {
            parent: None,
            role,
            content: content.to_owned(),
            status,
            model: m["model"].as_str().map(str::to_owned),
            created_at: m["created_at"].as_i64().unwrap_or(now),
        });
    }
    // Shown: the last message listed that no other follows (an export
    // lists them oldest first, so the newest leaf).
    let parents: std::collections::HashSet<&str> =
        nodes.iter().filter_map(|n| n.1.as_deref()).collect();
    let leaf_key = nodes
        .iter()
        .rev()
        .find(|n| !parents.contains(n.0.as_str()))
        .map(|n| n.0.clone());
    let conversation = assemble(nodes, read, leaf_key)?;
    Ok(conversation.map(|(messages, leaf)| NewConversation {
        title: title(item["title"].as_str(), messages.first()),
        model: item["model"].as_str().unwrap_or(model).to_owned(),
        created_at: item["created_at"].as_i64().unwrap_or(now),
        messages,
        leaf,
    }))
}

/// Messages parents first, and the index of the leaf shown.
type Assembled = (Vec<NewMessage>, Option<usize>);

/// Puts `read` (one per node) parents first, each with its parent's new
/// index; the leaf is the node `leaf_key`.
fn assemble(
    nodes: Vec<(String, Option<String>)>,
    mut read: Vec<NewMessage>,
    leaf_key: Option<String>,
) -> Result<Option<Assembled>, String> {
    if nodes.is_empty() {
        return Ok(None);
    }
    let order = parents_first(&nodes)?;
    let mut new_index = vec![0; nodes.len()];
    for (n, &i) in order.iter().enumerate() {
        new_index[i] = n;
    }
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, (key, _))| (key.as_str(), i))
        .collect();
    let mut messages = Vec::with_capacity(order.len());
    for &i in &order {
        let mut m = std::mem::replace(&mut read[i], read_placeholder());
        m.parent = nodes[i].1.as_deref().map(|p| new_index[index[p]]);
        messages.push(m);
    }
    let leaf = leaf_key
        .and_then(|k| index.get(k.as_str()).copied())
        .map(|i| new_index[i]);
    Ok(Some((messages, leaf)))
}

fn read_placeholder() -> NewMessage {
    NewMessage {
        parent: None,
        role: Role::User,
        content: String::new(),
        status: MessageStatus::Complete,
        model: None,
        created_at: 0,
    }
}

/// The text of a ChatGPT message: its string parts (images and other
/// attachments have none), or its `text`.
fn chatgpt_text(message: &Value) -> String {
    let content = &message["content"];
    if let Some(parts) = content["parts"].as_array() {
        let texts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
        return texts.join("\n\n");
    }
    content["text"].as_str().unwrap_or_default().to_owned()
}

/// One conversation of ChatGPT's `conversations.json`: the `mapping`'s
/// nodes of people and the assistant, each under its nearest such
/// ancestor (the root, system prompts, tool calls and hidden nodes are
/// left out, their children moved up), `current_node` the leaf shown.
fn chatgpt(item: &Value, model: &str, now: i64) -> Result<Option<NewConversation>, String> {
    let mapping = item["mapping"]
        .as_object()
        .ok_or("`mapping` is not an object")?;
    let parent_of =
        |key: &str| -> Option<String> { mapping.get(key).and_then(|n| key_of(n.get("parent"))) };
    let time = |v: &Value| v.as_f64().map(|t| t as i64);
    let created = time(&item["create_time"]).unwrap_or(now);
    let mut kept: HashMap<String, NewMessage> = HashMap::new();
    for (key, node) in mapping {
        let Some(message) = node.get("message").filter(|m| m.is_object()) else {
            continue;
        };
        let role = match message["author"]["role"].as_str() {
            Some("user") => Role::User,
            Some("assistant") => Role::Assistant,
            _ => continue,
        };
        if message["metadata"]["is_visually_hidden_from_conversation"] == Value::Bool(true) {
            continue;
        }
        let content = chatgpt_text(message);
        if content.trim().is_empty() {
            continue;
        }
        kept.insert(
            key.clone(),
            NewMessage {
                parent: None,
                role,
                content,
                status: MessageStatus::Complete,
                model: message["metadata"]["model_slug"]
                    .as_str()
                    .map(str::to_owned),
                created_at: time(&message["create_time"]).unwrap_or(created),
            },
        );
    }
    // The nearest kept ancestor, through the nodes left out; a loop in the
    // mapping is refused rather than followed forever.
    let nearest_kept = |key: Option<String>| -> Result<Option<String>, String> {
        let mut at = key;
        let mut steps = 0;
        while let Some(k) = at {
            if kept.contains_key(&k) {
                return Ok(Some(k));
            }
            if !mapping.contains_key(&k) {
                return Err(format!("the parent {k} of a node is missing"));
            }
            steps += 1;
            if steps > mapping.len() {
                return Err("the mapping's parents form a loop".into());
            }
            at = parent_of(&k);
        }
        Ok(None)
    };
    let mut keys: Vec<String> = kept.keys().cloned().collect();
    // Oldest first, so siblings keep their order.
    keys.sort_by_key(|k| (kept[k].created_at, k.clone()));
    let mut nodes = Vec::with_capacity(keys.len());
    for key in keys {
        let parent = nearest_kept(parent_of(&key))?;
        nodes.push((key, parent));
    }
    let leaf_key = nearest_kept(key_of(item.get("current_node")))?;
    let read: Vec<NewMessage> = nodes
        .iter()
        .map(|(key, _)| kept.remove(key).expect("a kept key"))
        .collect();
    let leaf_model = leaf_key.as_ref().and_then(|leaf| {
        let i = nodes.iter().position(|n| &n.0 == leaf)?;
        read[i].model.clone()
    });
    let conversation = assemble(nodes, read, leaf_key)?;
    Ok(conversation.map(|(messages, leaf)| NewConversation {
        title: title(item["title"].as_str(), messages.first()),
        model: leaf_model.unwrap_or_else(|| model.to_owned()),
        created_at: created,
        messages,
        leaf,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_files_say_why() {
        let err = |body: &str| parse(body.as_bytes(), "m", 1).unwrap_err();
        assert!(err("{").contains("not JSON"));
        assert!(err("[]").contains("no conversation"));
        assert!(err("{\"hello\":1}").contains("neither"));
        assert!(
            err(r#"{"messages":[{"id":1,"parent_id":7,"role":"user","content":"x"}]}"#)
                .contains("parent 7")
        );
        assert!(err(
            r#"{"messages":[{"id":1,"parent_id":2,"role":"user","content":"x"},
                                     {"id":2,"parent_id":1,"role":"user","content":"y"}]}"#
        )
        .contains("loop"));
        assert!(err(r#"{"messages":[{"id":1,"role":"system","content":"x"}]}"#).contains("role"));
    }

    #[test]
    fn children_listed_before_their_parents_are_put_after_them() {
        let body = json!({"title": "T", "messages": [
            {"id": 5, "parent_id": 3, "role": "assistant", "content": "a"},
            {"id": 3, "parent_id": null, "role": "user", "content": "q"},
        ]});
        let c = parse(body.to_string().as_bytes(), "m", 1)
            .unwrap()
            .remove(0);
        assert_eq!(c.messages[0].content, "q");
        assert_eq!(c.messages[1].parent, Some(0));
        assert_eq!(c.leaf, Some(1));
    }
}
