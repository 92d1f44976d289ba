//! `--stack orchestrator` (SPEC 5): the orchestrator's own deployment — the
//! VPN services and an `orchestrator` service, no engines (the orchestrator
//! starts them at run time). Each VPN publishes exactly the host ports the
//! orchestrator will give the engines it starts behind that VPN.

use super::clashes::{self, ControlServer, EngineRanges};
use super::ports::{NamedRange, RangeName, VpnStack};
use super::{
    build_vpn_service, check_label_key, forwarded_port, memory_limit, vpn_names, EnvValue, Plan,
    ResolveError, ResolveOptions, Variant, VpnLayout, VpnService,
};
use crate::keys;
use crate::validate::custom_variant::CustomVariant;
use crate::validate::settings::{Origin, PortRange, Settings};

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

/// The service name and container name of the orchestrator.
pub const SERVICE_NAME: &str = "orchestrator";
/// The port the orchestrator's image listens on, whatever APP_PORT says
/// (its start script runs uvicorn on 8000); APP_PORT is the host side.
pub const CONTAINER_PORT: u16 = 8000;
/// Where the orchestrator numbers engines behind a VPN without
/// GLUETUN_PORT_RANGE_1: 19000 … 19000+MAX_REPLICAS−1, whatever PORT_RANGE_HOST says.
pub const VPN_PORT_BASE: u16 = 19000;

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

/// Resolves the orchestrator's stack. `problems` already holds the
/// warnings about settings common to both shapes.
pub(super) fn resolve_stack(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    variant: Variant,
    options: &ResolveOptions,
    mut problems: Vec<ResolveError>,
) -> (Option<Plan>, Vec<ResolveError>) {
    if options.replicas.is_some() {
        problems.push(
            ResolveError::warning(
                "W0401",
                "--replicas has no effect with --stack orchestrator: the orchestrator starts MIN_REPLICAS engines itself",
                Some(&Origin::CommandLine),
            )
            .hint("set MIN_REPLICAS in .env (the orchestrator reads it from there)"),
        );
    }
    if options.env_file.is_none() {
        problems.push(
            ResolveError::warning(
                "W0421",
                "no .env file was read, but the orchestrator service reads `env_file: .env`: docker compose will refuse to start it until the file exists",
                None,
            )
            .hint("create .env (acegen init writes a starter), or give --env-file"),
        );
    }
    let names = vpn_names(settings, &mut problems);
    check_label_key(settings, &mut problems);
    check_vpn_names(settings, names.as_deref(), &mut problems);
    let ranges = match &names {
        Some(names) => vpn_ranges(settings, names.len(), &mut problems),
        None => Some(Vec::new()),
    };
    let names = names.unwrap_or_default();
    let Some(ranges) = ranges else {
        return (None, problems);
    };
    let Some(vpns) = vpn_services(settings, options, &names, &ranges, &mut problems) else {
        return (None, problems);
    };
    if vpns.is_empty() && settings.docker_network.is_none() {
        problems.push(
            ResolveError::warning(
                "W0423",
                "without a VPN the orchestrator reaches its engines by container name, but with no DOCKER_NETWORK they join Docker's default bridge, where names do not resolve and the orchestrator's own network is not",
                None,
            )
            .hint("set DOCKER_NETWORK (e.g. aceserver): acegen puts the orchestrator on it, and the orchestrator its engines"),
        );
    }
    let bind_ip = settings.port_bind_ip.as_ref().map(|ip| ip.value);
    // Without a VPN the orchestrator publishes each engine's port itself
    // (on every interface: it does not know PORT_BIND_IP).
    let own_range = NamedRange {
        name: RangeName::PortRangeHost,
        range: settings.port_range_host.value,
    };
    let (engine_ranges, address) = match vpns.is_empty() {
        true => (vec![own_range], None),
        false => (ranges.clone(), bind_ip),
    };
    let engines = EngineRanges {
        ranges: &engine_ranges,
        address,
    };
    let controls: Vec<ControlServer> = vpns
        .iter()
        .map(|vpn| ControlServer {
            number: vpn.number,
            name: &vpn.name,
            host_port: vpn.api_host_port,
        })
        .collect();
    clashes::check(
        settings,
        Stack::Orchestrator,
        &engines,
        &controls,
        &mut problems,
    );
    if problems
        .iter()
        .any(|p| p.severity == crate::diagnostic::Severity::Error)
    {
        return (None, problems);
    }
    let orchestrator = OrchestratorService {
        image: settings.orchestrator_image.value.clone(),
        app_port: settings.app_port.value,
        container_port: CONTAINER_PORT,
        env_file: options
            .env_file
            .clone()
            .unwrap_or_else(|| ".env".to_owned()),
        depends_on: names.clone(),
        environment: passed_overrides(settings),
        min_replicas: settings.min_replicas.value,
        own_engine_ports: vpns.is_empty().then_some(own_range.range),
    };
    let plan = Plan {
        stack: Stack::Orchestrator,
        vpn_layout: match names.len() {
            0 => VpnLayout::None,
            1 => VpnLayout::Single,
            _ => VpnLayout::Redundant,
        },
        memory_limit: memory_limit(settings, custom),
        torrent_mount: custom.and_then(|c| c.torrent_mount.clone()),
        variant,
        vpns,
        engines: Vec::new(),
        network: settings.docker_network.as_ref().map(|n| n.value.clone()),
        bind_ip,
        orchestrator: Some(orchestrator),
    };
    (Some(plan), problems)
}

