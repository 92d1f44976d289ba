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

use super::block_yaml;
use super::depth::{self, TooDeep};
use serde_json::Value;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};

/// Why a document could not be read.
#[derive(Debug)]
pub enum ParseError {
    /// Collections nest deeper than acegen compares (E0740).
    TooDeep(TooDeep),
    Yaml(serde_yaml::Error),
}

impl From<serde_yaml::Error> for ParseError {
    /// The parser's own recursion limit (block nesting) is the same refusal.
    fn from(error: serde_yaml::Error) -> Self {
        match error.location() {
            Some(at) if error.to_string().starts_with("recursion limit exceeded") => {
                ParseError::TooDeep(TooDeep {
                    line: at.line(),
                    column: at.column(),
                })
            }
            _ => ParseError::Yaml(error),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::TooDeep(at) => at.fmt(f),
            ParseError::Yaml(error) => error.fmt(f),
        }
    }
}

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
    /// Parses a YAML document; an empty document is an empty map. Nesting
    /// deeper than [`depth::MAX_DEPTH`] is refused before parsing.
    pub fn parse_yaml(text: &str) -> Result<Node, ParseError> {
        if text.trim().is_empty() {
            return Ok(Node::Map(Vec::new()));
        }
        depth::check_nesting(text).map_err(ParseError::TooDeep)?;
        match block_yaml::parse(text) {
            Some(node) => Ok(node),
            None => Node::parse_with_serde_yaml(text),
        }
    }

    /// serde_yaml's reading, for what `block_yaml` does not read (and the
    /// reference it is tested against).
    pub(crate) fn parse_with_serde_yaml(text: &str) -> Result<Node, ParseError> {
        let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(ParseError::from)?;
        value.apply_merge().map_err(ParseError::from)?;
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
}

/// A node with its digest and its children's, computed once: two subtrees
/// are equal as compose reads them (scalars by text, maps without order)
/// exactly when their digests are, up to a 2^-64 chance of collision with
/// keys drawn per process. Comparing digests instead of re-serialising
/// subtrees at every level keeps the walk linear in the documents' size.
struct Hashed<'a> {
    node: &'a Node,
    digest: u64,
    children: Vec<Hashed<'a>>,
}

