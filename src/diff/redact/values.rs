//! The safety net under the line rules: parse the document, collect every
//! value a secret-looking key holds, and mask whole any line that still
//! shows a piece of one. It catches what the line rules cannot see: a value
//! anchored under an ordinary key and aliased under a secret one
//! (`x-common: &pw …` / `OPENVPN_PASSWORD: *pw`), a multi-line quoted value
//! whose lines are indented oddly, a Kubernetes `{name: KEY, value: …}`
//! item written in an unusual layout, or a secret under a key spelt in a
//! way they do not know. Every document of a multi-document file is read
//! (compose accepts them). The semantic report uses the same collection
//! ([`Secrets::holds_piece`]) to mask such values wherever they are shown.

use super::{is_plain_reference, is_secret_key, secret_assignment};
use crate::keys::looks_secret;
use aho_corasick::AhoCorasick;
use serde::Deserialize;
use serde_yaml::Value;
use std::collections::HashSet;

/// Pieces shorter than this are not searched for: a 3-byte piece would
/// mask most lines of the document (the line rules still mask their line).
const MIN_PIECE_BYTES: usize = 4;

/// serde_yaml refuses documents nested deeper than 128 levels, but only
/// after a parse whose time grows with the square of the depth; deeper
/// flow nesting is not parsed at all (nothing would be found in it).
const MAX_FLOW_DEPTH: usize = 128;

/// The secret values found in some YAML texts, split into the pieces
/// (at whitespace, 4 bytes or longer) that are searched for.
#[derive(Default)]
pub struct Secrets {
    searcher: Option<AhoCorasick>,
    /// Each secret whole, however short: a value equal to one is masked.
    whole: HashSet<String>,
}

impl Secrets {
    /// The secrets of every document of each text that parses (aliases
    /// resolved); a text that does not parse adds nothing.
    pub fn of_texts<'t>(texts: impl IntoIterator<Item = &'t str>) -> Secrets {
        let mut secrets = Vec::new();
        for text in texts {
            for document in documents(text) {
                collect_secrets(&document, false, &mut secrets);
            }
        }
        let mut pieces: Vec<&str> = secrets
            .iter()
            .flat_map(|secret| secret.split_whitespace())
            .filter(|piece| piece.len() >= MIN_PIECE_BYTES)
            .collect();
        pieces.sort_unstable();
        pieces.dedup();
        let searcher = (!pieces.is_empty())
            .then(|| AhoCorasick::new(&pieces).ok())
            .flatten();
        let whole = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        Secrets { searcher, whole }
    }

    /// For the semantic report of a compose FILE: values under secret keys
    /// are masked there by their place, so only a value that reaches a
    /// secret key through an alias (or merge key) can show elsewhere. Without
    /// a `*` in the text there is no alias, and the parse (as costly as the
    /// comparison on a large file) is skipped.
    pub fn reachable_through_aliases(text: &str) -> Secrets {
        if text.contains('*') {
            Secrets::of_texts([text])
        } else {
            Secrets::default()
        }
    }

    /// Is `text` one of the secrets, or does it hold a piece of one?
    pub fn holds_piece(&self, text: &str) -> bool {
        self.whole.contains(text)
            || self
                .searcher
                .as_ref()
                .is_some_and(|searcher| searcher.is_match(text))
    }
}

/// The documents of `text` that parse, in order; none when collections
/// nest too deep to parse quickly.
fn documents(text: &str) -> Vec<Value> {
    if flow_depth_exceeds(text, MAX_FLOW_DEPTH) {
        return Vec::new();
    }
    let mut documents = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        match Value::deserialize(document) {
            Ok(value) => documents.push(value),
            // A broken document ends the stream for the parser too.
            Err(_) => break,
        }
    }
    documents
}

/// Masks whole each line of `text` that holds a piece of a secret value;
/// `masked[i]` is line `i` as shown so far.
pub fn mask_lines_holding_secrets(text: &str, masked: &mut [String]) {
    let secrets = Secrets::of_texts([text]);
    let Some(searcher) = &secrets.searcher else {
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
/// the value of each `KEY=value` string whose KEY looks secret, and the
/// `value` of a Kubernetes-style `{name: KEY, value: …}` entry whose KEY
/// looks secret; plain `${NAME}` references excepted.
fn collect_secrets(node: &Value, under_secret: bool, secrets: &mut Vec<String>) {
    match node {
        Value::Mapping(map) => {
            let names_a_secret = map
                .get("name")
                .and_then(scalar_text)
                .is_some_and(|name| looks_secret(&name));
            for (key, value) in map {
                let key_text = scalar_text(key);
                let key_is_secret = key_text.as_deref().is_some_and(is_secret_key)
                    || (names_a_secret && key_text.as_deref() == Some("value"));
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
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        _ => None,
    }
}
