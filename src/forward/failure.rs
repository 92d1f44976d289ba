//! Why a control server gave no forwarded port.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The configuration has fewer than `v + 1` VPNs.
    NoSuchVpn {
        vpn_count: usize,
    },
    /// Not a plain `http://` URL acegen can ask.
    UnsupportedUrl(String),
    /// Connection refused, host not found, network unreachable, …
    Unreachable(String),
    TimedOut(Duration),
    /// 401 or 403 on `route`.
    Unauthorized {
        status: u16,
        route: &'static str,
        api_key_sent: bool,
    },
    /// 404 on both routes.
    NoRoute,
    UnexpectedStatus {
        status: u16,
        route: &'static str,
    },
    /// Gluetun answered port 0, or no port: forwarding is not active (yet).
    NotForwarded,
    /// The answer is not Gluetun's JSON.
    Malformed(String),
    /// A 3xx: acegen follows no redirect, so the API key goes to the
    /// origin the user named and nowhere else. `location` is shown safely.
    Redirected {
        status: u16,
        route: &'static str,
        location: String,
    },
}
