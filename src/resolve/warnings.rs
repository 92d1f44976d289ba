//! Settings that are valid but do nothing here (W0401), forwarded ports the
//! control server overrides (W0402), Gluetun settings acegen sets itself
//! (W0404), and what makes a stack start wrongly:
//! the orchestrator's with no `.env` (W0421) or no shared network (W0423),
//! static engines beside an orchestrator this `.env` configures (W0422).

use super::error::ResolveError;
use super::options::ResolveOptions;
use super::plan::{EnvValue, Variant, VpnService};
use crate::keys;
use crate::validate::custom_variant::CustomVariant;
use crate::validate::settings::{Origin, Settings, VpnMode};

/// A port read from a running Gluetun replaces the one written in `.env`;
/// say so, since the two disagreeing usually means `.env` is stale.
pub(super) fn warn_about_overridden_forwarded_ports(
    settings: &Settings,
    options: &ResolveOptions,
    problems: &mut Vec<ResolveError>,
) {
    let written = [
        &settings.gluetun_forwarded_port,
        &settings.gluetun_forwarded_port_2,
    ];
    for (v, (from_server, setting)) in options
        .forwarded_from_control_server
        .iter()
        .zip(written)
        .enumerate()
    {
        if let (Some(from_server), Some(setting)) = (from_server, setting) {
            if from_server.port != setting.value {
                let key = if v == 0 {
                    keys::GLUETUN_FORWARDED_PORT
                } else {
                    keys::GLUETUN_FORWARDED_PORT_2
                };
                problems.push(
                    ResolveError::warning(
                        "W0402",
                        format!(
                            "{key} is {} but the control server forwards {}; the control server's port is used",
                            setting.value, from_server.port
                        ),
                        Some(&setting.origin),
                    )
                    .hint(format!("remove {key} from .env when the port is read from the control server")),
                );
            }
        }
    }
}

/// Settings that are valid but do nothing in the chosen mode.
pub(super) fn warn_about_unused_settings(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    variant: &Variant,
    problems: &mut Vec<ResolveError>,
) {
    let behind_vpn = settings.gluetun_container_name.is_some();
    let redundant = settings.vpn_mode.value == VpnMode::Redundant;
    let mut unused = |set: bool, origin: &Origin, message: String| {
        if set && *origin != Origin::Default {
            problems.push(
                ResolveError::warning("W0401", message, Some(origin))
                    .hint("acegen ignores this setting here; remove it to silence this warning"),
            );
        }
    };
    let map = &settings.ace_map_https;
    unused(
        map.value && behind_vpn,
        &map.origin,
        "ACE_MAP_HTTPS has no effect behind a VPN: only engine HTTP ports are published".to_owned(),
    );
    let label = variant.label.as_str();
    unused(
        label != "jopsis-arm32",
        &settings.arm32_version.origin,
        format!("ENGINE_ARM32_VERSION has no effect: the variant is {label}"),
    );
    unused(
        label != "jopsis-arm64",
        &settings.arm64_version.origin,
        format!("ENGINE_ARM64_VERSION has no effect: the variant is {label}"),
    );
    if custom.is_some() {
        unused(
            true,
            &settings.engine_variant.origin,
            "ENGINE_VARIANT has no effect: the custom variant file is enabled and takes priority"
                .to_owned(),
        );
    }
    let needs_vpn = [
        (&settings.gluetun_image.origin, keys::GLUETUN_IMAGE),
        // GLUETUN_API_PORT is left out: set without a VPN it keeps the
        // control server off APP_PORT for when one is named (acegen init's
        // file sets it so, and `--stack orchestrator` would clash on 8000).
        (&settings.engine_p2p_range.origin, keys::ENGINE_P2P_RANGE),
        (
            &settings.raw[keys::GLUETUN_API_KEY].origin,
            keys::GLUETUN_API_KEY,
        ),
    ];
    for (origin, key) in needs_vpn {
        unused(
            !behind_vpn,
            origin,
            format!("{key} has no effect without GLUETUN_CONTAINER_NAME: there is no VPN service"),
        );
    }
    if let (Some(limit), Some(custom)) = (&settings.engine_memory_limit, custom) {
        unused(
            custom.memory_limit.is_some() || custom.no_memory_limit,
            &limit.origin,
            "ENGINE_MEMORY_LIMIT has no effect: the custom variant's memory_limit takes priority"
                .to_owned(),
        );
    }
    let vpn_only = [
        (
            settings
                .gluetun_container_name_2
                .as_ref()
                .map(|s| s.origin.clone()),
            !redundant,
            "GLUETUN_CONTAINER_NAME_2 has no effect unless VPN_MODE=redundant",
        ),
        (
            settings
                .gluetun_forwarded_port
                .as_ref()
                .map(|s| s.origin.clone()),
            !behind_vpn,
            "GLUETUN_FORWARDED_PORT has no effect without GLUETUN_CONTAINER_NAME",
        ),
        (
            settings
                .gluetun_forwarded_port_2
                .as_ref()
                .map(|s| s.origin.clone()),
            !(behind_vpn && redundant),
            "GLUETUN_FORWARDED_PORT_2 has no effect unless VPN_MODE=redundant",
        ),
        (
            settings
                .gluetun_port_range_1
                .as_ref()
                .map(|s| s.origin.clone()),
            !behind_vpn,
            "GLUETUN_PORT_RANGE_1 has no effect without GLUETUN_CONTAINER_NAME",
        ),
        (
            settings
                .gluetun_port_range_2
                .as_ref()
                .map(|s| s.origin.clone()),
            !(behind_vpn && redundant),
            "GLUETUN_PORT_RANGE_2 has no effect unless VPN_MODE=redundant",
        ),
    ];
    for (origin, condition, message) in vpn_only {
        if let Some(origin) = origin {
            unused(condition, &origin, message.to_owned());
        }
    }
}

