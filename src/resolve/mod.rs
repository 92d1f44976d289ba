//! Resolution (docs/spec.md §2): which variant, which VPN layout, and every engine's
//! image, command, ports and labels. The result, a [`Plan`], is all that
//! rendering and `explain` need.

mod clashes;
pub mod orchestrator;
pub mod ports;

use crate::diagnostic::{Diagnostic, Severity};
use crate::keys;
use crate::validate::custom_variant::{CustomVariant, Platform, TorrentMount};
use crate::validate::settings::{EngineVariant, Origin, PortRange, Settings, Sourced, VpnMode};
use crate::variants;
pub use orchestrator::{OrchestratorService, Stack};
use ports::{EnginePorts, Layout, NamedRange, PortError, PortRequest, RangeName, VpnStack};
use std::net::IpAddr;

/// Why this variant was chosen (docs/spec.md §2.1).
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

/// What resolution needs beyond the settings.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// `--replicas N`.
    pub replicas: Option<u32>,
    /// Forwarded ports read from a running Gluetun, per VPN (overrides the settings).
    pub forwarded_from_control_server: [Option<ForwardedPort>; 2],
    /// `--stack`.
    pub stack: Stack,
    /// The `.env` file read, as given; `None` when there was none.
    pub env_file: Option<String>,
}

/// A configuration that cannot be resolved into engines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    /// The setting the problem is about, for its position.
    pub origin: Option<Origin>,
    /// Or a position in the custom variant file.
    pub custom_variant_at: Option<(camino::Utf8PathBuf, crate::diagnostic::Position, usize)>,
}

impl ResolveError {
    fn new(code: &'static str, message: impl Into<String>, origin: Option<&Origin>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
            origin: origin.cloned(),
            custom_variant_at: None,
        }
    }

    fn warning(code: &'static str, message: impl Into<String>, origin: Option<&Origin>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::new(code, message, origin)
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::error(self.code, self.message.clone());
        d.severity = self.severity;
        d.hint = self.hint.clone();
        if let Some((file, position, length)) = &self.custom_variant_at {
            d.location = Some(crate::diagnostic::Location::at(file, *position, *length));
        } else if let Some(location) = self.origin.as_ref().and_then(Origin::location) {
            d.location = Some(location);
        } else if self.origin == Some(Origin::CommandLine) {
            d.message.push_str(" (from the command line)");
        }
        d
    }
}

/// Resolves the settings and custom variant into a plan; returns the plan
/// when there is no error, and every problem (warnings included).
pub fn resolve(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    options: &ResolveOptions,
) -> (Option<Plan>, Vec<ResolveError>) {
    let mut problems = Vec::new();
    let custom = custom.filter(|c| c.enabled);
    let variant = choose_variant(settings, custom);
    warn_about_unused_settings(settings, custom, &variant, &mut problems);
    warn_about_overridden_forwarded_ports(settings, options, &mut problems);
    if options.stack == Stack::Orchestrator {
        return orchestrator::resolve_stack(settings, custom, variant, options, problems);
    }
    orchestrator::warn_about_orchestrator_settings_with_engines(settings, &mut problems);
    let count = engine_count(settings, options, &mut problems);
    let vpn_names = vpn_names(settings, &mut problems);
    check_custom_port_parameter(custom, &vpn_names, &mut problems);
    check_label_key(settings, &mut problems);
    let forwarded: Vec<Option<ForwardedPort>> = (0..vpn_names.as_ref().map_or(0, Vec::len))
        .map(|v| forwarded_port(settings, options, v))
        .collect();
    let layout = match &vpn_names {
        Some(names) => vpn_layout(settings, names, &forwarded, &mut problems),
        None => Some(own_stacks_layout(settings)),
    };
    let (Some(count), Some(layout)) = (count, layout) else {
        return (None, problems);
    };
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return (None, problems);
    }
    let request = PortRequest {
        engines: count,
        layout,
        https_range: NamedRange {
            name: RangeName::AceHttpsRange,
            range: settings.ace_https_range.value,
        },
        p2p_range: NamedRange {
            name: RangeName::EngineP2pRange,
            range: settings.engine_p2p_range.value,
        },
    };
    // Behind a VPN, also the ports of engines up to MAX_REPLICAS: the VPN
    // services publish them (see build_vpns).
    let reserve_up_to = match request.layout {
        Layout::Vpn(_) => settings.max_replicas.value as usize,
        Layout::OwnStacks { .. } => count,
    };
    let engine_ranges: Vec<NamedRange> = match &request.layout {
        Layout::OwnStacks { http_range, .. } => vec![*http_range],
        Layout::Vpn(stacks) => stacks.iter().map(|s| s.http_range).collect(),
    };
    let bind_ip = settings.port_bind_ip.as_ref().map(|ip| ip.value);
    let api_controls = control_servers(&request.layout, vpn_names.as_deref());
    clashes::check(
        settings,
        Stack::Engines,
        &clashes::EngineRanges {
            ranges: &engine_ranges,
            address: bind_ip,
        },
        &api_controls,
        &mut problems,
    );
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return (None, problems);
    }
    let allocation = match ports::allocate_reserving(&request, reserve_up_to) {
        Ok(allocation) => allocation,
        Err(error) => {
            problems.push(port_error(settings, &error));
            return (None, problems);
        }
    };
    let vpn_names = vpn_names.unwrap_or_default();
    let engines = allocation[..count]
        .iter()
        .enumerate()
        .map(|(i, ports)| build_engine(settings, &variant, &vpn_names, i + 1, *ports))
        .collect::<Vec<_>>();
    let vpns = build_vpns(
        settings,
        &request.layout,
        &vpn_names,
        &allocation,
        forwarded,
    );
    let plan = Plan {
        stack: Stack::Engines,
        orchestrator: None,
        memory_limit: memory_limit(settings, custom),
        vpn_layout: match vpn_names.len() {
            0 => VpnLayout::None,
            1 => VpnLayout::Single,
            _ => VpnLayout::Redundant,
        },
        variant,
        vpns,
        engines,
        network: settings.docker_network.as_ref().map(|n| n.value.clone()),
        bind_ip,
        torrent_mount: custom.and_then(|c| c.torrent_mount.clone()),
    };
    (Some(plan), problems)
}

