//! W0430: a file that publishes very many host ports. Docker starts one
//! `docker-proxy` process per published port (and address family) unless
//! its userland proxy is off; a redundant setup publishing two 500-port
//! ranges started 1,003 of them, about 3 GB of memory, before any engine ran.

use super::error::ResolveError;
use super::plan::Plan;

/// Above this many published host ports the warning is given. The
/// orchestrator's single-VPN reference setup publishes 502 (a 500-port
/// range, its control server, APP_PORT) and passes; its two-VPN setup
/// (1,003) does not. At about 3 MB per docker-proxy, 512 ports are
/// already some 1.5 GB.
pub const MANY_PUBLISHED_PORTS: usize = 512;

/// The warning's code: a compose target's concern only (the pipeline drops
/// it for Kubernetes, where Services, not docker-proxy, carry the ports).
pub const MANY_PUBLISHED_PORTS_CODE: &str = "W0430";

/// Every host port the plan publishes: VPN services' engine ranges and
/// control servers, engines' own ports without a VPN, the orchestrator's.
pub(super) fn published_host_ports(plan: &Plan) -> usize {
    let vpns: usize = plan.vpns.iter().map(|v| v.published_ports.len() + 1).sum();
    let engines: usize = plan
        .engines
        .iter()
        .filter(|e| e.vpn.is_none())
        .map(|e| 1 + usize::from(e.ports.https_host.is_some()))
        .sum();
    vpns + engines + usize::from(plan.orchestrator.is_some())
}

pub(super) fn warn_about_many_published_ports(plan: &Plan, problems: &mut Vec<ResolveError>) {
    let count = published_host_ports(plan);
    if count <= MANY_PUBLISHED_PORTS {
        return;
    }
    problems.push(
        ResolveError::warning(
            MANY_PUBLISHED_PORTS_CODE,
            format!("this file publishes {count} host ports; Docker starts a docker-proxy process for each (about 3 MB of memory apiece), more than {MANY_PUBLISHED_PORTS} is likely a waste"),
            None,
        )
        .hint("publish only the ports engines can use (a VPN's range as wide as MAX_REPLICAS: GLUETUN_PORT_RANGE_1 / _2), or turn Docker's userland proxy off (\"userland-proxy\": false in /etc/docker/daemon.json)"),
    );
}
