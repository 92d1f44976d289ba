//! Which setting each named port range comes from, so that a problem with a
//! range points at the line that set it.

use super::error::ResolveError;
use super::ports::{PortError, RangeName};
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
