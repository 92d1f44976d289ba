//! The safety net under the line rules: parse the document, collect every
//! value a secret-looking key holds, and mask whole any line that still
//! shows a piece of one. It catches what the line rules cannot see, such as
//! a multi-line quoted value whose lines are indented oddly, or a secret
//! under a key spelt in a way they do not know.

use super::{is_plain_reference, secret_assignment};
use crate::keys::looks_secret;
use aho_corasick::AhoCorasick;
use serde_yaml::Value;

/// Pieces shorter than this are not searched for: a 3-byte piece would
/// mask most lines of the document (the line rules still mask their line).
const MIN_PIECE_BYTES: usize = 4;

/// serde_yaml refuses documents nested deeper than 128 levels, but only
/// after a parse whose time grows with the square of the depth; deeper
/// flow nesting is not parsed at all (nothing would be found in it).
const MAX_FLOW_DEPTH: usize = 128;

/// Masks whole each line of `text` that holds a piece of a secret value;
/// `masked[i]` is line `i` as shown so far.
pub fn mask_lines_holding_secrets(text: &str, masked: &mut [String]) {
    if flow_depth_exceeds(text, MAX_FLOW_DEPTH) {
        return;
    }
    let Ok(document) = serde_yaml::from_str::<Value>(text) else {
        return; // Not YAML: the line rules alone apply.
    };
    let mut secrets = Vec::new();
    collect_secrets(&document, false, &mut secrets);
    let mut pieces: Vec<&str> = secrets
        .iter()
        .flat_map(|secret| secret.split_whitespace())
        .filter(|piece| piece.len() >= MIN_PIECE_BYTES)
        .collect();
    pieces.sort_unstable();
    pieces.dedup();
    if pieces.is_empty() {
        return;
    }
    let Ok(searcher) = AhoCorasick::new(&pieces) else {
        return;
    };
    for (line, shown) in text.split_inclusive('\n').zip(masked.iter_mut()) {
        if searcher.is_match(shown.as_str()) {
            let indent = line.len() - line.trim_start().len();
            let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
            *shown = format!("{}<redacted>{ending}", &line[..indent]);
        }
    }
}

/// The secret values in `node`: every scalar under a secret-looking key,
/// and the value of each `KEY=value` string whose KEY looks secret;
/// plain `${NAME}` references excepted.
fn collect_secrets(node: &Value, under_secret: bool, secrets: &mut Vec<String>) {
    match node {
        Value::Mapping(map) => {
            for (key, value) in map {
                let key_is_secret = scalar_text(key).is_some_and(|k| looks_secret(&k));
                collect_secrets(value, under_secret || key_is_secret, secrets);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                collect_secrets(item, under_secret, secrets);
            }
        }
        Value::Tagged(tagged) => collect_secrets(&tagged.value, under_secret, secrets),
        scalar => {
            let Some(text) = scalar_text(scalar) else {
                return;
            };
            let secret = if under_secret {
                Some(text.as_str())
            } else {
                secret_assignment(&text).map(|(_, value)| value)
            };
            if let Some(secret) = secret.filter(|s| !is_plain_reference(s)) {
                secrets.push(secret.to_owned());
            }
        }
    }
}

/// Do `[` / `{` nest deeper than `limit` anywhere (quotes ignored, which
/// can only overcount)?
fn flow_depth_exceeds(text: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    for byte in text.bytes() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

fn scalar_text(node: &Value) -> Option<String> {
    match node {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
