//! The Gluetun (VPN) services: which engine ports each publishes, and its
//! environment — acegen's own keys, then Gluetun's keys from `.env`.

use super::error::ResolveError;
use super::options::ResolveOptions;
use super::plan::{EnvValue, ForwardedPort, ForwardedSource, VpnService};
use super::ports::{EnginePorts, Layout, NamedRange, VpnStack};
use super::vpn::forwarded_port;
use crate::keys;
use crate::validate::settings::Settings;

/// The VPN services. Each publishes the HTTP ports of every engine it may
/// hold up to MAX_REPLICAS (`reserved`: the engines' own ports, then those
/// engines added later would get), not only those generated now: a change
/// to its ports would recreate the VPN container and so restart all its
/// engines, and the orchestrator's autoscaler needs them published.
pub(super) fn build_vpns(
    settings: &Settings,
    layout: &Layout,
    names: &[String],
    reserved: &[EnginePorts],
    forwarded: Vec<Option<ForwardedPort>>,
) -> Vec<VpnService> {
    let Layout::Vpn(stacks) = layout else {
        return Vec::new();
    };
    stacks
        .iter()
        .zip(forwarded)
        .enumerate()
        .map(|(v, (stack, forwarded))| {
            let mut published: Vec<u16> = reserved
                .iter()
                .filter(|p| p.vpn == Some(v))
                .map(|p| p.http)
                .collect();
            published.sort_unstable();
            build_vpn_service(settings, v, names, stack, published, forwarded)
        })
        .collect()
}

/// VPN `v` (0-based) publishing `published` engine HTTP ports.
fn build_vpn_service(
    settings: &Settings,
    v: usize,
    names: &[String],
    stack: &VpnStack,
    published: Vec<u16>,
    forwarded: Option<ForwardedPort>,
) -> VpnService {
    VpnService {
        number: v + 1,
        name: names[v].clone(),
        api_port: stack.api_port,
        api_host_port: stack.api_host_port,
        http_range: stack.http_range.range,
        environment: gluetun_environment(settings, v + 1, stack, forwarded.as_ref()),
        forwarded,
        published_ports: published,
    }
}

/// One Gluetun service per VPN, publishing its whole range.
pub(super) fn vpn_services(
    settings: &Settings,
    options: &ResolveOptions,
    names: &[String],
    ranges: &[NamedRange],
    problems: &mut Vec<ResolveError>,
) -> Option<Vec<VpnService>> {
    let api = &settings.gluetun_api_port;
    let mut vpns = Vec::new();
    for (v, range) in ranges.iter().enumerate() {
        let Some(api_host_port) = api.value.checked_add(v as u16) else {
            problems.push(ResolveError::new(
                "E0403",
                format!("GLUETUN_API_PORT {} leaves no host port for VPN 2's control server (it takes GLUETUN_API_PORT+1)", api.value),
                Some(&api.origin),
            ));
            return None;
        };
        let forwarded = forwarded_port(settings, options, v);
        let stack = VpnStack {
            http_range: *range,
            api_port: api.value,
            api_host_port,
            forwarded_port: forwarded.as_ref().map(|f| f.port),
        };
        let published = range.range.ports().collect();
        vpns.push(build_vpn_service(
            settings, v, names, &stack, published, forwarded,
        ));
    }
    Some(vpns)
}

/// The Gluetun service's environment: acegen's own keys, then Gluetun's keys
/// from `.env` by reference, so that secrets stay in `.env`.
fn gluetun_environment(
    settings: &Settings,
    number: usize,
    stack: &VpnStack,
    forwarded: Option<&ForwardedPort>,
) -> Vec<(String, EnvValue)> {
    let mut environment = vec![(
        "HTTP_CONTROL_SERVER_ADDRESS".to_owned(),
        EnvValue::Literal(format!(":{}", stack.api_port)),
    )];
    let mut owned: Vec<&str> = keys::GLUETUN_OWNED_KEYS.to_vec();
    if settings.gluetun_api_key_set {
        environment.push((
            "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE".to_owned(),
            EnvValue::Interpolated(format!(
                r#"{{"auth":"apikey","apikey":"${{{}}}"}}"#,
                keys::GLUETUN_API_KEY
            )),
        ));
        owned.push("HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE");
    }
    let passed = passthrough_keys(&settings.gluetun_keys, number);
    let firewall_set = passed
        .iter()
        .any(|(key, _)| key == "FIREWALL_VPN_INPUT_PORTS");
    if let Some(ForwardedPort {
        port,
        source: ForwardedSource::Setting(_),
    }) = forwarded
    {
        if !firewall_set {
            environment.push((
                "FIREWALL_VPN_INPUT_PORTS".to_owned(),
                EnvValue::Literal(port.to_string()),
            ));
        }
    }
    environment.extend(
        passed
            .into_iter()
            .filter(|(key, _)| !owned.contains(&key.as_str()))
            .map(|(key, source)| (key, EnvValue::Reference(source))),
    );
    environment
}

/// Gluetun keys for VPN `number`: `(key in the container, .env key it reads)`.
/// VPN 2 reads `KEY_2` where `.env` defines it, else `KEY`; `_2` keys are
/// never passed under their own name.
fn passthrough_keys(gluetun_keys: &[String], number: usize) -> Vec<(String, String)> {
    // Sets, not scans: a `.env` may hold many thousand such keys (issue 16).
    let defined: std::collections::HashSet<&str> =
        gluetun_keys.iter().map(String::as_str).collect();
    let mut passed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut result: Vec<(String, String)> = Vec::new();
    for key in gluetun_keys {
        let base = key.strip_suffix("_2").unwrap_or(key);
        if !passed.insert(base) {
            continue;
        }
        let second = format!("{base}_2");
        let source = if number == 2 && defined.contains(second.as_str()) {
            second
        } else if defined.contains(base) {
            base.to_owned()
        } else {
            continue;
        };
        result.push((base.to_owned(), source));
    }
    result
}
