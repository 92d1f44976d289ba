//! `explain` as text: a readable account, section by section (variant, VPN,
//! engines or the orchestrator, settings).

use super::facts::{referenced_keys, replicas_source, requires_api_key};
use super::orchestrator;
use crate::keys;
use crate::pipeline::Compilation;
use crate::resolve::{ForwardedSource, Launch, Plan, VariantRule, VpnLayout, VpnService};
use std::fmt::Write;

/// The text form: a readable account, section by section.
pub fn text_explanation(compilation: &Compilation, plan: &Plan, replicas: Option<u32>) -> String {
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

/// The key that gives VPN `number`'s forwarded port.
fn forwarded_key(number: usize) -> &'static str {
    if number == 2 {
        keys::GLUETUN_FORWARDED_PORT_2
    } else {
        keys::GLUETUN_FORWARDED_PORT
    }
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