impl<'a> Hashed<'a> {
    fn new(node: &'a Node, keys: &RandomState) -> Self {
        let mut hasher = keys.build_hasher();
        let children: Vec<Hashed<'a>> = match node {
            Node::Seq(items) => {
                let children: Vec<Hashed<'a>> =
                    items.iter().map(|n| Hashed::new(n, keys)).collect();
                (2u8, children.len()).hash(&mut hasher);
                children.iter().for_each(|c| c.digest.hash(&mut hasher));
                children
            }
            Node::Map(entries) => {
                let children: Vec<Hashed<'a>> =
                    entries.iter().map(|(_, v)| Hashed::new(v, keys)).collect();
                // A sum does not depend on the entries' order (and, unlike
                // a xor, counts an entry that appears twice).
                let entries_digest = entries
                    .iter()
                    .zip(&children)
                    .map(|((key, _), child)| keys.hash_one((key, child.digest)))
                    .fold(0u64, u64::wrapping_add);
                (3u8, entries.len(), entries_digest).hash(&mut hasher);
                children
            }
            Node::Null => {
                0u8.hash(&mut hasher);
                Vec::new()
            }
            scalar => {
                (1u8, scalar.scalar_text()).hash(&mut hasher);
                Vec::new()
            }
        };
        Hashed {
            node,
            digest: hasher.finish(),
            children,
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
    compare_normalising(&mut before.clone(), &mut after.clone())
}

/// [`compare`] without copying the documents: they are normalised in place.
pub fn compare_normalising(before: &mut Node, after: &mut Node) -> Vec<Change> {
    normalise(before);
    normalise(after);
    let keys = RandomState::new();
    let (before, after) = (Hashed::new(before, &keys), Hashed::new(after, &keys));
    let mut changes = Vec::new();
    walk(&mut Path::default(), &before, &after, &mut changes);
    changes
}

/// Compares two values found at `path` (for `diff::blocks`, which finds
/// them without parsing the whole documents); the changes are appended in
/// the order [`compare`] lists them.
pub(crate) fn compare_at(
    path: &mut Path,
    before: &Node,
    after: &Node,
    keys: &RandomState,
    changes: &mut Vec<Change>,
) {
    let (before, after) = (Hashed::new(before, keys), Hashed::new(after, keys));
    walk(path, &before, &after, changes);
}

/// Compares two subtrees; `path` is where they are, restored on return.
fn walk(path: &mut Path, before: &Hashed, after: &Hashed, changes: &mut Vec<Change>) {
    if before.digest == after.digest {
        return;
    }
    match (before.node, after.node) {
        (Node::Map(old), Node::Map(new)) => walk_maps(path, (old, before), (new, after), changes),
        (Node::Seq(_), Node::Seq(_)) => walk_seqs(path, &before.children, &after.children, changes),
        _ => changes.push(Change {
            path: path.clone(),
            kind: ChangeKind::Changed,
            before: Some(before.node.clone()),
            after: Some(after.node.clone()),
        }),
    }
}

/// Runs `f` with `segment` pushed onto `path`.
fn at<R>(path: &mut Path, segment: Segment, f: impl FnOnce(&mut Path) -> R) -> R {
    path.0.push(segment);
    let result = f(path);
    path.0.pop();
    result
}

type Entries<'n, 'h> = (&'n [(String, Node)], &'h Hashed<'h>);

fn walk_maps(path: &mut Path, old: Entries, new: Entries, changes: &mut Vec<Change>) {
    let ((old_entries, old), (new_entries, new)) = (old, new);
    // The first entry of a key, as a lookup would find it.
    let mut old_index: HashMap<&str, usize> = HashMap::with_capacity(old_entries.len());
    for (i, (key, _)) in old_entries.iter().enumerate() {
        old_index.entry(key.as_str()).or_insert(i);
    }
    for (i, (key, node)) in new_entries.iter().enumerate() {
        let segment = Segment::Key(key.clone());
        match old_index.get(key.as_str()) {
            Some(&o) if old.children[o].digest == new.children[i].digest => {}
            Some(&o) => at(path, segment, |p| {
                walk(p, &old.children[o], &new.children[i], changes)
            }),
            None => at(path, segment, |p| changes.push(added(p.clone(), node))),
        }
    }
    let new_keys: HashSet<&str> = new_entries.iter().map(|(k, _)| k.as_str()).collect();
    for (key, node) in old_entries {
        if !new_keys.contains(key.as_str()) {
            at(path, Segment::Key(key.clone()), |p| {
                changes.push(removed(p.clone(), node))
            });
        }
    }
}

/// Aligning lists costs about (old + new) × edits; beyond this many item
/// pairs (lists far longer than any compose file's) items are compared by
/// index instead, so that a hostile FILE cannot make the diff quadratic.
const MAX_ALIGNED_PAIRS: usize = 1 << 20;

/// Lists are aligned first (an inserted command argument is one addition,
/// not a change of every later item); replaced runs are compared item by item.
fn walk_seqs(path: &mut Path, old: &[Hashed], new: &[Hashed], changes: &mut Vec<Change>) {
    if old.len().saturating_mul(new.len()) > MAX_ALIGNED_PAIRS {
        return walk_by_index(path, old, new, changes);
    }
    let old_keys: Vec<u64> = old.iter().map(|h| h.digest).collect();
    let new_keys: Vec<u64> = new.iter().map(|h| h.digest).collect();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (old_range, new_range) = match op {
            DiffOp::Equal { .. } => continue,
            op => (op.old_range(), op.new_range()),
        };
        let paired = old_range.len().min(new_range.len());
        for (o, n) in old_range.clone().zip(new_range.clone()) {
            at(path, Segment::Index(n), |p| {
                walk(p, &old[o], &new[n], changes)
            });
        }
        for o in old_range.skip(paired) {
            at(path, Segment::Index(o), |p| {
                changes.push(removed(p.clone(), old[o].node))
            });
        }
        for n in new_range.skip(paired) {
            at(path, Segment::Index(n), |p| {
                changes.push(added(p.clone(), new[n].node))
            });
        }
    }
}

fn walk_by_index(path: &mut Path, old: &[Hashed], new: &[Hashed], changes: &mut Vec<Change>) {
    for i in 0..old.len().max(new.len()) {
        at(path, Segment::Index(i), |p| {
            match (old.get(i), new.get(i)) {
                (Some(o), Some(n)) => walk(p, o, n, changes),
                (Some(o), None) => changes.push(removed(p.clone(), o.node)),
                (None, Some(n)) => changes.push(added(p.clone(), n.node)),
                (None, None) => {}
            }
        });
    }
}

pub(crate) fn added(path: Path, node: &Node) -> Change {
    Change {
        path,
        kind: ChangeKind::Added,
        before: None,
        after: Some(node.clone()),
    }
}

pub(crate) fn removed(path: Path, node: &Node) -> Change {
    Change {
        path,
        kind: ChangeKind::Removed,
        before: Some(node.clone()),
        after: None,
    }
}

/// Rewrites the forms compose reads as equal into one form.
fn normalise(document: &mut Node) {
    if let Node::Map(entries) = document {
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
}

pub(crate) fn normalise_service(service: &mut Node) {
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
    fn flow_or_block_nesting_beyond_the_bound_is_refused_before_comparing() {
        let flow = format!("x: {}", "[".repeat(depth::MAX_DEPTH + 1));
        assert!(matches!(
            Node::parse_yaml(&flow),
            Err(ParseError::TooDeep(TooDeep { line: 1, .. }))
        ));
        // Block nesting: serde_yaml's recursion limit (128), the same refusal.
        let block: String = (0..200).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(matches!(
            Node::parse_yaml(&block),
            Err(ParseError::TooDeep(_))
        ));
        assert!(Node::parse_yaml(&format!("x: {}", "[".repeat(3) + "]]]")).is_ok());
    }

    #[test]
    fn one_change_among_many_services_is_found_in_any_key_order() {
        let service = |i: usize, port: usize| {
            format!("  s{i}:\n    image: x\n    ports: [\"{port}:{port}\"]\n    labels: {{a: '1', b: '2'}}\n")
        };
        let before: String = (0..500).map(|i| service(i, 8000 + i)).collect();
        let after: String = (0..500)
            .rev()
            .map(|i| service(i, if i == 250 { 9999 } else { 8000 + i }))
            .collect();
        assert_eq!(
            changes(
                &format!("services:\n{before}"),
                &format!("services:\n{after}")
            ),
            ["changed services.s250.ports[0]"]
        );
    }

    #[test]
    fn maps_that_differ_only_in_order_or_scalar_form_are_equal_at_any_depth() {
        let before = "x-a: {p: [1, {q: true, r: null}], s: '8000'}\n";
        let after = "x-a: {s: 8000, p: ['1', {r: ~, q: 'true'}]}\n";
        assert!(changes(before, after).is_empty());
        // null is not the text "null".
        assert_eq!(changes("x: null\n", "x: 'null'\n"), ["changed x"]);
    }

    #[test]
    fn an_empty_file_shows_every_service_added() {
        assert_eq!(
            changes("", "services:\n  a: {}\n  b: {}\n"),
            ["added services.a", "added services.b"]
        );
    }
}
