//! `explain --orchestrator 2.1`: the stack (with `--stack orchestrator`),
//! the body the settings store should get, and every key's fate. No value
//! of a secret-looking key, or one taken from the shell, is ever shown.

use super::keys::{self, Fate};
use super::settings::{self, Assignment};
use super::stack::{self, Stack21};
use super::Entry;
use serde_json::{json, Value};
use std::fmt::Write;

/// One word per fate, as `explain` shows it (documented in docs/explain.md).
pub fn fate_word(entry: &Entry) -> &'static str {
    match keys::lookup(&entry.key).map(|row| row.fate) {
        Some(Fate::ReadAsBefore) => "read",
        Some(Fate::Stored(_)) => "stored",
        Some(Fate::Removed { .. }) => "removed",
        Some(Fate::ReadDifferently { .. }) => "read-differently",
        Some(Fate::DocumentedNeverRead { .. }) => "documented-never-read",
        Some(Fate::ReadUnused) => "read-unused",
        Some(Fate::AcegenOnly { .. }) => "acegen-only",
        None => "unknown",
    }
}

fn field_of(entry: &Entry) -> Option<String> {
    match keys::lookup(&entry.key)?.fate {
        Fate::Stored(field) => Some(field.path()),
        _ => None,
    }
}

/// The explanation as data.
pub fn json(entries: &[Entry], with_stack: bool) -> Value {
    let (assignments, _) = settings::assignments(entries);
    let stack = with_stack.then(|| stack::resolve(entries).0).flatten();
    let keys: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "key": e.key,
                "fate": fate_word(e),
                "field": field_of(e),
                "from_set": e.from_set,
            })
        })
        .collect();
    json!({
        "orchestrator": "2.1",
        "release": super::RELEASE_TAG,
        "stack": stack.as_ref().map(stack_json),
        "settings": settings::body(&assignments),
        "keys": keys,
    })
}

fn stack_json(stack: &Stack21) -> Value {
    json!({
        "image": stack.image,
        "ports": [published(stack)],
        "network": stack.network,
        "config_volume": format!("{}:{}", stack::HOST_CONFIG_DIR, stack::CONFIG_DIR),
        "environment": stack.environment.iter().map(|(k, _)| k).collect::<Vec<_>>(),
    })
}

fn published(stack: &Stack21) -> String {
    let ip = stack
        .bind_ip
        .as_deref()
        .map_or(String::new(), |ip| format!("{ip}:"));
    format!("{ip}{}:{}", stack.host_port, stack.container_port)
}

/// The explanation for people.
pub fn text(entries: &[Entry], with_stack: bool) -> String {
    let mut out = format!("orchestrator 2.1 (release {})\n", super::RELEASE_TAG);
    if with_stack {
        if let (Some(stack), _) = stack::resolve(entries) {
            let _ = writeln!(
                out,
                "\nstack: one `orchestrator` service, no Gluetun service (2.1 creates its own)"
            );
            let _ = writeln!(out, "  image {}", stack.image);
            let _ = writeln!(
                out,
                "  dashboard and API published on {}",
                published(&stack)
            );
            let _ = writeln!(
                out,
                "  network {}; settings store in {}",
                stack.network,
                stack::HOST_CONFIG_DIR
            );
            let names: Vec<&str> = stack.environment.iter().map(|(k, _)| k.as_str()).collect();
            let _ = writeln!(
                out,
                "  environment (keys 2.1 reads): {}",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            );
        }
    } else {
        out.push_str(
            "\nno stack: the engines stack does not exist for 2.1; see --stack orchestrator\n",
        );
    }
    let (assignments, _) = settings::assignments(entries);
    out.push_str("\nsettings store (apply `acegen settings --orchestrator 2.1` with POST /api/v1/settings):\n");
    if assignments.is_empty() {
        out.push_str("  nothing: .env sets no stored setting\n");
    }
    for Assignment { key, field, value } in &assignments {
        let _ = writeln!(out, "  {} = {value}   (from {key})", field.path());
    }
    out.push_str("\nevery key:\n");
    for entry in entries {
        let origin = if entry.from_set { " (--set)" } else { "" };
        let field = field_of(entry).map_or(String::new(), |f| format!(" → {f}"));
        let _ = writeln!(out, "  {}{origin}: {}{field}", entry.key, fate_word(entry));
    }
    out
}
