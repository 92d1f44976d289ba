//! `diff --target kubernetes`: manifests compared object by object. Each
//! side is a set of objects named `Kind/name` (kustomization.yaml is
//! `Kustomization`), read from a folder of files or a multi-document
//! stream; objects are paired by that name, so a change shows under the
//! object it belongs to, wherever it was written.

use super::node::Node;
use super::redact::Secrets;
use super::report::{change_line, json_report};
use super::semantic::compare as compare_nodes;
use super::unified::{unified_diff, Sides};
use super::Palette;
use crate::load::guard;
use crate::render::kubernetes::{Manifests, KUSTOMIZATION_FILE};
use crate::report::printable::printable;
use camino::Utf8Path;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt::Write;

/// One object as written on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// `Kind/name`, or `Kustomization`.
    pub object: String,
    /// Where it was read from: a file, or `FILE (document N)`.
    pub source: String,
    pub text: String,
}

fn object_name(value: &Value) -> String {
    let kind = value["kind"].as_str().unwrap_or("(no kind)");
    match value["metadata"]["name"].as_str() {
        Some(name) => format!("{kind}/{name}"),
        None => kind.to_owned(),
    }
}

/// `kubectl get -o yaml` prints several objects as one `List` (or a
/// `DeploymentList`, …) whose `items` are the objects.
fn list_items(value: &Value) -> Option<&Vec<Value>> {
    let kind = value["kind"].as_str()?;
    (kind == "List" || kind.ends_with("List"))
        .then(|| value["items"].as_array())
        .flatten()
}

/// What a cluster adds to an object it holds and acegen never writes: its
/// status and the server's bookkeeping in `metadata`. Left out of a `List`'s
/// items so that the comparison shows what the manifests decide.
const SERVER_METADATA: &[&str] = &[
    "creationTimestamp",
    "generation",
    "managedFields",
    "resourceVersion",
    "selfLink",
    "uid",
];

fn without_server_fields(item: &Value) -> Value {
    let mut item = item.clone();
    if let Some(object) = item.as_object_mut() {
        object.remove("status");
        if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            for key in SERVER_METADATA {
                metadata.remove(*key);
            }
        }
    }
    item
}

/// The documents of a multi-document YAML stream (separated by `---` lines);
/// a `List` stands for its items.
pub fn split_stream(text: &str, source: &str) -> Result<Vec<Document>, String> {
    let mut pieces = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            pieces.push(String::new());
        } else if let Some(last) = pieces.last_mut() {
            last.push_str(line);
        }
    }
    let several = pieces.len() > 1;
    let mut documents = Vec::new();
    for (n, piece) in pieces.into_iter().enumerate() {
        let where_ = if several {
            format!("{source} (document {})", n + 1)
        } else {
            source.to_owned()
        };
        let value: Value =
            serde_yaml::from_str(&piece).map_err(|e| format!("{where_}: not YAML: {e}"))?;
        if value.is_null() {
            continue;
        }
        let Some(items) = list_items(&value) else {
            documents.push(Document {
                object: object_name(&value),
                source: where_,
                text: piece,
            });
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let item = without_server_fields(item);
            let text = serde_yaml::to_string(&item)
                .map_err(|e| format!("{where_}: item {}: {e}", i + 1))?;
            documents.push(Document {
                object: object_name(&item),
                source: format!("{where_} (item {})", i + 1),
                text,
            });
        }
    }
    Ok(documents)
}

/// The documents of every `.yaml` / `.yml` file of a folder, by file name.
/// A file that is a link leading out of the stack's folder, or a special
/// file, is refused (`load::guard`): its lines would be printed.
pub fn read_folder(folder: &Utf8Path, stack: &Utf8Path) -> Result<Vec<Document>, String> {
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .map_err(|e| format!("{folder}: cannot read: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !p.is_dir())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut documents = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if let Some(utf8) = Utf8Path::from_path(&path) {
            guard::check_input(utf8, stack).map_err(|refused| format!("{shown}: {refused}"))?;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        documents.extend(split_stream(&text, &shown)?);
    }
    Ok(documents)
}

/// The generated side; the kustomization only when comparing with a folder.
pub fn generated(manifests: &Manifests, folder: Option<&Utf8Path>) -> Vec<Document> {
    let mut documents: Vec<Document> = manifests
        .objects
        .iter()
        .map(|m| Document {
            object: format!("{}/{}", m.kind, m.name),
            source: folder.map_or_else(|| m.file_name.clone(), |f| f.join(&m.file_name).into()),
            text: m.text.clone(),
        })
        .collect();
    if let Some(folder) = folder {
        documents.push(Document {
            object: "Kustomization".to_owned(),
            source: folder.join(KUSTOMIZATION_FILE).into(),
            text: manifests.kustomization.clone(),
        });
    }
    documents
}

/// One object that differs: present before, after, or both.
#[derive(Clone, Copy)]
pub struct ObjectChange<'a> {
    pub object: &'a str,
    pub before: Option<&'a Document>,
    pub after: Option<&'a Document>,
}

