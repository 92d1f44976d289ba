//! The custom variant schema's findings in words, as the `.env` errors are
//! written: what was found and what is expected ("expected a size such as
//! 512m or 1g"), never a regular expression or a schema keyword.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::JsonType;
use serde_json::Value;

/// What the schema refused at `pointer`, in words. `found` is the value as
/// it may be quoted (already clipped); `fallback` the validator's own text.
pub(super) fn in_words(
    kind: &ValidationErrorKind,
    pointer: &str,
    found: &str,
    fallback: String,
) -> String {
    match kind {
        ValidationErrorKind::Pattern { .. } => {
            format!("expected {}, found {found}", form_expected_at(pointer))
        }
        ValidationErrorKind::Type { kind } => {
            format!("expected {}, found {found}", types_in_words(kind))
        }
        ValidationErrorKind::Required { property } => match property.as_str() {
            Some("platform") => "`platform` is missing: an enabled custom variant names its platform (amd64, arm32 or arm64)".to_owned(),
            Some(name) if pointer.starts_with("/parameters/") => format!(
                "`{name}` is missing: every parameter has a name, a type, a value and enabled"
            ),
            Some(name) => format!("`{name}` is missing"),
            None => fallback,
        },
        ValidationErrorKind::Minimum { limit } => format!("expected at least {limit}, found {found}"),
        ValidationErrorKind::Maximum { limit } => format!("expected at most {limit}, found {found}"),
        _ => fallback,
    }
}

/// The forms the schema's patterns ask for.
fn form_expected_at(pointer: &str) -> &'static str {
    if pointer == "/memory_limit" {
        "a size such as 512m or 1g (digits, then b, k, m or g), or \"0\" for none"
    } else if pointer.starts_with("/parameters/") && pointer.ends_with("/name") {
        "an engine flag such as --live-buffer (two dashes, then letters, digits and `-`)"
    } else {
        "another form (see `acegen schema custom-variant`)"
    }
}

fn types_in_words(kind: &TypeKind) -> String {
    let types: Vec<JsonType> = match kind {
        TypeKind::Single(t) => vec![*t],
        TypeKind::Multiple(set) => set.into_iter().collect(),
    };
    let words: Vec<&str> = types.iter().map(|t| type_in_words(*t)).collect();
    words.join(" or ")
}

fn type_in_words(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "a list [ … ]",
        JsonType::Boolean => "true or false",
        JsonType::Integer => "a whole number",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "an object { … }",
        JsonType::String => "text in double quotes",
    }
}

/// How a found value is quoted in a message: JSON text, clipped.
pub(super) fn quoted(value: &Value, width: usize) -> String {
    let text = value.to_string();
    if text.chars().count() <= width {
        return format!("`{text}`");
    }
    let head: String = text.chars().take(width).collect();
    format!("`{head}…`")
}
