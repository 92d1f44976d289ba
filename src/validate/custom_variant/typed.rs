//! The typed variant built from a schema-valid document, with the memory
//! limit's bounds.

use super::error::CustomVariantError;
use super::model::{CustomVariant, Platform};
use super::parameters::parameters;
use super::torrent_mount::torrent_mount;
use crate::load::json_positions::JsonPositions;
use crate::validate::settings::MemorySize;
use crate::variants;
use camino::Utf8Path;
use serde_json::Value;

/// Builds the typed variant from a schema-valid document, applying the rules.
pub(super) fn typed_variant(
    file: &Utf8Path,
    source: &str,
    document: &Value,
    positions: &JsonPositions,
    problems: &mut Vec<CustomVariantError>,
) -> CustomVariant {
    let text = |key: &str| document.get(key).and_then(Value::as_str);
    let platform = match text("platform") {
        Some("arm32") => Platform::Arm32,
        Some("arm64") => Platform::Arm64,
        _ => Platform::Amd64,
    };
    let version_key = match platform {
        Platform::Amd64 => "amd64_version",
        Platform::Arm32 | Platform::Arm64 => "arm_version",
    };
    let version_at = document
        .get(version_key)
        .and_then(|_| positions.find(&format!("/{version_key}")));
    let parameters = parameters(source, document, positions, problems);
    let memory_limit = memory_limit(document, positions, problems);
    let torrent_mount = torrent_mount(document, &parameters, positions, problems);
    CustomVariant {
        file: file.to_owned(),
        enabled: document.get("enabled").and_then(Value::as_bool) == Some(true),
        platform,
        amd64_version: text("amd64_version")
            .unwrap_or(variants::DEFAULT_AMD64_VERSION)
            .to_owned(),
        arm_version: text("arm_version")
            .unwrap_or(variants::DEFAULT_ARM_VERSION)
            .to_owned(),
        version_at,
        memory_limit,
        no_memory_limit: text("memory_limit")
            .is_some_and(|t| !t.trim().is_empty() && MemorySize::parse(t) == Ok(None)),
        torrent_mount,
        parameters,
    }
}

const MIN_MEMORY: u64 = 32 << 20;
const MAX_MEMORY: u64 = 128 << 30;

fn memory_limit(
    document: &Value,
    positions: &JsonPositions,
    problems: &mut Vec<CustomVariantError>,
) -> Option<MemorySize> {
    let text = document.get("memory_limit").and_then(Value::as_str)?;
    // The schema's pattern has already accepted the form.
    let size = MemorySize::parse(text).ok().flatten()?;
    if !(MIN_MEMORY..=MAX_MEMORY).contains(&size.bytes) {
        problems.push(
            CustomVariantError::error(
                "E0303",
                format!("memory_limit: expected a size between 32m and 128g, found `{text}`"),
                positions.find("/memory_limit"),
            )
            .hint("use \"0\" or null for no limit"),
        );
        return None;
    }
    Some(size)
}