/// A VPN cannot take the orchestrator service's name.
fn check_vpn_names(
    settings: &Settings,
    names: Option<&[String]>,
    problems: &mut Vec<ResolveError>,
) {
    let settings_of_names = [
        &settings.gluetun_container_name,
        &settings.gluetun_container_name_2,
    ];
    for (name, setting) in names.unwrap_or_default().iter().zip(settings_of_names) {
        if name == SERVICE_NAME {
            problems.push(
                ResolveError::new(
                    "E0422",
                    format!("VPN name `{name}` is the name of the orchestrator service"),
                    setting.as_ref().map(|s| &s.origin),
                )
                .hint("pick another VPN name, e.g. gluetun"),
            );
        }
    }
}

/// One Gluetun service per VPN, publishing its whole range.
fn vpn_services(
    settings: &Settings,
    options: &ResolveOptions,
    names: &[String],
    ranges: &[NamedRange],
    problems: &mut Vec<ResolveError>,
) -> Option<Vec<VpnService>> {
    let api = &settings.gluetun_api_port;
    let mut vpns = Vec::new();
    for (v, range) in ranges.iter().enumerate() {
        let Some(api_host_port) = api.value.checked_add(v as u16) else {
            problems.push(ResolveError::new(
                "E0403",
                format!("GLUETUN_API_PORT {} leaves no host port for VPN 2's control server (it takes GLUETUN_API_PORT+1)", api.value),
                Some(&api.origin),
            ));
            return None;
        };
        let forwarded = forwarded_port(settings, options, v);
        let stack = VpnStack {
            http_range: *range,
            api_port: api.value,
            api_host_port,
            forwarded_port: forwarded.as_ref().map(|f| f.port),
        };
        let published = range.range.ports().collect();
        vpns.push(build_vpn_service(
            settings, v, names, &stack, published, forwarded,
        ));
    }
    Some(vpns)
}

