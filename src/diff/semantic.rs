//! Semantic comparison of two compose documents: parse both, normalise what
//! compose treats as equal, and list the differences by path.
//!
//! Ignored: comments, quoting, key order, formatting, anchors and merge
//! keys (resolved first), YAML tags (`!reset`, `!override`: their value is
//! compared). Normalised (see docs/diff.md):
//! - a scalar equals another with the same text (`8000` = `"8000"`,
//!   `true` = `"true"`), wherever it appears;
//! - `environment`, `labels` (and `build.args`) in list form `[K=V, K]`
//!   equal the map form `{K: V, K: null}`;
//! - `depends_on: [a]` equals `{a: {condition: service_started}}`,
//!   `networks: [a]` equals `{a: null}` (in a service);
//! - a `command` / `entrypoint` string without quotes, escapes or `$`
//!   equals the list of its words; a `healthcheck.test` string equals
//!   `["CMD-SHELL", string]`.

use serde_json::Value;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::fmt;

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
    /// Parses a YAML document; an empty document is an empty map.
    pub fn parse_yaml(text: &str) -> Result<Node, serde_yaml::Error> {
        if text.trim().is_empty() {
            return Ok(Node::Map(Vec::new()));
        }
        let mut value: serde_yaml::Value = serde_yaml::from_str(text)?;
        value.apply_merge()?;
        Ok(match Node::from_yaml(value) {
            Node::Null => Node::Map(Vec::new()),
            node => node,
        })
    }

    fn from_yaml(value: serde_yaml::Value) -> Node {
        use serde_yaml::Value as Y;
        match value {
            Y::Null => Node::Null,
            Y::Bool(b) => Node::Bool(b),
            Y::Number(n) => Node::Number(n.to_string()),
            Y::String(s) => Node::String(s),
            Y::Sequence(items) => Node::Seq(items.into_iter().map(Node::from_yaml).collect()),
            Y::Mapping(map) => Node::Map(
                map.into_iter()
                    .map(|(k, v)| (Node::from_yaml(k).key_text(), Node::from_yaml(v)))
                    .collect(),
            ),
            Y::Tagged(tagged) => Node::from_yaml(tagged.value),
        }
    }

    /// A map key as text (YAML allows any value as a key; compose uses strings).
    fn key_text(&self) -> String {
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

    fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
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

    /// A text that is equal for two nodes exactly when compose treats them
    /// as equal (after normalisation): scalars by text, maps without order.
    fn canonical(&self) -> String {
        match self {
            Node::Null => "~".to_owned(),
            Node::Seq(items) => {
                let items: Vec<String> = items.iter().map(Node::canonical).collect();
                format!("[{}]", items.join(","))
            }
            Node::Map(entries) => {
                let mut entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v.canonical()))
                    .collect();
                entries.sort();
                format!("{{{}}}", entries.join(","))
            }
            scalar => Value::from(scalar.scalar_text().unwrap_or_default()).to_string(),
        }
    }
}

/// One step of a path: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Where a change is: `services.acestream-2.command[4]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Path(pub Vec<Segment>);

impl Path {
    fn child(&self, segment: Segment) -> Path {
        let mut segments = self.0.clone();
        segments.push(segment);
        Path(segments)
    }

    /// The service a change belongs to, when it is under `services`.
    pub fn service(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Segment::Key(top), Segment::Key(name), ..] if top == "services" => Some(name),
            _ => None,
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Index(_) => None,
        })
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(key) if is_simple_key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                // A key holding dots (labels) would read as two steps.
                Segment::Key(key) => write!(f, "[{}]", Value::from(key.as_str()))?,
            }
        }
        Ok(())
    }
}

fn is_simple_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One difference: `before` is FILE's value, `after` the generated one.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: Path,
    pub kind: ChangeKind,
    pub before: Option<Node>,
    pub after: Option<Node>,
}

/// Compares FILE (`before`) with the generated document (`after`).
pub fn compare(before: &Node, after: &Node) -> Vec<Change> {
    let before = normalised(before.clone());
    let after = normalised(after.clone());
    let mut changes = Vec::new();
    walk(&Path::default(), &before, &after, &mut changes);
    changes
}

