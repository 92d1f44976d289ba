//! Engine health checks: the jopsis images' probe, and behind a VPN the
//! watchdog that restarts an engine left in a dead network namespace.

use super::plan::Engine;

/// The jopsis images' own check probes port 6878; this probes the engine's port.
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
