//! The manifests' text, written directly from the objects' serialised
//! values in block style: every string double-quoted (`render::yaml`), so
//! that no reader, YAML 1.1 or 1.2, can take one for a boolean, a number,
//! a date or a null; keys plain only where both read them as the same
//! string. Linear in the size of the object, and generic over objects: any
//! `Serialize` object goes through `serde_yaml::to_value`, which keeps the
//! fields in declaration order. The property tests in tests.rs prove that
//! the text reads back as exactly the value the checks saw.

use crate::render::yaml::{key_into, quote_into};
use serde_yaml::Value;
use std::fmt::Write;

/// `value` (a mapping at the top) as a block YAML document.
pub fn document(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Mapping(map) if !map.is_empty() => mapping(&mut out, map, 0, false),
        other => {
            scalar(&mut out, other);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, width: usize) {
    out.extend(std::iter::repeat_n(' ', width));
}

/// The entries of `map` at `width`; with `inline_first` the first entry
/// continues the line a `- ` began.
fn mapping(out: &mut String, map: &serde_yaml::Mapping, width: usize, inline_first: bool) {
    for (n, (key, value)) in map.iter().enumerate() {
        if n > 0 || !inline_first {
            indent(out, width);
        }
        match key {
            Value::String(text) => plain_or_quoted_key(out, text),
            other => scalar(out, other),
        }
        out.push(':');
        match value {
            Value::Mapping(inner) if !inner.is_empty() => {
                out.push('\n');
                mapping(out, inner, width + 2, false);
            }
            // A sequence under a key sits at the key's indentation, as kubectl prints it.
            Value::Sequence(items) if !items.is_empty() => {
                out.push('\n');
                sequence(out, items, width);
            }
            other => {
                out.push(' ');
                scalar(out, other);
                out.push('\n');
            }
        }
    }
}

/// As `render::yaml::key`, and a `/` (label keys' prefix, `app.kubernetes.io/name`)
/// keeps a key plain too: it means nothing to YAML inside a plain scalar.
fn plain_or_quoted_key(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let plain = bytes
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/'));
    // Words YAML reads as booleans or null have no `/`: `yaml::key` decides those.
    if plain && text.contains('/') {
        out.push_str(text);
    } else {
        key_into(out, text);
    }
}

fn sequence(out: &mut String, items: &[Value], width: usize) {
    for item in items {
        indent(out, width);
        out.push('-');
        match item {
            Value::Mapping(inner) if !inner.is_empty() => {
                out.push(' ');
                mapping(out, inner, width + 2, true);
            }
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push('\n');
                sequence(out, inner, width + 2);
            }
            other => {
                out.push(' ');
                scalar(out, other);
                out.push('\n');
            }
        }
    }
}

fn scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(text) => quote_into(out, text),
        Value::Sequence(_) => out.push_str("[]"),
        Value::Mapping(_) => out.push_str("{}"),
        // acegen's objects carry no tags; written as the value they wrap.
        Value::Tagged(tagged) => scalar(out, &tagged.value),
    }
}

#[cfg(test)]
mod tests {
    use super::document;
    use proptest::prelude::*;
    use serde_yaml::Value;

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<u32>().prop_map(|n| Value::Number(n.into())),
            any::<i64>().prop_map(|n| Value::Number(n.into())),
            any::<String>().prop_map(Value::String),
            "(yes|No|ON|off|y|N|~|null|1_000|0x_1F|0o17|0b101|\\.inf|\\.NaN|1:20|2001-12-14|=|<<|-|\\? x|a: b|#c)"
                .prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
                prop::collection::vec(("[A-Za-z0-9_.=/ -]{1,8}", inner), 0..4).prop_map(
                    |entries| {
                        Value::Mapping(
                            entries
                                .into_iter()
                                .map(|(k, v)| (Value::String(k), v))
                                .collect(),
                        )
                    }
                ),
            ]
        })
    }

    proptest! {
        /// Whatever the object holds, its text reads back as that object.
        #[test]
        fn every_value_reads_back_as_written(entries in prop::collection::vec(("[a-zA-Z0-9_.-]{1,8}", any_value()), 1..5)) {
            let value = Value::Mapping(entries.into_iter().map(|(k, v)| (Value::String(k), v)).collect());
            let text = document(&value);
            let back: Value = serde_yaml::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(back, value, "{}", text);
        }
    }

    #[test]
    fn sequences_sit_at_their_keys_indentation_and_every_string_is_quoted() {
        let value: Value =
            serde_yaml::from_str("a:\n  b:\n  - name: yes\n    port: 80\n  - []\n  c: {}\n")
                .unwrap();
        assert_eq!(
            document(&value),
            "a:\n  b:\n  - name: \"yes\"\n    port: 80\n  - []\n  c: {}\n"
        );
    }
}