impl ObjectChange<'_> {
    fn status(&self) -> &'static str {
        match (self.before, self.after) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        }
    }
}

/// The objects whose text differs, in the generated order, then those
/// only the old side has.
pub fn changes<'a>(before: &'a [Document], after: &'a [Document]) -> Vec<ObjectChange<'a>> {
    // Indexed by object, so that thousands of objects cost no more than one
    // each; the first of two with the same name is the one compared, as before.
    let index = |side: &'a [Document]| {
        let mut by_object: HashMap<&'a str, &'a Document> = HashMap::with_capacity(side.len());
        for document in side {
            by_object
                .entry(document.object.as_str())
                .or_insert(document);
        }
        by_object
    };
    let (before_index, after_index) = (index(before), index(after));
    let find = |side: &HashMap<&'a str, &'a Document>, object: &str| side.get(object).copied();
    let mut changes = Vec::new();
    for new in after {
        let old = find(&before_index, &new.object);
        if old.is_none_or(|old| old.text != new.text) {
            changes.push(ObjectChange {
                object: &new.object,
                before: old,
                after: Some(new),
            });
        }
    }
    for old in before
        .iter()
        .filter(|d| find(&after_index, &d.object).is_none())
    {
        changes.push(ObjectChange {
            object: &old.object,
            before: Some(old),
            after: None,
        });
    }
    changes
}

fn summary(changes: &[ObjectChange]) -> String {
    let count = |status: &str| changes.iter().filter(|c| c.status() == status).count();
    format!(
        "{} objects changed, {} added, {} removed\n",
        count("changed"),
        count("added"),
        count("removed")
    )
}

/// A unified diff per object, each under its own header, then a summary.
pub fn text_diff(changes: &[ObjectChange], context: usize, palette: Palette) -> String {
    let mut out = String::new();
    for change in changes {
        let before_name = change
            .before
            .map_or("/dev/null".to_owned(), |d| d.source.clone());
        let after_name = change.after.map_or("/dev/null".to_owned(), |d| {
            format!("{} (generated by acegen)", d.source)
        });
        let _ = writeln!(
            out,
            "{}",
            palette.header(&format!(
                "{} ({})",
                printable(change.object),
                change.status()
            ))
        );
        out.push_str(&unified_diff(
            &Sides {
                before_name: &before_name,
                before: change.before.map_or("", |d| d.text.as_str()),
                after_name: &after_name,
                after: change.after.map_or("", |d| d.text.as_str()),
            },
            context,
            palette,
        ));
    }
    if !changes.is_empty() {
        out.push_str(&summary(changes));
    }
    out
}

fn parsed(document: Option<&Document>) -> Result<Node, String> {
    Node::parse_yaml(document.map_or("", |d| d.text.as_str()))
        .map_err(|e| format!("{}: not YAML: {e}", document.map_or("", |d| &d.source)))
}

/// The secrets both sides of an object hold (a manifest may inline one as
/// `- name: KEY` / `value: …`).
fn secrets_of(change: &ObjectChange) -> Secrets {
    Secrets::of_texts(
        change
            .before
            .iter()
            .chain(&change.after)
            .map(|d| d.text.as_str()),
    )
}

/// `--semantic`: per changed object, the changes by path (quoting,
/// comments and key order ignored; an object equal as data is left out);
/// an added or removed object is one line.
pub fn semantic_diff(changes: &[ObjectChange], palette: Palette) -> Result<(String, bool), String> {
    let mut out = String::new();
    let mut shown = Vec::new();
    for change in changes {
        let found = match (change.before, change.after) {
            (Some(_), Some(_)) => compare_nodes(&parsed(change.before)?, &parsed(change.after)?),
            _ => Vec::new(),
        };
        if change.status() == "changed" && found.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{}",
            palette.header(&format!(
                "{} ({})",
                printable(change.object),
                change.status()
            ))
        );
        let secrets = secrets_of(change);
        for item in &found {
            let _ = writeln!(out, "  {}", change_line(item, palette, &secrets));
        }
        shown.push(ObjectChange { ..*change });
    }
    if !shown.is_empty() {
        out.push_str(&summary(&shown));
    }
    Ok((out, shown.is_empty()))
}

