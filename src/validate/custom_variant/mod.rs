//! Checks `custom_engine_variant.json`: JSON syntax, then the JSON Schema in
//! `schemas/`, then the rules a schema cannot say (docs/development/spec.md §1.2). Every problem
//! points at the line and column of the offending value.

mod error;
mod model;
mod parameters;
mod schema;
mod torrent_mount;
mod typed;

pub use error::CustomVariantError;
pub use model::{CustomVariant, Parameter, ParameterValue, Platform, TorrentMount};
pub use schema::SCHEMA_TEXT;
pub use torrent_mount::torrent_folder_in_cache_dir;

use crate::diagnostic::{Position, Severity};
use crate::load::json_positions::JsonPositions;
use camino::Utf8Path;
use schema::schema_problems;
use serde_json::Value;
use typed::typed_variant;

/// The largest custom variant file read (docs/security.md). The
/// orchestrator's file is about 5 KB; 16 MiB holds 100k parameters, and
/// checking it takes about a second, so a hostile file cannot hold up CI.
pub const MAX_FILE_BYTES: usize = 16 << 20;

/// Reads and checks a custom variant file's text. Returns the variant when
/// there is no error, and every problem found (warnings included).
pub fn check_custom_variant(
    file: &Utf8Path,
    text: &str,
) -> (Option<CustomVariant>, Vec<CustomVariantError>) {
    if text.len() > MAX_FILE_BYTES {
        let error = CustomVariantError::error(
            "E0307",
            format!(
                "the file is {} bytes; acegen reads custom variant files of at most {} MiB",
                text.len(),
                MAX_FILE_BYTES >> 20
            ),
            None,
        )
        .hint("the orchestrator's own file is a few kilobytes: is this the right file?");
        return (None, vec![error]);
    }
    let document: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let position = Position::new(e.line() as u32, e.column().max(1) as u32);
            let error = CustomVariantError::error(
                "E0301",
                format!("not valid JSON: {}", syntax_message(&e)),
                Some((position, 1)),
            )
            .hint("the custom variant file is JSON as the orchestrator writes it");
            return (None, vec![error]);
        }
    };
    let positions = JsonPositions::scan(text);
    let schema_errors = schema_problems(&document, &positions);
    if !schema_errors.is_empty() {
        return (None, schema_errors);
    }
    let mut problems = Vec::new();
    let variant = typed_variant(file, text, &document, &positions, &mut problems);
    let has_errors = problems.iter().any(|p| p.severity == Severity::Error);
    (if has_errors { None } else { Some(variant) }, problems)
}

fn syntax_message(error: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the position is shown separately.
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests;
