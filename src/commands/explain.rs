//! `acegen explain`: what was resolved and why — the variant and the rule
//! that chose it, the VPN layout, every engine, and where each setting came from.

use super::inputs::InputArgs;
use super::EXIT_INVALID;
use crate::pipeline::Compilation;
use crate::resolve::{EnvValue, ForwardedSource, Launch, Plan, VariantRule, VpnLayout, VpnService};
use crate::validate::settings::Origin;
use crate::{keys, report};
use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use std::fmt::Write;

mod orchestrator;

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ExplainFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Args, Default)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: ExplainFormat,
}

pub fn run(args: &ExplainArgs) -> u8 {
    let compilation = match super::compile_without_text(&args.inputs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    report::text::print_diagnostics_in(&compilation, super::stderr_palette());
    let Some(plan) = compilation
        .plan
        .as_ref()
        .filter(|_| !compilation.diagnostics.has_errors())
    else {
        report::text::print_refusal(&compilation, args.inputs.strict);
        return EXIT_INVALID;
    };
    let kubernetes = compilation
        .manifests
        .as_ref()
        .map(|m| (m, args.inputs.target.kubernetes_options()));
    let text = match args.format {
        ExplainFormat::Json => {
            let mut value = explanation(&compilation, plan);
            value["replicas"] = replicas_json(&compilation, plan, args.inputs.replicas);
            if let Some((manifests, options)) = &kubernetes {
                value["kubernetes"] = super::target::explanation_json(manifests, options);
            }
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
        }
        ExplainFormat::Text => {
            let mut text = text_explanation(&compilation, plan, args.inputs.replicas);
            if let Some((manifests, options)) = &kubernetes {
                text.push_str(&super::target::explanation_text(manifests, options));
            }
            text
        }
    };
    super::print_stdout(&text)
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

/// The key that gives VPN `number`'s forwarded port.
fn forwarded_key(number: usize) -> &'static str {
    if number == 2 {
        keys::GLUETUN_FORWARDED_PORT_2
    } else {
        keys::GLUETUN_FORWARDED_PORT
    }
}

/// The Gluetun settings a VPN service receives by reference: (key in the
/// container, `.env` key it reads; `KEY_2` for VPN 2 where `.env` has one).
fn referenced_keys(vpn: &VpnService) -> Vec<(&str, &str)> {
    vpn.environment
        .iter()
        .filter_map(|(key, value)| match value {
            EnvValue::Reference(source) => Some((key.as_str(), source.as_str())),
            _ => None,
        })
        .collect()
}

fn referenced_text(vpn: &VpnService) -> Vec<String> {
    referenced_keys(vpn)
        .into_iter()
        .map(|(key, source)| match key == source {
            true => key.to_owned(),
            false => format!("{key} (from {source})"),
        })
        .collect()
}

/// Does this VPN's control server require GLUETUN_API_KEY?
fn requires_api_key(vpn: &VpnService) -> bool {
    vpn.environment
        .iter()
        .any(|(key, _)| key == "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE")
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

/// How many engines, and what decided it.
fn replicas_json(compilation: &Compilation, plan: &Plan, replicas: Option<u32>) -> Value {
    json!({
        "count": plan.engines.len(),
        "source": replicas_source(compilation, replicas),
    })
}

fn replicas_source(compilation: &Compilation, replicas: Option<u32>) -> String {
    match (
        replicas,
        &compilation.validated.settings.min_replicas.origin,
    ) {
        (Some(_), _) => "--replicas".to_owned(),
        (None, Origin::Default) => "the default of MIN_REPLICAS".to_owned(),
        (None, origin) => format!("MIN_REPLICAS at {}", origin.describe()),
    }
}

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

/// The text form: a readable account, section by section.
fn text_explanation(compilation: &Compilation, plan: &Plan, replicas: Option<u32>) -> String {
    let mut out = String::new();
    write_variant(&mut out, compilation, plan);
    write_vpn(&mut out, plan);
    match plan.orchestrator {
        Some(_) => orchestrator::write(&mut out, compilation, plan),
        None => write_engines(&mut out, compilation, plan, replicas),
    }
    write_settings(&mut out, compilation);
    out
}

fn write_variant(out: &mut String, compilation: &Compilation, plan: &Plan) {
    let variant = &plan.variant;
    let why = match &variant.rule {
        VariantRule::CustomVariant => {
            let file = compilation.inputs.custom_variant.as_ref().map_or_else(
                || "the custom variant file".to_owned(),
                |f| f.path.to_string(),
            );
            format!("{file} is enabled (\"enabled\": true wins over ENGINE_VARIANT)")
        }
        VariantRule::EngineVariant(origin) => {
            format!("ENGINE_VARIANT at {}", origin.describe())
        }
        VariantRule::Default => {
            "the default: no enabled custom variant, ENGINE_VARIANT not set".to_owned()
        }
    };
    let _ = writeln!(out, "Variant: {}", variant.label);
    let _ = writeln!(out, "  chosen by:  {why}");
    let _ = writeln!(out, "  image:      {}", variant.image);
    let _ = match &variant.launch {
        Launch::Command(base) => writeln!(
            out,
            "  started by: command `{}`, then each engine's ports",
            base.join(" ")
        ),
        Launch::AcestreamArgs(_) => writeln!(
            out,
            "  started by: ACESTREAM_ARGS (the image's optimised argument string), then each engine's ports"
        ),
    };
    let health = if variant.jopsis_healthcheck {
        "probes each engine's own HTTP port"
    } else {
        "none (the image is distroless)"
    };
    let _ = writeln!(out, "  health:     {health}");
    if let Some(limit) = &plan.memory_limit {
        let _ = writeln!(out, "  memory:     {limit} per engine");
    }
    if let Some(mount) = &plan.torrent_mount {
        let _ = writeln!(
            out,
            "  torrents:   {} mounted at {}",
            mount.host_path, mount.container_path
        );
    }
}

fn write_vpn(out: &mut String, plan: &Plan) {
    let names: Vec<&str> = plan.vpns.iter().map(|v| v.name.as_str()).collect();
    let layout = match plan.vpn_layout {
        VpnLayout::None => {
            let bind = plan
                .bind_ip
                .map_or_else(|| "all interfaces".to_owned(), |ip| ip.to_string());
            format!("none (every engine publishes its own ports, on {bind})")
        }
        VpnLayout::Single => format!("single (every engine runs in {}'s network stack)", names[0]),
        VpnLayout::Redundant => format!(
            "redundant (engines alternate between {}, engine 1 on the first)",
            names.join(" and ")
        ),
    };
    let _ = writeln!(out, "\nVPN: {layout}");
    if let Some(network) = &plan.network {
        let joins = if plan.vpns.is_empty() {
            "engines"
        } else {
            "VPN services"
        };
        let _ = writeln!(out, "  network:    the {joins} join {network}");
    }
    for vpn in &plan.vpns {
        let _ = writeln!(out, "  {}:", vpn.name);
        let _ = writeln!(
            out,
            "    HTTP ports:      {} (publishes {})",
            vpn.http_range,
            published(&vpn.published_ports)
        );
        let auth = match requires_api_key(vpn) {
            true => ", requires GLUETUN_API_KEY",
            false => "",
        };
        let _ = writeln!(
            out,
            "    control server:  127.0.0.1:{} (port {} inside{auth})",
            vpn.api_host_port, vpn.api_port
        );
        let forwarded = match &vpn.forwarded {
            Some(f) => {
                let engine = plan
                    .engines
                    .iter()
                    .find(|e| e.ports.forwarded && e.vpn.as_ref() == Some(&vpn.name))
                    .map_or("no engine", |e| e.name.as_str());
                let from = match &f.source {
                    ForwardedSource::Setting(origin) => {
                        format!("{} at {}", forwarded_key(vpn.number), origin.describe())
                    }
                    ForwardedSource::ControlServer(url) => format!("read from {url}"),
                };
                format!("{} ({from}), used by {engine}", f.port)
            }
            None if plan.orchestrator.is_some() => {
                "asked from Gluetun by the orchestrator at run time".to_owned()
            }
            None => format!(
                "unknown ({} not set): no engine is labelled forwarded",
                forwarded_key(vpn.number)
            ),
        };
        let _ = writeln!(out, "    forwarded port:  {forwarded}");
        let referenced = referenced_text(vpn);
        if !referenced.is_empty() {
            let _ = writeln!(
                out,
                "    passed by reference from .env: {}",
                referenced.join(", ")
            );
        }
    }
}

/// Published ports as ranges: `19000-19002, 19005`.
fn published(ports: &[u16]) -> String {
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for &port in ports {
        match runs.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(port) => *end = port,
            _ => runs.push((port, port)),
        }
    }
    let runs: Vec<String> = runs
        .iter()
        .map(|&(start, end)| match start == end {
            true => start.to_string(),
            false => format!("{start}-{end}"),
        })
        .collect();
    match runs.is_empty() {
        true => "nothing".to_owned(),
        false => runs.join(", "),
    }
}

fn write_engines(out: &mut String, compilation: &Compilation, plan: &Plan, replicas: Option<u32>) {
    let _ = writeln!(
        out,
        "\nEngines: {} (from {})",
        plan.engines.len(),
        replicas_source(compilation, replicas)
    );
    let vpn_width = plan
        .engines
        .iter()
        .filter_map(|e| e.vpn.as_ref().map(String::len))
        .max()
        .unwrap_or(0)
        .max(3);
    let name_width = plan
        .engines
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0)
        .max(4);
    let _ = writeln!(
        out,
        "  {:<name_width$}  {:<vpn_width$}  {:>5}  {:>5}  {:>10}  {:>5}  forwarded",
        "name", "vpn", "http", "https", "https host", "p2p"
    );
    let dash = |port: Option<u16>| port.map_or("-".to_owned(), |p| p.to_string());
    for e in &plan.engines {
        let _ = writeln!(
            out,
            "  {:<name_width$}  {:<vpn_width$}  {:>5}  {:>5}  {:>10}  {:>5}  {}",
            e.name,
            e.vpn.as_deref().unwrap_or("-"),
            e.ports.http,
            e.ports.https,
            dash(e.ports.https_host),
            dash(e.ports.p2p),
            if e.ports.forwarded { "yes" } else { "no" }
        );
    }
}

/// Every key acegen reads, its value (secrets masked) and where it came from.
fn write_settings(out: &mut String, compilation: &Compilation) {
    let _ = writeln!(out, "\nSettings (value, then where it came from):");
    let raw = &compilation.validated.settings.raw;
    let rows: Vec<(&str, String, String)> = keys::KEYS
        .iter()
        .filter_map(|spec| {
            let setting = raw.get(spec.name)?;
            let value = setting
                .display_value()
                .unwrap_or_else(|| "(unset)".to_owned());
            Some((spec.name, value, setting.origin.describe()))
        })
        .collect();
    let key_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let value_width = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for (key, value, source) in rows {
        let _ = writeln!(out, "  {key:<key_width$}  {value:<value_width$}  {source}");
    }
}
