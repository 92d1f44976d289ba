//! Turns the `.env` entries and `--set` overrides into typed settings,
//! checking every value against the key table in `keys.rs`.

use crate::diagnostic::{Diagnostic, Location, Position};
use crate::keys::{self, KEYS};
use crate::load::dotenv::ParsedEnv;
use camino::{Utf8Path, Utf8PathBuf};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::IpAddr;
use std::sync::OnceLock;

/// Where a setting's value came from, for `explain` and for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    EnvFile {
        file: Utf8PathBuf,
        position: Position,
        length: usize,
    },
    CommandLine,
}

impl Origin {
    pub fn location(&self) -> Option<Location> {
        match self {
            Origin::EnvFile {
                file,
                position,
                length,
            } => Some(Location::at(file, *position, *length)),
            _ => None,
        }
    }

    /// Short form for messages: `.env:12`, `--set`, `default`.
    pub fn describe(&self) -> String {
        match self {
            Origin::Default => "default".to_owned(),
            Origin::EnvFile { file, position, .. } => format!("{file}:{}", position.line),
            Origin::CommandLine => "--set".to_owned(),
        }
    }
}

/// A value together with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

/// An inclusive range of ports, `start-end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PortRange {
    pub start: u16,
    pub end: u16,
}

impl PortRange {
    pub fn len(&self) -> usize {
        usize::from(self.end - self.start) + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn contains(&self, port: u16) -> bool {
        (self.start..=self.end).contains(&port)
    }

    pub fn overlaps(&self, other: &PortRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    pub fn ports(&self) -> impl Iterator<Item = u16> {
        self.start..=self.end
    }

    /// Splits into two halves; the first takes the extra port of an odd range,
    /// since engine 1 (and so VPN 1) always exists.
    pub fn halves(&self) -> (PortRange, Option<PortRange>) {
        let first_len = self.len().div_ceil(2);
        let first_end = self.start + (first_len as u16 - 1);
        let first = PortRange {
            start: self.start,
            end: first_end,
        };
        let second = (first_end < self.end).then(|| PortRange {
            start: first_end + 1,
            end: self.end,
        });
        (first, second)
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineVariant {
    Krinkuto11Amd64,
    JopsisAmd64,
    JopsisArm32,
    JopsisArm64,
}

impl EngineVariant {
    pub const ALL: [EngineVariant; 4] = [
        EngineVariant::Krinkuto11Amd64,
        EngineVariant::JopsisAmd64,
        EngineVariant::JopsisArm32,
        EngineVariant::JopsisArm64,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EngineVariant::Krinkuto11Amd64 => "krinkuto11-amd64",
            EngineVariant::JopsisAmd64 => "jopsis-amd64",
            EngineVariant::JopsisArm32 => "jopsis-arm32",
            EngineVariant::JopsisArm64 => "jopsis-arm64",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VpnMode {
    Single,
    Redundant,
}

/// Text that is not a memory size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAMemorySize;

/// A docker memory size as the user wrote it, e.g. `512m`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemorySize {
    pub text: String,
    pub bytes: u64,
}

impl MemorySize {
    /// Parses digits with an optional b/k/m/g suffix (any case).
    /// `Ok(None)` for `0` or empty, which mean "no limit".
    pub fn parse(text: &str) -> Result<Option<MemorySize>, NotAMemorySize> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let (digits, unit) = match text.char_indices().last() {
            Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], Some(c.to_ascii_lowercase())),
            _ => (text, None),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NotAMemorySize);
        }
        let multiplier: u64 = match unit {
            None | Some('b') => 1,
            Some('k') => 1 << 10,
            Some('m') => 1 << 20,
            Some('g') => 1 << 30,
            Some(_) => return Err(NotAMemorySize),
        };
        let number: u64 = digits.parse().map_err(|_| NotAMemorySize)?;
        let bytes = number.checked_mul(multiplier).ok_or(NotAMemorySize)?;
        if bytes == 0 {
            return Ok(None);
        }
        Ok(Some(MemorySize {
            text: text.to_owned(),
            bytes,
        }))
    }
}

/// Every setting acegen uses, typed and with its origin.
#[derive(Debug, Clone)]
pub struct Settings {
    pub engine_variant: Sourced<EngineVariant>,
    pub arm32_version: Sourced<String>,
    pub arm64_version: Sourced<String>,
    pub min_replicas: Sourced<u32>,
    pub max_replicas: Sourced<u32>,
    pub port_range_host: Sourced<PortRange>,
    pub ace_http_range: Sourced<PortRange>,
    pub ace_https_range: Sourced<PortRange>,
    pub ace_map_https: Sourced<bool>,
    pub port_bind_ip: Option<Sourced<IpAddr>>,
    pub container_label: Sourced<(String, String)>,
    pub docker_network: Option<Sourced<String>>,
    pub engine_memory_limit: Option<Sourced<MemorySize>>,
    pub gluetun_container_name: Option<Sourced<String>>,
    pub gluetun_container_name_2: Option<Sourced<String>>,
    pub vpn_mode: Sourced<VpnMode>,
    pub gluetun_api_port: Sourced<u16>,
    pub gluetun_port_range_1: Option<Sourced<PortRange>>,
    pub gluetun_port_range_2: Option<Sourced<PortRange>>,
    pub gluetun_forwarded_port: Option<Sourced<u16>>,
    pub gluetun_forwarded_port_2: Option<Sourced<u16>>,
    pub engine_p2p_range: Sourced<PortRange>,
    pub gluetun_image: Sourced<String>,
    pub gluetun_api_key_set: bool,
    pub app_port: Sourced<u16>,
    pub orchestrator_image: Sourced<String>,
    /// The orchestrator's own keys found in `.env` ([`keys::ORCHESTRATOR_OWN_KEYS`]), in file order.
    pub orchestrator_keys: Vec<Sourced<String>>,
    /// Gluetun's own keys present in `.env`, in file order, without duplicates.
    pub gluetun_keys: Vec<String>,
    /// The raw text of every key acegen reads, for `explain` (secrets included
    /// only as a marker: see [`RawSetting::display_value`]).
    pub raw: BTreeMap<&'static str, RawSetting>,
}

/// A key's textual value before typing, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSetting {
    pub text: Option<String>,
    pub origin: Origin,
    pub secret: bool,
}

