//! The plan as Kubernetes objects (SPEC 6): one Deployment per VPN, holding
//! Gluetun as a native sidecar and the VPN's engines; without a VPN, one
//! Deployment per engine; one Service per engine either way.

use super::names::{escape_expansion, is_label_key, is_label_value, memory_quantity};
use super::objects::*;
use super::sidecar::{gluetun_container, literal};
use super::{Expose, Finding, KubernetesOptions};
use crate::resolve::{Engine, Plan, VpnService};

const TUN_VOLUME: &str = "tun";
const TUN_DEVICE: &str = "/dev/net/tun";
const TORRENT_VOLUME: &str = "torrent-folder";

/// Labels whose value differs from engine to engine: behind a VPN they go on
/// the engine's Service, not on the pod the engines share.
const PER_ENGINE_LABELS: &[&str] = &[
    "acestream.http_port",
    "acestream.https_port",
    "host.http_port",
    "host.https_port",
    "acestream.forwarded",
];

pub enum Object<'a> {
    Deployment(Deployment<'a>),
    Service(Service<'a>),
}

impl Object<'_> {
    pub fn kind(&self) -> &'static str {
        match self {
            Object::Deployment(d) => d.kind,
            Object::Service(s) => s.kind,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Object::Deployment(d) => d.metadata.name,
            Object::Service(s) => s.metadata.name,
        }
    }
}

/// Everything the plan turns into, in a fixed order: VPN Deployments, then
/// per engine its Deployment (no VPN) and its Service.
pub fn objects<'a>(
    plan: &'a Plan,
    gluetun_image: &str,
    options: &KubernetesOptions,
    findings: &mut Vec<Finding>,
) -> Vec<Object<'a>> {
    let mut objects = Vec::new();
    for vpn in &plan.vpns {
        // A pod needs a container, and on Kubernetes nothing adds engines later.
        if !plan
            .engines
            .iter()
            .any(|e| e.vpn.as_ref() == Some(&vpn.name))
        {
            findings.push(Finding::empty_vpn(vpn));
            continue;
        }
        objects.push(Object::Deployment(vpn_deployment(
            plan,
            vpn,
            gluetun_image,
            options,
            findings,
        )));
    }
    for engine in &plan.engines {
        // One engine's Deployment and Service carry the same metadata: its
        // labels are checked once.
        let meta = metadata(&engine.name, "engine", engine.labels.iter(), findings);
        if engine.vpn.is_none() {
            objects.push(Object::Deployment(engine_deployment(
                plan,
                engine,
                meta.clone(),
                options,
            )));
        }
        objects.push(Object::Service(engine_service(engine, meta, options)));
    }
    objects
}

/// The labels that select a Deployment's pods.
pub fn selector(instance: &str) -> StringMap<'_> {
    StringMap::from([
        ("app.kubernetes.io/instance", instance),
        ("app.kubernetes.io/managed-by", "acegen"),
    ])
}

/// Selector labels, plus the orchestrator's labels that fit a Kubernetes
/// label; the others become annotations (with a warning, once per key).
fn metadata<'a>(
    name: &'a str,
    component: &'static str,
    labels: impl Iterator<Item = &'a (String, String)>,
    findings: &mut Vec<Finding>,
) -> ObjectMeta<'a> {
    let mut meta = ObjectMeta {
        name,
        labels: selector(name),
        annotations: StringMap::new(),
    };
    meta.labels.insert("app.kubernetes.io/component", component);
    for (key, value) in labels {
        if !is_label_key(key) {
            findings.push(Finding::label_key(key));
        } else if is_label_value(value) {
            meta.labels.insert(key, value);
        } else {
            findings.push(Finding::label_value(key, value));
            meta.annotations.insert(key, value);
        }
    }
    meta
}

fn deployment<'a>(meta: ObjectMeta<'a>, instance: &'a str, spec: PodSpec) -> Deployment<'a> {
    let template = PodTemplate {
        metadata: PodMeta {
            labels: meta.labels.clone(),
            annotations: meta.annotations.clone(),
        },
        spec,
    };
    Deployment {
        api_version: "apps/v1",
        kind: "Deployment",
        metadata: meta,
        spec: DeploymentSpec {
            replicas: 1,
            selector: LabelSelector {
                match_labels: selector(instance),
            },
            // Never two pods at once: they would hold the same host ports,
            // forwarded port and VPN account.
            strategy: Strategy { kind: "Recreate" },
            template,
        },
    }
}

