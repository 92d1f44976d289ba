//! The forms compose reads as equal, rewritten into one form before two
//! documents are compared (see docs/diff.md):
//! - a scalar equals another with the same text (`8000` = `"8000"`,
//!   `true` = `"true"`), wherever it appears;
//! - `environment`, `labels` (and `build.args`) in list form `[K=V, K]`
//!   equal the map form `{K: V, K: null}`;
//! - `depends_on: [a]` equals `{a: {condition: service_started}}`,
//!   `networks: [a]` equals `{a: null}` (in a service);
//! - a `command` / `entrypoint` string without quotes, escapes or `$`
//!   equals the list of its words; a `healthcheck.test` string equals
//!   `["CMD-SHELL", string]`.

use super::node::Node;

/// Rewrites the forms compose reads as equal into one form.
pub(super) fn normalise(document: &mut Node) {
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
