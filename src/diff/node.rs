//! The value both sides of a semantic diff are read into: YAML that keeps
//! key order (for readable output) and the text of numbers (for comparing
//! them with strings).

use serde_json::Value;

/// A parsed YAML value that keeps key order (for readable output) and the
/// text of numbers (for comparing them with strings).
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    /// A map key as text (YAML allows any value as a key; compose uses strings).
    pub(super) fn key_text(&self) -> String {
        match self.scalar_text() {
            Some(text) => text.to_owned(),
            None if *self == Node::Null => "null".to_owned(),
            None => self.to_json().to_string(),
        }
    }

    /// The text of a bool, number or string.
    pub fn scalar_text(&self) -> Option<&str> {
        match self {
            Node::Bool(true) => Some("true"),
            Node::Bool(false) => Some("false"),
            Node::Number(text) | Node::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(super) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            Node::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(text) => serde_json::from_str::<serde_json::Number>(text)
                .map(Value::Number)
                .unwrap_or_else(|_| Value::String(text.clone())),
            Node::String(s) => Value::String(s.clone()),
            Node::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}