fn walk(path: &Path, before: &Node, after: &Node, changes: &mut Vec<Change>) {
    if before.canonical() == after.canonical() {
        return;
    }
    match (before, after) {
        (Node::Map(old), Node::Map(new)) => walk_maps(path, old, new, changes),
        (Node::Seq(old), Node::Seq(new)) => walk_seqs(path, old, new, changes),
        _ => changes.push(Change {
            path: path.clone(),
            kind: ChangeKind::Changed,
            before: Some(before.clone()),
            after: Some(after.clone()),
        }),
    }
}

fn walk_maps(
    path: &Path,
    old: &[(String, Node)],
    new: &[(String, Node)],
    changes: &mut Vec<Change>,
) {
    let find = |entries: &[(String, Node)], key: &str| {
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    for (key, after) in new {
        let child = path.child(Segment::Key(key.clone()));
        match find(old, key) {
            Some(before) => walk(&child, &before, after, changes),
            None => changes.push(added(child, after)),
        }
    }
    for (key, before) in old {
        if find(new, key).is_none() {
            changes.push(removed(path.child(Segment::Key(key.clone())), before));
        }
    }
}

/// Lists are aligned first (an inserted command argument is one addition,
/// not a change of every later item); replaced runs are compared item by item.
fn walk_seqs(path: &Path, old: &[Node], new: &[Node], changes: &mut Vec<Change>) {
    let old_keys: Vec<String> = old.iter().map(Node::canonical).collect();
    let new_keys: Vec<String> = new.iter().map(Node::canonical).collect();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (old_range, new_range) = match op {
            DiffOp::Equal { .. } => continue,
            op => (op.old_range(), op.new_range()),
        };
        let paired = old_range.len().min(new_range.len());
        for (o, n) in old_range.clone().zip(new_range.clone()) {
            walk(&path.child(Segment::Index(n)), &old[o], &new[n], changes);
        }
        for o in old_range.skip(paired) {
            changes.push(removed(path.child(Segment::Index(o)), &old[o]));
        }
        for n in new_range.skip(paired) {
            changes.push(added(path.child(Segment::Index(n)), &new[n]));
        }
    }
}

fn added(path: Path, node: &Node) -> Change {
    Change {
        path,
        kind: ChangeKind::Added,
        before: None,
        after: Some(node.clone()),
    }
}

fn removed(path: Path, node: &Node) -> Change {
    Change {
        path,
        kind: ChangeKind::Removed,
        before: Some(node.clone()),
        after: None,
    }
}

/// Rewrites the forms compose reads as equal into one form.
fn normalised(mut document: Node) -> Node {
    if let Node::Map(entries) = &mut document {
        if !entries.iter().any(|(k, _)| k == "services") {
            // An empty FILE: every generated service shows as added.
            entries.push(("services".to_owned(), Node::Map(Vec::new())));
        }
    }
    if let Some(Node::Map(services)) = document.get_mut("services") {
        for (_, service) in services.iter_mut() {
            normalise_service(service);
        }
    }
    document
}

fn normalise_service(service: &mut Node) {
    for key in ["environment", "labels"] {
        if let Some(node) = service.get_mut(key) {
            assignments_as_map(node);
        }
    }
    if let Some(args) = service.get_mut("build").and_then(|b| b.get_mut("args")) {
        assignments_as_map(args);
    }
    if let Some(node) = service.get_mut("depends_on") {
        names_as_map(node, || {
            Node::Map(vec![(
                "condition".to_owned(),
                Node::String("service_started".to_owned()),
            )])
        });
    }
    if let Some(node) = service.get_mut("networks") {
        names_as_map(node, || Node::Null);
    }
    for key in ["command", "entrypoint"] {
        if let Some(node) = service.get_mut(key) {
            words_as_list(node);
        }
    }
    if let Some(test) = service
        .get_mut("healthcheck")
        .and_then(|h| h.get_mut("test"))
    {
        if let Node::String(text) = test {
            *test = Node::Seq(vec![
                Node::String("CMD-SHELL".to_owned()),
                Node::String(std::mem::take(text)),
            ]);
        }
    }
}