/// The engines' memory limit: the custom variant's, else ENGINE_MEMORY_LIMIT.
fn memory_limit(settings: &Settings, custom: Option<&CustomVariant>) -> Option<String> {
    match custom {
        // The custom file's "0" wins: the orchestrator gives no limit.
        Some(c) if c.no_memory_limit => None,
        _ => custom
            .and_then(|c| c.memory_limit.as_ref())
            .or(settings.engine_memory_limit.as_ref().map(|m| &m.value))
            .map(|m| m.text.clone()),
    }
}

/// The VPN control servers of a layout, for the host-port clash check
/// (which runs before allocation).
fn control_servers<'a>(
    layout: &Layout,
    names: Option<&'a [String]>,
) -> Vec<clashes::ControlServer<'a>> {
    let (Layout::Vpn(stacks), Some(names)) = (layout, names) else {
        return Vec::new();
    };
    stacks
        .iter()
        .zip(names)
        .enumerate()
        .map(|(v, (stack, name))| clashes::ControlServer {
            number: v + 1,
            name,
            host_port: stack.api_host_port,
        })
        .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn choose_variant(settings: &Settings, custom: Option<&CustomVariant>) -> Variant {
    if let Some(custom) = custom {
        return custom_variant(custom);
    }
    let chosen = &settings.engine_variant;
    let rule = match chosen.origin {
        Origin::Default => VariantRule::Default,
        ref origin => VariantRule::EngineVariant(origin.clone()),
    };
    let (image, launch, jopsis) = match chosen.value {
        EngineVariant::Krinkuto11Amd64 => {
            let mut command = vec![variants::NANO_ACE_ENGINE.to_owned()];
            command.extend(strings(variants::KRINKUTO11_BASE_ARGS));
            (
                format!("{}:latest", variants::NANO_ACE_IMAGE),
                Launch::Command(command),
                false,
            )
        }
        EngineVariant::JopsisAmd64 => (
            format!("{}:x64", variants::JOPSIS_IMAGE),
            Launch::AcestreamArgs(variants::JOPSIS_AMD64_ARGS.to_owned()),
            true,
        ),
        EngineVariant::JopsisArm32 | EngineVariant::JopsisArm64 => {
            let tag = if chosen.value == EngineVariant::JopsisArm32 {
                &settings.arm32_version.value
            } else {
                &settings.arm64_version.value
            };
            let mut command = strings(variants::JOPSIS_ARM_PROGRAM);
            command.extend(strings(variants::JOPSIS_ARM_BASE_ARGS));
            (
                format!("{}:{tag}", variants::JOPSIS_IMAGE),
                Launch::Command(command),
                true,
            )
        }
    };
    Variant {
        label: chosen.value.name().to_owned(),
        engine_variant_label: chosen.value.name().to_owned(),
        rule,
        image,
        launch,
        jopsis_healthcheck: jopsis,
    }
}

