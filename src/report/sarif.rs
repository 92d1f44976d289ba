//! `check --format sarif`: a SARIF 2.1.0 log on stdout, for GitHub code
//! scanning (`github/codeql-action/upload-sarif`) and other tools that read
//! static-analysis results. One run; one rule per diagnostic code present;
//! one result per diagnostic, bounded and clipped as in the `github` format
//! (the same people read it in the same place).

use crate::diagnostic::{Diagnostic, Severity};
use crate::pipeline::Compilation;
use serde_json::{json, Value};

use super::excerpt::clipped;
use super::limits::{bounded, MAX_MESSAGE_CHARS};
use super::printable::printable;

pub const SARIF_VERSION: &str = "2.1.0";
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const HELP_URI: &str = "https://github.com/acegen/acegen/blob/main/docs/diagnostics.md";

/// The log as pretty-printed JSON with a final newline.
pub fn render(compilation: &Compilation) -> String {
    let all = super::ordered(compilation);
    let (shown, omitted) = bounded(&all);
    let mut codes: Vec<&'static str> = shown.iter().map(|d| d.code).collect();
    codes.extend(omitted.iter().map(|o| o.code));
    codes.sort_unstable();
    codes.dedup();
    // A diagnostic about no particular file (a `--set`, a missing folder)
    // is shown on the .env file: code scanning attaches every result to one.
    let fallback = compilation
        .inputs
        .env
        .as_ref()
        .map(|f| f.path.as_str().to_owned());
    let mut results: Vec<Value> = shown
        .iter()
        .map(|d| result(d, &codes, fallback.as_deref()))
        .collect();
    results.extend(omitted.iter().map(|group| {
        let file = group.file.clone().or_else(|| fallback.clone());
        json!({
            "ruleId": group.code,
            "ruleIndex": rule_index(&codes, group.code),
            "level": "note",
            "message": { "text": group.describe() },
            "locations": file.map(|f| vec![location(&f, None)]).unwrap_or_default(),
        })
    }));
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| json!({ "id": code, "name": code, "helpUri": HELP_URI }))
        .collect();
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": { "driver": {
                "name": "acegen",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/acegen/acegen",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("the log always serialises");
    text.push('\n');
    text
}

fn rule_index(codes: &[&str], code: &str) -> usize {
    codes.iter().position(|c| *c == code).unwrap_or_default()
}

fn result(diagnostic: &Diagnostic, codes: &[&str], fallback: Option<&str>) -> Value {
    let level = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let mut text = clipped(&printable(&diagnostic.message), MAX_MESSAGE_CHARS);
    if let Some(hint) = &diagnostic.hint {
        text.push_str("\nhint: ");
        text.push_str(&clipped(&printable(hint), MAX_MESSAGE_CHARS));
    }
    // The generated output and standard input are in no file of the repository.
    let in_file = diagnostic
        .location
        .as_ref()
        .filter(|l| !l.file.as_str().starts_with('<'));
    let locations: Vec<Value> = match (in_file, fallback) {
        (Some(l), _) => vec![location(l.file.as_str(), l.position.map(|p| (p, l.length)))],
        (None, Some(file)) => vec![location(file, None)],
        (None, None) => Vec::new(),
    };
    json!({
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index(codes, diagnostic.code),
        "level": level,
        "message": { "text": text },
        "locations": locations,
    })
}

fn location(file: &str, region: Option<(crate::diagnostic::Position, u32)>) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": uri(file) } });
    if let Some((position, length)) = region {
        physical["region"] = json!({
            "startLine": position.line.max(1),
            "startColumn": position.column.max(1),
            "endColumn": position.column.max(1) + length.max(1),
        });
    }
    json!({ "physicalLocation": physical })
}

/// A path as a URI reference: relative paths stay relative (to the folder
/// acegen ran in, the repository's root in CI), absolute ones become
/// `file://` URIs; characters outside a URI's path are percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("stack/.env"), "stack/.env");
        assert_eq!(uri("my stack/.env#1"), "my%20stack/.env%231");
        assert_eq!(uri("/srv/é.env"), "file:///srv/%C3%A9.env");
    }
}
