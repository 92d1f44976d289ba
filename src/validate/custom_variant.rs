//! Checks `custom_engine_variant.json`: JSON syntax, then the JSON Schema in
//! `schemas/`, then the rules a schema cannot say (docs/spec.md §1.2). Every problem
//! points at the line and column of the offending value.

use crate::diagnostic::{Diagnostic, Location, Position, Severity};
use crate::load::json_positions::JsonPositions;
use crate::validate::settings::MemorySize;
use crate::variants;
use camino::{Utf8Path, Utf8PathBuf};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The largest custom variant file read (docs/security.md). The
/// orchestrator's file is about 5 KB; 16 MiB holds 100k parameters, and
/// checking it takes about a second, so a hostile file cannot hold up CI.
pub const MAX_FILE_BYTES: usize = 16 << 20;

pub const SCHEMA_TEXT: &str = include_str!("../../schemas/custom-variant.schema.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Amd64,
    Arm32,
    Arm64,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::Amd64 => "amd64",
            Platform::Arm32 => "arm32",
            Platform::Arm64 => "arm64",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParameterValue {
    Flag(bool),
    Text(String),
    Integer(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub value: ParameterValue,
    pub enabled: bool,
    /// Where the parameter's object starts, for later diagnostics.
    pub position: Option<(Position, usize)>,
}

impl Parameter {
    /// The command-line items this parameter adds (docs/spec.md §2.1): a true flag adds
    /// its name, a false flag nothing, any other type `NAME VALUE`.
    pub fn arguments(&self) -> Vec<String> {
        if !self.enabled {
            return Vec::new();
        }
        match &self.value {
            ParameterValue::Flag(true) => vec![self.name.clone()],
            ParameterValue::Flag(false) => Vec::new(),
            ParameterValue::Text(text) => vec![self.name.clone(), text.clone()],
            ParameterValue::Integer(n) => vec![self.name.clone(), n.to_string()],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TorrentMount {
    pub host_path: String,
    pub container_path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomVariant {
    pub file: Utf8PathBuf,
    pub enabled: bool,
    pub platform: Platform,
    pub amd64_version: String,
    pub arm_version: String,
    pub memory_limit: Option<MemorySize>,
    /// memory_limit is `"0"`: no limit, and ENGINE_MEMORY_LIMIT does not
    /// apply either (the orchestrator passes the "0" on, which Docker reads
    /// as unlimited). null or `""` leave this false and fall back.
    pub no_memory_limit: bool,
    pub torrent_mount: Option<TorrentMount>,
    pub parameters: Vec<Parameter>,
}

impl CustomVariant {
    /// The name acegen shows for this variant (`custom-amd64`).
    pub fn label(&self) -> String {
        format!("custom-{}", self.platform.name())
    }

    pub fn enabled_parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.enabled && p.name == name)
    }
}

/// A problem in the custom variant file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomVariantError {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub position: Option<(Position, usize)>,
    pub hint: Option<String>,
}

impl CustomVariantError {
    fn error(code: &'static str, message: String, position: Option<(Position, usize)>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message,
            position,
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn to_diagnostic(&self, file: &Utf8Path) -> Diagnostic {
        let location = match self.position {
            Some((position, length)) => Location::at(file, position, length),
            None => Location::file(file),
        };
        let mut d = Diagnostic::error(self.code, self.message.clone()).at(location);
        d.severity = self.severity;
        d.hint = self.hint.clone();
        d
    }
}

fn compiled_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA_TEXT).expect("embedded schema is JSON");
        jsonschema::validator_for(&schema).expect("embedded schema compiles")
    })
}

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

fn schema_problems(document: &Value, positions: &JsonPositions) -> Vec<CustomVariantError> {
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

/// Builds the typed variant from a schema-valid document, applying the rules.
fn typed_variant(
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

fn parameters(
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

fn torrent_mount(
    document: &Value,
    parameters: &[Parameter],
    positions: &JsonPositions,
    problems: &mut Vec<CustomVariantError>,
) -> Option<TorrentMount> {
    if document
        .get("torrent_folder_mount_enabled")
        .and_then(Value::as_bool)
        != Some(true)
    {
        return None;
    }
    let host = document
        .get("torrent_folder_host_path")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let host_at = positions
        .find("/torrent_folder_host_path")
        .or(positions.find("/torrent_folder_mount_enabled"));
    let mut ok = check_mount_path("torrent_folder_host_path", host, host_at, problems);
    let container = match cache_dir_parameter(parameters) {
        Some((cache_dir, at)) => {
            let path = torrent_folder_in_cache_dir(&cache_dir);
            ok &= check_mount_path("--cache-dir", &path, at, problems);
            path
        }
        None => {
            let path = document
                .get("torrent_folder_container_path")
                .and_then(Value::as_str)
                .unwrap_or("/root/.ACEStream/collected_torrent_files")
                .to_owned();
            let at = positions.find("/torrent_folder_container_path");
            ok &= check_mount_path("torrent_folder_container_path", &path, at, problems);
            path
        }
    };
    ok.then(|| TorrentMount {
        host_path: host.to_owned(),
        container_path: container,
    })
}

fn cache_dir_parameter(parameters: &[Parameter]) -> Option<(String, Option<(Position, usize)>)> {
    parameters
        .iter()
        .find(|p| p.enabled && p.name == "--cache-dir")
        .and_then(|p| match &p.value {
            ParameterValue::Text(dir) => Some((dir.clone(), p.position)),
            _ => None,
        })
}

/// The engine keeps collected torrents in `<cache dir>/collected_torrent_files`;
/// it runs as root, so `~` is `/root`.
pub fn torrent_folder_in_cache_dir(cache_dir: &str) -> String {
    let expanded = match cache_dir.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("/root{rest}"),
        _ => cache_dir.to_owned(),
    };
    format!("{}/collected_torrent_files", expanded.trim_end_matches('/'))
}

fn check_mount_path(
    field: &str,
    path: &str,
    at: Option<(Position, usize)>,
    problems: &mut Vec<CustomVariantError>,
) -> bool {
    let problem = if path.is_empty() {
        Some("is required when torrent_folder_mount_enabled is true".to_owned())
    } else if !path.starts_with('/') {
        Some(format!("must be an absolute path, found `{path}`"))
    } else if path.contains(':') {
        Some(format!(
            "cannot contain `:` (it separates the parts of a volume), found `{path}`"
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => {
            problems.push(
                CustomVariantError::error("E0305", format!("{field} {problem}"), at)
                    .hint("the torrent folder is bind-mounted as HOST:CONTAINER:rw"),
            );
            false
        }
        None => true,
    }
}

#[cfg(test)]
mod tests;
