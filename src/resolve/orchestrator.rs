//! The `orchestrator` service of `--stack orchestrator` (SPEC 5): its
//! constants, its environment, its name, and the host ports it gives the
//! engines it starts behind each VPN.

use super::error::ResolveError;
use super::options::ResolveOptions;
use super::plan::{EnvValue, OrchestratorService};
use super::ports::{NamedRange, RangeName};
use super::vpn::overlapping_vpn_ranges;
use crate::keys;
use crate::validate::settings::{Origin, PortRange, Settings};

/// The service name and container name of the orchestrator.
pub const SERVICE_NAME: &str = "orchestrator";
/// The port the orchestrator's image listens on, whatever APP_PORT says
/// (its start script runs uvicorn on 8000); APP_PORT is the host side.
pub const CONTAINER_PORT: u16 = 8000;
/// Where the orchestrator numbers engines behind a VPN without
/// GLUETUN_PORT_RANGE_1: 19000 … 19000+MAX_REPLICAS−1, whatever PORT_RANGE_HOST says.
pub const VPN_PORT_BASE: u16 = 19000;

/// The orchestrator service: it waits for the VPNs `vpn_names`, and without
/// a VPN publishes its engines' ports from `own_engine_ports` itself.
pub(super) fn service(
    settings: &Settings,
    options: &ResolveOptions,
    vpn_names: &[String],
    own_engine_ports: Option<PortRange>,
) -> OrchestratorService {
    OrchestratorService {
        image: settings.orchestrator_image.value.clone(),
        app_port: settings.app_port.value,
        container_port: CONTAINER_PORT,
        env_file: options
            .env_file
            .clone()
            .unwrap_or_else(|| ".env".to_owned()),
        depends_on: vpn_names.to_vec(),
        environment: passed_overrides(settings),
        min_replicas: settings.min_replicas.value,
        own_engine_ports,
    }
}

/// A VPN cannot take the orchestrator service's name.
pub(super) fn check_vpn_names(
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

/// The host ports the orchestrator will give engines behind each VPN
/// (measured on its code): a per-VPN range when set, which it moves through
/// whole as engines are replaced; in single mode without one, 19000 …
/// 19000+MAX_REPLICAS−1; in redundant mode without both, one counter for
/// both VPNs, so VPN 2's engines would get ports VPN 2 does not publish.
pub(super) fn vpn_ranges(
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
        (Some(a), Some(b)) => match overlapping_vpn_ranges(a, b) {
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
