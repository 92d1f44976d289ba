//! Where each key's text comes from (`--set` over `.env` over the default),
//! and which orchestrator and Gluetun keys `.env` holds.

use super::model::{Origin, Override, RawSetting, Sourced};
use super::parse::is_interpolable_name;
use crate::keys::{self, KEYS};
use crate::load::dotenv::{EnvEntry, ParsedEnv};
use camino::Utf8Path;
use std::collections::BTreeMap;

/// Collects the raw value of every known key: `--set` over `.env` over default.
pub(super) fn collect_raw(
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

pub(super) fn gluetun_keys_in(env: &ParsedEnv) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    env.entries
        .iter()
        .filter(|e| keys::is_gluetun_key(&e.key) && is_interpolable_name(&e.key))
        .filter(|e| seen.insert(e.key.clone()))
        .map(|e| e.key.clone())
        .collect()
}

pub(super) fn orchestrator_keys_in(env: &ParsedEnv, env_file: &Utf8Path) -> Vec<Sourced<String>> {
    // Each key at its first definition.
    let mut seen = std::collections::HashSet::new();
    keys_at(env, env_file, |e| {
        keys::ORCHESTRATOR_OWN_KEYS.contains(&e.key.as_str()) && seen.insert(e.key.clone())
    })
}

/// Gluetun's VPN connection settings with a value: a key left empty
/// (`WIREGUARD_PRIVATE_KEY=` in a template) configures nothing.
pub(super) fn vpn_connection_keys_in(env: &ParsedEnv, env_file: &Utf8Path) -> Vec<Sourced<String>> {
    keys_at(env, env_file, |e| {
        keys::is_vpn_connection_key(&e.key) && !e.value.trim().is_empty()
    })
}

/// The control-server keys acegen may set itself ([`keys::GLUETUN_KEYS_ACEGEN_MAY_SET`],
/// or their `_2`), at their keys.
pub(super) fn control_server_keys_in(env: &ParsedEnv, env_file: &Utf8Path) -> Vec<Sourced<String>> {
    keys_at(env, env_file, |e| {
        let base = e.key.strip_suffix("_2").unwrap_or(&e.key);
        keys::GLUETUN_KEYS_ACEGEN_MAY_SET.contains(&base)
    })
}

/// The entries `keep` accepts, each key at its position in the file.
fn keys_at(
    env: &ParsedEnv,
    env_file: &Utf8Path,
    mut keep: impl FnMut(&EnvEntry) -> bool,
) -> Vec<Sourced<String>> {
    env.entries
        .iter()
        .filter(|e| keep(e))
        .map(|e| Sourced {
            value: e.key.clone(),
            origin: Origin::EnvFile {
                file: env_file.to_owned(),
                position: e.key_pos,
                length: e.key.chars().count(),
            },
        })
        .collect()
}