/// The host ports the orchestrator will give engines behind each VPN
/// (measured on its code): a per-VPN range when set, which it moves through
/// whole as engines are replaced; in single mode without one, 19000 …
/// 19000+MAX_REPLICAS−1; in redundant mode without both, one counter for
/// both VPNs, so VPN 2's engines would get ports VPN 2 does not publish.
fn vpn_ranges(
    settings: &Settings,
    vpn_count: usize,
    problems: &mut Vec<ResolveError>,
) -> Option<Vec<NamedRange>> {
    let named = |vpn: usize, range: PortRange| NamedRange {
        name: RangeName::GluetunPortRange(vpn),
        range,
    };
    let first = settings.gluetun_port_range_1.as_ref();
    let second = settings.gluetun_port_range_2.as_ref();
    if vpn_count == 1 {
        if let Some(range) = first {
            return Some(vec![named(1, range.value)]);
        }
        let max = &settings.max_replicas;
        let end = u32::from(VPN_PORT_BASE) + max.value.saturating_sub(1);
        let Ok(end) = u16::try_from(end) else {
            problems.push(
                ResolveError::new(
                    "E0423",
                    format!("MAX_REPLICAS {} is too many for the orchestrator's ports behind a VPN: it numbers them from 19000 and would pass 65535", max.value),
                    Some(&max.origin),
                )
                .hint("set GLUETUN_PORT_RANGE_1 to the range its engines should use"),
            );
            return None;
        };
        let port_range_host = &settings.port_range_host;
        if port_range_host.origin != Origin::Default {
            problems.push(
                ResolveError::warning(
                    "W0420",
                    format!("PORT_RANGE_HOST has no effect on the orchestrator behind a VPN: without GLUETUN_PORT_RANGE_1 it gives engines 19000-{end} (19000 + MAX_REPLICAS)"),
                    Some(&port_range_host.origin),
                )
                .hint(format!("set GLUETUN_PORT_RANGE_1={} to have the orchestrator use that range", port_range_host.value)),
            );
        }
        return Some(vec![NamedRange {
            name: RangeName::OrchestratorVpnPorts,
            range: PortRange {
                start: VPN_PORT_BASE,
                end,
            },
        }]);
    }
    match (first, second) {
        (Some(a), Some(b)) => match super::overlapping_vpn_ranges(a, b) {
            Some(overlap) => {
                problems.push(overlap);
                None
            }
            None => Some(vec![named(1, a.value), named(2, b.value)]),
        },
        _ => {
            let origin = first
                .or(second)
                .map_or(&settings.vpn_mode.origin, |s| &s.origin);
            problems.push(
                ResolveError::new(
                    "E0421",
                    "the orchestrator in redundant mode needs GLUETUN_PORT_RANGE_1 and GLUETUN_PORT_RANGE_2: without both, its engines on both VPNs draw ports from one counter, and those of VPN 2 get ports that VPN 2 does not publish",
                    Some(origin),
                )
                .hint("set both, e.g. GLUETUN_PORT_RANGE_1=19000-19499 and GLUETUN_PORT_RANGE_2=19500-19999"),
            );
            None
        }
    }
}

/// `--set` values of keys the orchestrator reads, for its `environment:`.
fn passed_overrides(settings: &Settings) -> Vec<(String, EnvValue)> {
    settings
        .raw
        .iter()
        .filter(|(key, raw)| {
            raw.origin == Origin::CommandLine && !raw.secret && !keys::ACEGEN_OWN_KEYS.contains(key)
        })
        .filter_map(|(key, raw)| {
            let value = raw.text.as_deref()?.trim().to_owned();
            Some(((*key).to_owned(), EnvValue::Literal(value)))
        })
        .collect()
}

/// With `--stack engines`: ORCHESTRATOR_IMAGE does nothing, and (SPEC 5) a
/// `.env` that also configures the orchestrator puts the engines on the
/// orchestrator's label, and the orchestrator removes them when it (re)starts.
pub(super) fn warn_about_orchestrator_settings_with_engines(
    settings: &Settings,
    problems: &mut Vec<ResolveError>,
) {
    let image = &settings.orchestrator_image;
    if image.origin != Origin::Default {
        problems.push(
            ResolveError::warning(
                "W0401",
                "ORCHESTRATOR_IMAGE has no effect with --stack engines: there is no orchestrator service",
                Some(&image.origin),
            )
            .hint("acegen ignores this setting here; remove it to silence this warning"),
        );
    }
    let label = &settings.container_label;
    if label.origin == Origin::CommandLine {
        // A label given to acegen alone: the orchestrator reads another.
        return;
    }
    let app = &settings.app_port;
    let mut configured: Vec<(&str, &Origin)> = Vec::new();
    if app.origin != Origin::Default {
        configured.push((keys::APP_PORT, &app.origin));
    }
    configured.extend(
        settings
            .orchestrator_keys
            .iter()
            .map(|k| (k.value.as_str(), &k.origin)),
    );
    let Some((first_key, origin)) = configured.first() else {
        return;
    };
    // The label is named by its key only: CONTAINER_LABEL's value may come
    // from a variable (E0204 refuses a secret one, but this warning is
    // printed beside that error).
    problems.push(
        ResolveError::warning(
            "W0422",
            format!(
                "this .env also configures the orchestrator ({first_key}), and the engines carry the orchestrator's label (CONTAINER_LABEL): when the orchestrator starts, it removes every container with that label and starts MIN_REPLICAS engines of its own"
            ),
            Some(origin),
        )
        .hint("generate the orchestrator's own stack with --stack orchestrator, or give acegen's engines a label of their own with --set CONTAINER_LABEL=acegen.engines=static (docs/orchestrator.md)"),
    );
}

#[cfg(test)]
#[path = "orchestrator_tests.rs"]
mod tests;
