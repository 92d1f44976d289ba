//! Presenting a semantic comparison: text grouped by service, or JSON.
//! Values under secret-looking keys are masked here, after comparing, so
//! that a changed secret still counts as a change.

use super::node::Node;
use super::redact::{
    is_plain_reference, is_secret_key, placeholder, secret_assignment, shown_secret, Secrets,
};
use super::semantic::{Change, ChangeKind, Path, Segment};
use super::Palette;
use crate::keys::looks_secret;
use serde_json::{json, Value};
use std::fmt::Write;

/// Longest value printed in the text form; JSON has every value whole.
const MAX_SHOWN_CHARS: usize = 100;

/// How many services changed, appeared and disappeared, and how many
/// changes lie outside `services` (networks, volumes, extension fields).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub services_changed: usize,
    pub services_added: usize,
    pub services_removed: usize,
    pub other_changes: usize,
}

impl Summary {
    pub fn of(changes: &[Change]) -> Summary {
        let mut summary = Summary::default();
        let mut seen: Vec<&str> = Vec::new();
        for change in changes {
            let Some(service) = change.path.service() else {
                summary.other_changes += 1;
                continue;
            };
            if seen.contains(&service) {
                continue;
            }
            seen.push(service);
            match service_status(changes, service) {
                ChangeKind::Added => summary.services_added += 1,
                ChangeKind::Removed => summary.services_removed += 1,
                ChangeKind::Changed => summary.services_changed += 1,
            }
        }
        summary
    }

    pub fn line(&self) -> String {
        let plural = if self.services_changed == 1 { "" } else { "s" };
        let mut line = format!(
            "{} service{plural} changed, {} added, {} removed",
            self.services_changed, self.services_added, self.services_removed
        );
        if self.other_changes > 0 {
            let plural = if self.other_changes == 1 { "" } else { "s" };
            let _ = write!(line, ", {} other change{plural}", self.other_changes);
        }
        line
    }
}

/// A service is added or removed when the change is the whole service.
fn service_status(changes: &[Change], service: &str) -> ChangeKind {
    changes
        .iter()
        .find(|c| c.path.service() == Some(service) && c.path.0.len() == 2)
        .map_or(ChangeKind::Changed, |c| c.kind)
}

/// The group a change is listed under: its service, else its top-level key.
fn group_of(change: &Change) -> String {
    match (change.path.service(), change.path.keys().next()) {
        (Some(service), _) => service.to_owned(),
        (None, Some(top)) => top.to_owned(),
        (None, None) => "(document)".to_owned(),
    }
}

/// A value as it may be shown: values under secret-looking keys, and
/// `KEY=VALUE` items with a secret-looking KEY, are masked; so is any
/// scalar or key that holds a piece of a secret found elsewhere in the
/// documents (an anchored value aliased under a secret key). Under a
/// secret key, a nested map or list is one placeholder: its keys may be
/// the secret.
pub fn shown(node: &Node, under_secret: bool, secrets: &Secrets) -> Node {
    match node {
        Node::Null => Node::Null,
        Node::Seq(_) | Node::Map(_) if under_secret => Node::String(placeholder(&compact(node))),
        Node::Seq(items) => Node::Seq(
            items
                .iter()
                .map(|n| shown(n, under_secret, secrets))
                .collect(),
        ),
        Node::Map(entries) => {
            // A Kubernetes-style `{name: KEY, value: …}` item.
            let names_a_secret = node
                .get("name")
                .and_then(Node::scalar_text)
                .is_some_and(looks_secret);
            Node::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = if secrets.holds_piece(k) {
                            "<redacted>".to_owned()
                        } else {
                            k.clone()
                        };
                        let secret = is_secret_key(k) || (names_a_secret && k == "value");
                        (key, shown(v, secret, secrets))
                    })
                    .collect(),
            )
        }
        scalar if under_secret => Node::String(shown_secret(scalar.scalar_text().unwrap_or(""))),
        scalar if scalar.scalar_text().is_some_and(|t| secrets.holds_piece(t)) => {
            Node::String(placeholder(scalar.scalar_text().unwrap_or("")))
        }
        Node::String(text) => match secret_assignment(text) {
            Some((key, value)) => Node::String(format!("{key}={}", shown_secret(value))),
            None => Node::String(text.clone()),
        },
        scalar => scalar.clone(),
    }
}

/// A path as it may be shown: the keys below a secret-looking one, and any
/// key holding a piece of a secret, are `<redacted>`.
fn shown_path(path: &Path, secrets: &Secrets) -> Path {
    let mut below_secret = false;
    let segments = path.0.iter().map(|segment| match segment {
        Segment::Key(key) if below_secret || secrets.holds_piece(key) => {
            Segment::Key("<redacted>".to_owned())
        }
        Segment::Key(key) => {
            below_secret = is_secret_key(key);
            segment.clone()
        }
        Segment::Index(_) => segment.clone(),
    });
    Path(segments.collect())
}