impl RawSetting {
    /// The value as it may be shown to a user: secrets are never shown.
    /// Surrounding whitespace is left out, as acegen ignores it when it
    /// reads the value (`" 8000 "` in quotes is port 8000).
    pub fn display_value(&self) -> Option<String> {
        match (&self.text, self.secret) {
            (Some(text), true) => Some(format!("<redacted, {} bytes>", text.len())),
            (Some(text), false) => Some(text.trim().to_owned()),
            (None, _) => None,
        }
    }
}

/// A `--set KEY=VALUE` given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub key: String,
    pub value: String,
}

/// Stands for a value an error must not quote: a secret, or a value from
/// the process environment.
const NOT_SHOWN: &str = "a value that is not shown (a secret, or from the process environment)";

/// A value that is not what its key expects, or settings that contradict each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingError {
    InvalidValue {
        key: &'static str,
        found: String,
        expected: String,
        origin: Origin,
    },
    Conflict {
        code: &'static str,
        message: String,
        hint: Option<String>,
        origin: Origin,
    },
}

impl SettingError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            SettingError::InvalidValue {
                key,
                found,
                expected,
                origin,
            } => {
                let shown = if found.is_empty() {
                    "an empty value".to_owned()
                } else if found == NOT_SHOWN {
                    found.clone()
                } else {
                    format!("`{found}`")
                };
                let mut d = Diagnostic::error(
                    "E0201",
                    format!("{key}: expected {expected}, found {shown}"),
                )
                .with_hint(hint_for_key(key));
                if let Some(location) = origin.location() {
                    d = d.at(location);
                } else if *origin == Origin::CommandLine {
                    d.message.push_str(" (from --set)");
                }
                d
            }
            SettingError::Conflict {
                code,
                message,
                hint,
                origin,
            } => {
                let mut d = Diagnostic::error(code, message.clone());
                if let Some(location) = origin.location() {
                    d = d.at(location);
                }
                if let Some(hint) = hint {
                    d = d.with_hint(hint.clone());
                }
                d
            }
        }
    }
}

fn hint_for_key(key: &str) -> String {
    match keys::spec(key) {
        Some(spec) => match spec.default {
            Some(default) => format!("{key}: {} (default {default})", spec.meaning),
            None => format!("{key}: {}", spec.meaning),
        },
        None => String::new(),
    }
}

