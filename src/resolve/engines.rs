//! One engine service from its allocated ports: its command or
//! ACESTREAM_ARGS, its labels and its health check.

use super::health::{jopsis_healthcheck, vpn_engine_healthcheck};
use super::plan::{Engine, Launch, Variant};
use super::ports::EnginePorts;
use crate::validate::settings::Settings;

/// Engine `number` (1-based) on `ports`.
pub(super) fn build_engine(
    settings: &Settings,
    variant: &Variant,
    vpn_names: &[String],
    number: usize,
    ports: EnginePorts,
) -> Engine {
    let vpn = ports.vpn.map(|v| vpn_names[v].clone());
    let mut port_args = vec![
        "--http-port".to_owned(),
        ports.http.to_string(),
        "--https-port".to_owned(),
        ports.https.to_string(),
    ];
    if let Some(p2p) = ports.p2p {
        port_args.extend(["--port".to_owned(), p2p.to_string()]);
    }
    let (command, acestream_args) = match &variant.launch {
        Launch::Command(base) => (Some([base.clone(), port_args].concat()), None),
        Launch::AcestreamArgs(base) => (None, Some(format!("{base} {}", port_args.join(" ")))),
    };
    let (label_key, label_value) = settings.container_label.value.clone();
    let mut labels = vec![
        (label_key, label_value),
        (
            "acestream.engine_variant".to_owned(),
            variant.engine_variant_label.clone(),
        ),
        ("acestream.http_port".to_owned(), ports.http.to_string()),
        ("acestream.https_port".to_owned(), ports.https.to_string()),
        ("host.http_port".to_owned(), ports.http.to_string()),
    ];
    if let Some(host) = ports.https_host {
        labels.push(("host.https_port".to_owned(), host.to_string()));
    }
    if let Some(vpn) = &vpn {
        labels.push(("acestream.vpn_container".to_owned(), vpn.clone()));
    }
    if ports.forwarded {
        labels.push(("acestream.forwarded".to_owned(), "true".to_owned()));
    }
    let healthcheck = variant.jopsis_healthcheck.then(|| match &vpn {
        Some(_) => vpn_engine_healthcheck(ports.http),
        None => jopsis_healthcheck(ports.http),
    });
    Engine {
        number,
        name: format!("acestream-{number}"),
        vpn,
        ports,
        command,
        acestream_args,
        labels,
        healthcheck,
    }
}