fn vpn_deployment<'a>(
    plan: &'a Plan,
    vpn: &'a VpnService,
    gluetun_image: &str,
    options: &KubernetesOptions,
    findings: &mut Vec<Finding>,
) -> Deployment<'a> {
    let engines: Vec<&'a Engine> = plan
        .engines
        .iter()
        .filter(|e| e.vpn.as_deref() == Some(vpn.name.as_str()))
        .collect();
    // The labels every engine of this VPN shares; the per-engine ones are on their Services.
    let shared = engines
        .first()
        .into_iter()
        .flat_map(|e| &e.labels)
        .filter(|(k, _)| !PER_ENGINE_LABELS.contains(&k.as_str()));
    let meta = metadata(&vpn.name, "vpn", shared, findings);
    let mut volumes = vec![Volume {
        name: TUN_VOLUME.to_owned(),
        host_path: HostPath {
            path: TUN_DEVICE.to_owned(),
            kind: "CharDevice",
        },
    }];
    volumes.extend(torrent_volume(plan));
    let spec = PodSpec {
        init_containers: vec![gluetun_container(
            vpn,
            gluetun_image,
            &options.secret_name,
            TUN_VOLUME,
            TUN_DEVICE,
        )],
        containers: engines
            .iter()
            .map(|e| engine_container(plan, e, options))
            .collect(),
        volumes,
        // As with `network_mode: service:`, the engines resolve names through Gluetun's DNS.
        dns_policy: Some("None"),
        dns_config: Some(DnsConfig {
            nameservers: vec!["127.0.0.1".to_owned()],
        }),
    };
    deployment(meta, &vpn.name, spec)
}

fn engine_deployment<'a>(
    plan: &Plan,
    engine: &'a Engine,
    meta: ObjectMeta<'a>,
    options: &KubernetesOptions,
) -> Deployment<'a> {
    let spec = PodSpec {
        init_containers: Vec::new(),
        containers: vec![engine_container(plan, engine, options)],
        volumes: torrent_volume(plan).into_iter().collect(),
        dns_policy: None,
        dns_config: None,
    };
    deployment(meta, &engine.name, spec)
}

fn torrent_volume(plan: &Plan) -> Option<Volume> {
    plan.torrent_mount.as_ref().map(|mount| Volume {
        name: TORRENT_VOLUME.to_owned(),
        host_path: HostPath {
            path: mount.host_path.clone(),
            kind: "DirectoryOrCreate",
        },
    })
}

fn engine_container(plan: &Plan, engine: &Engine, options: &KubernetesOptions) -> Container {
    let ports = engine.ports;
    let host_ip = plan.bind_ip.map(|ip| ip.to_string());
    let port = |name: String, container_port: u16, host: u16| ContainerPort {
        name,
        container_port,
        host_port: (options.expose == Expose::Hostport).then_some(host),
        host_ip: host_ip
            .clone()
            .filter(|_| options.expose == Expose::Hostport),
        protocol: "TCP",
    };
    let mut container_ports = vec![port(format!("http-{}", ports.http), ports.http, ports.http)];
    if let Some(host) = ports.https_host {
        container_ports.push(port(format!("https-{}", ports.https), ports.https, host));
    }
    // A check of the engine's own port; behind a VPN it would make one
    // stuck engine take its pod, and so every engine of that VPN, out of
    // their Services, so there the pod's readiness is Gluetun's.
    let readiness_probe = engine
        .healthcheck
        .as_ref()
        .filter(|_| engine.vpn.is_none())
        .map(|test| Probe {
            exec: ExecAction {
                command: shell_form(test),
            },
            period_seconds: 30,
            timeout_seconds: 10,
            failure_threshold: 3,
        });
    Container {
        name: engine.name.clone(),
        image: plan.variant.image.clone(),
        args: engine
            .command
            .iter()
            .flatten()
            .map(|a| escape_expansion(a))
            .collect(),
        env: engine
            .acestream_args
            .iter()
            .map(|args| literal("ACESTREAM_ARGS", escape_expansion(args)))
            .collect(),
        ports: container_ports,
        resources: plan
            .memory_limit
            .as_deref()
            .and_then(memory_quantity)
            .map(|q| Resources {
                limits: [("memory", q)].into(),
            }),
        readiness_probe,
        volume_mounts: plan
            .torrent_mount
            .iter()
            .map(|m| VolumeMount {
                name: TORRENT_VOLUME.to_owned(),
                mount_path: m.container_path.clone(),
            })
            .collect(),
        ..Container::default()
    }
}

/// A compose health check test (`CMD-SHELL text` or `CMD args…`) as an exec command.
fn shell_form(test: &[String]) -> Vec<String> {
    match test.split_first() {
        Some((kind, rest)) if kind == "CMD-SHELL" => {
            vec!["sh".to_owned(), "-c".to_owned(), rest.join(" ")]
        }
        Some((kind, rest)) if kind == "CMD" => rest.to_vec(),
        _ => test.to_vec(),
    }
}

fn engine_service<'a>(
    engine: &'a Engine,
    meta: ObjectMeta<'a>,
    options: &KubernetesOptions,
) -> Service<'a> {
    // Behind a VPN the engine runs in the VPN's pod.
    let instance = engine.vpn.as_deref().unwrap_or(&engine.name);
    let ports = engine.ports;
    let mut service_ports = vec![ServicePort {
        name: "http".to_owned(),
        port: ports.http,
        target_port: ports.http,
        protocol: "TCP",
    }];
    if let Some(host) = ports.https_host {
        service_ports.push(ServicePort {
            name: "https".to_owned(),
            port: host,
            target_port: ports.https,
            protocol: "TCP",
        });
    }
    Service {
        api_version: "v1",
        kind: "Service",
        metadata: meta,
        spec: ServiceSpec {
            kind: match options.expose {
                Expose::Loadbalancer => "LoadBalancer",
                Expose::Cluster | Expose::Hostport => "ClusterIP",
            },
            selector: selector(instance),
            ports: service_ports,
        },
    }
}
