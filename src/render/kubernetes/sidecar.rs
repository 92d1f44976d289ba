//! Gluetun in a VPN's pod: the native sidecar container and its
//! environment, with `.env` values read from the Secret.

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
    secret: &str,
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
        env: gluetun_env(vpn, secret),
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

fn secret_ref(name: &str, secret: &str, key: &str) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value: None,
        value_from: Some(EnvSource {
            secret_key_ref: SecretKeyRef {
                name: secret.to_owned(),
                key: key.to_owned(),
            },
        }),
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
/// from the Secret; `${KEY}` inside a value becomes `$(KEY)`, KEY defined
/// from the Secret just before; FIREWALL_INPUT_PORTS lets the engines' and
/// the control server's ports in from the cluster.
fn gluetun_env(vpn: &VpnService, secret: &str) -> Vec<EnvVar> {
    let mut env = Vec::new();
    let mut user_input_ports = None;
    for (key, value) in &vpn.environment {
        match value {
            EnvValue::Literal(text) => env.push(literal(key, escape_expansion(text))),
            EnvValue::Reference(source) if key == "FIREWALL_INPUT_PORTS" => {
                user_input_ports = Some(source.clone());
            }
            EnvValue::Reference(source) => env.push(secret_ref(key, secret, source)),
            EnvValue::Interpolated(text) => {
                let (value, references) = dependent_value(text);
                for reference in references {
                    if !env.iter().any(|e: &EnvVar| e.name == reference) {
                        env.push(secret_ref(&reference, secret, &reference));
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
        env.push(secret_ref(USER_FIREWALL_INPUT_PORTS, secret, &source));
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