/// The env schema (`schemas/env.schema.json`): the one place that says
/// which text each key accepts; `acegen schema env` prints it.
pub const ENV_SCHEMA_TEXT: &str = include_str!("../../schemas/env.schema.json");

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
fn env_validator_for(keys: &[&str]) -> jsonschema::Validator {
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
fn expected_for(key: &str) -> &'static str {
    env_schema()
        .expected
        .get(key)
        .map_or("a valid value", String::as_str)
}

/// Keys whose (trimmed, non-empty) value the env schema refuses. Each schema
/// error's instance path is `/KEY`, which names the key. Defaults are not
/// checked: they are constants, and a test holds them to the full schema.
fn keys_refused_by_schema(raw: &BTreeMap<&'static str, RawSetting>) -> BTreeSet<&'static str> {
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

/// Collects the raw value of every known key: `--set` over `.env` over default.
fn collect_raw(
    env: &ParsedEnv,
    env_file: &Utf8Path,
    overrides: &[Override],
) -> BTreeMap<&'static str, RawSetting> {
    KEYS.iter()
        .map(|spec| {
            let from_set = overrides.iter().rev().find(|o| o.key == spec.name);
            let raw = if let Some(o) = from_set {
                RawSetting {
                    text: Some(o.value.clone()),
                    origin: Origin::CommandLine,
                    secret: spec.is_secret(),
                }
            } else if let Some(entry) = env.get(spec.name) {
                RawSetting {
                    text: Some(entry.value.clone()),
                    origin: Origin::EnvFile {
                        file: env_file.to_owned(),
                        position: entry.value_pos,
                        length: entry.value_len,
                    },
                    // What the process environment supplied is never shown.
                    secret: spec.is_secret() || !entry.from_environment.is_empty(),
                }
            } else {
                RawSetting {
                    text: spec.default.map(str::to_owned),
                    origin: Origin::Default,
                    secret: spec.is_secret(),
                }
            };
            (spec.name, raw)
        })
        .collect()
}

/// Typed reading of one key, recording an error when the text does not fit.
struct Reader<'a> {
    raw: &'a BTreeMap<&'static str, RawSetting>,
    /// Keys whose text the env schema refused.
    refused: BTreeSet<&'static str>,
    errors: Vec<SettingError>,
}

impl Reader<'_> {
    fn text(&self, key: &'static str) -> (Option<&str>, &Origin) {
        let raw = &self.raw[key];
        (raw.text.as_deref().map(str::trim), &raw.origin)
    }

    /// The value as an error message may quote it.
    fn found(&self, key: &'static str, text: &str) -> String {
        if self.raw[key].secret {
            NOT_SHOWN.to_owned()
        } else {
            text.to_owned()
        }
    }

    /// Reads an optional key: unset or empty gives `None`.
    fn optional<T>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Sourced<T>> {
        let (text, origin) = self.text(key);
        let text = text.filter(|t| !t.is_empty())?;
        // The schema judges the form; `parse` what a schema cannot say
        // (start <= end of a range, a number that overflows, an IP address).
        let parsed = if self.refused.contains(key) {
            None
        } else {
            parse(text)
        };
        match parsed {
            Some(value) => Some(Sourced {
                value,
                origin: origin.clone(),
            }),
            None => {
                let error = SettingError::InvalidValue {
                    key,
                    found: self.found(key, text),
                    expected: expected_for(key).to_owned(),
                    origin: origin.clone(),
                };
                self.errors.push(error);
                None
            }
        }
    }

    /// Reads a key that has a default: a bad value is reported and the
    /// default stands in, so that later checks still run.
    fn required<T>(&mut self, key: &'static str, parse: impl Fn(&str) -> Option<T>) -> Sourced<T> {
        if let Some(value) = self.optional(key, &parse) {
            return value;
        }
        let (text, origin) = self.text(key);
        if text == Some("") && *origin != Origin::Default {
            self.errors.push(SettingError::InvalidValue {
                key,
                found: String::new(),
                expected: expected_for(key).to_owned(),
                origin: origin.clone(),
            });
        }
        let default = keys::spec(key).and_then(|s| s.default).unwrap_or_default();
        Sourced {
            value: parse(default).expect("defaults in the key table are valid"),
            origin: Origin::Default,
        }
    }
}

