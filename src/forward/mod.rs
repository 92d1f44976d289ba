//! Forwarded P2P ports read from a running Gluetun's control server
//! (`--forwarded-port-from URL`, docs/development/spec.md §2.3).
//!
//! Providers such as ProtonVPN forward a random port that changes on every
//! reconnect, so it cannot be written in `.env`. This stage asks Gluetun for
//! it, after validation (the request needs GLUETUN_API_KEY) and before
//! resolution (which gives the port to the forwarded engine). A failed query
//! is an error diagnostic (E06xx): the configuration cannot be completed.

mod answer;
mod error;
mod failure;
mod http;
mod request;
mod url;

pub use error::ForwardError;
pub use failure::Failure;
pub use request::{flag, ForwardRequest, DEFAULT_TIMEOUT};
pub use url::{check_url, shown_url};

use crate::keys;
use crate::resolve::{ForwardedPort, ForwardedSource};
use crate::validate::settings::{Settings, VpnMode};
use http::{agent, query};
use url::base_url;

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

#[cfg(test)]
mod tests;
