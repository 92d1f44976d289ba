//! Forwarded P2P ports read from a running Gluetun's control server
//! (`--forwarded-port-from URL`, docs/spec.md §2.3).
//!
//! Providers such as ProtonVPN forward a random port that changes on every
//! reconnect, so it cannot be written in `.env`. This stage asks Gluetun for
//! it, after validation (the request needs GLUETUN_API_KEY) and before
//! resolution (which gives the port to the forwarded engine). A failed query
//! is an error diagnostic (E06xx): the configuration cannot be completed.

use crate::diagnostic::Diagnostic;
use crate::keys;
use crate::resolve::{ForwardedPort, ForwardedSource};
use crate::validate::settings::{Settings, VpnMode};
use std::io::ErrorKind;
use std::time::Duration;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Gluetun >= 3.41: `{"port":N,"ports":[…]}`.
const CURRENT_ROUTE: &str = "/v1/portforward";
/// Older Gluetun: `{"port":N}`; asked only when the current route is 404.
const LEGACY_ROUTE: &str = "/v1/openvpn/portforwarded";
/// Gluetun's answer is a few bytes; anything much larger is not Gluetun.
const ANSWER_LIMIT: u64 = 64 * 1024;

/// Which control servers to ask, per VPN, and how long to wait for each answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardRequest {
    pub urls: [Option<String>; 2],
    pub timeout: Duration,
}

