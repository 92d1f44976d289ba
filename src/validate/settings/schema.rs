//! The env schema: which text each key accepts, and the keys whose value
//! it refuses.

use super::model::{Origin, RawSetting};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The env schema (`schemas/env.schema.json`): the one place that says
/// which text each key accepts; `acegen schema env` prints it.
pub const ENV_SCHEMA_TEXT: &str = include_str!("../../../schemas/env.schema.json");

/// The parsed env schema and each key's "expected …" text, read once per process.
struct EnvSchema {
    schema: Value,
    expected: BTreeMap<String, String>,
}

fn env_schema() -> &'static EnvSchema {
    static SCHEMA: OnceLock<EnvSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(ENV_SCHEMA_TEXT).expect("embedded schema is JSON");
        let expected = schema["properties"]
            .as_object()
            .expect("the env schema has properties")
            .iter()
            .map(|(key, property)| {
                let text = property["x-expected"].as_str().unwrap_or("a valid value");
                (key.clone(), text.to_owned())
            })
            .collect();
        EnvSchema { schema, expected }
    })
}

/// A validator for the env schema restricted to `keys`: compiling a
/// pattern costs far more than matching it, and a `.env` sets only a few of
/// the keys, so only their properties are compiled. The schema uses nothing
/// newer than draft 7, whose meta-schema is the cheapest to check it against.
pub(super) fn env_validator_for(keys: &[&str]) -> jsonschema::Validator {
    let mut schema = env_schema().schema.clone();
    if let Some(properties) = schema["properties"].as_object_mut() {
        properties.retain(|key, _| keys.contains(&key.as_str()));
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .expect("embedded schema compiles")
}

/// The names of the properties the env schema describes.
pub fn env_schema_keys() -> Vec<&'static str> {
    env_schema().expected.keys().map(String::as_str).collect()
}

/// What `key` accepts, in words, from the schema's `x-expected`.
pub(super) fn expected_for(key: &str) -> &'static str {
    env_schema()
        .expected
        .get(key)
        .map_or("a valid value", String::as_str)
}

/// Keys whose (trimmed, non-empty) value the env schema refuses. Each schema
/// error's instance path is `/KEY`, which names the key. Defaults are not
/// checked: they are constants, and a test holds them to the full schema.
pub(super) fn keys_refused_by_schema(
    raw: &BTreeMap<&'static str, RawSetting>,
) -> BTreeSet<&'static str> {
    let values: Map<String, Value> = raw
        .iter()
        .filter(|(_, setting)| setting.origin != Origin::Default)
        .filter_map(|(key, setting)| {
            let text = setting.text.as_deref()?.trim();
            (!text.is_empty()).then(|| ((*key).to_owned(), Value::from(text)))
        })
        .collect();
    if values.is_empty() {
        return BTreeSet::new();
    }
    let keys: Vec<&str> = values.keys().map(String::as_str).collect();
    let validator = env_validator_for(&keys);
    let document = Value::Object(values);
    validator
        .iter_errors(&document)
        .filter_map(|error| {
            let pointer = error.instance_path().as_str().to_owned();
            let name = pointer.strip_prefix('/')?.split('/').next()?.to_owned();
            raw.keys().copied().find(|key| *key == name)
        })
        .collect()
}
