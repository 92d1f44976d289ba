//! `explain` for the orchestrator's own stack: the orchestrator service and
//! the engines it will start (the file holds none).

use crate::pipeline::Compilation;
use crate::resolve::{EnvValue, Plan};
use crate::validate::settings::Origin;
use serde_json::{json, Value};
use std::fmt::Write;

fn overridden_keys(plan: &Plan) -> Vec<&str> {
    plan.orchestrator
        .iter()
        .flat_map(|o| o.environment.iter())
        .filter(|(_, value)| matches!(value, EnvValue::Literal(_)))
        .map(|(key, _)| key.as_str())
        .collect()
}

/// The host ports its engines get: per VPN, or its own range without one.
fn engine_ports(plan: &Plan) -> Vec<(String, String)> {
    match &plan.orchestrator {
        Some(o) if plan.vpns.is_empty() => o
            .own_engine_ports
            .iter()
            .map(|r| {
                (
                    r.to_string(),
                    "published by the orchestrator on each engine".to_owned(),
                )
            })
            .collect(),
        _ => plan
            .vpns
            .iter()
            .map(|v| (v.http_range.to_string(), format!("published by {}", v.name)))
            .collect(),
    }
}

pub fn json(plan: &Plan) -> Value {
    let Some(o) = &plan.orchestrator else {
        return Value::Null;
    };
    json!({
        "image": o.image,
        "app_port": o.app_port,
        "container_port": o.container_port,
        "env_file": o.env_file,
        "environment_from_set": overridden_keys(plan),
        "depends_on": o.depends_on,
        "min_replicas": o.min_replicas,
        "engine_ports": engine_ports(plan)
            .into_iter()
            .map(|(range, _)| range)
            .collect::<Vec<_>>(),
    })
}

pub fn write(out: &mut String, compilation: &Compilation, plan: &Plan) {
    let Some(o) = &plan.orchestrator else {
        return;
    };
    let settings = &compilation.validated.settings;
    let bind = plan
        .bind_ip
        .map_or_else(|| "all interfaces".to_owned(), |ip| ip.to_string());
    let _ = writeln!(out, "\nOrchestrator: {}", o.image);
    let _ = writeln!(
        out,
        "  dashboard:  APP_PORT {} on {bind} (port {} inside)",
        o.app_port, o.container_port
    );
    let overridden = overridden_keys(plan);
    let reads = match overridden.is_empty() {
        true => format!("{} (env_file)", o.env_file),
        false => format!(
            "{} (env_file), and from --set: {}",
            o.env_file,
            overridden.join(", ")
        ),
    };
    let _ = writeln!(out, "  reads:      {reads}");
    if !o.depends_on.is_empty() {
        let _ = writeln!(out, "  waits for:  {} (healthy)", o.depends_on.join(", "));
    }
    let min = &settings.min_replicas;
    let from = match &min.origin {
        Origin::Default => "the default of MIN_REPLICAS".to_owned(),
        origin => format!("MIN_REPLICAS at {}", origin.describe()),
    };
    let _ = writeln!(
        out,
        "\nEngines: none in this file; the orchestrator starts {} ({from}), up to MAX_REPLICAS {}, of variant {}",
        o.min_replicas, settings.max_replicas.value, plan.variant.label
    );
    for (range, how) in engine_ports(plan) {
        let _ = writeln!(out, "  HTTP ports: {range} ({how})");
    }
    let (key, value) = &settings.container_label.value;
    let _ = writeln!(
        out,
        "  label:      {key}={value}: on start it removes every container carrying it"
    );
}