impl Default for ForwardRequest {
    fn default() -> Self {
        Self {
            urls: [None, None],
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl ForwardRequest {
    pub fn is_empty(&self) -> bool {
        self.urls.iter().all(Option::is_none)
    }
}

/// The command-line flag that names VPN `v`'s (0-based) control server.
pub fn flag(v: usize) -> &'static str {
    if v == 0 {
        "--forwarded-port-from"
    } else {
        "--forwarded-port-from-2"
    }
}

/// Why a control server gave no forwarded port.
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

/// The VPN names the configuration has, in order (as resolution reads them).
fn configured_vpns(settings: &Settings) -> Vec<&str> {
    let Some(first) = &settings.gluetun_container_name else {
        return Vec::new();
    };
    let mut names = vec![first.value.as_str()];
    if settings.vpn_mode.value == VpnMode::Redundant {
        names.extend(
            settings
                .gluetun_container_name_2
                .as_ref()
                .map(|s| s.value.as_str()),
        );
    }
    names
}

/// Asks each named control server for its forwarded port. Ports found go
/// to their VPN's slot; every failure is returned.
pub fn forwarded_ports(
    settings: &Settings,
    request: &ForwardRequest,
) -> ([Option<ForwardedPort>; 2], Vec<ForwardError>) {
    let mut ports = [None, None];
    let mut errors = Vec::new();
    if request.is_empty() {
        return (ports, errors);
    }
    let names = configured_vpns(settings);
    let api_key = settings.raw[keys::GLUETUN_API_KEY]
        .text
        .as_deref()
        .filter(|k| !k.is_empty());
    let agent = agent(request.timeout);
    for (v, url) in request.urls.iter().enumerate() {
        let Some(url) = url else { continue };
        let shown = shown_url(url);
        let error = |failure| ForwardError {
            vpn: v,
            url: shown.clone(),
            vpn_name: names.get(v).map(|n| (*n).to_owned()),
            api_host_port: settings.gluetun_api_port.value.saturating_add(v as u16),
            failure,
        };
        if v >= names.len() {
            errors.push(error(Failure::NoSuchVpn {
                vpn_count: names.len(),
            }));
            continue;
        }
        let result = base_url(url)
            .map_err(Failure::UnsupportedUrl)
            .and_then(|base| query(&agent, &base, api_key, request.timeout));
        match result {
            Ok(port) => {
                ports[v] = Some(ForwardedPort {
                    port,
                    source: ForwardedSource::ControlServer(shown),
                })
            }
            Err(failure) => errors.push(error(failure)),
        }
    }
    (ports, errors)
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        // Status codes are answers to interpret (404 means "older Gluetun").
        .http_status_as_error(false)
        // Never: a redirect to another origin would carry X-API-Key there
        // (issue 16). A 3xx is reported with where it pointed.
        .max_redirects(0)
        // Control servers are on loopback or the LAN: an HTTP_PROXY meant
        // for the internet must not carry these requests.
        .proxy(None)
        .user_agent(concat!("acegen/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The URL without a `user:password@` part, for messages and the header.
/// Everything before the last `@` is left out, whatever the URL's shape (a
/// password may hold `/`, `?` or `#`, which would end the authority).
pub fn shown_url(url: &str) -> String {
    let Some((_, host_and_rest)) = url.rsplit_once('@') else {
        return url.to_owned();
    };
    match split_scheme(url) {
        Some((scheme, _)) if scheme.chars().all(|c| c.is_ascii_alphabetic()) => {
            format!("{scheme}://<credentials>@{host_and_rest}")
        }
        _ => format!("<credentials>@{host_and_rest}"),
    }
}

/// A redirect's target as it may be shown: no credentials, no query or
/// fragment (either may carry a token).
fn shown_location(location: &str) -> String {
    let without_query = location.split(['?', '#']).next().unwrap_or("");
    format!("`{}`", shown_url(without_query))
}

/// Checks a `--forwarded-port-from` URL before anything runs (a usage
/// error, exit 2). The message shows the URL without credentials.
pub fn check_url(flag: &str, url: &str) -> Result<(), String> {
    base_url(url)
        .map(|_| ())
        .map_err(|reason| format!("{flag} {}: {reason}", shown_url(url)))
}

fn split_scheme(url: &str) -> Option<(&str, &str)> {
    url.split_once("://")
}

/// The base URL requests are made against, without a trailing `/`.
fn base_url(url: &str) -> Result<String, String> {
    let Some((scheme, rest)) = split_scheme(url) else {
        return Err("not a URL; expected http://HOST:PORT".to_owned());
    };
    match scheme.to_ascii_lowercase().as_str() {
        "http" => {}
        "https" => {
            return Err("https is not supported: acegen speaks plain http, as Gluetun's control server does (it listens on loopback or the LAN)".to_owned())
        }
        other => return Err(format!("unsupported scheme `{other}`; expected http://HOST:PORT")),
    }
    if url.contains('@') {
        return Err(
            "credentials in the URL are not supported (they are not shown); set GLUETUN_API_KEY instead"
                .to_owned(),
        );
    }
    if rest.contains(['?', '#']) {
        return Err("a query or fragment is not supported; give the base URL".to_owned());
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() {
        return Err("no host; expected http://HOST:PORT".to_owned());
    }
    check_port(authority)?;
    Ok(url.trim_end_matches('/').to_owned())
}

/// The port of `HOST:PORT` or `[IPv6]:PORT`, if any, must be 1-65535:
/// the URL parser would otherwise fall back to port 80 for `70000`.
fn check_port(authority: &str) -> Result<(), String> {
    let after_host = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((_, after)) => after,
            None => return Err("an IPv6 host needs its closing `]`".to_owned()),
        },
        None => authority.split_once(':').map_or("", |(_, port)| port),
    };
    let port = match authority.starts_with('[') {
        true if after_host.is_empty() => return Ok(()),
        true => match after_host.strip_prefix(':') {
            Some(port) => port,
            None => return Err("expected `:PORT` after the IPv6 host".to_owned()),
        },
        false if !authority.contains(':') => return Ok(()),
        false => after_host,
    };
    match port.parse::<u16>() {
        Ok(n) if n > 0 && port.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err(format!(
            "the port `{port}` is not a TCP port (1-65535); expected http://HOST:PORT"
        )),
    }
}

/// The forwarded port: the current route first, the legacy one on 404.
fn query(
    agent: &ureq::Agent,
    base: &str,
    api_key: Option<&str>,
    timeout: Duration,
) -> Result<u16, Failure> {
    match get(agent, base, CURRENT_ROUTE, api_key, timeout)? {
        Answer::Body(body) => port_in(&body),
        Answer::NotFound => match get(agent, base, LEGACY_ROUTE, api_key, timeout)? {
            Answer::Body(body) => port_in(&body),
            Answer::NotFound => Err(Failure::NoRoute),
        },
    }
}

enum Answer {
    Body(String),
    NotFound,
}

fn get(
    agent: &ureq::Agent,
    base: &str,
    route: &'static str,
    api_key: Option<&str>,
    timeout: Duration,
) -> Result<Answer, Failure> {
    let mut request = agent.get(format!("{base}{route}"));
    if let Some(key) = api_key {
        request = request.header("X-API-Key", key);
    }
    let mut response = request.call().map_err(|e| transport_failure(e, timeout))?;
    match response.status().as_u16() {
        200 => response
            .body_mut()
            .with_config()
            .limit(ANSWER_LIMIT)
            .read_to_string()
            .map(Answer::Body)
            .map_err(|e| transport_failure(e, timeout)),
        404 => Ok(Answer::NotFound),
        status @ 300..=399 => Err(Failure::Redirected {
            status,
            route,
            location: response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map_or_else(|| "nowhere (no Location)".to_owned(), shown_location),
        }),
        status @ (401 | 403) => Err(Failure::Unauthorized {
            status,
            route,
            api_key_sent: api_key.is_some(),
        }),
        status => Err(Failure::UnexpectedStatus { status, route }),
    }
}

/// A failure below HTTP, in words a user can act on. ureq's own messages
/// never include request headers, so the API key cannot leak through them.
fn transport_failure(error: ureq::Error, timeout: Duration) -> Failure {
    match error {
        ureq::Error::Timeout(_) => Failure::TimedOut(timeout),
        ureq::Error::Io(e) if e.kind() == ErrorKind::TimedOut => Failure::TimedOut(timeout),
        ureq::Error::Io(e) => Failure::Unreachable(match e.kind() {
            ErrorKind::ConnectionRefused => "connection refused".to_owned(),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
                "the connection was closed before an answer".to_owned()
            }
            _ => e.to_string(),
        }),
        ureq::Error::HostNotFound => Failure::Unreachable("host not found".to_owned()),
        ureq::Error::ConnectionFailed => Failure::Unreachable("connection failed".to_owned()),
        ureq::Error::BadUri(reason) => Failure::UnsupportedUrl(reason),
        ureq::Error::Protocol(_) => Failure::Malformed("not an HTTP answer".to_owned()),
        ureq::Error::BodyExceedsLimit(_) => {
            Failure::Malformed(format!("an answer over {ANSWER_LIMIT} bytes"))
        }
        other => Failure::Unreachable(other.to_string()),
    }
}

/// The port in `{"port":N}` or `{"port":N,"ports":[…]}`; 0 or none means
/// that nothing is forwarded. The body is never repeated in messages.
fn port_in(body: &str) -> Result<u16, Failure> {
    let value: serde_json::Value = serde_json::from_str(body)
        .map_err(|_| Failure::Malformed("not JSON (expected {\"port\":N})".to_owned()))?;
    let Some(object) = value.as_object() else {
        return Err(Failure::Malformed(
            "not a JSON object (expected {\"port\":N})".to_owned(),
        ));
    };
    let first_listed = object
        .get("ports")
        .and_then(|p| p.as_array())
        .and_then(|ports| ports.iter().find(|p| p.as_u64() != Some(0)));
    let port = match object.get("port") {
        Some(p) if p.as_u64() == Some(0) => first_listed.unwrap_or(p),
        Some(p) => p,
        None => match first_listed {
            Some(p) => p,
            None => return Err(Failure::NotForwarded),
        },
    };
    match port.as_u64() {
        Some(0) => Err(Failure::NotForwarded),
        Some(n) => u16::try_from(n)
            .map_err(|_| Failure::Malformed(format!("port {n} is not a TCP port (1-65535)"))),
        None => Err(Failure::Malformed(format!(
            "the port `{port}` is not a number"
        ))),
    }
}

#[cfg(test)]
mod tests;
