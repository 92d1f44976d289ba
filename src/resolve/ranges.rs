//! The port ranges the engines draw from: the allocator's request, and which
//! setting each named range comes from, so that a problem with a range points
//! at the line that set it.

use super::error::ResolveError;
use super::ports::{Layout, NamedRange, PortError, PortRequest, RangeName};
use crate::validate::settings::{Origin, Settings};

/// E0404: the allocator ran out of ports in a range.
pub(super) fn port_error(settings: &Settings, error: &PortError) -> ResolveError {
    let range = match error {
        PortError::RangeTooSmall { range, .. } | PortError::Exhausted { range, .. } => range.name,
    };
    ResolveError::new("E0404", error.to_string(), range_origin(settings, range))
        .hint("widen the range, or generate fewer engines (MIN_REPLICAS / --replicas)")
}

/// The setting a range comes from, for a diagnostic's position.
pub(super) fn range_origin(settings: &Settings, range: RangeName) -> Option<&Origin> {
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

/// The allocator's request: `count` engines on `layout`, their HTTPS and
/// P2P ports from ACE_HTTPS_RANGE and ENGINE_P2P_RANGE.
pub(super) fn port_request(settings: &Settings, count: usize, layout: Layout) -> PortRequest {
    PortRequest {
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
    }
}

/// How many engines' ports to allocate: behind a VPN, also those of engines
/// up to MAX_REPLICAS, since the VPN services publish them (see `build_vpns`).
pub(super) fn engines_to_reserve(settings: &Settings, request: &PortRequest) -> usize {
    match request.layout {
        Layout::Vpn(_) => settings.max_replicas.value as usize,
        Layout::OwnStacks { .. } => request.engines,
    }
}

/// The ranges the engines' HTTP ports come from, for the host-port clash check.
pub(super) fn engine_http_ranges(layout: &Layout) -> Vec<NamedRange> {
    match layout {
        Layout::OwnStacks { http_range, .. } => vec![*http_range],
        Layout::Vpn(stacks) => stacks.iter().map(|s| s.http_range).collect(),
    }
}
