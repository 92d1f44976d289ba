//! A duplicate mapping key in the rendered text. The parse-back reads the
//! text into a `serde_json::Value`, whose maps keep the last of two equal
//! keys, so a template (or an injected line) that writes `services:` twice
//! would pass the check while compose reads something else, or refuses the
//! file. This walks the YAML once, keeping only each mapping's keys.

use super::RenderError;
use crate::diagnostic::Position;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;

/// The first mapping key that appears twice in one mapping, if any. Text
/// that is not YAML is left to the parse-back, which reports it.
pub fn duplicate_key(text: &str) -> Option<RenderError> {
    let error = serde_yaml::from_str::<NoDuplicateKeys>(text).err()?;
    let message = error.to_string();
    // serde_yaml writes `path: duplicate key K at line L column C`.
    let (_, after) = message.split_once(DUPLICATE)?;
    let key = after.split(" at line ").next()?.to_owned();
    // serde_yaml places the error at the mapping; the second key is below.
    let mapping = error
        .location()
        .map(|l| Position::new(l.line() as u32, l.column() as u32));
    Some(RenderError::DuplicateKey {
        position: mapping.map(|at| second_key_line(text, at, &key).unwrap_or(at)),
        key,
    })
}

/// In a block mapping starting at `mapping`, where the second line holding
/// `key:` at the mapping's column is; `None` for a flow mapping.
fn second_key_line(text: &str, mapping: Position, key: &str) -> Option<Position> {
    let indent = mapping.column.saturating_sub(1) as usize;
    let plain = format!("{key}:");
    let quoted = format!("{}:", crate::render::yaml::quote(key));
    text.lines()
        .enumerate()
        .skip(mapping.line.saturating_sub(1) as usize)
        .filter(|(_, line)| {
            line.len() > indent
                && line.is_char_boundary(indent)
                && line[..indent].trim().is_empty()
                && (line[indent..].starts_with(&plain) || line[indent..].starts_with(&quoted))
        })
        .nth(1)
        .map(|(i, _)| Position::new(i as u32 + 1, mapping.column))
}

const DUPLICATE: &str = "duplicate key ";

/// Deserializes any YAML, failing on a mapping with two equal keys.
struct NoDuplicateKeys;

/// A mapping key as text: scalars compare by their value, as compose does.
struct KeyText(Option<String>);

impl<'de> Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NoDuplicateKeys;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        NoDuplicateKeys::deserialize(d)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A tagged value (`!tag x`): its content is checked like any other.
        let (_, variant) = data.variant::<IgnoredAny>()?;
        de::VariantAccess::newtype_variant::<NoDuplicateKeys>(variant)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        while items.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(NoDuplicateKeys)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seen = HashSet::new();
        while let Some(KeyText(key)) = map.next_key::<KeyText>()? {
            if let Some(key) = key {
                if !seen.insert(key.clone()) {
                    return Err(de::Error::custom(format!("{DUPLICATE}{key}")));
                }
            }
            map.next_value::<NoDuplicateKeys>()?;
        }
        Ok(NoDuplicateKeys)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(KeyText(Some(v.to_owned())))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(KeyText(Some("null".to_owned())))
    }

    // A sequence, mapping or tagged key is unusual in compose; it is
    // checked inside but not compared with its siblings.
    fn visit_seq<A: SeqAccess<'de>>(self, items: A) -> Result<Self::Value, A::Error> {
        NodeVisitor.visit_seq(items).map(|_| KeyText(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        NodeVisitor.visit_map(map).map(|_| KeyText(None))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        NodeVisitor.visit_enum(data).map(|_| KeyText(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<(String, Option<Position>)> {
        match duplicate_key(text)? {
            RenderError::DuplicateKey { key, position } => Some((key, position)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_second_top_level_key_is_found_at_its_line() {
        let text = "# header\nservices:\n  a:\n    image: \"x\"\ninclude: [evil.yml]\nservices:\n  b: {}\n";
        let (key, position) = found(text).unwrap();
        assert_eq!(key, "services");
        assert_eq!(position.map(|p| p.line), Some(6));
    }

    #[test]
    fn nested_duplicates_are_found_and_equal_scalars_compare_by_value() {
        assert_eq!(
            found("services:\n  a:\n    image: x\n    image: y\n")
                .unwrap()
                .0,
            "image"
        );
        assert_eq!(found("a: 1\n\"a\": 2\n").unwrap().0, "a");
        assert_eq!(found("- {x: 1}\n- {x: 1, y: 2, x: 3}\n").unwrap().0, "x");
    }

    #[test]
    fn distinct_keys_and_non_yaml_pass() {
        assert_eq!(found("a: 1\nb: {a: 1}\nc: [a, a]\n"), None);
        assert_eq!(found("services: {}\n"), None);
        assert_eq!(found(": : :\n  - ["), None);
    }
}
