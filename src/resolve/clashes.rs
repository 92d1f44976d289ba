//! Host ports published twice (SPEC 5): the orchestrator's APP_PORT, the
//! Gluetun control servers and the engine port ranges must not meet on one
//! host address, or `docker compose up` fails with "port is already
//! allocated" (or, worse, one service silently gets the other's traffic).

use super::error::ResolveError;
use super::plan::Stack;
use super::ports::NamedRange;
use super::ranges::range_origin;
use crate::keys;
use crate::validate::settings::{Origin, PortRange, Settings};
use std::net::IpAddr;

/// A host port (or run of ports) something publishes, and why.
#[derive(Debug, Clone)]
struct Binding {
    /// What publishes it, for the message: `APP_PORT 8000`.
    what: String,
    origin: Option<Origin>,
    /// `None`: every interface.
    address: Option<IpAddr>,
    ports: PortRange,
}

impl Binding {
    fn meets(&self, other: &Binding) -> Option<u16> {
        let same_address = match (self.address, other.address) {
            (Some(a), Some(b)) => a == b || a.is_unspecified() || b.is_unspecified(),
            _ => true,
        };
        let overlap = self.ports.overlaps(&other.ports);
        (same_address && overlap).then(|| self.ports.start.max(other.ports.start))
    }

    fn described(&self) -> String {
        match &self.origin {
            Some(Origin::Default) => format!("{} by default", self.what),
            Some(Origin::CommandLine) => format!("{} from --set", self.what),
            Some(origin) => format!("{} at {}", self.what, origin.describe()),
            None => self.what.clone(),
        }
    }
}

fn single(port: u16) -> PortRange {
    PortRange {
        start: port,
        end: port,
    }
}

fn address_text(address: Option<IpAddr>) -> String {
    address.map_or_else(|| "every interface".to_owned(), |ip| ip.to_string())
}

/// A Gluetun control server's host port (on 127.0.0.1).
pub(super) struct ControlServer<'a> {
    /// 1 or 2.
    pub number: usize,
    pub name: &'a str,
    pub host_port: u16,
}

/// Where the engines' HTTP ports are published: the ranges they come from.
pub(super) struct EngineRanges<'a> {
    pub ranges: &'a [NamedRange],
    /// `None`: every interface.
    pub address: Option<IpAddr>,
}

/// Every host port published twice, as errors naming both keys and lines.
///
/// APP_PORT counts in the orchestrator shape (acegen publishes it), and in
/// the engines shape only when `.env` or `--set` gives it: then the
/// orchestrator runs on this host beside the engines, publishing APP_PORT on
/// every interface as its own compose files do. Engine ranges count whole:
/// the orchestrator moves through a range as it replaces engines.
pub(super) fn check(
    settings: &Settings,
    stack: Stack,
    engines: &EngineRanges,
    vpns: &[ControlServer],
    problems: &mut Vec<ResolveError>,
) {
    let app = &settings.app_port;
    let app_port = match stack {
        Stack::Orchestrator => Some(Binding {
            what: format!("APP_PORT {} (the orchestrator)", app.value),
            origin: Some(app.origin.clone()),
            address: settings.port_bind_ip.as_ref().map(|ip| ip.value),
            ports: single(app.value),
        }),
        Stack::Engines if app.origin != Origin::Default => Some(Binding {
            what: format!(
                "APP_PORT {} (the orchestrator beside the engines)",
                app.value
            ),
            origin: Some(app.origin.clone()),
            address: None,
            ports: single(app.value),
        }),
        Stack::Engines => None,
    };
    let api = &settings.gluetun_api_port;
    let controls: Vec<Binding> = vpns
        .iter()
        .map(|vpn| Binding {
            what: match vpn.number {
                1 => format!(
                    "{} {} ({}'s control server)",
                    keys::GLUETUN_API_PORT,
                    vpn.host_port,
                    vpn.name
                ),
                _ => format!(
                    "{}+1 = {} ({}'s control server)",
                    keys::GLUETUN_API_PORT,
                    vpn.host_port,
                    vpn.name
                ),
            },
            origin: Some(api.origin.clone()),
            address: Some(IpAddr::from([127, 0, 0, 1])),
            ports: single(vpn.host_port),
        })
        .collect();
    let ranges: Vec<Binding> = engines
        .ranges
        .iter()
        .map(|range| Binding {
            what: format!("{} {} (engine HTTP ports)", range.name, range.range),
            origin: range_origin(settings, range.name).cloned(),
            address: engines.address,
            ports: range.range,
        })
        .collect();
    let mut pairs: Vec<(&Binding, &Binding)> = Vec::new();
    if let Some(app) = &app_port {
        pairs.extend(controls.iter().map(|c| (app, c)));
        pairs.extend(ranges.iter().map(|r| (app, r)));
    }
    // In the engines shape the allocator keeps engines off the control
    // ports; the orchestrator's stack publishes whole ranges, so check them.
    if stack == Stack::Orchestrator {
        for control in &controls {
            pairs.extend(ranges.iter().map(|r| (control, r)));
        }
    }
    for (a, b) in pairs {
        if let Some(port) = a.meets(b) {
            problems.push(clash(a, b, port));
        }
    }
}

fn clash(a: &Binding, b: &Binding, port: u16) -> ResolveError {
    let address = match (a.address, b.address) {
        (Some(ip), _) | (None, Some(ip)) if !ip.is_unspecified() => ip.to_string(),
        _ => address_text(None),
    };
    // Point at whichever of the two the user wrote down.
    let origin = [&a.origin, &b.origin]
        .into_iter()
        .flatten()
        .find(|o| o.location().is_some() || **o == Origin::CommandLine);
    ResolveError::new(
        "E0420",
        format!(
            "host port {port} on {address} is published twice: {} and {}",
            a.described(),
            b.described()
        ),
        origin,
    )
    .hint("give one of the two another port; the orchestrator's reference setup uses GLUETUN_API_PORT=8001 beside APP_PORT=8000")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(address: Option<[u8; 4]>, start: u16, end: u16) -> Binding {
        Binding {
            what: String::new(),
            origin: None,
            address: address.map(IpAddr::from),
            ports: PortRange { start, end },
        }
    }

    #[test]
    fn bindings_meet_on_a_shared_address_and_port() {
        let loopback = binding(Some([127, 0, 0, 1]), 8000, 8000);
        assert_eq!(loopback.meets(&binding(None, 7990, 8010)), Some(8000));
        assert_eq!(
            loopback.meets(&binding(Some([0, 0, 0, 0]), 8000, 8000)),
            Some(8000)
        );
        assert_eq!(
            loopback.meets(&binding(Some([10, 0, 0, 1]), 8000, 8000)),
            None
        );
        assert_eq!(loopback.meets(&binding(None, 8001, 8001)), None);
    }
}
