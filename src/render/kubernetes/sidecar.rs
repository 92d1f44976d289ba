//! Gluetun in a VPN's pod: the native sidecar container and its
//! environment, with `.env` values read from the Secret (secrets) or the
//! ConfigMap (every other setting) of the same name.

use super::names::escape_expansion;
use super::objects::*;
use crate::resolve::{EnvValue, VpnService};

/// Gluetun's own health check, as its Dockerfile's HEALTHCHECK runs it.
pub const GLUETUN_HEALTHCHECK: &[&str] = &["/gluetun-entrypoint", "healthcheck"];
/// Gluetun may take a while to connect: up to 5 minutes before the pod fails.
const GLUETUN_STARTUP_FAILURES: u32 = 60;
/// Holds a user's own FIREWALL_INPUT_PORTS, which acegen extends.
const USER_FIREWALL_INPUT_PORTS: &str = "ACEGEN_USER_FIREWALL_INPUT_PORTS";

/// Gluetun as a native sidecar: an init container that keeps running, whose
/// startup probe holds the engines back until the tunnel is up.
pub fn gluetun_container(
    vpn: &VpnService,
    image: &str,
    store: &str,
    tun_volume: &str,
    tun_device: &str,
) -> Container {
    let check = || Probe {
        exec: ExecAction {
            command: GLUETUN_HEALTHCHECK
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        },
        period_seconds: 5,
        timeout_seconds: 5,
        failure_threshold: 3,
    };
    Container {
        name: vpn.name.clone(),
        image: image.to_owned(),
        restart_policy: Some("Always"),
        env: gluetun_env(vpn, store),
        ports: vec![ContainerPort {
            name: "control".to_owned(),
            container_port: vpn.api_port,
            host_port: None,
            host_ip: None,
            protocol: "TCP",
        }],
        startup_probe: Some(Probe {
            failure_threshold: GLUETUN_STARTUP_FAILURES,
            ..check()
        }),
        readiness_probe: Some(check()),
        security_context: Some(SecurityContext {
            capabilities: Capabilities {
                add: vec!["NET_ADMIN"],
            },
        }),
        volume_mounts: vec![VolumeMount {
            name: tun_volume.to_owned(),
            mount_path: tun_device.to_owned(),
        }],
        ..Container::default()
    }
}

/// Words in a Gluetun setting's name that say its value identifies or
/// unlocks an account, beyond the project's secret words (`keys::looks_secret`:
/// …KEY, …PASSWORD, …TOKEN, …): `OPENVPN_USER` (often the account number),
/// `UPDATER_PROTONVPN_EMAIL`, `OPENVPN_CERT`, `HTTP_CONTROL_SERVER_AUTH_…`
/// (roles with their passwords).
const ACCOUNT_WORDS: &[&str] = &["USER", "EMAIL", "CERT", "AUTH"];

/// Does the `.env` key `key` belong in the Secret? The others (provider,
/// VPN type, countries, …) go in the ConfigMap of the same name.
pub fn is_secret_setting(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    crate::keys::looks_secret(&upper) || ACCOUNT_WORDS.iter().any(|word| upper.contains(word))
}

/// `name` read from the `.env` key `key`: from the Secret when the key is a
/// secret, else from the ConfigMap (both named `store`).
fn setting_ref(name: &str, store: &str, key: &str) -> EnvVar {
    let reference = Some(KeyRef {
        name: store.to_owned(),
        key: key.to_owned(),
    });
    let from = if is_secret_setting(key) {
        EnvSource {
            secret_key_ref: reference,
            config_map_key_ref: None,
        }
    } else {
        EnvSource {
            secret_key_ref: None,
            config_map_key_ref: reference,
        }
    };
    EnvVar {
        name: name.to_owned(),
        value: None,
        value_from: Some(from),
    }
}

pub fn literal(name: &str, value: String) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value: Some(value),
        value_from: None,
    }
}

/// The plan's Gluetun environment in Kubernetes terms: `.env` values come
/// from the Secret or the ConfigMap; `${KEY}` inside a value becomes
/// `$(KEY)`, KEY defined from either just before; FIREWALL_INPUT_PORTS lets the engines' and
/// the control server's ports in from the cluster.
fn gluetun_env(vpn: &VpnService, store: &str) -> Vec<EnvVar> {
    let mut env = Vec::new();
    let mut user_input_ports = None;
    for (key, value) in &vpn.environment {
        match value {
            EnvValue::Literal(text) => env.push(literal(key, escape_expansion(text))),
            EnvValue::Reference(source) if key == "FIREWALL_INPUT_PORTS" => {
                user_input_ports = Some(source.clone());
            }
            EnvValue::Reference(source) => env.push(setting_ref(key, store, source)),
            EnvValue::Interpolated(text) => {
                let (value, references) = dependent_value(text);
                for reference in references {
                    if !env.iter().any(|e: &EnvVar| e.name == reference) {
                        env.push(setting_ref(&reference, store, &reference));
                    }
                }
                env.push(literal(key, value));
            }
        }
    }
    let mut ports: Vec<String> = std::iter::once(vpn.api_port)
        .chain(vpn.published_ports.iter().copied())
        .map(|p| p.to_string())
        .collect();
    if let Some(source) = user_input_ports {
        env.push(setting_ref(USER_FIREWALL_INPUT_PORTS, store, &source));
        ports.push(format!("$({USER_FIREWALL_INPUT_PORTS})"));
    }
    env.push(literal("FIREWALL_INPUT_PORTS", ports.join(",")));
    env
}

/// Compose text with `${KEY}` references as a Kubernetes value with
/// `$(KEY)` dependent variables, and the keys it refers to.
fn dependent_value(text: &str) -> (String, Vec<String>) {
    let mut value = String::new();
    let mut references = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        let key = &rest[start + 2..start + length];
        value.push_str(&escape_expansion(&rest[..start].replace("$$", "$")));
        value.push_str(&format!("$({key})"));
        references.push(key.to_owned());
        rest = &rest[start + length + 1..];
    }
    value.push_str(&escape_expansion(&rest.replace("$$", "$")));
    (value, references)
}
