//! Semantic comparison of two compose documents: parse both, normalise what
//! compose treats as equal ([`super::normalise`]), and list the differences
//! by path.
//!
//! Ignored: comments, quoting, key order, formatting, anchors and merge
//! keys (resolved first), YAML tags (`!reset`, `!override`: their value is
//! compared).

use super::normalise::normalise;
use serde_json::Value;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};

pub use super::node::Node;

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
