//! The body of 2.1's `POST /api/v1/settings` that gives its settings store
//! the values `.env` meant.
//!
//! Facts of 2.1's code (v2.1.0.2): the handler (`api/management.go`
//! `mgHandleUpdateAllSettings`) decodes `{"<category>": {<field>: value}}`,
//! skips unknown categories, and hands each category to
//! `persistence/settings.go` `SettingsStore.Save`, which MERGES the payload
//! into the stored category ("Merging (rather than replacing) ensures that
//! fields not present in the payload … are not silently dropped"), then
//! normalises it. So a body holding only the fields `.env` sets changes
//! those and nothing else. It accepts engine_config as a fifth category
//! (`mgValidCategories`); the engine keys of `.env` land there.
//!
//! VPN credentials never go into the body (see [`super::SECRETS_ADVICE`]).

use super::fields::{self, Category, Field, Json, Rule};
use super::goparse;
use super::keys::{self, Fate, Parse};
use super::Entry;
use serde_json::{Map, Value};

/// A value for one field, and the key it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub key: String,
    pub field: Field,
    pub value: Value,
}

/// Why a key's value cannot go into the store as `.env` meant it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unstorable {
    pub key: String,
    pub message: String,
}

/// Converts `text` (as `.env` holds it, read the way the 1.x orchestrator
/// meant it) into the field's JSON value, or says why it cannot be stored
/// as meant. `parse` is how the key's text is written.
pub fn convert(parse: Parse, field: &Field, text: &str) -> Result<Value, String> {
    let text = text.trim();
    let value = match field.json {
        Json::Int => match parse {
            Parse::Duration => {
                let seconds = duration_seconds(text).ok_or(
                    "expected a number of seconds (`30`, or a duration such as `30s` or `2m`)",
                )?;
                if seconds.fract() != 0.0 {
                    return Err(format!(
                        "2.1 stores {} in whole seconds; {seconds} s is not",
                        field.path()
                    ));
                }
                Value::from(seconds as i64)
            }
            _ => Value::from(goparse::atoi(text).ok_or("expected a whole number")?),
        },
        Json::Float => {
            let number = match parse {
                Parse::Duration => duration_seconds(text),
                _ => goparse::parse_float(text),
            };
            Value::from(number.ok_or("expected a number")?)
        }
        Json::Bool => Value::from(lenient_bool(text).ok_or("expected true or false")?),
        Json::Str => match field.rule {
            Rule::OneOf(allowed) => {
                let found = allowed.iter().find(|a| a.eq_ignore_ascii_case(text));
                let default = field.default.trim_matches('"');
                let allowed = allowed.join(" or ");
                Value::from(*found.ok_or_else(|| {
                    format!(
                        "2.1 stores only {allowed} in {} (anything else becomes {default})",
                        field.path()
                    )
                })?)
            }
            _ => Value::from(text),
        },
        Json::StrList => Value::from(goparse::parse_list(text)),
    };
    check_rule(field, &value)?;
    Ok(value)
}

/// Seconds in a `*_S` key: a bare number (as 1.x read it, fractions
/// included) or a Go duration.
fn duration_seconds(text: &str) -> Option<f64> {
    goparse::parse_float(text).or_else(|| goparse::go_parse_duration(text))
}

/// `true`/`false` in any case, `1`/`0`, `yes`/`no`, `on`/`off`: what 1.x took.
fn lenient_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "t" => Some(true),
        "false" | "0" | "no" | "off" | "f" => Some(false),
        _ => None,
    }
}

fn check_rule(field: &Field, value: &Value) -> Result<(), String> {
    let number = value.as_f64();
    let path = field.path();
    match (field.rule, number) {
        (Rule::Clamp { min, max }, Some(n)) if n < min as f64 || n > max as f64 => {
            let to = if n < min as f64 { min } else { max };
            Err(format!(
                "2.1 clamps {path} into {min}..={max}, so it would store {to}"
            ))
        }
        (Rule::AtLeast { min }, Some(n)) if n < min as f64 => Err(format!(
            "2.1 replaces a {path} below {min} with its default {}",
            field.default
        )),
        (Rule::Positive, Some(n)) if n <= 0.0 => Err(format!(
            "2.1 ignores a {path} of 0 or less (it keeps {})",
            field.default
        )),
        _ => Ok(()),
    }
}