/// `--format json`: the semantic changes per object, as data.
pub fn json_diff(changes: &[ObjectChange], before_name: &str) -> Result<(Value, bool), String> {
    let mut objects = Vec::new();
    for change in changes {
        let found = compare_nodes(&parsed(change.before)?, &parsed(change.after)?);
        if found.is_empty() {
            continue;
        }
        let report = json_report(&found, before_name, &secrets_of(change));
        objects.push(json!({
            "object": change.object,
            "status": change.status(),
            "changes": report["changes"],
        }));
    }
    let identical = objects.is_empty();
    Ok((
        json!({
            "format_version": 1,
            "target": "kubernetes",
            "file": before_name,
            "identical": identical,
            "objects": objects,
        }),
        identical,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(kind: &str, name: &str, body: &str) -> String {
        format!("kind: {kind}\nmetadata:\n  name: {name}\n{body}")
    }

    #[test]
    fn a_stream_splits_into_named_objects() {
        let stream = format!(
            "# comment only\n---\n{}---\n{}",
            document("Deployment", "a", ""),
            document("Service", "a", "")
        );
        let documents = split_stream(&stream, "all.yaml").unwrap();
        let names: Vec<&str> = documents.iter().map(|d| d.object.as_str()).collect();
        assert_eq!(names, ["Deployment/a", "Service/a"]);
        assert_eq!(documents[1].source, "all.yaml (document 3)");
    }

    #[test]
    fn a_list_stands_for_its_items_without_what_the_server_adds() {
        let list = "apiVersion: v1\nkind: List\nitems:\n- kind: Service\n  metadata:\n    name: a\n    uid: 1234\n    resourceVersion: \"7\"\n    labels:\n      app: a\n  status:\n    loadBalancer: {}\n- kind: Deployment\n  metadata:\n    name: a\nmetadata:\n  resourceVersion: \"\"\n";
        let documents = split_stream(list, "<stdin>").unwrap();
        let names: Vec<&str> = documents.iter().map(|d| d.object.as_str()).collect();
        assert_eq!(names, ["Service/a", "Deployment/a"]);
        assert_eq!(documents[0].source, "<stdin> (item 1)");
        assert!(
            documents[0].text.contains("app: a"),
            "{}",
            documents[0].text
        );
        for gone in ["uid", "resourceVersion", "status"] {
            assert!(!documents[0].text.contains(gone), "{}", documents[0].text);
        }
    }

    #[test]
    fn objects_pair_by_kind_and_name_and_each_change_is_named() {
        let before = vec![
            Document {
                object: "Deployment/a".into(),
                source: "old/a.yaml".into(),
                text: document("Deployment", "a", "spec: 1\n"),
            },
            Document {
                object: "Service/gone".into(),
                source: "old/gone.yaml".into(),
                text: document("Service", "gone", ""),
            },
            Document {
                object: "Service/same".into(),
                source: "old/same.yaml".into(),
                text: document("Service", "same", ""),
            },
        ];
        let after = vec![
            Document {
                object: "Service/same".into(),
                source: "same.yaml".into(),
                text: document("Service", "same", ""),
            },
            Document {
                object: "Deployment/a".into(),
                source: "a.yaml".into(),
                text: document("Deployment", "a", "spec: 2\n"),
            },
            Document {
                object: "Service/new".into(),
                source: "new.yaml".into(),
                text: document("Service", "new", ""),
            },
        ];
        let found = changes(&before, &after);
        let statuses: Vec<(&str, &str)> = found.iter().map(|c| (c.object, c.status())).collect();
        assert_eq!(
            statuses,
            [
                ("Deployment/a", "changed"),
                ("Service/new", "added"),
                ("Service/gone", "removed")
            ]
        );
        let text = text_diff(&found, 3, Palette::PLAIN);
        assert!(
            text.contains("Deployment/a (changed)\n--- old/a.yaml\n"),
            "{text}"
        );
        assert!(text.contains("-spec: 1\n+spec: 2\n"), "{text}");
        assert!(
            text.ends_with("1 objects changed, 1 added, 1 removed\n"),
            "{text}"
        );
        let (semantic, identical) = semantic_diff(&found, Palette::PLAIN).unwrap();
        assert!(!identical);
        assert!(semantic.contains("spec"), "{semantic}");
    }
}