pub fn parse_port_range(text: &str) -> Option<PortRange> {
    let (start, end) = text.split_once('-')?;
    let start = parse_port(start)?;
    let end = parse_port(end)?;
    (start <= end).then_some(PortRange { start, end })
}

pub fn parse_port(text: &str) -> Option<u16> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|p| *p >= 1)
}

fn parse_count(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Compose service, container and network names; the Compose Specification
/// wants container names of at least two characters.
pub fn is_valid_name(text: &str) -> bool {
    let mut chars = text.chars();
    text.len() >= 2
        && matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn parse_name(text: &str) -> Option<String> {
    is_valid_name(text).then(|| text.to_owned())
}

fn parse_image_tag(text: &str) -> Option<String> {
    let valid = text.len() <= 128
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    valid.then(|| text.to_owned())
}

fn parse_image(text: &str) -> Option<String> {
    let valid = !text.is_empty()
        && !text.starts_with(['/', ':', '-'])
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/' | ':' | '@'));
    valid.then(|| text.to_owned())
}

/// The longest label key or passed-on key acegen writes: YAML refuses a
/// plain mapping key over 1024 characters, and no real key comes near 256.
pub const MAX_KEY_CHARS: usize = 256;

fn parse_label(text: &str) -> Option<(String, String)> {
    let (key, value) = text.split_once('=')?;
    let key = key.trim();
    let valid_key = !key.is_empty()
        && key.chars().count() <= MAX_KEY_CHARS
        && !key.chars().any(|c| c.is_whitespace() || c.is_control());
    valid_key.then(|| (key.to_owned(), value.trim().to_owned()))
}

fn parse_vpn_mode(text: &str) -> Option<VpnMode> {
    match text.to_ascii_lowercase().as_str() {
        "single" => Some(VpnMode::Single),
        "redundant" => Some(VpnMode::Redundant),
        _ => None,
    }
}

/// Reads and checks every key; returns the settings (with defaults standing
/// in for bad values) and every error found.
pub fn read_settings(
    env: &ParsedEnv,
    env_file: &Utf8Path,
    overrides: &[Override],
) -> (Settings, Vec<SettingError>) {
    let raw = collect_raw(env, env_file, overrides);
    let mut r = Reader {
        raw: &raw,
        refused: keys_refused_by_schema(&raw),
        errors: Vec::new(),
    };
    let settings = Settings {
        engine_variant: r.required(keys::ENGINE_VARIANT, EngineVariant::parse),
        arm32_version: r.required(keys::ENGINE_ARM32_VERSION, parse_image_tag),
        arm64_version: r.required(keys::ENGINE_ARM64_VERSION, parse_image_tag),
        min_replicas: r.required(keys::MIN_REPLICAS, parse_count),
        max_replicas: r.required(keys::MAX_REPLICAS, parse_count),
        port_range_host: r.required(keys::PORT_RANGE_HOST, parse_port_range),
        ace_http_range: r.required(keys::ACE_HTTP_RANGE, parse_port_range),
        ace_https_range: r.required(keys::ACE_HTTPS_RANGE, parse_port_range),
        ace_map_https: r.required(keys::ACE_MAP_HTTPS, parse_bool),
        port_bind_ip: r.optional(keys::PORT_BIND_IP, |t| {
            t.trim_start_matches('[').trim_end_matches(']').parse().ok()
        }),
        container_label: r.required(keys::CONTAINER_LABEL, parse_label),
        docker_network: r.optional(keys::DOCKER_NETWORK, parse_name),
        engine_memory_limit: r
            .optional(keys::ENGINE_MEMORY_LIMIT, |t| MemorySize::parse(t).ok())
            .and_then(|s| {
                s.value.map(|value| Sourced {
                    value,
                    origin: s.origin,
                })
            }),
        gluetun_container_name: r.optional(keys::GLUETUN_CONTAINER_NAME, parse_name),
        gluetun_container_name_2: r.optional(keys::GLUETUN_CONTAINER_NAME_2, parse_name),
        vpn_mode: r.required(keys::VPN_MODE, parse_vpn_mode),
        gluetun_api_port: r.required(keys::GLUETUN_API_PORT, parse_port),
        gluetun_port_range_1: r.optional(keys::GLUETUN_PORT_RANGE_1, parse_port_range),
        gluetun_port_range_2: r.optional(keys::GLUETUN_PORT_RANGE_2, parse_port_range),
        gluetun_forwarded_port: r.optional(keys::GLUETUN_FORWARDED_PORT, parse_port),
        gluetun_forwarded_port_2: r.optional(keys::GLUETUN_FORWARDED_PORT_2, parse_port),
        engine_p2p_range: r.required(keys::ENGINE_P2P_RANGE, parse_port_range),
        gluetun_image: r.required(keys::GLUETUN_IMAGE, parse_image),
        gluetun_api_key_set: raw[keys::GLUETUN_API_KEY]
            .text
            .as_deref()
            .is_some_and(|t| !t.is_empty()),
        gluetun_keys: gluetun_keys_in(env),
        app_port: r.required(keys::APP_PORT, parse_port),
        orchestrator_image: r.required(keys::ORCHESTRATOR_IMAGE, parse_image),
        orchestrator_keys: orchestrator_keys_in(env, env_file),
        raw: BTreeMap::new(),
    };
    let mut errors = r.errors;
    check_replica_bounds(&settings, &mut errors);
    if settings.gluetun_container_name.is_some() {
        errors.extend(api_key_problem(&raw[keys::GLUETUN_API_KEY]));
    }
    let settings = Settings { raw, ..settings };
    (settings, errors)
}

/// GLUETUN_API_KEY is substituted by compose into the JSON text of
/// HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE as it is: `"`, `\` or a control
/// char would make that JSON invalid once the VPN starts. The key is not
/// quoted in the message.
fn api_key_problem(raw: &RawSetting) -> Option<SettingError> {
    let text = raw.text.as_deref()?;
    let bad = text
        .chars()
        .find(|c| matches!(c, '"' | '\\') || c.is_control())?;
    let what = match bad {
        '"' => "a `\"`".to_owned(),
        '\\' => "a `\\`".to_owned(),
        other => format!("the control character U+{:04X}", other as u32),
    };
    Some(SettingError::Conflict {
        code: "E0203",
        message: format!(
            "GLUETUN_API_KEY holds {what}, which would break the JSON of Gluetun's auth role \
             (HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE); expected a key without `\"`, `\\` or control characters"
        ),
        hint: Some("generate a new key made of letters and digits, e.g. `openssl rand -hex 32`".to_owned()),
        origin: raw.origin.clone(),
    })
}

/// Can compose interpolate `${KEY}`? Only names of ASCII letters, digits
/// and `_`, not starting with a digit.
pub fn is_interpolable_name(key: &str) -> bool {
    let mut chars = key.chars();
    key.len() <= MAX_KEY_CHARS
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn gluetun_keys_in(env: &ParsedEnv) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    env.entries
        .iter()
        .filter(|e| keys::is_gluetun_key(&e.key) && is_interpolable_name(&e.key))
        .filter(|e| seen.insert(e.key.clone()))
        .map(|e| e.key.clone())
        .collect()
}

fn orchestrator_keys_in(env: &ParsedEnv, env_file: &Utf8Path) -> Vec<Sourced<String>> {
    let mut found: Vec<Sourced<String>> = Vec::new();
    for entry in &env.entries {
        if keys::ORCHESTRATOR_OWN_KEYS.contains(&entry.key.as_str())
            && !found.iter().any(|k| k.value == entry.key)
        {
            found.push(Sourced {
                value: entry.key.clone(),
                origin: Origin::EnvFile {
                    file: env_file.to_owned(),
                    position: entry.key_pos,
                    length: entry.key.chars().count(),
                },
            });
        }
    }
    found
}

fn check_replica_bounds(settings: &Settings, errors: &mut Vec<SettingError>) {
    let min = &settings.min_replicas;
    let max = &settings.max_replicas;
    if max.value == 0 {
        errors.push(SettingError::Conflict {
            code: "E0202",
            message: "MAX_REPLICAS must be greater than 0, found 0".to_owned(),
            hint: Some("MAX_REPLICAS is the upper bound on the number of engines".to_owned()),
            origin: max.origin.clone(),
        });
    } else if min.value > max.value {
        errors.push(SettingError::Conflict {
            code: "E0202",
            message: format!(
                "MIN_REPLICAS ({}) is greater than MAX_REPLICAS ({})",
                min.value, max.value
            ),
            hint: Some(format!(
                "raise MAX_REPLICAS to at least {} or lower MIN_REPLICAS",
                min.value
            )),
            origin: min.origin.clone(),
        });
    }
}

/// For tests of later stages: the settings a clean `.env` text (and
/// `--set` overrides) gives, asserting that neither has an error.
#[cfg(test)]
pub(crate) fn settings_for_test(env_text: &str, overrides: &[Override]) -> Settings {
    let env = crate::load::dotenv::parse(env_text, &|_| None);
    assert!(env.errors.is_empty(), "{:?}", env.errors);
    let (settings, errors) = read_settings(&env, Utf8Path::new(".env"), overrides);
    assert!(errors.is_empty(), "{errors:?}");
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::dotenv;

    fn settings_from(text: &str, overrides: &[Override]) -> (Settings, Vec<SettingError>) {
        let env = dotenv::parse(text, &|_| None);
        assert!(env.errors.is_empty(), "{:?}", env.errors);
        read_settings(&env, Utf8Path::new(".env"), overrides)
    }

    #[test]
    fn only_names_compose_can_interpolate_are_interpolable() {
        for name in ["A", "_x", "SERVER_COUNTRIES", "k9"] {
            assert!(is_interpolable_name(name), "{name}");
        }
        for name in [
            "",
            "1A",
            "SERVER_COUNTRIES.nl",
            "VPN_SERVICE_PROVIDER-custom",
            "a[0]",
            "ÄB",
        ] {
            assert!(!is_interpolable_name(name), "{name}");
        }
    }

    #[test]
    fn an_api_key_that_breaks_the_json_role_is_e0203_only_with_a_vpn() {
        let vpn = "GLUETUN_CONTAINER_NAME=gluetun\n";
        for value in ["'a\"b'", "'a\\b'", "\"a\\tb\""] {
            let (_, errors) = settings_from(&format!("{vpn}GLUETUN_API_KEY={value}\n"), &[]);
            let diagnostics: Vec<_> = errors.iter().map(SettingError::to_diagnostic).collect();
            assert_eq!(diagnostics.len(), 1, "{value}: {diagnostics:?}");
            assert_eq!(diagnostics[0].code, "E0203");
            assert!(
                !diagnostics[0].message.contains("a\"b"),
                "{}",
                diagnostics[0].message
            );
        }
        let (_, errors) = settings_from("GLUETUN_API_KEY='a\"b'\n", &[]);
        assert!(
            errors.is_empty(),
            "without a VPN the key is not placed in JSON"
        );
    }

    #[test]
    fn a_bad_value_from_the_process_environment_is_not_quoted() {
        let env = dotenv::parse("GLUETUN_API_PORT=${PORT}\n", &|name| {
            (name == "PORT").then(|| "hunter2ci".to_owned())
        });
        let (settings, errors) = read_settings(&env, Utf8Path::new(".env"), &[]);
        let message = errors[0].to_diagnostic().message;
        assert!(!message.contains("hunter2ci"), "{message}");
        assert!(settings.raw[keys::GLUETUN_API_PORT].secret);
    }

    #[test]
    fn empty_env_gives_the_documented_defaults() {
        let (s, errors) = settings_from("", &[]);
        assert!(errors.is_empty());
        assert_eq!(s.engine_variant.value, EngineVariant::Krinkuto11Amd64);
        assert_eq!(s.min_replicas.value, 2);
        assert_eq!(s.max_replicas.value, 6);
        assert_eq!(s.port_range_host.value.to_string(), "19000-19999");
        assert_eq!(s.ace_https_range.value.to_string(), "45000-49999");
        assert_eq!(s.engine_p2p_range.value.to_string(), "8621-8720");
        assert_eq!(s.gluetun_api_port.value, 8000);
        assert_eq!(s.gluetun_image.value, "qmcgaw/gluetun:v3");
        assert_eq!(
            s.container_label.value,
            ("ondemand.app".to_owned(), "myservice".to_owned())
        );
        assert!(!s.ace_map_https.value);
        assert_eq!(s.vpn_mode.value, VpnMode::Single);
        assert_eq!(s.min_replicas.origin, Origin::Default);
    }

    #[test]
    fn set_overrides_the_file_and_the_file_overrides_defaults() {
        let overrides = [Override {
            key: "MIN_REPLICAS".into(),
            value: "4".into(),
        }];
        let (s, errors) = settings_from("MIN_REPLICAS=3\nMAX_REPLICAS=9\n", &overrides);
        assert!(errors.is_empty());
        assert_eq!(s.min_replicas.value, 4);
        assert_eq!(s.min_replicas.origin, Origin::CommandLine);
        assert_eq!(s.max_replicas.value, 9);
        assert_eq!(s.max_replicas.origin.describe(), ".env:2");
    }

    #[test]
    fn every_bad_value_is_reported_with_its_position() {
        let text = "ENGINE_VARIANT=jopsis-arm\nPORT_RANGE_HOST=20000-19000\nACE_MAP_HTTPS=yes\nGLUETUN_API_PORT=70000\n";
        let (_, errors) = settings_from(text, &[]);
        let diagnostics: Vec<_> = errors.iter().map(SettingError::to_diagnostic).collect();
        assert_eq!(diagnostics.len(), 4, "{diagnostics:#?}");
        let lines: Vec<u32> = diagnostics
            .iter()
            .map(|d| d.location.as_ref().unwrap().position.unwrap().line)
            .collect();
        assert_eq!(lines, vec![1, 2, 3, 4]);
        assert!(diagnostics[0].message.contains("found `jopsis-arm`"));
        assert!(diagnostics[1]
            .message
            .contains("1 <= start <= end <= 65535"));
        assert_eq!(
            diagnostics[0].location.as_ref().unwrap().position,
            Some(Position::new(1, 16))
        );
    }

    #[test]
    fn booleans_accept_any_case() {
        let (s, errors) = settings_from("ACE_MAP_HTTPS=TRUE\n", &[]);
        assert!(errors.is_empty());
        assert!(s.ace_map_https.value);
    }

    #[test]
    fn min_above_max_is_an_error() {
        let (_, errors) = settings_from("MIN_REPLICAS=8\nMAX_REPLICAS=6\n", &[]);
        assert_eq!(errors.len(), 1);
        let d = errors[0].to_diagnostic();
        assert!(d
            .message
            .contains("MIN_REPLICAS (8) is greater than MAX_REPLICAS (6)"));
    }

    #[test]
    fn max_replicas_zero_is_an_error() {
        let (_, errors) = settings_from("MIN_REPLICAS=0\nMAX_REPLICAS=0\n", &[]);
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn memory_sizes() {
        assert_eq!(MemorySize::parse("512m").unwrap().unwrap().bytes, 512 << 20);
        assert_eq!(MemorySize::parse("2G").unwrap().unwrap().bytes, 2 << 30);
        assert_eq!(MemorySize::parse("0"), Ok(None));
        assert_eq!(MemorySize::parse(""), Ok(None));
        assert!(MemorySize::parse("12mb").is_err());
        assert!(MemorySize::parse("m").is_err());
        assert!(MemorySize::parse("1.5g").is_err());
    }

    #[test]
    fn port_range_halves() {
        let r = parse_port_range("19000-19999").unwrap();
        let (a, b) = r.halves();
        assert_eq!(a.to_string(), "19000-19499");
        assert_eq!(b.unwrap().to_string(), "19500-19999");
        let odd = parse_port_range("100-102").unwrap().halves();
        assert_eq!(odd.0.to_string(), "100-101");
        assert_eq!(odd.1.unwrap().to_string(), "102-102");
        assert_eq!(parse_port_range("5-5").unwrap().halves().1, None);
    }

    #[test]
    fn port_ranges_reject_zero_and_reversed() {
        assert!(parse_port_range("0-10").is_none());
        assert!(parse_port_range("10-9").is_none());
        assert!(parse_port_range("10-65536").is_none());
        assert!(parse_port_range("10").is_none());
        assert!(parse_port_range("1-65535").is_some());
    }

    #[test]
    fn gluetun_keys_are_collected_once_in_file_order() {
        let (s, _) = settings_from(
            "VPN_MODE=single\nWIREGUARD_PRIVATE_KEY=x\nVPN_SERVICE_PROVIDER=mullvad\nWIREGUARD_PRIVATE_KEY=y\n",
            &[],
        );
        assert_eq!(
            s.gluetun_keys,
            vec!["WIREGUARD_PRIVATE_KEY", "VPN_SERVICE_PROVIDER"]
        );
    }

    #[test]
    fn every_default_satisfies_the_full_env_schema() {
        // Defaults are not checked at run time (keys_refused_by_schema).
        let defaults: Map<String, Value> = KEYS
            .iter()
            .filter_map(|k| Some((k.name.to_owned(), Value::from(k.default?))))
            .collect();
        assert!(defaults.len() > 10, "the key table has defaults");
        let validator = env_validator_for(&env_schema_keys());
        let refused: Vec<String> = validator
            .iter_errors(&Value::Object(defaults))
            .map(|e| e.to_string())
            .collect();
        assert!(refused.is_empty(), "{refused:?}");
    }

    #[test]
    fn the_env_schema_declares_the_draft_it_is_compiled_as() {
        let schema: Value = serde_json::from_str(ENV_SCHEMA_TEXT).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        // Compiled as draft 7 by its own declaration too, meta-schema check included.
        assert!(jsonschema::validator_for(&schema).is_ok());
    }

    #[test]
    fn the_env_schema_describes_exactly_the_keys_acegen_reads() {
        let mut in_schema = env_schema_keys();
        in_schema.sort_unstable();
        let mut in_table: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        in_table.sort_unstable();
        assert_eq!(in_schema, in_table);
    }

    #[test]
    fn the_schema_refuses_each_kind_of_bad_value_with_its_expected_text() {
        let cases = [
            ("ENGINE_VARIANT=Jopsis-amd64", "one of krinkuto11-amd64"),
            ("ENGINE_ARM32_VERSION=arm32 v3", "an image tag"),
            ("MIN_REPLICAS=two", "a non-negative decimal integer"),
            ("MIN_REPLICAS=-1", "a non-negative decimal integer"),
            ("PORT_RANGE_HOST=0-100", "a port range"),
            ("PORT_RANGE_HOST=19000-65536", "a port range"),
            ("GLUETUN_API_PORT=0", "a port number"),
            ("ACE_MAP_HTTPS=1", "`true` or `false`"),
            ("PORT_BIND_IP=localhost", "an IPv4 or IPv6 address"),
            ("PORT_BIND_IP=300.1.1.1", "an IPv4 or IPv6 address"),
            ("CONTAINER_LABEL=nolabel", "a label `key=value`"),
            ("CONTAINER_LABEL=a b=c", "a label `key=value`"),
            ("DOCKER_NETWORK=-net", "a name of at least two letters"),
            ("ENGINE_MEMORY_LIMIT=1.5g", "a memory size"),
            ("VPN_MODE=double", "`single` or `redundant`"),
            ("GLUETUN_IMAGE=/gluetun", "an image reference"),
        ];
        for (line, expected) in cases {
            let (_, errors) = settings_from(&format!("{line}\n"), &[]);
            assert_eq!(errors.len(), 1, "{line}: {errors:?}");
            let message = errors[0].to_diagnostic().message;
            assert!(message.contains(expected), "{line}: {message}");
            // The schema itself, not only the typed parsing, refuses it.
            let env = dotenv::parse(&format!("{line}\n"), &|_| None);
            let refused = keys_refused_by_schema(&collect_raw(&env, Utf8Path::new(".env"), &[]));
            let key = line.split('=').next().unwrap();
            assert_eq!(refused.into_iter().collect::<Vec<_>>(), vec![key], "{line}");
        }
    }

    #[test]
    fn the_schema_accepts_what_the_docs_promise() {
        let text = "VPN_MODE=Redundant\nACE_MAP_HTTPS=False\nPORT_BIND_IP=[::1]\nCONTAINER_LABEL=a.b=\nPORT_RANGE_HOST=1-65535\nENGINE_MEMORY_LIMIT=2G\nGLUETUN_IMAGE=qmcgaw/gluetun@sha256:abc\n";
        let (s, errors) = settings_from(text, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(s.vpn_mode.value, VpnMode::Redundant);
        assert_eq!(s.port_bind_ip.unwrap().value.to_string(), "::1");
    }
}
