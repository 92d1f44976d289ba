//! What validation hands on: the typed `Settings`, each value with where it
//! came from, and the raw text of every key for `explain`.

use super::values::{EngineVariant, MemorySize, PortRange, VpnMode};
use crate::diagnostic::{Location, Position};
use camino::Utf8PathBuf;
use std::collections::BTreeMap;
use std::net::IpAddr;

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
    /// The orchestrator's own keys found in `.env` ([`crate::keys::ORCHESTRATOR_OWN_KEYS`]), in file order.
    pub orchestrator_keys: Vec<Sourced<String>>,
    /// Gluetun's own keys present in `.env`, in file order, without duplicates.
    pub gluetun_keys: Vec<String>,
    /// Gluetun's VPN connection settings given a value in `.env`
    /// ([`crate::keys::is_vpn_connection_key`]), in file order, at their keys.
    pub vpn_connection_keys: Vec<Sourced<String>>,
    /// Gluetun's control-server keys acegen may set itself
    /// ([`crate::keys::GLUETUN_KEYS_ACEGEN_MAY_SET`]) found in `.env`, at their keys.
    pub control_server_keys: Vec<Sourced<String>>,
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