fn custom_variant(custom: &CustomVariant) -> Variant {
    let (image, mut command, jopsis) = match custom.platform {
        Platform::Amd64 => {
            let tag = if custom.amd64_version == variants::DEFAULT_AMD64_VERSION {
                "latest"
            } else {
                custom.amd64_version.as_str()
            };
            (
                format!("{}:{tag}", variants::NANO_ACE_IMAGE),
                vec![variants::NANO_ACE_ENGINE.to_owned()],
                false,
            )
        }
        Platform::Arm32 | Platform::Arm64 => (
            format!(
                "{}:{}-v{}",
                variants::JOPSIS_IMAGE,
                custom.platform.name(),
                custom.arm_version
            ),
            strings(variants::JOPSIS_ARM_PROGRAM),
            true,
        ),
    };
    command.extend(custom.parameters.iter().flat_map(|p| p.arguments()));
    Variant {
        label: custom.label(),
        engine_variant_label: custom.platform.name().to_owned(),
        rule: VariantRule::CustomVariant,
        image,
        launch: Launch::Command(command),
        jopsis_healthcheck: jopsis,
    }
}

fn engine_count(
    settings: &Settings,
    options: &ResolveOptions,
    problems: &mut Vec<ResolveError>,
) -> Option<usize> {
    let (count, origin) = match options.replicas {
        Some(n) => (n, Origin::CommandLine),
        None => (
            settings.min_replicas.value,
            settings.min_replicas.origin.clone(),
        ),
    };
    let max = &settings.max_replicas;
    if count == 0 {
        // Valid (MIN_REPLICAS ≤ MAX_REPLICAS holds): the orchestrator's
        // autoscaler adds engines later, behind the VPNs generated here.
        let what = if settings.gluetun_container_name.is_some() {
            "the file holds only the VPN services, for the orchestrator to add engines to"
        } else {
            "the file has no services"
        };
        problems.push(
            ResolveError::warning(
                "W0403",
                format!("0 engines asked for: {what}"),
                Some(&origin),
            )
            .hint("set MIN_REPLICAS (or --replicas) to the number of engines to generate"),
        );
        return Some(0);
    }
    if max.value > 0 && count > max.value {
        // MIN_REPLICAS above MAX_REPLICAS (from .env or --set) is validation's E0202
        // already: report the problem once. Only --replicas is new here.
        if options.replicas.is_some() {
            // The message names where MAX_REPLICAS came from; the location, when it has
            // one, points at MAX_REPLICAS in .env (the value to raise).
            let located = max.origin.location().map(|_| &max.origin);
            problems.push(
                ResolveError::new(
                    "E0401",
                    format!(
                        "{count} engines asked for (--replicas), but MAX_REPLICAS is {} ({})",
                        max.value,
                        max_replicas_source(&max.origin)
                    ),
                    located,
                )
                .hint(format!("raise MAX_REPLICAS to at least {count}")),
            );
        }
        return None;
    }
    Some(count as usize)
}

/// Where MAX_REPLICAS came from, for a message: `default`, `.env:4`, `--set`.
fn max_replicas_source(origin: &Origin) -> String {
    match origin {
        Origin::Default => "the default".to_owned(),
        Origin::CommandLine => "from --set".to_owned(),
        Origin::EnvFile { .. } => format!("from {}", origin.describe()),
    }
}

