//! The Gluetun (VPN) services: which engine ports each publishes, and its
//! environment — acegen's own keys, then Gluetun's keys from `.env`.

use super::error::ResolveError;
use super::options::ResolveOptions;
use super::plan::{ControlAuthFile, EnvValue, ForwardedPort, ForwardedSource, VpnService};
use super::ports::{EnginePorts, Layout, NamedRange, VpnStack};
use super::vpn::forwarded_port;
use crate::keys;
use crate::validate::settings::Settings;

/// The routes of Gluetun's control server the orchestrator calls, without
/// a key (it sends none): `/v1/portforward` (its v1.5 and later),
/// `/v1/openvpn/portforwarded` (v1.0.0, the default ORCHESTRATOR_IMAGE) and
/// `/v1/publicip/ip` (`app/services/gluetun.py`). Gluetun v3.41.0 and later
/// know all three (`internal/server/middlewares/auth/settings.go`,
/// `validRoutes`); v3.40 refuses a role naming `/v1/portforward`.
pub const ORCHESTRATOR_ROUTES: &[&str] = &[
    "GET /v1/portforward",
    "GET /v1/openvpn/portforwarded",
    "GET /v1/publicip/ip",
];

/// Where acegen places Gluetun's auth roles, and points
/// HTTP_CONTROL_SERVER_AUTH_CONFIG_FILEPATH at (so that a value in `.env`
/// cannot move Gluetun away from it). At the root, so that compose's short
/// `configs:` syntax (mounted at `/<name>`) places it.
pub const CONTROL_AUTH_PATH: &str = "/gluetun-control-auth.toml";

/// Gluetun's auth file (TOML, `[[roles]]` with name, auth and routes): one
/// role that opens exactly [`ORCHESTRATOR_ROUTES`]. Every other route
/// stays closed, or takes GLUETUN_API_KEY's default role when it is set
/// (Gluetun gives the default role only the routes no file role names).
fn orchestrator_auth_file() -> ControlAuthFile {
    let routes: Vec<String> = ORCHESTRATOR_ROUTES
        .iter()
        .map(|route| format!("\"{route}\""))
        .collect();
    ControlAuthFile {
        path: CONTROL_AUTH_PATH.to_owned(),
        content: format!(
            "[[roles]]\nname = \"orchestrator\"\nauth = \"none\"\nroutes = [{}]\n",
            routes.join(", ")
        ),
    }
}

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
            build_vpn_service(settings, v, names, stack, published, forwarded, None)
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
    control_auth_file: Option<ControlAuthFile>,
) -> VpnService {
    let environment = gluetun_environment(
        settings,
        v + 1,
        stack,
        forwarded.as_ref(),
        control_auth_file.as_ref(),
    );
    VpnService {
        number: v + 1,
        name: names[v].clone(),
        api_port: stack.api_port,
        api_host_port: stack.api_host_port,
        http_range: stack.http_range.range,
        environment,
        forwarded,
        control_auth_file,
        published_ports: published,
    }
}

/// One Gluetun service per VPN, publishing its whole range, with the auth
/// file that lets the orchestrator call its control server.
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
            settings,
            v,
            names,
            &stack,
            published,
            forwarded,
            Some(orchestrator_auth_file()),
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
    control_auth_file: Option<&ControlAuthFile>,
) -> Vec<(String, EnvValue)> {
    let mut environment = vec![(
        keys::GLUETUN_CONTROL_ADDRESS.to_owned(),
        EnvValue::Literal(format!(":{}", stack.api_port)),
    )];
    let mut owned: Vec<&str> = keys::GLUETUN_OWNED_KEYS.to_vec();
    if let Some(file) = control_auth_file {
        environment.push((
            keys::GLUETUN_CONTROL_AUTH_FILE.to_owned(),
            EnvValue::Literal(file.path.clone()),
        ));
        owned.push(keys::GLUETUN_CONTROL_AUTH_FILE);
    }
    if settings.gluetun_api_key_set {
        environment.push((
            keys::GLUETUN_CONTROL_DEFAULT_ROLE.to_owned(),
            EnvValue::Interpolated(format!(
                r#"{{"auth":"apikey","apikey":"${{{}}}"}}"#,
                keys::GLUETUN_API_KEY
            )),
        ));
        owned.push(keys::GLUETUN_CONTROL_DEFAULT_ROLE);
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