/// With `--stack engines`: ORCHESTRATOR_IMAGE does nothing, and (SPEC 5) a
/// `.env` that also configures the orchestrator puts the engines on the
/// orchestrator's label, and the orchestrator removes them when it (re)starts.
pub(super) fn warn_about_orchestrator_settings_with_engines(
    settings: &Settings,
    problems: &mut Vec<ResolveError>,
) {
    let image = &settings.orchestrator_image;
    if image.origin != Origin::Default {
        problems.push(
            ResolveError::warning(
                "W0401",
                "ORCHESTRATOR_IMAGE has no effect with --stack engines: there is no orchestrator service",
                Some(&image.origin),
            )
            .hint("acegen ignores this setting here; remove it to silence this warning"),
        );
    }
    let label = &settings.container_label;
    if label.origin == Origin::CommandLine {
        // A label given to acegen alone: the orchestrator reads another.
        return;
    }
    let app = &settings.app_port;
    let mut configured: Vec<(&str, &Origin)> = Vec::new();
    if app.origin != Origin::Default {
        configured.push((keys::APP_PORT, &app.origin));
    }
    configured.extend(
        settings
            .orchestrator_keys
            .iter()
            .map(|k| (k.value.as_str(), &k.origin)),
    );
    let Some((first_key, origin)) = configured.first() else {
        return;
    };
    // The label is named by its key only: CONTAINER_LABEL's value may come
    // from a variable (E0204 refuses a secret one, but this warning is
    // printed beside that error).
    problems.push(
        ResolveError::warning(
            "W0422",
            format!(
                "this .env also configures the orchestrator ({first_key}), and the engines carry the orchestrator's label (CONTAINER_LABEL): when the orchestrator starts, it removes every container with that label and starts MIN_REPLICAS engines of its own"
            ),
            Some(origin),
        )
        .hint("generate the orchestrator's own stack with --stack orchestrator, or give acegen's engines a label of their own with --set CONTAINER_LABEL=acegen.engines=static (docs/orchestrator.md)"),
    );
}

