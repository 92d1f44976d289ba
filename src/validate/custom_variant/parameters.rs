//! The engine parameters: allocated, unknown or repeated names, and the
//! value each passes to the engine.

use super::error::CustomVariantError;
use super::model::{Parameter, ParameterValue};
use crate::diagnostic::{Position, Severity};
use crate::load::json_positions::JsonPositions;
use crate::variants;
use serde_json::Value;
use std::collections::HashSet;

pub(super) fn parameters(
    source: &str,
    document: &Value,
    positions: &JsonPositions,
    problems: &mut Vec<CustomVariantError>,
) -> Vec<Parameter> {
    let Some(items) = document.get("parameters").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut seen: HashSet<&str> = HashSet::new();
    let mut parameters = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let name = item["name"].as_str().unwrap_or_default();
        let name_at = positions.find(&format!("/parameters/{index}/name"));
        if variants::ALLOCATED_PARAMETERS.contains(&name) {
            problems.push(
                CustomVariantError::error(
                    "E0304",
                    format!("parameter `{name}` is allocated by acegen and cannot be set"),
                    name_at,
                )
                .hint("remove it: acegen gives every engine its own HTTP and HTTPS ports"),
            );
        } else if !variants::KNOWN_PARAMETERS.contains(&name) {
            problems.push(unknown_parameter_warning(name, name_at));
        }
        if !seen.insert(name) {
            problems.push(CustomVariantError {
                severity: Severity::Warning,
                code: "W0302",
                message: format!(
                    "parameter `{name}` appears more than once; every enabled copy is passed"
                ),
                position: name_at,
                hint: Some("keep one entry per parameter".to_owned()),
            });
        }
        let value_pointer = format!("/parameters/{index}/value");
        let value = parameter_value(item).unwrap_or_else(|expected| {
            let found = positions
                .token(source, &value_pointer)
                .map_or_else(|| item["value"].to_string(), str::to_owned);
            problems.push(
                CustomVariantError::error(
                    "E0306",
                    format!("parameters.{index}.value: expected {expected}, found `{found}`"),
                    positions.find(&value_pointer),
                )
                .hint("write the number as digits only, e.g. 10: the engine reads no fraction or exponent"),
            );
            ParameterValue::Integer(0)
        });
        parameters.push(Parameter {
            name: name.to_owned(),
            value,
            enabled: item["enabled"].as_bool() == Some(true),
            position: positions.find(&format!("/parameters/{index}")),
        });
    }
    parameters
}

fn unknown_parameter_warning(name: &str, at: Option<(Position, usize)>) -> CustomVariantError {
    let nearest = variants::KNOWN_PARAMETERS
        .iter()
        .min_by_key(|known| strsim::levenshtein(known, name))
        .copied()
        .unwrap_or("--live-buffer");
    CustomVariantError {
        severity: Severity::Warning,
        code: "W0301",
        message: format!("unknown parameter `{name}`; it is passed to the engine as written"),
        position: at,
        hint: Some(format!("did you mean `{nearest}`?")),
    }
}

/// The value as the engine gets it. A number must be written as a whole
/// number that fits an i64 (at least 0 for `bytes`): JSON Schema calls `10.0`
/// and `1e2` integers, and `as_i64` gives nothing for them nor for
/// `18446744073709551615`, which once became a silent `--live-buffer 0`.
/// `Err` says what was expected.
fn parameter_value(item: &Value) -> Result<ParameterValue, &'static str> {
    let bytes = item["type"].as_str() == Some("bytes");
    Ok(match &item["value"] {
        Value::Bool(b) => ParameterValue::Flag(*b),
        Value::Number(n) => match n.as_i64() {
            Some(n) if bytes && n < 0 => return Err(BYTES_EXPECTED),
            Some(n) => ParameterValue::Integer(n),
            None if bytes => return Err(BYTES_EXPECTED),
            None => return Err(INTEGER_EXPECTED),
        },
        Value::String(s) => ParameterValue::Text(s.clone()),
        other => ParameterValue::Text(other.to_string()),
    })
}

const INTEGER_EXPECTED: &str =
    "a whole number without fraction or exponent, from -9223372036854775808 to 9223372036854775807";
const BYTES_EXPECTED: &str =
    "a whole number of bytes without fraction or exponent, from 0 to 9223372036854775807";