/// Compact JSON in document order (serde_json's maps would sort the keys).
fn compact(node: &Node) -> String {
    match node {
        Node::Seq(items) => {
            let items: Vec<String> = items.iter().map(compact).collect();
            format!("[{}]", items.join(","))
        }
        Node::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), compact(v)))
                .collect();
            format!("{{{}}}", entries.join(","))
        }
        scalar => scalar.to_json().to_string(),
    }
}

fn path_is_secret(path: &Path) -> bool {
    path.keys().any(is_secret_key)
}

/// Is this value, shown at `path`, a masked scalar (not a reference)?
fn is_masked_scalar(path: &Path, node: &Node, secrets: &Secrets) -> bool {
    node.scalar_text().is_some_and(|text| {
        (path_is_secret(path) && !is_plain_reference(text)) || secrets.holds_piece(text)
    })
}

/// A value for the text form: compact JSON, a masked secret bare.
fn text_value(path: &Path, node: &Node, secrets: &Secrets) -> String {
    let value = shown(node, path_is_secret(path), secrets);
    let masked = is_masked_scalar(path, node, secrets)
        || (path_is_secret(path) && node.scalar_text().is_none() && *node != Node::Null);
    let text = match (&value, masked) {
        (Node::String(masked), true) => masked.clone(),
        _ => compact(&value),
    };
    if text.chars().count() > MAX_SHOWN_CHARS {
        let cut: String = text.chars().take(MAX_SHOWN_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

pub fn change_line(change: &Change, palette: Palette, secrets: &Secrets) -> String {
    let path = &change.path;
    let shown_at = shown_path(path, secrets);
    match (change.kind, &change.before, &change.after) {
        (ChangeKind::Changed, Some(before), Some(after)) => {
            let note = if is_masked_scalar(path, before, secrets)
                && is_masked_scalar(path, after, secrets)
            {
                " (secret value changed)"
            } else {
                ""
            };
            let line = format!(
                "~ {shown_at}: {} -> {}{note}",
                text_value(path, before, secrets),
                text_value(path, after, secrets)
            );
            palette.changed(&line)
        }
        (ChangeKind::Added, _, Some(after)) => palette.line(
            similar::ChangeTag::Insert,
            &format!("+ {shown_at}: {}", text_value(path, after, secrets)),
        ),
        (_, Some(before), _) => palette.line(
            similar::ChangeTag::Delete,
            &format!("- {shown_at}: {}", text_value(path, before, secrets)),
        ),
        _ => String::new(),
    }
}

/// The text form: changes grouped by service (in document order), then
/// the summary line.
pub fn text_report(changes: &[Change], palette: Palette, secrets: &Secrets) -> String {
    let mut groups: Vec<(String, Vec<&Change>)> = Vec::new();
    for change in changes {
        let group = group_of(change);
        match groups.iter_mut().find(|(name, _)| *name == group) {
            Some((_, members)) => members.push(change),
            None => groups.push((group, vec![change])),
        }
    }
    let mut out = String::new();
    for (group, members) in &groups {
        let status = match members[0].path.service() {
            Some(service) => service_status(changes, service).as_str(),
            None => "changed",
        };
        let _ = writeln!(out, "{}", palette.header(&format!("{group}: {status}")));
        for change in members {
            let _ = writeln!(out, "  {}", change_line(change, palette, secrets));
        }
    }
    if !groups.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", Summary::of(changes).line());
    out
}

/// The JSON form (`--format json`).
pub fn json_report(changes: &[Change], before_name: &str, secrets: &Secrets) -> Value {
    let summary = Summary::of(changes);
    let items: Vec<Value> = changes
        .iter()
        .map(|c| {
            let secret = path_is_secret(&c.path);
            json!({
                "path": shown_path(&c.path, secrets).to_string(),
                "service": c.path.service(),
                "kind": c.kind.as_str(),
                "before": c.before.as_ref().map(|n| shown(n, secret, secrets).to_json()),
                "after": c.after.as_ref().map(|n| shown(n, secret, secrets).to_json()),
                "secret": secret,
            })
        })
        .collect();
    json!({
        "format_version": 1,
        "file": before_name,
        "identical": changes.is_empty(),
        "changes": items,
        "summary": {
            "services_changed": summary.services_changed,
            "services_added": summary.services_added,
            "services_removed": summary.services_removed,
            "other_changes": summary.other_changes,
            "changes": changes.len(),
        },
    })
}
