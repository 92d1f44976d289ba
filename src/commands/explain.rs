//! `acegen explain`: what was resolved and why — the variant and the rule
//! that chose it, the VPN layout, every engine, and where each setting came from.

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::cli::InputArgs;
use crate::pipeline::{self, Compilation};
use crate::resolve::{ForwardedSource, Launch, Plan, VariantRule};
use crate::{keys, report};
use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use std::fmt::Write;

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
    let compilation = match pipeline::compile(&args.inputs.request()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("acegen: error: {e}");
            return EXIT_USAGE_OR_IO;
        }
    };
    report::text::print_diagnostics(&compilation);
    let Some(plan) = compilation
        .plan
        .as_ref()
        .filter(|_| !compilation.diagnostics.has_errors())
    else {
        report::text::print_refusal(&compilation, args.inputs.strict);
        return EXIT_INVALID;
    };
    let text = match args.format {
        ExplainFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&explanation(&compilation, plan)).unwrap_or_default();
            text.push('\n');
            text
        }
        ExplainFormat::Text => text_explanation(&compilation, plan),
    };
    print!("{text}");
    EXIT_OK
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

/// The resolution as data (`--format json`); format_version changes only
/// when a field changes meaning or disappears.
pub fn explanation(compilation: &Compilation, plan: &Plan) -> Value {
    let (rule, source) = rule_json(&plan.variant.rule);
    let configured_by = match plan.variant.launch {
        Launch::Command(_) => "command",
        Launch::AcestreamArgs(_) => "ACESTREAM_ARGS",
    };
    let vpns: Vec<Value> = plan
        .vpns
        .iter()
        .map(|v| {
            json!({
                "name": v.name,
                "api_port": v.api_port,
                "api_host_port": v.api_host_port,
                "http_range": v.http_range.to_string(),
                "forwarded_port": v.forwarded.as_ref().map(|f| f.port),
                "forwarded_port_source": v.forwarded.as_ref().map(|f| forwarded_source(&f.source)),
                "published_ports": v.published_ports,
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
            (
                (*key).to_owned(),
                json!({ "value": raw.display_value(), "source": raw.origin.describe() }),
            )
        })
        .collect();
    json!({
        "format_version": 1,
        "variant": {
            "name": plan.variant.label,
            "rule": rule,
            "source": source,
            "image": plan.variant.image,
            "configured_by": configured_by,
        },
        "vpn": { "mode": plan.vpn_layout.name(), "services": vpns },
        "engines": engines,
        "settings": settings,
    })
}

fn text_explanation(compilation: &Compilation, plan: &Plan) -> String {
    let mut out = String::new();
    let variant = &plan.variant;
    let why = match &variant.rule {
        VariantRule::CustomVariant => "the custom variant file is enabled".to_owned(),
        VariantRule::EngineVariant(origin) => format!("ENGINE_VARIANT at {}", origin.describe()),
        VariantRule::Default => "the default (no custom variant, no ENGINE_VARIANT)".to_owned(),
    };
    let _ = writeln!(out, "Variant: {} (chosen by {why})", variant.label);
    let _ = writeln!(out, "Image:   {}", variant.image);
    let _ = match &variant.launch {
        Launch::Command(base) => writeln!(out, "Started: command `{}` + ports", base.join(" ")),
        Launch::AcestreamArgs(_) => writeln!(
            out,
            "Started: ACESTREAM_ARGS (jopsis optimised arguments) + ports"
        ),
    };
    let _ = match plan.vpns.len() {
        0 => writeln!(out, "VPN:     none; every engine publishes its own ports"),
        _ => writeln!(
            out,
            "VPN:     {} ({})",
            plan.vpn_layout.name(),
            plan.vpns
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    for vpn in &plan.vpns {
        let forwarded = match &vpn.forwarded {
            Some(f) => format!(
                "forwarded port {} (from {})",
                f.port,
                forwarded_source(&f.source)
            ),
            None => "no known forwarded port".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {}: HTTP ports {}, control server 127.0.0.1:{}, {forwarded}",
            vpn.name, vpn.http_range, vpn.api_host_port
        );
    }
    let _ = writeln!(out, "\nEngines:");
    let _ = writeln!(
        out,
        "  {:<14} {:<12} {:>6} {:>6} {:>10} {:>6} forwarded",
        "name", "vpn", "http", "https", "https-host", "p2p"
    );
    for e in &plan.engines {
        let _ = writeln!(
            out,
            "  {:<14} {:<12} {:>6} {:>6} {:>10} {:>6} {}",
            e.name,
            e.vpn.as_deref().unwrap_or("-"),
            e.ports.http,
            e.ports.https,
            e.ports.https_host.map_or("-".to_owned(), |p| p.to_string()),
            e.ports.p2p.map_or("-".to_owned(), |p| p.to_string()),
            if e.ports.forwarded { "yes" } else { "no" }
        );
    }
    let _ = writeln!(out, "\nSettings:");
    for spec in keys::KEYS {
        let raw = &compilation.validated.settings.raw[spec.name];
        let value = raw.display_value().unwrap_or_else(|| "(unset)".to_owned());
        let _ = writeln!(
            out,
            "  {:<26} {:<32} {}",
            spec.name,
            value,
            raw.origin.describe()
        );
    }
    out
}
