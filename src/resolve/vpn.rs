//! The VPN services' names and how the engines sit behind them: the port
//! layout (per-VPN HTTP ranges, control-server ports) and the forwarded ports.

use super::error::ResolveError;
use super::options::ResolveOptions;
use super::plan::{ForwardedPort, ForwardedSource};
use super::ports::{Layout, NamedRange, RangeName, VpnStack};
use crate::keys;
use crate::validate::settings::{Origin, PortRange, Settings, Sourced, VpnMode};

/// The VPN service names: none, one, or two (redundant).
pub(super) fn vpn_names(
    settings: &Settings,
    problems: &mut Vec<ResolveError>,
) -> Option<Vec<String>> {
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

/// Without a VPN: each engine publishes its own ports from PORT_RANGE_HOST.
pub(super) fn own_stacks_layout(settings: &Settings) -> Layout {
    Layout::OwnStacks {
        http_range: NamedRange {
            name: RangeName::PortRangeHost,
            range: settings.port_range_host.value,
        },
        map_https: settings.ace_map_https.value,
    }
}

/// Behind the VPNs `names`: each VPN's HTTP range and control-server port.
pub(super) fn vpn_layout(
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

/// VPN `v`'s forwarded port: the control server's, else the setting's.
pub(super) fn forwarded_port(
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

/// E0403 when the two VPNs' own ranges overlap: both would publish the
/// same host ports (in both stacks).
pub(super) fn overlapping_vpn_ranges(
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
