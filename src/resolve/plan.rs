//! The plan: the single target-neutral result of resolution, which every
//! renderer and `explain` read. Only types live here; the files named for
//! each decision fill them in.

use super::ports::EnginePorts;
use crate::validate::custom_variant::TorrentMount;
use crate::validate::settings::{Origin, PortRange};
use std::net::IpAddr;

/// Why this variant was chosen (docs/development/spec.md §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantRule {
    /// The custom variant file exists and is enabled.
    CustomVariant,
    /// ENGINE_VARIANT, from `.env` or `--set`.
    EngineVariant(Origin),
    /// Nothing chose: the default variant.
    Default,
}

/// How the engine receives its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// An exec-form command; the ports are appended.
    Command(Vec<String>),
    /// jopsis-amd64: the ACESTREAM_ARGS environment variable.
    AcestreamArgs(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The variant's name as acegen shows it: a variant name or `custom-PLATFORM`.
    pub label: String,
    /// The `acestream.engine_variant` label's value: the variant name, or for
    /// a custom variant its platform (`amd64`), as the orchestrator writes it.
    pub engine_variant_label: String,
    pub rule: VariantRule,
    pub image: String,
    pub launch: Launch,
    /// jopsis images get a health check on the engine's own port.
    pub jopsis_healthcheck: bool,
}

/// A value in a service's environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvValue {
    /// Text that must reach the container as written (`$` is escaped).
    Literal(String),
    /// A reference to a `.env` key, `${KEY}`: the value stays in `.env`.
    Reference(String),
    /// Text in compose syntax already, with deliberate `${KEY}` references.
    Interpolated(String),
}

/// Where a forwarded P2P port came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardedSource {
    Setting(Origin),
    ControlServer(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedPort {
    pub port: u16,
    pub source: ForwardedSource,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpnService {
    /// 1 or 2.
    pub number: usize,
    pub name: String,
    pub api_port: u16,
    pub api_host_port: u16,
    pub http_range: PortRange,
    pub forwarded: Option<ForwardedPort>,
    /// Engine HTTP ports published by this service, ascending: those of
    /// every engine it may hold up to MAX_REPLICAS.
    pub published_ports: Vec<u16>,
    pub environment: Vec<(String, EnvValue)>,
    /// A file for Gluetun's control server: the auth roles of the routes
    /// the orchestrator calls (`--stack orchestrator` only).
    pub control_auth_file: Option<ControlAuthFile>,
}

/// A file to place in the Gluetun container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlAuthFile {
    pub path: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    /// 1-based.
    pub number: usize,
    pub name: String,
    pub vpn: Option<String>,
    pub ports: EnginePorts,
    pub command: Option<Vec<String>>,
    pub acestream_args: Option<String>,
    pub labels: Vec<(String, String)>,
    pub healthcheck: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VpnLayout {
    None,
    Single,
    Redundant,
}

impl VpnLayout {
    pub fn name(self) -> &'static str {
        match self {
            VpnLayout::None => "none",
            VpnLayout::Single => "single",
            VpnLayout::Redundant => "redundant",
        }
    }

    /// The layout of `vpns` VPN services.
    pub(super) fn of_count(vpns: usize) -> Self {
        match vpns {
            0 => VpnLayout::None,
            1 => VpnLayout::Single,
            _ => VpnLayout::Redundant,
        }
    }
}

/// Which deployment the file holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Stack {
    /// The engines as services, with their VPNs
    #[default]
    Engines,
    /// The orchestrator's own stack: the VPNs and the orchestrator, which starts the engines
    Orchestrator,
}

impl Stack {
    pub fn name(self) -> &'static str {
        match self {
            Stack::Engines => "engines",
            Stack::Orchestrator => "orchestrator",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrchestratorService {
    pub image: String,
    /// Host port of the dashboard and API (APP_PORT).
    pub app_port: u16,
    pub container_port: u16,
    /// `env_file:` — the `.env` acegen read, as given (relative paths are
    /// relative to the folder acegen runs in, which should be the project's).
    pub env_file: String,
    /// The VPN services it waits for (healthy) before it starts.
    pub depends_on: Vec<String>,
    /// `--set` values of keys the orchestrator reads: `environment:` wins
    /// over `env_file:`, so the orchestrator sees what acegen resolved.
    pub environment: Vec<(String, EnvValue)>,
    /// Engines it provisions when it starts (MIN_REPLICAS).
    pub min_replicas: u32,
    /// Without a VPN: the host ports it publishes its engines on itself.
    pub own_engine_ports: Option<PortRange>,
}

/// Everything the generated file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Engines (with their VPNs), or the orchestrator's own stack (no engines).
    pub stack: Stack,
    /// The `orchestrator` service, in the orchestrator's stack.
    pub orchestrator: Option<OrchestratorService>,
    /// The variant of the engines: those in the file, or those the
    /// orchestrator will start.
    pub variant: Variant,
    pub vpn_layout: VpnLayout,
    pub vpns: Vec<VpnService>,
    pub engines: Vec<Engine>,
    pub network: Option<String>,
    pub bind_ip: Option<IpAddr>,
    pub memory_limit: Option<String>,
    pub torrent_mount: Option<TorrentMount>,
}