/// The VPN service names: none, one, or two (redundant).
fn vpn_names(settings: &Settings, problems: &mut Vec<ResolveError>) -> Option<Vec<String>> {
    let first = settings.gluetun_container_name.as_ref();
    let second = settings.gluetun_container_name_2.as_ref();
    let mode = &settings.vpn_mode;
    let names = match (mode.value, first, second) {
        (VpnMode::Single, None, _) => return None,
        // VPN_MODE=redundant left at its default with no names: no VPN.
        (VpnMode::Redundant, None, None) if mode.origin == Origin::Default => return None,
        (VpnMode::Single, Some(first), _) => vec![first.value.clone()],
        (VpnMode::Redundant, Some(first), Some(second)) => {
            if first.value == second.value {
                problems.push(
                    ResolveError::new(
                        "E0402",
                        format!(
                            "redundant VPN mode needs two different VPN names, both are `{}`",
                            first.value
                        ),
                        Some(&second.origin),
                    )
                    .hint("give GLUETUN_CONTAINER_NAME_2 a name of its own, e.g. gluetun2"),
                );
                return None;
            }
            vec![first.value.clone(), second.value.clone()]
        }
        (VpnMode::Redundant, _, _) => {
            let missing = if first.is_none() {
                keys::GLUETUN_CONTAINER_NAME
            } else {
                keys::GLUETUN_CONTAINER_NAME_2
            };
            problems.push(
                ResolveError::new(
                    "E0402",
                    format!("VPN_MODE=redundant needs both VPN names, but {missing} is not set"),
                    Some(&mode.origin),
                )
                .hint(
                    "set GLUETUN_CONTAINER_NAME and GLUETUN_CONTAINER_NAME_2, or VPN_MODE=single",
                ),
            );
            return None;
        }
    };
    for (name, origin) in names.iter().zip([first, second].into_iter().flatten()) {
        if is_engine_name(name) {
            problems.push(
                ResolveError::new(
                    "E0402",
                    format!("VPN name `{name}` is also the name of an engine service"),
                    Some(&origin.origin),
                )
                .hint("engines are named acestream-1 … acestream-N: pick another VPN name"),
            );
        }
    }
    Some(names)
}

