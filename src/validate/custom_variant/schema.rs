//! The custom variant JSON Schema and the problems it finds, each at the
//! offending value.

use super::error::CustomVariantError;
use crate::load::json_positions::JsonPositions;
use serde_json::Value;
use std::sync::OnceLock;

pub const SCHEMA_TEXT: &str = include_str!("../../../schemas/custom-variant.schema.json");

fn compiled_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA_TEXT).expect("embedded schema is JSON");
        jsonschema::validator_for(&schema).expect("embedded schema compiles")
    })
}

/// The longest schema message kept whole: jsonschema quotes the offending
/// value, which may be a whole (minified) file.
const MESSAGE_WIDTH: usize = 240;

/// `text` cut in the middle with `…` when it is longer than `width` characters.
fn clipped(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let head: String = text.chars().take(width * 2 / 3).collect();
    let tail: Vec<char> = text.chars().rev().take(width / 3).collect();
    format!("{head}…{}", tail.into_iter().rev().collect::<String>())
}

pub(super) fn schema_problems(
    document: &Value,
    positions: &JsonPositions,
) -> Vec<CustomVariantError> {
    compiled_schema()
        .iter_errors(document)
        .map(|error| {
            let pointer = error.instance_path().as_str().to_owned();
            let field = if pointer.is_empty() {
                "the file".to_owned()
            } else {
                pointer.trim_start_matches('/').replace('/', ".")
            };
            CustomVariantError::error(
                "E0302",
                format!("{field}: {}", clipped(&error.to_string(), MESSAGE_WIDTH)),
                positions.find(&pointer),
            )
            .hint(format!(
                "see `acegen schema custom-variant` for what {field} accepts"
            ))
        })
        .collect()
}