/// `[K=V, K]` → `{K: V, K: null}`.
fn assignments_as_map(node: &mut Node) {
    let Node::Seq(items) = node else { return };
    let entries = items
        .iter()
        .map(|item| {
            let text = item.scalar_text().unwrap_or_default();
            match text.split_once('=') {
                Some((k, v)) => (k.to_owned(), Node::String(v.to_owned())),
                None => (text.to_owned(), Node::Null),
            }
        })
        .collect();
    *node = Node::Map(entries);
}

/// `[a, b]` → `{a: default, b: default}`.
fn names_as_map(node: &mut Node, default: impl Fn() -> Node) {
    let Node::Seq(items) = node else { return };
    let entries = items
        .iter()
        .map(|item| (item.key_text(), default()))
        .collect();
    *node = Node::Map(entries);
}

/// `"a b c"` → `[a, b, c]`, only where splitting on spaces is certainly
/// what compose does (no quotes, escapes or variables to interpret).
fn words_as_list(node: &mut Node) {
    let Node::String(text) = node else { return };
    if text.contains(['"', '\'', '\\', '$']) {
        return;
    }
    let words = text
        .split_whitespace()
        .map(|w| Node::String(w.to_owned()))
        .collect();
    *node = Node::Seq(words);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(before: &str, after: &str) -> Vec<String> {
        let before = Node::parse_yaml(before).unwrap();
        let after = Node::parse_yaml(after).unwrap();
        compare(&before, &after)
            .iter()
            .map(|c| format!("{} {}", c.kind.as_str(), c.path))
            .collect()
    }

    #[test]
    fn quoting_key_order_and_comments_are_ignored() {
        let before = "# hand edit\nservices:\n  a:\n    ports: [8000]\n    image: x\n";
        let after = "services:\n  a:\n    image: \"x\"\n    ports:\n      - \"8000\"\n";
        assert!(changes(before, after).is_empty());
    }

    #[test]
    fn list_and_map_forms_of_environment_are_equal() {
        let before = "services:\n  a:\n    environment:\n      - PUID=1000\n      - TZ\n";
        let after = "services:\n  a:\n    environment:\n      PUID: 1000\n      TZ:\n";
        assert!(changes(before, after).is_empty());
    }

    #[test]
    fn an_inserted_argument_is_one_addition() {
        let before = "services:\n  a:\n    command: [run, --x, '1']\n";
        let after = "services:\n  a:\n    command: [run, --y, --x, '1']\n";
        assert_eq!(changes(before, after), ["added services.a.command[1]"]);
    }

    #[test]
    fn a_replaced_item_is_a_change_at_its_index() {
        let before = "services:\n  a:\n    command: [run, --port, '19001']\n";
        let after = "services:\n  a:\n    command: [run, --port, '19003']\n";
        assert_eq!(changes(before, after), ["changed services.a.command[2]"]);
    }

    #[test]
    fn label_keys_with_dots_are_quoted_in_paths() {
        let before = "services:\n  a:\n    labels:\n      acestream.http_port: '1'\n";
        let after = "services:\n  a:\n    labels:\n      acestream.http_port: '2'\n";
        assert_eq!(
            changes(before, after),
            ["changed services.a.labels[\"acestream.http_port\"]"]
        );
    }

    #[test]
    fn merge_keys_are_resolved_before_comparing() {
        let before = "x-base: &base\n  image: x\nservices:\n  a:\n    <<: *base\n";
        let after = "x-base:\n  image: x\nservices:\n  a:\n    image: x\n";
        assert!(changes(before, after).is_empty());
    }

    #[test]
    fn an_empty_file_shows_every_service_added() {
        assert_eq!(
            changes("", "services:\n  a: {}\n  b: {}\n"),
            ["added services.a", "added services.b"]
        );
    }
}
