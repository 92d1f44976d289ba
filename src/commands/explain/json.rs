//! `explain --format json`: the resolution as data, for other tools.

use super::facts::{referenced_keys, replicas_source, requires_api_key};
use super::orchestrator;
use crate::keys;
use crate::pipeline::Compilation;
use crate::resolve::{ForwardedSource, Launch, Plan, VariantRule};
use crate::validate::settings::Origin;
use serde_json::{json, Map, Value};

/// The resolution as data (`--format json`); format_version changes only
/// when a field changes meaning or disappears. Fields are only ever added.
pub fn explanation(compilation: &Compilation, plan: &Plan) -> Value {
    let (rule, source) = rule_json(&plan.variant.rule);
    let configured_by = match plan.variant.launch {
        Launch::Command(_) => "command",
        Launch::AcestreamArgs(_) => "ACESTREAM_ARGS",
    };
    let (base_command, base_acestream_args) = base_launch(plan);
    let vpns: Vec<Value> = plan
        .vpns
        .iter()
        .map(|v| {
            let forwarded_engine = plan
                .engines
                .iter()
                .find(|e| e.ports.forwarded && e.vpn.as_deref() == Some(v.name.as_str()))
                .map(|e| e.name.as_str());
            json!({
                "name": v.name,
                "number": v.number,
                "api_port": v.api_port,
                "api_host_port": v.api_host_port,
                "http_range": v.http_range.to_string(),
                "forwarded_port": v.forwarded.as_ref().map(|f| f.port),
                "forwarded_port_source": v.forwarded.as_ref().map(|f| forwarded_source(&f.source)),
                "forwarded_engine": forwarded_engine,
                "published_ports": v.published_ports,
                "env_by_reference": referenced_keys(v)
                    .into_iter()
                    .map(|(key, source)| (key.to_owned(), Value::from(source)))
                    .collect::<Map<String, Value>>(),
                "api_key_required": requires_api_key(v),
            })
        })
        .collect();
    let engines: Vec<Value> = plan
        .engines
        .iter()
        .map(|e| {
            let labels: Map<String, Value> = e
                .labels
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.clone())))
                .collect();
            json!({
                "name": e.name,
                "number": e.number,
                "vpn": e.vpn,
                "image": plan.variant.image,
                "http_port": e.ports.http,
                "https_port": e.ports.https,
                "https_host_port": e.ports.https_host,
                "p2p_port": e.ports.p2p,
                "forwarded": e.ports.forwarded,
                "command": e.command,
                "acestream_args": e.acestream_args,
                "labels": labels,
                "healthcheck": e.healthcheck,
                "mem_limit": plan.memory_limit,
            })
        })
        .collect();
    let settings: Map<String, Value> = compilation
        .validated
        .settings
        .raw
        .iter()
        .map(|(key, raw)| {
            let default = keys::spec(key).and_then(|spec| spec.default);
            (
                (*key).to_owned(),
                json!({
                    "value": raw.display_value(),
                    "source": raw.origin.describe(),
                    "origin": origin_json(&raw.origin),
                    "default": default,
                    "secret": raw.secret,
                }),
            )
        })
        .collect();
    let inputs = &compilation.inputs;
    json!({
        "format_version": 1,
        "inputs": {
            "env_file": inputs.env.as_ref().map(|f| f.path.as_str()),
            "custom_variant": inputs.custom_variant.as_ref().map(|f| f.path.as_str()),
            "custom_variant_enabled": compilation.validated.custom_variant.as_ref().is_some_and(|c| c.enabled),
        },
        "variant": {
            "name": plan.variant.label,
            "rule": rule,
            "source": source,
            "image": plan.variant.image,
            "configured_by": configured_by,
            "base_command": base_command,
            "base_acestream_args": base_acestream_args,
        },
        "stack": plan.stack.name(),
        "orchestrator": orchestrator::json(plan),
        "vpn": { "mode": plan.vpn_layout.name(), "services": vpns },
        "engines": engines,
        "network": plan.network,
        "bind_ip": plan.bind_ip.map(|ip| ip.to_string()),
        "memory_limit": plan.memory_limit,
        "torrent_mount": plan.torrent_mount.as_ref().map(|m| json!({
            "host_path": m.host_path,
            "container_path": m.container_path,
        })),
        "settings": settings,
    })
}

/// How many engines, and what decided it.
pub fn replicas_json(compilation: &Compilation, plan: &Plan, replicas: Option<u32>) -> Value {
    json!({
        "count": plan.engines.len(),
        "source": replicas_source(compilation, replicas),
    })
}

fn rule_json(rule: &VariantRule) -> (&'static str, Option<String>) {
    match rule {
        VariantRule::CustomVariant => ("custom", None),
        VariantRule::EngineVariant(origin) => ("ENGINE_VARIANT", Some(origin.describe())),
        VariantRule::Default => ("default", None),
    }
}

fn forwarded_source(source: &ForwardedSource) -> String {
    match source {
        ForwardedSource::Setting(origin) => origin.describe(),
        ForwardedSource::ControlServer(url) => url.clone(),
    }
}

/// How the engines are started, before their ports are appended.
fn base_launch(plan: &Plan) -> (Option<&Vec<String>>, Option<&str>) {
    match &plan.variant.launch {
        Launch::Command(base) => (Some(base), None),
        Launch::AcestreamArgs(args) => (None, Some(args.as_str())),
    }
}

fn origin_json(origin: &Origin) -> Value {
    match origin {
        Origin::Default => json!({ "kind": "default" }),
        Origin::CommandLine => json!({ "kind": "command_line" }),
        Origin::EnvFile { file, position, .. } => json!({
            "kind": "env_file",
            "file": file.as_str(),
            "line": position.line,
            "column": position.column,
        }),
    }
}