/// With `--stack orchestrator`: `--replicas` does nothing, and without a
/// `.env` the orchestrator service cannot start.
pub(super) fn warn_about_options_without_effect_on_the_orchestrator(
    options: &ResolveOptions,
    problems: &mut Vec<ResolveError>,
) {
    if options.replicas.is_some() {
        problems.push(
            ResolveError::warning(
                "W0401",
                "--replicas has no effect with --stack orchestrator: the orchestrator starts MIN_REPLICAS engines itself",
                Some(&Origin::CommandLine),
            )
            .hint("set MIN_REPLICAS in .env (the orchestrator reads it from there)"),
        );
    }
    if options.env_file.is_none() {
        problems.push(
            ResolveError::warning(
                "W0421",
                "no .env file was read, but the orchestrator service reads `env_file: .env`: docker compose will refuse to start it until the file exists",
                None,
            )
            .hint("create .env (acegen init writes a starter), or give --env-file"),
        );
    }
}

/// Without a VPN, the orchestrator and its engines need one named network.
pub(super) fn warn_about_no_network_without_a_vpn(
    settings: &Settings,
    problems: &mut Vec<ResolveError>,
) {
    if settings.docker_network.is_none() {
        problems.push(
            ResolveError::warning(
                "W0423",
                "without a VPN the orchestrator reaches its engines by container name, but with no DOCKER_NETWORK they join Docker's default bridge, where names do not resolve and the orchestrator's own network is not",
                None,
            )
            .hint("set DOCKER_NETWORK (e.g. aceserver): acegen puts the orchestrator on it, and the orchestrator its engines"),
        );
    }
}

/// Gluetun's control-server settings in `.env` that acegen sets itself on a
/// VPN container (W0404): the `.env` value is not passed, which the user
/// would not see in the file. Read off the VPNs' built environment, so the
/// warning follows exactly what was written.
pub(super) fn warn_about_replaced_gluetun_settings(
    settings: &Settings,
    vpns: &[VpnService],
    problems: &mut Vec<ResolveError>,
) {
    let found = &settings.control_server_keys;
    let mut warned = std::collections::HashSet::new();
    for key in found {
        let (base, second) = match key.value.strip_suffix("_2") {
            Some(base) => (base, true),
            None => (key.value.as_str(), false),
        };
        // VPN 2 reads KEY_2 where `.env` defines it, else KEY.
        let second_defined = found
            .iter()
            .any(|k| k.value.strip_suffix("_2") == Some(base));
        let replaced_on: Vec<&str> = vpns
            .iter()
            .filter(|vpn| match second {
                true => vpn.number == 2,
                false => vpn.number == 1 || !second_defined,
            })
            .filter(|vpn| {
                vpn.environment
                    .iter()
                    .any(|(k, value)| k == base && !matches!(value, EnvValue::Reference(_)))
            })
            .map(|vpn| vpn.name.as_str())
            .collect();
        if replaced_on.is_empty() || !warned.insert(key.value.as_str()) {
            continue;
        }
        let from = match base {
            keys::GLUETUN_CONTROL_ADDRESS => "from GLUETUN_API_PORT",
            keys::GLUETUN_CONTROL_AUTH_FILE => {
                "to the auth file that opens the routes the orchestrator calls"
            }
            _ => "from GLUETUN_API_KEY (an API-key role for the control server)",
        };
        problems.push(
            ResolveError::warning(
                "W0404",
                format!(
                    "{} in .env is not passed to {}: acegen sets {base} itself, {from}",
                    key.value,
                    replaced_on.join(" and ")
                ),
                Some(&key.origin),
            )
            .hint("remove it from .env (docs/diagnostics.md#w0404 says what to set instead)"),
        );
    }
}

#[cfg(test)]
mod tests;
