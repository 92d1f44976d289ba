//! A failed query for one VPN and the diagnostic (E06xx) it becomes.

use super::failure::Failure;
use super::http::{CURRENT_ROUTE, LEGACY_ROUTE};
use super::request::flag;
use crate::diagnostic::Diagnostic;

/// A query for VPN `vpn` (0-based) that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardError {
    pub vpn: usize,
    /// The URL as it may be shown (no credentials).
    pub url: String,
    /// The VPN container's name, when the configuration has that VPN.
    pub vpn_name: Option<String>,
    /// The host port the generated file publishes the control server on.
    pub api_host_port: u16,
    pub failure: Failure,
}

impl ForwardError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let url = &self.url;
        let flag = flag(self.vpn);
        let number = self.vpn + 1;
        let server = format!("VPN {number}'s control server at {url}");
        match &self.failure {
            Failure::NoSuchVpn { vpn_count } => {
                let has = match vpn_count {
                    0 => "no VPN (GLUETUN_CONTAINER_NAME is not set)",
                    _ => "one VPN only (VPN_MODE=redundant with GLUETUN_CONTAINER_NAME_2 makes two)",
                };
                Diagnostic::error(
                    "E0601",
                    format!("{flag} {url} names a control server for VPN {number}, but the configuration has {has}"),
                )
                .with_hint(format!("drop {flag}, or configure VPN {number}"))
            }
            Failure::UnsupportedUrl(reason) => Diagnostic::error(
                "E0602",
                format!("{flag} {url}: {reason}"),
            )
            .with_hint("give the control server's base URL, e.g. http://127.0.0.1:8000"),
            Failure::Unreachable(reason) => Diagnostic::error(
                "E0603",
                format!("cannot reach {server}: {reason}"),
            )
            .with_hint(self.running_hint()),
            Failure::TimedOut(timeout) => Diagnostic::error(
                "E0604",
                format!("{server} did not answer within {} s", timeout.as_secs_f64()),
            )
            .with_hint(format!(
                "{}; a slow link needs a longer --timeout SECONDS",
                self.running_hint()
            )),
            Failure::Unauthorized {
                status,
                route,
                api_key_sent,
            } => {
                let (sent, hint) = if *api_key_sent {
                    (
                        "with the API key from GLUETUN_API_KEY",
                        "the running Gluetun does not accept the key in GLUETUN_API_KEY: recreate its container from the generated file (`docker compose up -d`), which gives it HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE with that key, or give a role in Gluetun's auth config file that allows this route for the key".to_owned(),
                    )
                } else {
                    (
                        "without an API key (GLUETUN_API_KEY is not set)",
                        format!("the control server needs an auth role that allows `GET {route}`: set GLUETUN_API_KEY in .env, so that acegen sends it and the generated Gluetun service gets HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE with that key (recreate the container), or allow the route in Gluetun's auth config file"),
                    )
                };
                Diagnostic::error(
                    "E0605",
                    format!("{server} refused `GET {route}` {sent}: HTTP {status}"),
                )
                .with_hint(hint)
            }
            Failure::NoRoute => Diagnostic::error(
                "E0606",
                format!("{server} answered 404 to both `GET {CURRENT_ROUTE}` and `GET {LEGACY_ROUTE}`"),
            )
            .with_hint("give the base URL of Gluetun's control server (HTTP_CONTROL_SERVER_ADDRESS, port 8000 in the container), without a path"),
            Failure::UnexpectedStatus { status, route } => Diagnostic::error(
                "E0606",
                format!("{server} answered `GET {route}` with HTTP {status}"),
            )
            .with_hint("look at the Gluetun container's log (`docker logs NAME`)"),
            Failure::NotForwarded => Diagnostic::error(
                "E0607",
                format!("{server} reports no forwarded port (port 0): port forwarding is not active"),
            )
            .with_hint("check VPN_PORT_FORWARDING=on and that the provider forwards ports; right after a (re)connect, wait until Gluetun has a port, then run acegen again"),
            Failure::Malformed(reason) => Diagnostic::error(
                "E0608",
                format!("{server} gave an answer that is not Gluetun's: {reason}"),
            )
            .with_hint(format!("is {url} Gluetun's control server? it answers `GET {CURRENT_ROUTE}` with {{\"port\":N}}")),
            Failure::Redirected { status, route, location } => Diagnostic::error(
                "E0609",
                format!("{server} answered `GET {route}` with a redirect (HTTP {status}) to {location}; acegen follows no redirect"),
            )
            .with_hint("Gluetun's control server does not redirect: give the URL of the control server itself; acegen sends the API key only to the URL given"),
        }
    }

    fn running_hint(&self) -> String {
        let name = self.vpn_name.as_deref().unwrap_or("gluetun");
        format!(
            "is the container `{name}` running, and its control server published where {url} points (the generated file publishes it on host port {port})?",
            url = self.url,
            port = self.api_host_port
        )
    }
}