/// Does this stored value last only until the next restart? A 0 where the
/// default is positive is dropped when the store is loaded (`loadCache`).
pub fn lasts_until_restart(field: &Field, value: &Value) -> bool {
    field.zero_is_dropped_at_load() && value.as_f64() == Some(0.0)
}

/// Keys of 1.x (and of its Gluetun services) whose meaning 2.1 keeps under
/// another name: used when `.env` does not give the 2.1 key itself.
const CARRIED: &[(&str, Field, &str)] = &[
    (
        "ACEXY_MAX_STREAMS_PER_ENGINE",
        fields::MAX_STREAMS_PER_ENGINE,
        "MAX_STREAMS_PER_ENGINE",
    ),
    ("VPN_SERVICE_PROVIDER", fields::VPN_PROVIDER, "VPN_PROVIDER"),
    ("VPN_TYPE", fields::VPN_PROTOCOL, "VPN_PROTOCOL"),
];

/// Gluetun's server filters, as 2.1's region tags (node_provisioner.go applyRegionEnv).
const REGION_TAGS: &[(&str, &str)] = &[
    ("SERVER_COUNTRIES", "country"),
    ("SERVER_CITIES", "city"),
    ("SERVER_REGIONS", "region"),
    ("SERVER_HOSTNAMES", "hostname"),
];

/// Every field value `.env` gives the store, and the keys that cannot be stored as meant.
pub fn assignments(entries: &[Entry]) -> (Vec<Assignment>, Vec<Unstorable>) {
    let given = |key: &str| entries.iter().any(|e| e.key == key);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut push =
        |key: &str, parse: Parse, field: Field, text: &str| match convert(parse, &field, text) {
            Ok(value) => out.push(Assignment {
                key: key.to_owned(),
                field,
                value,
            }),
            Err(message) => problems.push(Unstorable {
                key: key.to_owned(),
                message,
            }),
        };
    let mut regions: Vec<(String, Value)> = Vec::new();
    for entry in entries {
        let key = entry.key.as_str();
        let row = keys::lookup(key);
        if let Some(keys::Row {
            fate: Fate::Stored(field),
            parse,
            ..
        }) = row
        {
            push(key, parse, field, &entry.value);
        } else if let Some((_, field, modern)) = CARRIED.iter().find(|(old, ..)| *old == key) {
            if !given(modern) {
                push(key, Parse::Text, *field, &entry.value);
            }
        } else if key == "GLUETUN_CONTAINER_NAME"
            && !given("VPN_ENABLED")
            && !entry.value.trim().is_empty()
        {
            // In 1.x a VPN container's name is what switches the VPN on.
            push(key, Parse::Bool, fields::VPN_ENABLED, "true");
        } else if let Some((_, tag)) = REGION_TAGS.iter().find(|(name, _)| *name == key) {
            if !given("VPN_REGIONS") {
                let tagged = goparse::parse_list(&entry.value)
                    .into_iter()
                    .map(|v| Value::from(format!("{tag}:{v}")));
                regions.push((key.to_owned(), Value::Array(tagged.collect())));
            }
        }
    }
    if !regions.is_empty() {
        let keys: Vec<&str> = regions.iter().map(|(k, _)| k.as_str()).collect();
        let all: Vec<Value> = regions
            .iter()
            .flat_map(|(_, v)| v.as_array().cloned().unwrap_or_default())
            .collect();
        out.push(Assignment {
            key: keys.join(", "),
            field: fields::VPN_REGIONS,
            value: Value::Array(all),
        });
    }
    (out, problems)
}

/// The body: one object per category that `.env` gives a value for, each
/// holding only those fields (sorted, so the output is stable).
pub fn body(assignments: &[Assignment]) -> Value {
    let mut root = Map::new();
    for category in Category::ALL {
        let mut fields = Map::new();
        for a in assignments.iter().filter(|a| a.field.category == category) {
            fields.insert(a.field.name.to_owned(), a.value.clone());
        }
        if !fields.is_empty() {
            root.insert(category.name().to_owned(), Value::Object(fields));
        }
    }
    Value::Object(root)
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