fn is_engine_name(name: &str) -> bool {
    name.strip_prefix("acestream-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn check_custom_port_parameter(
    custom: Option<&CustomVariant>,
    vpn_names: &Option<Vec<String>>,
    problems: &mut Vec<ResolveError>,
) {
    let (Some(custom), Some(_)) = (custom, vpn_names) else {
        return;
    };
    if let Some(parameter) = custom.enabled_parameter("--port") {
        let mut error = ResolveError::new(
            "E0405",
            "the custom variant enables `--port`, but engines behind a VPN share its network stack and cannot all bind one P2P port",
            None,
        )
        .hint("disable `--port`: acegen gives each engine behind a VPN its own P2P port (ENGINE_P2P_RANGE), and the forwarded port to the first");
        error.custom_variant_at = parameter
            .position
            .map(|(position, length)| (custom.file.clone(), position, length));
        problems.push(error);
    }
}

const ACEGEN_LABELS: &[&str] = &[
    "acestream.engine_variant",
    "acestream.http_port",
    "acestream.https_port",
    "host.http_port",
    "host.https_port",
    "acestream.vpn_container",
    "acestream.forwarded",
];

fn check_label_key(settings: &Settings, problems: &mut Vec<ResolveError>) {
    let label = &settings.container_label;
    if ACEGEN_LABELS.contains(&label.value.0.as_str()) {
        problems.push(
            ResolveError::new(
                "E0406",
                format!(
                    "CONTAINER_LABEL key `{}` is a label acegen sets itself",
                    label.value.0
                ),
                Some(&label.origin),
            )
            .hint("use a key of your own, e.g. acegen.engines=static"),
        );
    }
}

fn own_stacks_layout(settings: &Settings) -> Layout {
    Layout::OwnStacks {
        http_range: NamedRange {
            name: RangeName::PortRangeHost,
            range: settings.port_range_host.value,
        },
        map_https: settings.ace_map_https.value,
    }
}

fn vpn_layout(
    settings: &Settings,
    names: &[String],
    forwarded: &[Option<ForwardedPort>],
    problems: &mut Vec<ResolveError>,
) -> Option<Layout> {
    let ranges = vpn_http_ranges(settings, names.len(), problems)?;
    let api = &settings.gluetun_api_port;
    let mut stacks = Vec::new();
    for (v, http_range) in ranges.into_iter().enumerate() {
        let Some(api_host_port) = api.value.checked_add(v as u16) else {
            problems.push(
                ResolveError::new(
                    "E0403",
                    format!("GLUETUN_API_PORT {} leaves no host port for VPN 2's control server (it takes GLUETUN_API_PORT+1)", api.value),
                    Some(&api.origin),
                )
                .hint("use a lower GLUETUN_API_PORT"),
            );
            return None;
        };
        stacks.push(VpnStack {
            http_range,
            api_port: api.value,
            api_host_port,
            forwarded_port: forwarded[v].as_ref().map(|f| f.port),
        });
    }
    Some(Layout::Vpn(stacks))
}

fn forwarded_port(
    settings: &Settings,
    options: &ResolveOptions,
    v: usize,
) -> Option<ForwardedPort> {
    if let Some(from_server) = &options.forwarded_from_control_server[v] {
        return Some(from_server.clone());
    }
    let setting = if v == 0 {
        &settings.gluetun_forwarded_port
    } else {
        &settings.gluetun_forwarded_port_2
    };
    setting.as_ref().map(|s| ForwardedPort {
        port: s.value,
        source: ForwardedSource::Setting(s.origin.clone()),
    })
}

fn vpn_http_ranges(
    settings: &Settings,
    vpn_count: usize,
    problems: &mut Vec<ResolveError>,
) -> Option<Vec<NamedRange>> {
    let named = |vpn: usize, s: &Sourced<PortRange>| NamedRange {
        name: RangeName::GluetunPortRange(vpn),
        range: s.value,
    };
    let first = settings.gluetun_port_range_1.as_ref();
    let second = settings.gluetun_port_range_2.as_ref();
    if vpn_count == 1 {
        return Some(vec![match first {
            Some(range) => named(1, range),
            None => NamedRange {
                name: RangeName::PortRangeHost,
                range: settings.port_range_host.value,
            },
        }]);
    }
    match (first, second) {
        (Some(a), Some(b)) => {
            if let Some(overlap) = overlapping_vpn_ranges(a, b) {
                problems.push(overlap);
                return None;
            }
            Some(vec![named(1, a), named(2, b)])
        }
        (None, None) => {
            let host = &settings.port_range_host;
            let (half_1, half_2) = host.value.halves();
            let Some(half_2) = half_2 else {
                problems.push(
                    ResolveError::new(
                        "E0403",
                        format!("PORT_RANGE_HOST {} has 1 port and cannot be split between two VPNs", host.value),
                        Some(&host.origin),
                    )
                    .hint("widen PORT_RANGE_HOST or set GLUETUN_PORT_RANGE_1 and GLUETUN_PORT_RANGE_2"),
                );
                return None;
            };
            Some(vec![
                NamedRange {
                    name: RangeName::PortRangeHostHalf(1),
                    range: half_1,
                },
                NamedRange {
                    name: RangeName::PortRangeHostHalf(2),
                    range: half_2,
                },
            ])
        }
        (Some(set), None) | (None, Some(set)) => {
            let (given, missing) = if first.is_some() {
                (keys::GLUETUN_PORT_RANGE_1, keys::GLUETUN_PORT_RANGE_2)
            } else {
                (keys::GLUETUN_PORT_RANGE_2, keys::GLUETUN_PORT_RANGE_1)
            };
            problems.push(
                ResolveError::new(
                    "E0403",
                    format!("{given} is set but {missing} is not: in redundant mode set both, or neither (PORT_RANGE_HOST is then split in two)"),
                    Some(&set.origin),
                )
                .hint(format!("add {missing}")),
            );
            None
        }
    }
}

fn port_error(settings: &Settings, error: &PortError) -> ResolveError {
    let range = match error {
        PortError::RangeTooSmall { range, .. } | PortError::Exhausted { range, .. } => range.name,
    };
    ResolveError::new("E0404", error.to_string(), range_origin(settings, range))
        .hint("widen the range, or generate fewer engines (MIN_REPLICAS / --replicas)")
}

/// The setting a range comes from, for a diagnostic's position.
fn range_origin(settings: &Settings, range: RangeName) -> Option<&Origin> {
    match range {
        RangeName::PortRangeHost | RangeName::PortRangeHostHalf(_) => {
            Some(&settings.port_range_host.origin)
        }
        RangeName::GluetunPortRange(1) => settings.gluetun_port_range_1.as_ref().map(|s| &s.origin),
        RangeName::GluetunPortRange(_) => settings.gluetun_port_range_2.as_ref().map(|s| &s.origin),
        RangeName::OrchestratorVpnPorts => Some(&settings.max_replicas.origin),
        RangeName::AceHttpsRange => Some(&settings.ace_https_range.origin),
        RangeName::EngineP2pRange => Some(&settings.engine_p2p_range.origin),
    }
}

fn build_engine(
    settings: &Settings,
    variant: &Variant,
    vpn_names: &[String],
    number: usize,
    ports: EnginePorts,
) -> Engine {
    let vpn = ports.vpn.map(|v| vpn_names[v].clone());
    let mut port_args = vec![
        "--http-port".to_owned(),
        ports.http.to_string(),
        "--https-port".to_owned(),
        ports.https.to_string(),
    ];
    if let Some(p2p) = ports.p2p {
        port_args.extend(["--port".to_owned(), p2p.to_string()]);
    }
    let (command, acestream_args) = match &variant.launch {
        Launch::Command(base) => (Some([base.clone(), port_args].concat()), None),
        Launch::AcestreamArgs(base) => (None, Some(format!("{base} {}", port_args.join(" ")))),
    };
    let (label_key, label_value) = settings.container_label.value.clone();
    let mut labels = vec![
        (label_key, label_value),
        (
            "acestream.engine_variant".to_owned(),
            variant.engine_variant_label.clone(),
        ),
        ("acestream.http_port".to_owned(), ports.http.to_string()),
        ("acestream.https_port".to_owned(), ports.https.to_string()),
        ("host.http_port".to_owned(), ports.http.to_string()),
    ];
    if let Some(host) = ports.https_host {
        labels.push(("host.https_port".to_owned(), host.to_string()));
    }
    if let Some(vpn) = &vpn {
        labels.push(("acestream.vpn_container".to_owned(), vpn.clone()));
    }
    if ports.forwarded {
        labels.push(("acestream.forwarded".to_owned(), "true".to_owned()));
    }
    let healthcheck = variant.jopsis_healthcheck.then(|| match &vpn {
        Some(_) => vpn_engine_healthcheck(ports.http),
        None => jopsis_healthcheck(ports.http),
    });
    Engine {
        number,
        name: format!("acestream-{number}"),
        vpn,
        ports,
        command,
        acestream_args,
        labels,
        healthcheck,
    }
}

/// The jopsis images' own check probes port 6878; this probes the engine's port.
/// E0403 when the two VPNs' own ranges overlap: both would publish the
/// same host ports (in both stacks).
pub(crate) fn overlapping_vpn_ranges(
    first: &Sourced<PortRange>,
    second: &Sourced<PortRange>,
) -> Option<ResolveError> {
    first.value.overlaps(&second.value).then(|| {
        ResolveError::new(
            "E0403",
            format!(
                "GLUETUN_PORT_RANGE_1 {} and GLUETUN_PORT_RANGE_2 {} overlap: both VPNs would publish the same host ports",
                first.value, second.value
            ),
            Some(&second.origin),
        )
        .hint("give the two VPNs disjoint ranges, e.g. 19000-19499 and 19500-19999")
    })
}

pub fn jopsis_healthcheck(http_port: u16) -> Vec<String> {
    vec![
        "CMD-SHELL".to_owned(),
        format!(
            "wget -q -t1 -O- 'http://127.0.0.1:{http_port}/webui/api/service?method=get_version' | grep -q '\"error\": null'"
        ),
    ]
}

/// Behind a VPN, the check first looks at the engine's network namespace:
/// when the VPN container is restarted outside compose, the engine stays in
/// the old namespace, which keeps only `lo` (in `/proc/net/dev`, beside the
/// two header lines holding `|`). The engine still answers on 127.0.0.1
/// there, so the port probe alone cannot see it. The check then ends every
/// process but PID 1 (`init: true` makes PID 1 Docker's init, which exits
/// with its child; a signal from inside never reaches a PID 1 that set no
/// handler), and `restart: unless-stopped` starts the engine again inside
/// the VPN's new namespace. `kill -SIG -1` is the form dash, bash and
/// busybox all accept; no `$`, which compose would interpolate.
pub fn vpn_engine_healthcheck(http_port: u16) -> Vec<String> {
    let mut test = jopsis_healthcheck(http_port);
    test[1] = format!("{VPN_NAMESPACE_WATCHDOG}; {}", test[1]);
    test
}

/// The first half of [`vpn_engine_healthcheck`]; also found by `has_vpn_watchdog`.
pub const VPN_NAMESPACE_WATCHDOG: &str = "grep -q -v -e '^ *lo:' -e '|' /proc/net/dev || { sleep 5; kill -TERM -1; sleep 3; kill -KILL -1; exit 1; }";

/// Whether the engine's health check ends it in a dead network namespace,
/// which needs `init: true` (see [`vpn_engine_healthcheck`]).
pub fn has_vpn_watchdog(engine: &Engine) -> bool {
    engine.vpn.is_some()
        && engine
            .healthcheck
            .as_ref()
            .is_some_and(|test| test.iter().any(|t| t.starts_with(VPN_NAMESPACE_WATCHDOG)))
}

/// The VPN services. Each publishes the HTTP ports of every engine it may
/// hold up to MAX_REPLICAS (`reserved`: the engines' own ports, then those
/// engines added later would get), not only those generated now: a change
/// to its ports would recreate the VPN container and so restart all its
/// engines, and the orchestrator's autoscaler needs them published.
fn build_vpns(
    settings: &Settings,
    layout: &Layout,
    names: &[String],
    reserved: &[EnginePorts],
    forwarded: Vec<Option<ForwardedPort>>,
) -> Vec<VpnService> {
    let Layout::Vpn(stacks) = layout else {
        return Vec::new();
    };
    stacks
        .iter()
        .zip(forwarded)
        .enumerate()
        .map(|(v, (stack, forwarded))| {
            let mut published: Vec<u16> = reserved
                .iter()
                .filter(|p| p.vpn == Some(v))
                .map(|p| p.http)
                .collect();
            published.sort_unstable();
            build_vpn_service(settings, v, names, stack, published, forwarded)
        })
        .collect()
}

/// VPN `v` (0-based) publishing `published` engine HTTP ports.
fn build_vpn_service(
    settings: &Settings,
    v: usize,
    names: &[String],
    stack: &VpnStack,
    published: Vec<u16>,
    forwarded: Option<ForwardedPort>,
) -> VpnService {
    VpnService {
        number: v + 1,
        name: names[v].clone(),
        api_port: stack.api_port,
        api_host_port: stack.api_host_port,
        http_range: stack.http_range.range,
        environment: gluetun_environment(settings, v + 1, stack, forwarded.as_ref()),
        forwarded,
        published_ports: published,
    }
}

/// The Gluetun service's environment: acegen's own keys, then Gluetun's keys
/// from `.env` by reference, so that secrets stay in `.env`.
fn gluetun_environment(
    settings: &Settings,
    number: usize,
    stack: &VpnStack,
    forwarded: Option<&ForwardedPort>,
) -> Vec<(String, EnvValue)> {
    let mut environment = vec![(
        "HTTP_CONTROL_SERVER_ADDRESS".to_owned(),
        EnvValue::Literal(format!(":{}", stack.api_port)),
    )];
    let mut owned: Vec<&str> = keys::GLUETUN_OWNED_KEYS.to_vec();
    if settings.gluetun_api_key_set {
        environment.push((
            "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE".to_owned(),
            EnvValue::Interpolated(format!(
                r#"{{"auth":"apikey","apikey":"${{{}}}"}}"#,
                keys::GLUETUN_API_KEY
            )),
        ));
        owned.push("HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE");
    }
    let passed = passthrough_keys(&settings.gluetun_keys, number);
    let firewall_set = passed
        .iter()
        .any(|(key, _)| key == "FIREWALL_VPN_INPUT_PORTS");
    if let Some(ForwardedPort {
        port,
        source: ForwardedSource::Setting(_),
    }) = forwarded
    {
        if !firewall_set {
            environment.push((
                "FIREWALL_VPN_INPUT_PORTS".to_owned(),
                EnvValue::Literal(port.to_string()),
            ));
        }
    }
    environment.extend(
        passed
            .into_iter()
            .filter(|(key, _)| !owned.contains(&key.as_str()))
            .map(|(key, source)| (key, EnvValue::Reference(source))),
    );
    environment
}

/// Gluetun keys for VPN `number`: `(key in the container, .env key it reads)`.
/// VPN 2 reads `KEY_2` where `.env` defines it, else `KEY`; `_2` keys are
/// never passed under their own name.
fn passthrough_keys(gluetun_keys: &[String], number: usize) -> Vec<(String, String)> {
    // Sets, not scans: a `.env` may hold many thousand such keys (issue 16).
    let defined: std::collections::HashSet<&str> =
        gluetun_keys.iter().map(String::as_str).collect();
    let mut passed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut result: Vec<(String, String)> = Vec::new();
    for key in gluetun_keys {
        let base = key.strip_suffix("_2").unwrap_or(key);
        if !passed.insert(base) {
            continue;
        }
        let second = format!("{base}_2");
        let source = if number == 2 && defined.contains(second.as_str()) {
            second
        } else if defined.contains(base) {
            base.to_owned()
        } else {
            continue;
        };
        result.push((base.to_owned(), source));
    }
    result
}

/// A port read from a running Gluetun replaces the one written in `.env`;
/// say so, since the two disagreeing usually means `.env` is stale.
fn warn_about_overridden_forwarded_ports(
    settings: &Settings,
    options: &ResolveOptions,
    problems: &mut Vec<ResolveError>,
) {
    let written = [
        &settings.gluetun_forwarded_port,
        &settings.gluetun_forwarded_port_2,
    ];
    for (v, (from_server, setting)) in options
        .forwarded_from_control_server
        .iter()
        .zip(written)
        .enumerate()
    {
        if let (Some(from_server), Some(setting)) = (from_server, setting) {
            if from_server.port != setting.value {
                let key = if v == 0 {
                    keys::GLUETUN_FORWARDED_PORT
                } else {
                    keys::GLUETUN_FORWARDED_PORT_2
                };
                problems.push(
                    ResolveError::warning(
                        "W0402",
                        format!(
                            "{key} is {} but the control server forwards {}; the control server's port is used",
                            setting.value, from_server.port
                        ),
                        Some(&setting.origin),
                    )
                    .hint(format!("remove {key} from .env when the port is read from the control server")),
                );
            }
        }
    }
}

/// Settings that are valid but do nothing in the chosen mode.
fn warn_about_unused_settings(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    variant: &Variant,
    problems: &mut Vec<ResolveError>,
) {
    let behind_vpn = settings.gluetun_container_name.is_some();
    let redundant = settings.vpn_mode.value == VpnMode::Redundant;
    let mut unused = |set: bool, origin: &Origin, message: String| {
        if set && *origin != Origin::Default {
            problems.push(
                ResolveError::warning("W0401", message, Some(origin))
                    .hint("acegen ignores this setting here; remove it to silence this warning"),
            );
        }
    };
    let map = &settings.ace_map_https;
    unused(
        map.value && behind_vpn,
        &map.origin,
        "ACE_MAP_HTTPS has no effect behind a VPN: only engine HTTP ports are published".to_owned(),
    );
    let label = variant.label.as_str();
    unused(
        label != "jopsis-arm32",
        &settings.arm32_version.origin,
        format!("ENGINE_ARM32_VERSION has no effect: the variant is {label}"),
    );
    unused(
        label != "jopsis-arm64",
        &settings.arm64_version.origin,
        format!("ENGINE_ARM64_VERSION has no effect: the variant is {label}"),
    );
    if custom.is_some() {
        unused(
            true,
            &settings.engine_variant.origin,
            "ENGINE_VARIANT has no effect: the custom variant file is enabled and takes priority"
                .to_owned(),
        );
    }
    let needs_vpn = [
        (&settings.gluetun_image.origin, keys::GLUETUN_IMAGE),
        (&settings.gluetun_api_port.origin, keys::GLUETUN_API_PORT),
        (&settings.engine_p2p_range.origin, keys::ENGINE_P2P_RANGE),
        (
            &settings.raw[keys::GLUETUN_API_KEY].origin,
            keys::GLUETUN_API_KEY,
        ),
    ];
    for (origin, key) in needs_vpn {
        unused(
            !behind_vpn,
            origin,
            format!("{key} has no effect without GLUETUN_CONTAINER_NAME: there is no VPN service"),
        );
    }
    if let (Some(limit), Some(custom)) = (&settings.engine_memory_limit, custom) {
        unused(
            custom.memory_limit.is_some() || custom.no_memory_limit,
            &limit.origin,
            "ENGINE_MEMORY_LIMIT has no effect: the custom variant's memory_limit takes priority"
                .to_owned(),
        );
    }
    let vpn_only = [
        (
            settings
                .gluetun_container_name_2
                .as_ref()
                .map(|s| s.origin.clone()),
            !redundant,
            "GLUETUN_CONTAINER_NAME_2 has no effect unless VPN_MODE=redundant",
        ),
        (
            settings
                .gluetun_forwarded_port
                .as_ref()
                .map(|s| s.origin.clone()),
            !behind_vpn,
            "GLUETUN_FORWARDED_PORT has no effect without GLUETUN_CONTAINER_NAME",
        ),
        (
            settings
                .gluetun_forwarded_port_2
                .as_ref()
                .map(|s| s.origin.clone()),
            !(behind_vpn && redundant),
            "GLUETUN_FORWARDED_PORT_2 has no effect unless VPN_MODE=redundant",
        ),
        (
            settings
                .gluetun_port_range_1
                .as_ref()
                .map(|s| s.origin.clone()),
            !behind_vpn,
            "GLUETUN_PORT_RANGE_1 has no effect without GLUETUN_CONTAINER_NAME",
        ),
        (
            settings
                .gluetun_port_range_2
                .as_ref()
                .map(|s| s.origin.clone()),
            !(behind_vpn && redundant),
            "GLUETUN_PORT_RANGE_2 has no effect unless VPN_MODE=redundant",
        ),
    ];
    for (origin, condition, message) in vpn_only {
        if let Some(origin) = origin {
            unused(condition, &origin, message.to_owned());
        }
    }
}

#[cfg(test)]
mod tests;
