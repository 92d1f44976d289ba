//! Turns the `.env` entries and `--set` overrides into typed settings,
//! checking every value against the key table in `keys.rs`.

mod error;
mod model;
mod parse;
mod reader;
mod rules;
mod schema;
mod sources;
mod values;

pub use error::SettingError;
pub use model::{Origin, Override, RawSetting, Settings, Sourced};
pub use parse::{is_interpolable_name, is_valid_name, parse_port, parse_port_range, MAX_KEY_CHARS};
pub use schema::{env_schema_keys, ENV_SCHEMA_TEXT};
pub use values::{EngineVariant, MemorySize, NotAMemorySize, PortRange, VpnMode};

use crate::keys;
use crate::load::dotenv::ParsedEnv;
use camino::Utf8Path;
use parse::{
    parse_bool, parse_count, parse_image, parse_image_tag, parse_label, parse_name, parse_vpn_mode,
};
use reader::Reader;
use rules::{
    api_key_problem, check_memory_limit, check_replica_bounds, container_label_equals,
    vpn_mode_spelling,
};
use schema::keys_refused_by_schema;
use sources::{
    collect_raw, control_server_keys_in, gluetun_keys_in, orchestrator_keys_in,
    vpn_connection_keys_in,
};
use std::collections::BTreeMap;

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
        vpn_mode: match vpn_mode_spelling(&raw[keys::VPN_MODE]) {
            // The mode meant stands in, so that later checks still run.
            Some(error) => {
                r.errors.push(error);
                Sourced {
                    value: parse_vpn_mode_any_case(raw[keys::VPN_MODE].text.as_deref()),
                    origin: raw[keys::VPN_MODE].origin.clone(),
                }
            }
            None => r.required(keys::VPN_MODE, parse_vpn_mode),
        },
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
        vpn_connection_keys: vpn_connection_keys_in(env, env_file),
        control_server_keys: control_server_keys_in(env, env_file),
        app_port: r.required(keys::APP_PORT, parse_port),
        orchestrator_image: r.required(keys::ORCHESTRATOR_IMAGE, parse_image),
        orchestrator_keys: orchestrator_keys_in(env, env_file),
        raw: BTreeMap::new(),
    };
    let mut errors = r.errors;
    check_replica_bounds(&settings, &mut errors);
    errors.extend(container_label_equals(&raw[keys::CONTAINER_LABEL]));
    check_memory_limit(&settings, &mut errors);
    if settings.gluetun_container_name.is_some() {
        errors.extend(api_key_problem(&raw[keys::GLUETUN_API_KEY]));
    }
    let settings = Settings { raw, ..settings };
    (settings, errors)
}

/// VPN_MODE read without regard to case, for a spelling E0240 refuses.
fn parse_vpn_mode_any_case(text: Option<&str>) -> VpnMode {
    match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
        Some("redundant") => VpnMode::Redundant,
        _ => VpnMode::Single,
    }
}

#[cfg(test)]
mod tests;
